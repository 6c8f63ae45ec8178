package rpcclient_test

import (
	"encoding/json"
	"math/big"
	"testing"

	"github.com/mvsgo/mvs/rpcclient"
)

// TestUint256StringIsAValue: decoding into a copy must not change the original (a struct
// holding a big.Int would share its words).
func TestUint256StringIsAValue(t *testing.T) {
	var a rpcclient.Uint256String
	if err := json.Unmarshal([]byte(`"77142106928542514581224679333144924973190017740408312606415185136453624431385"`), &a); err != nil {
		t.Fatal(err)
	}
	b := a
	if err := json.Unmarshal([]byte(`"1"`), &b); err != nil {
		t.Fatal(err)
	}
	if a.String() != "77142106928542514581224679333144924973190017740408312606415185136453624431385" || b.String() != "1" {
		t.Fatalf("a = %s, b = %s", a, b)
	}
	max := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	u, err := rpcclient.NewUint256String(max)
	if err != nil || u.Big().Cmp(max) != 0 {
		t.Fatalf("2^256-1: %v %v", u, err)
	}
	if _, err := rpcclient.NewUint256String(new(big.Int).Add(max, big.NewInt(1))); err == nil {
		t.Fatal("2^256 accepted")
	}
	if _, err := rpcclient.NewUint256String(big.NewInt(-1)); err == nil {
		t.Fatal("-1 accepted")
	}
}

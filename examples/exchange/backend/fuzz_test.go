package backend_test

import (
	"context"
	"errors"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/examples/exchange/backend"
)

// FuzzSubmitSigned: whatever bytes come back from the signer, SubmitSigned answers an
// error or accepts only the withdrawal's own correctly signed transaction; it never
// panics.
func FuzzSubmitSigned(f *testing.F) {
	ctx := context.Background()
	e := newEnv(f, stores(f)["sqlite"], nil)
	alice := e.addr("alice")
	hot, _ := e.svc.HotAddress(0)
	e.node.mine(pay(1, alice, mvs.Amount(10*mvs.SatoshiPerETP)), pay(2, hot, mvs.Amount(10*mvs.SatoshiPerETP)))
	e.node.mine()
	e.node.mine()
	e.sync()
	w, err := e.svc.RequestWithdrawal(ctx, backend.WithdrawalRequest{ID: "w", User: "alice", To: alice.String(), Amount: mvs.SatoshiPerETP})
	if err != nil {
		f.Fatal(err)
	}
	signed, err := backend.Sign(w.Unsigned, e.cold, mvs.SatoshiPerETP)
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte{})
	f.Add([]byte{1, 0, 0, 0, 0})
	f.Add(signed[:len(signed)-1])
	f.Fuzz(func(t *testing.T, raw []byte) {
		w, err := e.svc.SubmitSigned(ctx, "w", raw)
		if err == nil && string(raw) != string(signed) {
			t.Fatalf("accepted %x as withdrawal %s", raw, w.Status)
		}
		if err != nil && !errors.Is(err, backend.ErrSignedMismatch) && !errors.Is(err, backend.ErrWithdrawalState) {
			t.Fatalf("unexpected error kind: %v", err)
		}
	})
}

// FuzzSign: the signer given any bytes refuses them with ErrSignerPolicy, never panics.
func FuzzSign(f *testing.F) {
	f.Add([]byte(`{"format":"mvsgo-unsigned-tx","version":1,"network":"regtest"}`))
	f.Add([]byte(`{`))
	f.Add([]byte(`null`))
	cold, _ := accounts(f)
	f.Fuzz(func(t *testing.T, js []byte) {
		if _, err := backend.Sign(js, cold, mvs.SatoshiPerETP); !errors.Is(err, backend.ErrSignerPolicy) {
			t.Fatalf("Sign(%q): %v", js, err)
		}
	})
}

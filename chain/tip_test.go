package chain_test

import (
	"errors"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/chain/regtest"
	"github.com/mvsgo/mvs/wallet"
)

// TestCheckTxAtTip: a payment valid at the tip is judged valid with its fee and the tip it
// was read at; once mined, the same transaction is refused (its input is spent); a closed
// store is a read failure, not a refusal.
func TestCheckTxAtTip(t *testing.T) {
	net := regtest.New(t)
	net.Mine(3)
	pay := net.Build(net.Builder().Send(wallet.Payment{To: net.Address(1), Amount: mvs.SatoshiPerETP}))
	fee, at, err := chain.CheckTxAtTip(pay, net.Store(), net.Params())
	if err != nil || fee < net.Params().MinTxFee || at.TipHeight != 3 || at.TipHash != net.Tip().Hash() || at.Height != 4 {
		t.Fatalf("valid payment: fee %d at %d %s (next %d): %v", fee, at.TipHeight, at.TipHash, at.Height, err)
	}
	if at.MedianTimePast != chain.MedianTimePast(at.Headers, 4) || at.MedianTimePast == 0 {
		t.Fatalf("median time past %d", at.MedianTimePast)
	}
	net.Mine(1, pay)
	_, _, err = chain.CheckTxAtTip(pay, net.Store(), net.Params())
	var re *chain.RuleError
	if !errors.As(err, &re) || re.Code != chain.ErrMissingInput {
		t.Fatalf("a mined payment again: %v, want ErrMissingInput", err)
	}
	hs := chain.NewMainHeaders(net.Store())
	if h := hs.HeaderAt(2); h == nil || h.Hash() != net.BlockAt(2).Hash() || hs.HeaderAt(99) != nil || hs.Err() != nil {
		t.Fatalf("MainHeaders: %v", hs.Err())
	}
	if err := net.Store().Close(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := chain.CheckTxAtTip(pay, net.Store(), net.Params()); err == nil || errors.As(err, &re) {
		t.Fatalf("closed store: %v, want a read failure", err)
	}
	if hs.HeaderAt(1) != nil || hs.Err() == nil {
		t.Fatal("MainHeaders on a closed store kept no error")
	}
}

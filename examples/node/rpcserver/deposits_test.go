package rpcserver_test

import (
	"context"
	"testing"

	"github.com/mvsgo/mvs"
)

// TestAddressDeposits: getaddressetp --deposited lists an address's deposits still locked
// at the tip, as the reference computes them: the value, the lock height as
// deposited_height, the block's height plus it as expiration_height, bonus_balance 0 (the
// reference's bonus branch never runs); a deposit whose lock has run out is not listed.
func TestAddressDeposits(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, nil)
	n := f.net
	const etp = mvs.SatoshiPerETP
	long := n.Build(f.only(f.a0).Deposit(f.a2, etp, 20))
	n.Mine(1, long)
	longAt := n.Height()
	short := n.Build(f.only(f.a0).Deposit(f.a2, 2*etp, 10))
	n.Mine(1, short)
	n.Mine(10) // the short lock has run out: 10 blocks since its block

	ds, err := f.c.GetAddressDeposits(ctx, f.a2.String())
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, d := range ds {
		switch d.TxHash {
		case long.Hash():
			found = true
			if d.Address != f.a2.String() || uint64(d.DepositedBalance) != uint64(etp) || d.BonusBalance != 0 ||
				d.DepositedHeight != 20 || uint64(d.ExpirationHeight) != uint64(longAt)+20 {
				t.Errorf("the 20-block deposit: %+v (mined at %d)", d, longAt)
			}
		case short.Hash():
			t.Errorf("a released deposit is listed: %+v", d)
		default: // the deposit's interest, paid in the deposit's block, is an entry of its own
			blk := n.BlockAt(uint32(d.ExpirationHeight - d.DepositedHeight))
			var in bool
			for i := range blk.Transactions {
				in = in || blk.Transactions[i].Hash() == d.TxHash
			}
			if !in || d.DepositedHeight != 20 {
				t.Errorf("an entry of neither deposit nor its block's interest: %+v", d)
			}
		}
	}
	if !found {
		t.Fatalf("the locked deposit is not listed: %+v", ds)
	}
	if ds, err := f.c.GetAddressDeposits(ctx, f.a1.String()); err != nil || len(ds) != 0 {
		t.Fatalf("an address without deposits: %+v %v", ds, err)
	}
}

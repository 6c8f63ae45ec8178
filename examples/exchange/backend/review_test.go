package backend_test

import (
	"context"
	"errors"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/examples/exchange/backend"
)

// TestOwnWithdrawalMinedUnderAnotherTxID: a withdrawal whose signed transaction reaches the
// chain without SubmitSigned (the signer's output broadcast by hand), or with its txid
// changed (malleated signatures), is the withdrawal mined, not a conflict: reported as
// conflicted and never signed, it could be cancelled and refunded, paying the user twice.
func TestOwnWithdrawalMinedUnderAnotherTxID(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, open, nil)
			alice := e.addr("alice")
			hot, _ := e.svc.HotAddress(0)
			e.node.mine(pay(1, alice, mvs.Amount(10*mvs.SatoshiPerETP)), pay(2, hot, mvs.Amount(5*mvs.SatoshiPerETP)))
			e.node.mine()
			e.node.mine()
			e.sync()
			payee, _ := e.cold.Address(1_000_000)
			w, err := e.svc.RequestWithdrawal(ctx, backend.WithdrawalRequest{ID: "w1", User: "alice", To: payee.String(), Amount: 2 * mvs.SatoshiPerETP})
			if err != nil {
				t.Fatal(err)
			}
			signed, err := backend.Sign(w.Unsigned, e.cold, mvs.SatoshiPerETP)
			if err != nil {
				t.Fatal(err)
			}
			// Never submitted: the signed transaction is mined all the same.
			e.node.mine(mustTx(t, signed))
			e.sync()
			w, _ = e.svc.Withdrawal(ctx, "w1")
			if w.Status != backend.WithdrawalMined || w.TxID != mustTx(t, signed).Hash().String() {
				t.Fatalf("withdrawal paid outside SubmitSigned: status %s txid %q", w.Status, w.TxID)
			}
			before := e.balance("alice", backend.AssetETP)
			if err := e.svc.CancelWithdrawal(ctx, "w1"); !errors.Is(err, backend.ErrWithdrawalState) {
				t.Fatalf("cancel a paid withdrawal: %v", err)
			}
			if got := e.balance("alice", backend.AssetETP); got != before {
				t.Fatalf("paid withdrawal refunded: %d -> %d", before, got)
			}
			e.node.mine()
			e.node.mine()
			e.sync()
			if w, _ = e.svc.Withdrawal(ctx, "w1"); w.Status != backend.WithdrawalConfirmed {
				t.Fatalf("w1 status %s", w.Status)
			}
			if p := e.problems(); p["withdrawal conflicted"] != 0 {
				t.Fatalf("problems %v", p)
			}
		})
	}
}

package backend_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/examples/exchange/backend"
	"github.com/mvsgo/mvs/rpcclient"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/wallet"
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
			payee := e.fundForWithdrawal()
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

// TestBalanceOverflowRefused: anyone can issue an MST of 2^64-1 units, so two deposits of
// 2^63-1 would carry a balance past BIGINT: PostgreSQL refuses the update and the chain walk
// stops on that block for every user; SQLite turns the balance into an inexact float. The
// deposit that would overflow is recorded too_large and not credited; the walk goes on.
func TestBalanceOverflowRefused(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, open, nil)
			mallory, bob := e.addr("mallory"), e.addr("bob")
			evil := func(q uint64) *tx.AssetTransfer { return &tx.AssetTransfer{Symbol: "EVIL", Quantity: q} }
			d1 := pay(1, mallory, evil(math.MaxInt64))
			d2 := pay(2, mallory, evil(math.MaxInt64))
			d3 := pay(3, bob, mvs.Amount(mvs.SatoshiPerETP))
			e.node.mine(d1, d2, d3)
			e.node.mine()
			e.node.mine()
			if err := e.svc.Sync(context.Background()); err != nil {
				t.Fatalf("sync: %v", err)
			}
			if got := e.balance("bob", backend.AssetETP); got != int64(mvs.SatoshiPerETP) {
				t.Errorf("bob's deposit not credited: %d", got)
			}
			if got := e.balance("mallory", backend.AssetMST("EVIL")); got != math.MaxInt64 {
				t.Errorf("mallory EVIL %d", got)
			}
			st1, st2 := e.status(d1.Hash(), 0).Status, e.status(d2.Hash(), 0).Status
			if !(st1 == backend.DepositCredited && st2 == backend.DepositTooLarge || st2 == backend.DepositCredited && st1 == backend.DepositTooLarge) {
				t.Errorf("deposits %s and %s, want one credited and one %s", st1, st2, backend.DepositTooLarge)
			}
			e.problems()
		})
	}
}

// hookNode is a fakeNode that runs a hook once, when a block is read, after reading it:
// another process acting between this one's read and its write.
type hookNode struct {
	*fakeNode
	onBlock func()
}

func (n *hookNode) GetRawBlock(ctx context.Context, id rpcclient.BlockID) ([]byte, error) {
	raw, err := n.fakeNode.GetRawBlock(ctx, id)
	if f := n.onBlock; f != nil {
		n.onBlock = nil
		f()
	}
	return raw, err
}

// second opens the ledger st names a second time: another process's handle.
func second(t testing.TB, st *backend.Store) *backend.Store {
	t.Helper()
	v, _ := storeDSN.Load(st)
	dw := v.([2]string)
	return reopen(t, dw[0], dw[1])
}

// TestTwoWalkersStaleBlock: two services on one ledger. B reads block 3 of the old branch;
// meanwhile A reorganizes the ledger to a new block 2' holding a deposit. B's block 3 must
// not be stacked on the disconnected block 2: its confirmation would credit the deposit in
// 2' with one confirmation of the two required.
func TestTwoWalkersStaleBlock(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, open, func(c *backend.Config) { c.Confirmations = 2 })
			alice := e.addr("alice")
			e.node.mine()
			e.node.mine()
			e.sync() // the ledger holds 0, 1, 2
			e.node.mine()
			hn := &hookNode{fakeNode: e.node}
			cfgB := e.cfg
			cfgB.Store, cfgB.Node = second(t, e.st), hn
			b, err := backend.New(ctx, cfgB)
			if err != nil {
				t.Fatal(err)
			}
			dep := pay(1, alice, mvs.Amount(mvs.SatoshiPerETP))
			hn.onBlock = func() {
				e.node.reorg(1, 1, dep) // 0, 1, 2' (the deposit): one block shorter
				e.sync()
			}
			if err := b.Sync(ctx); err != nil {
				t.Fatalf("B: %v", err)
			}
			if d := e.status(dep.Hash(), 0); d.Status != backend.DepositPending {
				t.Fatalf("deposit with one confirmation of two: %s", d.Status)
			}
			if got := e.balance("alice", backend.AssetETP); got != 0 {
				t.Fatalf("credited early: %d", got)
			}
			e.node.mine()
			e.sync()
			if err := b.Sync(ctx); err != nil {
				t.Fatal(err)
			}
			if got := e.balance("alice", backend.AssetETP); got != int64(mvs.SatoshiPerETP) {
				t.Fatalf("at two confirmations: %d", got)
			}
			e.problems()
		})
	}
}

// TestAddressesIssuedDuringSync: addresses handed out by another process while a Sync
// catches up, more than the gap past the count Sync began with, are watched from the next
// block read: a deposit to one was passed over for good.
func TestAddressesIssuedDuringSync(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, open, func(c *backend.Config) { c.GapLimit = 5 })
			target, err := e.watch.Address(9) // bob's tenth address, past the gap of an empty ledger
			if err != nil {
				t.Fatal(err)
			}
			dep := pay(1, target, mvs.Amount(mvs.SatoshiPerETP))
			e.node.mine(dep)
			e.node.mine()
			e.node.mine()
			hn := &hookNode{fakeNode: e.node}
			cfgA := e.cfg
			cfgA.Store, cfgA.Node = second(t, e.st), hn
			a, err := backend.New(ctx, cfgA)
			if err != nil {
				t.Fatal(err)
			}
			hn.onBlock = func() { // block 0 read: the front end hands out ten addresses
				for range 10 {
					e.addr("bob")
				}
			}
			if err := a.Sync(ctx); err != nil {
				t.Fatal(err)
			}
			if got := e.balance("bob", backend.AssetETP); got != int64(mvs.SatoshiPerETP) {
				t.Fatalf("bob's deposit to m/9: balance %d", got)
			}
			e.problems()
		})
	}
}

// lostAnswerNode is a fakeNode whose gettx sees its pool (as mvsd's does), and whose
// sendrawtx can take the transaction and lose the answer, or refuse one it already has.
type lostAnswerNode struct {
	*fakeNode
	loseAnswer, refuseKnown bool
}

func (n *lostAnswerNode) SendRawTx(ctx context.Context, raw []byte) (mvs.Hash, error) {
	t, err := tx.Decode(raw)
	if err != nil {
		return mvs.Hash{}, err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, p := range n.pool {
		if p.Hash() == t.Hash() && n.refuseKnown {
			return mvs.Hash{}, &rpcclient.RPCError{Code: rpcclient.CodeCommandParams, Message: "transaction already exists in the pool"}
		}
	}
	n.pool = append(n.pool, t)
	if n.loseAnswer {
		return mvs.Hash{}, errors.New("connection reset by peer")
	}
	return t.Hash(), nil
}

func (n *lostAnswerNode) GetRawTx(ctx context.Context, h mvs.Hash) ([]byte, error) {
	n.mu.Lock()
	for _, p := range n.pool {
		if p.Hash() == h {
			n.mu.Unlock()
			return p.Bytes(), nil
		}
	}
	n.mu.Unlock()
	return n.fakeNode.GetRawTx(ctx, h)
}

// TestBroadcastAlreadyKnown: the node took the withdrawal but its answer was lost; the
// retry is refused as already known. That is sent, not rejected: a rejected withdrawal's
// coins go to the next one, and an operator may pay it again while it pays.
func TestBroadcastAlreadyKnown(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, open, nil)
			n := &lostAnswerNode{fakeNode: e.node}
			cfg := e.cfg
			cfg.Node = n
			svc, err := backend.New(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			alice := e.addr("alice")
			hot, _ := e.svc.HotAddress(0)
			e.node.mine(pay(1, alice, mvs.Amount(10*mvs.SatoshiPerETP)), pay(2, hot, mvs.Amount(5*mvs.SatoshiPerETP)))
			e.node.mine()
			e.node.mine()
			if err := svc.Sync(ctx); err != nil {
				t.Fatal(err)
			}
			payee, _ := e.cold.Address(1_000_000)
			w, err := svc.RequestWithdrawal(ctx, backend.WithdrawalRequest{ID: "w1", User: "alice", To: payee.String(), Amount: 2 * mvs.SatoshiPerETP})
			if err != nil {
				t.Fatal(err)
			}
			signed, err := backend.Sign(w.Unsigned, e.cold, mvs.SatoshiPerETP)
			if err != nil {
				t.Fatal(err)
			}
			n.loseAnswer, n.refuseKnown = true, true
			if _, err := svc.SubmitSigned(ctx, "w1", signed); err == nil {
				t.Fatal("a lost answer reported as sent")
			}
			n.loseAnswer = false
			if err := svc.Sync(ctx); err != nil { // broadcast again: already known
				t.Fatal(err)
			}
			if w, _ = svc.Withdrawal(ctx, "w1"); w.Status != backend.WithdrawalSent {
				t.Fatalf("withdrawal the node holds: %s (%s)", w.Status, w.Note)
			}
			// Its coin stays reserved: the next withdrawal cannot take it.
			if _, err := svc.RequestWithdrawal(ctx, backend.WithdrawalRequest{ID: "w2", User: "alice", To: payee.String(), Amount: mvs.SatoshiPerETP}); !errors.Is(err, wallet.ErrInsufficientFunds) {
				t.Fatalf("w2 built on w1's coin: %v", err)
			}
			if p := e.problems(); p["withdrawal rejected"] != 0 {
				t.Fatalf("problems %v", p)
			}
		})
	}
}

// TestReorgToShorterBranch: the node moves to a branch with more work in fewer blocks,
// below the ledger's tip. The ledger's blocks above the fork are no longer in the chain:
// their credits are reversed at once, not when the new branch grows back to the old height
// (meanwhile the credited funds could be withdrawn).
func TestReorgToShorterBranch(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, open, nil) // 3 confirmations
			alice := e.addr("alice")
			dep := pay(1, alice, mvs.Amount(mvs.SatoshiPerETP))
			e.node.mine(dep) // 1
			for range 4 {
				e.node.mine() // 2..5
			}
			e.sync()
			if got := e.balance("alice", backend.AssetETP); got != int64(mvs.SatoshiPerETP) {
				t.Fatalf("credited: %d", got)
			}
			e.node.reorg(0, 2) // 0, 1', 2': the deposit is gone, the node is at height 2
			e.sync()
			if d := e.status(dep.Hash(), 0); d.Status != backend.DepositReversed {
				t.Fatalf("deposit of a block the node's chain no longer has: %s", d.Status)
			}
			if got := e.balance("alice", backend.AssetETP); got != 0 {
				t.Fatalf("balance %d", got)
			}
			// A node merely behind (the same chain, shorter) is waited for.
			e.node.mine()
			e.sync()
			behind := &behindNode{fakeNode: e.node, height: 1}
			cfg := e.cfg
			cfg.Node = behind
			svc, err := backend.New(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if err := svc.Sync(context.Background()); err != nil {
				t.Fatal(err)
			}
			if p := e.problems(); p["deposit reversed"] != 1 {
				t.Fatalf("problems %v", p)
			}
			ds, _ := svc.Deposits(context.Background(), "")
			if len(ds) != 1 || ds[0].Status != backend.DepositReversed {
				t.Fatalf("deposits after a node behind: %+v", ds)
			}
		})
	}
}

// behindNode is the fakeNode's chain as a node still syncing it sees it: up to height.
type behindNode struct {
	*fakeNode
	height uint64
}

func (n *behindNode) GetHeight(context.Context) (uint64, error) { return n.height, nil }

// TestCancelledWithdrawalMined: a withdrawal signed, then cancelled before it was submitted
// (refunded), whose signed transaction is broadcast all the same: the user is paid, so the
// refund is taken back and the withdrawal is mined; before, nothing looked at it again.
func TestCancelledWithdrawalMined(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, open, nil)
			payee := e.fundForWithdrawal()
			w, err := e.svc.RequestWithdrawal(ctx, backend.WithdrawalRequest{ID: "w1", User: "alice", To: payee.String(), Amount: 2 * mvs.SatoshiPerETP})
			if err != nil {
				t.Fatal(err)
			}
			debited := e.balance("alice", backend.AssetETP)
			signed, err := backend.Sign(w.Unsigned, e.cold, mvs.SatoshiPerETP)
			if err != nil {
				t.Fatal(err)
			}
			if err := e.svc.CancelWithdrawal(ctx, "w1"); err != nil {
				t.Fatal(err)
			}
			e.node.mine(mustTx(t, signed))
			e.sync()
			if w, _ = e.svc.Withdrawal(ctx, "w1"); w.Status != backend.WithdrawalMined {
				t.Fatalf("cancelled withdrawal mined: status %s", w.Status)
			}
			if got := e.balance("alice", backend.AssetETP); got != debited {
				t.Fatalf("paid and refunded: balance %d, want %d", got, debited)
			}
			e.problems()
		})
	}
}

// TestUnsignedWithdrawalReported: a withdrawal debited and never signed held the user's
// money silently; after DefaultStuckAfter blocks it is a problem.
func TestUnsignedWithdrawalReported(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, stores(t)["sqlite"], nil)
	payee := e.fundForWithdrawal()
	if _, err := e.svc.RequestWithdrawal(ctx, backend.WithdrawalRequest{ID: "w1", User: "alice", To: payee.String(), Amount: mvs.SatoshiPerETP}); err != nil {
		t.Fatal(err)
	}
	for i := range backend.DefaultStuckAfter {
		if p := e.problems(); p["withdrawal unsigned"] != 0 {
			t.Fatalf("reported after %d blocks: %v", i, p)
		}
		e.node.mine()
		e.sync()
	}
	if p := e.problems(); p["withdrawal unsigned"] != 1 {
		t.Fatalf("problems %v", p)
	}
}

// TestResubmitStuck: a withdrawal the node forgot (its pool emptied by a restart) is stuck;
// submitting the same signed transaction again sends it (before, only a status error: it
// could never go out, the user's money held).
func TestResubmitStuck(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, open, nil)
			payee := e.fundForWithdrawal()
			w, err := e.svc.RequestWithdrawal(ctx, backend.WithdrawalRequest{ID: "w1", User: "alice", To: payee.String(), Amount: mvs.SatoshiPerETP})
			if err != nil {
				t.Fatal(err)
			}
			signed, err := backend.Sign(w.Unsigned, e.cold, mvs.SatoshiPerETP)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.SubmitSigned(ctx, "w1", signed); err != nil {
				t.Fatal(err)
			}
			e.node.pool = nil // the node restarted
			for range 4 {
				e.node.mine()
			}
			e.sync()
			if w, _ = e.svc.Withdrawal(ctx, "w1"); w.Status != backend.WithdrawalStuck {
				t.Fatalf("w1 %s", w.Status)
			}
			if w, err = e.svc.SubmitSigned(ctx, "w1", signed); err != nil || w.Status != backend.WithdrawalSent {
				t.Fatalf("resubmit a stuck withdrawal: %v", err)
			}
			e.sync() // not stuck again at once: it waits StuckAfter blocks from now
			if w, _ = e.svc.Withdrawal(ctx, "w1"); w.Status != backend.WithdrawalSent {
				t.Fatalf("w1 after resubmit %s", w.Status)
			}
			e.node.minePool()
			e.node.mine()
			e.node.mine()
			e.sync()
			if w, _ = e.svc.Withdrawal(ctx, "w1"); w.Status != backend.WithdrawalConfirmed {
				t.Fatalf("w1 %s", w.Status)
			}
		})
	}
}

// TestAssetSweep: credited MST deposits move to the hot wallet (the fee from its ETP), and
// an MST withdrawal then spends them; no balance changes; an ETP sweep leaves them alone.
func TestAssetSweep(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, open, nil)
			alice, bob := e.addr("alice"), e.addr("bob")
			hot, _ := e.svc.HotAddress(0)
			gold := func(q uint64) *tx.AssetTransfer { return &tx.AssetTransfer{Symbol: "GOLD", Quantity: q} }
			silver := &tx.AssetTransfer{Symbol: "SILVER", Quantity: 5}
			e.node.mine(pay(1, alice, gold(300), bob, gold(700), bob, silver, bob, mvs.Amount(mvs.SatoshiPerETP)),
				pay(2, hot, mvs.Amount(mvs.SatoshiPerETP)))
			pending := pay(3, alice, gold(50))
			e.node.mine()
			e.node.mine(pending) // 2 blocks after: pending, not swept
			e.sync()
			before, _ := e.svc.Balance(ctx, "bob")
			if _, err := e.svc.RequestAssetSweep(ctx, "", "GOLD", 0); !errors.Is(err, backend.ErrInvalidRequest) {
				t.Fatalf("no id: %v", err)
			}
			if _, err := e.svc.RequestAssetSweep(ctx, "s0", "COPPER", 0); !errors.Is(err, backend.ErrNothingToSweep) {
				t.Fatalf("nothing of COPPER: %v", err)
			}
			w, err := e.svc.RequestAssetSweep(ctx, "s1", "GOLD", 0)
			if err != nil {
				t.Fatal(err)
			}
			if !w.Sweep || w.Symbol != "GOLD" || w.Quantity != 1000 {
				t.Fatalf("sweep %s %d sweep=%v", w.Symbol, w.Quantity, w.Sweep)
			}
			if _, err := e.svc.RequestSweep(ctx, "s1", 0); !errors.Is(err, backend.ErrWithdrawalExists) {
				t.Fatalf("an asset sweep's id for an ETP sweep: %v", err)
			}
			signed, err := backend.Sign(w.Unsigned, e.cold, mvs.SatoshiPerETP)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.SubmitSigned(ctx, "s1", signed); err != nil {
				t.Fatal(err)
			}
			e.node.minePool()
			e.node.mine()
			e.node.mine()
			e.sync()
			if w, _ = e.svc.Withdrawal(ctx, "s1"); w.Status != backend.WithdrawalConfirmed {
				t.Fatalf("s1 %s", w.Status)
			}
			utxos, _ := e.node.GetAddressAssetUTXOs(ctx, hot.String(), "GOLD", nil, 0)
			var held uint64
			for _, u := range utxos {
				held += uint64(u.Balance)
			}
			if held != 1000 {
				t.Fatalf("hot wallet holds %d GOLD", held)
			}
			after, _ := e.svc.Balance(ctx, "bob")
			if fmt.Sprint(before) != fmt.Sprint(after) {
				t.Fatalf("a sweep changed a balance: %v -> %v", before, after)
			}
			// bob's 700 GOLD go out of the hot wallet.
			payee, _ := e.cold.Address(1_000_000)
			m, err := e.svc.RequestWithdrawal(ctx, backend.WithdrawalRequest{ID: "m1", User: "bob", To: payee.String(), Symbol: "GOLD", Quantity: 700})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := backend.Sign(m.Unsigned, e.cold, mvs.SatoshiPerETP); err != nil {
				t.Fatal(err)
			}
			// The ETP sweep takes bob's plain ETP output only, not SILVER or the pending GOLD.
			s2, err := e.svc.RequestSweep(ctx, "s2", 0)
			if err != nil {
				t.Fatal(err)
			}
			var u wallet.Unsigned
			if err := u.UnmarshalJSON(s2.Unsigned); err != nil {
				t.Fatal(err)
			}
			for _, o := range u.Tx.Outputs {
				if o.Attachment.Payload != nil {
					t.Fatalf("ETP sweep moves %T", o.Attachment.Payload)
				}
			}
			e.problems()
		})
	}
}

// TestRefundOverflowRefused: a refund that would carry a balance past 2^63-1 (credits
// filled it meanwhile) is refused with ErrAmountRange; on SQLite it turned the balance into
// an inexact float.
func TestRefundOverflowRefused(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, open, nil)
			mallory := e.addr("mallory")
			hot, _ := e.svc.HotAddress(0)
			evil := func(q uint64) *tx.AssetTransfer { return &tx.AssetTransfer{Symbol: "EVIL", Quantity: q} }
			e.node.mine(pay(1, mallory, evil(math.MaxInt64-100), mallory, mvs.Amount(mvs.SatoshiPerETP)),
				pay(2, hot, evil(1000), hot, mvs.Amount(mvs.SatoshiPerETP)))
			e.node.mine()
			e.node.mine()
			e.sync()
			payee, _ := e.cold.Address(1_000_000)
			if _, err := e.svc.RequestWithdrawal(ctx, backend.WithdrawalRequest{ID: "w1", User: "mallory", To: payee.String(), Symbol: "EVIL", Quantity: 100}); err != nil {
				t.Fatal(err)
			}
			e.node.mine(pay(3, mallory, evil(200)))
			e.node.mine()
			e.node.mine()
			e.sync()
			if got := e.balance("mallory", backend.AssetMST("EVIL")); got != math.MaxInt64 {
				t.Fatalf("EVIL %d", got)
			}
			if err := e.svc.CancelWithdrawal(ctx, "w1"); !errors.Is(err, backend.ErrAmountRange) {
				t.Fatalf("refund past 2^63-1: %v", err)
			}
			if got := e.balance("mallory", backend.AssetMST("EVIL")); got != math.MaxInt64 {
				t.Fatalf("EVIL after the refused refund %d", got)
			}
			e.problems()
		})
	}
}

// TestUnassignedDepositRemined: an output paying an address no user had is unassigned; when
// a reorganization mines it again after the address was handed to carol, it is still no
// one's: before, carol was credited a payment she did not make.
func TestUnassignedDepositRemined(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, open, nil)
			m2, _ := e.watch.Address(2)
			dep := pay(1, m2, mvs.Amount(mvs.SatoshiPerETP))
			e.node.mine(dep)
			e.sync()
			if d := e.status(dep.Hash(), 0); d.Status != backend.DepositUnassigned {
				t.Fatalf("first seen: %s", d.Status)
			}
			e.node.reorg(0, 2) // the block leaves the chain
			e.sync()
			for range 3 {
				e.addr("carol") // m/0, m/1, m/2
			}
			e.node.mine(dep) // mined again
			e.node.mine()
			e.node.mine()
			e.sync()
			if d := e.status(dep.Hash(), 0); d.Status != backend.DepositUnassigned || d.User != "" {
				t.Fatalf("mined again after m/2 went to carol: %s, user %q", d.Status, d.User)
			}
			if got := e.balance("carol", backend.AssetETP); got != 0 {
				t.Fatalf("carol credited %d", got)
			}
		})
	}
}

// TestConcurrentFirstOpen: processes opening a fresh ledger at once (the service and the
// address command) all migrate it or find it migrated; before, on PostgreSQL all but one
// failed creating the same tables.
func TestConcurrentFirstOpen(t *testing.T) {
	where := map[string]func() (string, string){"sqlite": func() (string, string) { return "sqlite", filepath.Join(t.TempDir(), "l.db") }}
	if dsn := os.Getenv("MVS_TEST_POSTGRES_DSN"); dsn != "" {
		where["postgres"] = func() (string, string) { return "pgx", PostgresSchema(t, dsn) }
	}
	for name, fresh := range where {
		t.Run(name, func(t *testing.T) {
			for round := range 3 {
				driver, dsn := fresh()
				var wg sync.WaitGroup
				errs := make([]error, 4)
				for i := range errs {
					wg.Go(func() {
						var st *backend.Store
						var err error
						if driver == "sqlite" {
							st, err = backend.OpenSQLite(context.Background(), dsn)
						} else {
							st, err = backend.OpenPostgres(context.Background(), dsn)
						}
						if err == nil {
							st.Close()
						}
						errs[i] = err
					})
				}
				wg.Wait()
				for i, err := range errs {
					if err != nil {
						t.Errorf("round %d, process %d: %v", round, i, err)
					}
				}
			}
		})
	}
}

// TestBlockTxListChecked: a node answering a block with a transaction its header does not
// commit to (the hash, which links the walk, unchanged) is refused: before, the added
// payment was credited.
func TestBlockTxListChecked(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, open, nil)
			alice := e.addr("alice")
			e.node.mine()
			e.node.mine()
			e.node.mine()
			e.node.inject = map[uint32][]*tx.Tx{1: {pay(1, alice, mvs.Amount(100*mvs.SatoshiPerETP))}}
			if err := e.svc.Sync(context.Background()); !errors.Is(err, backend.ErrNodeAnswer) {
				t.Fatalf("a block with a transaction its header does not commit to: %v", err)
			}
			e.node.inject = nil
			e.sync()
			if got := e.balance("alice", backend.AssetETP); got != 0 {
				t.Fatalf("credited a payment no chain holds: %d", got)
			}
		})
	}
}

// TestSweepDustFirst: dust paid early to deposit addresses (anyone can, for a few
// satoshis) no longer fills every sweep with less than its fee: the largest credited
// outputs are swept first.
func TestSweepDustFirst(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, open, nil)
			alice, bob := e.addr("alice"), e.addr("bob")
			e.node.mine(pay(1, alice, mvs.Amount(1), alice, mvs.Amount(2), alice, mvs.Amount(3)))
			e.node.mine(pay(2, bob, mvs.Amount(5*mvs.SatoshiPerETP)))
			e.node.mine()
			e.node.mine()
			e.sync()
			w, err := e.svc.RequestSweep(ctx, "s1", 3)
			if err != nil {
				t.Fatalf("sweep behind dust: %v", err)
			}
			if w.Amount < 5*mvs.SatoshiPerETP-w.Fee {
				t.Fatalf("sweep of %s ETP", w.Amount)
			}
		})
	}
}

// TestCancelDeeplyConflicted: a signed withdrawal whose input another transaction spent is
// debited and unpaid; once that conflict is Confirmations deep it may be cancelled and
// refunded (before, never: the user's money stayed debited). Should a deeper
// reorganization mine the withdrawal after all, the refund is taken back.
func TestCancelDeeplyConflicted(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, open, func(c *backend.Config) { c.MaxReorgDepth = 10 })
			payee := e.fundForWithdrawal()
			w, err := e.svc.RequestWithdrawal(ctx, backend.WithdrawalRequest{ID: "w1", User: "alice", To: payee.String(), Amount: 2 * mvs.SatoshiPerETP})
			if err != nil {
				t.Fatal(err)
			}
			debited := e.balance("alice", backend.AssetETP)
			signed, err := backend.Sign(w.Unsigned, e.cold, mvs.SatoshiPerETP)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.SubmitSigned(ctx, "w1", signed); err != nil {
				t.Fatal(err)
			}
			e.node.pool = nil
			fork := e.node.height()
			thief := pay(9)
			thief.Inputs[0].PreviousOutput = mustTx(t, signed).Inputs[0].PreviousOutput
			e.node.mine(thief)
			e.sync()
			if w, _ = e.svc.Withdrawal(ctx, "w1"); w.Status != backend.WithdrawalConflicted {
				t.Fatalf("w1 %s", w.Status)
			}
			if err := e.svc.CancelWithdrawal(ctx, "w1"); !errors.Is(err, backend.ErrWithdrawalState) {
				t.Fatalf("cancel with the conflict 1 block deep: %v", err)
			}
			e.node.mine()
			e.node.mine()
			e.sync()
			if err := e.svc.CancelWithdrawal(ctx, "w1"); err != nil {
				t.Fatalf("cancel with the conflict 3 blocks deep: %v", err)
			}
			if got := e.balance("alice", backend.AssetETP); got != debited+int64(w.Amount+w.Fee) {
				t.Fatalf("refund: %d", got)
			}
			// A deeper reorganization drops the thief and mines the withdrawal.
			e.node.reorg(fork, 5, mustTx(t, signed))
			e.sync()
			if w, _ = e.svc.Withdrawal(ctx, "w1"); w.Status != backend.WithdrawalConfirmed {
				t.Fatalf("w1 after the reorganization %s", w.Status)
			}
			if got := e.balance("alice", backend.AssetETP); got != debited {
				t.Fatalf("paid and refunded: %d, want %d", got, debited)
			}
			e.problems()
		})
	}
}

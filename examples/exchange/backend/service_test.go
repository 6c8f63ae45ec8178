package backend_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/examples/exchange/backend"
	"github.com/mvsgo/mvs/rpcclient"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
	"github.com/mvsgo/mvs/wallet"
)

type env struct {
	t     testing.TB
	node  *fakeNode
	st    *backend.Store
	svc   *backend.Service
	cold  *wallet.Account
	watch *wallet.Account
	cfg   backend.Config
}

func newEnv(t testing.TB, open func(testing.TB) *backend.Store, edit func(*backend.Config)) *env {
	t.Helper()
	cold, watch := accounts(t)
	e := &env{t: t, node: newFakeNode(), st: open(t), cold: cold, watch: watch}
	e.cfg = backend.Config{Node: e.node, Account: watch, Confirmations: 3, StuckAfter: 4}
	if edit != nil {
		edit(&e.cfg)
	}
	e.start()
	return e
}

// start makes a service over the env's store (again, after restart).
func (e *env) start() {
	e.t.Helper()
	e.cfg.Store = e.st
	svc, err := backend.New(context.Background(), e.cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	e.svc = svc
}

func (e *env) restart() {
	e.t.Helper()
	e.st = restart(e.t, e.st)
	e.start()
}

func (e *env) sync() {
	e.t.Helper()
	if err := e.svc.Sync(context.Background()); err != nil {
		e.t.Fatal(err)
	}
}

// fundForWithdrawal is the start several withdrawal tests share: alice credited 10 ETP and
// the hot wallet holding 5, both confirmed and synced; it returns a cold payee address.
func (e *env) fundForWithdrawal() mvs.Address {
	e.t.Helper()
	alice := e.addr("alice")
	hot, err := e.svc.HotAddress(0)
	if err != nil {
		e.t.Fatal(err)
	}
	e.node.mine(pay(1, alice, mvs.Amount(10*mvs.SatoshiPerETP)), pay(2, hot, mvs.Amount(5*mvs.SatoshiPerETP)))
	e.node.mine()
	e.node.mine()
	e.sync()
	payee, err := e.cold.Address(1_000_000)
	if err != nil {
		e.t.Fatal(err)
	}
	return payee
}

func (e *env) addr(user string) mvs.Address {
	e.t.Helper()
	a, _, err := e.svc.DepositAddress(context.Background(), user)
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

func (e *env) balance(user, asset string) int64 {
	e.t.Helper()
	b, err := e.svc.Balance(context.Background(), user)
	if err != nil {
		e.t.Fatal(err)
	}
	return b[asset]
}

func (e *env) status(txid mvs.Hash, vout uint32) backend.Deposit {
	e.t.Helper()
	ds, err := e.svc.Deposits(context.Background(), "")
	if err != nil {
		e.t.Fatal(err)
	}
	for _, d := range ds {
		if d.TxID == txid.String() && d.Vout == vout {
			return d
		}
	}
	e.t.Fatalf("no deposit %s:%d", txid, vout)
	return backend.Deposit{}
}

// noProblems fails on any problem but the kinds allowed.
func (e *env) problems() map[string]int {
	e.t.Helper()
	ps, err := backend.Problems(context.Background(), e.st)
	if err != nil {
		e.t.Fatal(err)
	}
	m := map[string]int{}
	for _, p := range ps {
		m[p.Kind]++
		if p.Kind == "ledger mismatch" {
			e.t.Errorf("ledger mismatch: %+v", p)
		}
	}
	return m
}

// TestDepositsCredit: a deposit is credited once it is Confirmations deep, in ETP or MST;
// locked outputs, certificates-like holdings, coinbases and unassigned addresses are
// recorded but never credited.
func TestDepositsCredit(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, open, nil)
			alice, bob := e.addr("alice"), e.addr("bob")
			unassigned, err := e.watch.Address(5) // inside the gap, never handed out
			if err != nil {
				t.Fatal(err)
			}
			dep := pay(1, alice, mvs.Amount(5*mvs.SatoshiPerETP), bob, &tx.AssetTransfer{Symbol: "GOLD", Quantity: 700},
				bob, []byte(script.LockHeightDeposit(bob.Hash, 25200)), unassigned, mvs.Amount(9))
			e.node.mine(dep)
			e.sync()
			if got := e.status(dep.Hash(), 0).Status; got != backend.DepositPending {
				t.Fatalf("at 1 confirmation: %s", got)
			}
			e.node.mine()
			e.sync()
			if e.balance("alice", backend.AssetETP) != 0 {
				t.Fatal("credited at 2 confirmations of 3")
			}
			e.node.mine()
			e.sync()
			tests := []struct {
				vout   uint32
				status string
			}{{0, backend.DepositCredited}, {1, backend.DepositCredited}, {2, backend.DepositLocked}, {3, backend.DepositUnassigned}}
			for _, tc := range tests {
				if got := e.status(dep.Hash(), tc.vout).Status; got != tc.status {
					t.Errorf("output %d: %s, want %s", tc.vout, got, tc.status)
				}
			}
			if got := e.balance("alice", backend.AssetETP); got != int64(5*mvs.SatoshiPerETP) {
				t.Errorf("alice ETP %d", got)
			}
			if got := e.balance("bob", backend.AssetMST("GOLD")); got != 700 {
				t.Errorf("bob GOLD %d", got)
			}
			if got := e.balance("bob", backend.AssetETP); got != 0 {
				t.Errorf("bob's locked deposit credited: %d", got)
			}
			// More blocks credit nothing again; neither does a restart.
			e.node.mine()
			e.sync()
			e.restart()
			e.sync()
			if got := e.balance("alice", backend.AssetETP); got != int64(5*mvs.SatoshiPerETP) {
				t.Errorf("alice after restart %d", got)
			}
			// The locked and the unassigned payments arrived and were credited to no one: an
			// operator decides.
			if p := e.problems(); len(p) != 1 || p["deposit not credited"] != 2 {
				t.Errorf("problems %v", p)
			}
		})
	}
}

// TestReorgReversesAndRecredits: a 3-block reorganization removes a credited deposit (its
// credit is reversed, reported) and a later branch brings it back (credited once more, one
// net credit); a deposit in the shared part is untouched. Restarts in between change nothing.
func TestReorgReversesAndRecredits(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, open, nil)
			alice, bob := e.addr("alice"), e.addr("bob")
			keep := pay(1, bob, mvs.Amount(2*mvs.SatoshiPerETP))
			e.node.mine(keep) // 1
			e.node.mine()     // 2
			fork := e.node.height()
			gone := pay(2, alice, mvs.Amount(5*mvs.SatoshiPerETP))
			e.node.mine(gone) // 3
			e.node.mine()     // 4
			e.node.mine()     // 5: gone has 3 confirmations
			e.sync()
			if got := e.balance("alice", backend.AssetETP); got != int64(5*mvs.SatoshiPerETP) {
				t.Fatalf("alice before the reorg %d", got)
			}
			e.node.reorg(fork, 4) // a longer branch without gone
			e.restart()
			e.sync()
			if got := e.balance("alice", backend.AssetETP); got != 0 {
				t.Fatalf("alice after the reorg %d", got)
			}
			if d := e.status(gone.Hash(), 0); d.Status != backend.DepositReversed || d.Credits != 1 {
				t.Fatalf("removed deposit %+v", d)
			}
			if got := e.balance("bob", backend.AssetETP); got != int64(2*mvs.SatoshiPerETP) {
				t.Fatalf("bob %d", got)
			}
			if p := e.problems(); p["deposit reversed"] != 1 {
				t.Fatalf("problems %v", p)
			}
			e.sync() // nothing twice
			if got := e.balance("alice", backend.AssetETP); got != 0 {
				t.Fatalf("alice after a second sync %d", got)
			}
			// Another branch mines it again: credited once more after 3 confirmations.
			e.node.reorg(fork, 6, gone)
			e.sync()
			if got := e.balance("alice", backend.AssetETP); got != int64(5*mvs.SatoshiPerETP) {
				t.Fatalf("alice after the re-mining %d", got)
			}
			if d := e.status(gone.Hash(), 0); d.Status != backend.DepositCredited || d.Credits != 2 {
				t.Fatalf("re-mined deposit %+v", d)
			}
			var credits, reversals int
			rows, err := e.st.DB().Query(`SELECT kind FROM ledger WHERE user_id = 'alice'`)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var k string
				rows.Scan(&k)
				switch k {
				case "deposit":
					credits++
				case "reversal":
					reversals++
				}
			}
			rows.Close()
			if credits != 2 || reversals != 1 {
				t.Fatalf("alice's ledger: %d credits, %d reversals", credits, reversals)
			}
			e.problems()
		})
	}
}

// TestSameHeightReorg: a branch of the same height replaces the tip; the service notices it
// from the hash alone.
func TestSameHeightReorg(t *testing.T) {
	e := newEnv(t, stores(t)["sqlite"], func(c *backend.Config) { c.Confirmations = 1 })
	alice := e.addr("alice")
	d := pay(1, alice, mvs.Amount(mvs.SatoshiPerETP))
	e.node.mine()
	e.node.mine(d)
	e.sync()
	if e.balance("alice", backend.AssetETP) != int64(mvs.SatoshiPerETP) {
		t.Fatal("not credited at 1 confirmation")
	}
	e.node.reorg(1, 1)
	e.sync()
	if got := e.balance("alice", backend.AssetETP); got != 0 {
		t.Fatalf("same-height reorg not seen: %d", got)
	}
}

// TestWithdrawals: built from the hot wallet, signed by the cold account, checked,
// broadcast, mined and confirmed; a conflicted and a stuck one are reported.
func TestWithdrawals(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, open, nil)
			alice := e.addr("alice")
			hot, err := e.svc.HotAddress(0)
			if err != nil {
				t.Fatal(err)
			}
			e.node.mine(pay(1, alice, mvs.Amount(10*mvs.SatoshiPerETP)), pay(2, hot, mvs.Amount(4*mvs.SatoshiPerETP), hot, mvs.Amount(3*mvs.SatoshiPerETP), hot, mvs.Amount(3*mvs.SatoshiPerETP)))
			e.node.mine()
			e.node.mine()
			e.sync()
			payee, _ := e.cold.Address(1_000_000)
			req := backend.WithdrawalRequest{ID: "w1", User: "alice", To: payee.String(), Amount: 2 * mvs.SatoshiPerETP}
			w, err := e.svc.RequestWithdrawal(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			if w.Status != backend.WithdrawalUnsigned || e.balance("alice", backend.AssetETP) != int64(8*mvs.SatoshiPerETP-w.Fee) {
				t.Fatalf("after the request: %+v, balance %d", w, e.balance("alice", backend.AssetETP))
			}
			// The same request again is the same withdrawal; the same id for another is refused.
			if again, err := e.svc.RequestWithdrawal(ctx, req); err != nil || again.ID != "w1" {
				t.Fatalf("idempotent request: %v", err)
			}
			other := req
			other.Amount++
			if _, err := e.svc.RequestWithdrawal(ctx, other); !errors.Is(err, backend.ErrWithdrawalExists) {
				t.Fatalf("reused id: %v", err)
			}
			signed, err := backend.Sign(w.Unsigned, e.cold, mvs.SatoshiPerETP)
			if err != nil {
				t.Fatal(err)
			}
			// A tampered transaction is refused.
			bad, _ := tx.Decode(signed)
			bad.Outputs[0].Value++
			if _, err := e.svc.SubmitSigned(ctx, "w1", bad.Bytes()); !errors.Is(err, backend.ErrSignedMismatch) {
				t.Fatalf("tampered: %v", err)
			}
			if w, err = e.svc.SubmitSigned(ctx, "w1", signed); err != nil || w.Status != backend.WithdrawalSent {
				t.Fatalf("submit: %v %+v", err, w)
			}
			if err := e.svc.CancelWithdrawal(ctx, "w1"); !errors.Is(err, backend.ErrWithdrawalState) {
				t.Fatalf("cancel a sent withdrawal: %v", err)
			}
			// w2 spends another coin; an operator's transaction spends it first: conflicted.
			w2, err := e.svc.RequestWithdrawal(ctx, backend.WithdrawalRequest{ID: "w2", User: "alice", To: payee.String(), Amount: mvs.SatoshiPerETP})
			if err != nil {
				t.Fatal(err)
			}
			var u2 wallet.Unsigned
			if err := u2.UnmarshalJSON(w2.Unsigned); err != nil {
				t.Fatal(err)
			}
			if u2.Tx.Inputs[0].PreviousOutput == mustTx(t, signed).Inputs[0].PreviousOutput {
				t.Fatal("w2 spends w1's coin")
			}
			thief := pay(9)
			thief.Inputs[0].PreviousOutput = u2.Tx.Inputs[0].PreviousOutput
			e.node.minePool() // w1
			e.node.mine(thief)
			e.sync()
			if w2, _ = e.svc.Withdrawal(ctx, "w2"); w2.Status != backend.WithdrawalConflicted || w2.ConflictTxID != thief.Hash().String() {
				t.Fatalf("w2 %+v", w2)
			}
			// Never signed, so no transaction of it can appear: it may be cancelled, refunded.
			before := e.balance("alice", backend.AssetETP)
			if err := e.svc.CancelWithdrawal(ctx, "w2"); err != nil {
				t.Fatalf("cancel a conflicted, unsigned withdrawal: %v", err)
			}
			if got := e.balance("alice", backend.AssetETP); got != before+int64(w2.Amount+w2.Fee) {
				t.Fatalf("refund: %d -> %d", before, got)
			}
			e.node.mine()
			e.sync()
			if w, _ = e.svc.Withdrawal(ctx, "w1"); w.Status != backend.WithdrawalConfirmed || w.TxID != mustTx(t, signed).Hash().String() {
				t.Fatalf("w1 %+v", w)
			}
			// w3 is sent and never mined: stuck after StuckAfter blocks; w4 is cancelled.
			w3, err := e.svc.RequestWithdrawal(ctx, backend.WithdrawalRequest{ID: "w3", User: "alice", To: payee.String(), Amount: mvs.SatoshiPerETP})
			if err != nil {
				t.Fatal(err)
			}
			s3, err := backend.Sign(w3.Unsigned, e.cold, mvs.SatoshiPerETP)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.SubmitSigned(ctx, "w3", s3); err != nil {
				t.Fatal(err)
			}
			e.node.pool = nil // the node forgot it
			for range 4 {
				e.node.mine()
			}
			e.restart()
			e.sync()
			if w3, _ = e.svc.Withdrawal(ctx, "w3"); w3.Status != backend.WithdrawalStuck {
				t.Fatalf("w3 %+v", w3)
			}
			p := e.problems()
			if p["withdrawal stuck"] != 1 || p["withdrawal conflicted"] != 0 {
				t.Fatalf("problems %v", p)
			}
			before = e.balance("alice", backend.AssetETP)
			if _, err := e.svc.RequestWithdrawal(ctx, backend.WithdrawalRequest{ID: "w5", User: "alice", To: payee.String(), Amount: 50 * mvs.SatoshiPerETP}); !errors.Is(err, backend.ErrInsufficientBalance) && !errors.Is(err, wallet.ErrInsufficientFunds) {
				t.Fatalf("too large: %v", err)
			}
			if e.balance("alice", backend.AssetETP) != before {
				t.Fatal("a refused withdrawal changed the balance")
			}
		})
	}
}

func mustTx(t *testing.T, raw []byte) *tx.Tx {
	t.Helper()
	x, err := tx.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// TestWithdrawalBalance: the user's balance, not the hot wallet's, limits a withdrawal;
// a cancelled one is refunded.
func TestWithdrawalBalance(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, stores(t)["sqlite"], nil)
	alice := e.addr("alice")
	hot, _ := e.svc.HotAddress(0)
	e.node.mine(pay(1, alice, mvs.Amount(mvs.SatoshiPerETP)), pay(2, hot, mvs.Amount(100*mvs.SatoshiPerETP)))
	e.node.mine()
	e.node.mine()
	e.sync()
	payee, _ := e.cold.Address(7)
	_, err := e.svc.RequestWithdrawal(ctx, backend.WithdrawalRequest{ID: "big", User: "alice", To: payee.String(), Amount: mvs.SatoshiPerETP})
	if !errors.Is(err, backend.ErrInsufficientBalance) {
		t.Fatalf("amount+fee over the balance: %v", err)
	}
	w, err := e.svc.RequestWithdrawal(ctx, backend.WithdrawalRequest{ID: "ok", User: "alice", To: payee.String(), Amount: mvs.SatoshiPerETP / 2})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.CancelWithdrawal(ctx, w.ID); err != nil {
		t.Fatal(err)
	}
	if got := e.balance("alice", backend.AssetETP); got != int64(mvs.SatoshiPerETP) {
		t.Fatalf("after cancel %d", got)
	}
	// Its coin is free again.
	if _, err := e.svc.RequestWithdrawal(ctx, backend.WithdrawalRequest{ID: "ok2", User: "alice", To: payee.String(), Amount: mvs.SatoshiPerETP / 2}); err != nil {
		t.Fatal(err)
	}
}

// TestRefusals: each named error.
func TestRefusals(t *testing.T) {
	ctx := context.Background()
	cold, watch := accounts(t)
	open := stores(t)["sqlite"]
	st := open(t)
	node := newFakeNode()
	if _, err := backend.New(ctx, backend.Config{Store: st, Node: node, Account: cold}); !errors.Is(err, backend.ErrPrivateKey) {
		t.Errorf("private key: %v", err)
	}
	for _, cfg := range []backend.Config{{Node: node, Account: watch}, {Store: st, Account: watch}, {Store: st, Node: node},
		{Store: st, Node: node, Account: watch, Fee: 1}, {Store: st, Node: node, Account: watch, HotAddresses: 1001}} {
		if _, err := backend.New(ctx, cfg); !errors.Is(err, backend.ErrConfig) {
			t.Errorf("config %+v: %v", cfg, err)
		}
	}
	if _, err := backend.Open(ctx, "mysql", "x"); !errors.Is(err, backend.ErrDialect) {
		t.Errorf("dialect: %v", err)
	}
	if _, err := st.DB().Exec(`INSERT INTO schema_migrations (version) VALUES (99)`); err != nil {
		t.Fatal(err)
	}
	if _, err := restartErr(t, st); !errors.Is(err, backend.ErrSchemaTooNew) {
		t.Errorf("schema: %v", err)
	}

	e := newEnv(t, open, func(c *backend.Config) { c.MaxReorgDepth = 2 })
	e.addr("alice")
	for range 5 {
		e.node.mine()
	}
	e.sync()
	e.node.reorg(1, 6)
	if err := e.svc.Sync(ctx); !errors.Is(err, backend.ErrReorgTooDeep) {
		t.Errorf("deep reorg: %v", err)
	}

	e = newEnv(t, open, nil)
	alice := e.addr("alice")
	d := pay(1, alice, mvs.Amount(5))
	e.node.mine(d)
	e.node.mine(d) // the node's chain holds one output twice: stop, do not credit
	if err := e.svc.Sync(ctx); !errors.Is(err, backend.ErrDuplicateDeposit) {
		t.Errorf("duplicate: %v", err)
	}

	e = newEnv(t, open, nil)
	e.node.mine()
	e.node.badBlock = true
	if err := e.svc.Sync(ctx); !errors.Is(err, backend.ErrNodeAnswer) {
		t.Errorf("block of another height: %v", err)
	}
	e.node.badBlock = false

	mainnetAddr, _ := func() (mvs.Address, error) {
		a, err := wallet.NewAccountFromMnemonic(testMnemonic, mvs.MainNet())
		if err != nil {
			return mvs.Address{}, err
		}
		return a.Address(0)
	}()
	for _, r := range []backend.WithdrawalRequest{
		{ID: "", User: "a", To: alice.String(), Amount: 1},
		{ID: "x", User: "", To: alice.String(), Amount: 1},
		{ID: "x", User: "a", To: alice.String(), Amount: 0},
		{ID: "x", User: "a", To: mainnetAddr.String(), Amount: 1},
		{ID: "x", User: "a", To: "nonsense", Amount: 1},
	} {
		if _, err := e.svc.RequestWithdrawal(ctx, r); !errors.Is(err, backend.ErrInvalidRequest) {
			t.Errorf("request %+v: %v", r, err)
		}
	}
	if _, err := e.svc.RequestWithdrawal(ctx, backend.WithdrawalRequest{ID: "x", User: "a", To: alice.String(), Amount: math.MaxInt64 + 1}); !errors.Is(err, backend.ErrAmountRange) {
		t.Errorf("amount range: %v", err)
	}
	if _, _, err := e.svc.DepositAddress(ctx, ""); !errors.Is(err, backend.ErrInvalidRequest) {
		t.Errorf("empty user: %v", err)
	}
	if _, err := e.svc.Withdrawal(ctx, "nope"); !errors.Is(err, backend.ErrUnknownWithdrawal) {
		t.Errorf("unknown: %v", err)
	}
	if _, err := e.svc.HotAddress(1); !errors.Is(err, backend.ErrInvalidRequest) {
		t.Errorf("hot address beyond the set: %v", err)
	}
	if _, err := e.svc.SubmitSigned(ctx, "nope", []byte{1}); !errors.Is(err, backend.ErrUnknownWithdrawal) {
		t.Errorf("submit unknown: %v", err)
	}
	var se *backend.StatusError
	if err := e.svc.CancelWithdrawal(ctx, "nope"); !errors.Is(err, backend.ErrUnknownWithdrawal) || errors.As(err, &se) {
		t.Errorf("cancel unknown: %v", err)
	}
}

func restartErr(t *testing.T, st *backend.Store) (*backend.Store, error) {
	v, _ := storeDSN.Load(st)
	dw := v.([2]string)
	st.Close()
	return backend.Open(context.Background(), "sqlite", "file:"+dw[1])
}

// TestSigner: the cold side refuses what it must.
func TestSigner(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, stores(t)["sqlite"], nil)
	alice := e.addr("alice")
	hot, _ := e.svc.HotAddress(0)
	e.node.mine(pay(1, alice, mvs.Amount(10*mvs.SatoshiPerETP)), pay(2, hot, mvs.Amount(10*mvs.SatoshiPerETP), hot, mvs.Amount(10*mvs.SatoshiPerETP)))
	e.node.mine()
	e.node.mine()
	e.sync()
	w, err := e.svc.RequestWithdrawal(ctx, backend.WithdrawalRequest{ID: "w", User: "alice", To: alice.String(), Amount: mvs.SatoshiPerETP})
	if err != nil {
		t.Fatal(err)
	}
	mainCold, _ := wallet.NewAccountFromMnemonic(testMnemonic, mvs.MainNet())
	otherCold, _ := wallet.NewAccountFromMnemonic("zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong", mvs.RegTest())
	tests := []struct {
		name string
		js   []byte
		acct *wallet.Account
		max  mvs.Amount
	}{
		{"watch-only", w.Unsigned, e.watch, mvs.SatoshiPerETP},
		{"other network", w.Unsigned, mainCold, mvs.SatoshiPerETP},
		{"fee cap", w.Unsigned, e.cold, 1},
		{"not json", []byte("{"), e.cold, mvs.SatoshiPerETP},
		{"other keys", w.Unsigned, otherCold, mvs.SatoshiPerETP},
	}
	for _, tc := range tests {
		if _, err := backend.Sign(tc.js, tc.acct, tc.max); !errors.Is(err, backend.ErrSignerPolicy) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	// A node refusal marks it rejected; an unreachable node leaves it signed, sent later.
	signed, err := backend.Sign(w.Unsigned, e.cold, mvs.SatoshiPerETP)
	if err != nil {
		t.Fatal(err)
	}
	e.node.sendErr = &rpcclient.RPCError{Code: rpcclient.CodeTxValidate, Message: "refused"}
	w2, err := e.svc.RequestWithdrawal(ctx, backend.WithdrawalRequest{ID: "w2", User: "alice", To: alice.String(), Amount: mvs.SatoshiPerETP})
	if err != nil {
		t.Fatal(err)
	}
	s2, err := backend.Sign(w2.Unsigned, e.cold, mvs.SatoshiPerETP)
	if err != nil {
		t.Fatal(err)
	}
	if w2, err = e.svc.SubmitSigned(ctx, "w2", s2); err != nil || w2.Status != backend.WithdrawalRejected {
		t.Fatalf("refused: %v %+v", err, w2)
	}
	// The node refused it, yet it reaches a block (a resubmission refused as already known,
	// say): the ledger follows the chain, not the refusal.
	e.node.mine(mustTx(t, s2))
	e.sync()
	if w2, _ = e.svc.Withdrawal(ctx, "w2"); w2.Status != backend.WithdrawalMined {
		t.Fatalf("rejected, then mined: %s", w2.Status)
	}
	e.node.sendErr = rpcclient.ErrTransport
	if _, err := e.svc.SubmitSigned(ctx, "w", signed); !errors.Is(err, rpcclient.ErrTransport) {
		t.Fatalf("unreachable: %v", err)
	}
	if w, _ = e.svc.Withdrawal(ctx, "w"); w.Status != backend.WithdrawalSigned {
		t.Fatalf("after a failed broadcast: %s", w.Status)
	}
	e.node.sendErr = nil
	e.restart()
	e.sync()
	if w, _ = e.svc.Withdrawal(ctx, "w"); w.Status != backend.WithdrawalSent {
		t.Fatalf("after the rebroadcast: %s", w.Status)
	}
	if _, err := e.svc.SubmitSigned(ctx, "w", signed); err == nil {
		t.Fatal("a sent withdrawal accepted a second submission")
	}
}

// TestAddressesIssuedElsewhere: addresses handed out by another process on the same ledger
// (far past the gap limit) are watched by the running service from its next sync.
func TestAddressesIssuedElsewhere(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, stores(t)["sqlite"], func(c *backend.Config) { c.Confirmations = 1; c.GapLimit = 5 })
	other, err := backend.New(ctx, e.cfg)
	if err != nil {
		t.Fatal(err)
	}
	var last mvs.Address
	for range 12 {
		if last, _, err = other.DepositAddress(ctx, "carol"); err != nil {
			t.Fatal(err)
		}
	}
	e.node.mine(pay(1, last, mvs.Amount(3)))
	e.sync()
	if got := e.balance("carol", backend.AssetETP); got != 3 {
		t.Fatalf("deposit to m/11, issued elsewhere: %d", got)
	}
}

// TestSweep: credited deposits move to the hot wallet, signed by the cold account with the
// deposit addresses' keys; pending ones stay; no user balance changes; the swept coins then
// fund withdrawals.
func TestSweep(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, open, nil)
			alice, bob := e.addr("alice"), e.addr("bob")
			e.node.mine()
			if _, err := e.svc.RequestSweep(ctx, "s0", 0); !errors.Is(err, backend.ErrNothingToSweep) {
				t.Fatalf("empty sweep: %v", err)
			}
			e.node.mine(pay(1, alice, mvs.Amount(5*mvs.SatoshiPerETP)), pay(2, bob, mvs.Amount(3*mvs.SatoshiPerETP)))
			e.node.mine()
			e.node.mine()
			late := pay(3, bob, mvs.Amount(mvs.SatoshiPerETP))
			e.node.mine(late) // pending at the sweep
			e.sync()
			s, err := e.svc.RequestSweep(ctx, "s1", 0)
			if err != nil {
				t.Fatal(err)
			}
			var u wallet.Unsigned
			if err := u.UnmarshalJSON(s.Unsigned); err != nil {
				t.Fatal(err)
			}
			hot, _ := e.svc.HotAddress(0)
			if !s.Sweep || len(u.Tx.Inputs) != 2 || s.Amount != 8*mvs.SatoshiPerETP-s.Fee || s.To != hot.String() {
				t.Fatalf("sweep %+v with %d inputs", s, len(u.Tx.Inputs))
			}
			signed, err := backend.Sign(s.Unsigned, e.cold, mvs.SatoshiPerETP)
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
			if s, _ = e.svc.Withdrawal(ctx, "s1"); s.Status != backend.WithdrawalConfirmed {
				t.Fatalf("sweep %s", s.Status)
			}
			if e.balance("alice", backend.AssetETP) != int64(5*mvs.SatoshiPerETP) || e.balance("bob", backend.AssetETP) != int64(4*mvs.SatoshiPerETP) {
				t.Fatal("a sweep changed a user's balance")
			}
			// The swept coin pays alice's withdrawal.
			w, err := e.svc.RequestWithdrawal(ctx, backend.WithdrawalRequest{ID: "w", User: "alice", To: alice.String(), Amount: 4 * mvs.SatoshiPerETP})
			if err != nil {
				t.Fatal(err)
			}
			if err := e.svc.CancelWithdrawal(ctx, w.ID); err != nil {
				t.Fatal(err)
			}
			// Now only the late deposit is left.
			s2, err := e.svc.RequestSweep(ctx, "s2", 0)
			if err != nil {
				t.Fatal(err)
			}
			if s2.Amount != mvs.SatoshiPerETP-s2.Fee {
				t.Fatalf("second sweep %+v", s2)
			}
			if err := e.svc.CancelWithdrawal(ctx, "s2"); err != nil {
				t.Fatal(err)
			}
			if e.balance("bob", backend.AssetETP) != int64(4*mvs.SatoshiPerETP) {
				t.Fatal("a cancelled sweep refunded someone")
			}
			if _, err := e.svc.RequestSweep(ctx, "w", 0); !errors.Is(err, backend.ErrWithdrawalExists) {
				t.Fatalf("a sweep reusing a withdrawal's id: %v", err)
			}
			e.problems()
		})
	}
}

// TestSQLitePath: the ledger is the file named, whatever its directory names hold ('#', '?'
// and '%' mean something in SQLite's URIs), and runs with its settings (WAL).
func TestSQLitePath(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{"plain", "hash#1", "query?x=1", "percent%41", "space and ünicode"} {
		dir := filepath.Join(t.TempDir(), name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "ledger.db")
		st, err := backend.OpenSQLite(ctx, path)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var mode string
		if err := st.DB().QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("%s: journal mode %q (%v)", name, mode, err)
		}
		st.Close()
		if _, err := os.Stat(path); err != nil {
			t.Errorf("%s: the ledger is not at its path: %v", name, err)
		}
	}
}

// TestNegativeBalanceReported: a deposit withdrawn and then removed by a reorganization
// leaves the user owing it: the reversal is booked anyway and Problems reports the negative
// balance.
func TestNegativeBalanceReported(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, stores(t)["sqlite"], func(c *backend.Config) { c.Confirmations = 1 })
	alice := e.addr("alice")
	hot, _ := e.svc.HotAddress(0)
	e.node.mine(pay(1, hot, mvs.Amount(10*mvs.SatoshiPerETP)))
	e.node.mine(pay(2, alice, mvs.Amount(2*mvs.SatoshiPerETP)))
	e.sync()
	if _, err := e.svc.RequestWithdrawal(ctx, backend.WithdrawalRequest{ID: "w", User: "alice", To: alice.String(), Amount: mvs.SatoshiPerETP}); err != nil {
		t.Fatal(err)
	}
	e.node.reorg(1, 2)
	e.sync()
	if got := e.balance("alice", backend.AssetETP); got >= 0 {
		t.Fatalf("alice %d", got)
	}
	if p := e.problems(); p["negative balance"] != 1 || p["deposit reversed"] != 1 {
		t.Fatalf("problems %v", p)
	}
}

// TestRun: Run syncs when woken, stops with its context, and stops by itself on a
// reorganization deeper than the limit.
func TestRun(t *testing.T) {
	e := newEnv(t, stores(t)["sqlite"], func(c *backend.Config) { c.Confirmations = 1; c.MaxReorgDepth = 1 })
	alice := e.addr("alice")
	ctx, cancel := context.WithCancel(context.Background())
	wake := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- e.svc.Run(ctx, wake) }()
	e.node.mine(pay(1, alice, mvs.Amount(7)))
	wake <- struct{}{} // taken once the first sync is over
	wake <- struct{}{} // taken once the sync it started is over
	if got := e.balance("alice", backend.AssetETP); got != 7 {
		t.Fatalf("after a wake: %d", got)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run after cancel: %v", err)
	}
	e.node.mine()
	e.sync()
	e.node.reorg(0, 3)
	if err := e.svc.Run(context.Background(), nil); !errors.Is(err, backend.ErrReorgTooDeep) {
		t.Fatalf("Run on a deep reorg: %v", err)
	}
}

// TestMSTWithdrawal: an MST withdrawal spends the hot wallet's MST outputs, debits the
// user's MST balance by the quantity and its ETP balance by the fee, and is refused when
// either falls short.
func TestMSTWithdrawal(t *testing.T) {
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t, open, nil)
			dave := e.addr("dave")
			hot, _ := e.svc.HotAddress(0)
			gold := func(q uint64) *tx.AssetTransfer { return &tx.AssetTransfer{Symbol: "GOLD", Quantity: q} }
			e.node.mine(pay(1, dave, gold(500)), pay(2, hot, gold(10_000), hot, mvs.Amount(mvs.SatoshiPerETP)))
			e.node.mine()
			e.node.mine()
			e.sync()
			payee, _ := e.cold.Address(9)
			req := backend.WithdrawalRequest{ID: "m1", User: "dave", To: payee.String(), Symbol: "GOLD", Quantity: 200}
			if _, err := e.svc.RequestWithdrawal(ctx, req); !errors.Is(err, backend.ErrInsufficientBalance) {
				t.Fatalf("no ETP for the fee: %v", err)
			}
			e.node.mine(pay(3, dave, mvs.Amount(mvs.SatoshiPerETP/100)))
			e.node.mine()
			e.node.mine()
			e.sync()
			w, err := e.svc.RequestWithdrawal(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			if w.Symbol != "GOLD" || w.Quantity != 200 || w.Amount != 0 || w.Asset != backend.AssetMST("GOLD") {
				t.Fatalf("withdrawal %+v", w)
			}
			b, _ := e.svc.Balance(ctx, "dave")
			if b[backend.AssetMST("GOLD")] != 300 || b[backend.AssetETP] != int64(mvs.SatoshiPerETP/100-w.Fee) {
				t.Fatalf("balances after the request %v", b)
			}
			signed, err := backend.Sign(w.Unsigned, e.cold, mvs.SatoshiPerETP)
			if err != nil {
				t.Fatal(err)
			}
			stx := mustTx(t, signed)
			var paid uint64
			for _, o := range stx.Outputs {
				if at, ok := o.Attachment.Payload.(*tx.AssetTransfer); ok && bytes.Equal(o.Script, script.PayToAddress(payee)) {
					paid += at.Quantity
				}
			}
			if paid != 200 {
				t.Fatalf("the transaction pays %d GOLD to the payee", paid)
			}
			if _, err := e.svc.SubmitSigned(ctx, "m1", signed); err != nil {
				t.Fatal(err)
			}
			e.node.minePool()
			e.node.mine()
			e.node.mine()
			e.sync()
			if w, _ = e.svc.Withdrawal(ctx, "m1"); w.Status != backend.WithdrawalConfirmed {
				t.Fatalf("m1 %s", w.Status)
			}
			if _, err := e.svc.RequestWithdrawal(ctx, backend.WithdrawalRequest{ID: "m2", User: "dave", To: payee.String(), Symbol: "GOLD", Quantity: 301}); !errors.Is(err, backend.ErrInsufficientBalance) {
				t.Fatalf("more GOLD than dave has: %v", err)
			}
			// Cancelled, both debits come back.
			w3, err := e.svc.RequestWithdrawal(ctx, backend.WithdrawalRequest{ID: "m3", User: "dave", To: payee.String(), Symbol: "GOLD", Quantity: 300})
			if err != nil {
				t.Fatal(err)
			}
			before, _ := e.svc.Balance(ctx, "dave")
			if err := e.svc.CancelWithdrawal(ctx, "m3"); err != nil {
				t.Fatal(err)
			}
			after, _ := e.svc.Balance(ctx, "dave")
			if after[backend.AssetMST("GOLD")] != before[backend.AssetMST("GOLD")]+300 || after[backend.AssetETP] != before[backend.AssetETP]+int64(w3.Fee) {
				t.Fatalf("refund: %v -> %v", before, after)
			}
			for _, bad := range []backend.WithdrawalRequest{
				{ID: "x", User: "dave", To: payee.String(), Symbol: "GOLD", Quantity: 1, Amount: 1},
				{ID: "x", User: "dave", To: payee.String(), Quantity: 1},
				{ID: "x", User: "dave", To: payee.String(), Symbol: "GOLD"},
			} {
				if _, err := e.svc.RequestWithdrawal(ctx, bad); !errors.Is(err, backend.ErrInvalidRequest) {
					t.Errorf("%+v: %v", bad, err)
				}
			}
			e.problems()
		})
	}
}

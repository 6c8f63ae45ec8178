package mempool_test

import (
	"errors"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/asset"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/chain/regtest"
	"github.com/mvsgo/mvs/examples/node/mempool"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// fixture is a RegTest chain with a pool over its store and the chain's events.
type fixture struct {
	t    *testing.T
	net  *regtest.Net
	pool *mempool.Pool
	sub  *chain.Subscription
}

func newFixture(t *testing.T, edit func(*mempool.Config)) *fixture {
	net := regtest.New(t)
	net.Mine(12)
	cfg := mempool.Config{Params: net.Params(), Store: net.Store()}
	if edit != nil {
		edit(&cfg)
	}
	pool, err := mempool.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, net: net, pool: pool, sub: net.Chain().Subscribe(1000)}
}

// update hands the chain's events since the last call to the pool.
func (f *fixture) update() []mvs.Hash {
	f.t.Helper()
	var conn, disc []*block.Block
	for done := false; !done; {
		select {
		case ev := <-f.sub.Events():
			if ev.Kind == chain.Connected {
				conn = append(conn, ev.Block)
			} else {
				disc = append(disc, ev.Block)
			}
		default:
			done = true
		}
	}
	dropped, err := f.pool.Update(conn, disc)
	if err != nil {
		f.t.Fatal(err)
	}
	return dropped
}

// spend pays value less fee of output op (paying Address(0)) back to Address(0).
func (f *fixture) spend(op tx.OutPoint, value, fee mvs.Amount) *tx.Tx {
	f.t.Helper()
	pay := script.PayToAddress(f.net.Address(0))
	x := &tx.Tx{Version: 1, Inputs: []tx.Input{{PreviousOutput: op, Sequence: script.SequenceFinal}},
		Outputs: []tx.Output{{Value: value - fee, Script: pay, Attachment: tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeETP}}}}
	if err := x.SignInput(0, pay, f.net.Key(0), tx.SignOptions{}); err != nil {
		f.t.Fatal(err)
	}
	return x
}

// coinbase is the first output of the main chain's coinbase at height (Address(0)'s).
func (f *fixture) coinbase(height uint32) (tx.OutPoint, mvs.Amount) {
	cb := &f.net.BlockAt(height).Transactions[0]
	return tx.OutPoint{Hash: cb.Hash()}, cb.Outputs[0].Value
}

func (f *fixture) accept(t *tx.Tx, want error) []*tx.Tx {
	f.t.Helper()
	got, err := f.pool.Accept(t)
	if !errors.Is(err, want) {
		f.t.Fatalf("Accept: %v, want %v", err, want)
	}
	return got
}

func TestAcceptRefusals(t *testing.T) {
	f := newFixture(t, nil)
	fee := f.net.Params().MinTxFee
	op, v := f.coinbase(1)
	a := f.spend(op, v, fee)
	f.accept(a, nil)
	if !f.pool.Has(a.Hash()) || f.pool.Len() != 1 || f.pool.Bytes() != a.SerializeSize() {
		t.Fatal("accepted transaction not in the pool")
	}
	f.accept(a, mempool.ErrDuplicate)
	f.accept(f.spend(op, v, 2*fee), mempool.ErrDoubleSpend)
	f.accept(&f.net.BlockAt(2).Transactions[0], mempool.ErrCoinbase)

	// Below the minimum fee, and a bad signature: consensus refusals, by rule.
	op2, v2 := f.coinbase(2)
	for _, tc := range []struct {
		name string
		t    *tx.Tx
		code chain.ErrorCode
	}{
		{"fee below the minimum", f.spend(op2, v2, fee-1), chain.ErrFeeTooLow},
		{"bad signature", func() *tx.Tx { x := f.spend(op2, v2, fee); x.Outputs[0].Value--; return x }(), chain.ErrScript},
	} {
		_, err := f.pool.Accept(tc.t)
		var re *chain.RuleError
		if !errors.As(err, &re) || re.Code != tc.code {
			t.Fatalf("%s: %v, want %v", tc.name, err, tc.code)
		}
	}
	// Mined: refused as such, and Update drops it from the pool.
	f.net.Mine(1, a)
	if dropped := f.update(); len(dropped) != 1 || dropped[0] != a.Hash() || f.pool.Len() != 0 {
		t.Fatalf("after mining: dropped %v, pool %d", dropped, f.pool.Len())
	}
	f.accept(a, mempool.ErrMined)
}

func TestChainedOrphansAndReorg(t *testing.T) {
	f := newFixture(t, nil)
	fee := f.net.Params().MinTxFee
	op, v := f.coinbase(1)
	parent := f.spend(op, v, fee)
	child := f.spend(tx.OutPoint{Hash: parent.Hash()}, v-fee, fee)
	grandchild := f.spend(tx.OutPoint{Hash: child.Hash()}, v-2*fee, fee)
	f.accept(grandchild, mempool.ErrOrphan)
	f.accept(child, mempool.ErrOrphan)
	if f.pool.Orphans() != 2 || f.pool.Len() != 0 {
		t.Fatalf("orphans %d, pool %d", f.pool.Orphans(), f.pool.Len())
	}
	got := f.accept(parent, nil)
	if len(got) != 3 || got[0] != parent || got[1] != child || got[2] != grandchild || f.pool.Orphans() != 0 {
		t.Fatalf("parent released %d transactions", len(got))
	}
	if tpl := f.pool.Template(1 << 20); len(tpl) != 3 || tpl[0].Tx != parent || tpl[1].Tx != child || tpl[0].Fee != fee {
		t.Fatal("template does not put parents first")
	}
	// The parent is mined: the children stay, now spending a confirmed output.
	fork := f.net.Height()
	f.net.Mine(1, parent)
	f.update()
	if f.pool.Len() != 2 || f.pool.Has(parent.Hash()) || !f.pool.Has(child.Hash()) {
		t.Fatalf("after the parent was mined: pool %d", f.pool.Len())
	}
	// A heavier branch without it: the parent comes back, before its children.
	f.net.Fork(fork).Mine(2)
	f.update()
	if f.pool.Len() != 3 || !f.pool.Has(parent.Hash()) {
		t.Fatalf("after the reorganisation: pool %d", f.pool.Len())
	}
	if txs := f.pool.Txs(); txs[0].Hash() != parent.Hash() {
		t.Fatal("the returning parent is not first")
	}
	// A branch spending the coinbase differently: the pool's parent conflicts and leaves,
	// with its descendants.
	rival := f.spend(op, v, 3*fee)
	f.net.Fork(f.net.Height()).Mine(1, rival)
	if dropped := f.update(); len(dropped) != 3 || f.pool.Len() != 0 {
		t.Fatalf("after a conflicting block: dropped %d, pool %d", len(dropped), f.pool.Len())
	}
}

func TestRegistrationsAndSpecialFees(t *testing.T) {
	f := newFixture(t, nil)
	alice := f.net.Address(3)
	f.net.Fund(alice, 5*mvs.SatoshiPerETP)
	f.net.Fund(f.net.Address(4), 5*mvs.SatoshiPerETP)
	f.update()
	reg := f.net.Build(f.net.Builder().RegisterDID(alice, "alice"))
	f.accept(reg, nil)
	again := f.net.Build(f.net.Builder().RegisterDID(f.net.Address(4), "alice"))
	f.accept(again, mempool.ErrRegistration)

	// A DID registration paying only the consensus minimum is valid in a block but breaks
	// the reference miner's policy; without the policy the pool takes it.
	g := newFixture(t, nil)
	op, v := g.coinbase(2)
	a0 := g.net.Address(0)
	pay := script.PayToAddress(a0)
	cheap := &tx.Tx{Version: 1, Inputs: []tx.Input{{PreviousOutput: op, Sequence: script.SequenceFinal}},
		Outputs: []tx.Output{
			{Script: pay, Attachment: tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeDID,
				Payload: &tx.DID{Status: tx.DIDStatusRegister, Symbol: "bob", Address: a0.String()}}},
			{Value: v - g.net.Params().MinTxFee, Script: pay, Attachment: tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeETP}}}}
	if err := cheap.SignInput(0, pay, g.net.Key(0), tx.SignOptions{}); err != nil {
		t.Fatal(err)
	}
	g.accept(cheap, asset.ErrSpecialFee)
	lax, err := mempool.New(mempool.Config{Params: g.net.Params(), Store: g.net.Store(), NoSpecialFees: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lax.Accept(cheap); err != nil {
		t.Fatalf("without the miner's policy: %v", err)
	}
}

func TestFullPoolEvictsByFeeRate(t *testing.T) {
	f := newFixture(t, func(c *mempool.Config) { c.MaxTxs = 2 })
	fee := f.net.Params().MinTxFee
	var txs []*tx.Tx
	for h, k := range []mvs.Amount{2, 3, 1, 5} {
		op, v := f.coinbase(uint32(h + 1))
		txs = append(txs, f.spend(op, v, k*fee))
	}
	f.accept(txs[0], nil)
	f.accept(txs[1], nil)
	f.accept(txs[2], mempool.ErrPoolFull) // the lowest rate: it would be the one evicted
	f.accept(txs[3], nil)                 // evicts txs[0]
	if f.pool.Has(txs[0].Hash()) || !f.pool.Has(txs[1].Hash()) || !f.pool.Has(txs[3].Hash()) {
		t.Fatal("eviction did not take the lowest fee rate")
	}
	if tpl := f.pool.Template(1 << 20); tpl[0].Tx != txs[3] {
		t.Fatal("template does not start with the highest fee rate")
	}
}

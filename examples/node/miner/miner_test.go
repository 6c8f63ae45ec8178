package miner_test

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/chain/regtest"
	"github.com/mvsgo/mvs/ethash"
	"github.com/mvsgo/mvs/examples/node/mempool"
	"github.com/mvsgo/mvs/examples/node/miner"
	"github.com/mvsgo/mvs/wallet"
)

func newMiner(t *testing.T) (*regtest.Net, *miner.Miner, *ethash.Verifier) {
	t.Helper()
	net := regtest.New(t)
	pool, err := mempool.New(mempool.Config{Params: net.Params(), Store: net.Store()})
	if err != nil {
		t.Fatal(err)
	}
	v := ethash.New(ethash.Config{Sizes: ethash.SmallSizes})
	t.Cleanup(func() { v.Close() })
	m, err := miner.New(miner.Config{Params: net.Params(), Chain: net.Chain(), Store: net.Store(), Pool: pool, Seal: v, PayTo: net.Address(3),
		// Before the harness's fixed clock, whatever the date the test runs on.
		Now: func() time.Time { return time.Unix(1_750_000_000, 0) }})
	if err != nil {
		t.Fatal(err)
	}
	return net, m, v
}

// TestMineOneAndWork: MineOne extends the tip; work from GetWork, sealed outside, is
// accepted once; a wrong seal and stale work are refused by name.
func TestMineOneAndWork(t *testing.T) {
	ctx := context.Background()
	net, m, v := newMiner(t)
	blk, res, err := m.MineOne(ctx)
	if err != nil || res.Verdict != chain.MainChain || net.Height() != 1 || m.Mined() != 1 {
		t.Fatalf("MineOne: %v %v at %d", res.Verdict, err, net.Height())
	}
	if blk.Transactions[0].Outputs[0].Script == nil {
		t.Fatal("no coinbase payee")
	}
	w, err := m.GetWork()
	if err != nil {
		t.Fatal(err)
	}
	found, err := v.Search(ctx, 2, w.PowHash, bigOne(), 0, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	var wrongMix [32]byte
	if _, err := m.SubmitWork(ctx, found.Nonce, w.PowHash, wrongMix); !errors.Is(err, miner.ErrBadSeal) {
		t.Fatalf("a wrong mix: %v, want ErrBadSeal", err)
	}
	if ok, err := m.SubmitWork(ctx, found.Nonce, w.PowHash, found.Mix); !ok || err != nil || net.Height() != 2 {
		t.Fatalf("SubmitWork: %v %v", ok, err)
	}
	if _, err := m.SubmitWork(ctx, found.Nonce, w.PowHash, found.Mix); !errors.Is(err, miner.ErrStaleWork) {
		t.Fatalf("the same work again: %v, want ErrStaleWork", err)
	}
	if _, err := m.SubmitWork(ctx, 1, [32]byte{1}, found.Mix); !errors.Is(err, miner.ErrStaleWork) {
		t.Fatalf("unknown work: %v, want ErrStaleWork", err)
	}
	if _, err := miner.New(miner.Config{Params: net.Params()}); !errors.Is(err, miner.ErrConfig) {
		t.Fatalf("an empty config: %v", err)
	}
	if _, err := miner.New(miner.Config{Params: net.Params(), Chain: net.Chain(), Store: net.Store(), Pool: &mempool.Pool{}, Seal: v,
		PayTo: mvs.Address{}}); !errors.Is(err, miner.ErrConfig) {
		t.Fatalf("no payee: %v", err)
	}
}

func bigOne() *big.Int { return big.NewInt(1) }

// TestGetWorkReuse: polled again with nothing changed, GetWork hands out the same work; a
// pool transaction, a new tip or a minute's wait each make new work.
func TestGetWorkReuse(t *testing.T) {
	ctx := context.Background()
	net := regtest.New(t)
	net.Mine(2)
	pool, err := mempool.New(mempool.Config{Params: net.Params(), Store: net.Store()})
	if err != nil {
		t.Fatal(err)
	}
	v := ethash.New(ethash.Config{Sizes: ethash.SmallSizes})
	t.Cleanup(func() { v.Close() })
	now := time.Unix(1_750_000_000, 0)
	m, err := miner.New(miner.Config{Params: net.Params(), Chain: net.Chain(), Store: net.Store(), Pool: pool, Seal: v,
		PayTo: net.Address(3), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	work := func() [32]byte {
		t.Helper()
		w, err := m.GetWork()
		if err != nil {
			t.Fatal(err)
		}
		return w.PowHash
	}
	first := work()
	now = now.Add(time.Second)
	if again := work(); again != first {
		t.Fatal("a second later, nothing changed: new work")
	}
	// A pool transaction: new work that carries it.
	if _, err := pool.Accept(net.Build(net.Builder().Send(wallet.Payment{To: net.Address(5), Amount: mvs.SatoshiPerETP}))); err != nil {
		t.Fatal(err)
	}
	withTx := work()
	if withTx == first {
		t.Fatal("a transaction entered the pool: the same work")
	}
	// The old work can still be submitted (it is kept), and a minute later the work is new.
	now = now.Add(2 * time.Minute)
	if later := work(); later == withTx {
		t.Fatal("two minutes later: the same work")
	}
	found, err := v.Search(ctx, 3, withTx, bigOne(), 0, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := m.SubmitWork(ctx, found.Nonce, withTx, found.Mix); !ok || err != nil {
		t.Fatalf("the earlier work: %v %v", ok, err)
	}
	if next := work(); next == withTx {
		t.Fatal("a new tip: the same work")
	}
}

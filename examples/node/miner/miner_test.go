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

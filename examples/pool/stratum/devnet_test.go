package stratum_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/mvsgo/mvs/ethash"
	"github.com/mvsgo/mvs/examples/internal/devnet"
	"github.com/mvsgo/mvs/examples/pool/internal/cpuminer"
	"github.com/mvsgo/mvs/examples/pool/stratum"
)

var (
	buildOnce sync.Once
	bin       string
	buildErr  error
)

// mvsgod builds the node once per test binary.
func mvsgod(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "pool-devnet-bin")
		if err != nil {
			buildErr = err
			return
		}
		bin, buildErr = devnet.Build(context.Background(), dir)
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return bin
}

func startNode(t *testing.T, ctx context.Context) *devnet.Node {
	t.Helper()
	n, err := devnet.Start(ctx, devnet.Config{Bin: mvsgod(t), Dir: filepath.Join(t.TempDir(), "node")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Stop() })
	return n
}

// serve runs a pool on node and returns it and its address; the test's end stops it.
func serve(t testing.TB, cfg stratum.Config) (*stratum.Server, string) {
	t.Helper()
	if cfg.Verifier == nil {
		v := ethash.New(ethash.Config{Sizes: ethash.SmallSizes})
		t.Cleanup(func() { v.Close() })
		cfg.Verifier = v
	}
	s, err := stratum.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, l) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Serve: %v", err)
		}
	})
	// The first job, so that logins get work at once.
	for s.CurrentJob() == nil {
		if err := s.Refresh(ctx); err != nil {
			t.Logf("refresh: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return s, l.Addr().String()
}

func smallVerifier(t testing.TB) *ethash.Verifier {
	v := ethash.New(ethash.Config{Sizes: ethash.SmallSizes})
	t.Cleanup(func() { v.Close() })
	return v
}

func code(err error) int {
	var re *cpuminer.RPCError
	if errors.As(err, &re) {
		return re.Code
	}
	return 0
}

// TestMinePrivateChain: a CPU miner on each protocol mines blocks on a real node through
// the pool; every block the pool counts is on the node's chain, and the worker's
// statistics say so.
func TestMinePrivateChain(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	n := startNode(t, ctx)
	w, err := devnet.NewWallet(n, "")
	if err != nil {
		t.Fatal(err)
	}
	pool, addr := serve(t, stratum.Config{Node: n.RPC(), Params: n.Params(), ShareDifficulty: 4})
	h0, err := n.RPC().GetHeight(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const blocks = 3
	for i, proto := range []cpuminer.Protocol{cpuminer.Proxy, cpuminer.ES1} {
		t.Run(proto.String(), func(t *testing.T) {
			login := w.Address(uint32(i+1)).String() + ".rig" + proto.String()[:3]
			c, err := cpuminer.Dial(ctx, addr, proto, login, "", smallVerifier(t))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			before := pool.Totals().Blocks
			for pool.Totals().Blocks < before+blocks {
				if _, err := c.Mine(ctx, 1); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	tot := pool.Totals()
	if tot.Blocks != 2*blocks || tot.BlocksRejected != 0 {
		t.Fatalf("totals %+v, want %d blocks, none rejected", tot, 2*blocks)
	}
	if err := n.WaitHeight(ctx, h0+2*blocks); err != nil {
		t.Fatal(err)
	}
	if h, _ := n.RPC().GetHeight(ctx); h != h0+2*blocks {
		t.Fatalf("node height %d, want %d", h, h0+2*blocks)
	}
	ws := pool.Workers()
	if len(ws) != 2 {
		t.Fatalf("workers %+v", ws)
	}
	for _, s := range ws {
		if s.Blocks != blocks || s.Accepted < blocks || s.Hashrate <= 0 || s.Invalid != 0 {
			t.Errorf("worker %+v", s)
		}
	}
}

// pollOnly hides the node's push, so that the pool learns of blocks only when it polls.
type pollOnly struct{ stratum.Node }

// TestStaleInvalidAndBlockRefused: on a real node, a share for work the node moved past
// is stale; a bad mix digest is invalid; a block-meeting share the pool has not yet seen
// go stale is submitted, refused by the node and counted as a rejected block, and the
// pool then has new work.
func TestStaleInvalidAndBlockRefused(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	n := startNode(t, ctx)
	w, err := devnet.NewWallet(n, "")
	if err != nil {
		t.Fatal(err)
	}
	login := w.Address(1).String() + ".rig1"
	for _, proto := range []cpuminer.Protocol{cpuminer.Proxy, cpuminer.ES1} {
		t.Run(proto.String(), func(t *testing.T) {
			// Push on: the pool hears of the external block at once.
			pool, addr := serve(t, stratum.Config{Node: n.RPC(), Params: n.Params(), Poll: time.Hour})
			c, err := cpuminer.Dial(ctx, addr, proto, login, "", smallVerifier(t))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			old := c.Work()
			sol, err := c.Find(ctx, old, 0)
			if err != nil {
				t.Fatal(err)
			}
			bad := sol
			bad.Mix[0] ^= 1
			if proto == cpuminer.Proxy { // EthereumStratum sends no mix
				if err := c.Submit(ctx, bad); code(err) != stratum.CodeLowDifficulty {
					t.Fatalf("bad mix: %v, want code %d", err, stratum.CodeLowDifficulty)
				}
			}
			if _, err := n.Mine(ctx, 1); err != nil { // another miner's block
				t.Fatal(err)
			}
			if _, err := c.WaitWork(ctx, old.Seq); err != nil {
				t.Fatal(err)
			}
			if err := c.Submit(ctx, sol); code(err) != stratum.CodeStale {
				t.Fatalf("share of old work: %v, want code %d", err, stratum.CodeStale)
			}
			tot := pool.Totals()
			wantInvalid := uint64(0)
			if proto == cpuminer.Proxy {
				wantInvalid = 1
			}
			if tot.Stale != 1 || tot.Invalid != wantInvalid || tot.Accepted != 0 || tot.Blocks != 0 {
				t.Fatalf("totals %+v", tot)
			}
		})
	}
	t.Run("block refused", func(t *testing.T) {
		pool, addr := serve(t, stratum.Config{Node: pollOnly{n.RPC()}, Params: n.Params(), Poll: time.Hour})
		c, err := cpuminer.Dial(ctx, addr, cpuminer.Proxy, login, "", smallVerifier(t))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		old := c.Work()
		sol, err := c.Find(ctx, old, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := n.Mine(ctx, 1); err != nil {
			t.Fatal(err)
		}
		// The pool has not polled: the share is valid for the work it knows, a block to it,
		// and the node refuses it.
		if err := c.Submit(ctx, sol); err != nil {
			t.Fatal(err)
		}
		if tot := pool.Totals(); tot.Accepted != 1 || tot.Blocks != 0 || tot.BlocksRejected != 1 {
			t.Fatalf("totals %+v", tot)
		}
		// The refusal made the pool ask for work again: the old job is gone.
		if j := pool.CurrentJob(); j == nil || j.SealHash == old.SealHash {
			t.Fatalf("job after the refusal: %+v", j)
		}
		if err := c.Submit(ctx, Solution(sol, 1)); code(err) != stratum.CodeStale {
			t.Fatalf("old work after the refusal: %v", err)
		}
	})
}

// Solution is s with another nonce.
func Solution(s cpuminer.Solution, add uint64) cpuminer.Solution {
	s.Nonce += add
	return s
}

// TestBanFlood: a miner sending invalid shares is banned after BanInvalid of them: its
// connection is closed, its IP and its address refused, and other IPs' miners unaffected
// (here: a login of the banned address from a new connection is refused).
func TestBanFlood(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	n := startNode(t, ctx)
	w, err := devnet.NewWallet(n, "")
	if err != nil {
		t.Fatal(err)
	}
	const limit = 5
	pool, addr := serve(t, stratum.Config{Node: n.RPC(), Params: n.Params(), BanInvalid: limit, BanWindow: time.Hour})
	c, err := cpuminer.Dial(ctx, addr, cpuminer.Proxy, w.Address(2).String()+".flood", "", smallVerifier(t))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sol, err := c.Find(ctx, c.Work(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range limit {
		bad := Solution(sol, uint64(i))
		bad.Mix[31] ^= 0x80
		err := c.Submit(ctx, bad)
		if i < limit-1 && code(err) != stratum.CodeLowDifficulty {
			t.Fatalf("invalid share %d: %v", i, err)
		}
	}
	select {
	case <-c.Done():
	case <-ctx.Done():
		t.Fatal("the flooding miner was not disconnected")
	}
	if !pool.Banned("127.0.0.1") || !pool.Banned(w.Address(2).String()) {
		t.Fatal("IP or address not banned")
	}
	if tot := pool.Totals(); tot.Invalid != limit {
		t.Fatalf("totals %+v", tot)
	}
	// A new connection from the banned IP is closed at once.
	if c2, err := cpuminer.Dial(ctx, addr, cpuminer.ES1, w.Address(3).String(), "", smallVerifier(t)); err == nil {
		c2.Close()
		t.Fatal("a banned IP logged in again")
	}
}

// TestNodeRestart: the node crashes (SIGKILL) and comes back on the same datadir; the pool
// keeps its miners, takes work from the restarted node and its blocks land on the chain.
func TestNodeRestart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	n := startNode(t, ctx)
	w, err := devnet.NewWallet(n, "")
	if err != nil {
		t.Fatal(err)
	}
	pool, addr := serve(t, stratum.Config{Node: n.RPC(), Params: n.Params(), Poll: 50 * time.Millisecond})
	c, err := cpuminer.Dial(ctx, addr, cpuminer.ES1, w.Address(1).String()+".r", "", smallVerifier(t))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	mine := func(blocks uint64) {
		t.Helper()
		before := pool.Totals().Blocks
		for pool.Totals().Blocks < before+blocks {
			if _, err := c.Mine(ctx, 1); err != nil {
				t.Fatal(err)
			}
		}
	}
	mine(2)
	if err := n.Kill(); err != nil {
		t.Fatal(err)
	}
	if err := n.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	mine(2)
	tot := pool.Totals()
	h, err := n.RPC().GetHeight(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if h != tot.Blocks {
		t.Fatalf("node height %d, pool blocks %d (totals %+v)", h, tot.Blocks, tot)
	}
}

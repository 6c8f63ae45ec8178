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
func serve(t *testing.T, cfg stratum.Config) (*stratum.Server, string) {
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

func smallVerifier(t *testing.T) *ethash.Verifier {
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

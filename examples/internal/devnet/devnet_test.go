package devnet_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/examples/internal/devnet"
	"github.com/mvsgo/mvs/rpcclient"
)

var (
	buildOnce sync.Once
	binDir    string
	bin       string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// mvsgod builds the node once per test binary.
func mvsgod(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if binDir, buildErr = os.MkdirTemp("", "devnet-bin"); buildErr != nil {
			return
		}
		bin, buildErr = devnet.Build(context.Background(), binDir)
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return bin
}

func start(t *testing.T, ctx context.Context, name string, peers ...string) *devnet.Node {
	t.Helper()
	n, err := devnet.Start(ctx, devnet.Config{Bin: mvsgod(t), Dir: filepath.Join(t.TempDir(), name), Peers: peers})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Stop() })
	return n
}

// TestPopulate: every kind of transaction lands on a node's chain, its node answers for
// each, and the chain survives a SIGKILL and a restart.
func TestPopulate(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	n := start(t, ctx, "a")
	k, err := devnet.Populate(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	if len(k.Txs) != 16 || len(k.Order) != 16 {
		t.Fatalf("%d kinds, want 16: %v", len(k.Txs), k.Order)
	}
	c := n.RPC()
	if d, err := c.GetDID(ctx, "bob"); err != nil || len(d) == 0 || d[0].Address != k.Carol.String() {
		t.Fatalf("bob's DID after its transfer: %+v %v (want at %s)", d, err, k.Carol)
	}
	if a, err := c.GetAsset(ctx, k.Asset); err != nil || len(a) != 2 { // the issue and the secondary issue
		t.Fatalf("asset %s: %+v %v", k.Asset, a, err)
	}
	if m, err := c.GetMIT(ctx, k.MIT); err != nil || m.Address != k.Bob.String() {
		t.Fatalf("MIT %s: %+v %v", k.MIT, m, err)
	}
	top, _ := c.GetHeight(ctx)
	tip, _ := c.GetBestBlockHash(ctx)

	// A crash and a restart keep the chain.
	if err := n.Kill(); err != nil {
		t.Fatal(err)
	}
	if err := n.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	if got, err := n.RPC().GetBestBlockHash(ctx); err != nil || got != tip {
		t.Fatalf("after SIGKILL and restart: tip %v %v, want %v", got, err, tip)
	}
	if _, err := n.Mine(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if err := n.WaitHeight(ctx, top+1); err != nil {
		t.Fatal(err)
	}
}

// TestWalletFollowsReorg: two nodes mine apart; when they meet, the shorter branch is
// replaced and a wallet that followed it reads the winner's coins, not the loser's.
func TestWalletFollowsReorg(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	a, b := start(t, ctx, "a"), start(t, ctx, "b")
	if _, err := a.Mine(ctx, 3); err != nil {
		t.Fatal(err)
	}
	w, err := devnet.NewWallet(a, "")
	if err != nil {
		t.Fatal(err)
	}
	payee := w.Address(9)
	if _, err := w.Pay(ctx, payee, 2*mvs.SatoshiPerETP); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Mine(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if coins, err := w.Coins(ctx, payee); err != nil || len(coins) != 1 {
		t.Fatalf("payee's coins on a: %v %v", coins, err)
	}
	// b's branch is longer and has no payment; a meets it.
	if _, err := b.Mine(ctx, 6); err != nil {
		t.Fatal(err)
	}
	bTip, _ := b.RPC().GetBestBlockHash(ctx)
	if err := a.Connect(ctx, b.P2PAddr()); err != nil {
		t.Fatal(err)
	}
	for {
		got, err := a.RPC().GetBestBlockHash(ctx)
		if err == nil && got == bTip {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("a never took b's branch (at %v %v)", got, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
	// The payment's inputs are gone with a's branch; the wallet no longer counts it.
	coins, err := w.Coins(ctx, payee)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range coins {
		if h, err := a.RPC().GetBlockHeader(ctx, rpcclient.ByHeight(uint64(c.Height))); err != nil || h.Hash == (mvs.Hash{}) {
			t.Fatalf("coin %v at height %d not on a's chain: %v", c.OutPoint, c.Height, err)
		}
	}
	if len(coins) != 0 {
		t.Fatalf("payee still has %d coins after the reorg removed its payment", len(coins))
	}
}

func TestStartRefusals(t *testing.T) {
	ctx := context.Background()
	for _, c := range []devnet.Config{{}, {Bin: "x"}, {Dir: "y"}} {
		if _, err := devnet.Start(ctx, c); err == nil {
			t.Errorf("%+v: started", c)
		}
	}
	if _, err := devnet.Start(ctx, devnet.Config{Bin: mvsgod(t), Dir: t.TempDir(), Args: []string{"--no-such-flag"}}); err == nil {
		t.Error("a bad flag: started")
	}
}

// TestMineFasterThanTheClock: blocks mined back to back (their timestamps a second apart
// at least) never run so far ahead of the clock that the node refuses them.
func TestMineFasterThanTheClock(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the clock")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	n := start(t, ctx, "a")
	// Beyond the 24 s the node allows ahead.
	if _, err := n.Mine(ctx, 30); err != nil {
		t.Fatal(err)
	}
}

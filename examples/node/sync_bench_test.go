package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/chain/regtest"
	"github.com/mvsgo/mvs/examples/node/p2p"
	"github.com/mvsgo/mvs/internal/procstat"
)

// syncLong runs TestSyncRate on a 20,000-block chain (minutes, not for CI).
var syncLong = flag.Bool("node.long", false, "run TestSyncRate on 20,000 blocks")

// TestSyncRate: a RegTest chain of blocks of 10 P2PKH spends each is imported locally by one
// node (Chain.BeginImport, every script checked) and then synced over loopback by a second
// node from the first; the log gives both rates and their ratio (the goal: network
// sync at least 80% of local import). 300 blocks in the normal tests, 20,000 with
// -node.long:
//
//	go test ./examples/node -run TestSyncRate -node.long -v -timeout 1h
func TestSyncRate(t *testing.T) {
	blocks := 300
	if *syncLong {
		blocks = 20_000
	}
	blks := regtest.New(t).MineSpends(blocks, 10)
	txs := 0
	for _, b := range blks {
		txs += len(b.Transactions)
	}
	src := testNodeWith(t, func(c *NodeConfig) { c.CacheMiB = 64 })
	start := time.Now()
	if err := src.chain.BeginImport(); err != nil {
		t.Fatal(err)
	}
	for _, b := range blks {
		if res, err := src.chain.ProcessBlock(context.Background(), b, nil); err != nil || res.Verdict != chain.MainChain {
			t.Fatalf("import of block %d: %v %v", b.Header.Height, res.Verdict, err)
		}
	}
	if err := src.chain.EndImport(); err != nil {
		t.Fatal(err)
	}
	imported := time.Since(start)

	start = time.Now()
	dst := testNodeWith(t, func(c *NodeConfig) {
		c.CacheMiB = 64
		c.Peers = []string{src.srv.Addr().String()}
		c.P2P = func(pc *p2p.Config) { pc.MaxLifetime = -1; pc.NoListen = true }
	})
	eventually(t, "the sync", func() bool { return dst.height() == uint32(len(blks)) })
	synced := time.Since(start)
	if dst.st.Check() != nil {
		t.Fatal("the synced store fails Check")
	}
	want, _ := src.st.Digest()
	if got, _ := dst.st.Digest(); got != want {
		t.Fatal("the synced store differs from the source's")
	}
	ir := float64(len(blks)) / imported.Seconds()
	sr := float64(len(blks)) / synced.Seconds()
	t.Logf("%d blocks, %d transactions: local import %.2f s (%.0f blocks/s), sync over loopback %.2f s (%.0f blocks/s): %.0f%% of import",
		len(blks), txs, imported.Seconds(), ir, synced.Seconds(), sr, 100*sr/ir)
	if !*syncLong {
		return
	}
	// The same sync by mvsgod in a child process, for its memory: anonymous RSS sampled.
	start = time.Now()
	cmd, lines := childNode(t, filepath.Join(t.TempDir(), "child"), src.srv.Addr().String(), "--cache-mib", "64")
	var peak int64
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	wantLine := fmt.Sprintf("height=%d", len(blks))
	for done := false; !done; {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("the child node stopped")
			}
			done = strings.Contains(l, "initial sync done") && strings.Contains(l, wantLine)
		case <-tick.C:
			if n, ok := procstat.Bytes(cmd.Process.Pid, "RssAnon"); ok {
				peak = max(peak, n)
			}
		case <-time.After(10 * time.Minute):
			t.Fatal("the child node did not finish the sync")
		}
	}
	childTime := time.Since(start)
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	t.Logf("mvsgod in a child process: %.2f s (%.0f blocks/s), peak anonymous RSS %d MiB with --cache-mib 64",
		childTime.Seconds(), float64(len(blks))/childTime.Seconds(), peak>>20)
}

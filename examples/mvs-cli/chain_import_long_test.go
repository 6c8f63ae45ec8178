package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/mvsgo/mvs/chain/regtest"
	"github.com/mvsgo/mvs/internal/procstat"
)

// cliLong runs TestChainImportLong, the 20,000-block import in a child process (minutes).
var cliLong = flag.Bool("cli.long", false, "run the 20,000-block chain import (TestChainImportLong)")

// importRun is what one child import measured.
type importRun struct {
	blocks, txs int
	seconds     float64
	storeBytes  int64
	maxRSS      int64 // bytes: the child's peak resident set (getrusage), file pages included
	maxAnon     int64 // bytes: the child's peak anonymous resident memory (sampled)
	cacheMiB    int
}

// importInChild writes a MineSpends chain as a binary file and imports it with `mvs-cli
// chain import --cache-mib cacheMiB --assume-valid` (the block 90% of the way up) in a
// child process, so the peak RSS is the import's alone.
func importInChild(t *testing.T, blocks, perBlock, cacheMiB int) importRun {
	t.Helper()
	blks := regtest.New(t).MineSpends(blocks, perBlock)
	var bin bytes.Buffer
	r := importRun{blocks: len(blks), cacheMiB: cacheMiB}
	for _, b := range blks {
		bin.Write(b.Bytes())
		r.txs += len(b.Transactions)
	}
	file := filepath.Join(t.TempDir(), "blocks.bin")
	if err := os.WriteFile(file, bin.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	bin = bytes.Buffer{}
	av := blks[len(blks)*9/10-1].Hash().String()
	dir := t.TempDir()
	cmd := cliChild(t, chainArgs("import", dir, "--cache-mib", strconv.Itoa(cacheMiB), "--assume-valid", av, file)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	sampled := make(chan int64)
	go func() { sampled <- sampleAnon(cmd.Process.Pid, done) }()
	err := cmd.Wait()
	close(done)
	r.maxAnon = <-sampled
	if err != nil {
		t.Fatalf("import: %v\n%s", err, stderr.String())
	}
	r.seconds = time.Since(start).Seconds()
	var sum importSummary
	if err := json.Unmarshal(stdout.Bytes(), &sum); err != nil || sum.Imported != len(blks) || sum.TipHash != blks[len(blks)-1].Hash().String() {
		t.Fatalf("summary %s (%v)", stdout.String(), err)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.maxRSS = ru.Maxrss << 10 // kB on Linux
	}
	fi, err := os.Stat(filepath.Join(dir, storeFile))
	if err != nil {
		t.Fatal(err)
	}
	r.storeBytes = fi.Size()
	return r
}

// sampleAnon polls /proc/PID/status every 20 ms until done and returns the largest RssAnon
// seen: the importer's own memory (heap, stacks). The store file's pages, which bbolt maps
// and the kernel may drop at any time, are RssFile, and count in getrusage's peak only.
func sampleAnon(pid int, done <-chan struct{}) int64 {
	var peak int64
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if n, ok := procstat.Bytes(pid, "RssAnon"); ok {
			peak = max(peak, n)
		}
		select {
		case <-done:
			return peak
		case <-tick.C:
		}
	}
}

// rssMargin is what the import may hold beyond its batch cap, in anonymous memory: the
// runtime, the Ethash verifier, the chain's in-memory caches (side and orphan pools are
// empty in an in-order import), one file buffer, and bbolt's dirty pages while a batch
// commits.
const rssMargin = 192 << 20

func (r importRun) check(t *testing.T) {
	t.Helper()
	t.Logf("imported %d blocks, %d transactions in %.2f s: %.0f blocks/s, %.0f tx/s; store %d bytes, %.0f bytes/tx; peak anonymous RSS %d MiB, peak RSS %d MiB (the mapped store file's pages included) with --cache-mib %d",
		r.blocks, r.txs, r.seconds, float64(r.blocks)/r.seconds, float64(r.txs)/r.seconds, r.storeBytes,
		float64(r.storeBytes)/float64(r.txs), r.maxAnon>>20, r.maxRSS>>20, r.cacheMiB)
	if r.maxAnon == 0 {
		t.Log("no /proc: the anonymous memory was not sampled")
	}
	if r.maxAnon > int64(r.cacheMiB)<<20+rssMargin {
		t.Fatalf("peak anonymous RSS %d MiB passes the cache cap %d MiB plus the %d MiB margin", r.maxAnon>>20, r.cacheMiB, rssMargin>>20)
	}
}

// TestChainImportMemory is TestChainImportLong's code path at 300 blocks of 5 spends.
func TestChainImportMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the import in a child process")
	}
	importInChild(t, 300, 5, 1).check(t)
}

// TestChainImportLong imports a generated 20,000-block RegTest chain of about 200,000
// transactions with a 64 MiB batch cap, scripts checked above an assumed-valid block, and
// checks that the importer's peak RSS stays within the cap plus rssMargin:
//
//	go test ./examples/mvs-cli -run TestChainImportLong -cli.long -v -timeout 1h
func TestChainImportLong(t *testing.T) {
	if !*cliLong {
		t.Skip("-cli.long not set")
	}
	importInChild(t, longBlocks(), 10, 64).check(t)
}

// longBlocks is TestChainImportLong's chain length: 20,000, or MVS_CLI_LONG_BLOCKS.
func longBlocks() int {
	if n, err := strconv.Atoi(os.Getenv("MVS_CLI_LONG_BLOCKS")); err == nil && n > 0 {
		return n
	}
	return 20_000
}

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
)

// cliLong runs TestChainImportLong, the 20,000-block import in a child process (minutes).
var cliLong = flag.Bool("cli.long", false, "run the 20,000-block chain import (TestChainImportLong)")

// importRun is what one child import measured.
type importRun struct {
	blocks, txs int
	seconds     float64
	storeBytes  int64
	maxRSS      int64 // bytes: the child's peak resident set (getrusage)
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
	if err := cmd.Run(); err != nil {
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

// rssMargin is what the import may hold beyond its batch cap: the runtime, the Ethash
// verifier, bbolt's pages in use, the chain's in-memory caches (side and orphan pools are
// empty in an in-order import) and one file buffer.
const rssMargin = 192 << 20

func (r importRun) check(t *testing.T) {
	t.Helper()
	t.Logf("imported %d blocks, %d transactions in %.2f s: %.0f blocks/s, %.0f tx/s; store %d bytes, %.0f bytes/tx; peak RSS %d MiB with --cache-mib %d",
		r.blocks, r.txs, r.seconds, float64(r.blocks)/r.seconds, float64(r.txs)/r.seconds, r.storeBytes,
		float64(r.storeBytes)/float64(r.txs), r.maxRSS>>20, r.cacheMiB)
	if r.maxRSS > int64(r.cacheMiB)<<20+rssMargin {
		t.Fatalf("peak RSS %d MiB passes the cache cap %d MiB plus the %d MiB margin", r.maxRSS>>20, r.cacheMiB, rssMargin>>20)
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
	importInChild(t, 20_000, 10, 64).check(t)
}

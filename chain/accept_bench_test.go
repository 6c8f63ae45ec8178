package chain_test

import (
	"context"
	"flag"
	"testing"
	"time"

	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/chain/regtest"
	"github.com/mvsgo/mvs/internal/procstat"
)

// chainLong runs TestAcceptImportLong, the 20,000-block import (minutes, not for CI).
var chainLong = flag.Bool("chain.long", false, "run the 20,000-block RegTest import (TestAcceptImportLong)")

// BenchmarkConnectBlock: RegTest blocks of 2,000 one-input P2PKH spends, each spending an
// output of the block before, judged and connected through ProcessBlock (rules, scripts
// over GOMAXPROCS workers, a store on disk without fsync; benchSpendBlocks). Building,
// signing and sealing the next block is not timed. Run it with BenchmarkECDSAVerify
// (btcec's raw rate):
//
//	go test ./chain -run '^$' -bench 'ConnectBlock|ECDSAVerify'
func BenchmarkConnectBlock(b *testing.B) {
	const spends = 2000
	benchSpendBlocks(b, spends)
	b.ReportMetric(float64(b.N*spends)/b.Elapsed().Seconds(), "spends/s")
}

// importFigures is what an import measured.
type importFigures struct {
	blocks, txs       int
	seconds           float64
	headerSeconds     float64 // of seconds, ProcessHeaders
	storeBytes        int64   // the file's size
	peakRSS           int64   // VmHWM, bytes (the whole process: generation included)
	assumeValidHeight uint32
}

// generateChain is regtest's MineSpends on a Net of its own.
func generateChain(t testing.TB, blocks, perBlock int) []*block.Block {
	t.Helper()
	return regtest.New(t).MineSpends(blocks, perBlock)
}

// importChain imports blks into a fresh Net as a syncing node does: the headers first
// (ProcessHeaders), then the bodies in order, with AssumeValid at the block 90% of the way
// up (the scripts of the last tenth are verified).
func importChain(t testing.TB, blks []*block.Block) importFigures {
	t.Helper()
	avHeight := len(blks) * 9 / 10
	av := blks[avHeight-1].Hash()
	dst := regtest.New(t, regtest.WithChainConfig(func(c *chain.Config) { c.AssumeValid = av }))
	f := importFigures{blocks: len(blks), assumeValidHeight: uint32(avHeight)}
	start := time.Now()
	hs := make([]block.Header, len(blks))
	for i, b := range blks {
		hs[i] = b.Header
		f.txs += len(b.Transactions)
	}
	for len(hs) > 0 {
		k := min(len(hs), 2000)
		if _, err := dst.Chain().ProcessHeaders(hs[:k]); err != nil {
			t.Fatal(err)
		}
		hs = hs[k:]
	}
	f.headerSeconds = time.Since(start).Seconds()
	for _, b := range blks {
		res, err := dst.Chain().ProcessBlock(context.Background(), b, nil)
		if err != nil || res.Verdict != chain.MainChain {
			t.Fatalf("block %d: %v %v", b.Header.Height, res.Verdict, err)
		}
	}
	f.seconds = time.Since(start).Seconds()
	if dst.Tip().Hash() != blks[len(blks)-1].Hash() {
		t.Fatal("the import did not reach the last block")
	}
	st, err := dst.Store().Stats()
	if err != nil {
		t.Fatal(err)
	}
	f.storeBytes = st.FileSize
	f.peakRSS = vmHWM(t)
	return f
}

// vmHWM is the process's peak resident set (Linux /proc/self/status), 0 elsewhere.
func vmHWM(testing.TB) int64 {
	n, _ := procstat.Bytes(procstat.Self, "VmHWM")
	return n
}

func (f importFigures) log(t testing.TB) {
	t.Helper()
	t.Logf("imported %d blocks, %d transactions (assume-valid at %d) in %.2f s (headers %.2f s): %.0f blocks/s, %.0f tx/s; store %d bytes, %.0f bytes/tx; peak RSS %d MiB",
		f.blocks, f.txs, f.assumeValidHeight, f.seconds, f.headerSeconds, float64(f.blocks)/f.seconds, float64(f.txs)/f.seconds,
		f.storeBytes, float64(f.storeBytes)/float64(f.txs), f.peakRSS>>20)
}

// TestAcceptImportSmall is TestAcceptImportLong's code path at 200 blocks of 10 spends.
func TestAcceptImportSmall(t *testing.T) {
	f := importChain(t, generateChain(t, 200, 10))
	if f.blocks != 200 || f.txs != 200+1+189*10 { // coinbases, the split, 10 spends in blocks 12..200
		t.Fatalf("%d blocks, %d transactions", f.blocks, f.txs)
	}
	f.log(t)
}

// TestAcceptImportLong imports a generated 20,000-block RegTest chain of about 200,000
// transactions (10 spends a block) with an assumed-valid block, and logs blocks/s, tx/s,
// store bytes per transaction and the peak RSS:
//
//	go test ./chain -run TestAcceptImportLong -chain.long -v -timeout 2h
func TestAcceptImportLong(t *testing.T) {
	if !*chainLong {
		t.Skip("-chain.long not set")
	}
	start := time.Now()
	blks := generateChain(t, 20_000, 10)
	t.Logf("generated %d blocks in %.1f s", len(blks), time.Since(start).Seconds())
	importChain(t, blks).log(t)
}

package gethcompare

// The pool's share check (examples/pool/share's Checker, which the stratum server runs:
// shares batched into ethash.Verifier.VerifyBatch) against go-ethereum v1.11.6's
// consensus/ethash, which open-ethereum-pool's descendants embed, on the same shares in
// the same run. Package share needs only package ethash, so this module's go.sum serves.
//
// go-ethereum exports no bare seal check: its batch entry point is VerifyHeaders, which
// checks a run of headers on GOMAXPROCS goroutines, each a header rule pass and then a
// light hashimoto (verifySeal). It wants each header's parent to be the one before, so the
// shares here are a run of 128 headers of epoch 0, each with its own extra data and nonce;
// their seal hashes are go-ethereum's own SealHash, and
// the same (seal hash, nonce, mix digest) triples are what our Checker gets. Every header
// carries its correct mix digest, so both sides compute the whole hashimoto; at the
// headers' difficulty (about 2^20) nearly all are above the network boundary, where
// go-ethereum stops (errInvalidPoW) and our pool counts a share, and the two must agree
// on which, if any, meet it.
//
// Light mode only. go-ethereum's one exported full-DAG check is its remote sealer's
// submitWork: one share at a time on the sealer's single goroutine, and its first use also
// starts generating the next epoch's DAG in the background (a second 1 GB file, minutes
// of both cores), which would be measured as much as the check.

import (
	"context"
	"encoding/binary"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	gethash "github.com/ethereum/go-ethereum/consensus/ethash"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
	"github.com/mvsgo/mvs/ethash"
	"github.com/mvsgo/mvs/examples/pool/share"
)

// poolShares is the shares checked per op: what a busy pool's batch holds.
const poolShares = 128

// headerChain is the one parent every share's header names.
type headerChain struct {
	config *params.ChainConfig
	parent *types.Header
}

func (c *headerChain) Config() *params.ChainConfig  { return c.config }
func (c *headerChain) CurrentHeader() *types.Header { return c.parent }
func (c *headerChain) GetHeader(h common.Hash, n uint64) *types.Header {
	if n == c.parent.Number.Uint64() && h == c.parent.Hash() {
		return c.parent
	}
	return nil
}
func (c *headerChain) GetHeaderByNumber(n uint64) *types.Header {
	if n == c.parent.Number.Uint64() {
		return c.parent
	}
	return nil
}
func (c *headerChain) GetHeaderByHash(h common.Hash) *types.Header { return c.GetHeader(h, 0) }
func (c *headerChain) GetTd(common.Hash, uint64) *big.Int          { return nil }

type poolFixture struct {
	chain   *headerChain
	headers []*types.Header
	seals   []bool
	shares  []share.Share
	geth    *gethash.Ethash
	ours    *ethash.Verifier
	checker *share.Checker
	out     []share.Verdict
	seals2  []ethash.Seal // the same shares as bare seals, for the Verifier alone
	errs    []error
}

func newPoolFixture(b *testing.B) *poolFixture {
	b.Helper()
	cfg := &params.ChainConfig{ChainID: big.NewInt(1), HomesteadBlock: big.NewInt(0)} // no London, no Shanghai
	parent := &types.Header{Number: big.NewInt(0), Time: uint64(time.Now().Unix()) - 100_000,
		Difficulty: big.NewInt(1 << 20), GasLimit: 8_000_000}
	f := &poolFixture{chain: &headerChain{config: cfg, parent: parent}}
	f.geth = gethash.New(gethash.Config{PowMode: gethash.ModeNormal, CachesInMem: 2}, nil, true)
	b.Cleanup(func() { f.geth.Close() })
	f.ours = ethash.New(ethash.Config{})
	b.Cleanup(func() { f.ours.Close() })
	f.checker = share.NewChecker(f.ours)
	c, err := ethash.LoadCache("", 0, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	h := ethash.NewHasher()
	prev := parent
	for i := range poolShares {
		hd := &types.Header{ParentHash: prev.Hash(), Number: big.NewInt(int64(i) + 1), Time: prev.Time + 5,
			GasLimit: parent.GasLimit, Extra: binary.LittleEndian.AppendUint64(nil, uint64(i)*0x9e3779b97f4a7c15)}
		hd.Difficulty = gethash.CalcDifficulty(cfg, hd.Time, prev)
		nonce := uint64(i) * 7919
		seal := [32]byte(f.geth.SealHash(hd))
		mix, _ := h.Light(c.DatasetSize, c.Words(), seal, nonce)
		hd.Nonce, hd.MixDigest = types.EncodeNonce(nonce), common.Hash(mix)
		f.headers = append(f.headers, hd)
		prev = hd
		f.seals = append(f.seals, true)
		// getwork's boundary for the header's difficulty, at a share difficulty of 1.
		var boundary [32]byte
		new(big.Int).Quo(new(big.Int).Lsh(big.NewInt(1), 256), hd.Difficulty).FillBytes(boundary[:])
		j, err := share.NewJob("g", hd.Number.Uint64(), seal, ethash.SeedHash(0), boundary, 1)
		if err != nil {
			b.Fatal(err)
		}
		f.shares = append(f.shares, share.Share{Job: j, Nonce: nonce, Mix: mix, HasMix: true})
		f.seals2 = append(f.seals2, ethash.Seal{Height: hd.Number.Uint64(), SealHash: seal, Nonce: nonce, MixDigest: mix, Difficulty: big.NewInt(1)})
	}
	f.out = make([]share.Verdict, len(f.shares))
	f.errs = make([]error, len(f.seals2))
	// Warm both: each generates the epoch-0 cache on first use. Both must agree.
	gethOK := f.runGeth(b)
	oursOK := f.runOurs(b)
	if gethOK != oursOK {
		b.Fatalf("go-ethereum found %d of the shares meet the network, the pool %d", gethOK, oursOK)
	}
	return f
}

// runGeth verifies every header with go-ethereum and returns how many meet their
// difficulty; any error but errInvalidPoW (a full hashimoto, result above the target)
// fails the benchmark.
func (f *poolFixture) runGeth(b *testing.B) int {
	_, results := f.geth.VerifyHeaders(f.chain, f.headers, f.seals)
	ok := 0
	for range f.headers {
		err := <-results
		switch {
		case err == nil:
			ok++
		case err.Error() != "invalid proof-of-work":
			b.Fatalf("go-ethereum: %v", err)
		}
	}
	return ok
}

// runOurs checks every share with the pool's Checker and returns how many are blocks;
// every share must be accepted.
func (f *poolFixture) runOurs(b *testing.B) int {
	if err := f.checker.Check(context.Background(), f.shares, f.out); err != nil {
		b.Fatal(err)
	}
	blocks := 0
	for _, v := range f.out {
		if v.Err != nil {
			b.Fatalf("pool: %v", v.Err)
		}
		if v.Block {
			blocks++
		}
	}
	return blocks
}

// runVerifier checks the same shares as bare seals with ethash.Verifier.VerifyBatch: the
// Verifier's own margin, to set beside the pool's.
func (f *poolFixture) runVerifier(b *testing.B) {
	if err := f.ours.VerifyBatch(context.Background(), f.seals2, f.errs); err != nil {
		b.Fatal(err)
	}
	for _, err := range f.errs {
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPoolShareVerify runs go-ethereum, the pool's Checker, go-ethereum again and the
// bare Verifier, op by op, on the same 128 shares, and reports each one's shares a second
// and the pool's and the Verifier's ratios to go-ethereum over the run. Each of ours thus
// always runs right after go-ethereum, and go-ethereum right after one of ours: whichever
// runs second finds its 16 MB cache evicted from the CPU's caches by the other's, and this
// order gives every side that handicap every time (a rotation of the three made the pool
// follow go-ethereum twice as often as the Verifier).
func BenchmarkPoolShareVerify(b *testing.B) {
	f := newPoolFixture(b)
	var tGeth, tPool, tVerifier time.Duration
	timed := func(d *time.Duration, run func(*testing.B)) {
		t := time.Now()
		run(b)
		*d += time.Since(t)
	}
	b.ReportAllocs()
	for b.Loop() {
		timed(&tGeth, f.runGethCount)
		timed(&tPool, f.runOursCount)
		timed(&tGeth, f.runGethCount)
		timed(&tVerifier, f.runVerifier)
	}
	n := float64(b.N * poolShares)
	b.ReportMetric(2*n/tGeth.Seconds(), "geth-shares/s")
	b.ReportMetric(n/tPool.Seconds(), "pool-shares/s")
	b.ReportMetric(n/tVerifier.Seconds(), "verifier-shares/s")
	b.ReportMetric(tGeth.Seconds()/2/tPool.Seconds(), "pool/geth")
	b.ReportMetric(tGeth.Seconds()/2/tVerifier.Seconds(), "verifier/geth")
}

func (f *poolFixture) runGethCount(b *testing.B) { f.runGeth(b) }
func (f *poolFixture) runOursCount(b *testing.B) { f.runOurs(b) }

// BenchmarkPoolShareVerifyGeth and BenchmarkPoolShareVerifyMVS time each side alone.
func BenchmarkPoolShareVerifyGeth(b *testing.B) {
	f := newPoolFixture(b)
	b.ReportAllocs()
	for b.Loop() {
		f.runGeth(b)
	}
	b.ReportMetric(float64(b.N*poolShares)/b.Elapsed().Seconds(), "shares/s")
}

func BenchmarkPoolShareVerifyMVS(b *testing.B) {
	f := newPoolFixture(b)
	b.ReportAllocs()
	for b.Loop() {
		f.runOurs(b)
	}
	b.ReportMetric(float64(b.N*poolShares)/b.Elapsed().Seconds(), "shares/s")
}

//go:build cethash

package cethash

import (
	"bytes"
	"context"
	"encoding/binary"
	"math/big"
	"testing"
	"time"

	"github.com/mvsgo/mvs/ethash"
)

type pair struct {
	ctx *Context
	c   *ethash.Cache
	h   *ethash.Hasher
}

func setup(b *testing.B) *pair {
	b.Helper()
	ctx, err := NewContext(0)
	if err != nil {
		b.Fatal(err)
	}
	c, err := ethash.LoadCache("", 0, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ctx.Close(); c.Close() })
	return &pair{ctx: ctx, c: c, h: ethash.NewHasher()}
}

// run alternates the two implementations op by op on the same inputs (input(i) gives op
// i's header hash and nonce), checks that they agree, and reports each one's mean time.
func run(b *testing.B, input func(i uint64) ([32]byte, uint64)) {
	p := setup(b)
	var tc, tg time.Duration
	i := uint64(0)
	for b.Loop() {
		hh, nonce := input(i)
		t0 := time.Now()
		want := p.ctx.Hash(hh, nonce)
		t1 := time.Now()
		got, _ := p.h.Light(p.c.DatasetSize, p.c.Words(), hh, nonce)
		t2 := time.Now()
		tc += t1.Sub(t0)
		tg += t2.Sub(t1)
		if !bytes.Equal(got[:], want[:]) {
			b.Fatalf("op %d: mix %x, chfast/ethash %x", i, got, want)
		}
		i++
	}
	n := float64(b.N)
	b.ReportMetric(float64(tc.Microseconds())/n, "cpp-µs/op")
	b.ReportMetric(float64(tg.Microseconds())/n, "mvs-µs/op")
	b.ReportMetric(float64(tc)/float64(tg), "cpp/mvs")
}

func BenchmarkLightFixed(b *testing.B) {
	run(b, func(uint64) ([32]byte, uint64) { return [32]byte{}, 0 })
}

// Two different inputs per op pair would favour neither; each op uses a new one for both.
func BenchmarkLightVarying(b *testing.B) {
	run(b, func(i uint64) ([32]byte, uint64) {
		var hh [32]byte
		binary.LittleEndian.PutUint64(hh[:], i)
		return hh, i * 7919
	})
}

// BenchmarkCacheGeneration builds the epoch-0 cache with each in turn: the C++ context
// (its cache plus a 16 KiB ProgPoW table) and our LoadCache into huge-page memory.
func BenchmarkCacheGeneration(b *testing.B) {
	var tc, tg time.Duration
	for b.Loop() {
		t0 := time.Now()
		ctx, err := NewContext(0)
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		c, err := ethash.LoadCache("", 0, nil, nil)
		if err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		ctx.Close()
		c.Close()
		tc += t1.Sub(t0)
		tg += t2.Sub(t1)
	}
	n := float64(b.N)
	b.ReportMetric(float64(tc.Milliseconds())/n, "cpp-ms/op")
	b.ReportMetric(float64(tg.Milliseconds())/n, "mvs-ms/op")
	b.ReportMetric(float64(tc)/float64(tg), "cpp/mvs")
}

// BenchmarkVerifyBatch compares per-core throughput on the same new seals (epoch 0, a new
// seal hash and nonce for each): chfast/ethash's ethash::hash one seal at a time, our
// Verify one at a time, and our VerifyBatch on all of them. Run with -cpu 1. The C++ mixes
// become the seals' mix digests, so every op also checks that all 64 pass in the batch.
func BenchmarkVerifyBatch(b *testing.B) {
	p := setup(b)
	v := ethash.New(ethash.Config{})
	defer v.Close()
	if _, _, err := v.Hash(1, [32]byte{}, 0); err != nil {
		b.Fatal(err)
	}
	const n = 64
	seals := make([]ethash.Seal, n)
	errs := make([]error, n)
	d := big.NewInt(1)
	var tc, ts, tb time.Duration
	next := uint64(0)
	for b.Loop() {
		t0 := time.Now()
		for i := range seals {
			s := &seals[i]
			*s = ethash.Seal{Height: 1, Nonce: next * 7919, Difficulty: d}
			binary.LittleEndian.PutUint64(s.SealHash[:], next)
			next++
			s.MixDigest = p.ctx.Hash(s.SealHash, s.Nonce)
		}
		t1 := time.Now()
		for i := range seals {
			s := &seals[i]
			errs[i] = v.Verify(s.Height, s.SealHash, s.Nonce, s.MixDigest, s.Difficulty)
		}
		t2 := time.Now()
		if err := v.VerifyBatch(context.Background(), seals, errs); err != nil {
			b.Fatal(err)
		}
		t3 := time.Now()
		for i, err := range errs {
			if err != nil {
				b.Fatalf("seal %d: chfast/ethash's mix rejected: %v", i, err)
			}
		}
		tc, ts, tb = tc+t1.Sub(t0), ts+t2.Sub(t1), tb+t3.Sub(t2)
	}
	hashes := float64(b.N * n)
	b.ReportMetric(hashes/tc.Seconds(), "cpp-hashes/s")
	b.ReportMetric(hashes/ts.Seconds(), "single-hashes/s")
	b.ReportMetric(hashes/tb.Seconds(), "batch-hashes/s")
	b.ReportMetric(tc.Seconds()/tb.Seconds(), "batch/cpp")
	b.ReportMetric(ts.Seconds()/tb.Seconds(), "batch/single")
}

package share_test

import (
	"context"
	"encoding/binary"
	"math/big"
	"testing"
	"time"

	"github.com/mvsgo/mvs/ethash"
	"github.com/mvsgo/mvs/examples/pool/share"
)

// benchShares makes n valid shares of n jobs at height 1 (epoch 0, real sizes), each
// with its own seal hash and nonce as miners' shares have, at share difficulty 1 and a
// network difficulty no share meets: each is one hashimoto and an accepted share.
func benchShares(b *testing.B, n int) []share.Share {
	b.Helper()
	c, err := ethash.LoadCache("", 0, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	h := ethash.NewHasher()
	var boundary [32]byte
	boundary[4] = 1 // network difficulty 2^216
	shares := make([]share.Share, n)
	for i := range shares {
		var seal [32]byte
		binary.LittleEndian.PutUint64(seal[:], uint64(i)*0x9e3779b97f4a7c15)
		j, err := share.NewJob("b", 1, seal, ethash.SeedHash(0), boundary, 1)
		if err != nil {
			b.Fatal(err)
		}
		nonce := uint64(i) * 7919
		mix, _ := h.Light(c.DatasetSize, c.Words(), seal, nonce)
		shares[i] = share.Share{Job: j, Nonce: nonce, Mix: mix, HasMix: true}
	}
	return shares
}

// BenchmarkShareVerify is the pool's share check: 256 eth-proxy shares (with mix digests),
// light mode, epoch 0 at real sizes; "batch" checks all that arrived together in one
// Check (what the server does), "single" one at a time. shares/s is per wall-clock second
// over GOMAXPROCS cores.
func BenchmarkShareVerify(b *testing.B) {
	shares := benchShares(b, 256)
	v := ethash.New(ethash.Config{})
	defer v.Close()
	ctx := context.Background()
	out := make([]share.Verdict, len(shares))
	ch := share.NewChecker(v)
	if err := ch.Check(ctx, shares[:1], out[:1]); err != nil || out[0].Err != nil { // the cache, once
		b.Fatal(err, out[0].Err)
	}
	b.Run("batch", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := ch.Check(ctx, shares, out); err != nil {
				b.Fatal(err)
			}
		}
		for _, o := range out {
			if o.Err != nil || o.Block {
				b.Fatalf("verdict %+v", o)
			}
		}
		b.ReportMetric(float64(b.N*len(shares))/b.Elapsed().Seconds(), "shares/s")
	})
	b.Run("single", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for i := range shares {
				if err := ch.Check(ctx, shares[i:i+1], out[i:i+1]); err != nil || out[i].Err != nil {
					b.Fatal(err, out[i].Err)
				}
			}
		}
		b.ReportMetric(float64(b.N*len(shares))/b.Elapsed().Seconds(), "shares/s")
	})
}

// BenchmarkCheckerOverhead alternates the Checker and a bare ethash.Verifier.VerifyBatch
// on the same 128 shares (the verifier's seals at difficulty 1, so that all pass), op by
// op, and reports the Checker's rate as a fraction of the Verifier's: what the pool's
// bookkeeping costs on top of the hashing.
func BenchmarkCheckerOverhead(b *testing.B) {
	shares := benchShares(b, 128)
	v := ethash.New(ethash.Config{})
	defer v.Close()
	ctx := context.Background()
	ch := share.NewChecker(v)
	out := make([]share.Verdict, len(shares))
	seals := make([]ethash.Seal, len(shares))
	for i, s := range shares {
		seals[i] = ethash.Seal{Height: s.Job.Height, SealHash: s.Job.SealHash, Nonce: s.Nonce, MixDigest: s.Mix, Difficulty: big.NewInt(1)}
	}
	errs := make([]error, len(seals))
	if err := v.VerifyBatch(ctx, seals, errs); err != nil { // the cache, once, untimed
		b.Fatal(err)
	}
	var tChecker, tVerifier time.Duration
	op := 0
	for b.Loop() {
		for k := range 2 {
			t := time.Now()
			if (op+k)%2 == 0 {
				if err := ch.Check(ctx, shares, out); err != nil {
					b.Fatal(err)
				}
				tChecker += time.Since(t)
			} else {
				if err := v.VerifyBatch(ctx, seals, errs); err != nil {
					b.Fatal(err)
				}
				tVerifier += time.Since(t)
			}
		}
		op++
	}
	b.ReportMetric(tVerifier.Seconds()/tChecker.Seconds(), "checker/verifier")
}

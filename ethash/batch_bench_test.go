package ethash_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/big"
	"testing"

	"github.com/mvsgo/mvs/ethash"
)

// BenchmarkVerifyBatch: light verification of 256 valid seals, each with its own seal hash
// and nonce (what a pool or a syncing node sees), through VerifyBatch and through Verify one
// by one, at epoch 0 (a 16 MB cache) and epoch 400 (67 MB). Run with -cpu 1 for the rate
// per core: hashes/s is seals checked per second. The same 256 seals every op; repeating
// them warms nothing, since a hash's 32,768 reads land anywhere in the cache.
func BenchmarkVerifyBatch(b *testing.B) {
	for _, epoch := range []uint64{0, 400} {
		v := ethash.New(ethash.Config{})
		height := epoch*ethash.EpochLength + 1
		const n = 256
		seals := make([]ethash.Seal, n)
		errs := make([]error, n)
		d := big.NewInt(1)
		for i := range seals {
			s := &seals[i]
			*s = ethash.Seal{Height: height, Nonce: uint64(i) * 7919, Difficulty: d}
			binary.LittleEndian.PutUint64(s.SealHash[:], uint64(i))
			var err error
			if s.MixDigest, _, err = v.Hash(height, s.SealHash, s.Nonce); err != nil {
				b.Fatal(err)
			}
		}
		check := func(b *testing.B) {
			for i, err := range errs {
				if err != nil {
					b.Fatalf("seal %d: %v", i, err)
				}
			}
		}
		b.Run(fmt.Sprintf("epoch=%d/batch", epoch), func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := ethash.CPUSeconds()
			for b.Loop() {
				if err := v.VerifyBatch(context.Background(), seals, errs); err != nil {
					b.Fatal(err)
				}
			}
			check(b)
			b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "hashes/s")
			ethash.ReportCPURate(b, cpu0, float64(b.N*n))
		})
		b.Run(fmt.Sprintf("epoch=%d/single", epoch), func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := ethash.CPUSeconds()
			for b.Loop() {
				for i := range seals {
					s := &seals[i]
					errs[i] = v.Verify(s.Height, s.SealHash, s.Nonce, s.MixDigest, s.Difficulty)
				}
			}
			check(b)
			b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "hashes/s")
			ethash.ReportCPURate(b, cpu0, float64(b.N*n))
		})
		v.Close()
	}
}

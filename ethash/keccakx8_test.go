package ethash

import (
	"math/rand/v2"
	"testing"
)

// The 8-way Keccak-512 of items (AVX-512 where the CPU has it) must equal x/crypto's
// legacy Keccak-512, item by item, for every count of items including partial groups.
func TestKeccak512ItemsMatchesXCrypto(t *testing.T) {
	if !hasKeccakX8 {
		t.Log("no AVX-512 here: keccak512Items is x/crypto's Keccak")
	}
	rng := rand.New(rand.NewPCG(13, 14))
	ih := itemHasher{h: newKeccak512()}
	var ks keccakLanes
	for n := 1; n <= maxItems; n++ {
		var mixes [maxItems][hashWords]uint32
		for w := range mixes {
			for x := range mixes[w] {
				mixes[w][x] = rng.Uint32()
			}
		}
		want := mixes
		for w := 0; w < n; w++ {
			ih.keccak(&want[w])
		}
		keccak512Items(&ih, &ks, &mixes, n)
		if mixes != want {
			t.Fatalf("%d items: 8-way Keccak-512 differs from x/crypto's", n)
		}
	}
}

// BenchmarkKeccak512Items: the 16 item hashes of one batch access, one at a time with
// x/crypto's Keccak and through keccak512Items (8-way AVX-512 where the CPU has it).
func BenchmarkKeccak512Items(b *testing.B) {
	ih := itemHasher{h: newKeccak512()}
	var ks keccakLanes
	var mixes [maxItems][hashWords]uint32
	b.Run("x-crypto", func(b *testing.B) {
		for b.Loop() {
			for w := 0; w < 16; w++ {
				ih.keccak(&mixes[w])
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*16), "ns/item")
	})
	b.Run("items", func(b *testing.B) {
		for b.Loop() {
			keccak512Items(&ih, &ks, &mixes, 16)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*16), "ns/item")
	})
}

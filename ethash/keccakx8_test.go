package ethash

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// Every way of Keccak-512ing a batch's items this CPU runs (8 at a time with AVX-512, 4
// with AVX2, one at a time with x/crypto) must equal x/crypto's legacy Keccak-512, item by
// item, for every count of items including partial groups.
func TestKeccak512ItemsMatchesXCrypto(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	st := newBatchState()
	for _, way := range keccakWays() {
		for n := 1; n <= maxItems; n++ {
			var mixes [maxItems][hashWords]uint32
			for w := range mixes {
				for x := range mixes[w] {
					mixes[w][x] = rng.Uint32()
				}
			}
			want := mixes
			for w := 0; w < n; w++ {
				st.ih.keccak(&want[w])
			}
			st.keccak512Items(&mixes, n, way)
			if mixes != want {
				t.Fatalf("%d items, %d-way: Keccak-512 differs from x/crypto's", n, way)
			}
		}
	}
}

// BenchmarkKeccak512Items: the 16 item hashes of one batch access, each way this CPU runs
// (way=1 is x/crypto's Keccak, one at a time).
func BenchmarkKeccak512Items(b *testing.B) {
	st := newBatchState()
	var mixes [maxItems][hashWords]uint32
	for _, way := range keccakWays() {
		b.Run("way="+strconv.Itoa(way), func(b *testing.B) {
			for b.Loop() {
				st.keccak512Items(&mixes, 16, way)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*16), "ns/item")
		})
	}
}

package ethash

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// Every batch kernel this CPU can run (AVX-512 and AVX2 widths, and the Go loop) must give
// what the single-item generic loop gives, item by item, on caches whose row count is 1, a
// prime or a power of two, with indices that wrap when XORed with the step number.
func TestLaneKernelsMatchGeneric(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, rows := range []int{1, 3, 17, 1021, 4096, 262139} {
		cache := make([]uint32, rows*hashWords)
		for i := range cache {
			cache[i] = rng.Uint32()
		}
		mod := newFastMod(uint32(rows))
		for _, k := range laneKernels() {
			var it laneItems
			for w := range it.idx {
				it.idx[w] = rng.Uint32()
			}
			it.idx[0] = 0xffffffff
			for w := range it.mix {
				for x := range it.mix[w] {
					it.mix[w][x] = rng.Uint32()
				}
			}
			want := it
			for w := 0; w < k.items; w++ {
				one := laneItems{}
				one.idx[0], one.mix[0] = want.idx[w], want.mix[w]
				lanesParentsGeneric(cache, mod, &one, 1)
				want.mix[w] = one.mix[0]
			}
			k.run(cache, mod, &it)
			if it != want {
				t.Fatalf("rows %d: kernel %s differs from the generic loop", rows, k.name)
			}
		}
	}
}

// The single-item loop used as reference above is the pair loop's arithmetic.
func TestLaneGenericMatchesPair(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	cache := make([]uint32, 1021*hashWords)
	for i := range cache {
		cache[i] = rng.Uint32()
	}
	mod := newFastMod(1021)
	var it laneItems
	it.idx[0], it.idx[1] = 0xfffffffe, 0xffffffff
	for x := range it.mix[0] {
		it.mix[0][x], it.mix[1][x] = rng.Uint32(), rng.Uint32()
	}
	a, b := it.mix[0], it.mix[1]
	pairParentsGeneric(cache, mod, 0xfffffffe, &a, &b)
	lanesParentsGeneric(cache, mod, &it, 2)
	if it.mix[0] != a || it.mix[1] != b {
		t.Fatal("lane loop and pair loop differ")
	}
}

// BenchmarkLaneParents times each kernel on the real epoch-0 cache, per item: the figure
// that picks each CPU's width (laneKernels lists the chosen one first).
func BenchmarkLaneParents(b *testing.B) {
	c := epoch0Cache(b)
	defer c.Close()
	mod := newFastMod(uint32(len(c.words) / hashWords))
	for _, k := range laneKernels() {
		b.Run(k.name, func(b *testing.B) {
			var it laneItems
			i := uint32(0)
			for b.Loop() {
				for w := 0; w < k.items; w++ {
					it.idx[w] = i
					i++
				}
				k.run(c.words, mod, &it)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*k.items), "ns/item")
		})
	}
}

// BenchmarkLaneHashes: whole light hashes through the batch code with each kernel, epoch
// 0, as many lanes as the kernel has item pairs: hashes/s per kernel picks the default.
func BenchmarkLaneHashes(b *testing.B) {
	c := epoch0Cache(b)
	defer c.Close()
	st := newBatchState()
	for _, k := range laneKernels() {
		b.Run(k.name, func(b *testing.B) {
			n := k.items / 2
			x := uint64(0)
			cpu0 := CPUSeconds()
			for b.Loop() {
				for l := 0; l < n; l++ {
					st.header[l] = [32]byte{byte(x), byte(x >> 8), byte(x >> 16)}
					st.nonce[l] = x
					x++
				}
				st.light(c, k, n)
			}
			b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "hashes/s")
			ReportCPURate(b, cpu0, float64(b.N*n))
		})
	}
}

// BenchmarkFullLanes: full hashimoto on a DAG-sized buffer (1 GiB of pseudo-random words
// in huge-page memory, as an in-memory DAG; a real DAG gives the same access pattern) one
// hash at a time and n at a time with their pages prefetched together. DRAM-bound.
func BenchmarkFullLanes(b *testing.B) {
	const size = 1 << 30
	words, mem, err := allocWords(size / 4)
	if err != nil {
		b.Fatal(err)
	}
	defer mem.free()
	x := uint64(88172645463325252)
	for i := 0; i < len(words); i += 2 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		words[i], words[i+1] = uint32(x), uint32(x>>32)
	}
	b.Run("single", func(b *testing.B) {
		h := NewHasher()
		i := uint64(0)
		cpu0 := CPUSeconds()
		for b.Loop() {
			h.Full(words, [32]byte{byte(i), byte(i >> 8), byte(i >> 16)}, i)
			i++
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "hashes/s")
		ReportCPURate(b, cpu0, float64(b.N))
	})
	st := newBatchState()
	for _, n := range []int{2, 4, 8, 16} {
		b.Run("lanes="+strconv.Itoa(n), func(b *testing.B) {
			i := uint64(0)
			cpu0 := CPUSeconds()
			for b.Loop() {
				for l := 0; l < n; l++ {
					st.header[l] = [32]byte{byte(i), byte(i >> 8), byte(i >> 16)}
					st.nonce[l] = i
					i++
				}
				st.full(words, n)
			}
			b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "hashes/s")
			ReportCPURate(b, cpu0, float64(b.N*n))
		})
	}
}

package ethash

import "testing"

// BenchmarkRandomRead measures the machine's two limits for light verification on a
// buffer the size of the epoch-0 cache, in the same huge-page memory: "dependent", each
// 64-byte read's address taken from the line read before (latency: what one parent chain
// sees), and "independent", addresses from a generator the reads do not feed (throughput:
// as many misses in flight as the core allows). A light hash makes 32,768 such reads, so
// independent-rate/32768 is the bound on hashes per second per core that interleaving
// chains can approach.
func BenchmarkRandomRead(b *testing.B) {
	const bytes = 16 << 20
	words, mem, err := allocWords(bytes / 4)
	if err != nil {
		b.Fatal(err)
	}
	defer mem.free()
	const lines = bytes / 64
	// A random cyclic permutation of the lines (Sattolo), so a chase visits every line.
	perm := make([]uint32, lines)
	for i := range perm {
		perm[i] = uint32(i)
	}
	x := uint64(88172645463325252)
	rnd := func() uint64 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x }
	for i := uint32(lines - 1); i > 0; i-- {
		j := uint32(rnd() % uint64(i))
		perm[i], perm[j] = perm[j], perm[i]
	}
	for i := uint32(0); i < lines; i++ {
		words[i*16] = perm[i]
	}
	const reads = 1 << 16
	b.Run("dependent", func(b *testing.B) {
		p := uint32(0)
		for b.Loop() {
			for r := 0; r < reads; r++ {
				p = words[p*16]
			}
		}
		sink = p
		b.ReportMetric(float64(b.N)*reads/b.Elapsed().Seconds(), "reads/s")
		b.ReportMetric(float64(b.N)*reads/b.Elapsed().Seconds()/32768, "hashes/s-bound")
	})
	b.Run("independent", func(b *testing.B) {
		var s uint32
		a := uint32(12345)
		for b.Loop() {
			for r := 0; r < reads; r++ {
				a = a*1664525 + 1013904223      // the next address does not wait for this read
				s += words[(a>>8)&(lines-1)*16] // a power of two: no division in the loop
			}
		}
		sink = s
		b.ReportMetric(float64(b.N)*reads/b.Elapsed().Seconds(), "reads/s")
		b.ReportMetric(float64(b.N)*reads/b.Elapsed().Seconds()/32768, "hashes/s-bound")
	})
}

var sink uint32

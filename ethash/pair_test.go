package ethash

import (
	"math/rand/v2"
	"testing"
)

// The AVX2 kernel (where the CPU has it) and the generic loop must agree on every cache
// size and item index, including indices whose XOR with the step number wraps and caches
// whose row count is not a power of two. Where the CPU lacks AVX2 this compares the generic
// loop with itself through pairParents, so it still runs.
func TestPairParentsMatchesGeneric(t *testing.T) {
	if !hasAVX2 {
		t.Log("no AVX2 here: pairParents is the generic loop")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, rows := range []int{1, 2, 3, 17, 1021, 4096, 262139} {
		cache := make([]uint32, rows*hashWords)
		for i := range cache {
			cache[i] = rng.Uint32()
		}
		mod := newFastMod(uint32(rows))
		for trial := 0; trial < 8; trial++ {
			var a, b [hashWords]uint32
			for k := range a {
				a[k], b[k] = rng.Uint32(), rng.Uint32()
			}
			i0 := rng.Uint32() &^ 1
			if trial == 0 {
				i0 = 0xfffffffe
			}
			ga, gb := a, b
			pairParentsGeneric(cache, mod, i0, &ga, &gb)
			pairParents(cache, mod, i0, &a, &b)
			if a != ga || b != gb {
				t.Fatalf("rows %d, i0 %#x: kernel and generic loop differ", rows, i0)
			}
		}
	}
}

func BenchmarkPairParents(b *testing.B) {
	c := epoch0Cache(b)
	mod := newFastMod(uint32(len(c.words) / hashWords))
	var x, y [hashWords]uint32
	i := uint32(0)
	for b.Loop() {
		pairParents(c.words, mod, i, &x, &y)
		i += 2
	}
}

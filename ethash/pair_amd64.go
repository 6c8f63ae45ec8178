//go:build amd64 && !purego

package ethash

import "golang.org/x/sys/cpu"

//go:generate go run ./internal/gen

// hasAVX2 is read once: the CPU does not change under a running process.
var hasAVX2 = cpu.X86.HasAVX2

// pairParentsAVX2 is pairParentsGeneric in AVX2 (pair_amd64.s, written by internal/gen).
// It reads rows p·16 … p·16+15 of cache for p < n only, so cache must hold n·16 words.
//
//go:noescape
func pairParentsAVX2(cache *uint32, m, n uint64, i0 uint32, a, b *[hashWords]uint32)

func pairParents(cache []uint32, mod fastMod, i0 uint32, a, b *[hashWords]uint32) {
	if hasAVX2 && mod.n > 0 && uint64(len(cache)) >= uint64(mod.n)*hashWords {
		pairParentsAVX2(&cache[0], mod.m, uint64(mod.n), i0, a, b)
		return
	}
	pairParentsGeneric(cache, mod, i0, a, b)
}

// prefetch asks the CPU to start loading the cache line at p without waiting for it: a
// hint, so it never faults and its result is never used.
//
//go:noescape
func prefetch(p *byte)

//go:build amd64 && !purego

package ethash

import "golang.org/x/sys/cpu"

// The batch kernels (lanes_amd64.s, written by internal/gen): lanesParentsGeneric for k
// items. Each reads rows p·16 … p·16+15 of cache for p < n only, so cache must hold n·16
// words; idx must have 32 words.
//
//go:noescape
func lanesParents8AVX512(cache *uint32, m, n uint64, idx *[32]uint32, mix *[maxItems][hashWords]uint32)

//go:noescape
func lanesParents12AVX512(cache *uint32, m, n uint64, idx *[32]uint32, mix *[maxItems][hashWords]uint32)

//go:noescape
func lanesParents16AVX512(cache *uint32, m, n uint64, idx *[32]uint32, mix *[maxItems][hashWords]uint32)

//go:noescape
func lanesParents24AVX512(cache *uint32, m, n uint64, idx *[32]uint32, mix *[maxItems][hashWords]uint32)

//go:noescape
func lanesParents4AVX2(cache *uint32, m, n uint64, idx *[32]uint32, mix *[maxItems][hashWords]uint32)

//go:noescape
func lanesParents6AVX2(cache *uint32, m, n uint64, idx *[32]uint32, mix *[maxItems][hashWords]uint32)

// hasAVX512 needs F (the 512-bit operations), DQ (VPEXTRD from X16–X31) and VL.
var hasAVX512 = cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ && cpu.X86.HasAVX512VL

// hasKeccakX8: keccakF1600x8 runs (AVX-512 F: VPROLQ, VPTERNLOGQ).
var hasKeccakX8 = hasAVX512

// keccakF1600x8 is Keccak-f[1600] on 8 states (keccak_amd64.s, written by internal/gen).
//
//go:noescape
func keccakF1600x8(s *keccakLanes)

// keccakF1600x4AVX2 is Keccak-f[1600] on the 4 states of s[0], with AVX2 only; s[1] is
// scratch.
//
//go:noescape
func keccakF1600x4AVX2(s *keccakLanes4)

func asmLanes(name string, items int, f func(cache *uint32, m, n uint64, idx *[32]uint32, mix *[maxItems][hashWords]uint32), keccak int) laneKernel {
	return laneKernel{name, items, func(c []uint32, mod fastMod, it *laneItems) {
		f(&c[0], mod.m, uint64(mod.n), &it.idx, &it.mix)
	}, keccak}
}

// laneKernels lists the kernels this CPU can run, the one batches use first: by
// BenchmarkLaneHashes, 24 items with AVX-512 (2245–3680 hashes per CPU-second against
// 1747–2696 for 16 and 2143–2378 for 12, runs alternated on the project's machine), 6 with
// AVX2 (about twice 4).
func laneKernels() []laneKernel {
	var ks []laneKernel
	if hasAVX512 {
		ks = append(ks,
			asmLanes("avx512x24", 24, lanesParents24AVX512, keccakAVX512),
			asmLanes("avx512x16", 16, lanesParents16AVX512, keccakAVX512),
			asmLanes("avx512x12", 12, lanesParents12AVX512, keccakAVX512),
			asmLanes("avx512x8", 8, lanesParents8AVX512, keccakAVX512))
	}
	if hasAVX2 {
		ks = append(ks,
			asmLanes("avx2x6", 6, lanesParents6AVX2, keccakAVX2),
			asmLanes("avx2x4", 4, lanesParents4AVX2, keccakAVX2))
	}
	return append(ks, genericLaneKernels()...)
}

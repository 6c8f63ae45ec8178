//go:build !amd64 || purego

package ethash

const hasAVX2 = false

func pairParents(cache []uint32, mod fastMod, i0 uint32, a, b *[hashWords]uint32) {
	pairParentsGeneric(cache, mod, i0, a, b)
}

func prefetch(*byte) {}

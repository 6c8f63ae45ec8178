package ethash

import "strconv"

// maxItems bounds the dataset items one batch kernel call interleaves (two per hash); the
// index array is padded to 32 words because the widest AVX-512 kernel loads indices 64
// bytes at a time.
const maxItems = 24

// laneItems holds the items of one kernel call: their indices and mixes.
type laneItems struct {
	idx [32]uint32
	mix [maxItems][hashWords]uint32
}

// lanesParentsGeneric runs the 256 parent steps of items 0 … k−1, step j of all of them
// before step j+1 of any: each item's chain is serial (its next parent is read from the
// row just mixed), but the chains are independent, so interleaving them keeps up to k
// cache misses in flight where one chain keeps one.
func lanesParentsGeneric(cache []uint32, mod fastMod, it *laneItems, k int) {
	for j := uint32(0); j < datasetParents; j++ {
		for w := 0; w < k; w++ {
			m := &it.mix[w]
			p := mod.mod(fnv(it.idx[w]^j, m[j&(hashWords-1)]))
			r := (*[hashWords]uint32)(cache[p*hashWords:])
			for x := 0; x < hashWords; x++ {
				m[x] = m[x]*0x01000193 ^ r[x]
			}
		}
	}
}

// laneKernel is one way to run the parent steps of items items at once. Callers check
// once that cache holds mod.n rows.
type laneKernel struct {
	name   string
	items  int
	run    func(cache []uint32, mod fastMod, it *laneItems)
	keccak int // how the items are Keccak'd: keccakScalar, keccakAVX2 or keccakAVX512
}

// genericLaneKernels are the pure-Go kernels, the default first: in Go a step is some 60
// instructions, so the CPU's reorder window holds only a few chains' misses anyway, and 4
// items beat 8 and 2 (BenchmarkLaneHashes, -tags purego or the gox rows).
func genericLaneKernels() []laneKernel {
	var ks []laneKernel
	for _, k := range []int{4, 8, 2} {
		ks = append(ks, laneKernel{"gox" + strconv.Itoa(k), k, func(c []uint32, mod fastMod, it *laneItems) {
			lanesParentsGeneric(c, mod, it, k)
		}, keccakScalar})
	}
	return ks
}

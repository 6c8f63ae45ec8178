package ethash

// keccakLanes holds 8 Keccak states side by side, word i of state k at [i][k]: the layout
// of keccakF1600x8, which permutes all 8 at once with one state per 64-bit vector lane.
type keccakLanes [25][8]uint64

// keccak512Items replaces mixes[0 … n−1] with their Keccak-512 hashes (64-byte messages,
// Ethash's item hashes), 8 at a time with the AVX-512 permutation where the CPU has it,
// else one at a time with ih (x/crypto's Keccak).
func keccak512Items(ih *itemHasher, ks *keccakLanes, mixes *[maxItems][hashWords]uint32, n int) {
	if !hasKeccakX8 {
		for w := 0; w < n; w++ {
			ih.keccak(&mixes[w])
		}
		return
	}
	for base := 0; base < n; base += 8 {
		k := min(8, n-base)
		for s := 0; s < k; s++ {
			m := &mixes[base+s]
			for i := 0; i < 8; i++ {
				ks[i][s] = uint64(m[2*i]) | uint64(m[2*i+1])<<32
			}
		}
		// Keccak-512's rate is 72 bytes: a 64-byte message is padded in word 8 (the
		// legacy Keccak pad 0x01 and the final bit 0x80); the capacity words are zero.
		for s := 0; s < 8; s++ {
			ks[8][s] = 0x8000000000000001
		}
		for i := 9; i < 25; i++ {
			ks[i] = [8]uint64{}
		}
		keccakF1600x8(ks)
		for s := 0; s < k; s++ {
			m := &mixes[base+s]
			for i := 0; i < 8; i++ {
				m[2*i], m[2*i+1] = uint32(ks[i][s]), uint32(ks[i][s]>>32)
			}
		}
	}
}

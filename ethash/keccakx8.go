package ethash

// keccakLanes holds 8 Keccak states side by side, word i of state k at [i][k]: the layout
// of keccakF1600x8, which permutes all 8 at once with one state per 64-bit vector lane.
type keccakLanes [25][8]uint64

// keccakLanes4 is the same for 4 states (AVX2), with a second half keccakF1600x4AVX2
// writes alternate rounds to.
type keccakLanes4 [2][25][4]uint64

// Ways of hashing a batch's items: one at a time with x/crypto, or 4 or 8 at a time with a
// vector permutation. A lane kernel names the one that goes with its instruction set.
const (
	keccakScalar = 1
	keccakAVX2   = 4
	keccakAVX512 = 8
)

// keccakWays lists the ways this CPU can run.
func keccakWays() []int {
	ways := []int{keccakScalar}
	if hasAVX2 {
		ways = append(ways, keccakAVX2)
	}
	if hasKeccakX8 {
		ways = append(ways, keccakAVX512)
	}
	return ways
}

// keccak512Items replaces mixes[0 … n−1] with their Keccak-512 hashes (64-byte messages,
// Ethash's item hashes), way at a time.
func (st *batchState) keccak512Items(mixes *[maxItems][hashWords]uint32, n, way int) {
	switch way {
	case keccakAVX512:
		for base := 0; base < n; base += 8 {
			ks := &st.ks
			k := min(8, n-base)
			for s := 0; s < k; s++ {
				m := &mixes[base+s]
				for i := 0; i < 8; i++ {
					ks[i][s] = uint64(m[2*i]) | uint64(m[2*i+1])<<32
				}
			}
			// Keccak-512's rate is 72 bytes: a 64-byte message is padded in word 8 (the
			// legacy Keccak pad 0x01 and the final bit 0x80); the capacity words are zero.
			ks[8] = [8]uint64{0: keccakPad, 1: keccakPad, 2: keccakPad, 3: keccakPad, 4: keccakPad, 5: keccakPad, 6: keccakPad, 7: keccakPad}
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
	case keccakAVX2:
		for base := 0; base < n; base += 4 {
			ks := &st.ks4[0]
			k := min(4, n-base)
			for s := 0; s < k; s++ {
				m := &mixes[base+s]
				for i := 0; i < 8; i++ {
					ks[i][s] = uint64(m[2*i]) | uint64(m[2*i+1])<<32
				}
			}
			ks[8] = [4]uint64{keccakPad, keccakPad, keccakPad, keccakPad}
			for i := 9; i < 25; i++ {
				ks[i] = [4]uint64{}
			}
			keccakF1600x4AVX2(&st.ks4)
			for s := 0; s < k; s++ {
				m := &mixes[base+s]
				for i := 0; i < 8; i++ {
					m[2*i], m[2*i+1] = uint32(ks[i][s]), uint32(ks[i][s]>>32)
				}
			}
		}
	default:
		for w := 0; w < n; w++ {
			st.ih.keccak(&mixes[w])
		}
	}
}

// keccakPad is word 8 of a padded 64-byte Keccak-512 message.
const keccakPad = 0x8000000000000001

package wire

import "math/bits"

// LocatorHeights returns the block heights of the reference's standard locator for a chain
// whose top is at height top (blockchain/block.cpp block_locator_indexes): the top and the
// nine below it, then steps that double, then genesis. Put the hashes of these heights, in
// this order, in a getblocks or getheaders; do not pad them (see MaxLocatorLen).
func LocatorHeights(top uint32) []uint32 {
	hs := make([]uint32, 0, 12+bits.Len32(top))
	step := int64(1)
	for i := int64(top); i > 0; i -= step {
		// The reference doubles the step before pushing once 10 heights are in.
		if len(hs) >= 10 {
			step <<= 1
		}
		hs = append(hs, uint32(i))
	}
	return append(hs, 0)
}

// MaxLocatorLen is the longest locator mvsd at height h accepts in getblocks or getheaders:
// floor(log2(h)) + 12 (protocol_block_out.cpp locator_limit). A longer one makes it drop the
// connection. For h = 0 the reference computes log2(0); 12 is returned.
func MaxLocatorLen(h uint32) int {
	if h == 0 {
		return 12
	}
	return bits.Len32(h) - 1 + 12
}

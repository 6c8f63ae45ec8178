package chain

// The block rules in context (coinbase, rewards, coinstake and stake, registrations within
// a block), one code each (the node's validate_block.cpp errors). Codes run from
// firstBlockCode; add a code before endBlockCodes and its name to blockCodeNames.
const (
	endBlockCodes = firstBlockCode + iota // keep last
)

// blockCodeNames is indexed by code; entries below firstBlockCode are unused.
var blockCodeNames = [endBlockCodes]string{}

package chain

import (
	"slices"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx"
)

// UTXO is an unspent output as the chain holds it: what validating a transaction that
// spends it needs to know.
type UTXO struct {
	Output tx.Output
	// Height is the height of the block that created the output.
	Height uint32
	// Coinbase and Coinstake say which kind of transaction created it (coinbase maturity,
	// the PoS stake rules).
	Coinbase, Coinstake bool
}

// UTXOView answers what inputs spend: the store's unspent set as of the parent of the block
// being checked, plus the outputs created earlier in that block and minus those it already
// spent. An error is a failure to read (a store fault), never "not found".
type UTXOView interface {
	UTXO(op tx.OutPoint) (UTXO, bool, error)
}

// BlockContext is what the contextual rules need about the block a transaction goes in.
type BlockContext struct {
	Params *mvs.Params
	// Height is the height of the block (the tip's plus one for a memory pool).
	Height uint32
	// MedianTimePast is the median timestamp of the 11 blocks up to the parent (BIP113),
	// against which lock times and time-based sequence locks are judged.
	MedianTimePast int64
	// Branch reads the ancestors' headers by height (the timestamp of the block that mined
	// an output, for time-based sequence locks).
	Branch HeaderChain
}

// MedianTimePast is the median timestamp of the (up to) 11 blocks below height on branch
// (validate_block_impl::median_time_past): the upper median of an even count, 0 below
// height 1.
func MedianTimePast(branch HeaderChain, height uint32) int64 {
	var times [11]uint32
	n := 0
	for i := uint32(1); i <= 11 && i <= height; i++ {
		h := branch.HeaderAt(height - i)
		if h == nil {
			break
		}
		times[n] = h.Timestamp
		n++
	}
	if n == 0 {
		return 0
	}
	slices.Sort(times[:n])
	return int64(times[n/2])
}

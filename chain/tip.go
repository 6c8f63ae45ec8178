package chain

import (
	"errors"
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
)

// StoreUTXOs is the store's unspent set as a UTXOView (an open batch included): the view
// of a transaction judged against the tip, alone (a withdrawal check) or under a memory
// pool's own outputs.
func StoreUTXOs(st *store.Store) UTXOView { return storeUTXOs{st} }

// MainHeaders reads the store's main chain by height (a HeaderChain). HeaderAt cannot
// return an error, so the first read failure is kept for Err: check it after the rules
// ran, since a rule that read a nil header judged on missing data.
type MainHeaders struct {
	st  *store.Store
	err error
}

// NewMainHeaders returns the main chain of st as a HeaderChain.
func NewMainHeaders(st *store.Store) *MainHeaders { return &MainHeaders{st: st} }

// HeaderAt is the main chain's header at height, nil above the tip or on a read failure.
func (h *MainHeaders) HeaderAt(height uint32) *block.Header {
	hash, err := h.st.HashAt(height)
	if err == nil {
		var rec store.HeaderRecord
		if rec, err = h.st.Header(hash); err == nil {
			return &rec.Header
		}
	}
	if !errors.Is(err, store.ErrNotFound) && h.err == nil {
		h.err = fmt.Errorf("chain: reading the main chain's header at %d: %w", height, err)
	}
	return nil
}

// Err is the first failure to read a header, or nil.
func (h *MainHeaders) Err() error { return h.err }

// NextBlock is the context of a block on the store's tip (BlockContext) with the tip it
// was read at: what a memory pool or a withdrawal check judges a transaction against.
type NextBlock struct {
	BlockContext
	TipHash   mvs.Hash
	TipHeight uint32
	// Headers is BlockContext.Branch; check its Err after judging.
	Headers *MainHeaders
}

// NextBlockContext reads the store's tip and the context of the block that would extend it.
func NextBlockContext(st *store.Store, p *mvs.Params) (NextBlock, error) {
	hash, height, err := st.Tip()
	if err != nil {
		return NextBlock{}, err
	}
	hs := NewMainHeaders(st)
	nb := NextBlock{TipHash: hash, TipHeight: height, Headers: hs,
		BlockContext: BlockContext{Params: p, Height: height + 1, MedianTimePast: MedianTimePast(hs, height+1), Branch: hs}}
	if err := hs.Err(); err != nil {
		return NextBlock{}, err
	}
	return nb, nil
}

// CheckTxAtTip judges t as the next block on the store's tip would (CheckTx with the
// store's unspent set and registries): no memory-pool policy, no other unconfirmed
// transaction. It is what an exchange runs on a withdrawal before broadcasting it. A
// refusal is a *RuleError; any other error is a failure to read the store.
func CheckTxAtTip(t *tx.Tx, st *store.Store, p *mvs.Params) (fee mvs.Amount, at NextBlock, err error) {
	nb, err := NextBlockContext(st, p)
	if err != nil {
		return 0, NextBlock{}, err
	}
	fee, err = CheckTx(t, nb.BlockContext, StoreUTXOs(st), NewStoreState(st, p).Registries())
	if rerr := nb.Headers.Err(); rerr != nil {
		return 0, nb, rerr
	}
	return fee, nb, err
}

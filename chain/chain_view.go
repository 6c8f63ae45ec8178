package chain

import (
	"context"
	"errors"
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
)

// branchHeaders is a HeaderChain over the store: the branch's own headers above the fork,
// the main chain's at and below it. A failed read is kept in err (HeaderChain cannot return
// one) so that the caller does not take it for a missing header.
type branchHeaders struct {
	c     *Chain
	fork  uint32
	above map[uint32]*block.Header
	cache map[uint32]*block.Header
	err   error
}

// branchOf is the branch ending at parent: walking back by previous hash to the main chain.
func (c *Chain) branchOf(parent store.HeaderRecord) (*branchHeaders, error) {
	b := &branchHeaders{c: c, above: map[uint32]*block.Header{}, cache: map[uint32]*block.Header{}}
	rec := parent
	for {
		hash := rec.Header.Hash()
		main, err := c.onMain(hash, rec.Height)
		if err != nil {
			return nil, err
		}
		if main {
			b.fork = rec.Height
			return b, nil
		}
		h := rec.Header
		b.above[rec.Height] = &h
		if rec.Height == 0 {
			return nil, fmt.Errorf("%w: header %s at height 0 is not the genesis block", store.ErrCorrupt, hash)
		}
		if rec, err = c.st.Header(rec.Header.PreviousBlockHash); err != nil {
			return nil, err
		}
	}
}

// mainHeaders is the main chain as a HeaderChain.
func (c *Chain) mainHeaders() *branchHeaders {
	_, tip, err := c.st.Tip()
	return &branchHeaders{c: c, fork: tip, cache: map[uint32]*block.Header{}, err: err}
}

func (b *branchHeaders) HeaderAt(height uint32) *block.Header {
	if height > b.fork {
		return b.above[height]
	}
	if h, ok := b.cache[height]; ok {
		return h
	}
	var h *block.Header
	err := b.c.st.View(func(sn *store.Snapshot) error {
		hash, err := sn.HashAt(height)
		if err != nil {
			return err
		}
		rec, err := sn.Header(hash)
		h = &rec.Header
		return err
	})
	if err != nil {
		if b.err == nil {
			b.err = fmt.Errorf("chain: reading the main chain's header at %d: %w", height, err)
		}
		return nil
	}
	b.cache[height] = h
	return h
}

// storeView is the store's unspent set as a UTXOView.
type storeView struct{ st *store.Store }

func (v storeView) UTXO(op tx.OutPoint) (UTXO, bool, error) {
	e, err := v.st.UTXO(op)
	if errors.Is(err, store.ErrNotFound) {
		return UTXO{}, false, nil
	}
	if err != nil {
		return UTXO{}, false, err
	}
	out, err := e.Output()
	if err != nil {
		return UTXO{}, false, err
	}
	return UTXO{Output: out, Height: e.Height, Coinbase: e.Coinbase, Coinstake: e.Coinstake}, true, nil
}

// blockView is the store's unspent set plus the outputs of the block's transactions so far
// and minus what they spent: what the next transaction of the block may spend.
type blockView struct {
	base    UTXOView
	created map[tx.OutPoint]UTXO
	spent   map[tx.OutPoint]struct{}
}

func (v *blockView) UTXO(op tx.OutPoint) (UTXO, bool, error) {
	if _, gone := v.spent[op]; gone {
		return UTXO{}, false, nil
	}
	if u, ok := v.created[op]; ok {
		return u, true, nil
	}
	return v.base.UTXO(op)
}

// resolveView resolves every output the block's inputs spend: the store's and every output
// the block creates, spent or not (RecordWrites reads what each input spent).
type resolveView struct {
	base    UTXOView
	created map[tx.OutPoint]UTXO
}

func (v *resolveView) UTXO(op tx.OutPoint) (UTXO, bool, error) {
	if u, ok := v.created[op]; ok {
		return u, true, nil
	}
	return v.base.UTXO(op)
}

// validate applies every rule to blk, whose parent is the tip, and returns its record
// writes: each transaction in order (CheckTxDeferScripts over the store and the block's
// earlier outputs and spends), the block rules (CheckBlockContext), the scripts
// (VerifyScripts, unless skipScripts), then State.RecordWrites. A refusal is a *RuleError
// carrying the block's hash.
func (c *Chain) validate(ctx context.Context, blk *block.Block, hash mvs.Hash, height uint32, skipScripts bool) ([]store.RecordWrite, error) {
	br := c.mainHeaders()
	if br.err != nil {
		return nil, br.err
	}
	bc := BlockContext{Params: c.p, Height: height, Branch: br}
	bc.MedianTimePast = MedianTimePast(br, height)
	base := storeView{c.st}
	all := make(map[tx.OutPoint]UTXO)
	view := &blockView{base: base, created: map[tx.OutPoint]UTXO{}, spent: map[tx.OutPoint]struct{}{}}
	regs := c.state.Registries()
	var fees mvs.Amount
	spents := make([]Spent, 0, len(blk.Transactions))
	withHash := func(err error) error {
		var re *RuleError
		if errors.As(err, &re) && re.Hash == (mvs.Hash{}) {
			re.Hash = hash
		}
		return err
	}
	for i := range blk.Transactions {
		t := &blk.Transactions[i]
		coinbase := t.IsCoinbase()
		if !coinbase {
			fee, sp, err := CheckTxDeferScripts(t, bc, view, regs)
			if err != nil {
				return nil, withHash(err)
			}
			if f, ok := fees.Add(fee); ok {
				fees = f
			} else {
				fees = mvs.MaxMoney // beyond any subsidy check
			}
			spents = append(spents, sp)
			for j := range t.Inputs {
				op := t.Inputs[j].PreviousOutput
				delete(view.created, op)
				view.spent[op] = struct{}{}
			}
		}
		txid := t.Hash()
		coinstake := t.IsCoinstake()
		for j := range t.Outputs {
			op := tx.OutPoint{Hash: txid, Index: uint32(j)}
			u := UTXO{Output: t.Outputs[j], Height: height, Coinbase: coinbase, Coinstake: coinstake}
			view.created[op] = u
			delete(view.spent, op)
			all[op] = u
		}
	}
	if br.err != nil {
		return nil, br.err
	}
	if err := CheckBlockContext(blk, bc, base, fees, c.state.Lookups()); err != nil {
		return nil, withHash(err)
	}
	if err := VerifyScripts(ctx, height, spents, ScriptOptions{AssumeValid: skipScripts, Workers: c.workers}); err != nil {
		return nil, withHash(err)
	}
	writes, err := c.state.RecordWrites(blk, height, &resolveView{base: base, created: all})
	if err != nil {
		return nil, withHash(err)
	}
	return writes, nil
}

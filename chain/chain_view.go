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

// branchWindow is how many of a branch's newest headers above the fork branchHeaders
// keeps; the rules rarely read deeper (a header's parent, 11 for the median time, the
// same-version search), and deeper reads walk the store.
const branchWindow = 2048

// branchHeaders is a HeaderChain over the store: the branch's own headers above the fork,
// the main chain's at and below it. A failed read is kept in err (HeaderChain cannot return
// one) so that the caller does not take it for a missing header.
type branchHeaders struct {
	c         *Chain
	fork      uint32
	end       mvs.Hash // the branch's last header (zero for the main chain)
	endHeight uint32
	above     map[uint32]*block.Header // heights low..endHeight, all above the fork when built
	low       uint32
	cache     map[uint32]*block.Header // main-chain headers read
	err       error
	// tipSeen is the main chain's tip when fork was last established: the fork can only
	// rise when the main chain has moved, so an unchanged tip skips the check (which reads
	// the lowest branch header, a walk through the store once the window has dropped it).
	tipSeen mvs.Hash
}

// branchOf is the branch ending at parent: walking back by previous hash to the main chain.
// The branch of the last header stored is kept, so that a run of headers ahead of the
// main chain (header-first sync) costs one walk, not one per header.
func (c *Chain) branchOf(parent store.HeaderRecord) (*branchHeaders, error) {
	ph := parent.Header.Hash()
	if b := c.lastBranch; b != nil && b.end == ph {
		b.err = nil
		if len(b.cache) > branchWindow {
			clear(b.cache)
		}
		// Blocks connected since may have raised the fork.
		tip, _, err := c.st.Tip()
		if err != nil {
			return nil, err
		}
		for tip != b.tipSeen && b.fork < b.endHeight {
			h := b.HeaderAt(b.fork + 1)
			if h == nil {
				break
			}
			main, err := c.onMain(h.Hash(), b.fork+1)
			if err != nil {
				return nil, err
			}
			if !main {
				break
			}
			b.fork++
		}
		b.tipSeen = tip
		if b.err != nil {
			return nil, b.err
		}
		return b, nil
	}
	b := &branchHeaders{c: c, end: ph, endHeight: parent.Height, above: map[uint32]*block.Header{},
		cache: map[uint32]*block.Header{}, low: parent.Height + 1}
	rec := parent
	for {
		hash := rec.Header.Hash()
		main, err := c.onMain(hash, rec.Height)
		if err != nil {
			return nil, err
		}
		if main {
			b.fork = rec.Height
			if b.tipSeen, _, err = c.st.Tip(); err != nil {
				return nil, err
			}
			return b, nil
		}
		if parent.Height-rec.Height < branchWindow {
			h := rec.Header
			b.above[rec.Height], b.low = &h, rec.Height
		}
		if rec.Height == 0 {
			return nil, fmt.Errorf("%w: header %s at height 0 is not the genesis block", store.ErrCorrupt, hash)
		}
		if rec, err = c.st.Header(rec.Header.PreviousBlockHash); err != nil {
			return nil, err
		}
	}
}

// extend makes b the branch ending at h, just stored, and keeps it for the next header.
func (c *Chain) extendBranch(b *branchHeaders, h *block.Header, hash mvs.Hash) {
	hc := *h
	b.above[h.Height] = &hc
	if len(b.above) == 1 {
		b.low = h.Height
	}
	b.end, b.endHeight = hash, h.Height
	if len(b.above) > 2*branchWindow {
		newLow := b.endHeight - branchWindow + 1
		for ht := range b.above {
			if ht < newLow {
				delete(b.above, ht)
			}
		}
		b.low = newLow
	}
	c.lastBranch = b
}

// mainHeaders is the main chain as a HeaderChain.
func (c *Chain) mainHeaders() *branchHeaders {
	_, tip, err := c.st.Tip()
	return &branchHeaders{c: c, fork: tip, endHeight: tip, cache: map[uint32]*block.Header{}, err: err}
}

func (b *branchHeaders) HeaderAt(height uint32) *block.Header {
	if height > b.fork {
		if height > b.endHeight {
			return nil
		}
		if h := b.above[height]; h != nil {
			return h
		}
		return b.deep(height)
	}
	if h, ok := b.cache[height]; ok {
		return h
	}
	// Through the Store, not a snapshot: an open import batch holds the newest blocks. The
	// two reads are consistent since the Chain, holding its lock, is the only writer.
	var h *block.Header
	hash, err := b.c.st.HashAt(height)
	if err == nil {
		var rec store.HeaderRecord
		rec, err = b.c.st.Header(hash)
		h = &rec.Header
	}
	if err != nil {
		if b.err == nil {
			b.err = fmt.Errorf("chain: reading the main chain's header at %d: %w", height, err)
		}
		return nil
	}
	b.cache[height] = h
	return h
}

// deep reads the branch below its window, walking the store down from the lowest kept.
func (b *branchHeaders) deep(height uint32) *block.Header {
	low := b.above[b.low]
	for low != nil && b.low > height {
		rec, err := b.c.st.Header(low.PreviousBlockHash)
		if err != nil {
			if b.err == nil {
				b.err = fmt.Errorf("chain: reading the branch's header at %d: %w", b.low-1, err)
			}
			return nil
		}
		h := rec.Header
		b.low--
		b.above[b.low], low = &h, &h
	}
	return b.above[height]
}

// storeUTXOs is the store's unspent set as a UTXOView.
type storeUTXOs struct{ st *store.Store }

func (v storeUTXOs) UTXO(op tx.OutPoint) (UTXO, bool, error) {
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
//
// The scripts may still be under verification when it returns: scriptsOK waits for them and
// returns their refusal, if any. The caller must call it (it also ends the workers), and
// commit nothing before it returns nil; store.BlockUpdate.BeforeCommit runs it while the
// store prepares the block.
func (c *Chain) validate(ctx context.Context, blk *block.Block, hash mvs.Hash, height uint32, skipScripts bool) (writes []store.RecordWrite, scriptsOK func() error, err error) {
	br := c.mainHeaders()
	if br.err != nil {
		return nil, nil, br.err
	}
	bc := BlockContext{Params: c.p, Height: height, Branch: br}
	bc.MedianTimePast = MedianTimePast(br, height)
	base := storeUTXOs{c.st}
	all := make(map[tx.OutPoint]UTXO)
	view := &blockView{base: base, created: map[tx.OutPoint]UTXO{}, spent: map[tx.OutPoint]struct{}{}}
	regs := c.state.Registries()
	var fees mvs.Amount
	// Each transaction's scripts are verified as soon as its rules pass, while the rest of
	// the block is checked (VerifyScripts' answer: the first failure in block order).
	var scripts *scriptBatch
	if !skipScripts {
		scripts = newScriptBatch(ctx, height, c.workers)
		defer func() {
			if err != nil {
				scripts.stop()
			}
		}()
	}
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
				return nil, nil, withHash(err)
			}
			if f, ok := fees.Add(fee); ok {
				fees = f
			} else {
				fees = mvs.MaxMoney // beyond any subsidy check
			}
			if scripts != nil {
				scripts.add(sp)
			}
			for j := range t.Inputs {
				op := t.Inputs[j].PreviousOutput
				delete(view.created, op)
				view.spent[op] = struct{}{}
				// RecordWrites resolves the same outputs: not from the store a second time.
				all[op] = sp.Prev[j]
			}
		}
		txid := t.Hash()
		coinstake := t.IsCoinstake()
		for j := range t.Outputs {
			op := tx.OutPoint{Hash: txid, Index: uint32(j)}
			u := UTXO{Output: t.Outputs[j], Height: height, Coinbase: coinbase, Coinstake: coinstake}
			view.created[op] = u
			all[op] = u
		}
	}
	if br.err != nil {
		return nil, nil, br.err
	}
	if err := CheckBlockContext(blk, bc, base, fees, c.state.Lookups()); err != nil {
		return nil, nil, withHash(err)
	}
	scriptsOK = func() error {
		if scripts != nil {
			if err := scripts.wait(); err != nil {
				return withHash(err)
			}
		}
		return nil
	}
	writes, err = c.state.RecordWrites(blk, height, &resolveView{base: base, created: all})
	if err != nil {
		// A script failure is what a sequential check would have refused first.
		if serr := scriptsOK(); serr != nil {
			return nil, nil, serr
		}
		return nil, nil, withHash(err)
	}
	return writes, scriptsOK, nil
}

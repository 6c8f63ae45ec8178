package chain

import (
	"errors"
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/store"
)

// ProcessHeaders checks headers ahead of their bodies (header-first sync) and stores those
// that pass with their cumulative work, so that the bodies, passed to ProcessBlock later,
// connect without their headers being checked again and an AssumeValid block's ancestors
// are known as such. Each header's parent must be stored (an earlier header of hs will do).
// It returns how many headers were new and stored, stopping at the first that is not: a
// *RuleError for a refused header (ErrUnknownParent when its parent is unknown), or a
// failure to read or write. Headers already stored are skipped. Fork choice waits for the
// bodies.
func (c *Chain) ProcessHeaders(hs []block.Header) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return 0, ErrClosed
	}
	// Headers may fill an import batch and commit it: the events it held are due then.
	defer c.release()
	stored := 0
	for i := range hs {
		h := &hs[i]
		hash := h.Hash()
		if re := c.invalid[hash]; re != nil {
			return stored, re
		}
		rec, known, err := c.header(hash)
		if err != nil {
			return stored, err
		}
		if known {
			if rec.Status&store.StatusInvalid != 0 {
				return stored, ruleErr(ErrKnownInvalid, rec.Height, hash, "marked invalid in the store")
			}
			continue
		}
		parent, ok, err := c.header(h.PreviousBlockHash)
		if err != nil {
			return stored, err
		}
		if !ok {
			return stored, ruleErr(ErrUnknownParent, h.Height, hash, "parent %s is not known", h.PreviousBlockHash)
		}
		re, err := c.checkNewHeader(h, hash, parent)
		if err != nil {
			return stored, err
		}
		if re != nil {
			return stored, re
		}
		stored++
	}
	return stored, nil
}

// checkNewHeader applies the header rules to h, whose parent is stored, on its branch, and
// stores it with its cumulative work. A refusal is returned as re (and remembered unless
// it may pass later); err is a failure to read or write.
func (c *Chain) checkNewHeader(h *block.Header, hash mvs.Hash, parent store.HeaderRecord) (re *RuleError, err error) {
	if parent.Status&store.StatusInvalid != 0 {
		re := ruleErr(ErrInvalidAncestor, h.Height, hash, "parent %s is invalid", h.PreviousBlockHash)
		c.remember(hash, re)
		return re, nil
	}
	if h.Height != parent.Height+1 {
		re := ruleErr(ErrHeightMismatch, h.Height, hash, "the parent is at height %d", parent.Height)
		c.remember(hash, re)
		return re, nil
	}
	br, err := c.branchOf(parent)
	if err != nil {
		return nil, err
	}
	if re, err := c.checkFork(br.fork, h.Height, hash); err != nil || re != nil {
		if re != nil {
			c.remember(hash, re)
		}
		return re, err
	}
	cerr := CheckHeader(h, br, HeaderRules{Params: c.p, Now: c.now(), Seal: c.seal})
	if br.err != nil {
		return nil, br.err // a failed read, not the header's fault
	}
	if errors.As(cerr, &re) {
		// A timestamp ahead of our clock may become valid: not remembered.
		if re.Code != ErrFutureTimestamp {
			c.remember(hash, re)
		}
		c.log.Info("header refused", "hash", hash, "height", h.Height, "err", re)
		return re, nil
	}
	if cerr != nil {
		return nil, cerr
	}
	if err := c.st.PutHeader(store.HeaderRecord{Header: *h, Height: h.Height, Work: addWork(parent.Work, h.Bits)}); err != nil {
		return nil, err
	}
	c.extendBranch(br, h, hash)
	return nil, nil
}

// avStride is the spacing of the assumed-valid block's ancestors that ancestry samples.
const avStride = 1024

// ancestry answers "which block is the assumed-valid block's ancestor at height" with
// amortised O(1) header reads while blocks connect upwards: one walk down from it samples
// every avStride-th ancestor, and the stride holding the height asked is read once and
// kept.
type ancestry struct {
	top       mvs.Hash // the assumed-valid block
	topHeight uint32
	samples   map[uint32]mvs.Hash // heights that are multiples of avStride
	walked    uint32              // the sampling walk reached this height...
	cursor    mvs.Hash            // ...at this block
	segTop    uint32              // seg[i] is the ancestor at segTop-i
	seg       []mvs.Hash
}

func newAncestry(top mvs.Hash, height uint32) *ancestry {
	return &ancestry{top: top, topHeight: height, samples: map[uint32]mvs.Hash{}, walked: height, cursor: top}
}

// at is the ancestor at height (ok false above the top).
func (a *ancestry) at(height uint32, st *store.Store) (mvs.Hash, bool, error) {
	if height > a.topHeight {
		return mvs.Hash{}, false, nil
	}
	if len(a.seg) > 0 && height <= a.segTop && a.segTop-height < uint32(len(a.seg)) {
		return a.seg[a.segTop-height], true, nil
	}
	// The stride holding height, (k·avStride, (k+1)·avStride], is read down from its
	// upper sample (or the top).
	var upper, low uint32
	if height > 0 {
		k := (height - 1) / avStride
		upper, low = min((k+1)*avStride, a.topHeight), k*avStride+1
	}
	start, err := a.sample(upper, st)
	if err != nil {
		return mvs.Hash{}, false, err
	}
	a.segTop, a.seg = upper, append(a.seg[:0], start)
	for h, ht := start, upper; ht > low; ht-- {
		rec, err := st.Header(h)
		if err != nil {
			a.seg = a.seg[:0]
			return mvs.Hash{}, false, fmt.Errorf("chain: reading the assumed-valid block's ancestors: %w", err)
		}
		h = rec.Header.PreviousBlockHash
		a.seg = append(a.seg, h)
	}
	return a.seg[a.segTop-height], true, nil
}

// sample is the ancestor at height, the top or a multiple of avStride, extending the
// sampling walk down to it if needed.
func (a *ancestry) sample(height uint32, st *store.Store) (mvs.Hash, error) {
	if height == a.topHeight {
		return a.top, nil
	}
	if h, ok := a.samples[height]; ok {
		return h, nil
	}
	for a.walked > height {
		rec, err := st.Header(a.cursor)
		if err != nil {
			return mvs.Hash{}, fmt.Errorf("chain: reading the assumed-valid block's ancestors: %w", err)
		}
		a.cursor, a.walked = rec.Header.PreviousBlockHash, a.walked-1
		if a.walked%avStride == 0 {
			a.samples[a.walked] = a.cursor
		}
	}
	if h, ok := a.samples[height]; ok {
		return h, nil
	}
	return mvs.Hash{}, fmt.Errorf("chain: assumed-valid ancestry has no sample at %d", height)
}

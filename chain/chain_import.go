package chain

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/store"
)

// BeginImport starts batched import (initial sync, mvs-cli chain import): from now on the
// blocks ProcessBlock connects, their headers included, go to a store batch (the model is
// btcd's utxocache) that commits when it passes the store's Options.CacheBytes, before a
// reorganisation disconnects a block, and at EndImport or Close. A block costs no commit
// of its own, so import runs at the speed of validation; a crash loses the blocks since the
// last commit and nothing else (the store is always at a commit boundary), and the
// importer resumes from Tip.
//
// Events wait for durability: while importing, the Connected and Disconnected events of
// blocks not yet committed are held back and published, in order, once the batch
// commits. A subscriber therefore never hears of a block that a crash could take back
// without a Disconnected event, and what it reads from the store's snapshots (which see
// committed state only) is never behind the events it has received. To keep the batch's
// memory at the cache cap, a held Connected event keeps only the block's hash; the block is
// read back from the store when the event is published, if anyone is subscribed.
func (c *Chain) BeginImport() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return ErrClosed
	}
	if c.importing {
		return ErrImporting
	}
	if err := c.st.BeginBatch(); err != nil {
		return fmt.Errorf("chain: beginning the import batch: %w", err)
	}
	c.importing = true
	return nil
}

// EndImport commits the import batch, publishes the events held for it, and returns to
// one commit per block. Without an import it does nothing. A failed commit (a full disk:
// store.ErrWrite) loses the uncommitted blocks, never a part of one, and their events are
// not published; the store then refuses writes until it is reopened.
func (c *Chain) EndImport() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.endImport()
}

func (c *Chain) endImport() error {
	if !c.importing {
		return nil
	}
	c.importing = false
	if err := c.st.Flush(); err != nil {
		c.held = nil
		return fmt.Errorf("chain: committing the import batch: %w", err)
	}
	c.publishHeld()
	return nil
}

// Importing reports whether an import batch is open.
func (c *Chain) Importing() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.importing
}

// release hands the journal of a ProcessBlock call to the subscribers: at once, or while
// importing once the store has committed every block it names.
func (c *Chain) release() {
	if !c.importing {
		c.hub.publish(netEvents(c.journal))
		c.journal = c.journal[:0]
		return
	}
	for _, ev := range c.journal {
		if ev.Kind == Connected {
			ev.Block = nil // read back at publication: the store holds it
		}
		c.held = append(c.held, ev)
	}
	c.journal = c.journal[:0]
	if c.st.Pending() == 0 {
		c.publishHeld()
	}
}

// publishHeld publishes the held events, reading back the blocks they dropped. A block
// that cannot be read ends every subscription with ErrSubscriberLagged (resynchronise from
// the store): an event is never delivered without its block, nor skipped.
func (c *Chain) publishHeld() {
	evs := netEvents(c.held)
	c.held = nil
	if len(evs) == 0 || !c.hub.subscribed() {
		return
	}
	for i := range evs {
		if evs[i].Block != nil {
			continue
		}
		blk, err := c.storedBlock(evs[i].Hash)
		if err != nil {
			c.hub.endAll(fmt.Errorf("%w: the block of a held %s event (%d %s) is unreadable: %w",
				ErrSubscriberLagged, evs[i].Kind, evs[i].Height, evs[i].Hash, err))
			return
		}
		evs[i].Block = blk
	}
	c.hub.publish(evs)
}

// storedBlock reads a block's body from the main chain's bodies or the side bodies (a
// block disconnected since).
func (c *Chain) storedBlock(hash mvs.Hash) (*block.Block, error) {
	raw, err := c.st.Body(hash)
	if err != nil {
		return nil, err
	}
	return block.Decode(raw)
}

// pruneSide drops the stored side-chain bodies beyond the bounds: those more than
// sideKeepDepth below the tip or without a header, then the lowest until at most
// maxStoredSide remain. A low-work branch fed by a peer thus costs bounded disk.
func (c *Chain) pruneSide() error {
	c.sidePuts = 0
	kept, err := c.st.SideBlocks()
	if err != nil || len(kept) == 0 {
		return err
	}
	_, tip, err := c.st.Tip()
	if err != nil {
		return err
	}
	type body struct {
		hash   mvs.Hash
		height uint32
	}
	var live []body
	var drop []mvs.Hash
	for _, k := range kept {
		rec, err := c.st.Header(k.Hash)
		switch {
		case errors.Is(err, store.ErrNotFound):
			drop = append(drop, k.Hash)
		case err != nil:
			return err
		case rec.Height+c.sideKeepDepth < tip:
			drop = append(drop, k.Hash)
		default:
			live = append(live, body{k.Hash, rec.Height})
		}
	}
	if extra := len(live) - c.maxStoredSide; extra > 0 {
		slices.SortFunc(live, func(a, b body) int { return cmp.Compare(a.height, b.height) })
		for _, b := range live[:extra] {
			drop = append(drop, b.hash)
		}
	}
	for _, h := range drop {
		if err := c.st.DeleteSideBlock(h); err != nil {
			return err
		}
	}
	if len(drop) > 0 {
		c.log.Info("pruned side-chain bodies", "dropped", len(drop), "kept", len(kept)-len(drop))
	}
	return nil
}

package chain

import (
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
)

// heldBlock is a block body the chain keeps in memory: an orphan, or a side-chain block.
type heldBlock struct {
	blk  *block.Block
	raw  []byte
	hash mvs.Hash
	seq  uint64 // arrival order, for evicting the oldest
}

// blockPool is a bounded set of block bodies by hash, indexed by parent, that evicts the
// oldest when either cap is passed. The orphan pool and the side-chain bodies are one each.
type blockPool struct {
	maxCount, maxBytes int
	byHash             map[mvs.Hash]*heldBlock
	byParent           map[mvs.Hash][]mvs.Hash
	order              []mvs.Hash // arrival order; entries no longer in byHash are skipped
	bytes              int
	seq                uint64
}

func newBlockPool(maxCount, maxBytes int) *blockPool {
	return &blockPool{maxCount: maxCount, maxBytes: maxBytes, byHash: map[mvs.Hash]*heldBlock{},
		byParent: map[mvs.Hash][]mvs.Hash{}}
}

func (p *blockPool) has(h mvs.Hash) bool { _, ok := p.byHash[h]; return ok }

func (p *blockPool) get(h mvs.Hash) *heldBlock { return p.byHash[h] }

func (p *blockPool) len() int { return len(p.byHash) }

// add keeps blk unless it alone passes the byte cap, evicting the oldest to make room; it
// reports whether blk was kept and the hashes it evicted.
func (p *blockPool) add(blk *block.Block, raw []byte, hash mvs.Hash) (kept bool, evicted []mvs.Hash) {
	if p.has(hash) {
		return true, nil
	}
	if p.maxCount <= 0 || len(raw) > p.maxBytes {
		return false, nil
	}
	p.seq++
	p.byHash[hash] = &heldBlock{blk: blk, raw: raw, hash: hash, seq: p.seq}
	prev := blk.Header.PreviousBlockHash
	p.byParent[prev] = append(p.byParent[prev], hash)
	p.order = append(p.order, hash)
	p.bytes += len(raw)
	for len(p.byHash) > p.maxCount || p.bytes > p.maxBytes {
		old := p.order[0]
		p.order = p.order[1:]
		if p.remove(old) != nil {
			evicted = append(evicted, old)
		}
	}
	// Compact the order list when stale entries dominate it.
	if len(p.order) > 2*len(p.byHash)+16 {
		live := p.order[:0:0]
		for _, h := range p.order {
			if p.has(h) {
				live = append(live, h)
			}
		}
		p.order = live
	}
	return true, evicted
}

// remove drops h and returns it, or nil.
func (p *blockPool) remove(h mvs.Hash) *heldBlock {
	b := p.byHash[h]
	if b == nil {
		return nil
	}
	delete(p.byHash, h)
	p.bytes -= len(b.raw)
	prev := b.blk.Header.PreviousBlockHash
	kids := p.byParent[prev]
	for i, k := range kids {
		if k == h {
			kids = append(kids[:i:i], kids[i+1:]...)
			break
		}
	}
	if len(kids) == 0 {
		delete(p.byParent, prev)
	} else {
		p.byParent[prev] = kids
	}
	return b
}

// children are the held blocks whose parent is h, oldest first.
func (p *blockPool) children(h mvs.Hash) []mvs.Hash { return append([]mvs.Hash(nil), p.byParent[h]...) }

// descendants are every held block descending from h, parents before children.
func (p *blockPool) descendants(h mvs.Hash) []mvs.Hash {
	var out []mvs.Hash
	queue := []mvs.Hash{h}
	for len(queue) > 0 {
		next := queue[0]
		queue = queue[1:]
		for _, k := range p.byParent[next] {
			out = append(out, k)
			queue = append(queue, k)
		}
	}
	return out
}

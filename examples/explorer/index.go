package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"sort"
	"sync"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/rpcclient"
	bolt "go.etcd.io/bbolt"
)

// The index is what the node's RPC cannot answer directly: the holders of an asset (no
// method lists them), the per-block figures the charts need, and the latest blocks for
// the live list. It follows the chain from genesis, one block at a time, and undoes blocks
// on a reorganization. OpenIndex keeps it in a file too (persist.go), so that a restart
// resumes where it stopped; the pages that need it say how far it has got while it
// catches up.

// BlockStat is one block as the live list and the charts show it.
type BlockStat struct {
	Height     uint64   `json:"height"`
	Hash       mvs.Hash `json:"hash"`
	Prev       mvs.Hash `json:"-"`
	Time       int64    `json:"time"`
	Txs        int      `json:"txs"`
	Difficulty float64  `json:"difficulty"` // for charts only: the exact value is on the block page
}

// holding is an unspent asset output the index tracks.
type holding struct {
	symbol  string
	address string
	qty     uint64
}

type outKey struct {
	hash  mvs.Hash
	index uint32
}

// undo is what a block changed in the holder index, to revert it on a reorganization.
type undo struct {
	spent    map[outKey]holding
	created  []outKey
	createdH []holding // createdH[i] is created[i]'s, for the index file
	issued   []holding // issue and secondary-issue outputs
}

// keepStats is how many blocks' figures the index keeps for the live list and charts;
// older ones are dropped so that memory does not grow with the chain.
const keepStats = 4096

// maxUndo is how many blocks back a reorganization can be undone, across restarts too
// (the undo data is in the file); a deeper one rebuilds the index from genesis (never
// silently keeps a wrong holder list).
const maxUndo = 200

// ErrReorgTooDeep reports a reorganization deeper than the index keeps undo data for.
var ErrReorgTooDeep = errors.New("explorer: reorganization deeper than the index's undo data")

// Index holds the followed chain's figures. Its methods are safe for concurrent use.
type Index struct {
	mu       sync.RWMutex
	base     uint64      // height of blocks[0]
	blocks   []BlockStat // the newest keepStats blocks, by height from base
	outs     map[outKey]holding
	holders  map[string]map[string]uint64
	issued   map[string]Issued
	undos    []undo // undos[i] is for blocks[len(blocks)-len(undos)+i]
	nodeTip  uint64
	tipKnown bool // nodeTip was read from the node (a loaded index has not asked yet)
	subs     map[chan BlockStat]struct{}
	follower error // the last follow error, shown on the pages

	db         *bolt.DB // nil for an in-memory index
	pending    []op     // changes not yet committed to db
	genesis    mvs.Hash // block 0's hash, once applied
	hasGenesis bool
}

// NewIndex returns an empty index held in memory only; OpenIndex keeps one in a file.
func NewIndex() *Index {
	return &Index{
		outs:    map[outKey]holding{},
		holders: map[string]map[string]uint64{},
		issued:  map[string]Issued{},
		subs:    map[chan BlockStat]struct{}{},
	}
}

// Next is the height of the next block the index expects.
func (x *Index) Next() uint64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.base + uint64(len(x.blocks))
}

// Progress is the index's height and the node's height last seen.
func (x *Index) Progress() (indexed, nodeTip uint64, synced bool, err error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	n := x.base + uint64(len(x.blocks))
	return n, x.nodeTip, x.tipKnown && n > 0 && n-1 >= x.nodeTip, x.follower
}

// Latest returns up to n of the newest blocks, newest first.
func (x *Index) Latest(n int) []BlockStat {
	x.mu.RLock()
	defer x.mu.RUnlock()
	out := make([]BlockStat, 0, n)
	for i := len(x.blocks) - 1; i >= 0 && len(out) < n; i-- {
		out = append(out, x.blocks[i])
	}
	return out
}

// Range returns the stats of up to n blocks ending at the tip, oldest first.
func (x *Index) Range(n int) []BlockStat {
	x.mu.RLock()
	defer x.mu.RUnlock()
	lo := max(0, len(x.blocks)-n)
	return append([]BlockStat(nil), x.blocks[lo:]...)
}

// Holder is one address's balance of an asset, in the asset's smallest unit.
type Holder struct {
	Address  string
	Quantity uint64
}

// Holders returns symbol's holders, largest first.
func (x *Index) Holders(symbol string) []Holder {
	x.mu.RLock()
	defer x.mu.RUnlock()
	m := x.holders[symbol]
	out := make([]Holder, 0, len(m))
	for a, q := range m {
		out = append(out, Holder{a, q})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Quantity != out[j].Quantity {
			return out[i].Quantity > out[j].Quantity
		}
		return out[i].Address < out[j].Address
	})
	return out
}

// Issued is an asset's supply as the index has seen it issued: the first issue and every
// secondary issue.
type Issued struct {
	Supply uint64
	Issues int
}

// IssuedOf returns what the index has seen of symbol's issues.
func (x *Index) IssuedOf(symbol string) Issued {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.issued[symbol]
}

// Subscribe returns a channel of newly indexed blocks and a cancel func. A subscriber that
// does not keep up misses blocks (the channel is buffered, never blocks the index); the
// live list resynchronizes from Latest when it reconnects.
func (x *Index) Subscribe() (<-chan BlockStat, func()) {
	ch := make(chan BlockStat, 16)
	x.mu.Lock()
	x.subs[ch] = struct{}{}
	x.mu.Unlock()
	return ch, func() {
		x.mu.Lock()
		delete(x.subs, ch)
		x.mu.Unlock()
	}
}

// ErrNotNext is a block that does not extend the index's tip.
var ErrNotNext = errors.New("explorer: block does not extend the indexed tip")

// ErrBadBlock is a block the index cannot hold (the node answered something no valid
// block has); it is refused, the index unchanged.
var ErrBadBlock = errors.New("explorer: block refused")

// Apply adds the block at height Next() whose previous hash is the indexed tip's.
func (x *Index) Apply(b *rpcclient.Block) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	n := x.base + uint64(len(x.blocks))
	if uint64(b.Number) != n {
		return fmt.Errorf("%w: got height %d, want %d", ErrNotNext, b.Number, n)
	}
	if len(x.blocks) > 0 && b.PreviousBlockHash != x.blocks[len(x.blocks)-1].Hash {
		return fmt.Errorf("%w: block %d's parent %s is not %s", ErrNotNext, n, b.PreviousBlockHash, x.blocks[len(x.blocks)-1].Hash)
	}
	u := undo{spent: map[outKey]holding{}}
	// A refused block must leave the index as it was: what can fail is checked before
	// anything changes.
	for i := range b.Transactions {
		for _, o := range b.Transactions[i].Outputs {
			if _, ok := assetQuantity(&o.Attachment); ok && (len(o.Attachment.Symbol) > 255 || len(o.Address) > 255) {
				return fmt.Errorf("%w: block %d has an asset output with a %d-byte symbol or %d-byte address", ErrBadBlock, n, len(o.Attachment.Symbol), len(o.Address))
			}
		}
	}
	for i := range b.Transactions {
		t := &b.Transactions[i]
		for _, in := range t.Inputs {
			k := outKey{in.PreviousOutput.Hash, uint32(in.PreviousOutput.Index)}
			if h, ok := x.outs[k]; ok {
				u.spent[k] = h
				delete(x.outs, k)
				x.addHolder(h, false)
			}
		}
		for _, o := range t.Outputs {
			q, ok := assetQuantity(&o.Attachment)
			if !ok || q == 0 || o.Address == "" {
				continue
			}
			k := outKey{t.Hash, uint32(o.Index)}
			h := holding{symbol: o.Attachment.Symbol, address: o.Address, qty: q}
			x.outs[k] = h
			x.addHolder(h, true)
			u.created = append(u.created, k)
			u.createdH = append(u.createdH, h)
			if o.Attachment.Type == rpcclient.AttachmentAssetIssue {
				x.addIssued(h, true)
				u.issued = append(u.issued, h)
			}
		}
	}
	st := BlockStat{Height: n, Hash: b.Hash, Prev: b.PreviousBlockHash, Time: int64(b.Timestamp), Txs: len(b.Transactions), Difficulty: bigFloat(b.Bits.Big())}
	x.blocks = append(x.blocks, st)
	if len(x.blocks) > 2*keepStats {
		drop := len(x.blocks) - keepStats
		x.blocks = append(x.blocks[:0], x.blocks[drop:]...)
		x.base += uint64(drop)
	}
	x.undos = append(x.undos, u)
	if n == 0 {
		x.genesis, x.hasGenesis = st.Hash, true
	}
	if x.db != nil {
		x.pending = append(x.pending, op{kind: opApply, stat: st, undo: u, first: n == 0})
	}
	if len(x.undos) > maxUndo {
		x.undos = append(x.undos[:0], x.undos[1:]...)
	}
	if n > x.nodeTip {
		x.nodeTip = n
	}
	for ch := range x.subs {
		select {
		case ch <- st:
		default:
		}
	}
	return nil
}

// assetQuantity is the asset amount an output carries: an issue's supply or a transfer's
// quantity.
func assetQuantity(a *rpcclient.Attachment) (uint64, bool) {
	switch a.Type {
	case rpcclient.AttachmentAssetIssue, rpcclient.AttachmentAssetTransfer:
		if a.Quantity == nil || a.Symbol == "" {
			return 0, false
		}
		return uint64(*a.Quantity), true
	}
	return 0, false
}

func (x *Index) addIssued(h holding, add bool) {
	is := x.issued[h.symbol]
	if add {
		is.Supply += h.qty
		is.Issues++
	} else {
		is.Supply -= h.qty
		is.Issues--
	}
	if is.Issues == 0 {
		delete(x.issued, h.symbol)
		return
	}
	x.issued[h.symbol] = is
}

func (x *Index) addHolder(h holding, add bool) {
	m := x.holders[h.symbol]
	if m == nil {
		m = map[string]uint64{}
		x.holders[h.symbol] = m
	}
	if add {
		m[h.address] += h.qty
		return
	}
	m[h.address] -= h.qty
	if m[h.address] == 0 {
		delete(m, h.address)
	}
}

// Revert removes the tip block. It fails with ErrReorgTooDeep when no undo data is left.
func (x *Index) Revert() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if len(x.undos) == 0 || len(x.blocks) == 0 {
		return ErrReorgTooDeep
	}
	u := x.undos[len(x.undos)-1]
	// Spent outputs come back first, then the block's own outputs go: an output the block
	// both made and spent (one transaction paying the next) is among both, and must end
	// up gone.
	for k, h := range u.spent {
		x.outs[k] = h
		x.addHolder(h, true)
	}
	for i := len(u.created) - 1; i >= 0; i-- {
		k := u.created[i]
		if h, ok := x.outs[k]; ok {
			delete(x.outs, k)
			x.addHolder(h, false)
		}
	}
	for _, h := range u.issued {
		x.addIssued(h, false)
	}
	st := x.blocks[len(x.blocks)-1]
	if x.db != nil {
		x.pending = append(x.pending, op{kind: opRevert, stat: st, undo: u})
	}
	if st.Height == 0 {
		x.hasGenesis = false
	}
	x.undos = x.undos[:len(x.undos)-1]
	x.blocks = x.blocks[:len(x.blocks)-1]
	return nil
}

func (x *Index) reset() {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.blocks, x.undos, x.base = nil, nil, 0
	x.outs = map[outKey]holding{}
	x.holders = map[string]map[string]uint64{}
	x.issued = map[string]Issued{}
	x.hasGenesis = false
	if x.db != nil {
		// Whatever was pending is superseded: the file is emptied in the same commit.
		x.pending = []op{{kind: opReset}}
	}
}

// Genesis is the hash of the indexed chain's block 0, when the index has it.
func (x *Index) Genesis() (mvs.Hash, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.genesis, x.hasGenesis
}

func (x *Index) setTip(h uint64, err error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if err == nil {
		x.nodeTip, x.tipKnown = h, true
	}
	x.follower = err
}

func (x *Index) clearErr() {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.follower = nil
}

func bigFloat(b *big.Int) float64 {
	f, _ := new(big.Float).SetInt(b).Float64()
	return f
}

// Follower keeps an Index up to the node's best chain: it catches up over getblock, then
// applies the blocks the node pushes, and on any gap or disagreement catches up again.
type Follower struct {
	Node  Node
	Index *Index
	// Subscribe opens the node's block push; nil polls getheight every Poll instead.
	Subscribe func(ctx context.Context) (*rpcclient.Subscription, error)
	Poll      time.Duration
	Logger    *slog.Logger
	// Params, when set, makes catch-up read blocks serialized (GetRawBlock) and decode
	// them for this network; nil reads getblock's JSON.
	Params *mvs.Params

	genesisChecked bool // the index's genesis matched the node's
}

// Run follows until ctx ends. Node errors are retried (and shown on the pages), never
// fatal: an explorer outlives its node's restarts.
func (f *Follower) Run(ctx context.Context) error {
	log := f.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	poll := f.Poll
	if poll <= 0 {
		poll = 2 * time.Second
	}
	var events <-chan rpcclient.Event
	needSync := true
	for {
		if needSync {
			err := f.CatchUp(ctx)
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				log.Warn("following the node", "err", err)
				f.Index.setTip(0, err)
			}
			needSync = err != nil
		}
		if events == nil && f.Subscribe != nil {
			sub, err := f.Subscribe(ctx)
			if err != nil {
				log.Warn("subscribing to blocks", "err", err)
			} else {
				defer sub.Close()
				events = sub.Events()
				needSync = true // what came before the subscription
				continue
			}
		}
		// With a subscription, polling is only a safety net; without one it is the feed.
		wait := poll
		if events != nil {
			wait = max(poll, 30*time.Second)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ev, ok := <-events:
			if !ok {
				events, needSync = nil, true
				continue
			}
			if ev.Kind == rpcclient.EventBlock && ev.Block != nil && uint64(ev.Block.Number) == f.Index.Next() {
				if err := f.Index.Apply(ev.Block); err == nil {
					if err := f.Index.Commit(); err != nil {
						log.Warn("writing the index", "err", err)
						f.Index.setTip(0, err)
						needSync = true // retries the commit
						continue
					}
					f.Index.clearErr() // the node is pushing again
					continue
				}
			}
			// Anything else (a gap, a reorganization, a block ahead, a height event)
			// catches up from the node.
			needSync = ev.Kind != rpcclient.EventTx
		case <-time.After(wait):
			needSync = true
		}
	}
}

// CatchUp applies blocks from the index's next height to the node's tip, reverting blocks
// the node's chain no longer has, and commits them to the index file. An index built from
// another chain (its genesis block is not the node's) is refused with ErrOtherChain.
func (f *Follower) CatchUp(ctx context.Context) error {
	// What an earlier commit failed to write goes first: while the file cannot be written,
	// nothing more is applied (the pending changes would grow without bound).
	if err := f.Index.Commit(); err != nil {
		return err
	}
	err := f.catchUp(ctx)
	// What was applied before a failure is kept: the next catch-up goes on from there.
	if cerr := f.Index.Commit(); err == nil {
		err = cerr
	}
	return err
}

// checkGenesis refuses a node of another chain than the index's. It asks the node once,
// and again before any revert: a node swapped for another chain's looks like a
// reorganization, which must not empty the index.
func (f *Follower) checkGenesis(ctx context.Context, again bool) error {
	g, ok := f.Index.Genesis()
	if !ok || (f.genesisChecked && !again) {
		return nil
	}
	h, err := f.Node.GetBlockHeader(ctx, rpcclient.ByHeight(0))
	if err != nil {
		return err
	}
	if h.Hash != g {
		return fmt.Errorf("%w: the index's block 0 is %s, the node's %s (remove the index file or use another --data-dir)", ErrOtherChain, g, h.Hash)
	}
	f.genesisChecked = true
	return nil
}

// revert removes the tip block, after making sure the node is of the index's chain.
func (f *Follower) revert(ctx context.Context) error {
	if err := f.checkGenesis(ctx, true); err != nil {
		return err
	}
	f.revertOrReset()
	return nil
}

func (f *Follower) catchUp(ctx context.Context) error {
	if err := f.checkGenesis(ctx, false); err != nil {
		return err
	}
	for {
		tip, err := f.Node.GetHeight(ctx)
		if err != nil {
			return err
		}
		f.Index.setTip(tip, nil)
		next := f.Index.Next()
		if next > tip+1 {
			// The node's chain is shorter than ours: a reorganization to a shorter (heavier)
			// branch, or another node behind the same address.
			if err := f.revert(ctx); err != nil {
				return err
			}
			continue
		}
		if next == tip+1 {
			// Same height: make sure it is the same block.
			if next == 0 {
				return nil
			}
			h, err := f.Node.GetBlockHeader(ctx, rpcclient.ByHeight(next-1))
			if err != nil {
				return err
			}
			if l := f.Index.Latest(1); len(l) == 1 && h.Hash == l[0].Hash {
				return nil
			}
			if err := f.revert(ctx); err != nil {
				return err
			}
			continue
		}
		if err := f.fetchApply(ctx, next, tip); err != nil {
			return err
		}
	}
}

// fetchAhead is how many blocks catch-up has in flight at once: a node across a network
// answers several requests in the time of one round trip, and decoding a block's JSON
// overlaps applying the one before.
const fetchAhead = 16

// commitEvery is how many blocks catch-up applies between commits to the index file: one
// transaction (and one fsync) per block would bound catch-up by the disk, one for
// thousands would lose more to a crash and hold more pending in memory.
const commitEvery = 512

// fetchApply reads blocks from..to from the node, fetchAhead in flight, and applies them
// in order, committing every commitEvery; a block that does not extend the tip reverts
// one block and returns, for CatchUp to look again.
func (f *Follower) fetchApply(ctx context.Context, from, to uint64) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the fetches still in flight when this returns early
	type result struct {
		b   *rpcclient.Block
		err error
	}
	// queue holds one channel per requested block, in height order; its capacity bounds
	// the requests in flight.
	queue := make(chan chan result, fetchAhead)
	go func() {
		defer close(queue)
		for h := from; h <= to; h++ {
			ch := make(chan result, 1)
			select {
			case queue <- ch:
			case <-ctx.Done():
				return
			}
			go func() {
				var r result
				if f.Params != nil {
					r.b, r.err = rawBlock(ctx, f.Node, f.Params, h)
				} else {
					r.b, r.err = f.Node.GetBlock(ctx, rpcclient.ByHeight(h))
				}
				ch <- r
			}()
		}
	}()
	applied := 0
	for ch := range queue {
		r := <-ch
		if r.err != nil {
			return r.err
		}
		if err := f.Index.Apply(r.b); err != nil {
			if !errors.Is(err, ErrNotNext) {
				return err
			}
			return f.revert(ctx)
		}
		if applied++; applied%commitEvery == 0 {
			if err := f.Index.Commit(); err != nil {
				return err
			}
		}
	}
	return ctx.Err()
}

func (f *Follower) revertOrReset() {
	if err := f.Index.Revert(); errors.Is(err, ErrReorgTooDeep) {
		if f.Logger != nil {
			f.Logger.Warn("reorganization deeper than the undo data: rebuilding the index from genesis", "undo_depth", maxUndo)
		}
		f.Index.reset()
	}
}

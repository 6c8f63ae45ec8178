// Package mempool is the reference node's memory pool: the unconfirmed transactions the
// node relays and mines. A transaction enters only if the next block on the tip could hold
// it (every consensus rule, through chain.CheckTx, over the store's unspent set plus the
// pool's own outputs) and the reference node's policy agrees: no coinbase, not already
// mined, no output spent twice in the pool, the issue/DID special fees its miner enforces
// (asset.CheckSpecialFees), and no two pool transactions registering one symbol or DID
// address (asset.BlockRegistrations, did.Pool).
//
// Use:
//
//	pool, err := mempool.New(mempool.Config{Params: p, Store: st})
//	accepted, err := pool.Accept(t)    // t and the orphans it released, in order
//	pool.Update(connected, disconnected) // after each chain change (chain.Event blocks)
//	cands := pool.Template(maxBytes)     // for chain.NewPoWTemplate, parents first
//
// Where this departs from the reference (transaction_pool.cpp) and why:
//   - The reference keeps 4,096 transactions in a ring that silently drops the oldest. This
//     pool caps transactions and bytes, and when full evicts the lowest fee rate (with the
//     transactions spending it); a candidate that would be the one evicted is refused with
//     ErrPoolFull, so a flood of cheap transactions cannot push out paying ones.
//   - Transactions whose inputs are unknown wait in a bounded orphan pool (count and bytes,
//     oldest evicted first) until their parent arrives; the reference refuses them.
//   - After a reorganisation the transactions of disconnected blocks come back, and every
//     pool transaction is judged again against the new tip; those no longer valid leave.
//   - A transaction spending an output of a pool transaction that issues or registers
//     something (an asset, a certificate, an MIT, a DID) is judged against the registries
//     of the tip, which do not know that registration yet: it is refused until the
//     registration is mined, as the reference's registry lookups do.
//
// A Pool is safe for concurrent use.
package mempool

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/asset"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/did"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
)

// Defaults of Config.
const (
	DefaultMaxTxs         = 4096 // the reference's transaction_pool_capacity
	DefaultMaxBytes       = 64 << 20
	DefaultMaxOrphans     = 256
	DefaultMaxOrphanBytes = 4 << 20
)

// Errors of Accept. A consensus refusal is a *chain.RuleError instead.
var (
	ErrCoinbase     = errors.New("mempool: a coinbase transaction is never relayed")
	ErrDuplicate    = errors.New("mempool: transaction already in the pool")
	ErrMined        = errors.New("mempool: transaction already mined")
	ErrDoubleSpend  = errors.New("mempool: an output it spends is spent by a pool transaction")
	ErrRegistration = errors.New("mempool: a symbol or DID it registers is registered by a pool transaction")
	ErrPoolFull     = errors.New("mempool: pool full and the fee rate too low to evict another")
	ErrTooLarge     = errors.New("mempool: transaction larger than the pool")
	// ErrOrphan is not a refusal: an input's transaction is unknown, and the transaction
	// waits in the orphan pool until it arrives.
	ErrOrphan = errors.New("mempool: held as an orphan until its parent arrives")
	ErrConfig = errors.New("mempool: invalid Config")
)

// Config is what New needs; Params and Store are required.
type Config struct {
	Params *mvs.Params
	Store  *store.Store
	// MaxTxs and MaxBytes cap the pool; MaxOrphans and MaxOrphanBytes the orphans. Zero
	// is the default.
	MaxTxs, MaxBytes           int
	MaxOrphans, MaxOrphanBytes int
	// NoSpecialFees drops the reference miner's issue/DID fee policy (tests of consensus).
	NoSpecialFees bool
	Logger        *slog.Logger
}

// entry is a pool transaction.
type entry struct {
	t       *tx.Tx
	hash    mvs.Hash
	size    int
	fee     mvs.Amount
	seq     uint64 // acceptance order: parents before children
	special bool   // carries registrations or DID attachments (the accumulators' business)
}

func (e *entry) feeRate() float64 { return float64(e.fee) / float64(e.size) }

// Pool is the memory pool. The zero value is not usable: call New.
type Pool struct {
	mu    sync.Mutex
	cfg   Config
	log   *slog.Logger
	txs   map[mvs.Hash]*entry
	spent map[tx.OutPoint]mvs.Hash // outpoint -> the pool transaction spending it
	bytes int
	seq   uint64
	// changes moves on every addition and removal (Changes).
	changes uint64

	orphans     map[mvs.Hash]*entry
	orphanOrder []mvs.Hash
	orphanBytes int
}

// New returns an empty pool over cfg.Store's tip.
func New(cfg Config) (*Pool, error) {
	if cfg.Params == nil || cfg.Store == nil {
		return nil, fmt.Errorf("%w: Params and Store are required", ErrConfig)
	}
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&cfg.MaxTxs, DefaultMaxTxs)
	def(&cfg.MaxBytes, DefaultMaxBytes)
	def(&cfg.MaxOrphans, DefaultMaxOrphans)
	def(&cfg.MaxOrphanBytes, DefaultMaxOrphanBytes)
	p := &Pool{cfg: cfg, log: cfg.Logger, txs: map[mvs.Hash]*entry{}, spent: map[tx.OutPoint]mvs.Hash{},
		orphans: map[mvs.Hash]*entry{}}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	return p, nil
}

// Len and Bytes are the pool's size; Orphans the orphans held.
func (p *Pool) Len() int { p.mu.Lock(); defer p.mu.Unlock(); return len(p.txs) }

// Changes is a counter that moves whenever a transaction enters or leaves the pool: equal
// readings mean a template built between them is still the pool's best (the miner reuses
// its work while the tip and this stay put).
func (p *Pool) Changes() uint64 { p.mu.Lock(); defer p.mu.Unlock(); return p.changes }
func (p *Pool) Bytes() int      { p.mu.Lock(); defer p.mu.Unlock(); return p.bytes }
func (p *Pool) Orphans() int    { p.mu.Lock(); defer p.mu.Unlock(); return len(p.orphans) }

// Has reports whether the pool (orphans excluded) holds hash.
func (p *Pool) Has(hash mvs.Hash) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.txs[hash] != nil
}

// Get is a pool transaction (shared: read it, do not change it).
func (p *Pool) Get(hash mvs.Hash) (*tx.Tx, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if e := p.txs[hash]; e != nil {
		return e.t, true
	}
	return nil, false
}

// Txs is every pool transaction, parents before children.
func (p *Pool) Txs() []*tx.Tx {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]*tx.Tx, 0, len(p.txs))
	for _, e := range p.ordered() {
		out = append(out, e.t)
	}
	return out
}

func (p *Pool) ordered() []*entry {
	es := make([]*entry, 0, len(p.txs))
	for _, e := range p.txs {
		es = append(es, e)
	}
	slices.SortFunc(es, func(a, b *entry) int { return cmp.Compare(a.seq, b.seq) })
	return es
}

// Accept judges t and adds it: it returns t followed by the orphans it let in, in the order
// they entered. ErrOrphan means t waits for a parent; a *chain.RuleError is a consensus
// refusal; the other errors are this package's policy refusals. Any error but a read
// failure means t was not added.
func (p *Pool) Accept(t *tx.Tx) ([]*tx.Tx, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	nb, err := chain.NextBlockContext(p.cfg.Store, p.cfg.Params)
	if err != nil {
		return nil, err
	}
	e, err := p.accept(t, nb, true)
	if err != nil {
		if errors.Is(err, ErrOrphan) {
			p.addOrphan(e)
		}
		return nil, err
	}
	out := []*tx.Tx{t}
	// Orphans spending what just entered, breadth first.
	for queue := []mvs.Hash{e.hash}; len(queue) > 0; queue = queue[1:] {
		for _, o := range p.orphansOf(queue[0]) {
			p.removeOrphan(o.hash)
			if oe, err := p.accept(o.t, nb, true); err == nil {
				out = append(out, o.t)
				queue = append(queue, oe.hash)
			} else if errors.Is(err, ErrOrphan) {
				p.addOrphan(oe) // another parent still missing
			}
		}
	}
	return out, nil
}

// accept is Accept's judgement of one transaction at nb; scripts says whether the input
// scripts are verified (transactions judged again after a block skip them: their scripts
// do not depend on the chain).
func (p *Pool) accept(t *tx.Tx, nb chain.NextBlock, scripts bool) (*entry, error) {
	hash := t.Hash()
	e := &entry{t: t, hash: hash, size: t.SerializeSize()}
	if t.IsCoinbase() {
		return nil, ErrCoinbase
	}
	if p.txs[hash] != nil {
		return nil, ErrDuplicate
	}
	if _, err := p.cfg.Store.TxLocation(hash); err == nil {
		return nil, ErrMined
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if e.size > p.cfg.MaxBytes {
		return nil, ErrTooLarge
	}
	view := &poolView{p: p, base: chain.StoreUTXOs(p.cfg.Store), height: nb.Height}
	for i := range t.Inputs {
		op := t.Inputs[i].PreviousOutput
		if by, ok := p.spent[op]; ok {
			return nil, fmt.Errorf("%w: input %d spends %v, spent by %s", ErrDoubleSpend, i, op, by)
		}
		_, ok, err := view.UTXO(op)
		if err != nil {
			return nil, err
		}
		if ok {
			continue
		}
		// Unknown: an orphan, unless its transaction is mined (the output is spent).
		if _, err := p.cfg.Store.TxLocation(op.Hash); errors.Is(err, store.ErrNotFound) {
			return e, fmt.Errorf("%w: input %d spends %v", ErrOrphan, i, op)
		} else if err != nil {
			return nil, err
		}
	}
	var fee mvs.Amount
	var err error
	if scripts {
		fee, err = chain.CheckTx(t, nb.BlockContext, view, chain.NewStoreState(p.cfg.Store, p.cfg.Params).Registries())
	} else {
		fee, _, err = chain.CheckTxDeferScripts(t, nb.BlockContext, view, chain.NewStoreState(p.cfg.Store, p.cfg.Params).Registries())
	}
	if herr := nb.Headers.Err(); herr != nil {
		return nil, herr
	}
	if err != nil {
		return nil, err
	}
	e.fee = fee
	if !p.cfg.NoSpecialFees {
		if err := asset.CheckSpecialFees(t, fee, p.cfg.Params); err != nil {
			return nil, err
		}
	}
	e.special = hasRegistrations(t)
	if e.special {
		if err := p.checkRegistrations(t); err != nil {
			return nil, err
		}
	}
	if err := p.makeRoom(e); err != nil {
		return nil, err
	}
	p.add(e)
	return e, nil
}

// hasRegistrations reports whether t has outputs the block accumulators track.
func hasRegistrations(t *tx.Tx) bool {
	for i := range t.Outputs {
		a := &t.Outputs[i].Attachment
		if a.Version == tx.AttachVersionDID {
			return true
		}
		switch p := a.Payload.(type) {
		case *tx.AssetCert, *tx.MIT, *tx.DID:
			return true
		case *tx.AssetDetail:
			if !p.IsSecondaryIssue() {
				return true
			}
		}
	}
	return false
}

// checkRegistrations replays the pool's registering transactions, in order, then t, as the
// reference rebuilds its symbol check for every candidate.
func (p *Pool) checkRegistrations(t *tx.Tx) error {
	var regs asset.BlockRegistrations
	var dids did.Pool
	for _, e := range p.ordered() {
		if e.special {
			if err := regs.Add(e.t); err != nil {
				return err
			}
			if err := dids.Add(e.t); err != nil {
				return err
			}
		}
	}
	if err := regs.Add(t); err != nil {
		return fmt.Errorf("%w: %w", ErrRegistration, err)
	}
	if err := dids.Add(t); err != nil {
		return fmt.Errorf("%w: %w", ErrRegistration, err)
	}
	return nil
}

// makeRoom evicts the lowest fee rates (each with what spends it) until e fits, or refuses
// e if it would itself be evicted first.
func (p *Pool) makeRoom(e *entry) error {
	for len(p.txs)+1 > p.cfg.MaxTxs || p.bytes+e.size > p.cfg.MaxBytes {
		var worst *entry
		for _, c := range p.txs {
			if worst == nil || c.feeRate() < worst.feeRate() || (c.feeRate() == worst.feeRate() && c.seq > worst.seq) {
				worst = c
			}
		}
		if worst == nil || worst.feeRate() >= e.feeRate() {
			return ErrPoolFull
		}
		p.log.Debug("evicted by fee rate", "tx", worst.hash, "rate", worst.feeRate())
		p.removeWithDescendants(worst.hash)
	}
	return nil
}

func (p *Pool) add(e *entry) {
	p.changes++
	p.seq++
	e.seq = p.seq
	p.txs[e.hash] = e
	p.bytes += e.size
	for i := range e.t.Inputs {
		p.spent[e.t.Inputs[i].PreviousOutput] = e.hash
	}
}

// removeWithDescendants removes hash and every pool transaction spending its outputs.
func (p *Pool) removeWithDescendants(hash mvs.Hash) {
	queue := []mvs.Hash{hash}
	for len(queue) > 0 {
		h := queue[0]
		queue = queue[1:]
		e := p.txs[h]
		if e == nil {
			continue
		}
		for i := range e.t.Outputs {
			if by, ok := p.spent[tx.OutPoint{Hash: h, Index: uint32(i)}]; ok {
				queue = append(queue, by)
			}
		}
		p.remove(e)
	}
}

func (p *Pool) remove(e *entry) {
	p.changes++
	delete(p.txs, e.hash)
	p.bytes -= e.size
	for i := range e.t.Inputs {
		if p.spent[e.t.Inputs[i].PreviousOutput] == e.hash {
			delete(p.spent, e.t.Inputs[i].PreviousOutput)
		}
	}
}

// ---- orphans ----

func (p *Pool) addOrphan(e *entry) {
	if e == nil || p.orphans[e.hash] != nil || e.size > p.cfg.MaxOrphanBytes {
		return
	}
	for len(p.orphans) >= p.cfg.MaxOrphans || p.orphanBytes+e.size > p.cfg.MaxOrphanBytes {
		p.removeOrphan(p.orphanOrder[0])
	}
	p.orphans[e.hash] = e
	p.orphanOrder = append(p.orphanOrder, e.hash)
	p.orphanBytes += e.size
}

func (p *Pool) removeOrphan(h mvs.Hash) {
	e := p.orphans[h]
	if e == nil {
		return
	}
	delete(p.orphans, h)
	p.orphanBytes -= e.size
	if i := slices.Index(p.orphanOrder, h); i >= 0 {
		p.orphanOrder = slices.Delete(p.orphanOrder, i, i+1)
	}
}

// orphansOf are the orphans spending an output of parent, oldest first.
func (p *Pool) orphansOf(parent mvs.Hash) []*entry {
	var out []*entry
	for _, h := range p.orphanOrder {
		e := p.orphans[h]
		if slices.ContainsFunc(e.t.Inputs, func(in tx.Input) bool { return in.PreviousOutput.Hash == parent }) {
			out = append(out, e)
		}
	}
	return out
}

// ---- chain changes ----

// Update follows the chain: connected are the blocks that joined the main chain, and
// disconnected those that left it (a reorganisation), in any order within each list. The
// transactions of disconnected blocks that no connected block holds come back first; then
// every pool transaction is judged again against the new tip, parents first, and those no
// longer valid (mined, spending what a block spent, registering what a block registered,
// or whose parent left) are dropped. It returns the transactions dropped, for logging.
func (p *Pool) Update(connected, disconnected []*block.Block) (dropped []mvs.Hash, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	mined := map[mvs.Hash]bool{}
	for _, b := range connected {
		for i := range b.Transactions {
			mined[b.Transactions[i].Hash()] = true
		}
	}
	var back []*tx.Tx
	slices.SortFunc(disconnected, func(a, b *block.Block) int { return cmp.Compare(a.Header.Height, b.Header.Height) })
	for _, b := range disconnected {
		for i := range b.Transactions[1:] {
			t := &b.Transactions[1+i]
			if !mined[t.Hash()] && !t.IsCoinstake() {
				back = append(back, t)
			}
		}
	}
	old := p.ordered()
	clear(p.txs)
	clear(p.spent)
	p.bytes = 0
	nb, err := chain.NextBlockContext(p.cfg.Store, p.cfg.Params)
	if err != nil {
		return nil, err
	}
	for _, t := range back {
		if _, err := p.accept(t, nb, false); err != nil {
			p.log.Debug("a transaction of a disconnected block stays out", "tx", t.Hash(), "err", err)
		}
	}
	for _, e := range old {
		if _, err := p.accept(e.t, nb, false); err != nil {
			if !mined[e.hash] && !errors.Is(err, ErrDuplicate) {
				p.log.Debug("dropped after a chain change", "tx", e.hash, "err", err)
			}
			if !errors.Is(err, ErrDuplicate) {
				dropped = append(dropped, e.hash)
			}
		}
	}
	for h := range p.orphans {
		if mined[h] {
			p.removeOrphan(h)
		}
	}
	return dropped, nil
}

// Template is the pool's transactions for a block of at most maxBytes of them, with their
// fees (chain.NewPoWTemplate's input): the highest fee rates first, each after its pool
// parents. Those the store's tip has mined or whose inputs it has spent are left out (and
// their descendants), even before Update has dropped them.
func (p *Pool) Template(maxBytes int) []chain.Candidate {
	p.mu.Lock()
	defer p.mu.Unlock()
	es := p.ordered()
	slices.SortStableFunc(es, func(a, b *entry) int { return cmp.Compare(b.feeRate(), a.feeRate()) })
	in, bad := map[mvs.Hash]bool{}, map[mvs.Hash]bool{}
	var out []chain.Candidate
	size := 0
	for progress := true; progress; {
		progress = false
		for _, e := range es {
			if in[e.hash] || size+e.size > maxBytes {
				continue
			}
			if bad[e.hash] {
				continue
			}
			ready := true
			for i := range e.t.Inputs {
				h := e.t.Inputs[i].PreviousOutput.Hash
				if bad[h] {
					bad[e.hash], progress = true, true // a descendant of one left out
					ready = false
					break
				}
				if p.txs[h] != nil && !in[h] {
					ready = false
					break
				}
			}
			if ready && !p.stillValid(e) {
				bad[e.hash], progress = true, true // waits for Update to drop it
				continue
			}
			if ready {
				in[e.hash], size, progress = true, size+e.size, true
				out = append(out, chain.Candidate{Tx: e.t, Fee: e.fee})
			}
		}
	}
	return out
}

// stillValid reports whether e is not mined and its inputs are still unspent in the store
// or made by the pool: Update follows the chain asynchronously, and a template built in
// between must not hold a transaction the tip already has.
func (p *Pool) stillValid(e *entry) bool {
	if _, err := p.cfg.Store.TxLocation(e.hash); err == nil {
		return false
	}
	for i := range e.t.Inputs {
		op := e.t.Inputs[i].PreviousOutput
		if p.txs[op.Hash] != nil {
			continue
		}
		if _, err := p.cfg.Store.UTXO(op); err != nil {
			return false
		}
	}
	return true
}

// poolView is the store's unspent set plus the pool's outputs, minus what the pool spends.
type poolView struct {
	p      *Pool
	base   chain.UTXOView
	height uint32
}

func (v *poolView) UTXO(op tx.OutPoint) (chain.UTXO, bool, error) {
	if _, spent := v.p.spent[op]; spent {
		return chain.UTXO{}, false, nil
	}
	if e := v.p.txs[op.Hash]; e != nil {
		if int(op.Index) >= len(e.t.Outputs) {
			return chain.UTXO{}, false, nil
		}
		return chain.UTXO{Output: e.t.Outputs[op.Index], Height: v.height}, true, nil
	}
	return v.base.UTXO(op)
}

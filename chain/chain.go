package chain

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"slices"
	"sync"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/store"
)

// Default caps of the in-memory block bodies.
const (
	DefaultMaxOrphans     = 128
	DefaultMaxOrphanBytes = 32 << 20
	DefaultMaxSideBlocks  = 1024
	DefaultMaxSideBytes   = 64 << 20
	// DefaultMaxStoredSide and DefaultSideKeepDepth bound the side-chain bodies kept on
	// disk: at most that many, none more than that many blocks below the tip.
	DefaultMaxStoredSide = 4096
	DefaultSideKeepDepth = 2016
	// sidePruneEvery is how many side bodies are stored between two prunings.
	sidePruneEvery = 64
	// maxInvalidMemory caps the hashes remembered invalid in memory only (headers that
	// were never stored: a bad seal, a bad parent).
	maxInvalidMemory = 4096
)

// Config is what New needs. Params, Store and State are required, and so is Seal unless
// NoSealCheck says the caller verifies seals before ProcessBlock.
type Config struct {
	Params *mvs.Params
	// Store is the opened chain state. The Chain is its only writer: connect nothing to it
	// and open no batch on it while the Chain is in use (BeginImport is the Chain's batch).
	Store *store.Store
	// State gives the registries and lookups the rules read and the record writes of a
	// block (NewStoreState over Store).
	State State
	// Seal verifies PoW seals (*ethash.Verifier).
	Seal SealVerifier
	// NoSealCheck skips the seal in CheckHeader: the caller has checked the seals of the
	// blocks it passes (block.VerifySeals over a run of headers).
	NoSealCheck bool
	// Now is the clock of the future-timestamp rules; nil is time.Now.
	Now func() time.Time
	// AssumeValid is a block hash whose ancestors' (and its own) input scripts are not
	// verified when they are connected, once its header is known and they lead to it
	// (bitcoind's -assumevalid). Every other rule still applies. Zero verifies everything.
	AssumeValid mvs.Hash
	// MaxOrphans and MaxOrphanBytes cap the blocks held until their parent arrives; the
	// oldest is evicted first. Zero is the default.
	MaxOrphans, MaxOrphanBytes int
	// MaxSideBlocks and MaxSideBytes cap the side-chain bodies held in memory (the store
	// keeps main-chain bodies only). A side-chain body evicted, or lost in a restart, must
	// be fetched again before the chain can switch to its branch (Result.Missing).
	MaxSideBlocks, MaxSideBytes int
	// MaxStoredSide and SideKeepDepth bound the side-chain bodies the store keeps (which
	// survive a restart): at most MaxStoredSide, the lowest dropped first, and none more
	// than SideKeepDepth blocks below the tip. A dropped body is fetched again if its branch
	// ever gains the most work (Result.Missing). Zero is the default.
	MaxStoredSide int
	SideKeepDepth uint32
	// ScriptWorkers is VerifyScripts' worker count; 0 is GOMAXPROCS.
	ScriptWorkers int
	// Logger receives reorganisations, refusals and evictions; nil discards.
	Logger *slog.Logger
}

// Verdict is what ProcessBlock made of a block.
type Verdict int

const (
	// MainChain: the block is on the main chain (it extended it or won a reorganisation).
	MainChain Verdict = iota + 1
	// SideChain: valid as far as checked, on a branch with no more work than the main chain.
	SideChain
	// Orphan: the parent is unknown; the block is held until it arrives.
	Orphan
	// Duplicate: the block is already known (main chain, side chain or orphan pool).
	Duplicate
	// Invalid: the block breaks a rule; Result.Err says which.
	Invalid
)

func (v Verdict) String() string {
	switch v {
	case MainChain:
		return "main chain"
	case SideChain:
		return "side chain"
	case Orphan:
		return "orphan"
	case Duplicate:
		return "duplicate"
	case Invalid:
		return "invalid"
	}
	return fmt.Sprintf("Verdict(%d)", int(v))
}

// Result is ProcessBlock's answer for one block.
type Result struct {
	Verdict Verdict
	Hash    mvs.Hash
	Height  uint32
	// Err is the refusal of an Invalid block.
	Err *RuleError
	// Missing lists the side-chain blocks whose bodies the chain lacks to switch to a
	// heavier branch (evicted or lost in a restart): fetch and process them.
	Missing []mvs.Hash
}

// Chain connects blocks to a store: it validates them in context, holds orphans, chooses the
// branch with the most work, reorganises, and publishes the main chain's changes. Its
// methods are safe for concurrent use; blocks are processed one at a time.
type Chain struct {
	mu      sync.Mutex
	p       *mvs.Params
	st      *store.Store
	state   State
	seal    SealVerifier
	now     func() time.Time
	av      mvs.Hash
	workers int
	log     *slog.Logger

	orphans *blockPool
	side    *blockPool
	invalid map[mvs.Hash]*RuleError
	closed  bool
	journal []Event // main-chain changes of the current call, published at its end
	// importing: a store batch is open (BeginImport); held are the events of blocks it has
	// not committed yet, published once it has.
	importing bool
	held      []Event
	pending   *heldBlock // the block being processed, whose body no pool may hold
	avIndex   *ancestry  // the assumed-valid block's ancestors, once its header is known
	// lastBranch is the branch of the last header stored, reused by the next header on it;
	// dropped when a block is disconnected (the main chain below it may change).
	lastBranch *branchHeaders

	hub hub

	maxStoredSide int
	sideKeepDepth uint32
	sidePuts      int // side bodies stored since the last pruning
}

// New returns a Chain over cfg.Store, whose tip is the chain's.
func New(cfg Config) (*Chain, error) {
	switch {
	case cfg.Params == nil:
		return nil, fmt.Errorf("%w: Params is nil", ErrConfig)
	case cfg.Store == nil:
		return nil, fmt.Errorf("%w: Store is nil", ErrConfig)
	case cfg.State == nil:
		return nil, fmt.Errorf("%w: State is nil", ErrConfig)
	case cfg.Seal == nil && !cfg.NoSealCheck:
		return nil, fmt.Errorf("%w: Seal is nil and NoSealCheck is not set", ErrConfig)
	}
	if _, err := cfg.Store.Header(cfg.Params.GenesisHash); err != nil {
		return nil, fmt.Errorf("%w: the store has no %s genesis header: %w", ErrConfig, cfg.Params.Name, err)
	}
	c := &Chain{p: cfg.Params, st: cfg.Store, state: cfg.State, now: cfg.Now, av: cfg.AssumeValid,
		workers: cfg.ScriptWorkers, log: cfg.Logger, invalid: map[mvs.Hash]*RuleError{},
		hub: hub{subs: map[*Subscription]struct{}{}}}
	if !cfg.NoSealCheck {
		c.seal = cfg.Seal
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	orDefault := func(v, d int) int {
		if v == 0 {
			return d
		}
		return v
	}
	c.orphans = newBlockPool(orDefault(cfg.MaxOrphans, DefaultMaxOrphans), orDefault(cfg.MaxOrphanBytes, DefaultMaxOrphanBytes))
	c.side = newBlockPool(orDefault(cfg.MaxSideBlocks, DefaultMaxSideBlocks), orDefault(cfg.MaxSideBytes, DefaultMaxSideBytes))
	c.maxStoredSide = orDefault(cfg.MaxStoredSide, DefaultMaxStoredSide)
	c.sideKeepDepth = cfg.SideKeepDepth
	if c.sideKeepDepth == 0 {
		c.sideKeepDepth = DefaultSideKeepDepth
	}
	// What an earlier run left beyond the bounds goes now.
	if err := c.pruneSide(); err != nil {
		return nil, err
	}
	return c, nil
}

// Close commits an open import batch (EndImport), ends every subscription with ErrClosed
// and refuses further blocks. The store stays open: it is the caller's.
func (c *Chain) Close() error {
	c.mu.Lock()
	err := c.endImport()
	c.closed = true
	c.mu.Unlock()
	c.hub.closeAll()
	return err
}

// Tip is the main chain's tip.
func (c *Chain) Tip() (mvs.Hash, uint32, error) { return c.st.Tip() }

// Orphans is the number of blocks held for an unknown parent.
func (c *Chain) Orphans() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.orphans.len()
}

// ProcessBlock judges blk (raw is its encoding as received; nil encodes blk) and connects
// it: the main chain grows or reorganises to the branch with the most work, strictly more
// than the tip's. For an Invalid block the error is Result.Err (a *RuleError). Any other
// error is a failure to judge (a store failure, ctx cancelled, the Chain closed): with a
// zero Verdict the block may be passed again; with another, the block was judged and the
// failure hit the orphans it released. The store must have been written through a Chain
// (block.Genesis's header is written by store.Open; every other header by the Chain).
//
// Main-chain changes (including those of orphans this block let connect) are published to
// subscribers before it returns.
func (c *Chain) ProcessBlock(ctx context.Context, blk *block.Block, raw []byte) (Result, error) {
	if blk == nil {
		return Result{}, fmt.Errorf("%w: nil block", ErrConfig)
	}
	if err := checkRaw(blk, &raw); err != nil {
		return Result{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return Result{}, ErrClosed
	}
	c.journal = c.journal[:0]
	res, err := c.process(ctx, blk, raw)
	c.release()
	if err == nil && res.Verdict == Invalid {
		return res, res.Err
	}
	return res, err
}

// checkRaw fills a nil raw, and refuses bytes that are not blk's encoding (a canonical one
// or another that decodes to the same block).
func checkRaw(blk *block.Block, raw *[]byte) error {
	enc := blk.Bytes()
	if *raw == nil {
		*raw = enc
		return nil
	}
	if bytes.Equal(*raw, enc) {
		return nil
	}
	other, err := block.Decode(*raw)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrRawMismatch, err)
	}
	if other.Hash() != blk.Hash() || !slices.Equal(other.TxHashes(), blk.TxHashes()) ||
		other.Signature != blk.Signature || other.PublicKey != blk.PublicKey {
		return ErrRawMismatch
	}
	return nil
}

func (c *Chain) process(ctx context.Context, blk *block.Block, raw []byte) (Result, error) {
	hash := blk.Hash()
	res := Result{Hash: hash, Height: blk.Header.Height}
	rec, known, err := c.header(hash)
	if err != nil {
		return Result{}, err
	}
	if re := c.invalid[hash]; re != nil {
		return invalidResult(res, re), nil
	}
	if known && rec.Status&store.StatusInvalid != 0 {
		return invalidResult(res, ruleErr(ErrKnownInvalid, rec.Height, hash, "marked invalid in the store")), nil
	}
	if c.orphans.has(hash) || c.side.has(hash) {
		return Result{Verdict: Duplicate, Hash: hash, Height: res.Height}, nil
	}
	if known {
		main, err := c.onMain(hash, rec.Height)
		if err != nil {
			return Result{}, err
		}
		if main {
			return Result{Verdict: Duplicate, Hash: hash, Height: rec.Height}, nil
		}
		// A side-chain header whose body was evicted or lost in a restart: take the body.
	}
	if err := blk.Check().Err(); err != nil {
		// Never remembered: a mutated body (a duplicated transaction keeping the merkle
		// root, CVE-2012-2459; a bad PoS signature) has the valid block's hash.
		re := ruleErr(ErrBlockSanity, blk.Header.Height, hash, "%v", err)
		re.Err = err
		return invalidResult(res, re), nil
	}
	prev := blk.Header.PreviousBlockHash
	if re := c.invalid[prev]; re != nil {
		re := ruleErr(ErrInvalidAncestor, blk.Header.Height, hash, "parent %s is invalid (%v)", prev, re.Code)
		c.remember(hash, re)
		return invalidResult(res, re), nil
	}
	parent, ok, err := c.header(prev)
	if err != nil {
		return Result{}, err
	}
	if !ok {
		kept, evicted := c.orphans.add(blk, raw, hash)
		c.log.Debug("orphan block", "hash", hash, "parent", prev, "kept", kept, "evicted", len(evicted))
		return Result{Verdict: Orphan, Hash: hash, Height: res.Height}, nil
	}
	res, err = c.accept(ctx, blk, raw, hash, parent, known)
	if err != nil || (res.Verdict != MainChain && res.Verdict != SideChain) {
		return res, err
	}
	if err := c.adoptOrphans(ctx, hash); err != nil {
		return res, err
	}
	// The orphans may have carried this block's branch to the main chain.
	if res.Verdict == SideChain {
		if main, err := c.onMain(hash, res.Height); err != nil {
			return res, err
		} else if main {
			res.Verdict, res.Missing = MainChain, nil
		}
	}
	return res, nil
}

func invalidResult(res Result, re *RuleError) Result {
	res.Verdict, res.Err, res.Missing = Invalid, re, nil
	return res
}

// adoptOrphans processes the orphans waiting for from, and theirs, breadth first (never
// recursively: a long chain of orphans cannot grow the stack).
func (c *Chain) adoptOrphans(ctx context.Context, from mvs.Hash) error {
	queue := []mvs.Hash{from}
	for len(queue) > 0 {
		parentHash := queue[0]
		queue = queue[1:]
		for _, kid := range c.orphans.children(parentHash) {
			ob := c.orphans.remove(kid)
			parent, ok, err := c.header(parentHash)
			if err != nil {
				return err
			}
			if !ok {
				continue // the parent was refused after all
			}
			// Its header may have been stored since (ProcessHeaders).
			_, known, err := c.header(kid)
			if err != nil {
				return err
			}
			r, err := c.accept(ctx, ob.blk, ob.raw, kid, parent, known)
			if err != nil {
				return err
			}
			switch r.Verdict {
			case MainChain, SideChain:
				queue = append(queue, kid)
			case Invalid:
				// Those of a block ahead of the clock wait for it to be sent again.
				if r.Err.Code != ErrFutureTimestamp {
					c.dropOrphansOf(kid, r.Err)
				}
			}
		}
	}
	return nil
}

// dropOrphansOf removes the orphans descending from an invalid block and remembers them.
func (c *Chain) dropOrphansOf(hash mvs.Hash, why *RuleError) {
	for _, d := range c.orphans.descendants(hash) {
		// A block ahead of our clock may become valid, and so may its descendants.
		if b := c.orphans.remove(d); b != nil && why.Code != ErrFutureTimestamp {
			c.remember(d, ruleErr(ErrInvalidAncestor, b.blk.Header.Height, d, "descends from invalid %s (%v)", hash, why.Code))
		}
	}
}

// remember keeps a refusal in memory, bounded.
func (c *Chain) remember(hash mvs.Hash, re *RuleError) {
	if len(c.invalid) >= maxInvalidMemory {
		for h := range c.invalid {
			delete(c.invalid, h)
			break
		}
	}
	c.invalid[hash] = re
}

// accept judges the header of a block whose parent is stored, stores the header with its
// cumulative work, and lets fork choice decide. known says the header is already stored
// (the body of a side-chain block arriving again).
func (c *Chain) accept(ctx context.Context, blk *block.Block, raw []byte, hash mvs.Hash, parent store.HeaderRecord, known bool) (Result, error) {
	h := &blk.Header
	res := Result{Hash: hash, Height: h.Height}
	if parent.Status&store.StatusInvalid != 0 {
		re := ruleErr(ErrInvalidAncestor, h.Height, hash, "parent %s is invalid", h.PreviousBlockHash)
		c.remember(hash, re)
		return invalidResult(res, re), nil
	}
	if h.Height != parent.Height+1 {
		re := ruleErr(ErrHeightMismatch, h.Height, hash, "the parent is at height %d", parent.Height)
		c.remember(hash, re)
		return invalidResult(res, re), nil
	}
	if known {
		// Checked when it was stored; the branch may have fallen below a checkpoint since.
		br, err := c.branchOf(parent)
		if err != nil {
			return Result{}, err
		}
		if re, err := c.checkFork(br.fork, h.Height, hash); err != nil || re != nil {
			if re != nil {
				return invalidResult(res, re), nil
			}
			return Result{}, err
		}
	} else {
		re, err := c.checkNewHeader(h, hash, parent)
		if err != nil {
			return Result{}, err
		}
		if re != nil {
			return invalidResult(res, re), nil
		}
	}
	c.side.add(blk, raw, hash)
	c.pending = &heldBlock{blk: blk, raw: raw, hash: hash}
	defer func() { c.pending = nil }()
	res, err := c.choose(ctx, res)
	if err == nil && res.Verdict == SideChain && len(raw) > 0 {
		// Kept in the store too, so the branch survives a restart. Only a block left off
		// the main chain: one that joined it has its body stored by the connect, and a
		// write here would cost every new tip a second commit. Best effort: the in-memory
		// copy serves this process either way.
		if err := c.st.PutSideBlock(hash, raw); err != nil {
			c.log.Warn("side-chain body not stored", "hash", hash, "err", err)
		} else if c.sidePuts++; c.sidePuts >= sidePruneEvery {
			if err := c.pruneSide(); err != nil {
				return res, err
			}
		}
	}
	return res, err
}

// checkFork refuses a branch leaving the main chain below the last checkpoint the main
// chain has reached.
func (c *Chain) checkFork(fork, height uint32, hash mvs.Hash) (*RuleError, error) {
	_, tip, err := c.st.Tip()
	if err != nil {
		return nil, err
	}
	for _, cp := range c.p.Checkpoints {
		if cp.Height <= tip && fork < cp.Height {
			return ruleErr(ErrForkBelowCheckpoint, height, hash, "the branch leaves the main chain at %d, below the checkpoint at %d", fork, cp.Height), nil
		}
	}
	return nil, nil
}

// choose compares the heaviest branch through res's block with the main chain and
// reorganises to it when it has strictly more work. A branch refused part way is retried
// without its invalid blocks (each round marks one more invalid, so it ends).
func (c *Chain) choose(ctx context.Context, res Result) (Result, error) {
	for {
		if re := c.invalid[res.Hash]; re != nil {
			return invalidResult(res, re), nil
		}
		target, targetWork, err := c.heaviestFrom(res.Hash)
		if err != nil {
			return Result{}, err
		}
		tipHash, _, err := c.st.Tip()
		if err != nil {
			return Result{}, err
		}
		tipRec, err := c.st.Header(tipHash)
		if err != nil {
			return Result{}, err
		}
		if targetWork.Cmp(workOf(tipRec.Work)) <= 0 {
			res.Verdict = SideChain
			return res, nil
		}
		missing, err := c.reorganize(ctx, target)
		var re *RuleError
		if errors.Is(err, ErrReorgRestore) || (err != nil && !errors.As(err, &re)) {
			return Result{}, err
		}
		if err != nil {
			continue // the branch held an invalid block: choose again without it
		}
		if len(missing) > 0 {
			res.Verdict, res.Missing = SideChain, missing
			return res, nil
		}
		main, err := c.onMain(res.Hash, res.Height)
		if err != nil {
			return Result{}, err
		}
		res.Verdict = SideChain
		if main {
			res.Verdict = MainChain
		}
		return res, nil
	}
}

// heaviestFrom is the block with the most work among from and its descendants whose bodies
// are held (a body arriving again may complete a branch above it).
func (c *Chain) heaviestFrom(from mvs.Hash) (mvs.Hash, *big.Int, error) {
	rec, err := c.st.Header(from)
	if err != nil {
		return mvs.Hash{}, nil, err
	}
	best, bestWork := from, workOf(rec.Work)
	for _, d := range c.side.descendants(from) {
		r, ok, err := c.header(d)
		if err != nil {
			return mvs.Hash{}, nil, err
		}
		if !ok || r.Status&store.StatusInvalid != 0 {
			continue
		}
		if w := workOf(r.Work); w.Cmp(bestWork) > 0 {
			best, bestWork = d, w
		}
	}
	return best, bestWork, nil
}

// pathNode is a block of the branch being connected.
type pathNode struct {
	hash   mvs.Hash
	height uint32
	held   *heldBlock
}

// reorganize makes target the tip: it disconnects the main chain down to where target's
// branch meets it and connects the branch, each block fully validated. When a branch block
// is refused it and its descendants are marked invalid and the old main chain is restored
// (the store is then as before, but for header statuses); the refusal is returned. missing
// lists branch blocks without a body, in which case nothing changed.
func (c *Chain) reorganize(ctx context.Context, target mvs.Hash) (missing []mvs.Hash, err error) {
	var path []pathNode
	for h := target; ; {
		rec, err := c.st.Header(h)
		if err != nil {
			return nil, err
		}
		main, err := c.onMain(h, rec.Height)
		if err != nil {
			return nil, err
		}
		if main {
			break
		}
		held := c.body(h)
		if held == nil {
			missing = append(missing, h)
		}
		path = append(path, pathNode{hash: h, height: rec.Height, held: held})
		h = rec.Header.PreviousBlockHash
	}
	slices.Reverse(path)
	if len(missing) > 0 {
		slices.Reverse(missing)
		c.log.Warn("heavier branch lacks bodies; fetch them", "target", target, "missing", len(missing))
		return missing, nil
	}
	if len(path) == 0 {
		return nil, nil
	}
	fork := path[0].height - 1
	_, tip, err := c.st.Tip()
	if err != nil {
		return nil, err
	}
	if re, err := c.checkFork(fork, path[0].height, path[0].hash); err != nil || re != nil {
		if re != nil {
			// Never switchable: marked, so that fork choice does not try it again.
			return nil, errors.Join(re, c.markInvalid(path, re))
		}
		return nil, err
	}
	skip, err := c.assumedValid(path)
	if err != nil {
		return nil, err
	}
	var old []*heldBlock // the disconnected main chain, tip first
	for range tip - fork {
		b, err := c.disconnectTip()
		if err != nil {
			return nil, c.restore(nil, old, err)
		}
		old = append(old, b)
	}
	for i, n := range path {
		err := c.connect(ctx, n.held, n.height, skip[n.hash])
		if err == nil {
			c.side.remove(n.hash)
			continue
		}
		var re *RuleError
		if errors.As(err, &re) {
			if merr := c.markInvalid(path[i:], re); merr != nil {
				err = errors.Join(err, merr)
			}
			c.log.Warn("branch block invalid; restoring the main chain", "hash", n.hash, "height", n.height, "err", re)
		}
		return nil, c.restore(path[:i], old, err)
	}
	if len(old) > 0 {
		c.log.Info("reorganised", "fork", fork, "disconnected", len(old), "connected", len(path), "tip", target)
	}
	return nil, nil
}

// restore undoes the branch blocks connected so far and reconnects the old main chain
// (tip first in old), then returns cause; a failure to restore wraps ErrReorgRestore.
func (c *Chain) restore(connected []pathNode, old []*heldBlock, cause error) error {
	for range connected {
		if _, err := c.disconnectTip(); err != nil {
			return fmt.Errorf("%w: disconnecting the branch: %w (after %w)", ErrReorgRestore, err, cause)
		}
	}
	for i := len(old) - 1; i >= 0; i-- {
		b := old[i]
		// These blocks were valid on this very chain: their scripts are not checked again.
		if err := c.connect(context.Background(), b, b.blk.Header.Height, true); err != nil {
			return fmt.Errorf("%w: reconnecting %s: %w (after %w)", ErrReorgRestore, b.hash, err, cause)
		}
		c.side.remove(b.hash)
	}
	return cause
}

// markInvalid marks the refused block and every descendant known (the rest of the
// branch, held side-chain bodies, orphans) invalid, in the store and in memory.
func (c *Chain) markInvalid(branch []pathNode, re *RuleError) error {
	bad := branch[0].hash
	nodes := slices.Clone(branch)
	for _, d := range c.side.descendants(bad) {
		if held := c.side.get(d); held != nil && !slices.ContainsFunc(nodes, func(n pathNode) bool { return n.hash == d }) {
			nodes = append(nodes, pathNode{hash: d, height: held.blk.Header.Height})
		}
	}
	var errs []error
	for i, n := range nodes {
		why := re
		if i > 0 {
			why = ruleErr(ErrInvalidAncestor, n.height, n.hash, "descends from invalid %s (%v)", bad, re.Code)
		}
		if i == 0 || c.invalid[n.hash] == nil {
			c.remember(n.hash, why)
		}
		c.side.remove(n.hash)
		c.orphans.remove(n.hash)
		if err := c.st.SetStatus(n.hash, store.StatusInvalid); err != nil && !errors.Is(err, store.ErrNotFound) {
			errs = append(errs, err)
		}
		c.dropOrphansOf(n.hash, re)
	}
	return errors.Join(errs...)
}

// assumedValid are the path's blocks whose scripts AssumeValid lets pass: the assumed-valid
// block and its ancestors, once its header is known (ProcessHeaders, or its body).
func (c *Chain) assumedValid(path []pathNode) (map[mvs.Hash]bool, error) {
	if c.av == (mvs.Hash{}) {
		return nil, nil
	}
	rec, ok, err := c.header(c.av)
	if err != nil || !ok || rec.Status&store.StatusInvalid != 0 {
		return nil, err
	}
	if c.avIndex == nil {
		c.avIndex = newAncestry(c.av, rec.Height)
	}
	skip := map[mvs.Hash]bool{}
	for _, n := range path {
		h, ok, err := c.avIndex.at(n.height, c.st)
		if err != nil {
			return nil, err
		}
		if ok && h == n.hash {
			skip[n.hash] = true
		}
	}
	return skip, nil
}

// body is a held body by hash: the block being processed, a side-chain block in memory, or
// one the store keeps (bodies survive a restart there).
func (c *Chain) body(h mvs.Hash) *heldBlock {
	if c.pending != nil && c.pending.hash == h {
		return c.pending
	}
	if b := c.side.get(h); b != nil {
		return b
	}
	raw, ok, err := c.st.SideBlock(h)
	if err != nil || !ok {
		return nil // missing: the caller reports it for re-fetching
	}
	blk, err := block.Decode(raw)
	if err != nil {
		return nil
	}
	return &heldBlock{blk: blk, raw: raw, hash: h}
}

// disconnectTip undoes the tip and records the event.
func (c *Chain) disconnectTip() (*heldBlock, error) {
	hash, height, err := c.st.Tip()
	if err != nil {
		return nil, err
	}
	c.lastBranch = nil
	// The store keeps the body as a side-chain body and sets the status in the same write,
	// so a crash mid-reorganisation loses neither.
	blk, err := c.st.DisconnectTipStatus(store.StatusHasBody | store.StatusValid)
	if err != nil {
		return nil, err
	}
	// The body as received, now among the side bodies (read after the disconnect: an open
	// import batch is flushed by it, so the body is on disk either way).
	raw, ok, err := c.st.SideBlock(hash)
	if err != nil {
		return nil, err
	}
	if !ok {
		raw = blk.Bytes()
	}
	c.journal = append(c.journal, Event{Kind: Disconnected, Block: blk, Hash: hash, Height: height})
	// Held as a side-chain body, so that switching back needs no download.
	c.side.add(blk, raw, hash)
	return &heldBlock{blk: blk, raw: raw, hash: hash}, nil
}

// connect validates b on top of the tip and connects it.
func (c *Chain) connect(ctx context.Context, b *heldBlock, height uint32, skipScripts bool) error {
	writes, scriptsOK, err := c.validate(ctx, b.blk, b.hash, height, skipScripts)
	if err != nil {
		return err
	}
	// The store prepares the block while the scripts are verified, and commits it only
	// once they have passed.
	err = c.st.ConnectBlock(&store.BlockUpdate{Block: b.blk, Raw: b.raw, Hash: b.hash, Height: height, Records: writes,
		Status: store.StatusHasBody | store.StatusValid, BeforeCommit: scriptsOK})
	// A script refusal comes first, as when the scripts were verified before the store's
	// checks (scriptsOK gives the same answer on every call).
	if serr := scriptsOK(); serr != nil {
		return serr
	}
	var oe *store.OutPointError
	switch {
	case errors.As(err, &oe) && errors.Is(err, store.ErrDuplicateOutput):
		re := ruleErr(ErrOverwriteUnspent, height, b.hash, "tx[%d] output %d: %v is still unspent", oe.TxIndex, oe.Index, oe.OutPoint)
		re.Err = err
		return re
	case errors.As(err, &oe):
		re := ruleErr(ErrMissingInput, height, b.hash, "tx[%d] input %d spends %v, which is not unspent", oe.TxIndex, oe.Index, oe.OutPoint)
		re.Err = err
		return re
	case err != nil:
		return err
	}
	c.journal = append(c.journal, Event{Kind: Connected, Block: b.blk, Hash: b.hash, Height: height})
	return nil
}

// header is a stored header record; ok is false when there is none.
func (c *Chain) header(h mvs.Hash) (store.HeaderRecord, bool, error) {
	rec, err := c.st.Header(h)
	if errors.Is(err, store.ErrNotFound) {
		return rec, false, nil
	}
	return rec, err == nil, err
}

// onMain reports whether hash is the main chain's block at height.
func (c *Chain) onMain(hash mvs.Hash, height uint32) (bool, error) {
	at, err := c.st.HashAt(height) // an open import batch included
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil && at == hash, err
}

// workOf reads a stored cumulative work.
func workOf(w [32]byte) *big.Int { return new(big.Int).SetBytes(w[:]) }

// addWork is parent's cumulative work plus bits (Σ bits, as the node sums block_work),
// saturating at 2^256−1.
func addWork(parent [32]byte, bits block.Difficulty) [32]byte {
	sum := workOf(parent)
	sum.Add(sum, bits.Big())
	var out [32]byte
	if sum.BitLen() > 256 {
		for i := range out {
			out[i] = 0xff
		}
		return out
	}
	sum.FillBytes(out[:])
	return out
}

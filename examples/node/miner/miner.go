// Package miner is the reference node's PoW miner for private networks (RegTest, and
// TestNet-style nets of low difficulty): block templates from the memory pool
// (chain.NewPoWTemplate), sealed on the CPU with ethash.Search, or handed to external miners
// through getwork/submitwork (the reference's mining RPC, net-pow-wallet §2.9).
//
// Use:
//
//	m, err := miner.New(miner.Config{Params: p, Chain: c, Store: st, Pool: pool, Seal: v, PayTo: addr})
//	blk, res, err := m.MineOne(ctx)          // one block on the tip, now
//	go m.Run(ctx, 10*time.Second)            // a block every 10 s (private nets)
//	work, err := m.GetWork()                 // [pow hash, seed hash, boundary] for a miner
//	ok, err := m.SubmitWork(nonce, powHash, mix)
//
// GetWork hands out the same template while the tip and the memory pool are unchanged (up
// to a minute), so a pool polling it keeps one job open and its miners' shares stay valid.
// Templates handed out by GetWork are kept (the newest few) so that a solution for any of
// them can be submitted until the tip moves past it; a solution for an unknown or stale
// template is refused, never silently dropped.
package miner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"sync"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/ethash"
	"github.com/mvsgo/mvs/examples/node/mempool"
	"github.com/mvsgo/mvs/rpcclient"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx/script"
)

// Defaults of Config.
const (
	DefaultMaxTxBytes = 1 << 20 // the transactions of a template
	keepWork          = 8       // templates kept for submitwork
	// reuseWork is how long GetWork hands out the same template while the tip and the pool
	// are unchanged: a pool polling every second keeps one job (its miners' shares stay
	// valid) instead of a new one per second for only the timestamp's sake.
	reuseWork = time.Minute
)

// Errors.
var (
	ErrConfig    = errors.New("miner: invalid Config")
	ErrStaleWork = errors.New("miner: no such work, or the tip has moved past it")
	ErrBadSeal   = errors.New("miner: the submitted seal does not verify")
)

// Config is what New needs; all but Tag, MaxTxBytes, Now and Logger are required.
type Config struct {
	Params *mvs.Params
	Chain  *chain.Chain
	Store  *store.Store
	Pool   *mempool.Pool
	Seal   *ethash.Verifier
	PayTo  mvs.Address
	// Tag marks this node's coinbases (at most 75 bytes); default "/mvsgo/".
	Tag        []byte
	MaxTxBytes int
	// Workers are the goroutines of MineOne's search (GOMAXPROCS when ≤ 0).
	Workers int
	Now     func() time.Time
	Logger  *slog.Logger
}

// Miner builds and seals blocks on the chain's tip.
type Miner struct {
	cfg  Config
	log  *slog.Logger
	mu   sync.Mutex
	work map[[32]byte]*block.Block // by seal hash, the templates GetWork handed out
	// order is the seal hashes in work, oldest first.
	order [][32]byte
	// last is the newest template GetWork handed out, with what it was built on.
	last struct {
		blk     *block.Block
		parent  mvs.Hash
		changes uint64
		at      time.Time
	}
	// Mined counts the blocks this miner made that joined the main chain.
	mined int
}

// New checks cfg and returns a Miner.
func New(cfg Config) (*Miner, error) {
	if cfg.Params == nil || cfg.Chain == nil || cfg.Store == nil || cfg.Pool == nil || cfg.Seal == nil {
		return nil, fmt.Errorf("%w: Params, Chain, Store, Pool and Seal are required", ErrConfig)
	}
	if !cfg.PayTo.IsValid() || !cfg.PayTo.BelongsTo(cfg.Params) {
		return nil, fmt.Errorf("%w: PayTo is not an address of %s", ErrConfig, cfg.Params.Name)
	}
	if cfg.Tag == nil {
		cfg.Tag = []byte("/mvsgo/")
	}
	if cfg.MaxTxBytes <= 0 {
		cfg.MaxTxBytes = DefaultMaxTxBytes
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	m := &Miner{cfg: cfg, log: cfg.Logger, work: map[[32]byte]*block.Block{}}
	if m.log == nil {
		m.log = slog.New(slog.DiscardHandler)
	}
	return m, nil
}

// Template builds an unsealed block on the current tip from the pool's best transactions.
func (m *Miner) Template() (*block.Block, error) {
	nb, err := chain.NextBlockContext(m.cfg.Store, m.cfg.Params)
	if err != nil {
		return nil, err
	}
	parent, err := m.cfg.Store.Header(nb.TipHash)
	if err != nil {
		return nil, err
	}
	// Now, but above the parent (so above the median time past).
	ts := uint32(max(m.cfg.Now().Unix(), int64(parent.Header.Timestamp)+1))
	blk, err := chain.NewPoWTemplate(chain.TemplateConfig{Params: m.cfg.Params, Parent: &parent.Header, Branch: nb.Headers,
		Txs: m.cfg.Pool.Template(m.cfg.MaxTxBytes), PayTo: script.PayToAddress(m.cfg.PayTo), Tag: m.cfg.Tag, Timestamp: ts})
	if err != nil {
		return nil, err
	}
	return blk, nb.Headers.Err()
}

// MineOne builds a template on the tip, seals it on the CPU and processes it. It returns
// the block and the chain's verdict; ctx stops the search.
func (m *Miner) MineOne(ctx context.Context) (*block.Block, chain.Result, error) {
	blk, err := m.Template()
	if err != nil {
		return nil, chain.Result{}, err
	}
	h := &blk.Header
	res, err := m.cfg.Seal.Search(ctx, uint64(h.Height), h.SealHash(), h.Bits.Big(), 0, 0, m.cfg.Workers)
	if err != nil {
		return nil, chain.Result{}, fmt.Errorf("miner: sealing block %d: %w", h.Height, err)
	}
	h.Nonce, h.MixHash = res.Nonce, res.Mix
	r, err := m.process(ctx, blk)
	return blk, r, err
}

func (m *Miner) process(ctx context.Context, blk *block.Block) (chain.Result, error) {
	res, err := m.cfg.Chain.ProcessBlock(ctx, blk, nil)
	if err != nil {
		return res, err
	}
	if res.Verdict == chain.MainChain {
		m.mu.Lock()
		m.mined++
		m.mu.Unlock()
		m.log.Info("mined", "height", res.Height, "hash", res.Hash, "txs", len(blk.Transactions))
	}
	return res, nil
}

// Run mines a block every interval until ctx ends (a private net's clock). A failed block
// is logged and the next one tried at the next tick.
func (m *Miner) Run(ctx context.Context, every time.Duration) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, _, err := m.MineOne(ctx); err != nil && ctx.Err() == nil {
			m.log.Warn("mining failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// Mined is the number of this miner's blocks that joined the main chain.
func (m *Miner) Mined() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.mined
}

// GetWork builds a template on the tip and returns what an Ethash miner needs: the seal
// (pow) hash, the epoch's seed hash and the boundary 2^256/difficulty.
func (m *Miner) GetWork() (rpcclient.Work, error) {
	tip, _, err := m.cfg.Store.Tip()
	if err != nil {
		return rpcclient.Work{}, err
	}
	// Read before the template is built: a pool change during the build moves the counter,
	// so the next call builds afresh.
	changes, now := m.cfg.Pool.Changes(), m.cfg.Now()
	m.mu.Lock()
	blk := m.last.blk
	if blk == nil || m.last.parent != tip || m.last.changes != changes || now.Sub(m.last.at) >= reuseWork || now.Before(m.last.at) {
		blk = nil
	}
	m.mu.Unlock()
	if blk == nil {
		if blk, err = m.Template(); err != nil {
			return rpcclient.Work{}, err
		}
	}
	h := &blk.Header
	seal := h.SealHash()
	m.mu.Lock()
	if m.last.blk != blk {
		m.last.blk, m.last.parent, m.last.changes, m.last.at = blk, h.PreviousBlockHash, changes, now
	}
	if _, ok := m.work[seal]; !ok {
		m.work[seal] = blk
		m.order = append(m.order, seal)
		if len(m.order) > keepWork {
			delete(m.work, m.order[0])
			m.order = m.order[1:]
		}
	}
	m.mu.Unlock()
	w := rpcclient.Work{PowHash: seal, SeedHash: ethash.SeedHash(uint64(h.Height) / ethash.EpochLength)}
	boundary(h.Bits.Big()).FillBytes(w.Boundary[:])
	return w, nil
}

// boundary is 2^256 / difficulty (all ones for a difficulty of 0 or 1).
func boundary(d *big.Int) *big.Int {
	max := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	if d.Cmp(big.NewInt(1)) <= 0 {
		return max
	}
	return new(big.Int).Div(new(big.Int).Lsh(big.NewInt(1), 256), d)
}

// SubmitWork seals the template GetWork handed out for powHash with nonce and mix, and
// processes the block: true when it joined the main chain. A seal that does not verify is
// ErrBadSeal; unknown or stale work (the tip moved past its parent) is ErrStaleWork.
func (m *Miner) SubmitWork(ctx context.Context, nonce uint64, powHash, mix [32]byte) (bool, error) {
	m.mu.Lock()
	tpl := m.work[powHash]
	m.mu.Unlock()
	if tpl == nil {
		return false, ErrStaleWork
	}
	tip, _, err := m.cfg.Store.Tip()
	if err != nil {
		return false, err
	}
	if tpl.Header.PreviousBlockHash != tip {
		return false, ErrStaleWork
	}
	blk := *tpl
	h := &blk.Header
	if err := m.cfg.Seal.Verify(uint64(h.Height), powHash, nonce, mix, h.Bits.Big()); err != nil {
		return false, fmt.Errorf("%w: %v", ErrBadSeal, err)
	}
	h.Nonce, h.MixHash = nonce, mix
	res, err := m.process(ctx, &blk)
	return err == nil && res.Verdict == chain.MainChain, err
}

// Info is getmininginfo's view: whether a miner is attached, the blocks it made, the tip.
type Info struct {
	Mined     int
	Height    uint32
	Bits      block.Difficulty
	PoolTxs   int
	PoolBytes int
}

// Info reads the miner's and the tip's state.
func (m *Miner) Info() (Info, error) {
	hash, height, err := m.cfg.Store.Tip()
	if err != nil {
		return Info{}, err
	}
	rec, err := m.cfg.Store.Header(hash)
	if err != nil {
		return Info{}, err
	}
	return Info{Mined: m.Mined(), Height: height, Bits: rec.Header.Bits, PoolTxs: m.cfg.Pool.Len(), PoolBytes: m.cfg.Pool.Bytes()}, nil
}

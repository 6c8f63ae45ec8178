package backend

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/rpcclient"
	"github.com/mvsgo/mvs/wallet"
)

// Node is what the service asks of an MVS node; *rpcclient.Client is one (mvsd or the SDK's
// mvsgod), and tests may pass their own.
type Node interface {
	GetHeight(ctx context.Context) (uint64, error)
	GetBlockHeader(ctx context.Context, id rpcclient.BlockID) (*rpcclient.BlockHeader, error)
	GetRawBlock(ctx context.Context, id rpcclient.BlockID) ([]byte, error)
	GetRawTx(ctx context.Context, hash mvs.Hash) ([]byte, error)
	GetAddressUTXOs(ctx context.Context, address string, r *rpcclient.ValueRange) ([]rpcclient.UTXO, error)
	GetAddressAssetUTXOs(ctx context.Context, address, symbol string, r *rpcclient.ValueRange, minConfirmations uint64) ([]rpcclient.UTXO, error)
	SendRawTx(ctx context.Context, raw []byte) (mvs.Hash, error)
}

// Defaults for Config fields left zero.
const (
	DefaultConfirmations = 6
	DefaultStuckAfter    = 20
	DefaultMaxReorgDepth = 100
	DefaultHotAddresses  = 1
	DefaultPollInterval  = 10 * time.Second
	// HotIndexBase is the first index m/i of the hot wallet's addresses: far beyond any
	// deposit index (and the deposit scanner's gap), so deposits and the hot wallet never
	// share an address, and all derive from the one xpub.
	HotIndexBase = 1 << 30
)

// Config configures a Service.
type Config struct {
	Store *Store
	Node  Node
	// Account is the exchange's account, watch-only (from its xpub): deposit addresses are
	// m/0, m/1, ... and the hot wallet m/HotIndexBase, m/HotIndexBase+1, ....
	Account *wallet.Account
	// Confirmations is how many blocks (the one holding it included) credit a deposit and
	// confirm a withdrawal.
	Confirmations uint32
	// StuckAfter is how many blocks a broadcast withdrawal may wait unmined before it is
	// reported stuck.
	StuckAfter uint32
	// GapLimit is how many unissued deposit addresses past the last issued or used one are
	// watched (wallet.DefaultGapLimit when zero).
	GapLimit uint32
	// HotAddresses is how many hot-wallet addresses hold the coins withdrawals spend.
	HotAddresses uint32
	// StartHeight is the first block scanned when the ledger is empty.
	StartHeight uint64
	// MaxReorgDepth bounds the blocks one Sync rolls back before it stops with
	// ErrReorgTooDeep.
	MaxReorgDepth int
	// Fee is each withdrawal's fee (the network minimum when zero), charged to the user.
	Fee mvs.Amount
	// PollInterval is how often Run looks at the node when no push wakes it.
	PollInterval time.Duration
	Logger       *slog.Logger
}

// Service follows a node, credits deposits and tracks withdrawals in the ledger.
type Service struct {
	cfg     Config
	st      *Store
	node    Node
	acct    *wallet.Account
	p       *mvs.Params
	log     *slog.Logger
	scanner *wallet.DepositScanner

	syncMu sync.Mutex // one walk of the chain at a time
	wdMu   sync.Mutex // one withdrawal build at a time (coin reservation)
}

// New checks cfg and returns a service over the ledger in cfg.Store. It holds no goroutine;
// Run or Sync do the work.
func New(ctx context.Context, cfg Config) (*Service, error) {
	switch {
	case cfg.Store == nil:
		return nil, fmt.Errorf("%w: no Store", ErrConfig)
	case cfg.Node == nil:
		return nil, fmt.Errorf("%w: no Node", ErrConfig)
	case cfg.Account == nil || cfg.Account.Params() == nil:
		return nil, fmt.Errorf("%w: no Account", ErrConfig)
	case !cfg.Account.WatchOnly():
		return nil, ErrPrivateKey
	}
	if cfg.Confirmations == 0 {
		cfg.Confirmations = DefaultConfirmations
	}
	if cfg.StuckAfter == 0 {
		cfg.StuckAfter = DefaultStuckAfter
	}
	if cfg.HotAddresses == 0 {
		cfg.HotAddresses = DefaultHotAddresses
	}
	if cfg.HotAddresses > 1000 {
		return nil, fmt.Errorf("%w: %d hot addresses (at most 1000)", ErrConfig, cfg.HotAddresses)
	}
	if cfg.MaxReorgDepth <= 0 {
		cfg.MaxReorgDepth = DefaultMaxReorgDepth
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	p := cfg.Account.Params()
	if cfg.Fee == 0 {
		cfg.Fee = p.MinTxFee
	}
	if cfg.Fee < p.MinTxFee {
		return nil, fmt.Errorf("%w: fee %s below the network minimum %s", ErrConfig, cfg.Fee, p.MinTxFee)
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Service{cfg: cfg, st: cfg.Store, node: cfg.Node, acct: cfg.Account, p: p, log: log}
	issued, err := s.issued(ctx)
	if err != nil {
		return nil, err
	}
	s.scanner, err = wallet.NewAccountDepositScanner(cfg.Account, issued, cfg.GapLimit)
	if err != nil {
		return nil, fmt.Errorf("exchange: deposit scanner: %w", err)
	}
	return s, nil
}

// Params is the network the service runs on.
func (s *Service) Params() *mvs.Params { return s.p }

// Run syncs at once, then whenever wake receives (a push event) and at least every
// PollInterval, until ctx ends. A Sync error is logged and retried at the next wake,
// except ErrReorgTooDeep, which stops Run: an operator must look.
func (s *Service) Run(ctx context.Context, wake <-chan struct{}) error {
	t := time.NewTicker(s.cfg.PollInterval)
	defer t.Stop()
	for {
		if err := s.Sync(ctx); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if errors.Is(err, ErrReorgTooDeep) || errors.Is(err, ErrDuplicateDeposit) {
				s.log.Error("exchange: stopped", "err", err)
				return err
			}
			s.log.Warn("exchange: sync failed, will retry", "err", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-wake:
		case <-t.C:
		}
	}
}

// tipRow is the last processed block.
type tipRow struct {
	height uint64
	hash   mvs.Hash
}

func (s *Service) tip(ctx context.Context) (tipRow, bool, error) {
	var h int64
	var hash string
	err := s.st.db.QueryRowContext(ctx, `SELECT height, hash FROM blocks ORDER BY height DESC LIMIT 1`).Scan(&h, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return tipRow{}, false, nil
	}
	if err != nil {
		return tipRow{}, false, fmt.Errorf("exchange: read the scan cursor: %w", err)
	}
	ph, err := mvs.ParseHash(hash)
	if err != nil {
		return tipRow{}, false, fmt.Errorf("exchange: stored block hash %q: %w", hash, err)
	}
	return tipRow{uint64(h), ph}, true, nil
}

// checkTxList refuses a block whose transactions are not the ones its header commits to (a
// transaction added, dropped or changed) or that holds one twice: the header's hash is what
// links the walk, so a list it does not commit to could credit a payment no chain holds.
func checkTxList(blk *block.Block) error {
	hashes := blk.TxHashes()
	if len(hashes) == 0 {
		return block.ErrNoTransactions
	}
	if root := block.MerkleRoot(hashes); root != blk.Header.MerkleRoot {
		return fmt.Errorf("%w: computed %s, header has %s", block.ErrMerkleMismatch, root, blk.Header.MerkleRoot)
	}
	seen := make(map[mvs.Hash]bool, len(hashes))
	for _, h := range hashes {
		if seen[h] {
			return fmt.Errorf("%w: %s", block.ErrDuplicateTx, h)
		}
		seen[h] = true
	}
	return nil
}

// storedBlock is the ledger's block at height h (or, when there is none, the highest
// below it, as a fork point to compare).
func (s *Service) storedBlock(ctx context.Context, h uint64) (uint64, mvs.Hash, error) {
	var height int64
	var hash string
	err := s.st.db.QueryRowContext(ctx, s.st.q(`SELECT height, hash FROM blocks WHERE height <= ? ORDER BY height DESC LIMIT 1`), int64(h)).Scan(&height, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, mvs.Hash{}, err
	}
	if err != nil {
		return 0, mvs.Hash{}, fmt.Errorf("exchange: stored block at %d: %w", h, err)
	}
	ph, err := mvs.ParseHash(hash)
	if err != nil {
		return 0, mvs.Hash{}, fmt.Errorf("exchange: stored block hash %q: %w", hash, err)
	}
	return uint64(height), ph, nil
}

// Sync walks the node's chain from the last processed block to its tip: each new block's
// deposits and withdrawal events are written with the scan cursor in one SQL transaction;
// a block whose parent is not the stored one (or a stored tip the node no longer has) is a
// reorganization, undone one block at a time, each in its own transaction, before the new
// branch is scanned. Withdrawals signed but not yet accepted by the node are broadcast
// again at the end.
func (s *Service) Sync(ctx context.Context) error {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	// Another process on the same ledger (the address command, a second front end) may have
	// handed out addresses: watch up to its count plus the gap.
	issued, err := s.issued(ctx)
	if err != nil {
		return err
	}
	if err := s.scanner.Issued(issued); err != nil {
		return fmt.Errorf("exchange: deposit scanner: %w", err)
	}
	rolled := 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		top, have, err := s.tip(ctx)
		if err != nil {
			return err
		}
		nodeHeight, err := s.node.GetHeight(ctx)
		if err != nil {
			return fmt.Errorf("exchange: node height: %w", err)
		}
		next := s.cfg.StartHeight
		if have {
			next = top.height + 1
		}
		if next > nodeHeight {
			// Caught up, or the node is below us. A reorganization to a branch of the same
			// height shows only as another hash here; one to a shorter branch (more work in
			// fewer blocks) as another hash at the node's height: our blocks above it are no
			// longer in its chain, and their credits must not wait for it to grow back.
			// Only a node merely behind us (syncing) has our block at its height: wait.
			if have {
				at, want := top.height, top.hash
				if nodeHeight < top.height {
					at, want, err = s.storedBlock(ctx, nodeHeight)
					if errors.Is(err, sql.ErrNoRows) {
						break // the node is below where the ledger started: wait for it
					}
					if err != nil {
						return err
					}
				}
				hdr, err := s.node.GetBlockHeader(ctx, rpcclient.ByHeight(at))
				if err != nil {
					return fmt.Errorf("exchange: header %d: %w", at, err)
				}
				if hdr.Hash != want {
					if rolled++; rolled > s.cfg.MaxReorgDepth {
						return fmt.Errorf("%w: more than %d blocks", ErrReorgTooDeep, s.cfg.MaxReorgDepth)
					}
					if err := s.disconnect(ctx, top); err != nil && !errors.Is(err, errTipMoved) {
						return err
					}
					continue
				}
			}
			break
		}
		raw, err := s.node.GetRawBlock(ctx, rpcclient.ByHeight(next))
		if err != nil {
			return fmt.Errorf("exchange: block %d: %w", next, err)
		}
		blk, err := block.Decode(raw)
		if err != nil {
			return fmt.Errorf("%w: block %d: %v", ErrNodeAnswer, next, err)
		}
		if uint64(blk.Header.Height) != next {
			return fmt.Errorf("%w: asked block %d, got %d", ErrNodeAnswer, next, blk.Header.Height)
		}
		if err := checkTxList(blk); err != nil {
			return fmt.Errorf("%w: block %d: %v", ErrNodeAnswer, next, err)
		}
		if have && blk.Header.PreviousBlockHash != top.hash {
			if rolled++; rolled > s.cfg.MaxReorgDepth {
				return fmt.Errorf("%w: more than %d blocks", ErrReorgTooDeep, s.cfg.MaxReorgDepth)
			}
			if err := s.disconnect(ctx, top); err != nil && !errors.Is(err, errTipMoved) {
				return err
			}
			continue
		}
		// errTipMoved: another process walked meanwhile; read the tip again.
		if err := s.connect(ctx, top, have, blk); err != nil && !errors.Is(err, errTipMoved) {
			return err
		}
	}
	return s.rebroadcast(ctx)
}

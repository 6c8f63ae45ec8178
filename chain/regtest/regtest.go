package regtest

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcec/v2"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/ethash"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
	"github.com/mvsgo/mvs/wallet"
)

// blockSpacing is the seconds between a mined block and its parent: above the 24 s target,
// so RegTest's difficulty stays at its floor of 1 and the first nonce tried seals.
const blockSpacing = 30

// clockUnix is the chain's fixed clock, far ahead of every block a test mines (genesis is
// at 1,700,000,000; 30 s a block reaches it after three million blocks), so the
// future-timestamp rule never depends on the machine's clock.
const clockUnix = 1_800_000_000

// Net is a private RegTest chain: a store in the test's temporary directory, a
// *chain.Chain over it with the registry state and a real (small-size) Ethash verifier,
// and a deterministic wallet account whose key m/0 receives every coinbase. Its methods
// fail the test (t.Fatal) on anything but the outcome a test asks about, so a test reads as
// the steps of the scenario. Not safe for concurrent use.
type Net struct {
	t     testing.TB
	p     *mvs.Params
	st    *store.Store
	state *chain.StoreState
	c     *chain.Chain
	v     *ethash.Verifier
	acct  *wallet.Account
	known map[mvs.Address]uint32 // addresses handed out, by account index
	txs   map[mvs.Hash]*tx.Tx    // every transaction mined here, for fees
	forks byte                   // branches made so far: each coinbase names its branch
}

type config struct {
	params func(*mvs.Params)
	seed   []byte
	logger *slog.Logger
	edit   func(*chain.Config)
}

// Option changes how New builds the Net.
type Option func(*config)

// WithSeed makes the account from seed instead of the default fixed seed (two Nets with
// different seeds mine different blocks).
func WithSeed(seed []byte) Option { return func(c *config) { c.seed = seed } }

// WithParams edits RegTest's parameters before anything is made: a fork height, a
// maturity, a fee. The genesis and the network identity (Name, Magic, GenesisBlock,
// GenesisHash, address versions) must stay RegTest's; the store is made for them.
func WithParams(edit func(*mvs.Params)) Option { return func(c *config) { c.params = edit } }

// WithLogger passes l to the chain (reorganisations, refusals, evictions).
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithChainConfig edits the chain.Config before the Chain is made (orphan and side-chain
// caps, AssumeValid, ScriptWorkers, ...). Params, Store, State and Seal are the Net's.
func WithChainConfig(edit func(*chain.Config)) Option { return func(c *config) { c.edit = edit } }

// New creates a RegTest chain at its genesis in t.TempDir(); t.Cleanup closes it.
func New(t testing.TB, opts ...Option) *Net {
	t.Helper()
	seed := sha256.Sum256([]byte("mvsgo regtest account"))
	cfg := config{seed: seed[:]}
	for _, o := range opts {
		o(&cfg)
	}
	p := mvs.RegTest()
	if cfg.params != nil {
		cfg.params(p)
	}
	acct, err := wallet.NewAccountFromSeed(cfg.seed, p)
	if err != nil {
		t.Fatalf("regtest: account: %v", err)
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "regtest.db"), store.Options{Params: p, NoSync: true, Logger: cfg.logger})
	if err != nil {
		t.Fatalf("regtest: opening the store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	v := ethash.New(ethash.Config{Sizes: ethash.SmallSizes})
	t.Cleanup(func() { v.Close() })
	state := chain.NewStoreState(st, p)
	cc := chain.Config{Params: p, Store: st, State: state, Seal: v, Logger: cfg.logger,
		Now: func() time.Time { return time.Unix(clockUnix, 0) }}
	if cfg.edit != nil {
		cfg.edit(&cc)
		cc.Params, cc.Store, cc.State, cc.Seal, cc.NoSealCheck = p, st, state, v, false
	}
	c, err := chain.New(cc)
	if err != nil {
		t.Fatalf("regtest: chain: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	n := &Net{t: t, p: p, st: st, state: state, c: c, v: v, acct: acct,
		known: map[mvs.Address]uint32{}, txs: map[mvs.Hash]*tx.Tx{}}
	n.Address(0)
	return n
}

// Params is the Net's parameters (RegTest's, as WithParams left them).
func (n *Net) Params() *mvs.Params { return n.p }

// Chain is the chain the blocks are processed by (Subscribe, ProcessHeaders, ...).
func (n *Net) Chain() *chain.Chain { return n.c }

// Store is the chain's store (read it; the Chain is its only writer).
func (n *Net) Store() *store.Store { return n.st }

// State is the registry state over the store: the registries, holders and history.
func (n *Net) State() *chain.StoreState { return n.state }

// Account is the Net's wallet account. Its m/0 receives the coinbases.
func (n *Net) Account() *wallet.Account { return n.acct }

// Address is the account's address m/i. Coins of every address handed out are the
// Builder's.
func (n *Net) Address(i uint32) mvs.Address {
	n.t.Helper()
	a, err := n.acct.Address(i)
	if err != nil {
		n.t.Fatalf("regtest: address m/%d: %v", i, err)
	}
	n.known[a] = i
	return a
}

// Key is the account's private key m/i (its address is Address(i)).
func (n *Net) Key(i uint32) *btcec.PrivateKey {
	n.t.Helper()
	n.Address(i)
	k, err := n.acct.PrivateKey(i)
	if err != nil {
		n.t.Fatalf("regtest: key m/%d: %v", i, err)
	}
	return k
}

// Tip is the main chain's tip block.
func (n *Net) Tip() *block.Block {
	n.t.Helper()
	return n.BlockAt(n.Height())
}

// BlockAt is the main chain's block at height.
func (n *Net) BlockAt(height uint32) *block.Block {
	n.t.Helper()
	var blk *block.Block
	err := n.st.View(func(sn *store.Snapshot) error {
		h, err := sn.HashAt(height)
		if err == nil {
			blk, err = sn.Block(h)
		}
		return err
	})
	if err != nil {
		n.t.Fatalf("regtest: block at %d: %v", height, err)
	}
	return blk
}

// Height is the main chain's height.
func (n *Net) Height() uint32 {
	n.t.Helper()
	_, h, err := n.st.Tip()
	if err != nil {
		n.t.Fatalf("regtest: tip: %v", err)
	}
	return h
}

// Digest is the store's digest: equal digests are equal chain states.
func (n *Net) Digest() mvs.Hash {
	n.t.Helper()
	d, err := n.st.Digest()
	if err != nil {
		n.t.Fatalf("regtest: digest: %v", err)
	}
	return d
}

// Mine mines n blocks on the tip, the first holding txs after its coinbase (which pays
// the subsidy and the fees to Address(0)). Each must join the main chain; a refusal fails
// the test with the rule. It returns the blocks.
func (n *Net) Mine(count int, txs ...*tx.Tx) []*block.Block {
	n.t.Helper()
	if count < 1 {
		n.t.Fatalf("regtest: Mine(%d): at least one block", count)
	}
	var out []*block.Block
	for i := range count {
		var in []*tx.Tx
		if i == 0 {
			in = txs
		}
		blk, err := n.Submit(in...)
		if err != nil {
			n.t.Fatalf("regtest: mining block %d: %v", n.Height()+1, err)
		}
		out = append(out, blk)
	}
	return out
}

// Submit mines one block on the tip holding txs and processes it. It returns the block
// once it is on the main chain, or the refusal: a *chain.RuleError (match its rule with
// errors.Is(err, chain.ErrMissingInput) and the like). Anything else fails the test.
func (n *Net) Submit(txs ...*tx.Tx) (*block.Block, error) {
	n.t.Helper()
	tip, _, err := n.st.Tip()
	if err != nil {
		n.t.Fatalf("regtest: tip: %v", err)
	}
	blk := n.mine(tip, 0, txs)
	res, err := n.process(blk)
	if err != nil {
		return blk, err
	}
	if res.Verdict != chain.MainChain {
		n.t.Fatalf("regtest: block %d %s on the tip: verdict %v", blk.Header.Height, res.Hash, res.Verdict)
	}
	return blk, nil
}

// Process passes a block mined elsewhere (another Net's, or one a test altered) to the
// chain and returns its result; an Invalid block's error is its *chain.RuleError. An error
// that is not a judgement fails the test.
func (n *Net) Process(blk *block.Block) (chain.Result, error) {
	n.t.Helper()
	return n.process(blk)
}

func (n *Net) process(blk *block.Block) (chain.Result, error) {
	n.t.Helper()
	res, err := n.c.ProcessBlock(context.Background(), blk, nil)
	var re *chain.RuleError
	if err != nil && !errors.As(err, &re) {
		n.t.Fatalf("regtest: processing block %d %s: %v", blk.Header.Height, blk.Hash(), err)
	}
	return res, err
}

// mine builds and seals a block on parent: a coinbase naming the height and the branch,
// then txs.
func (n *Net) mine(parent mvs.Hash, branch byte, txs []*tx.Tx) *block.Block {
	n.t.Helper()
	for _, t := range txs {
		if t == nil {
			n.t.Fatal("regtest: nil transaction")
		}
	}
	prev := n.header(parent)
	height := prev.Height + 1
	cands := make([]chain.Candidate, len(txs))
	for i, t := range txs {
		cands[i] = chain.Candidate{Tx: t, Fee: n.fee(t, txs)}
	}
	blk, err := chain.NewPoWTemplate(chain.TemplateConfig{Params: n.p, Parent: &prev, Branch: n.branchOf(prev),
		Txs: cands, PayTo: script.PayToAddress(n.Address(0)), Tag: []byte{branch}, Timestamp: prev.Timestamp + blockSpacing})
	if err != nil {
		n.t.Fatalf("regtest: block %d: %v", height, err)
	}
	h := &blk.Header
	res, err := n.v.Search(context.Background(), uint64(height), h.SealHash(), h.Bits.Big(), 0, 0, 1)
	if err != nil {
		n.t.Fatalf("regtest: sealing block %d: %v", height, err)
	}
	h.Nonce, h.MixHash = res.Nonce, res.Mix
	for i := range blk.Transactions {
		t := &blk.Transactions[i]
		n.txs[t.Hash()] = t
	}
	return blk
}

// branchOf reads the branch ending at tip by height (the template's difficulty).
func (n *Net) branchOf(tip block.Header) chain.HeaderChain {
	return headersBelow{n: n, tip: tip}
}

// headersBelow walks the store from tip down by height.
type headersBelow struct {
	n   *Net
	tip block.Header
}

func (b headersBelow) HeaderAt(height uint32) *block.Header {
	h := b.tip
	if height > h.Height {
		return nil
	}
	for h.Height > height {
		rec, err := b.n.st.Header(h.PreviousBlockHash)
		if err != nil {
			return nil
		}
		h = rec.Header
	}
	return &h
}

func (n *Net) header(h mvs.Hash) block.Header {
	n.t.Helper()
	rec, err := n.st.Header(h)
	if err != nil {
		n.t.Fatalf("regtest: header %s: %v", h, err)
	}
	return rec.Header
}

// fee is what t pays, read from the transactions that made its inputs (mined here, in the
// same block, or in the store); 0 when an input is unknown or the outputs exceed the
// inputs, so the chain judges such a transaction rather than the harness.
func (n *Net) fee(t *tx.Tx, same []*tx.Tx) mvs.Amount {
	var in, out mvs.Amount
	for _, i := range t.Inputs {
		prev := n.txs[i.PreviousOutput.Hash]
		for _, b := range same {
			if b != nil && b.Hash() == i.PreviousOutput.Hash {
				prev = b
			}
		}
		if prev == nil {
			if p, _, err := n.st.Tx(i.PreviousOutput.Hash); err == nil {
				prev = p
			}
		}
		if prev == nil || int(i.PreviousOutput.Index) >= len(prev.Outputs) {
			return 0
		}
		var ok bool
		if in, ok = in.Add(prev.Outputs[i.PreviousOutput.Index].Value); !ok {
			return 0
		}
	}
	for _, o := range t.Outputs {
		var ok bool
		if out, ok = out.Add(o.Value); !ok {
			return 0
		}
	}
	if f, ok := in.Sub(out); ok {
		return f
	}
	return 0
}

// Coins are the unspent outputs paying addr on the main chain, from the store's address
// index, as proven wallet coins (each carries the transaction that made it, and its key
// origin when addr is one of the account's handed-out addresses).
func (n *Net) Coins(addr mvs.Address) []wallet.Coin {
	n.t.Helper()
	var out []wallet.Coin
	err := n.st.View(func(sn *store.Snapshot) error {
		us, err := sn.UnspentByAddress(addr)
		if err != nil {
			return err
		}
		for _, u := range us {
			prev, _, err := sn.Tx(u.OutPoint.Hash)
			if err != nil {
				return fmt.Errorf("transaction of %v: %w", u.OutPoint, err)
			}
			c, err := wallet.CoinFromTx(prev, u.OutPoint.Index, u.Entry.Height)
			if err != nil {
				return err
			}
			if i, ok := n.known[addr]; ok {
				o := n.acct.Origin(i)
				c.Origin = &o
			}
			out = append(out, c)
		}
		return nil
	})
	if err != nil {
		n.t.Fatalf("regtest: coins of %s: %v", addr, err)
	}
	return out
}

// Builder is a wallet.Builder at the tip holding the coins of every address handed out
// (Address, Key; m/0 always), taking coins of one confirmation (RegTest's coinbases
// mature after one block). Change goes back to the first input's address.
func (n *Net) Builder() *wallet.Builder {
	n.t.Helper()
	h := n.Height()
	if h == 0 {
		n.t.Fatal("regtest: Builder at genesis: the account has no coins before the first block (Mine first)")
	}
	b := &wallet.Builder{Params: n.p, TipHeight: h, MinConfirmations: 1}
	// In account order, so the builders' choices are deterministic.
	idx := slices.Sorted(maps.Values(n.known))
	for _, i := range idx {
		b.Coins = append(b.Coins, n.Coins(n.Address(i))...)
	}
	return b
}

// Sign signs u with the account (every input's recorded origin) and returns the final
// transaction; anything short of a complete, verified transaction fails the test.
func (n *Net) Sign(u *wallet.Unsigned) *tx.Tx {
	n.t.Helper()
	if _, err := u.SignWithAccount(n.acct, tx.SignOptions{}); err != nil {
		n.t.Fatalf("regtest: signing: %v", err)
	}
	t, err := u.Final()
	if err != nil {
		n.t.Fatalf("regtest: signing: %v", err)
	}
	return t
}

// Build signs what a builder returned, failing the test on the builder's error: the
// usual net.Build(net.Builder().Send(...)).
func (n *Net) Build(u *wallet.Unsigned, err error) *tx.Tx {
	n.t.Helper()
	if err != nil {
		n.t.Fatalf("regtest: building: %v", err)
	}
	return n.Sign(u)
}

// Fund pays amount to addr from the account's coins and mines the payment; the coins are
// spendable at once (one confirmation).
func (n *Net) Fund(addr mvs.Address, amount mvs.Amount) *tx.Tx {
	n.t.Helper()
	t := n.Build(n.Builder().Send(wallet.Payment{To: addr, Amount: amount}))
	n.Mine(1, t)
	return t
}

// Branch mines on a block of the main chain that may no longer be its tip. Its blocks'
// coinbases differ from the main chain's, so the branches never share a block.
type Branch struct {
	n   *Net
	id  byte
	tip mvs.Hash
}

// Fork starts a branch on the main chain's block at height.
func (n *Net) Fork(height uint32) *Branch {
	n.t.Helper()
	var h mvs.Hash
	err := n.st.View(func(sn *store.Snapshot) error {
		var err error
		h, err = sn.HashAt(height)
		return err
	})
	if err != nil {
		n.t.Fatalf("regtest: fork at %d: %v", height, err)
	}
	if n.forks == 255 {
		n.t.Fatal("regtest: too many branches")
	}
	n.forks++
	return &Branch{n: n, id: n.forks, tip: h}
}

// Tip is the branch's last block's hash.
func (b *Branch) Tip() mvs.Hash { return b.tip }

// Mine mines count blocks on the branch, the first holding txs, and processes them. Each
// must be accepted (side chain, or main chain once the branch has more work than the main
// chain: the chain reorganises to it); a refusal fails the test with the rule. It returns
// the blocks and the last one's result.
func (b *Branch) Mine(count int, txs ...*tx.Tx) ([]*block.Block, chain.Result) {
	n := b.n
	n.t.Helper()
	if count < 1 {
		n.t.Fatalf("regtest: Branch.Mine(%d): at least one block", count)
	}
	var out []*block.Block
	var res chain.Result
	for i := range count {
		var in []*tx.Tx
		if i == 0 {
			in = txs
		}
		blk, r, err := b.Submit(in...)
		if err != nil {
			n.t.Fatalf("regtest: branch block %d: %v", blk.Header.Height, err)
		}
		out, res = append(out, blk), r
	}
	return out, res
}

// Submit mines one branch block holding txs and processes it, returning the block, its
// result and the refusal (a *chain.RuleError) if any. A refused block does not become the
// branch's tip.
func (b *Branch) Submit(txs ...*tx.Tx) (*block.Block, chain.Result, error) {
	n := b.n
	n.t.Helper()
	blk := n.mine(b.tip, b.id, txs)
	res, err := n.process(blk)
	if err != nil {
		return blk, res, err
	}
	if res.Verdict != chain.MainChain && res.Verdict != chain.SideChain {
		n.t.Fatalf("regtest: branch block %d %s: verdict %v", blk.Header.Height, res.Hash, res.Verdict)
	}
	b.tip = res.Hash
	return blk, res, nil
}

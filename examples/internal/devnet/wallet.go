package devnet

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/rpcclient"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
	"github.com/mvsgo/mvs/wallet"
)

// WalletAddresses is how many of the account's addresses (m/0 up) a Wallet watches.
const WalletAddresses = 20

// ErrNoCoins: the wallet's addresses hold no spendable coin yet (mine first).
var ErrNoCoins = errors.New("devnet: the wallet has no coins (mine a block first)")

// Wallet holds an account's keys and follows the node's main chain for the coins of its
// first WalletAddresses addresses. It is safe for concurrent use.
type Wallet struct {
	n     *Node
	acct  *wallet.Account
	known map[mvs.Address]uint32

	mu     sync.Mutex
	hashes []mvs.Hash // the main chain as last seen, by height
	coins  map[tx.OutPoint]wallet.Coin
	// spent are outpoints spent by transactions this wallet sent that are not mined yet.
	spent map[tx.OutPoint]bool
}

// NewWallet is the account of mnemonic ("" means WellKnownMnemonic) on n's chain.
func NewWallet(n *Node, mnemonic string) (*Wallet, error) {
	if mnemonic == "" {
		mnemonic = WellKnownMnemonic
	}
	acct, err := wallet.NewAccountFromMnemonic(mnemonic, n.p)
	if err != nil {
		return nil, err
	}
	w := &Wallet{n: n, acct: acct, known: map[mvs.Address]uint32{}, coins: map[tx.OutPoint]wallet.Coin{},
		spent: map[tx.OutPoint]bool{}}
	addrs, err := acct.Addresses(0, WalletAddresses)
	if err != nil {
		return nil, err
	}
	for i, a := range addrs {
		w.known[a] = uint32(i)
	}
	return w, nil
}

// Account is the wallet's HD account.
func (w *Wallet) Account() *wallet.Account { return w.acct }

// Address is the account's address m/i (i < WalletAddresses are watched).
func (w *Wallet) Address(i uint32) mvs.Address {
	a, err := w.acct.Address(i)
	if err != nil { // only for i ≥ 2^31, a caller's bug
		panic(fmt.Sprintf("devnet: address m/%d: %v", i, err))
	}
	return a
}

// Sync reads the node's main chain up to its tip, rescanning from genesis when a block
// the wallet saw is no longer on it. It returns the tip height.
func (w *Wallet) Sync(ctx context.Context) (uint32, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.sync(ctx)
}

func (w *Wallet) sync(ctx context.Context) (uint32, error) {
	c := w.n.rpc
	top, err := c.GetHeight(ctx)
	if err != nil {
		return 0, err
	}
	if n := len(w.hashes); n > 0 {
		last := uint64(n - 1)
		if last > top {
			last = top
		}
		h, err := c.GetBlockHeader(ctx, rpcclient.ByHeight(last))
		if err != nil {
			return 0, err
		}
		if h.Hash != w.hashes[last] {
			w.hashes, w.coins = nil, map[tx.OutPoint]wallet.Coin{} // reorganised: read it again
		} else {
			w.hashes = w.hashes[:last+1]
		}
	}
	for h := uint64(len(w.hashes)); h <= top; h++ {
		raw, err := c.GetRawBlock(ctx, rpcclient.ByHeight(h))
		if err != nil {
			return 0, err
		}
		blk, err := block.Decode(raw)
		if err != nil {
			return 0, fmt.Errorf("devnet: block %d: %w", h, err)
		}
		if h > 0 && blk.Header.PreviousBlockHash != w.hashes[h-1] {
			// The chain moved under us; the next Sync starts over.
			w.hashes, w.coins = nil, map[tx.OutPoint]wallet.Coin{}
			return 0, fmt.Errorf("devnet: the node reorganised during a wallet sync; sync again")
		}
		if h > 0 {
			if err := w.apply(blk, uint32(h)); err != nil {
				return 0, err
			}
		}
		w.hashes = append(w.hashes, blk.Header.Hash())
	}
	for op := range w.spent {
		if _, ok := w.coins[op]; !ok {
			delete(w.spent, op) // its spender is mined
		}
	}
	return uint32(top), nil
}

func (w *Wallet) apply(blk *block.Block, height uint32) error {
	for ti := range blk.Transactions {
		t := &blk.Transactions[ti]
		if !t.IsCoinbase() {
			for _, in := range t.Inputs {
				delete(w.coins, in.PreviousOutput)
			}
		}
		for i, o := range t.Outputs {
			a, ok := script.Script(o.Script).Address(w.n.p)
			if !ok {
				continue
			}
			idx, mine := w.known[a]
			if !mine {
				continue
			}
			coin, err := wallet.CoinFromTx(t, uint32(i), height)
			if err != nil {
				return err
			}
			origin := w.acct.Origin(idx)
			coin.Origin = &origin
			w.coins[coin.OutPoint] = coin
		}
	}
	return nil
}

// Coins are the unspent outputs of addrs (every watched address when none is given), in a
// stable order, less those spent by transactions the wallet sent that are not mined yet.
func (w *Wallet) Coins(ctx context.Context, addrs ...mvs.Address) ([]wallet.Coin, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, err := w.sync(ctx); err != nil {
		return nil, err
	}
	return w.coinsOf(addrs), nil
}

func (w *Wallet) coinsOf(addrs []mvs.Address) []wallet.Coin {
	var out []wallet.Coin
	for _, c := range w.coins {
		if w.spent[c.OutPoint] {
			continue
		}
		if len(addrs) > 0 {
			a, _ := addressOf(c)
			if !slices.Contains(addrs, a) {
				continue
			}
		}
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b wallet.Coin) int {
		if a.Height != b.Height {
			return int(a.Height) - int(b.Height)
		}
		if c := slices.Compare(a.OutPoint.Hash[:], b.OutPoint.Hash[:]); c != 0 {
			return c
		}
		return int(a.OutPoint.Index) - int(b.OutPoint.Index)
	})
	return out
}

// Builder is a wallet.Builder at the node's tip holding the coins of addrs (every watched
// address when none is given), taking coins of one confirmation.
func (w *Wallet) Builder(ctx context.Context, addrs ...mvs.Address) (*wallet.Builder, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	tip, err := w.sync(ctx)
	if err != nil {
		return nil, err
	}
	coins := w.coinsOf(addrs)
	if len(coins) == 0 {
		return nil, ErrNoCoins
	}
	return &wallet.Builder{Params: w.n.p, TipHeight: tip, MinConfirmations: 1, Coins: coins}, nil
}

// Sign signs u with the account's keys and returns the final transaction.
func (w *Wallet) Sign(u *wallet.Unsigned) (*tx.Tx, error) {
	if _, err := u.SignWithAccount(w.acct, tx.SignOptions{}); err != nil {
		return nil, err
	}
	return u.Final()
}

// SignAndSend signs u and sends it to the node (sendrawtx); its inputs are not offered
// again until it is mined (or the wallet rescans).
func (w *Wallet) SignAndSend(ctx context.Context, u *wallet.Unsigned) (*tx.Tx, error) {
	t, err := w.Sign(u)
	if err != nil {
		return nil, err
	}
	return t, w.Send(ctx, t)
}

// Send sends a signed transaction to the node.
func (w *Wallet) Send(ctx context.Context, t *tx.Tx) error {
	if _, err := w.n.rpc.SendRawTx(ctx, t.Bytes()); err != nil {
		return fmt.Errorf("devnet: sendrawtx %v: %w", t.Hash(), err)
	}
	w.mu.Lock()
	for _, in := range t.Inputs {
		w.spent[in.PreviousOutput] = true
	}
	w.mu.Unlock()
	return nil
}

// Pay sends amount to addr from the wallet's coins.
func (w *Wallet) Pay(ctx context.Context, to mvs.Address, amount mvs.Amount) (*tx.Tx, error) {
	b, err := w.Builder(ctx)
	if err != nil {
		return nil, err
	}
	u, err := b.Send(wallet.Payment{To: to, Amount: amount})
	if err != nil {
		return nil, err
	}
	return w.SignAndSend(ctx, u)
}

// addressOf is the address a coin pays (RegTest's version bytes are TestNet's).
func addressOf(c wallet.Coin) (mvs.Address, bool) {
	return script.Script(c.Script).Address(mvs.RegTest())
}

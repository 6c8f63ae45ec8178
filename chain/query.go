package chain

import (
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/asset"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
	"github.com/mvsgo/mvs/wallet"
)

// Queries answers what an exchange and an explorer ask of the chain state: balances, UTXOs,
// address history, transactions, headers, and the asset, certificate, MIT and DID
// registries. Every answer is read through one store.View snapshot, registry records
// included (Snapshot.Record and Snapshot.Records, not Store.Record), so one answer never
// mixes two tips, and each answer names the tip it was read at (TipHeight, TipHash). Two
// calls may see different tips while blocks connect. Snapshots see committed state only:
// the blocks of an open store batch are not in any answer until they are flushed.
//
// Queries is safe for concurrent use, as the Store is. The address queries need a store
// opened with the address index (store.ErrNoAddressIndex otherwise).
type Queries struct {
	s *store.Store
	p *mvs.Params
}

// NewQueries returns the queries over s on the network p.
func NewQueries(s *store.Store, p *mvs.Params) *Queries { return &Queries{s: s, p: p} }

// MaxPage is the most entries one page of History, Holders, UTXOsPage or CoinsPage
// returns.
const MaxPage = 1000

// checkAddr refuses an address no output can pay.
func checkAddr(addr mvs.Address) error {
	if !addr.IsValid() {
		return fmt.Errorf("%w: invalid address", ErrBadQuery)
	}
	return nil
}

// view runs fn on one snapshot with its tip.
func (q *Queries) view(fn func(sn *store.Snapshot, tip Tip) error) error {
	if q == nil || q.s == nil || q.p == nil {
		return ErrNoStore
	}
	return q.s.View(func(sn *store.Snapshot) error {
		h, n, err := sn.Tip()
		if err != nil {
			return err
		}
		return fn(sn, Tip{TipHash: h.String(), TipHeight: n})
	})
}

// Tip is the tip an answer was read at.
type Tip struct {
	TipHash   string `json:"tip_hash"`
	TipHeight uint32 `json:"tip_height"`
}

// confirmations of something mined at height under a tip at tip: 1 in the tip block.
func confirmations(tip, height uint32) uint32 {
	if height > tip {
		return 0
	}
	return tip - height + 1
}

// ---- locks ----

// LockState says why (part of) an output cannot be spent in the block after the tip.
type LockState string

const (
	// Spendable: a P2PKH, P2PK or P2SH output, or a lock that has ended, not an immature coinbase.
	Spendable LockState = "spendable"
	// Immature: a coinbase output younger than Params.CoinbaseMaturity blocks.
	Immature LockState = "immature"
	// DepositLocked: a pay_key_hash_with_lock_height deposit not yet expired.
	DepositLocked LockState = "deposit_locked"
	// SequenceLocked: a pay_key_hash_with_sequence_lock (the PoS stake lock) not yet expired.
	SequenceLocked LockState = "sequence_locked"
	// AttenuationLocked: the part of an attenuation-locked MST the model has not released.
	AttenuationLocked LockState = "attenuation_locked"
	// Unspendable: a script no key spends alone (bare multisig, null data, non-standard,
	// input-shaped) or a lock whose operand the node cannot satisfy.
	Unspendable LockState = "unspendable"
)

// lockOf classifies an entry under a tip: the state of its ETP value, and of an asset
// quantity q the part released (spendable now, through Builder.SpendLocked while the
// model runs) and the state of the rest. Heights follow wallet.Spendability and
// wallet.Credit (the node wallet's expiration: maturity, a deposit or a sequence lock of
// n blocks ends when the tip is n blocks past the output, one block later than
// consensus would accept the spend), so coin selection and the balance agree; a time
// lock ends when the median time past of the tip reaches the output block's timestamp
// plus its seconds, as consensus has it.
//
// It reads the output's height, coinbase flag and script, nothing else: the caller
// decodes no more of a stored entry than the asset quantity it passes.
func (q *Queries) lockOf(lc *lockContext, u *store.UnspentView, quantity uint64) (state LockState, released uint64, unlockHeight uint64, err error) {
	tip := lc.tip
	if u.Height > tip {
		// An age would wrap around and unlock everything: refuse instead.
		return "", 0, 0, fmt.Errorf("%w: an unspent output of height %d above the tip %d", store.ErrCorrupt, u.Height, tip)
	}
	age := tip - u.Height
	if u.Coinbase && age < q.p.CoinbaseMaturity {
		return Immature, 0, uint64(u.Height) + uint64(q.p.CoinbaseMaturity), nil
	}
	sc := script.Script(u.Script)
	switch sc.Class() {
	case script.PayKeyHash, script.PayPublicKey, script.PayScriptHash:
		return Spendable, quantity, 0, nil
	case script.PayKeyHashWithLockHeight:
		h, ok := lockOperand(sc, script.DefaultNumLen)
		if !ok {
			return Unspendable, 0, 0, nil
		}
		if int64(age) < h {
			return DepositLocked, 0, uint64(u.Height) + uint64(h), nil
		}
		return Spendable, quantity, 0, nil
	case script.PayKeyHashWithSequenceLock:
		n, ok := lockOperand(sc, script.LockTimeNumLen)
		if !ok {
			return Unspendable, 0, 0, nil
		}
		blocks, seconds, byTime, disabled := script.RelativeLock(uint32(n))
		switch {
		case disabled:
			return Spendable, quantity, 0, nil
		case byTime:
			mtp, err := lc.medianTimePast()
			if err != nil {
				return "", 0, 0, err
			}
			mined, err := blockTime(lc.sn, u.Height)
			if err != nil {
				return "", 0, 0, err
			}
			if mtp < mined+seconds {
				return SequenceLocked, 0, 0, nil
			}
			return Spendable, quantity, 0, nil
		case age < blocks:
			return SequenceLocked, 0, uint64(u.Height) + uint64(blocks), nil
		}
		return Spendable, quantity, 0, nil
	case script.PayKeyHashWithAttenuationModel:
		param, _, ok := script.AttenuationParams(sc)
		m, okm := script.ParseModelParam(param)
		if !ok || !okm || m.Type == script.ModelNone {
			return Unspendable, 0, 0, nil
		}
		need := asset.DiffHeight(param, nil)
		if need <= uint64(age) {
			return Spendable, quantity, 0, nil
		}
		free, _ := asset.Unlock(quantity, uint64(age), param)
		end := uint64(u.Height) + need
		if end < need {
			end = wallet.NeverUnlocks
		}
		return AttenuationLocked, min(free, quantity), end, nil
	}
	return Unspendable, 0, 0, nil
}

// lockOperand reads a deposit or sequence lock's number as consensus does (NUMEQUALVERIFY's
// 4 bytes, CHECKSEQUENCEVERIFY's 5, minimal encoding not required, as wallet's
// DepositScanner reads it); a negative or unreadable one makes the output unspendable.
func lockOperand(sc script.Script, limit int) (int64, bool) {
	tok := sc.Tokenize()
	if !tok.Next() {
		return 0, false
	}
	n, err := script.ParseNum(tok.Op().Data, limit, false)
	return n, err == nil && n >= 0
}

// lockContext is what judging locks needs of one snapshot; the median time past is read
// once, when a time lock first asks for it.
type lockContext struct {
	sn     *store.Snapshot
	tip    uint32
	mtp    int64
	mtpSet bool
}

// medianTimePast is the median timestamp of the (up to) 11 blocks up to the tip: what
// the block after the tip judges time locks against.
func (lc *lockContext) medianTimePast() (int64, error) {
	if lc.mtpSet {
		return lc.mtp, nil
	}
	var times []int64
	for i := uint32(0); i < 11 && i <= lc.tip; i++ {
		t, err := blockTime(lc.sn, lc.tip-i)
		if err != nil {
			return 0, err
		}
		times = append(times, t)
	}
	slices.Sort(times)
	lc.mtp, lc.mtpSet = times[len(times)/2], true
	return lc.mtp, nil
}

// blockTime is the timestamp of the main-chain block at height.
func blockTime(sn *store.Snapshot, height uint32) (int64, error) {
	h, err := headerAt(sn, height)
	if err != nil {
		return 0, err
	}
	return int64(h.Timestamp), nil
}

// ---- balance ----

// Amounts is a quantity split by what may be spent in the block after the tip. ETP
// amounts are in satoshi, asset quantities in the asset's smallest unit. Total is the sum.
type Amounts struct {
	Total             uint64 `json:"total"`
	Spendable         uint64 `json:"spendable"`
	Immature          uint64 `json:"immature"`
	DepositLocked     uint64 `json:"deposit_locked"`
	SequenceLocked    uint64 `json:"sequence_locked"`
	AttenuationLocked uint64 `json:"attenuation_locked"`
	Unspendable       uint64 `json:"unspendable"`
}

// add adds v under state, refusing an overflow.
func (a *Amounts) add(state LockState, v uint64) error {
	var f *uint64
	switch state {
	case Spendable:
		f = &a.Spendable
	case Immature:
		f = &a.Immature
	case DepositLocked:
		f = &a.DepositLocked
	case SequenceLocked:
		f = &a.SequenceLocked
	case AttenuationLocked:
		f = &a.AttenuationLocked
	default:
		f = &a.Unspendable
	}
	var c1, c2 uint64
	*f, c1 = bits.Add64(*f, v, 0)
	a.Total, c2 = bits.Add64(a.Total, v, 0)
	if c1 != 0 || c2 != 0 {
		return ErrBalanceOverflow
	}
	return nil
}

// AssetBalance is an address's quantity of one MST.
type AssetBalance struct {
	Symbol string `json:"symbol"`
	Amounts
}

// Balance is what an address holds in unspent outputs at the tip.
type Balance struct {
	Tip
	Address string         `json:"address"`
	ETP     Amounts        `json:"etp"`
	Assets  []AssetBalance `json:"assets"` // by symbol
}

// Balance is addr's ETP and MST holdings, each split into spendable, immature,
// deposit-locked, sequence-locked, attenuation-locked and unspendable. The ETP value of
// an attenuation-locked output is locked until the model ends (the output is spent whole);
// of its asset quantity, what the model has released counts as spendable. Asset issues
// count their supply at the issuer's output, as deposit.go credits them.
//
// It streams the address's outputs (store.Snapshot.ForEachUnspent) and decodes only the
// attachments that are not plain ETP: its memory does not grow with the number of
// outputs, only with the number of assets.
func (q *Queries) Balance(addr mvs.Address) (Balance, error) {
	if err := checkAddr(addr); err != nil {
		return Balance{}, fmt.Errorf("chain: %w", err)
	}
	var b Balance
	err := q.view(func(sn *store.Snapshot, tip Tip) error {
		b = Balance{Tip: tip, Address: addr.String(), Assets: []AssetBalance{}}
		lc := &lockContext{sn: sn, tip: tip.TipHeight}
		assets := map[string]*Amounts{}
		_, err := sn.ForEachUnspent(addr, nil, math.MaxInt, func(u *store.UnspentView) error {
			var symbol string
			var quantity uint64
			isAsset := false
			if !u.PlainETP() {
				a, err := store.DecodeAttachment(u.Attachment)
				if err != nil {
					return err
				}
				symbol, quantity, isAsset = assetOf(&a)
			}
			state, released, _, err := q.lockOf(lc, u, quantity)
			if err != nil {
				return err
			}
			if err := b.ETP.add(state, uint64(u.Value)); err != nil {
				return fmt.Errorf("%w: ETP of %s", err, addr)
			}
			if !isAsset {
				return nil
			}
			a := assets[symbol]
			if a == nil {
				a = &Amounts{}
				assets[symbol] = a
			}
			locked := quantity
			if state == AttenuationLocked { // what the model released is spendable
				if err := a.add(Spendable, released); err != nil {
					return fmt.Errorf("%w: %s of %s", err, symbol, addr)
				}
				locked -= released
			}
			if err := a.add(state, locked); err != nil {
				return fmt.Errorf("%w: %s of %s", err, symbol, addr)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for s, a := range assets {
			b.Assets = append(b.Assets, AssetBalance{Symbol: s, Amounts: *a})
		}
		slices.SortFunc(b.Assets, func(x, y AssetBalance) int {
			if x.Symbol < y.Symbol {
				return -1
			}
			if x.Symbol > y.Symbol {
				return 1
			}
			return 0
		})
		return nil
	})
	if err != nil {
		return Balance{}, fmt.Errorf("chain: balance of %s: %w", addr, err)
	}
	return b, nil
}

// assetOf is the MST an attachment carries: a transfer's quantity, an issue's supply.
func assetOf(a *tx.Attachment) (string, uint64, bool) {
	switch p := a.Payload.(type) {
	case *tx.AssetTransfer:
		return p.Symbol, p.Quantity, true
	case *tx.AssetDetail:
		return p.Symbol, p.MaximumSupply, true
	}
	return "", 0, false
}

// ---- UTXOs ----

// AddressUTXO is an unspent output of an address.
type AddressUTXO struct {
	TxID          string `json:"txid"`
	Index         uint32 `json:"index"`
	Value         uint64 `json:"value"`  // satoshi
	Script        string `json:"script"` // hex
	Height        uint32 `json:"height"`
	Confirmations uint32 `json:"confirmations"`
	Coinbase      bool   `json:"coinbase"`
	Coinstake     bool   `json:"coinstake"`
	// Attachment is the attachment type (tx.AttachmentType's name); Symbol and Quantity
	// the MST it carries, Symbol alone a certificate, MIT or DID.
	Attachment string `json:"attachment"`
	Symbol     string `json:"symbol,omitempty"`
	Quantity   uint64 `json:"quantity,omitempty"`
	// Lock is the output's state at the tip; Released the asset quantity an attenuation
	// model has freed; UnlockHeight the tip height at which a height lock or maturity
	// ends (0 when none or a time lock).
	Lock         LockState `json:"lock"`
	Released     uint64    `json:"released,omitempty"`
	UnlockHeight uint64    `json:"unlock_height,omitempty"`
}

// UTXOs are addr's unspent outputs in outpoint order, with confirmations and lock state.
type UTXOs struct {
	Tip
	Address string        `json:"address"`
	UTXOs   []AddressUTXO `json:"utxos"`
}

// UTXOs lists all of addr's unspent outputs at once. Its answer grows with the address:
// for one that may hold many outputs (an exchange's deposit address), page with
// UTXOsPage, and sum with Balance.
func (q *Queries) UTXOs(addr mvs.Address) (UTXOs, error) {
	if err := checkAddr(addr); err != nil {
		return UTXOs{}, fmt.Errorf("chain: %w", err)
	}
	var r UTXOs
	err := q.view(func(sn *store.Snapshot, tip Tip) error {
		r = UTXOs{Tip: tip, Address: addr.String(), UTXOs: []AddressUTXO{}}
		lc := &lockContext{sn: sn, tip: tip.TipHeight}
		_, err := sn.ForEachUnspent(addr, nil, math.MaxInt, func(u *store.UnspentView) error {
			au, err := q.addressUTXO(lc, u)
			if err != nil {
				return err
			}
			r.UTXOs = append(r.UTXOs, au)
			return nil
		})
		return err
	})
	if err != nil {
		return UTXOs{}, fmt.Errorf("chain: UTXOs of %s: %w", addr, err)
	}
	return r, nil
}

// UTXOPage is one page of an address's unspent outputs, in outpoint order. Next continues
// it ("" on the last page).
type UTXOPage struct {
	Tip
	Address string        `json:"address"`
	UTXOs   []AddressUTXO `json:"utxos"`
	Next    string        `json:"next,omitempty"`
}

// UTXOsPage is a page of at most limit (1..MaxPage) of addr's unspent outputs, as UTXOs
// lists them, after the cursor ("" for the first page; pass Next to continue). A cursor
// is of one address: another's is ErrBadQuery. It stays valid across new blocks and
// continues after its output even once that output is spent. Each page is exact at the
// tip it names, but a walk over pages is not one snapshot: an output created between two
// pages whose outpoint sorts before the cursor is in none of the later pages (none is
// ever listed twice). Balance is the one-snapshot sum.
func (q *Queries) UTXOsPage(addr mvs.Address, cursor string, limit int) (UTXOPage, error) {
	after, err := pageArgs(addr, cursor, limit)
	if err != nil {
		return UTXOPage{}, fmt.Errorf("chain: UTXOs of %s: %w", addr, err)
	}
	var p UTXOPage
	err = q.view(func(sn *store.Snapshot, tip Tip) error {
		p = UTXOPage{Tip: tip, Address: addr.String(), UTXOs: make([]AddressUTXO, 0, min(limit, 64))}
		lc := &lockContext{sn: sn, tip: tip.TipHeight}
		next, err := sn.ForEachUnspent(addr, after, limit, func(u *store.UnspentView) error {
			au, err := q.addressUTXO(lc, u)
			if err != nil {
				return err
			}
			p.UTXOs = append(p.UTXOs, au)
			return nil
		})
		p.Next = hex.EncodeToString(next)
		return err
	})
	if err != nil {
		return UTXOPage{}, fmt.Errorf("chain: UTXOs of %s: %w", addr, pageErr(err))
	}
	return p, nil
}

// pageArgs checks a page's arguments and decodes its cursor.
func pageArgs(addr mvs.Address, cursor string, limit int) (store.Cursor, error) {
	if limit <= 0 || limit > MaxPage {
		return nil, fmt.Errorf("%w: limit %d outside 1..%d", ErrBadQuery, limit, MaxPage)
	}
	if err := checkAddr(addr); err != nil {
		return nil, err
	}
	if cursor == "" {
		return nil, nil
	}
	b, err := hex.DecodeString(cursor)
	if err != nil || len(b) == 0 {
		return nil, fmt.Errorf("%w: cursor %q", ErrBadQuery, cursor)
	}
	return b, nil
}

// pageErr makes the store's refusal of a request (a cursor of another address or of a
// wrong size) the query's.
func pageErr(err error) error {
	if errors.Is(err, store.ErrBadRequest) {
		return fmt.Errorf("%w: %w", ErrBadQuery, err)
	}
	return err
}

// addressUTXO describes one output. A plain ETP attachment is not decoded.
func (q *Queries) addressUTXO(lc *lockContext, u *store.UnspentView) (AddressUTXO, error) {
	att := tx.Attachment{Type: tx.TypeETP}
	if !u.PlainETP() {
		var err error
		if att, err = store.DecodeAttachment(u.Attachment); err != nil {
			return AddressUTXO{}, err
		}
	}
	symbol, quantity, _ := assetOf(&att)
	if symbol == "" {
		symbol = namedSymbol(&att)
	}
	state, released, unlock, err := q.lockOf(lc, u, quantity)
	if err != nil {
		return AddressUTXO{}, err
	}
	if state != AttenuationLocked {
		released = 0
	}
	return AddressUTXO{TxID: u.OutPoint.Hash.String(), Index: u.OutPoint.Index, Value: uint64(u.Value),
		Script: hex.EncodeToString(u.Script), Height: u.Height, Confirmations: confirmations(lc.tip, u.Height),
		Coinbase: u.Coinbase, Coinstake: u.Coinstake, Attachment: att.Type.String(), Symbol: symbol,
		Quantity: quantity, Lock: state, Released: released, UnlockHeight: unlock}, nil
}

// namedSymbol is the symbol of a certificate, MIT or DID output.
func namedSymbol(a *tx.Attachment) string {
	switch p := a.Payload.(type) {
	case *tx.AssetCert:
		return p.Symbol
	case *tx.MIT:
		return p.Symbol
	case *tx.DID:
		return p.Symbol
	}
	return ""
}

// Coins are addr's unspent outputs as wallet coins for coin selection, each with the
// transaction that made it (read from the store's transaction index in the same
// snapshot) as PrevTx, so the cold signer can check every input. The tip height is
// returned for wallet.Spendability. A stored entry that differs from its transaction's
// output is store.ErrCorrupt, never a coin.
//
// It reads every output's transaction at once: for an address that may hold many
// outputs, page with CoinsPage.
func (q *Queries) Coins(addr mvs.Address) ([]wallet.Coin, uint32, error) {
	if err := checkAddr(addr); err != nil {
		return nil, 0, fmt.Errorf("chain: %w", err)
	}
	var out []wallet.Coin
	var height uint32
	err := q.view(func(sn *store.Snapshot, tip Tip) error {
		height = tip.TipHeight
		_, err := sn.ForEachUnspent(addr, nil, math.MaxInt, func(u *store.UnspentView) error {
			c, err := coinOf(sn, u)
			if err != nil {
				return err
			}
			out = append(out, c)
			return nil
		})
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("chain: coins of %s: %w", addr, err)
	}
	return out, height, nil
}

// CoinPage is one page of an address's coins, in outpoint order, read at the tip it names.
// Next continues it ("" on the last page).
type CoinPage struct {
	Tip
	Address string        `json:"address"`
	Coins   []wallet.Coin `json:"coins"`
	Next    string        `json:"next,omitempty"`
}

// CoinsPage is a page of at most limit (1..MaxPage) of addr's coins, as Coins makes
// them, after the cursor ("" for the first page; pass Next to continue). Cursors are
// UTXOsPage's: a page of UTXOs and a page of coins from the same cursor cover the same
// outputs at the same tip.
//
// Coin selection over pages: each page is read at its own tip, so judge the coins of
// several pages with wallet.Spendability at the lowest TipHeight among them (a coin is
// only older at a later tip), and expect the node to refuse a transaction that spends a
// coin spent since its page was read.
func (q *Queries) CoinsPage(addr mvs.Address, cursor string, limit int) (CoinPage, error) {
	after, err := pageArgs(addr, cursor, limit)
	if err != nil {
		return CoinPage{}, fmt.Errorf("chain: coins of %s: %w", addr, err)
	}
	var p CoinPage
	err = q.view(func(sn *store.Snapshot, tip Tip) error {
		p = CoinPage{Tip: tip, Address: addr.String(), Coins: make([]wallet.Coin, 0, min(limit, 64))}
		next, err := sn.ForEachUnspent(addr, after, limit, func(u *store.UnspentView) error {
			c, err := coinOf(sn, u)
			if err != nil {
				return err
			}
			p.Coins = append(p.Coins, c)
			return nil
		})
		p.Next = hex.EncodeToString(next)
		return err
	})
	if err != nil {
		return CoinPage{}, fmt.Errorf("chain: coins of %s: %w", addr, pageErr(err))
	}
	return p, nil
}

// coinOf is an unspent output as a wallet coin proven by its transaction, read in the
// same snapshot; an entry that differs from the transaction's output is store.ErrCorrupt.
func coinOf(sn *store.Snapshot, u *store.UnspentView) (wallet.Coin, error) {
	prev, loc, err := sn.Tx(u.OutPoint.Hash)
	if err != nil {
		return wallet.Coin{}, err
	}
	c, err := wallet.CoinFromTx(prev, u.OutPoint.Index, loc.Height)
	if err != nil {
		return wallet.Coin{}, fmt.Errorf("%w: %v: %v", store.ErrCorrupt, u.OutPoint, err)
	}
	if c.Value != u.Value || string(c.Script) != string(u.Script) || loc.Height != u.Height ||
		string(store.AttachmentBytes(&c.Attachment)) != string(u.Attachment) {
		return wallet.Coin{}, fmt.Errorf("%w: unspent %v differs from its transaction", store.ErrCorrupt, u.OutPoint)
	}
	return c, nil
}

// ---- history ----

// AddressTx is a transaction that created or spent an output of an address.
type AddressTx struct {
	TxID          string `json:"txid"`
	Height        uint32 `json:"height"`
	Index         uint32 `json:"index"` // position in its block
	Confirmations uint32 `json:"confirmations"`
}

// HistoryPage is one page of an address's history, oldest first. Next continues it
// ("" on the last page).
type HistoryPage struct {
	Tip
	Address string      `json:"address"`
	Txs     []AddressTx `json:"txs"`
	Next    string      `json:"next,omitempty"`
}

// History is a page of at most limit (1..MaxPage) transactions that touched addr, after
// the cursor ("" for the first page; pass Next to continue). A cursor stays valid across
// new blocks; after a disconnect it continues from where the chain now is.
func (q *Queries) History(addr mvs.Address, cursor string, limit int) (HistoryPage, error) {
	if limit <= 0 || limit > MaxPage {
		return HistoryPage{}, fmt.Errorf("%w: limit %d outside 1..%d", ErrBadQuery, limit, MaxPage)
	}
	if err := checkAddr(addr); err != nil {
		return HistoryPage{}, fmt.Errorf("chain: %w", err)
	}
	var after store.Cursor
	if cursor != "" {
		b, err := hex.DecodeString(cursor)
		if err != nil {
			return HistoryPage{}, fmt.Errorf("%w: cursor %q", ErrBadQuery, cursor)
		}
		after = b
	}
	var p HistoryPage
	err := q.view(func(sn *store.Snapshot, tip Tip) error {
		es, next, err := sn.History(addr, after, limit)
		if err != nil {
			return err
		}
		p = HistoryPage{Tip: tip, Address: addr.String(), Txs: make([]AddressTx, 0, len(es)), Next: hex.EncodeToString(next)}
		for _, e := range es {
			p.Txs = append(p.Txs, AddressTx{TxID: e.TxID.String(), Height: e.Height, Index: e.Index,
				Confirmations: confirmations(tip.TipHeight, e.Height)})
		}
		return nil
	})
	if errors.Is(err, store.ErrBadRequest) {
		err = fmt.Errorf("%w: %w", ErrBadQuery, err)
	}
	if err != nil {
		return HistoryPage{}, fmt.Errorf("chain: history of %s: %w", addr, err)
	}
	return p, nil
}

// ---- transactions and headers ----

// TxInfo is a main-chain transaction with where it is.
type TxInfo struct {
	Tip
	TxID          string `json:"txid"`
	BlockHash     string `json:"block_hash"`
	Height        uint32 `json:"height"`
	Index         uint32 `json:"index"`
	Timestamp     uint32 `json:"timestamp"`
	Confirmations uint32 `json:"confirmations"`
	Hex           string `json:"hex"`
	Tx            *tx.Tx `json:"-"`
}

// Tx is the main-chain transaction txid (store.ErrNotFound when the main chain has none).
func (q *Queries) Tx(txid mvs.Hash) (TxInfo, error) {
	var r TxInfo
	err := q.view(func(sn *store.Snapshot, tip Tip) error {
		t, loc, err := sn.Tx(txid)
		if err != nil {
			return err
		}
		h, err := headerAt(sn, loc.Height)
		if err != nil {
			return err
		}
		r = TxInfo{Tip: tip, TxID: txid.String(), BlockHash: h.Hash, Height: loc.Height, Index: loc.Index,
			Timestamp: h.Timestamp, Confirmations: confirmations(tip.TipHeight, loc.Height), Hex: hex.EncodeToString(t.Bytes()), Tx: t}
		return nil
	})
	if err != nil {
		return TxInfo{}, fmt.Errorf("chain: transaction %s: %w", txid, err)
	}
	return r, nil
}

// HeaderInfo is a main-chain header.
type HeaderInfo struct {
	Hash          string        `json:"hash"`
	Height        uint32        `json:"height"`
	Version       uint32        `json:"version"`
	Previous      string        `json:"previous"`
	MerkleRoot    string        `json:"merkle_root"`
	Timestamp     uint32        `json:"timestamp"`
	Bits          string        `json:"bits"`
	Nonce         uint64        `json:"nonce"`
	Confirmations uint32        `json:"confirmations"`
	Header        *block.Header `json:"-"`
}

func headerAt(sn *store.Snapshot, height uint32) (HeaderInfo, error) {
	hash, err := sn.HashAt(height)
	if err != nil {
		return HeaderInfo{}, err
	}
	raw, err := sn.RawBlock(hash)
	if err != nil {
		return HeaderInfo{}, err
	}
	if len(raw) < block.HeaderSize {
		return HeaderInfo{}, fmt.Errorf("%w: block at height %d", store.ErrCorrupt, height)
	}
	h, err := block.DecodeHeader(raw[:block.HeaderSize])
	if err != nil || h.Hash() != hash {
		return HeaderInfo{}, fmt.Errorf("%w: header at height %d: %v", store.ErrCorrupt, height, err)
	}
	return HeaderInfo{Hash: hash.String(), Height: height, Version: h.Version, Previous: h.PreviousBlockHash.String(),
		MerkleRoot: h.MerkleRoot.String(), Timestamp: h.Timestamp, Bits: h.Bits.String(), Nonce: h.Nonce, Header: h}, nil
}

// Headers are the main-chain headers from height from, at most count (1..MaxPage) of
// them, fewer when the tip is reached; from above the tip is store.ErrNotFound.
func (q *Queries) Headers(from uint32, count int) ([]HeaderInfo, error) {
	if count <= 0 || count > MaxPage {
		return nil, fmt.Errorf("chain: headers: %w: count %d outside 1..%d", ErrBadQuery, count, MaxPage)
	}
	var out []HeaderInfo
	err := q.view(func(sn *store.Snapshot, tip Tip) error {
		if from > tip.TipHeight {
			return fmt.Errorf("%w: height %d above the tip %d", store.ErrNotFound, from, tip.TipHeight)
		}
		for h := from; h <= tip.TipHeight && len(out) < count; h++ {
			hi, err := headerAt(sn, h)
			if err != nil {
				return err
			}
			hi.Confirmations = confirmations(tip.TipHeight, h)
			out = append(out, hi)
			if h == ^uint32(0) {
				break
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("chain: headers from %d: %w", from, err)
	}
	return out, nil
}

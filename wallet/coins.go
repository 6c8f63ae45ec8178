package wallet

import (
	"errors"
	"fmt"
	"sort"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/asset"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// Coin-selection errors. ErrInsufficientFunds comes as *InsufficientFundsError, which says
// how much is missing and why coins were left out.
var (
	ErrInsufficientFunds = errors.New("wallet: insufficient funds")
	ErrTooManyInputs     = errors.New("wallet: paying this needs more inputs than a transaction may carry; consolidate first")
	// ErrNoTipHeight: the chain tip height was never set (Builder.TipHeight or
	// Spendability.TipHeight is 0), so no coin has confirmations. It is reported as such
	// rather than as "insufficient funds".
	ErrNoTipHeight = errors.New("wallet: TipHeight is not set (the current chain height is needed to judge confirmations, maturity and locks)")
	// ErrNoParams: a Builder, Spendability or Account without network Params (nil Params
	// given to a constructor, or a zero value used). Every method that can fail returns it
	// rather than panicking.
	ErrNoParams = errors.New("wallet: no network Params (set Params to mvs.MainNet() or another network; build accounts with NewAccountFromSeed, NewAccountFromMnemonic or NewWatchOnlyAccount)")
	// ErrUnspendable: a coin cannot be spent now; it comes as *UnspendableError.
	ErrUnspendable = errors.New("wallet: coin not spendable now")
)

// SpendReason says why coin selection left a coin out.
type SpendReason uint8

// Reasons a coin is left out, in the order Spendability.Why checks them.
const (
	// ReasonConfirmations: fewer confirmations than required (or no height, or a height
	// above the tip).
	ReasonConfirmations SpendReason = iota + 1
	// ReasonCoinbaseMaturity: a coinbase output younger than CoinbaseMaturity blocks.
	ReasonCoinbaseMaturity
	// ReasonDepositLock: a deposit whose lock has not expired.
	ReasonDepositLock
	// ReasonSequenceLock: a sequence-locked (PoS stake) output still locked.
	ReasonSequenceLock
	// ReasonAttenuationLock: an attenuation-locked asset still releasing (SpendLocked
	// spends what it has released).
	ReasonAttenuationLock
	// ReasonScript: a script coin selection does not spend alone (P2SH needs its redeem
	// script; unknown scripts).
	ReasonScript
	// ReasonAttachment: an output carrying an asset, certificate, MIT or DID holds ETP but
	// is never used to fund ETP (it is spent only for what it carries).
	ReasonAttachment
)

func (r SpendReason) String() string {
	switch r {
	case ReasonConfirmations:
		return "too few confirmations"
	case ReasonCoinbaseMaturity:
		return "immature coinbase"
	case ReasonDepositLock:
		return "deposit still locked"
	case ReasonSequenceLock:
		return "sequence lock not expired"
	case ReasonAttenuationLock:
		return "attenuation lock still releasing"
	case ReasonScript:
		return "script not spendable by coin selection"
	case ReasonAttachment:
		return "ETP on an asset, certificate, MIT or DID output"
	}
	return fmt.Sprintf("SpendReason(%d)", uint8(r))
}

// UnspendableError is Spendability.Why's answer: which coin, the reason, and the detail.
type UnspendableError struct {
	OutPoint tx.OutPoint
	Reason   SpendReason
	Detail   string
}

func (e *UnspendableError) Error() string { return fmt.Sprintf("%v: %s", e.OutPoint, e.Detail) }

// Unwrap makes errors.Is(err, ErrUnspendable) hold.
func (e *UnspendableError) Unwrap() error { return ErrUnspendable }

// LeftOut is how many coins, holding how much, selection left out for one reason. Amount is
// ETP satoshi, or asset units when the InsufficientFundsError names a Symbol.
type LeftOut struct {
	Reason SpendReason
	Coins  int
	Amount uint64
}

// InsufficientFundsError says what was needed, what the spendable coins hold, and what was
// left out and why (largest amount first), so "spendable 0" is never the whole story.
type InsufficientFundsError struct {
	Symbol    string // "" for ETP
	Need      uint64
	Spendable uint64
	LeftOut   []LeftOut
}

func (e *InsufficientFundsError) Error() string {
	what := "ETP satoshi"
	if e.Symbol != "" {
		what = e.Symbol
	}
	var short uint64
	if e.Need > e.Spendable {
		short = e.Need - e.Spendable
	}
	s := fmt.Sprintf("%v: need %d %s, spendable %d (short by %d)", ErrInsufficientFunds, e.Need, what, e.Spendable, short)
	for i, l := range e.LeftOut {
		if i == 0 {
			s += fmt.Sprintf("; mainly %s: %d coin(s) holding %d left out", l.Reason, l.Coins, l.Amount)
		} else {
			s += fmt.Sprintf("; %s: %d coin(s) holding %d", l.Reason, l.Coins, l.Amount)
		}
	}
	return s
}
func (e *InsufficientFundsError) Unwrap() error { return ErrInsufficientFunds }

// Main is the reason that left out the most (nil LeftOut: 0).
func (e *InsufficientFundsError) Main() SpendReason {
	if len(e.LeftOut) == 0 {
		return 0
	}
	return e.LeftOut[0].Reason
}

// leftOut tallies excluded coins by reason.
type leftOut map[SpendReason]*LeftOut

func (m leftOut) add(err error, amount uint64) {
	var ue *UnspendableError
	r := ReasonScript
	if errors.As(err, &ue) {
		r = ue.Reason
	}
	l := m[r]
	if l == nil {
		l = &LeftOut{Reason: r}
		m[r] = l
	}
	l.Coins++
	l.Amount += amount
}

// list orders the tally by amount left out, then count, then reason.
func (m leftOut) list() []LeftOut {
	var out []LeftOut
	for _, l := range m {
		out = append(out, *l)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Amount != out[j].Amount {
			return out[i].Amount > out[j].Amount
		}
		if out[i].Coins != out[j].Coins {
			return out[i].Coins > out[j].Coins
		}
		return out[i].Reason < out[j].Reason
	})
	return out
}

// Coin is an unspent output the wallet may spend: the output, where it was mined, whether a
// coinbase made it, and optionally the transaction that made it and the key that spends it.
//
// PrevTx makes the cold signer's check possible: the builder attaches it to the Unsigned,
// and Sign refuses any input whose previous output no attached transaction proves (the
// signature hash does not cover spent values, so an unproven value could hide any fee).
// CoinFromTx fills a Coin from that transaction. Origin tells the signer which key to derive
// (Account.Origin); the builder copies it into the Unsigned.
type Coin struct {
	tx.PrevOut
	Coinbase bool
	// PrevTx is the transaction whose output this is (optional; without it the signer must
	// opt out of proofs with Unsigned.AllowUnprovenPrevOuts).
	PrevTx *tx.Tx
	// Origin is the key that spends the output, when the wallet knows it.
	Origin *KeyOrigin
}

// ErrCoin: CoinFromTx was given an output index the transaction does not have.
var ErrCoin = errors.New("wallet: no such output")

// CoinFromTx is output index of prev, mined at height, as a Coin that carries its proof:
// the outpoint, value, script and attachment are read from prev, and prev is kept as PrevTx.
func CoinFromTx(prev *tx.Tx, index uint32, height uint32) (Coin, error) {
	if prev == nil || int(index) >= len(prev.Outputs) {
		return Coin{}, fmt.Errorf("%w: output %d", ErrCoin, index)
	}
	o := prev.Outputs[index]
	return Coin{PrevOut: tx.PrevOut{OutPoint: tx.OutPoint{Hash: prev.Hash(), Index: index}, Value: o.Value,
		Script: append([]byte(nil), o.Script...), Attachment: o.Attachment, Height: height},
		Coinbase: prev.IsCoinbase(), PrevTx: prev}, nil
}

// Wallet limits (base_helper.hpp tx_limit): the node's wallet never builds a transaction of
// more than 677 inputs, nor one whose inputs and outputs reach 687. Consensus has no such
// limit, but relays and the node's own wallet were tuned to it.
const (
	MaxInputs           = 677
	MaxInputsAndOutputs = 686
	// DefaultMinConfirmations is the node miner's policy (miner.cpp: inputs need 3
	// confirmations before their spender is mined).
	DefaultMinConfirmations = 3
)

// Spendability says whether a coin may be spent at a height, and why not.
type Spendability struct {
	TipHeight        uint32 // the chain tip the transaction will be built against
	MinConfirmations uint32 // 0 means DefaultMinConfirmations
	Params           *mvs.Params
}

// Why returns nil when the coin can be spent in the block after the tip, or the reason it
// cannot, as *UnspendableError: too few confirmations, an immature coinbase, a deposit or
// sequence lock not yet expired, or a script the wallet cannot spend alone (P2SH needs its
// redeem script, attenuation locks need the asset rules). With no Params or a zero
// TipHeight it returns ErrNoParams or ErrNoTipHeight.
func (s Spendability) Why(c *Coin) error {
	if s.Params == nil {
		return ErrNoParams
	}
	if s.TipHeight == 0 {
		return ErrNoTipHeight
	}
	no := func(r SpendReason, format string, args ...any) error {
		return &UnspendableError{OutPoint: c.OutPoint, Reason: r, Detail: fmt.Sprintf(format, args...)}
	}
	minConf := s.MinConfirmations
	if minConf == 0 {
		minConf = DefaultMinConfirmations
	}
	if c.Height == 0 || c.Height > s.TipHeight || s.TipHeight-c.Height+1 < minConf {
		return no(ReasonConfirmations, "fewer than %d confirmations", minConf)
	}
	age := s.TipHeight - c.Height
	if c.Coinbase && age < s.Params.CoinbaseMaturity {
		return no(ReasonCoinbaseMaturity, "coinbase matures after %d blocks, %d so far", s.Params.CoinbaseMaturity, age)
	}
	sc := script.Script(c.Script)
	switch sc.Class() {
	case script.PayKeyHash, script.PayPublicKey:
	case script.PayKeyHashWithLockHeight:
		h, ok := script.DepositLockHeight(sc)
		if !ok || h < 0 || int64(age) < h {
			return no(ReasonDepositLock, "deposit locked for %d blocks, %d so far", h, age)
		}
	case script.PayKeyHashWithSequenceLock:
		// Read as consensus reads it (and DepositScanner): CSV's 5-byte numbers, bit 31
		// disabling the lock, no minimal encoding required.
		l := readLock(sc, script.PayKeyHashWithSequenceLock, 0)
		if l.Kind == LockUnspendable {
			return no(ReasonSequenceLock, "unspendable sequence lock (negative)")
		}
		if !l.Disabled && (l.ByTime || uint64(age) < l.Blocks) { // time locks need the median time past: not decided here
			return no(ReasonSequenceLock, "sequence-locked")
		}
	case script.PayKeyHashWithAttenuationModel:
		// A matured lock is spent like any coin (consensus wants no relock then); one still
		// releasing is spent by Builder.SpendLocked, which relocks the rest.
		param, _, ok := script.AttenuationParams(sc)
		if !ok {
			return no(ReasonAttenuationLock, "unreadable attenuation lock")
		}
		if need := asset.DiffHeight(param, nil); need > uint64(age) {
			return no(ReasonAttenuationLock, "attenuation-locked for %d more blocks (SpendLocked spends what it has released)", need-uint64(age))
		}
	default:
		return no(ReasonScript, "%v outputs are not spent by coin selection", sc.Class())
	}
	return nil
}

// ready reports a Spendability that cannot judge any coin.
func (s Spendability) ready() error {
	if s.Params == nil {
		return ErrNoParams
	}
	if s.TipHeight == 0 {
		return ErrNoTipHeight
	}
	return nil
}

// isPlainETP reports an output that carries only ETP: the only kind that funds ETP amounts
// (asset, certificate, MIT and DID outputs are spent only for what they carry).
func isPlainETP(c *Coin) bool { return c.Attachment.Type == tx.TypeETP }

// Selection is the outcome of coin selection.
type Selection struct {
	Coins  []Coin
	Total  mvs.Amount // value of the selected coins
	Change mvs.Amount // to return in a change output; 0 means no change output
	// Fee is what the transaction pays: the requested fee plus any change too small to be
	// worth an output (dust).
	Fee mvs.Amount
}

// SelectRequest describes an ETP payment to fund.
type SelectRequest struct {
	Target mvs.Amount // paid to outputs
	Fee    mvs.Amount // flat fee; MVS fees do not depend on size
	// Outputs the transaction has besides change, for the inputs+outputs limit.
	Outputs int
	// Dust is the smallest change worth an output; default the network's minimum fee (a
	// smaller output costs more to spend than it holds).
	Dust mvs.Amount
	Spendability
	// MaxInputs defaults to the wallet limit, 677.
	MaxInputs int
}

// SelectCoins funds req from candidates.
//
// Strategy: spendable plain-ETP coins only; then
//  1. the fewest inputs: the smallest k such that the k largest coins cover the need (no
//     selection of k coins covers more, so k is the minimum);
//  2. among selections of at most k coins, one whose excess is below Dust, found by a
//     bounded branch-and-bound over the coins sorted by value: it needs no change output;
//  3. otherwise the k largest, with change; change below Dust is added to the fee.
//
// The reference wallet walks addresses in stored order and takes coins first-fit, so it may
// use many small coins (it hits the input limit where ours does not) and leave dust change.
// TestSelectionAgainstFirstFit compares the two.
func SelectCoins(candidates []Coin, req SelectRequest) (*Selection, error) {
	if err := req.ready(); err != nil {
		return nil, err
	}
	need, ok := req.Target.Add(req.Fee)
	if !ok || need > mvs.MaxMoney {
		return nil, fmt.Errorf("wallet: amount %d plus fee %d exceeds max money", req.Target, req.Fee)
	}
	dust := req.Dust
	if dust == 0 {
		dust = req.Params.MinTxFee
	}
	maxIn := req.MaxInputs
	if maxIn == 0 {
		maxIn = MaxInputs
	}
	maxIn = min(maxIn, MaxInputsAndOutputs-req.Outputs-1)
	var pool []Coin
	var spendable mvs.Amount
	out := leftOut{}
	for i := range candidates {
		c := &candidates[i]
		if !isPlainETP(c) {
			if c.Value > 0 {
				out.add(&UnspendableError{Reason: ReasonAttachment}, uint64(c.Value))
			}
			continue
		}
		if err := req.Why(c); err != nil {
			out.add(err, uint64(c.Value))
			continue
		}
		pool = append(pool, *c)
		spendable += c.Value
	}
	if spendable < need {
		return nil, &InsufficientFundsError{Need: uint64(need), Spendable: uint64(spendable), LeftOut: out.list()}
	}
	sort.SliceStable(pool, func(i, j int) bool { return pool[i].Value > pool[j].Value })
	k, sum := 0, mvs.Amount(0)
	for k < len(pool) && sum < need {
		sum += pool[k].Value
		k++
	}
	if k > maxIn {
		return nil, fmt.Errorf("%w: %d inputs needed, limit %d", ErrTooManyInputs, k, maxIn)
	}
	if exact := branchAndBound(pool, need, dust, k); exact != nil {
		return finish(exact, need, req.Fee, dust), nil
	}
	return finish(pool[:k], need, req.Fee, dust), nil
}

func finish(coins []Coin, need, fee, dust mvs.Amount) *Selection {
	s := &Selection{Coins: append([]Coin(nil), coins...), Fee: fee}
	for _, c := range coins {
		s.Total += c.Value
	}
	s.Change = s.Total - need
	if s.Change < dust {
		s.Fee += s.Change
		s.Change = 0
	}
	return s
}

// branchAndBound looks for at most maxCount coins (sorted by value, descending) summing to
// [need, need+dust). It explores include/exclude depth-first with the remaining-sum bound
// and gives up after a fixed number of steps: a miss only means change is made.
func branchAndBound(pool []Coin, need, dust mvs.Amount, maxCount int) []Coin {
	suffix := make([]mvs.Amount, len(pool)+1)
	for i := len(pool) - 1; i >= 0; i-- {
		suffix[i] = suffix[i+1] + pool[i].Value
	}
	steps := 0
	var pick []int
	var best []int
	var walk func(i int, sum mvs.Amount) bool
	walk = func(i int, sum mvs.Amount) bool {
		if steps++; steps > 100_000 {
			return true
		}
		if sum >= need {
			if sum < need+dust {
				best = append([]int(nil), pick...)
				return true
			}
			return false
		}
		if i == len(pool) || len(pick) == maxCount || sum+suffix[i] < need {
			return false
		}
		pick = append(pick, i)
		if walk(i+1, sum+pool[i].Value) {
			return true
		}
		pick = pick[:len(pick)-1]
		return walk(i+1, sum)
	}
	walk(0, 0)
	if best == nil {
		return nil
	}
	out := make([]Coin, len(best))
	for j, i := range best {
		out[j] = pool[i]
	}
	return out
}

// SelectAssetCoins picks outputs carrying quantity of an asset (transfers and issues of that
// symbol, spendable: a lock only once it has matured), largest first, and returns them with
// the asset change.
func SelectAssetCoins(candidates []Coin, symbol string, quantity uint64, sp Spendability) ([]Coin, uint64, error) {
	if err := sp.ready(); err != nil {
		return nil, 0, err
	}
	var pool []Coin
	var have uint64
	out := leftOut{}
	for i := range candidates {
		c := &candidates[i]
		q, ok := assetQuantity(c, symbol)
		if !ok || q == 0 {
			continue
		}
		if err := sp.Why(c); err != nil {
			out.add(err, q)
			continue
		}
		pool = append(pool, *c)
		have += q
	}
	if have < quantity {
		return nil, 0, &InsufficientFundsError{Symbol: symbol, Need: quantity, Spendable: have, LeftOut: out.list()}
	}
	sort.SliceStable(pool, func(i, j int) bool {
		a, _ := assetQuantity(&pool[i], symbol)
		b, _ := assetQuantity(&pool[j], symbol)
		return a > b
	})
	var got uint64
	n := 0
	for n < len(pool) && got < quantity {
		q, _ := assetQuantity(&pool[n], symbol)
		got += q
		n++
	}
	if n > MaxInputs {
		return nil, 0, fmt.Errorf("%w: %d asset inputs", ErrTooManyInputs, n)
	}
	return pool[:n], got - quantity, nil
}

func assetQuantity(c *Coin, symbol string) (uint64, bool) {
	switch p := c.Attachment.Payload.(type) {
	case *tx.AssetTransfer:
		return p.Quantity, p.Symbol == symbol
	case *tx.AssetDetail:
		return p.MaximumSupply, p.Symbol == symbol // issue and secondary issue outputs hold the supply they create
	}
	return 0, false
}

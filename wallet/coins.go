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
// how much is missing.
var (
	ErrInsufficientFunds = errors.New("wallet: insufficient funds")
	ErrTooManyInputs     = errors.New("wallet: paying this needs more inputs than a transaction may carry; consolidate first")
)

// InsufficientFundsError says what was needed and what the spendable coins hold.
type InsufficientFundsError struct {
	Symbol    string // "" for ETP
	Need      uint64
	Spendable uint64
}

func (e *InsufficientFundsError) Error() string {
	what := "ETP satoshi"
	if e.Symbol != "" {
		what = e.Symbol
	}
	return fmt.Sprintf("%v: need %d %s, spendable %d (short by %d)", ErrInsufficientFunds, e.Need, what, e.Spendable, e.Need-e.Spendable)
}
func (e *InsufficientFundsError) Unwrap() error { return ErrInsufficientFunds }

// Coin is an unspent output the wallet may spend: the output, where it was mined, and
// whether a coinbase made it.
type Coin struct {
	tx.PrevOut
	Coinbase bool
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
// cannot: too few confirmations, an immature coinbase, a deposit or sequence lock not yet
// expired, or a script the wallet cannot spend alone (P2SH needs its redeem script,
// attenuation locks need the asset rules).
func (s Spendability) Why(c *Coin) error {
	minConf := s.MinConfirmations
	if minConf == 0 {
		minConf = DefaultMinConfirmations
	}
	if c.Height == 0 || c.Height > s.TipHeight || s.TipHeight-c.Height+1 < minConf {
		return fmt.Errorf("%v: fewer than %d confirmations", c.OutPoint, minConf)
	}
	age := s.TipHeight - c.Height
	if c.Coinbase && age < s.Params.CoinbaseMaturity {
		return fmt.Errorf("%v: coinbase matures after %d blocks, %d so far", c.OutPoint, s.Params.CoinbaseMaturity, age)
	}
	sc := script.Script(c.Script)
	switch sc.Class() {
	case script.PayKeyHash, script.PayPublicKey:
	case script.PayKeyHashWithLockHeight:
		h, ok := script.DepositLockHeight(sc)
		if !ok || h < 0 || int64(age) < h {
			return fmt.Errorf("%v: deposit locked for %d blocks, %d so far", c.OutPoint, h, age)
		}
	case script.PayKeyHashWithSequenceLock:
		seq, ok := script.SequenceLockValue(sc)
		if !ok {
			return fmt.Errorf("%v: unreadable sequence lock", c.OutPoint)
		}
		blocks, _, isTime, disabled := script.RelativeLock(seq)
		if !disabled && (isTime || age < blocks) { // time locks need the median time past: not decided here
			return fmt.Errorf("%v: sequence-locked", c.OutPoint)
		}
	case script.PayKeyHashWithAttenuationModel:
		// A matured lock is spent like any coin (consensus wants no relock then); one still
		// releasing is spent by Builder.SpendLocked, which relocks the rest.
		param, _, ok := script.AttenuationParams(sc)
		if !ok {
			return fmt.Errorf("%v: unreadable attenuation lock", c.OutPoint)
		}
		if need := asset.DiffHeight(param, nil); need > uint64(age) {
			return fmt.Errorf("%v: attenuation-locked for %d more blocks (SpendLocked spends what it has released)", c.OutPoint, need-uint64(age))
		}
	default:
		return fmt.Errorf("%v: %v outputs are not spent by coin selection", c.OutPoint, sc.Class())
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
	var spendable uint64
	for i := range candidates {
		c := &candidates[i]
		if isPlainETP(c) && req.Why(c) == nil {
			pool = append(pool, *c)
			spendable += c.Value
		}
	}
	if spendable < uint64(need) {
		return nil, &InsufficientFundsError{Need: uint64(need), Spendable: spendable}
	}
	sort.SliceStable(pool, func(i, j int) bool { return pool[i].Value > pool[j].Value })
	k, sum := 0, uint64(0)
	for k < len(pool) && sum < uint64(need) {
		sum += pool[k].Value
		k++
	}
	if k > maxIn {
		return nil, fmt.Errorf("%w: %d inputs needed, limit %d", ErrTooManyInputs, k, maxIn)
	}
	if exact := branchAndBound(pool, uint64(need), uint64(dust), k); exact != nil {
		return finish(exact, need, req.Fee, dust), nil
	}
	return finish(pool[:k], need, req.Fee, dust), nil
}

func finish(coins []Coin, need, fee, dust mvs.Amount) *Selection {
	s := &Selection{Coins: append([]Coin(nil), coins...), Fee: fee}
	for _, c := range coins {
		s.Total += mvs.Amount(c.Value)
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
func branchAndBound(pool []Coin, need, dust uint64, maxCount int) []Coin {
	suffix := make([]uint64, len(pool)+1)
	for i := len(pool) - 1; i >= 0; i-- {
		suffix[i] = suffix[i+1] + pool[i].Value
	}
	steps := 0
	var pick []int
	var best []int
	var walk func(i int, sum uint64) bool
	walk = func(i int, sum uint64) bool {
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
	var pool []Coin
	var have uint64
	for i := range candidates {
		c := &candidates[i]
		q, ok := assetQuantity(c, symbol)
		if ok && q > 0 && sp.Why(c) == nil {
			pool = append(pool, *c)
			have += q
		}
	}
	if have < quantity {
		return nil, 0, &InsufficientFundsError{Symbol: symbol, Need: quantity, Spendable: have}
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

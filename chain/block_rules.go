package chain

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/asset"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/did"
	"github.com/mvsgo/mvs/internal/libm"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// ErrNoLookup is returned (wrapped, not as a *RuleError) when a block needs a lookup the
// caller left nil in BlockLookups: a PoS block without Stakes, an MST mining reward without
// Mining. It is the caller's mistake, not the block's.
var ErrNoLookup = errors.New("a lookup the block needs is missing")

// MiningRegistry is what the coinbase's MST mining reward is judged by: the chain's record of
// the asset mined and of its mining certificate, as of the parent. The store implements it;
// an error is a failure to read.
type MiningRegistry interface {
	// AssetHeight is the height of the block that issued the asset symbol, ok false when no
	// asset of that symbol was issued (get_issued_blockchain_asset).
	AssetHeight(symbol string) (height uint32, ok bool, err error)
	// MiningParam is the content of symbol's mining certificate, its subsidy parameter
	// ("initial:…,interval:…,base:…"), ok false when symbol has no mining certificate
	// (get_asset_cert(symbol, mining)).
	MiningParam(symbol string) (param string, ok bool, err error)
}

// BlockLookups are the address- and symbol-indexed queries some blocks need besides the
// UTXO view. Either may be nil for blocks that do not need it.
type BlockLookups struct {
	// Stakes answers the PoS capability rule; every PoS block needs it.
	Stakes StakeIndex
	// Mining answers the MST mining reward rule; a coinbase with a second output needs it.
	Mining MiningRegistry
}

// CheckBlockContext applies the block rules that need the chain, after block.Check's
// context-free ones passed and CheckHeader accepted the header, in validate_block's order:
//
//  1. check_block: the PoS stake (CheckStake), then in the first PoS block the PoS genesis
//     transaction at index 2;
//  2. connect_block, transactions in order: each deposit output (lock-height script) of a
//     non-coinbase transaction matched, in order from the first transaction after the
//     coinbase (PoW) or the coinstake (PoS), by one paying trunc(value × rate) to the same
//     address and lock height, and the coinstake's fee exactly 0 (further coinbases are
//     not limited, as in the node: see ExtraCoinbases); then the coinbase pays at most
//     block.Subsidy plus fees, and an MST mining reward at most MSTSubsidy;
//  3. connect_block's last loop: no asset, certificate, MIT, DID symbol or DID address
//     registered twice in the block (asset.BlockRegistrations, did.Block), the first
//     duplicate in transaction and output order reported.
//
// fees is the sum of the fees of the block's non-coinbase transactions, as CheckTx returns
// them for each; the per-transaction rules (inputs, scripts, locks, the minimum fee) are
// CheckTx's. view is the unspent set before the block (only the coinstake's inputs are
// read, which no earlier transaction of the block can create or spend). A refusal is a
// *RuleError; any other error is a failed read or ErrNoLookup.
func CheckBlockContext(blk *block.Block, bc BlockContext, view UTXOView, fees mvs.Amount, lk BlockLookups) error {
	h := &blk.Header
	if bc.Height != h.Height {
		return ruleErr(ErrHeightMismatch, h.Height, blk.Hash(), "the context is for height %d", bc.Height)
	}
	if len(blk.Transactions) == 0 || !blk.Transactions[0].IsCoinbase() {
		// block.Check's to refuse; refuse rather than index an empty block.
		return fmt.Errorf("chain: %w: run block.Check first", block.ErrFirstNotCoinbase)
	}
	if err := CheckStake(blk, bc, view, lk.Stakes); err != nil {
		return err
	}
	if err := checkPoSGenesis(blk, bc); err != nil {
		return err
	}
	if err := checkConnect(blk, bc, view); err != nil {
		return err
	}
	if err := checkCoinbaseReward(blk, bc, fees, lk.Mining); err != nil {
		return err
	}
	return CheckBlockRegistrations(blk)
}

// checkConnect is connect_block's loop over the non-coinbase transactions, the parts that
// are not CheckTx's: deposit-interest coinbases and the coinstake's zero fee; then the
// count of interest coinbases.
func checkConnect(blk *block.Block, bc BlockContext, view UTXOView) error {
	h := &blk.Header
	p := bc.Params
	txs := blk.Transactions
	pos := h.Version == block.VersionPoS
	first := 1 // the first interest coinbase's index
	if pos {
		first = 2
	}
	next := first
	for i := range txs {
		t := &txs[i]
		if t.IsCoinbase() {
			continue
		}
		for j := range t.Outputs {
			o := &t.Outputs[j]
			if !isDeposit(o.Script) {
				continue
			}
			if next >= len(txs) {
				return ruleErr(ErrCoinageReward, h.Height, blk.Hash(), "tx[%d] output %d is a deposit, and tx[%d] does not exist", i, j, next)
			}
			if why := coinageMismatch(&txs[next], o, p); why != "" {
				return ruleErr(ErrCoinageReward, h.Height, blk.Hash(), "tx[%d] output %d is a deposit, and tx[%d] %s", i, j, next, why)
			}
			next++
		}
		if pos && i == 1 && t.IsCoinstake() {
			if err := checkCoinstakeFee(blk, t, view); err != nil {
				return err
			}
		}
	}
	// The node's count check (check_reward_count) compares the deposits with the interest
	// coinbases it matched, the same number, so it never fails: further one-output
	// coinbases, each paying anything up to MaxMoney, are valid blocks on the real chain.
	// Consensus follows the node (refusing them would fork this SDK off the network);
	// ExtraCoinbases lets an explorer or a monitor flag them.
	return nil
}

// ExtraCoinbases counts a block's coinbase-shaped transactions after the first that are
// neither the PoS genesis transaction nor matched to a deposit: valid by the node's rules
// (its count check cannot fail), yet money no subsidy accounts for. Not a consensus rule; a
// monitor's alarm.
func ExtraCoinbases(blk *block.Block, bc BlockContext) int {
	txs := blk.Transactions
	pos := blk.Header.Version == block.VersionPoS
	deposits := 0
	for i := range txs {
		if txs[i].IsCoinbase() {
			continue
		}
		for _, o := range txs[i].Outputs {
			if isDeposit(o.Script) {
				deposits++
			}
		}
	}
	coinbases := 0
	for i := 1; i < len(txs) && (txs[i].IsCoinbase() || txs[i].IsCoinstake()); i++ {
		if txs[i].IsCoinbase() && !(pos && i == 2 && !posExistsBefore(blk.Header.Height, bc)) {
			coinbases++
		}
	}
	return max(coinbases-deposits, 0)
}

// isDeposit is is_pay_key_hash_with_lock_height_pattern. Such a script ends with
// OP_NUMEQUALVERIFY and a P2PKH script, which the bytes show before any parsing.
func isDeposit(s []byte) bool {
	n := len(s)
	if n < 27 || s[n-26] != byte(script.OP_NUMEQUALVERIFY) || s[n-25] != byte(script.OP_DUP) || s[n-1] != byte(script.OP_CHECKSIG) {
		return false
	}
	return script.Classify(script.NodeForm(s)) == script.PayKeyHashWithLockHeight
}

// coinageMismatch is check_get_coinage_reward_transaction: why t does not pay the interest of
// deposit d, or "". The node reads t's first output, whatever t is: the lock height from its
// script's first operation (as a script number) and the address, both compared with the
// deposit's, and the value compared with CoinageReward.
func coinageMismatch(t *tx.Tx, d *tx.Output, p *mvs.Params) string {
	lock, ok := script.DepositLockHeight(script.Script(script.NodeForm(d.Script)))
	if !ok {
		return "cannot match it: its lock height is not a minimal script number"
	}
	if len(t.Outputs) == 0 {
		return "has no output"
	}
	o := &t.Outputs[0]
	s := script.Script(script.NodeForm(o.Script))
	ops, err := s.Ops()
	if err != nil || len(ops) == 0 {
		return fmt.Sprintf("output 0 script %x does not parse", o.Script)
	}
	got, err := script.ParseNum(ops[0].Data, script.DefaultNumLen, true)
	if err != nil {
		return fmt.Sprintf("output 0 script %x does not start with a lock height", o.Script)
	}
	want, wantOK := script.Script(script.NodeForm(d.Script)).Address(p)
	addr, addrOK := s.Address(p)
	reward := CoinageReward(lock, d.Value, p)
	if got != lock || !addrOK || !wantOK || addr != want || o.Value != reward {
		return fmt.Sprintf("pays %s ETP to %s locked %d blocks, want %s ETP to %s locked %d", o.Value, addr, got, reward, want, lock)
	}
	return ""
}

// coinageRates are the deposit interest rates per lock height of Params.DepositLockHeights,
// in units of 10^-8 (miner.cpp coinage_rewards).
var coinageRates = [5]uint64{95890, 666666, 3200000, 8000000, 20000000}

// CoinageReward is the interest a pre-PoS deposit of value locked for lockHeight blocks
// earns (miner::calculate_lockblock_reward): trunc(value × rate / 10^8) in doubles, with the
// rate of lockHeight's place in Params.DepositLockHeights, and 0 for any other lock height.
func CoinageReward(lockHeight int64, value mvs.Amount, p *mvs.Params) mvs.Amount {
	for i, lh := range p.DepositLockHeights {
		if int64(lh) == lockHeight {
			n := float64(coinageRates[i]) / float64(mvs.SatoshiPerETP)
			return mvs.Amount(libm.Uint64(n * float64(value)))
		}
	}
	return 0
}

// checkCoinstakeFee is tally_fees for the coinstake: what its inputs spend equals what its
// outputs pay.
func checkCoinstakeFee(blk *block.Block, t *tx.Tx, view UTXOView) error {
	fail := func(format string, args ...any) error {
		return ruleErr(ErrCoinstakeFee, blk.Header.Height, blk.Hash(), format, args...)
	}
	var in, out mvs.Amount
	for i := range t.Inputs {
		u, ok, err := view.UTXO(t.Inputs[i].PreviousOutput)
		if err != nil {
			return fmt.Errorf("chain: reading coinstake input %d: %w", i, err)
		}
		if !ok {
			return fail("input %d spends %s, not an unspent output", i, t.Inputs[i].PreviousOutput)
		}
		if in, ok = in.Add(u.Output.Value); !ok {
			return fail("inputs overflow")
		}
	}
	for i := range t.Outputs {
		var ok bool
		if out, ok = out.Add(t.Outputs[i].Value); !ok {
			return fail("outputs overflow")
		}
	}
	if in != out {
		return fail("inputs %s ETP, outputs %s ETP: the fee must be 0", in, out)
	}
	return nil
}

// checkCoinbaseReward is connect_block's coinbase check: every output of the coinbase
// together pays at most the subsidy plus the fees, and a second output (an MST transfer, as
// block.Check requires) at most the mining certificate's subsidy.
func checkCoinbaseReward(blk *block.Block, bc BlockContext, fees mvs.Amount, mining MiningRegistry) error {
	h := &blk.Header
	fail := func(code ErrorCode, format string, args ...any) error {
		return ruleErr(code, h.Height, blk.Hash(), format, args...)
	}
	if h.Version != block.VersionPoW && h.Version != block.VersionPoS {
		return fail(ErrBlockVersion, "no subsidy for version %d", h.Version)
	}
	cb := &blk.Transactions[0]
	var paid mvs.Amount
	for i := range cb.Outputs {
		var ok bool
		if paid, ok = paid.Add(cb.Outputs[i].Value); !ok {
			return fail(ErrCoinbaseTooLarge, "coinbase outputs overflow")
		}
	}
	subsidy := block.Subsidy(h.Height, h.Version, bc.Params)
	allowed, ok := subsidy.Add(fees)
	if !ok {
		allowed = math.MaxUint64
	}
	if paid > allowed {
		return fail(ErrCoinbaseTooLarge, "coinbase pays %s ETP, subsidy %s + fees %s", paid, subsidy, fees)
	}
	if len(cb.Outputs) < 2 {
		return nil
	}
	tr, isTransfer := cb.Outputs[1].Attachment.Payload.(*tx.AssetTransfer)
	if !isTransfer {
		return fail(ErrMSTRewardInvalid, "coinbase output 1 is not an asset transfer")
	}
	if mining == nil {
		return fmt.Errorf("chain: %w: the coinbase pays an MST reward and no MiningRegistry was given", ErrNoLookup)
	}
	issued, ok, err := mining.AssetHeight(tr.Symbol)
	if err != nil {
		return fmt.Errorf("chain: reading asset %q: %w", tr.Symbol, err)
	}
	if !ok {
		return fail(ErrMSTRewardInvalid, "MST %q for mining was never issued", tr.Symbol)
	}
	param, ok, err := mining.MiningParam(tr.Symbol)
	if err != nil {
		return fmt.Errorf("chain: reading the mining certificate of %q: %w", tr.Symbol, err)
	}
	if !ok {
		return fail(ErrMSTRewardInvalid, "MST %q has no mining certificate", tr.Symbol)
	}
	if max := MSTSubsidy(param, issued, h.Height); tr.Quantity > max {
		return fail(ErrMSTRewardTooLarge, "coinbase pays %d %s, at most %d (issued at %d, %q)", tr.Quantity, tr.Symbol, max, issued, param)
	}
	return nil
}

// MSTSubsidy is the most of a mining-certificate asset a coinbase may pay at height
// (miner::calculate_mst_subsidy, the same for PoW and PoS): round(initial × base^rate) with
// rate = ⌊(height − issued) / interval⌋, in doubles with C's correctly rounded pow and
// conversion to u64; 0 when param is not a valid subsidy parameter (asset.ValidMiningParam)
// or the asset was issued at height 0 or at or above height. As in the node, a base of
// "nan" (which the parameter check lets through) allows 2^63 after the first interval, and
// a result beyond 2^64 (an infinite base) converts to 0.
func MSTSubsidy(param string, issued, height uint32) uint64 {
	if !asset.ValidMiningParam(param) || issued == 0 || issued >= height {
		return 0
	}
	initial, interval, base := parseMiningParam(param)
	rate := uint64(height-issued) / uint64(interval)
	var pow float64
	if math.IsInf(base, 0) || math.IsNaN(base) {
		pow = math.Pow(base, float64(rate)) // C99 special cases, as glibc
	} else {
		pow = libm.PowInt(base, int64(rate))
	}
	return libm.Uint64(math.Round(float64(initial) * pow))
}

// parseMiningParam reads a parameter asset.ValidMiningParam accepted, as
// asset_cert::parse_mining_subsidy_param does: comma-separated key:value items (runs of a
// separator count as one), the last of each key winning.
func parseMiningParam(param string) (initial, interval int64, base float64) {
	for _, item := range splitRuns(param, ',') {
		kv := splitRuns(item, ':')
		if len(kv) != 2 {
			continue
		}
		switch kv[0] {
		case "initial":
			initial, _ = strconv.ParseInt(kv[1], 10, 32)
		case "interval":
			interval, _ = strconv.ParseInt(kv[1], 10, 32)
		case "base":
			base, _ = strconv.ParseFloat(kv[1], 64)
		}
	}
	return initial, max(interval, 1), base
}

// splitRuns is boost::split with token_compress_on.
func splitRuns(s string, sep byte) []string {
	var out []string
	for {
		i := strings.IndexByte(s, sep)
		if i < 0 {
			return append(out, s)
		}
		out = append(out, s[:i])
		s = strings.TrimLeft(s[i:], string(sep))
	}
}

// CheckBlockRegistrations is connect_block's last loop: within one block no asset symbol is
// issued twice and no certificate (symbol and type), MIT symbol, DID symbol or DID address
// appears in two outputs, transfers included. The first duplicate in transaction order, and
// within a transaction in output order, is reported. asset.BlockRegistrations keeps all five
// sets in the node's output order; did.Block, which keeps the DID pair, must agree.
func CheckBlockRegistrations(blk *block.Block) error {
	var regs asset.BlockRegistrations
	var dids did.Block
	for i := range blk.Transactions {
		t := &blk.Transactions[i]
		if err := regs.Add(t); err != nil {
			code := ErrDuplicateAsset
			var dup *asset.DuplicateError
			if errors.As(err, &dup) {
				switch dup.Kind {
				case "certificate":
					code = ErrDuplicateCert
				case "MIT":
					code = ErrDuplicateMIT
				case "DID":
					code = ErrDuplicateDID
				case "DID address":
					code = ErrDuplicateDIDAddress
				}
			}
			return ruleErr(code, blk.Header.Height, blk.Hash(), "tx[%d] %v", i, err)
		}
		if err := dids.Add(t); err != nil {
			code := ErrDuplicateDID
			if errors.Is(err, did.ErrDuplicateAddress) {
				code = ErrDuplicateDIDAddress
			}
			return ruleErr(code, blk.Header.Height, blk.Hash(), "tx[%d] %v", i, err)
		}
	}
	return nil
}

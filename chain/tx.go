package chain

import (
	"errors"
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/asset"
	"github.com/mvsgo/mvs/did"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// Registries are the symbols the chain has registered as of the parent of the block being
// checked: assets, certificates and MITs (asset.Registry; asset.MemRegistry is one in
// memory) and DIDs (did.Registry; did.Memory is one).
type Registries struct {
	Assets asset.Registry
	DIDs   did.Registry
}

// CheckTx applies the reference node's rules to t, a non-coinbase transaction of the block at
// bc.Height whose inputs view resolves, and returns its fee. It is validate_transaction's
// check_transaction followed by check_transaction_connect_input, in the node's order, so a
// transaction breaking several rules is refused for the one the node names:
//
//  1. check_transaction_version, tx.CheckSanity, the rest of check_transaction_basic
//     (deposit spends and outputs, early sequence-lock outputs), check_final_tx,
//     check_sequence_locks, the asset, certificate and MIT rules (asset.CheckTx), the DID
//     rules (did.CheckTx) and the attenuation models;
//  2. for each input: its output exists, its value is at most MaxMoney, a coinbase output is
//     mature, the input script satisfies the output's under the consensus flags, and the
//     inputs add up to at most MaxMoney; then the fee: a coinstake pays exactly zero, any
//     other transaction at least Params.MinTxFee, and no transaction spends more than it has.
//
// Where the order cannot be the node's, the refusal is the same and only its code differs:
// asset.CheckTx and did.CheckTx also apply their parts of connect_input and
// check_tx_connect_input (symbols spent, asset amounts, certificates, MITs), so a
// transaction that breaks one of those and an input rule of step 2 is refused with
// ErrAssetRule or ErrDIDRule; an output the view lacks is reported before the version-2
// lock rules only when they need it, and otherwise before the asset rules.
//
// A refusal is a *RuleError (errors.As) whose code (errors.Is) names the rule; ErrTxSanity,
// ErrAssetRule, ErrDIDRule, ErrAttenuation and ErrScript also match the refusing package's
// own error. An error that is not a *RuleError is a failure to judge (ErrLookup: the view or
// a registry failed; ErrTxContext, ErrNoAncestor: missing context): the transaction may be
// valid, and the block must not be marked invalid for it.
//
// The view must hold the outputs of earlier transactions of the same block and not those
// they spent. An output index past the end of its transaction is not in any view, so it is
// refused as ErrMissingInput like an unknown transaction (the node: validate_inputs_failed).
// A time-based sequence lock reads its output's block timestamp from bc.Branch; the node
// reads its main chain even for a side-chain block, a quirk not reproduced.
//
// Block connection checks scripts separately, in parallel: CheckTxDeferScripts, then
// VerifyScripts. Per block, the caller adds what CheckTx cannot see: a coinstake-shaped
// transaction anywhere but position 1 of a PoS block must also pay MinTxFee (validate_block's
// tally_fees treats only that one as the coinstake), and no symbol is registered twice in a
// block (asset.BlockRegistrations, did.Block).
func CheckTx(t *tx.Tx, bc BlockContext, view UTXOView, reg Registries) (fee mvs.Amount, err error) {
	c := txCheck{t: t, bc: bc, view: view, reg: reg, scripts: true}
	return c.run()
}

// CheckTxDeferScripts applies every rule of CheckTx but the input scripts, and returns with
// the fee the outputs t spends, which VerifyScripts needs to check the scripts later (the
// view moves on as the block's transactions spend outputs). A node that assumes a block
// valid (a checkpointed or assumed-valid history) calls this and skips VerifyScripts.
func CheckTxDeferScripts(t *tx.Tx, bc BlockContext, view UTXOView, reg Registries) (mvs.Amount, Spent, error) {
	c := txCheck{t: t, bc: bc, view: view, reg: reg}
	fee, err := c.run()
	if err != nil {
		return 0, Spent{}, err
	}
	return fee, Spent{Tx: t, Prev: c.prev}, nil
}

// txCheck is one CheckTx call.
type txCheck struct {
	t       *tx.Tx
	bc      BlockContext
	p       *mvs.Params
	view    UTXOView
	reg     Registries
	scripts bool

	// tip is the chain height the node's rules read as "current" (get_last_height): the
	// parent of the block being connected, bc.Height-1. The node reads its main chain's tip,
	// which is that parent whenever a block extends the main chain.
	tip uint32

	prev    []UTXO // the outputs the inputs spend, by input
	missing []bool // inputs whose output the view does not hold
	hash    *mvs.Hash
}

func (c *txCheck) txid() mvs.Hash {
	if c.hash == nil {
		h := c.t.Hash()
		c.hash = &h
	}
	return *c.hash
}

func (c *txCheck) fail(code ErrorCode, format string, args ...any) error {
	return ruleErr(code, c.bc.Height, mvs.Hash{}, "tx %s: %s", c.txid(), fmt.Sprintf(format, args...))
}

func (c *txCheck) failCause(code ErrorCode, cause error, format string, args ...any) error {
	e := c.fail(code, format, args...).(*RuleError)
	e.Err = cause
	return e
}

func (c *txCheck) run() (mvs.Amount, error) {
	if c.t == nil || c.bc.Params == nil || c.view == nil || c.reg.Assets == nil || c.reg.DIDs == nil {
		return 0, fmt.Errorf("%w: need a transaction, Params, a UTXO view and both registries", ErrTxContext)
	}
	c.p = c.bc.Params
	if c.bc.Height > 0 {
		c.tip = c.bc.Height - 1
	}
	if c.t.IsCoinbase() {
		return 0, c.fail(ErrCoinbaseTx, "a coinbase is judged by the block rules")
	}
	if err := c.checkVersion(); err != nil {
		return 0, err
	}
	if err := c.t.CheckSanity(); err != nil {
		return 0, c.failCause(ErrTxSanity, err, "%v", err)
	}
	if err := c.load(); err != nil {
		return 0, err
	}
	for _, rule := range [...]func() error{c.checkDepositInputs, c.checkLockOutputs, c.checkFinal, c.checkSequenceLocks} {
		if err := rule(); err != nil {
			return 0, err
		}
	}
	// The asset, DID and model rules read every spent output.
	for i, m := range c.missing {
		if m {
			return 0, c.fail(ErrMissingInput, "input %d spends %v, which is not an unspent output", i, c.t.Inputs[i].PreviousOutput)
		}
	}
	if err := c.checkRegistries(); err != nil {
		return 0, err
	}
	return c.connect()
}

// checkVersion is check_transaction_version.
func (c *txCheck) checkVersion() error {
	v := c.t.Version
	if v >= tx.VersionMax {
		return c.fail(ErrTxVersion, "version %d; versions from %d are not defined", v, tx.VersionMax)
	}
	if c.t.IsCoinstake() {
		return nil
	}
	testnetRules := c.p.TestnetRules
	novaActive := testnetRules || c.p.NovaHeight == 0 || c.tip > c.p.NovaHeight
	if v >= tx.VersionNova && !novaActive {
		return c.fail(ErrNovaNotActive, "version %d while the tip %d is not above the SuperNova height %d", v, c.tip, c.p.NovaHeight)
	}
	if v == tx.VersionNovaTestnet && !testnetRules {
		return c.fail(ErrTxVersion3, "version 3 is for testnet only")
	}
	// Under testnet rules the node ties this to DPoS, which is never enabled.
	if !testnetRules && c.tip >= c.p.PoSHeight && v < tx.VersionNova {
		return c.fail(ErrTxVersionPoS, "version %d; from the PoS fork (tip %d ≥ %d) version 4 is required", v, c.tip, c.p.PoSHeight)
	}
	return nil
}

// load reads every spent output once. A read failure is the store's, never a refusal.
func (c *txCheck) load() error {
	n := len(c.t.Inputs)
	c.prev = make([]UTXO, n)
	c.missing = make([]bool, n)
	for i := range c.t.Inputs {
		u, ok, err := c.view.UTXO(c.t.Inputs[i].PreviousOutput)
		if err != nil {
			return fmt.Errorf("%w: input %d of tx %s (%v): %w", ErrLookup, i, c.txid(), c.t.Inputs[i].PreviousOutput, err)
		}
		c.prev[i], c.missing[i] = u, !ok
	}
	return nil
}

// blocksBetween is calc_number_of_blocks: to-from, or 0 when from is not below to.
func blocksBetween(from, to uint32) uint32 {
	if from < to {
		return to - from
	}
	return 0
}

// checkDepositInputs is check_transaction_basic's deposit spend rule: an input script of the
// deposit-spend shape (three pushes, the second a public key) names a lock height that must
// not exceed the blocks from the spent output's block to the tip. The node skips outputs
// locked by P2SH, whose spends it cannot read this way.
func (c *txCheck) checkDepositInputs() error {
	for i := range c.t.Inputs {
		lock, shaped, ok := depositSpendLock(c.t.Inputs[i].Script)
		if !shaped {
			continue
		}
		if c.missing[i] {
			return c.fail(ErrMissingInput, "input %d spends %v, which is not an unspent output", i, c.t.Inputs[i].PreviousOutput)
		}
		u := &c.prev[i]
		if script.Classify(u.Output.Script) == script.PayScriptHash {
			continue
		}
		if !ok {
			// The node's CScriptNum throws on it; nothing it accepts is refused here.
			return c.fail(ErrDepositLocked, "input %d: the lock height push is not a minimal number of at most 4 bytes", i)
		}
		// A negative lock reads as a huge unsigned one on the node: always locked.
		if blocks := blocksBetween(u.Height, c.tip); lock < 0 || lock > int64(blocks) {
			return c.fail(ErrDepositLocked, "input %d: lock height %d, only %d blocks from the deposit at %d to the tip %d",
				i, lock, blocks, u.Height, c.tip)
		}
	}
	return nil
}

// depositSpendLock reads an input script as is_sign_key_hash_with_lock_height_pattern does:
// exactly three push operations, the second a public key. It reports the shape, and the
// third push as the node's CScriptNum (minimal, at most 4 bytes) decodes it.
func depositSpendLock(s []byte) (lock int64, shaped, ok bool) {
	ops, err := script.Script(s).Ops()
	if err != nil || len(ops) != 3 || !script.IsPublicKey(ops[1].Data) {
		return 0, false, false
	}
	for _, o := range ops {
		if !o.Opcode.IsPush() {
			return 0, false, false
		}
	}
	n, err := script.ParseNum(ops[2].Data, script.DefaultNumLen, true)
	return n, true, err == nil
}

// checkLockOutputs is check_transaction_basic's output rule: deposits only before the PoS
// fork and only with a lock height from Params.DepositLockHeights; on mainnet, sequence-lock
// outputs only from the PoS fork.
func (c *txCheck) checkLockOutputs() error {
	for i := range c.t.Outputs {
		s := c.t.Outputs[i].Script
		switch script.Classify(s) {
		case script.PayKeyHashWithLockHeight:
			if c.tip >= c.p.PoSHeight {
				return c.fail(ErrDepositAfterPoS, "output %d is a deposit; deposits ended at the PoS fork %d (tip %d)", i, c.p.PoSHeight, c.tip)
			}
			lock, ok := script.DepositLockHeight(s)
			if !ok || lock < 0 || !c.depositLockAllowed(lock) {
				return c.fail(ErrDepositLockHeight, "output %d: deposit lock height %d is not one of %v", i, lock, c.p.DepositLockHeights)
			}
		case script.PayKeyHashWithSequenceLock:
			if c.tip < c.p.PoSHeight && !c.p.TestnetRules {
				return c.fail(ErrSequenceLockEarly, "output %d is a sequence lock before the PoS fork %d (tip %d)", i, c.p.PoSHeight, c.tip)
			}
		}
	}
	return nil
}

func (c *txCheck) depositLockAllowed(lock int64) bool {
	for _, h := range c.p.DepositLockHeights {
		if int64(h) == lock {
			return true
		}
	}
	return false
}

// checkFinal is check_final_tx: from the PoS fork, a version ≥ 2 transaction must be final
// at the block's height and median time past.
func (c *txCheck) checkFinal() error {
	if c.t.Version < tx.VersionCheckOutputScript || c.bc.Height < c.p.PoSHeight {
		return nil
	}
	// The node passes the median time as the u32 of transaction::is_final.
	if !isFinal(c.t, c.bc.Height, uint32(c.bc.MedianTimePast)) {
		return c.fail(ErrNonFinal, "lock time %d not passed at height %d, median time %d", c.t.LockTime, c.bc.Height, c.bc.MedianTimePast)
	}
	return nil
}

// isFinal is transaction::is_final: no lock time, a lock time below the block's height (or,
// at or above LockTimeThreshold, below its time), or every input's sequence final.
func isFinal(t *tx.Tx, height, blockTime uint32) bool {
	if t.LockTime == 0 {
		return true
	}
	limit := height
	if t.LockTime >= script.LockTimeThreshold {
		limit = blockTime
	}
	if t.LockTime < limit {
		return true
	}
	for i := range t.Inputs {
		if t.Inputs[i].Sequence != script.SequenceFinal {
			return false
		}
	}
	return true
}

// checkSequenceLocks is check_sequence_locks, BIP68 with MVS's masks (script.RelativeLock):
// for version ≥ 2, every input whose sequence enables a relative lock waits that many blocks
// after its output's block, or that many seconds after the timestamp of that block. The
// node's arithmetic is kept: unsigned 64-bit sums that wrap (a 0-block lock on an output of
// block 0 never passes), and the median time must exceed the latest time lock even when no
// input has one, so a block whose median time past is 0 admits no version ≥ 2
// transaction (only reachable in tests).
func (c *txCheck) checkSequenceLocks() error {
	if c.t.Version < tx.VersionCheckOutputScript {
		return nil
	}
	var minTime, minHeight uint64
	for i := range c.t.Inputs {
		blocks, seconds, isTime, disabled := script.RelativeLock(c.t.Inputs[i].Sequence)
		if disabled {
			continue
		}
		if c.missing[i] {
			return c.fail(ErrMissingInput, "input %d spends %v, which is not an unspent output", i, c.t.Inputs[i].PreviousOutput)
		}
		h := c.prev[i].Height
		if !isTime {
			minHeight = max(minHeight, uint64(h)+uint64(blocks)-1)
			continue
		}
		if h >= c.bc.Height {
			// The node reads the timestamp from its main chain, which has no block here yet.
			return c.fail(ErrSequenceLocked, "input %d: a time lock on an output of this block (the node finds no header at %d)", i, h)
		}
		if c.bc.Branch == nil {
			return fmt.Errorf("%w: input %d of tx %s has a time lock and BlockContext.Branch is nil", ErrNoAncestor, i, c.txid())
		}
		hdr := c.bc.Branch.HeaderAt(h)
		if hdr == nil {
			return fmt.Errorf("%w: height %d, for the time lock of input %d of tx %s", ErrNoAncestor, h, i, c.txid())
		}
		minTime = max(minTime, uint64(hdr.Timestamp)+uint64(seconds)-1)
	}
	if uint64(c.bc.MedianTimePast) <= minTime {
		return c.fail(ErrSequenceLocked, "median time past %d, a time lock runs to %d", c.bc.MedianTimePast, minTime)
	}
	if uint64(c.bc.Height) <= minHeight {
		return c.fail(ErrSequenceLocked, "height %d, a relative lock runs to %d", c.bc.Height, minHeight)
	}
	return nil
}

// checkRegistries applies the asset, certificate and MIT rules, the DID rules, and the
// attenuation models, in the node's order (check_asset_*, check_did_transaction, then
// attenuation_model::check_model_param). asset.CheckTx checks the models spent as its
// last contextual rule, so a model refusal waits for the DID rules; the models of new issues
// it checks with the issue, and those keep the DID rules' precedence too (the node would
// name the model first: only a transaction breaking both sees the difference).
func (c *txCheck) checkRegistries() error {
	prevOuts := make([]tx.PrevOut, len(c.prev))
	for i := range c.prev {
		u := &c.prev[i]
		prevOuts[i] = tx.PrevOut{OutPoint: c.t.Inputs[i].PreviousOutput, Value: u.Output.Value,
			Script: u.Output.Script, Attachment: u.Output.Attachment, Height: u.Height}
	}
	aerr := asset.CheckTx(c.t, prevOuts, c.bc.Height, c.p, c.reg.Assets)
	if aerr != nil {
		if errors.Is(aerr, asset.ErrRegistry) || errors.Is(aerr, asset.ErrPrevOuts) {
			return fmt.Errorf("%w: asset rules of tx %s: %w", ErrLookup, c.txid(), aerr)
		}
		if !errors.Is(aerr, asset.ErrModel) {
			return c.failCause(ErrAssetRule, aerr, "%v", aerr)
		}
	}
	if derr := did.CheckTx(c.t, did.PrevOutList(prevOuts), uint64(c.bc.Height), c.p, c.reg.DIDs); derr != nil {
		if errors.Is(derr, did.ErrRegistry) || errors.Is(derr, did.ErrNoPrevOut) {
			return fmt.Errorf("%w: DID rules of tx %s: %w", ErrLookup, c.txid(), derr)
		}
		return c.failCause(ErrDIDRule, derr, "%v", derr)
	}
	if aerr != nil {
		return c.failCause(ErrAttenuation, aerr, "%v", aerr)
	}
	return nil
}

// connect is connect_input for every input, then tally_fees.
func (c *txCheck) connect() (mvs.Amount, error) {
	var chk *tx.InputChecker
	var in mvs.Amount
	for i := range c.prev {
		u := &c.prev[i]
		if u.Output.Value > mvs.MaxMoney {
			return 0, c.fail(ErrInputValue, "input %d spends %d, above the money supply", i, u.Output.Value)
		}
		if u.Coinbase {
			if n := blocksBetween(u.Height, c.bc.Height); n < c.p.CoinbaseMaturity {
				return 0, c.fail(ErrImmature, "input %d spends a coinbase output of block %d, %d blocks old; %d required",
					i, u.Height, n, c.p.CoinbaseMaturity)
			}
		}
		if c.scripts {
			if chk == nil {
				chk = tx.NewInputChecker(c.t, i)
			}
			chk.SetInput(i)
			if err := verifyInput(chk, c.t, i, u.Output.Script); err != nil {
				return 0, c.failCause(ErrScript, &ScriptError{TxHash: c.txid(), TxIndex: -1, Input: i, Err: err}, "input %d: %v", i, err)
			}
		}
		in += u.Output.Value // both ≤ MaxMoney: no overflow before the check
		if in > mvs.MaxMoney {
			return 0, c.fail(ErrInputsOverflow, "inputs 0..%d add up to more than the money supply", i)
		}
	}
	var out mvs.Amount
	for i := range c.t.Outputs {
		out += c.t.Outputs[i].Value // CheckSanity bounded the sum by MaxMoney
	}
	if in < out {
		return 0, c.fail(ErrSpendsMore, "outputs %d exceed inputs %d", out, in)
	}
	fee := in - out
	if c.t.IsCoinstake() {
		if fee != 0 {
			return 0, c.fail(ErrCoinstakeFee, "coinstake fee %d, must be 0", fee)
		}
		return 0, nil
	}
	if fee < c.p.MinTxFee {
		return 0, c.fail(ErrFeeTooLow, "fee %d below the minimum %d", fee, c.p.MinTxFee)
	}
	return fee, nil
}

// verifyInput runs input i's script against the script it spends with the consensus flags
// (validate_transaction::check_consensus), through a checker pointed at input i.
func verifyInput(chk *tx.InputChecker, t *tx.Tx, i int, prevScript []byte) error {
	return script.Verify(script.NodeForm(t.Inputs[i].Script), script.NodeForm(prevScript), script.ConsensusFlags, chk)
}

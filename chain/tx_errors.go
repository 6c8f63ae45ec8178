package chain

import "errors"

// The transaction rules in context, one code each (the node's validate_transaction.cpp
// errors). Codes run from firstTxCode; add a code before endTxCodes and its name to
// txCodeNames. They are listed in the order CheckTx applies them.
const (
	// ErrCoinbaseTx: CheckTx was given a coinbase, which only the block rules judge
	// (coinbase_transaction).
	ErrCoinbaseTx ErrorCode = iota + firstTxCode
	// ErrTxVersion: a transaction version of 5 or more (transaction_version_error).
	ErrTxVersion
	// ErrNovaNotActive: version 4 while the tip is not above the SuperNova height
	// (nova_feature_not_activated).
	ErrNovaNotActive
	// ErrTxVersion3: version 3 outside testnet rules (transaction_version_error).
	ErrTxVersion3
	// ErrTxVersionPoS: on mainnet from the PoS fork, a version below 4 (coinbase and
	// coinstake excepted; transaction_version_error).
	ErrTxVersionPoS
	// ErrTxSanity: the context-free rules of tx.CheckSanity (empty, size, duplicate or null
	// inputs, output values, non-standard scripts, attachments, symbols). The error wraps
	// the tx package's sentinel, so errors.Is(err, tx.ErrDuplicateInput) holds.
	ErrTxSanity
	// ErrMissingInput: an input spends an output the view does not hold: unknown, already
	// spent, or an index past its transaction's outputs (input_not_found).
	ErrMissingInput
	// ErrDepositLocked: an input spends a deposit with a lock height greater than the
	// blocks since the deposit (invalid_input_script_lock_height).
	ErrDepositLocked
	// ErrDepositAfterPoS: a new deposit (lock-height) output once the tip has reached the
	// PoS fork (invalid_coinage_reward_coinbase).
	ErrDepositAfterPoS
	// ErrDepositLockHeight: a deposit output whose lock height is not one of
	// Params.DepositLockHeights (invalid_output_script_lock_height).
	ErrDepositLockHeight
	// ErrSequenceLockEarly: on mainnet, a sequence-lock output before the PoS fork
	// (pos_feature_not_activated).
	ErrSequenceLockEarly
	// ErrNonFinal: from the PoS fork, a version ≥ 2 transaction whose lock time has not
	// passed (non_final_transaction).
	ErrNonFinal
	// ErrSequenceLocked: a version ≥ 2 transaction whose relative (BIP68, MVS masks) lock
	// has not passed (sequence_locked).
	ErrSequenceLocked
	// ErrAssetRule: the asset, certificate or MIT rules (asset.CheckTx). The error wraps
	// the asset package's sentinel, so errors.Is(err, asset.ErrAssetAmount) holds.
	ErrAssetRule
	// ErrDIDRule: the DID rules (did.CheckTx); the error wraps the did package's sentinel.
	ErrDIDRule
	// ErrAttenuation: an attenuation (locked asset) model param, new or relocked, that the
	// node's check_model_param refuses (attenuation_model_param_error); wraps asset.ErrModel.
	ErrAttenuation
	// ErrInputValue: a spent output's value above MaxMoney (validate_inputs_failed).
	ErrInputValue
	// ErrImmature: a coinbase output spent fewer than Params.CoinbaseMaturity blocks after
	// its block (validate_inputs_failed).
	ErrImmature
	// ErrScript: an input script does not satisfy the output it spends under the consensus
	// flags (validate_inputs_failed); the error wraps a *ScriptError naming the input, which
	// wraps the interpreter's *script.Error.
	ErrScript
	// ErrInputsOverflow: the inputs add up to more than MaxMoney (validate_inputs_failed).
	ErrInputsOverflow
	// ErrSpendsMore: the outputs add up to more than the inputs (fees_out_of_range).
	ErrSpendsMore
	// ErrFeeTooLow: a transaction other than the coinstake pays less than Params.MinTxFee
	// (fees_out_of_range).
	ErrFeeTooLow
	// ErrCoinstakeFee: a coinstake whose fee is not exactly zero (fees_out_of_range).
	ErrCoinstakeFee

	endTxCodes // keep last
)

// txCodeNames is indexed by code; entries below firstTxCode are unused.
var txCodeNames = [endTxCodes]string{
	ErrCoinbaseTx:        "ErrCoinbaseTx",
	ErrTxVersion:         "ErrTxVersion",
	ErrNovaNotActive:     "ErrNovaNotActive",
	ErrTxVersion3:        "ErrTxVersion3",
	ErrTxVersionPoS:      "ErrTxVersionPoS",
	ErrTxSanity:          "ErrTxSanity",
	ErrMissingInput:      "ErrMissingInput",
	ErrDepositLocked:     "ErrDepositLocked",
	ErrDepositAfterPoS:   "ErrDepositAfterPoS",
	ErrDepositLockHeight: "ErrDepositLockHeight",
	ErrSequenceLockEarly: "ErrSequenceLockEarly",
	ErrNonFinal:          "ErrNonFinal",
	ErrSequenceLocked:    "ErrSequenceLocked",
	ErrAssetRule:         "ErrAssetRule",
	ErrDIDRule:           "ErrDIDRule",
	ErrAttenuation:       "ErrAttenuation",
	ErrInputValue:        "ErrInputValue",
	ErrImmature:          "ErrImmature",
	ErrScript:            "ErrScript",
	ErrInputsOverflow:    "ErrInputsOverflow",
	ErrSpendsMore:        "ErrSpendsMore",
	ErrFeeTooLow:         "ErrFeeTooLow",
	ErrCoinstakeFee:      "ErrCoinstakeFee",
}

// Failures to judge a transaction, as opposed to refusals: the transaction may be valid, and
// a block holding it must not be marked invalid because of them.
var (
	// ErrTxContext: CheckTx or VerifyScripts was called without what it needs (no Params,
	// no view, a nil registry, a Spent whose previous outputs do not line up with its
	// inputs).
	ErrTxContext = errors.New("chain: incomplete context for a transaction check")
	// ErrNoAncestor: a time-based sequence lock needs the timestamp of an ancestor the
	// BlockContext's Branch does not hold.
	ErrNoAncestor = errors.New("chain: branch has no header at the height of a spent output")
	// ErrLookup: the UTXO view or a registry failed to answer; it wraps the cause.
	ErrLookup = errors.New("chain: state lookup failed")
)

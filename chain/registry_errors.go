package chain

import "errors"

// Errors of the registry state over the store (StoreState). None is a *RuleError: they say
// the state could not be read or written, never that a block is invalid.
var (
	// ErrBadRecord: a stored registry record (or key) does not decode: another version of
	// its encoding, truncated, or with trailing bytes. The store is corrupt or was written
	// by another program.
	ErrBadRecord = errors.New("chain: registry record does not decode")
	// ErrRecordKey: a symbol or address that cannot be a record key (empty, or longer
	// than a key may be). Consensus refuses such symbols; meeting one means the block was
	// not validated.
	ErrRecordKey = errors.New("chain: symbol or address unusable as a record key")
	// ErrSpentUnknown: RecordWrites found neither in the block nor in the view an output
	// the block spends, so it cannot tell which assets leave which holder.
	ErrSpentUnknown = errors.New("chain: an output the block spends is not in the view")
	// ErrHolderBalance: a holder's quantity would go below zero or past 2^64-1: the
	// records and the UTXO set disagree.
	ErrHolderBalance = errors.New("chain: asset holder balance out of range")
	// ErrNoStore: a StoreState made without a store or without Params.
	ErrNoStore = errors.New("chain: StoreState needs a store and Params")
	// ErrRecordArgs: RecordWrites called without a block, with a height the block's
	// header does not carry, or without a view.
	ErrRecordArgs = errors.New("chain: RecordWrites needs a block at its height and a view")
)

package chain

import "errors"

// The refusals of block connection that are not a header, transaction or block rule, one
// code each, from firstChainCode. chainCodeNames holds their names for ErrorCode.String.
const (
	firstChainCode ErrorCode = 300

	// ErrBlockSanity: block.Check refused the block (a context-free rule); Err is the block
	// package's error. Such a refusal never marks the hash invalid: the body may be a
	// mutation of a valid block with the same hash (CVE-2012-2459).
	ErrBlockSanity ErrorCode = iota + firstChainCode - 1
	// ErrInvalidAncestor: the block descends from a block known to be invalid.
	ErrInvalidAncestor
	// ErrForkBelowCheckpoint: the block's branch leaves the main chain below a checkpoint the
	// main chain has passed; switching to it would disconnect the checkpoint's block.
	ErrForkBelowCheckpoint
	// ErrOverwriteUnspent: a transaction creates an output that is still unspent (a
	// duplicate transaction id); the store cannot undo an overwrite, so it is refused.
	ErrOverwriteUnspent
	// ErrKnownInvalid: the block was found invalid before (its header is marked so); the
	// first refusal named the rule.
	ErrKnownInvalid

	endChainCodes // keep last
)

var chainCodeNames = [endChainCodes]string{
	ErrBlockSanity:         "ErrBlockSanity",
	ErrInvalidAncestor:     "ErrInvalidAncestor",
	ErrForkBelowCheckpoint: "ErrForkBelowCheckpoint",
	ErrOverwriteUnspent:    "ErrOverwriteUnspent",
	ErrKnownInvalid:        "ErrKnownInvalid",
}

// Errors of Chain that are not refusals of a block.
var (
	// ErrClosed: the Chain was closed; also the reason a Subscription ends with Close.
	ErrClosed = errors.New("chain: closed")
	// ErrImporting: BeginImport while an import batch is already open.
	ErrImporting = errors.New("chain: an import batch is already open")
	// ErrSubscriberLagged is why a Subscription was closed when its buffer was full: it
	// missed events and must resynchronise from the store.
	ErrSubscriberLagged = errors.New("chain: subscriber lagged behind and was closed; resync")
	// ErrConfig: New was given an incomplete Config.
	ErrConfig = errors.New("chain: invalid Config")
	// ErrRawMismatch: ProcessBlock's raw bytes do not encode its block.
	ErrRawMismatch = errors.New("chain: raw bytes are not the block's encoding")
	// ErrReorgRestore: a failed reorganisation could not reconnect the old main chain; the
	// store holds the fork point's chain and needs an operator (the error says why).
	ErrReorgRestore = errors.New("chain: could not restore the main chain after a failed reorganisation")
)

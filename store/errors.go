package store

import (
	"errors"
	"fmt"

	"github.com/mvsgo/mvs/tx"
)

// Errors. Every error the store returns wraps one of these, so callers branch with errors.Is.
var (
	// ErrSchemaVersion: the file was written by another version of this package's layout.
	// It is never read as if it were this one.
	ErrSchemaVersion = errors.New("store: schema version of the file is not this package's")
	// ErrWrongNetwork: the file belongs to another network (magic or genesis hash differ).
	ErrWrongNetwork = errors.New("store: file belongs to another network")
	// ErrAddressIndexMismatch: Options.NoAddressIndex differs from the setting the file was
	// created with; opening it anyway would leave the index silently out of step.
	ErrAddressIndexMismatch = errors.New("store: address index option differs from the file's")
	// ErrNoAddressIndex: an address query on a store opened with NoAddressIndex.
	ErrNoAddressIndex = errors.New("store: no address index (opened with NoAddressIndex)")
	// ErrLocked: another process (or another Store in this one) has the file open.
	ErrLocked = errors.New("store: file is locked by another open store")
	// ErrNoParams: Options.Params is nil.
	ErrNoParams = errors.New("store: Options.Params is required")
	// ErrClosed: the Store was closed.
	ErrClosed = errors.New("store: closed")

	// ErrNotTip: the block's parent is not the current tip (or its height is not tip+1).
	ErrNotTip = errors.New("store: block does not extend the tip")
	// ErrMissingOutput: an input spends an outpoint that is not unspent. The whole update
	// is refused; the error is an *OutPointError naming the outpoint.
	ErrMissingOutput = errors.New("store: input spends an output that is not unspent")
	// ErrDuplicateOutput: a transaction creates an outpoint that is already unspent (a
	// duplicate transaction id); overwriting it would make the block impossible to undo.
	// The error is an *OutPointError.
	ErrDuplicateOutput = errors.New("store: output already unspent")
	// ErrBadUpdate: a BlockUpdate that contradicts itself (hash, height or raw bytes do not
	// match the block, a nil block, an unknown record kind, an empty or oversized key,
	// unknown status bits), or a side body that is not the named block or is a main-chain
	// one (PutSideBlock).
	ErrBadUpdate = errors.New("store: inconsistent block update")
	// ErrGenesis: DisconnectTip at height 0.
	ErrGenesis = errors.New("store: cannot disconnect the genesis block")
	// ErrBatch: BeginBatch while a batch is open.
	ErrBatch = errors.New("store: batch already open")

	// ErrWrite: a write transaction failed (disk full, I/O error). The file is still at its
	// last committed block; the Store refuses every further write until it is reopened.
	ErrWrite = errors.New("store: write failed")

	// ErrNotFound: no such header, block, transaction, output or record. ConnectBlock
	// (BlockUpdate.Status) and DisconnectTipStatus refuse with it a status for a header
	// that is not stored.
	ErrNotFound = errors.New("store: not found")
	// ErrBadRequest: a read with an invalid argument (unknown kind, non-positive limit,
	// malformed cursor, empty key).
	ErrBadRequest = errors.New("store: invalid request")
	// ErrCorrupt: stored bytes that do not decode, or a broken invariant found by Check.
	ErrCorrupt = errors.New("store: corrupt")
)

// OutPointError names the outpoint that made ConnectBlock refuse an update: an input
// spending an output that is not unspent (Err is ErrMissingOutput), or an output that is
// already unspent (Err is ErrDuplicateOutput). errors.Is sees Err.
type OutPointError struct {
	Err      error
	OutPoint tx.OutPoint
	TxIndex  int // position of the transaction in the block
	Index    int // the input's index (missing) or the output's (duplicate)
}

func (e *OutPointError) Error() string {
	what := "input"
	if e.Err == ErrDuplicateOutput {
		what = "output"
	}
	return fmt.Sprintf("%v: tx[%d] %s[%d]: %v", e.Err, e.TxIndex, what, e.Index, e.OutPoint)
}

func (e *OutPointError) Unwrap() error { return e.Err }

// corrupt wraps ErrCorrupt with what did not decode.
func corrupt(what string, err error) error {
	if err == nil {
		return fmt.Errorf("%w: %s", ErrCorrupt, what)
	}
	return fmt.Errorf("%w: %s: %v", ErrCorrupt, what, err)
}

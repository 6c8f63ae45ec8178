package backend

import (
	"errors"
	"fmt"
)

// Sentinel errors; match them with errors.Is.
var (
	// ErrConfig is a Config the service cannot run with (no node, no store, a zero
	// confirmation count, ...).
	ErrConfig = errors.New("exchange: invalid configuration")
	// ErrPrivateKey is an account that holds private keys: the online service must hold
	// only the extended public key, the signer holds the rest.
	ErrPrivateKey = errors.New("exchange: the online service must be given a watch-only account")
	// ErrDialect is a database driver the store does not know (sqlite and pgx are).
	ErrDialect = errors.New("exchange: unsupported database driver")
	// ErrSchemaTooNew is a database migrated by a newer version of this program.
	ErrSchemaTooNew = errors.New("exchange: database schema is newer than this program")
	// ErrReorgTooDeep is a reorganization deeper than Config.MaxReorgDepth: the service
	// stops rather than unwind that many credits on its own.
	ErrReorgTooDeep = errors.New("exchange: reorganization deeper than the configured limit")
	// ErrNodeAnswer is a node answer that contradicts itself or what was asked (a block of
	// another height, a transaction that does not hash to its id).
	ErrNodeAnswer = errors.New("exchange: inconsistent answer from the node")
	// ErrDuplicateDeposit is an output seen in a second block while the ledger still has it in
	// the chain: the ledger and the node disagree, so nothing more is credited.
	ErrDuplicateDeposit = errors.New("exchange: output already recorded in another live block")
	// ErrInsufficientBalance is a withdrawal larger than the user's credited balance.
	ErrInsufficientBalance = errors.New("exchange: insufficient balance")
	// ErrUnknownWithdrawal is a withdrawal id the ledger does not have.
	ErrUnknownWithdrawal = errors.New("exchange: unknown withdrawal")
	// ErrWithdrawalExists is a withdrawal id reused for a different request.
	ErrWithdrawalExists = errors.New("exchange: withdrawal id already used for another request")
	// ErrWithdrawalState is an operation the withdrawal's status does not allow (signing one
	// already sent, cancelling one broadcast).
	ErrWithdrawalState = errors.New("exchange: operation not allowed in the withdrawal's status")
	// ErrSignedMismatch is a signed transaction that is not the unsigned one the service
	// built (other outputs, inputs or amounts), or whose signatures do not verify.
	ErrSignedMismatch = errors.New("exchange: signed transaction does not match the withdrawal")
	// ErrInvalidRequest is a malformed withdrawal or address request (empty user or id,
	// zero amount, an address of another network).
	ErrInvalidRequest = errors.New("exchange: invalid request")
	// ErrNothingToSweep is a sweep with no credited deposit output left to move (or too
	// little to pay its fee).
	ErrNothingToSweep = errors.New("exchange: nothing to sweep")
	// ErrAmountRange is an amount the ledger cannot hold exactly (above 2^63-1).
	ErrAmountRange = errors.New("exchange: amount beyond the ledger's range")
	// ErrSignerPolicy is an unsigned withdrawal the signer refuses: another network, a fee above
	// its cap, inputs it cannot prove.
	ErrSignerPolicy = errors.New("exchange: signer refuses the transaction")
)

// StatusError is a withdrawal operation refused because of the withdrawal's status; it
// matches ErrWithdrawalState.
type StatusError struct {
	ID     string
	Status string
	Op     string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("exchange: cannot %s withdrawal %q in status %q", e.Op, e.ID, e.Status)
}

// Unwrap makes errors.Is(err, ErrWithdrawalState) true.
func (e *StatusError) Unwrap() error { return ErrWithdrawalState }

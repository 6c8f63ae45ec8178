package proof

import "errors"

// Errors of Make, Verify, VerifyAgainst and the JSON form; match with errors.Is.
var (
	// ErrMalformed: a proof is not well formed: unknown format or version, bad hex, a
	// transaction or header that does not decode, or fields that contradict each other
	// (txid, block hash, height).
	ErrMalformed = errors.New("proof: malformed existence proof")
	// ErrDigest: the proof is of another digest than the one being verified (another file).
	ErrDigest = errors.New("proof: proof is of another digest")
	// ErrNoDigest: the transaction's message output does not hold the digest.
	ErrNoDigest = errors.New("proof: transaction's message does not hold the digest")
	// ErrTxNotInBlock: Make was asked for a transaction the block does not contain.
	ErrTxNotInBlock = errors.New("proof: transaction is not in the block")
	// ErrBranch: the merkle branch does not lead from the transaction to the header's
	// merkle root.
	ErrBranch = errors.New("proof: merkle branch does not reach the header's merkle root")
	// ErrHeaderMismatch: the proof's header is not the block the chain has at that height
	// (a forged header, or a block that a reorganisation removed).
	ErrHeaderMismatch = errors.New("proof: header is not the chain's block at that height")
	// ErrHeaderSource: the chain could not be asked for the block at the proof's height.
	ErrHeaderSource = errors.New("proof: header source failed")
)

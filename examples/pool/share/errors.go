package share

import (
	"errors"
	"fmt"
)

// Errors. A Verdict's Err wraps ErrBadMix or ErrLowDifficulty when the share is the
// miner's fault, ErrClosed when the Verifier was closed.
var (
	// ErrWork is work a job cannot be made of: a zero boundary, a seed hash not the
	// height's epoch's, a zero share difficulty.
	ErrWork = errors.New("share: unusable work")
	// ErrLowDifficulty is a share whose Ethash result is above the share target.
	ErrLowDifficulty = errors.New("share: low difficulty share")
	// ErrBadMix is a share whose mix digest is not the one Ethash computes.
	ErrBadMix = errors.New("share: mix digest mismatch")
	// ErrClosed is a check on a closed Verifier.
	ErrClosed = errors.New("share: verifier closed")
)

func errorf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: %s", sentinel, fmt.Sprintf(format, args...))
}

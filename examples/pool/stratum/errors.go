package stratum

import (
	"errors"
	"fmt"

	"github.com/mvsgo/mvs/examples/pool/share"
)

// Errors. A share's rejection is one of the share errors below, wrapped; the code a miner
// sees is Code(err).
var (
	// ErrConfig is a Config New cannot use.
	ErrConfig = errors.New("stratum: invalid Config")
	// ErrMalformed is a request line that is not a JSON-RPC request of the protocol:
	// not JSON, a parameter that is not a string, a nonce or hash of the wrong length.
	ErrMalformed = errors.New("stratum: malformed request")
	// ErrLineTooLong is a request line longer than Config.MaxLineBytes; the connection is closed.
	ErrLineTooLong = errors.New("stratum: request line too long")
	// ErrUnknownMethod is a method neither protocol has.
	ErrUnknownMethod = errors.New("stratum: unknown method")
	// ErrUnauthorized is a share or work request before a successful login, a login
	// whose address is not one of the network's, or a wrong password.
	ErrUnauthorized = errors.New("stratum: unauthorized worker")
	// ErrNotSubscribed is an EthereumStratum request before mining.subscribe.
	ErrNotSubscribed = errors.New("stratum: not subscribed")
	// ErrNoWork is a request while the pool has no work from the node yet.
	ErrNoWork = errors.New("stratum: work not ready")
	// ErrStale is a share for a job the node has moved past, or one the pool no longer
	// keeps (Config.KeepJobs).
	ErrStale = errors.New("stratum: stale share (job not found)")
	// ErrDuplicate is a share whose (job, nonce) was submitted before.
	ErrDuplicate = errors.New("stratum: duplicate share")
	// ErrLowDifficulty is a share whose Ethash result is above the share target (package
	// share's, so that errors.Is matches the Checker's verdicts).
	ErrLowDifficulty = share.ErrLowDifficulty
	// ErrBadMix is a share whose mix digest is not the one Ethash computes.
	ErrBadMix = share.ErrBadMix
	// ErrBanned is a worker or address banned for too many invalid shares.
	ErrBanned = errors.New("stratum: banned for invalid shares")
	// ErrTooManyWorkers is a login beyond Config.MaxWorkers distinct workers.
	ErrTooManyWorkers = errors.New("stratum: too many workers")
	// ErrClosed is a share checked after the Verifier was closed.
	ErrClosed = share.ErrClosed
)

// Stratum error codes, as open-ethereum-pool and NiceHash's EthereumStratum/1.0.0 use them.
const (
	CodeOther         = 20
	CodeStale         = 21
	CodeDuplicate     = 22
	CodeLowDifficulty = 23
	CodeUnauthorized  = 24
	CodeNotSubscribed = 25
	CodeMalformed     = -1
)

// Code is the stratum error code a miner is sent for err; 0 for nil.
func Code(err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, ErrStale):
		return CodeStale
	case errors.Is(err, ErrDuplicate):
		return CodeDuplicate
	case errors.Is(err, ErrLowDifficulty), errors.Is(err, ErrBadMix):
		return CodeLowDifficulty
	case errors.Is(err, ErrUnauthorized), errors.Is(err, ErrBanned), errors.Is(err, ErrTooManyWorkers):
		return CodeUnauthorized
	case errors.Is(err, ErrNotSubscribed):
		return CodeNotSubscribed
	case errors.Is(err, ErrMalformed), errors.Is(err, ErrUnknownMethod), errors.Is(err, ErrLineTooLong):
		return CodeMalformed
	}
	return CodeOther
}

func errorf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: %s", sentinel, fmt.Sprintf(format, args...))
}

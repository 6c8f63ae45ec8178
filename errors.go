package mvs

import (
	"errors"
	"fmt"
)

// Sentinel errors of the root package. Every error returned here wraps one of them, so
// callers branch with errors.Is.
var (
	// ErrHashFormat: a hash string is not 64 hex digits.
	ErrHashFormat = errors.New("mvs: malformed hash")
	// ErrAmountFormat: an amount string is not a non-negative decimal with at most the
	// allowed number of fractional digits.
	ErrAmountFormat = errors.New("mvs: malformed amount")
	// ErrAmountRange: an amount does not fit in 64 bits.
	ErrAmountRange = errors.New("mvs: amount out of range")
	// ErrBase58: a character outside the base58 alphabet.
	ErrBase58 = errors.New("mvs: invalid base58")
	// ErrChecksum: the base58check checksum does not match.
	ErrChecksum = errors.New("mvs: bad base58check checksum")
	// ErrAddressLength: the decoded payload is not version byte + 20-byte hash.
	ErrAddressLength = errors.New("mvs: wrong address length")
	// ErrAddressNetwork: the version byte belongs to no address kind of the given network.
	ErrAddressNetwork = errors.New("mvs: address version not valid on this network")
	// ErrUnknownNetwork: a network name that is not mainnet, testnet or regtest.
	ErrUnknownNetwork = errors.New("mvs: unknown network")
	// ErrNoParams: a call that needs a network was given nil *Params.
	ErrNoParams = errors.New("mvs: no network parameters (nil *Params)")
)

// DecodeError is a failure to decode bytes (a transaction, a block, a header): which field,
// at which byte offset of the input, and why. Err is a sentinel of the decoding package
// (tx.ErrTruncated, tx.ErrTooLarge, tx.ErrTrailing, ...), so errors.Is sees through it;
// errors.As with *DecodeError gets the position.
type DecodeError struct {
	Field  string // e.g. "output[2].attachment.symbol"
	Offset int    // byte offset of the field's start within the decoded buffer
	Err    error  // the reason: a sentinel error
	Detail string // optional extra words
}

func (e *DecodeError) Error() string {
	if e.Detail != "" {
		return fmt.Sprintf("%s at offset %d: %v: %s", e.Field, e.Offset, e.Err, e.Detail)
	}
	return fmt.Sprintf("%s at offset %d: %v", e.Field, e.Offset, e.Err)
}

func (e *DecodeError) Unwrap() error { return e.Err }

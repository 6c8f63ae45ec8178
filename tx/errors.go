package tx

import (
	"errors"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/internal/codec"
)

// Decoding errors. A decoding failure is a *DecodeError (errors.As) naming the field, e.g. "output[1].attachment.symbol", and the byte offset;
// it wraps one of these sentinels.
var (
	// ErrTruncated: the input ended inside a field.
	ErrTruncated = codec.ErrTruncated
	// ErrTooLarge: a count or length is larger than the bytes that remain.
	ErrTooLarge = codec.ErrTooLarge
	// ErrTrailing: bytes remain after a complete transaction.
	ErrTrailing = codec.ErrTrailing
	// ErrAttachmentStatus: an asset or DID attachment's status is not one the node parses.
	ErrAttachmentStatus = errors.New("unknown attachment status")
	// ErrPayloadMismatch: an Attachment's Payload does not belong to its Type (encoding a
	// hand-built value).
	ErrPayloadMismatch = errors.New("attachment payload does not match its type")
)

// DecodeError is the concrete type of decoding errors: field, byte offset and reason.
type DecodeError = mvs.DecodeError

// Context-free rule violations found by CheckSanity. Each is wrapped with the index of the
// offending input or output.
var (
	ErrNoInputs            = errors.New("transaction has no inputs")
	ErrNoOutputs           = errors.New("transaction has no outputs")
	ErrTxTooLarge          = errors.New("transaction larger than 1,000,000 bytes")
	ErrDuplicateInput      = errors.New("transaction spends the same output twice")
	ErrOutputValue         = errors.New("output value above max money")
	ErrTotalOutputValue    = errors.New("sum of output values above max money")
	ErrNullPrevOut         = errors.New("non-coinbase input spends the null outpoint")
	ErrVersion             = errors.New("transaction version not accepted")
	ErrNonStandardOutput   = errors.New("output script matches no standard pattern")
	ErrInvalidAttachment   = errors.New("attachment fails its validity limits")
	ErrInvalidSymbol       = errors.New("symbol not allowed")
	ErrAttachmentForbidden = errors.New("attachment type may not appear here")
)

package wire

import (
	"errors"
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/internal/codec"
)

// Framing errors. Each is a distinct reason the reference node drops the connection, so a
// peer implementation can tell them apart with errors.Is.
var (
	// ErrZeroHeader: the 24-byte header is all zeros (the node's bad_stream).
	ErrZeroHeader = errors.New("wire: all-zero message header")
	// ErrBadMagic: the header's magic is not the expected network's. The reference node bans
	// the sender's IP:port for 24 hours for this one.
	ErrBadMagic = errors.New("wire: wrong network magic")
	// ErrMalformedCommand: the 12-byte command has a non-NUL byte after a NUL, or a byte
	// outside printable ASCII.
	ErrMalformedCommand = errors.New("wire: malformed command")
	// ErrCommandTooLong: a command to send is longer than 12 bytes.
	ErrCommandTooLong = errors.New("wire: command longer than 12 bytes")
	// ErrPayloadTooLarge: a payload length above MaxPayloadSize (1,800,003 bytes), or above
	// the message's own MaxPayloadLength when sending.
	ErrPayloadTooLarge = errors.New("wire: payload too large")
	// ErrBadChecksum: the payload's double-SHA256 does not start with the header's checksum.
	ErrBadChecksum = errors.New("wire: payload checksum mismatch")
	// ErrUnknownCommand: a command the reference node does not map (feefilter, alert,
	// addrv2, ...). ReadMessage returns it as *UnknownCommandError after consuming the
	// payload, so a caller may skip the message; the reference node disconnects.
	ErrUnknownCommand = errors.New("wire: unknown command")
	// ErrVersionTooLow: the message does not exist at the negotiated protocol version (the
	// reference's version_minimum checks, e.g. headers below 31800, reject below 70002).
	ErrVersionTooLow = errors.New("wire: message not valid at this protocol version")
	// ErrInvalidValue: a field holds a value the reference refuses (sendcmpct mode above 1).
	ErrInvalidValue = errors.New("wire: invalid field value")
)

// Payload decoding errors are *DecodeError (field and byte offset within the payload)
// wrapping one of these.
var (
	// ErrTruncated: the payload ended inside a field.
	ErrTruncated = codec.ErrTruncated
	// ErrTooLarge: a count or length cannot fit in the bytes left or exceeds its cap.
	ErrTooLarge = codec.ErrTooLarge
	// ErrTrailing: bytes left after a complete payload; the reference node disconnects.
	ErrTrailing = codec.ErrTrailing
)

// DecodeError is the concrete type of payload decoding errors.
type DecodeError = mvs.DecodeError

// UnknownCommandError reports a well-framed message whose command is not known. Its
// payload has been read and checksummed, so the stream is positioned at the next message.
type UnknownCommandError struct {
	Command string
	Payload []byte
}

func (e *UnknownCommandError) Error() string {
	return fmt.Sprintf("wire: unknown command %q (%d-byte payload)", e.Command, len(e.Payload))
}

// Is makes errors.Is(err, ErrUnknownCommand) true.
func (e *UnknownCommandError) Is(target error) bool { return target == ErrUnknownCommand }

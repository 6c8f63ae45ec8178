package wire

import (
	"io"

	"github.com/mvsgo/mvs/internal/codec"
)

// MsgVerAck: verack acknowledges a version message. Its payload is empty.
type MsgVerAck struct{}

// Command returns "verack".
func (m *MsgVerAck) Command() string { return CmdVerAck }

// MaxPayloadLength is 0.
func (m *MsgVerAck) MaxPayloadLength(pver uint32) uint32 { return 0 }

// Decode reads the (empty) payload; any byte is refused as trailing.
func (m *MsgVerAck) Decode(r io.Reader, pver uint32) error { return decodeMessage(m, r, pver) }

// Encode writes nothing.
func (m *MsgVerAck) Encode(w io.Writer, pver uint32) error { return encodeMessage(m, w, pver) }

func (m *MsgVerAck) decodeFrom(r *codec.Reader, pver uint32) error { return nil }

func (m *MsgVerAck) appendTo(b []byte, pver uint32) ([]byte, error) { return b, nil }

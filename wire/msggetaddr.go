package wire

import (
	"io"

	"github.com/mvsgo/mvs/internal/codec"
)

// MsgGetAddr: getaddr asks for addresses. Its payload is empty; the reference node answers it once per connection.
type MsgGetAddr struct{}

// Command returns "getaddr".
func (m *MsgGetAddr) Command() string { return CmdGetAddr }

// MaxPayloadLength is 0.
func (m *MsgGetAddr) MaxPayloadLength(pver uint32) uint32 { return 0 }

// Decode reads the (empty) payload; any byte is refused as trailing.
func (m *MsgGetAddr) Decode(r io.Reader, pver uint32) error { return decodeMessage(m, r, pver) }

// Encode writes nothing.
func (m *MsgGetAddr) Encode(w io.Writer, pver uint32) error { return encodeMessage(m, w, pver) }

func (m *MsgGetAddr) decodeFrom(r *codec.Reader, pver uint32) error { return nil }

func (m *MsgGetAddr) appendTo(b []byte, pver uint32) ([]byte, error) { return b, nil }

package wire

import (
	"io"

	"github.com/mvsgo/mvs/internal/codec"
)

// MsgSendHeaders: sendheaders asks for block announcements by headers. Its payload is empty; the reference refuses it below protocol 70012 and never sends it.
type MsgSendHeaders struct{}

// Command returns "sendheaders".
func (m *MsgSendHeaders) Command() string { return CmdSendHeaders }

// MaxPayloadLength is 0.
func (m *MsgSendHeaders) MaxPayloadLength(pver uint32) uint32 { return 0 }

// Decode reads the (empty) payload; any byte is refused as trailing.
func (m *MsgSendHeaders) Decode(r io.Reader, pver uint32) error { return decodeMessage(m, r, pver) }

// Encode writes nothing.
func (m *MsgSendHeaders) Encode(w io.Writer, pver uint32) error { return encodeMessage(m, w, pver) }

func (m *MsgSendHeaders) decodeFrom(r *codec.Reader, pver uint32) error {
	return needVersion(CmdSendHeaders, pver, BIP0130Version)
}

func (m *MsgSendHeaders) appendTo(b []byte, pver uint32) ([]byte, error) {
	return b, needVersion(CmdSendHeaders, pver, BIP0130Version)
}

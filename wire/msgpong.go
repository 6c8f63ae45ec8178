package wire

import (
	"io"

	"github.com/mvsgo/mvs/internal/codec"
)

// MsgPong answers a ping with its nonce. Unlike ping (and unlike btcd), the reference reads
// and writes the nonce at every protocol version.
type MsgPong struct {
	Nonce uint64 `json:"nonce"`
}

// Command returns "pong".
func (m *MsgPong) Command() string { return CmdPong }

// MaxPayloadLength is 8.
func (m *MsgPong) MaxPayloadLength(pver uint32) uint32 { return 8 }

// Decode reads the payload to the end of r.
func (m *MsgPong) Decode(r io.Reader, pver uint32) error { return decodeMessage(m, r, pver) }

// Encode writes the payload.
func (m *MsgPong) Encode(w io.Writer, pver uint32) error { return encodeMessage(m, w, pver) }

func (m *MsgPong) decodeFrom(r *codec.Reader, pver uint32) error {
	var err error
	m.Nonce, err = r.Uint64LE("nonce")
	return err
}

func (m *MsgPong) appendTo(b []byte, pver uint32) ([]byte, error) {
	return appendUint64(b, m.Nonce), nil
}

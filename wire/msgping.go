package wire

import (
	"io"

	"github.com/mvsgo/mvs/internal/codec"
)

// MsgPing is a keep-alive. From protocol 60001 (BIP31) it carries a nonce the peer must
// echo in a pong; below that its payload is empty.
type MsgPing struct {
	Nonce uint64 `json:"nonce"`
}

// Command returns "ping".
func (m *MsgPing) Command() string { return CmdPing }

// MaxPayloadLength is 8 from BIP31 on, 0 before.
func (m *MsgPing) MaxPayloadLength(pver uint32) uint32 {
	if pver >= BIP0031Version {
		return 8
	}
	return 0
}

// Decode reads the payload to the end of r.
func (m *MsgPing) Decode(r io.Reader, pver uint32) error { return decodeMessage(m, r, pver) }

// Encode writes the payload.
func (m *MsgPing) Encode(w io.Writer, pver uint32) error { return encodeMessage(m, w, pver) }

func (m *MsgPing) decodeFrom(r *codec.Reader, pver uint32) error {
	m.Nonce = 0
	if pver < BIP0031Version {
		return nil
	}
	var err error
	m.Nonce, err = r.Uint64LE("nonce")
	return err
}

func (m *MsgPing) appendTo(b []byte, pver uint32) ([]byte, error) {
	if pver < BIP0031Version {
		return b, nil
	}
	return appendUint64(b, m.Nonce), nil
}

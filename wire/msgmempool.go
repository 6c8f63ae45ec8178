package wire

import (
	"io"

	"github.com/mvsgo/mvs/internal/codec"
)

// MsgMemPool: mempool asks for the peer's pool transactions (an inv answers). Its payload is empty; the reference refuses it below protocol 60002.
type MsgMemPool struct{}

// Command returns "mempool".
func (m *MsgMemPool) Command() string { return CmdMemPool }

// MaxPayloadLength is 0.
func (m *MsgMemPool) MaxPayloadLength(pver uint32) uint32 { return 0 }

// Decode reads the (empty) payload; any byte is refused as trailing.
func (m *MsgMemPool) Decode(r io.Reader, pver uint32) error { return decodeMessage(m, r, pver) }

// Encode writes nothing.
func (m *MsgMemPool) Encode(w io.Writer, pver uint32) error { return encodeMessage(m, w, pver) }

func (m *MsgMemPool) decodeFrom(r *codec.Reader, pver uint32) error {
	return needVersion(CmdMemPool, pver, BIP0035Version)
}

func (m *MsgMemPool) appendTo(b []byte, pver uint32) ([]byte, error) {
	return b, needVersion(CmdMemPool, pver, BIP0035Version)
}

package wire

import (
	"io"

	"github.com/mvsgo/mvs/internal/codec"
)

// MsgInv announces transactions and blocks by inventory vectors (type and hash).
// At most MaxInvPerMsg vectors (the payload cap; the reference has no other).
type MsgInv struct {
	InvList []InvVect `json:"inventory"`
}

// Command returns "inv".
func (m *MsgInv) Command() string { return CmdInv }

// MaxPayloadLength is MaxPayloadSize: MaxInvPerMsg vectors and a 3-byte count.
func (m *MsgInv) MaxPayloadLength(pver uint32) uint32 { return MaxPayloadSize }

// AddInvVect appends one vector.
func (m *MsgInv) AddInvVect(iv InvVect) { m.InvList = append(m.InvList, iv) }

// Decode reads the payload to the end of r.
func (m *MsgInv) Decode(r io.Reader, pver uint32) error { return decodeMessage(m, r, pver) }

// Encode writes the payload.
func (m *MsgInv) Encode(w io.Writer, pver uint32) error { return encodeMessage(m, w, pver) }

func (m *MsgInv) decodeFrom(r *codec.Reader, pver uint32) error {
	var err error
	m.InvList, err = decodeInvList(r)
	return err
}

func (m *MsgInv) appendTo(b []byte, pver uint32) ([]byte, error) {
	return appendInvList(b, m.InvList)
}

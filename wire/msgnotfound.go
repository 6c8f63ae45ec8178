package wire

import (
	"io"

	"github.com/mvsgo/mvs/internal/codec"
)

// MsgNotFound lists objects a getdata asked for that the peer lacks (mvsd sends it for blocks only). The reference refuses it below protocol 70001.
// At most MaxInvPerMsg vectors (the payload cap; the reference has no other).
type MsgNotFound struct {
	InvList []InvVect `json:"inventory"`
}

// Command returns "notfound".
func (m *MsgNotFound) Command() string { return CmdNotFound }

// MaxPayloadLength is MaxPayloadSize: MaxInvPerMsg vectors and a 3-byte count.
func (m *MsgNotFound) MaxPayloadLength(pver uint32) uint32 { return MaxPayloadSize }

// AddInvVect appends one vector.
func (m *MsgNotFound) AddInvVect(iv InvVect) { m.InvList = append(m.InvList, iv) }

// Decode reads the payload to the end of r.
func (m *MsgNotFound) Decode(r io.Reader, pver uint32) error { return decodeMessage(m, r, pver) }

// Encode writes the payload.
func (m *MsgNotFound) Encode(w io.Writer, pver uint32) error { return encodeMessage(m, w, pver) }

func (m *MsgNotFound) decodeFrom(r *codec.Reader, pver uint32) error {
	if err := needVersion(CmdNotFound, pver, BIP0037Version); err != nil {
		return err
	}
	var err error
	m.InvList, err = decodeInvList(r)
	return err
}

func (m *MsgNotFound) appendTo(b []byte, pver uint32) ([]byte, error) {
	if err := needVersion(CmdNotFound, pver, BIP0037Version); err != nil {
		return b, err
	}
	return appendInvList(b, m.InvList)
}

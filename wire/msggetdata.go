package wire

import (
	"io"

	"github.com/mvsgo/mvs/internal/codec"
)

// MsgGetData asks for the objects of its inventory vectors; mvsd serves types tx and block and ignores the others. The reference refuses it below protocol 31402.
// At most MaxInvPerMsg vectors (the payload cap; the reference has no other).
type MsgGetData struct {
	InvList []InvVect `json:"inventory"`
}

// Command returns "getdata".
func (m *MsgGetData) Command() string { return CmdGetData }

// MaxPayloadLength is MaxPayloadSize: MaxInvPerMsg vectors and a 3-byte count.
func (m *MsgGetData) MaxPayloadLength(pver uint32) uint32 { return MaxPayloadSize }

// AddInvVect appends one vector.
func (m *MsgGetData) AddInvVect(iv InvVect) { m.InvList = append(m.InvList, iv) }

// Decode reads the payload to the end of r.
func (m *MsgGetData) Decode(r io.Reader, pver uint32) error { return decodeMessage(m, r, pver) }

// Encode writes the payload.
func (m *MsgGetData) Encode(w io.Writer, pver uint32) error { return encodeMessage(m, w, pver) }

func (m *MsgGetData) decodeFrom(r *codec.Reader, pver uint32) error {
	if err := needVersion(CmdGetData, pver, MinimumVersion); err != nil {
		return err
	}
	var err error
	m.InvList, err = decodeInvList(r)
	return err
}

func (m *MsgGetData) appendTo(b []byte, pver uint32) ([]byte, error) {
	if err := needVersion(CmdGetData, pver, MinimumVersion); err != nil {
		return b, err
	}
	return appendInvList(b, m.InvList)
}

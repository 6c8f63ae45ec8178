package wire

import (
	"bytes"
	"io"

	"github.com/mvsgo/mvs/internal/codec"
)

// MsgFilterAdd (BIP37) is parsed by mvsd but never acted on. The reference refuses it below
// protocol 70001 and bounds the data only by the payload size.
type MsgFilterAdd struct {
	Data HexBytes `json:"data"`
}

// Command returns "filteradd".
func (m *MsgFilterAdd) Command() string { return CmdFilterAdd }

// MaxPayloadLength is MaxPayloadSize.
func (m *MsgFilterAdd) MaxPayloadLength(pver uint32) uint32 { return MaxPayloadSize }

// Decode reads the payload to the end of r.
func (m *MsgFilterAdd) Decode(r io.Reader, pver uint32) error { return decodeMessage(m, r, pver) }

// Encode writes the payload.
func (m *MsgFilterAdd) Encode(w io.Writer, pver uint32) error { return encodeMessage(m, w, pver) }

func (m *MsgFilterAdd) decodeFrom(r *codec.Reader, pver uint32) error {
	m.Data = nil
	if err := needVersion(CmdFilterAdd, pver, BIP0037Version); err != nil {
		return err
	}
	d, err := r.VarBytes("data", MaxPayloadSize)
	if err != nil {
		return err
	}
	m.Data = bytes.Clone(d)
	return nil
}

func (m *MsgFilterAdd) appendTo(b []byte, pver uint32) ([]byte, error) {
	if err := needVersion(CmdFilterAdd, pver, BIP0037Version); err != nil {
		return b, err
	}
	return codec.AppendVarBytes(b, m.Data), nil
}

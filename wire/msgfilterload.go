package wire

import (
	"bytes"
	"io"

	"github.com/mvsgo/mvs/internal/codec"
)

// MsgFilterLoad (BIP37) is parsed by mvsd but never acted on. The reference refuses it below
// protocol 70001 and bounds the filter only by the payload size (not BIP37's 36,000 bytes).
type MsgFilterLoad struct {
	Filter    HexBytes `json:"filter"`
	HashFuncs uint32   `json:"hash_funcs"`
	Tweak     uint32   `json:"tweak"`
	Flags     uint8    `json:"flags"`
}

// Command returns "filterload".
func (m *MsgFilterLoad) Command() string { return CmdFilterLoad }

// MaxPayloadLength is MaxPayloadSize.
func (m *MsgFilterLoad) MaxPayloadLength(pver uint32) uint32 { return MaxPayloadSize }

// Decode reads the payload to the end of r.
func (m *MsgFilterLoad) Decode(r io.Reader, pver uint32) error { return decodeMessage(m, r, pver) }

// Encode writes the payload.
func (m *MsgFilterLoad) Encode(w io.Writer, pver uint32) error { return encodeMessage(m, w, pver) }

func (m *MsgFilterLoad) decodeFrom(r *codec.Reader, pver uint32) error {
	*m = MsgFilterLoad{}
	if err := needVersion(CmdFilterLoad, pver, BIP0037Version); err != nil {
		return err
	}
	f, err := r.VarBytes("filter", MaxPayloadSize)
	if err != nil {
		return err
	}
	m.Filter = bytes.Clone(f)
	if m.HashFuncs, err = r.Uint32LE("hash_funcs"); err != nil {
		return err
	}
	if m.Tweak, err = r.Uint32LE("tweak"); err != nil {
		return err
	}
	m.Flags, err = r.Uint8("flags")
	return err
}

func (m *MsgFilterLoad) appendTo(b []byte, pver uint32) ([]byte, error) {
	if err := needVersion(CmdFilterLoad, pver, BIP0037Version); err != nil {
		return b, err
	}
	b = codec.AppendVarBytes(b, m.Filter)
	b = appendUint32(b, m.HashFuncs)
	b = appendUint32(b, m.Tweak)
	return append(b, m.Flags), nil
}

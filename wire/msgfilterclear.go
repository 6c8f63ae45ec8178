package wire

import (
	"io"

	"github.com/mvsgo/mvs/internal/codec"
)

// MsgFilterClear: filterclear removes a bloom filter. Its payload is empty; the reference refuses it below protocol 70001 and otherwise ignores it.
type MsgFilterClear struct{}

// Command returns "filterclear".
func (m *MsgFilterClear) Command() string { return CmdFilterClear }

// MaxPayloadLength is 0.
func (m *MsgFilterClear) MaxPayloadLength(pver uint32) uint32 { return 0 }

// Decode reads the (empty) payload; any byte is refused as trailing.
func (m *MsgFilterClear) Decode(r io.Reader, pver uint32) error { return decodeMessage(m, r, pver) }

// Encode writes nothing.
func (m *MsgFilterClear) Encode(w io.Writer, pver uint32) error { return encodeMessage(m, w, pver) }

func (m *MsgFilterClear) decodeFrom(r *codec.Reader, pver uint32) error {
	return needVersion(CmdFilterClear, pver, BIP0037Version)
}

func (m *MsgFilterClear) appendTo(b []byte, pver uint32) ([]byte, error) {
	return b, needVersion(CmdFilterClear, pver, BIP0037Version)
}

package wire

import (
	"fmt"
	"io"

	"github.com/mvsgo/mvs/internal/codec"
)

// MsgSendCmpct (BIP152) is parsed by mvsd but nothing subscribes to it. The reference
// refuses it below protocol 70014 and refuses a mode byte above 1.
type MsgSendCmpct struct {
	// HighBandwidth is the mode byte: 1 true, 0 false.
	HighBandwidth bool   `json:"high_bandwidth"`
	Version       uint64 `json:"version"`
}

// Command returns "sendcmpct".
func (m *MsgSendCmpct) Command() string { return CmdSendCmpct }

// MaxPayloadLength is 9.
func (m *MsgSendCmpct) MaxPayloadLength(pver uint32) uint32 { return 9 }

// Decode reads the payload to the end of r.
func (m *MsgSendCmpct) Decode(r io.Reader, pver uint32) error { return decodeMessage(m, r, pver) }

// Encode writes the payload.
func (m *MsgSendCmpct) Encode(w io.Writer, pver uint32) error { return encodeMessage(m, w, pver) }

func (m *MsgSendCmpct) decodeFrom(r *codec.Reader, pver uint32) error {
	*m = MsgSendCmpct{}
	if err := needVersion(CmdSendCmpct, pver, BIP0152Version); err != nil {
		return err
	}
	start := r.Offset()
	mode, err := r.Uint8("mode")
	if err != nil {
		return err
	}
	if mode > 1 {
		return codec.FailAt("mode", start, ErrInvalidValue, fmt.Sprintf("%d, want 0 or 1", mode))
	}
	m.HighBandwidth = mode == 1
	m.Version, err = r.Uint64LE("version")
	return err
}

func (m *MsgSendCmpct) appendTo(b []byte, pver uint32) ([]byte, error) {
	if err := needVersion(CmdSendCmpct, pver, BIP0152Version); err != nil {
		return b, err
	}
	mode := byte(0)
	if m.HighBandwidth {
		mode = 1
	}
	return appendUint64(append(b, mode), m.Version), nil
}

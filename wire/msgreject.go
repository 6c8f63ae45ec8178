package wire

import (
	"io"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/internal/codec"
)

// Reject codes of BIP61 (the reference maps any other byte to "undefined"; the raw byte is
// kept here).
const (
	RejectMalformed       uint8 = 0x01
	RejectInvalid         uint8 = 0x10
	RejectObsolete        uint8 = 0x11
	RejectDuplicate       uint8 = 0x12
	RejectNonstandard     uint8 = 0x40
	RejectDust            uint8 = 0x41
	RejectInsufficientFee uint8 = 0x42
	RejectCheckpoint      uint8 = 0x43
)

// MsgReject (BIP61) is parsed by mvsd but never sent or acted on. The reference refuses it
// below protocol 70002. Hash is on the wire only when Message is "block" or "tx".
type MsgReject struct {
	// Message is the rejected message's command; decoding ends it at its first NUL.
	Message string   `json:"message"`
	Code    uint8    `json:"code"`
	Reason  string   `json:"reason"`
	Hash    mvs.Hash `json:"hash,omitzero"`
}

// Command returns "reject".
func (m *MsgReject) Command() string { return CmdReject }

// MaxPayloadLength is MaxPayloadSize.
func (m *MsgReject) MaxPayloadLength(pver uint32) uint32 { return MaxPayloadSize }

// Decode reads the payload to the end of r.
func (m *MsgReject) Decode(r io.Reader, pver uint32) error { return decodeMessage(m, r, pver) }

// Encode writes the payload.
func (m *MsgReject) Encode(w io.Writer, pver uint32) error { return encodeMessage(m, w, pver) }

func (m *MsgReject) hasHash() bool { return m.Message == CmdBlock || m.Message == CmdTx }

func (m *MsgReject) decodeFrom(r *codec.Reader, pver uint32) error {
	*m = MsgReject{}
	if err := needVersion(CmdReject, pver, BIP0061Version); err != nil {
		return err
	}
	var err error
	if m.Message, err = r.VarString("message", MaxPayloadSize); err != nil {
		return err
	}
	if m.Code, err = r.Uint8("code"); err != nil {
		return err
	}
	if m.Reason, err = r.VarString("reason", MaxPayloadSize); err != nil {
		return err
	}
	if m.hasHash() {
		return r.Fixed(m.Hash[:], "hash")
	}
	return nil
}

func (m *MsgReject) appendTo(b []byte, pver uint32) ([]byte, error) {
	if err := needVersion(CmdReject, pver, BIP0061Version); err != nil {
		return b, err
	}
	b = codec.AppendVarString(b, m.Message)
	b = append(b, m.Code)
	b = codec.AppendVarString(b, m.Reason)
	if m.hasHash() {
		b = append(b, m.Hash[:]...)
	}
	return b, nil
}

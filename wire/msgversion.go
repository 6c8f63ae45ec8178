package wire

import (
	"io"

	"github.com/mvsgo/mvs/internal/codec"
)

// MsgVersion opens a connection. Both sides send it at once.
//
// The relay byte follows the reference exactly: it is written when min(pver,
// ProtocolVersion) >= 70001 and read only when that minimum is >= 70002. So a version
// message claiming 70001 is written with a relay byte that the reference (and Decode)
// then refuses as trailing, and a message claiming 70002 or more must carry it.
type MsgVersion struct {
	// ProtocolVersion is the sender's protocol version (70012 for mvsd).
	ProtocolVersion uint32 `json:"version"`
	Services        uint64 `json:"services"`
	// Timestamp is Unix seconds, a u64 on the wire.
	Timestamp uint64 `json:"timestamp"`
	// AddrRecv is the receiver as the sender sees it; AddrFrom is the sender (mvsd sends
	// its configured network.self, ::ffff:0.0.0.0:0 when unset). No timestamps.
	AddrRecv NetAddress `json:"receiver"`
	AddrFrom NetAddress `json:"sender"`
	Nonce    uint64     `json:"nonce"`
	// UserAgent is a varstr; like the reference, decoding ends it at its first NUL.
	UserAgent   string `json:"user_agent"`
	StartHeight uint32 `json:"start_height"`
	Relay       bool   `json:"relay"`
}

// Command returns "version".
func (m *MsgVersion) Command() string { return CmdVersion }

// MaxPayloadLength is MaxPayloadSize: the reference bounds the user agent by nothing else.
func (m *MsgVersion) MaxPayloadLength(pver uint32) uint32 { return MaxPayloadSize }

// Decode reads the payload to the end of r.
func (m *MsgVersion) Decode(r io.Reader, pver uint32) error { return decodeMessage(m, r, pver) }

// Encode writes the payload.
func (m *MsgVersion) Encode(w io.Writer, pver uint32) error { return encodeMessage(m, w, pver) }

func (m *MsgVersion) decodeFrom(r *codec.Reader, pver uint32) error {
	var err error
	*m = MsgVersion{}
	if m.ProtocolVersion, err = r.Uint32LE("version"); err != nil {
		return err
	}
	if m.Services, err = r.Uint64LE("services"); err != nil {
		return err
	}
	if m.Timestamp, err = r.Uint64LE("timestamp"); err != nil {
		return err
	}
	if err = m.AddrRecv.decodeFrom(r, "receiver", false); err != nil {
		return err
	}
	if err = m.AddrFrom.decodeFrom(r, "sender", false); err != nil {
		return err
	}
	if m.Nonce, err = r.Uint64LE("nonce"); err != nil {
		return err
	}
	if m.UserAgent, err = r.VarString("user_agent", MaxPayloadSize); err != nil {
		return err
	}
	if m.StartHeight, err = r.Uint32LE("start_height"); err != nil {
		return err
	}
	if min(pver, m.ProtocolVersion) >= BIP0061Version {
		relay, err := r.Uint8("relay")
		if err != nil {
			return err
		}
		m.Relay = relay != 0
	}
	return nil
}

func (m *MsgVersion) appendTo(b []byte, pver uint32) ([]byte, error) {
	b = appendUint32(b, m.ProtocolVersion)
	b = appendUint64(b, m.Services)
	b = appendUint64(b, m.Timestamp)
	b = m.AddrRecv.appendTo(b, false)
	b = m.AddrFrom.appendTo(b, false)
	b = appendUint64(b, m.Nonce)
	b = codec.AppendVarString(b, m.UserAgent)
	b = appendUint32(b, m.StartHeight)
	if min(pver, m.ProtocolVersion) >= BIP0037Version {
		relay := byte(0)
		if m.Relay {
			relay = 1
		}
		b = append(b, relay)
	}
	return b, nil
}

package wire

import (
	"fmt"
	"io"
	"slices"

	"github.com/mvsgo/mvs/internal/codec"
)

// MaxAddrPerMsg is the most timestamped addresses that fit in MaxPayloadSize with a 3-byte
// count. The reference removed Bitcoin's 1,000-entry rule (v0.6.9); only the payload size
// bounds an addr message.
const MaxAddrPerMsg = (MaxPayloadSize - 3) / netAddressSizeWithTimestamp

// MsgAddr lists peer addresses, each with a timestamp. Replies of mvsd since v0.8.5 carry
// all-zero entries (a bug of its sampling); they decode as ordinary entries.
type MsgAddr struct {
	AddrList []NetAddress `json:"addresses"`
}

// Command returns "addr".
func (m *MsgAddr) Command() string { return CmdAddr }

// MaxPayloadLength is the size of MaxAddrPerMsg entries.
func (m *MsgAddr) MaxPayloadLength(pver uint32) uint32 {
	return 3 + MaxAddrPerMsg*netAddressSizeWithTimestamp
}

// Decode reads the payload to the end of r.
func (m *MsgAddr) Decode(r io.Reader, pver uint32) error { return decodeMessage(m, r, pver) }

// Encode writes the payload.
func (m *MsgAddr) Encode(w io.Writer, pver uint32) error { return encodeMessage(m, w, pver) }

func (m *MsgAddr) decodeFrom(r *codec.Reader, pver uint32) error {
	n, err := r.Count("count", netAddressSizeWithTimestamp, MaxAddrPerMsg)
	if err != nil {
		return err
	}
	m.AddrList = make([]NetAddress, n)
	for i := range m.AddrList {
		// Count checked the bytes left, so these reads cannot fail; the field name is only
		// built on the error path.
		if err := m.AddrList[i].decodeFrom(r, "address", true); err != nil {
			return fmt.Errorf("address[%d]: %w", i, err)
		}
	}
	return nil
}

func (m *MsgAddr) appendTo(b []byte, pver uint32) ([]byte, error) {
	if len(m.AddrList) > MaxAddrPerMsg {
		return b, tooMany("addresses", len(m.AddrList), MaxAddrPerMsg)
	}
	b = slices.Grow(b, 9+len(m.AddrList)*netAddressSizeWithTimestamp)
	b = codec.AppendVarInt(b, uint64(len(m.AddrList)))
	for i := range m.AddrList {
		b = m.AddrList[i].appendTo(b, true)
	}
	return b, nil
}

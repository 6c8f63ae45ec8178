package wire

import (
	"fmt"
	"io"
	"slices"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/internal/codec"
)

// HeaderWithCount is one entry of a headers message: a 148-byte header and the varint
// transaction count the reference writes after it. Headers read from mvsd's database carry
// 0, block announcements the real count; any value is accepted.
type HeaderWithCount struct {
	Header  block.Header
	TxCount uint64
}

// MaxHeadersPerMsg is the most headers (with a one-byte count each) that fit in
// MaxPayloadSize; the reference caps a headers message by the payload size only.
const MaxHeadersPerMsg = (MaxPayloadSize - 3) / (mvs.HeaderSize + 1)

// MsgHeaders answers getheaders and, by default in mvsd, announces new blocks. The
// reference refuses it below protocol 31800.
type MsgHeaders struct {
	Headers []HeaderWithCount
}

// Command returns "headers".
func (m *MsgHeaders) Command() string { return CmdHeaders }

// MaxPayloadLength is MaxPayloadSize.
func (m *MsgHeaders) MaxPayloadLength(pver uint32) uint32 { return MaxPayloadSize }

// AddBlockHeader appends a header with a transaction count.
func (m *MsgHeaders) AddBlockHeader(h *block.Header, txCount uint64) {
	m.Headers = append(m.Headers, HeaderWithCount{Header: *h, TxCount: txCount})
}

// Decode reads the payload to the end of r.
func (m *MsgHeaders) Decode(r io.Reader, pver uint32) error { return decodeMessage(m, r, pver) }

// Encode writes the payload.
func (m *MsgHeaders) Encode(w io.Writer, pver uint32) error { return encodeMessage(m, w, pver) }

func (m *MsgHeaders) decodeFrom(r *codec.Reader, pver uint32) error {
	if err := needVersion(CmdHeaders, pver, HeadersVersion); err != nil {
		return err
	}
	n, err := r.Count("count", mvs.HeaderSize+1, MaxHeadersPerMsg)
	if err != nil {
		return err
	}
	m.Headers = make([]HeaderWithCount, n)
	for i := range m.Headers {
		// Count checked the bytes left for the header and a one-byte count, so only a longer
		// tx count can fail here; the field name is built on the error path only.
		if err := decodeHeaderInto(r, &m.Headers[i].Header, "header"); err != nil {
			return fmt.Errorf("headers[%d]: %w", i, err)
		}
		if m.Headers[i].TxCount, err = r.VarInt("tx_count"); err != nil {
			return fmt.Errorf("headers[%d]: %w", i, err)
		}
	}
	return nil
}

func (m *MsgHeaders) appendTo(b []byte, pver uint32) ([]byte, error) {
	if err := needVersion(CmdHeaders, pver, HeadersVersion); err != nil {
		return b, err
	}
	if len(m.Headers) > MaxHeadersPerMsg {
		return b, tooMany("headers", len(m.Headers), MaxHeadersPerMsg)
	}
	b = slices.Grow(b, 9+len(m.Headers)*(mvs.HeaderSize+1))
	b = codec.AppendVarInt(b, uint64(len(m.Headers)))
	for i := range m.Headers {
		b = m.Headers[i].Header.AppendTo(b)
		b = codec.AppendVarInt(b, m.Headers[i].TxCount)
	}
	return b, nil
}

// decodeHeaderInto reads a 148-byte header through package block's decoder.
func decodeHeaderInto(r *codec.Reader, h *block.Header, field string) error {
	start := r.Offset()
	raw, err := r.Bytes(mvs.HeaderSize, field)
	if err != nil {
		return err
	}
	dh, err := block.DecodeHeader(raw)
	if err != nil {
		// Cannot happen with 148 bytes in hand; kept so that a future header rule surfaces.
		return codec.FailAt(field, start, ErrInvalidValue, err.Error())
	}
	*h = *dh
	return nil
}

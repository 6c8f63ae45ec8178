package wire

import (
	"io"
	"slices"

	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/internal/codec"
)

// MsgBlock carries one block, encoded and decoded by package block (PoS and DPoS trailers
// included).
type MsgBlock struct {
	Block block.Block
}

// Command returns "block".
func (m *MsgBlock) Command() string { return CmdBlock }

// MaxPayloadLength is MaxPayloadSize, the only bound the reference applies while framing;
// the 1,000,000-byte block size is a validation rule (package block).
func (m *MsgBlock) MaxPayloadLength(pver uint32) uint32 { return MaxPayloadSize }

// Decode reads the payload to the end of r.
func (m *MsgBlock) Decode(r io.Reader, pver uint32) error { return decodeMessage(m, r, pver) }

// Encode writes the payload.
func (m *MsgBlock) Encode(w io.Writer, pver uint32) error { return encodeMessage(m, w, pver) }

func (m *MsgBlock) decodeFrom(r *codec.Reader, pver uint32) error {
	// The block fills the payload; block.Decode refuses trailing bytes itself and copies
	// the bytes, so the result does not alias the payload.
	start := r.Offset()
	b, err := block.Decode(r.Rest())
	if err != nil {
		if e, ok := err.(*DecodeError); ok {
			e.Offset += start
		}
		return err
	}
	r.Skip(r.Len())
	m.Block = *b
	return nil
}

func (m *MsgBlock) appendTo(b []byte, pver uint32) ([]byte, error) {
	return m.Block.AppendTo(slices.Grow(b, m.Block.SerializeSize())), nil
}

package wire

import (
	"fmt"
	"io"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/internal/codec"
)

// MsgGetBlockTxn (BIP152) is parsed by mvsd but nothing subscribes to it. Unlike the other
// compact-block messages the reference decodes it at every protocol version. Indexes are
// varints, written as given (differential encoding is the caller's).
type MsgGetBlockTxn struct {
	BlockHash mvs.Hash `json:"block_hash"`
	Indexes   []uint64 `json:"indexes"`
}

// Command returns "getblocktxn".
func (m *MsgGetBlockTxn) Command() string { return CmdGetBlockTxn }

// MaxPayloadLength is MaxPayloadSize.
func (m *MsgGetBlockTxn) MaxPayloadLength(pver uint32) uint32 { return MaxPayloadSize }

// Decode reads the payload to the end of r.
func (m *MsgGetBlockTxn) Decode(r io.Reader, pver uint32) error { return decodeMessage(m, r, pver) }

// Encode writes the payload.
func (m *MsgGetBlockTxn) Encode(w io.Writer, pver uint32) error { return encodeMessage(m, w, pver) }

func (m *MsgGetBlockTxn) decodeFrom(r *codec.Reader, pver uint32) error {
	*m = MsgGetBlockTxn{}
	if err := r.Fixed(m.BlockHash[:], "block_hash"); err != nil {
		return err
	}
	n, err := r.Count("indexes.count", 1, MaxPayloadSize)
	if err != nil {
		return err
	}
	m.Indexes = make([]uint64, n)
	for i := range m.Indexes {
		if m.Indexes[i], err = r.VarInt("index"); err != nil {
			return fmt.Errorf("indexes[%d]: %w", i, err)
		}
	}
	return nil
}

func (m *MsgGetBlockTxn) appendTo(b []byte, pver uint32) ([]byte, error) {
	b = append(b, m.BlockHash[:]...)
	b = codec.AppendVarInt(b, uint64(len(m.Indexes)))
	for _, ix := range m.Indexes {
		b = codec.AppendVarInt(b, ix)
	}
	return b, nil
}

package wire

import (
	"bytes"
	"io"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/internal/codec"
)

// MsgMerkleBlock (BIP37) is parsed by mvsd but never sent. Unlike Bitcoin's (a u32 total
// transaction count), the reference writes the header "with transaction count": a varint
// after the 148-byte header. It refuses the message below protocol 70001.
type MsgMerkleBlock struct {
	Header  block.Header
	TxCount uint64
	Hashes  []mvs.Hash
	Flags   HexBytes
}

// Command returns "merkleblock".
func (m *MsgMerkleBlock) Command() string { return CmdMerkleBlock }

// MaxPayloadLength is MaxPayloadSize.
func (m *MsgMerkleBlock) MaxPayloadLength(pver uint32) uint32 { return MaxPayloadSize }

// Decode reads the payload to the end of r.
func (m *MsgMerkleBlock) Decode(r io.Reader, pver uint32) error { return decodeMessage(m, r, pver) }

// Encode writes the payload.
func (m *MsgMerkleBlock) Encode(w io.Writer, pver uint32) error { return encodeMessage(m, w, pver) }

func (m *MsgMerkleBlock) decodeFrom(r *codec.Reader, pver uint32) error {
	*m = MsgMerkleBlock{}
	if err := needVersion(CmdMerkleBlock, pver, BIP0037Version); err != nil {
		return err
	}
	var err error
	if err = decodeHeaderInto(r, &m.Header, "header"); err != nil {
		return err
	}
	if m.TxCount, err = r.VarInt("tx_count"); err != nil {
		return err
	}
	if m.Hashes, err = decodeHashes(r, "hashes", MaxPayloadSize/mvs.HashSize); err != nil {
		return err
	}
	f, err := r.VarBytes("flags", MaxPayloadSize)
	if err != nil {
		return err
	}
	m.Flags = bytes.Clone(f)
	return nil
}

func (m *MsgMerkleBlock) appendTo(b []byte, pver uint32) ([]byte, error) {
	if err := needVersion(CmdMerkleBlock, pver, BIP0037Version); err != nil {
		return b, err
	}
	b = m.Header.AppendTo(b)
	b = codec.AppendVarInt(b, m.TxCount)
	b = appendHashes(b, m.Hashes)
	return codec.AppendVarBytes(b, m.Flags), nil
}

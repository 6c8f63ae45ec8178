package wire

import (
	"encoding/hex"
	"fmt"
	"io"

	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/internal/codec"
	"github.com/mvsgo/mvs/tx"
)

// ShortID is a 6-byte BIP152 short transaction id.
type ShortID [6]byte

// MarshalText writes hex.
func (s ShortID) MarshalText() ([]byte, error) { return []byte(hex.EncodeToString(s[:])), nil }

// UnmarshalText reads 12 hex digits.
func (s *ShortID) UnmarshalText(b []byte) error {
	v, err := hex.DecodeString(string(b))
	if err != nil || len(v) != len(s) {
		return fmt.Errorf("%w: short id %q is not 12 hex digits", ErrInvalidValue, b)
	}
	copy(s[:], v)
	return nil
}

// PrefilledTx is a transaction sent whole inside a compact block, at a differentially
// encoded index (written as is: the reference does not decode the differences).
type PrefilledTx struct {
	Index uint64
	Tx    tx.Tx
}

// minPrefilledSize is a one-byte index and the smallest transaction.
const minPrefilledSize = 1 + tx.MinTxSize

// MsgCmpctBlock (BIP152) is parsed by mvsd but nothing subscribes to it. The header is the
// bare 148 bytes (no transaction count). The reference refuses it below protocol 70014.
type MsgCmpctBlock struct {
	Header       block.Header
	Nonce        uint64
	ShortIDs     []ShortID
	PrefilledTxs []PrefilledTx
}

// Command returns "cmpctblock".
func (m *MsgCmpctBlock) Command() string { return CmdCmpctBlock }

// MaxPayloadLength is MaxPayloadSize.
func (m *MsgCmpctBlock) MaxPayloadLength(pver uint32) uint32 { return MaxPayloadSize }

// Decode reads the payload to the end of r.
func (m *MsgCmpctBlock) Decode(r io.Reader, pver uint32) error { return decodeMessage(m, r, pver) }

// Encode writes the payload.
func (m *MsgCmpctBlock) Encode(w io.Writer, pver uint32) error { return encodeMessage(m, w, pver) }

func (m *MsgCmpctBlock) decodeFrom(r *codec.Reader, pver uint32) error {
	*m = MsgCmpctBlock{}
	if err := needVersion(CmdCmpctBlock, pver, BIP0152Version); err != nil {
		return err
	}
	var err error
	if err = decodeHeaderInto(r, &m.Header, "header"); err != nil {
		return err
	}
	if m.Nonce, err = r.Uint64LE("nonce"); err != nil {
		return err
	}
	n, err := r.Count("short_ids.count", len(ShortID{}), MaxPayloadSize/len(ShortID{}))
	if err != nil {
		return err
	}
	m.ShortIDs = make([]ShortID, n)
	for i := range m.ShortIDs {
		_ = r.Fixed(m.ShortIDs[i][:], "short_id") // Count checked the bytes left
	}
	n, err = r.Count("prefilled.count", minPrefilledSize, MaxPayloadSize/minPrefilledSize)
	if err != nil {
		return err
	}
	m.PrefilledTxs = make([]PrefilledTx, n)
	var tr *txReader
	for i := range m.PrefilledTxs {
		field := fmt.Sprint("prefilled[", i, "]")
		if m.PrefilledTxs[i].Index, err = r.VarInt(field + ".index"); err != nil {
			return err
		}
		if tr == nil {
			tr = newTxReader(r)
		}
		if err := tr.decode(&m.PrefilledTxs[i].Tx, field); err != nil {
			return err
		}
	}
	return nil
}

func (m *MsgCmpctBlock) appendTo(b []byte, pver uint32) ([]byte, error) {
	if err := needVersion(CmdCmpctBlock, pver, BIP0152Version); err != nil {
		return b, err
	}
	b = m.Header.AppendTo(b)
	b = appendUint64(b, m.Nonce)
	b = codec.AppendVarInt(b, uint64(len(m.ShortIDs)))
	for i := range m.ShortIDs {
		b = append(b, m.ShortIDs[i][:]...)
	}
	b = codec.AppendVarInt(b, uint64(len(m.PrefilledTxs)))
	for i := range m.PrefilledTxs {
		b = codec.AppendVarInt(b, m.PrefilledTxs[i].Index)
		b = m.PrefilledTxs[i].Tx.AppendTo(b)
	}
	return b, nil
}

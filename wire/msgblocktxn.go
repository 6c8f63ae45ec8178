package wire

import (
	"fmt"
	"io"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/internal/codec"
	"github.com/mvsgo/mvs/tx"
)

// MsgBlockTxn (BIP152) is parsed by mvsd but nothing subscribes to it. The reference
// refuses it below protocol 70014.
type MsgBlockTxn struct {
	BlockHash    mvs.Hash
	Transactions []tx.Tx
}

// Command returns "blocktxn".
func (m *MsgBlockTxn) Command() string { return CmdBlockTxn }

// MaxPayloadLength is MaxPayloadSize.
func (m *MsgBlockTxn) MaxPayloadLength(pver uint32) uint32 { return MaxPayloadSize }

// Decode reads the payload to the end of r.
func (m *MsgBlockTxn) Decode(r io.Reader, pver uint32) error { return decodeMessage(m, r, pver) }

// Encode writes the payload.
func (m *MsgBlockTxn) Encode(w io.Writer, pver uint32) error { return encodeMessage(m, w, pver) }

func (m *MsgBlockTxn) decodeFrom(r *codec.Reader, pver uint32) error {
	*m = MsgBlockTxn{}
	if err := needVersion(CmdBlockTxn, pver, BIP0152Version); err != nil {
		return err
	}
	if err := r.Fixed(m.BlockHash[:], "block_hash"); err != nil {
		return err
	}
	n, err := r.Count("transactions.count", tx.MinTxSize, MaxPayloadSize/tx.MinTxSize)
	if err != nil {
		return err
	}
	m.Transactions = make([]tx.Tx, n)
	tr := newTxReader(r)
	for i := range m.Transactions {
		if err := tr.decode(&m.Transactions[i], fmt.Sprint("transactions[", i, "]")); err != nil {
			return err
		}
	}
	return nil
}

func (m *MsgBlockTxn) appendTo(b []byte, pver uint32) ([]byte, error) {
	if err := needVersion(CmdBlockTxn, pver, BIP0152Version); err != nil {
		return b, err
	}
	b = append(b, m.BlockHash[:]...)
	b = codec.AppendVarInt(b, uint64(len(m.Transactions)))
	for i := range m.Transactions {
		b = m.Transactions[i].AppendTo(b)
	}
	return b, nil
}

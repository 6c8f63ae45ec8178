package wire

import (
	"bytes"
	"io"
	"slices"

	"github.com/mvsgo/mvs/internal/codec"
	"github.com/mvsgo/mvs/tx"
)

// MsgTx carries one transaction, encoded and decoded by package tx.
type MsgTx struct {
	Tx tx.Tx
}

// Command returns "tx".
func (m *MsgTx) Command() string { return CmdTx }

// MaxPayloadLength is MaxPayloadSize.
func (m *MsgTx) MaxPayloadLength(pver uint32) uint32 { return MaxPayloadSize }

// Decode reads the payload to the end of r.
func (m *MsgTx) Decode(r io.Reader, pver uint32) error { return decodeMessage(m, r, pver) }

// Encode writes the payload.
func (m *MsgTx) Encode(w io.Writer, pver uint32) error { return encodeMessage(m, w, pver) }

func (m *MsgTx) decodeFrom(r *codec.Reader, pver uint32) error {
	return newTxReader(r).decode(&m.Tx, "")
}

func (m *MsgTx) appendTo(b []byte, pver uint32) ([]byte, error) {
	return m.Tx.AppendTo(slices.Grow(b, m.Tx.SerializeSize())), nil
}

// txReader decodes transactions from a private copy of the rest of a payload, made once,
// so that decoded scripts never alias the caller's payload buffer.
type txReader struct {
	r    *codec.Reader
	own  []byte // copy of r.Rest() at creation
	base int    // r.Offset() at creation
}

func newTxReader(r *codec.Reader) *txReader {
	return &txReader{r: r, own: bytes.Clone(r.Rest()), base: r.Offset()}
}

// decode reads one transaction at r's position and advances r past it.
func (tr *txReader) decode(t *tx.Tx, field string) error {
	start := tr.r.Offset()
	n, err := t.DecodePrefix(tr.own[start-tr.base:])
	if err != nil {
		if e, ok := err.(*DecodeError); ok {
			e.Offset += start
			if field != "" {
				e.Field = field + "." + e.Field
			}
		}
		return err
	}
	tr.r.Skip(n)
	return nil
}

package wire_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/mvsgo/mvs/wire"
)

// A tx payload is exactly package tx's encoding (attachments included); the decoded scripts
// do not alias the payload.
func TestTxPayload(t *testing.T) {
	d := loadReal(t)
	for i, raw := range d.rawTxs {
		own := bytes.Clone(raw)
		var m wire.MsgTx
		if err := m.Decode(bytes.NewReader(own), wire.ProtocolVersion); err != nil {
			t.Fatalf("tx %d: %v", i, err)
		}
		clear(own)
		if m.Tx.Hash() != d.txs[i].Hash() || !bytes.Equal(encode(t, &m, wire.ProtocolVersion), raw) {
			t.Fatalf("tx %d differs", i)
		}
		if err := m.Decode(bytes.NewReader(append(bytes.Clone(raw), 1, 2)), wire.ProtocolVersion); !errors.Is(err, wire.ErrTrailing) {
			t.Fatalf("tx %d trailing: %v", i, err)
		}
	}
}

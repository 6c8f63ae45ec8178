package wire_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/mvsgo/mvs/wire"
)

// A bad transaction inside blocktxn is reported with its index and its offset within the
// payload.
func TestBlockTxnErrorPosition(t *testing.T) {
	d := loadReal(t)
	raw := append(make([]byte, 32), 2)
	raw = append(raw, d.rawTxs[0]...)
	raw = append(raw, d.rawTxs[1][:20]...)
	raw = append(raw, make([]byte, 10)...)
	var m wire.MsgBlockTxn
	err := m.Decode(bytes.NewReader(raw), wire.BIP0152Version)
	var de *wire.DecodeError
	if !errors.As(err, &de) || de.Offset < 33+len(d.rawTxs[0]) || de.Field[:16] != "transactions[1]." {
		t.Fatalf("%v", err)
	}
}

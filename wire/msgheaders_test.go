package wire_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/mvsgo/mvs/wire"
)

// Each header carries a varint transaction count; announcements carry real counts, so any
// value is accepted, including a 9-byte varint.
func TestHeadersTxCount(t *testing.T) {
	d := loadReal(t)
	m := &wire.MsgHeaders{}
	m.AddBlockHeader(&d.blocks[1].Header, 1<<40)
	b := encode(t, m, wire.ProtocolVersion)
	if len(b) != 1+148+9 || !bytes.Equal(b[1:149], d.rawBlocks[1][:148]) {
		t.Fatalf("%x", b)
	}
	var got wire.MsgHeaders
	if err := got.Decode(bytes.NewReader(b), wire.ProtocolVersion); err != nil || got.Headers[0].TxCount != 1<<40 ||
		got.Headers[0].Header.Hash() != d.blocks[1].Hash() {
		t.Fatalf("%+v %v", got, err)
	}
	// A count above MaxHeadersPerMsg, and one the bytes left cannot hold.
	for _, raw := range [][]byte{{0xfd, 0x31, 0x2f} /* 12,081 */, append([]byte{2}, make([]byte, 149)...)} {
		if err := got.Decode(bytes.NewReader(raw), wire.ProtocolVersion); !errors.Is(err, wire.ErrTooLarge) {
			t.Fatalf("%x: %v", raw[:3], err)
		}
	}
	if wire.MaxHeadersPerMsg != 12080 {
		t.Fatalf("MaxHeadersPerMsg %d", wire.MaxHeadersPerMsg)
	}
}

package wire_test

import (
	"bytes"
	"testing"

	"github.com/mvsgo/mvs/wire"
)

// MVS's merkleblock writes the header with a varint transaction count, not Bitcoin's u32.
func TestMerkleBlockLayout(t *testing.T) {
	d := loadReal(t)
	m := &wire.MsgMerkleBlock{Header: d.blocks[1].Header, TxCount: 300}
	b := encode(t, m, wire.ProtocolVersion)
	want := append(bytes.Clone(d.rawBlocks[1][:148]), 0xfd, 0x2c, 0x01, 0, 0)
	if !bytes.Equal(b, want) {
		t.Fatalf("%x", b[148:])
	}
}

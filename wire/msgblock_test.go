package wire_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/mvsgo/mvs/wire"
)

// A block payload is exactly package block's encoding: the real blocks decode to the same
// hash and re-encode to their bytes; a byte after the block is refused.
func TestBlockPayload(t *testing.T) {
	d := loadReal(t)
	for i, raw := range d.rawBlocks {
		var m wire.MsgBlock
		if err := m.Decode(bytes.NewReader(raw), wire.ProtocolVersion); err != nil {
			t.Fatalf("block %d: %v", i, err)
		}
		if m.Block.Hash() != d.blocks[i].Hash() || !bytes.Equal(encode(t, &m, wire.ProtocolVersion), raw) {
			t.Fatalf("block %d differs", i)
		}
		err := m.Decode(bytes.NewReader(append(bytes.Clone(raw), 0)), wire.ProtocolVersion)
		var de *wire.DecodeError
		if !errors.Is(err, wire.ErrTrailing) || !errors.As(err, &de) || de.Offset != len(raw) {
			t.Fatalf("block %d trailing: %v", i, err)
		}
	}
}

// The decoded block does not share memory with the payload returned by ReadMessage.
func TestBlockDoesNotAliasPayload(t *testing.T) {
	d := loadReal(t)
	var b bytes.Buffer
	if err := wire.WriteMessage(&b, &wire.MsgBlock{Block: *d.blocks[1]}, wire.ProtocolVersion, 0x4d53564d); err != nil {
		t.Fatal(err)
	}
	m, payload, err := wire.ReadMessage(&b, wire.ProtocolVersion, 0x4d53564d)
	if err != nil {
		t.Fatal(err)
	}
	clear(payload)
	if got := encode(t, m, wire.ProtocolVersion); !bytes.Equal(got, d.rawBlocks[1]) {
		t.Fatal("block changed with the payload buffer")
	}
}

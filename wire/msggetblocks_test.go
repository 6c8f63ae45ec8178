package wire_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/mvsgo/mvs"

	"github.com/mvsgo/mvs/wire"
)

// The leading version is the serializing protocol version when the field is 0 (what the
// reference writes), the field otherwise; decoding keeps it.
func TestGetBlocksVersionField(t *testing.T) {
	gb := &wire.MsgGetBlocks{}
	gb.AddBlockLocatorHash(hashOf(1))
	b := encode(t, gb, 70012)
	if v := binary.LittleEndian.Uint32(b); v != 70012 {
		t.Fatalf("version %d", v)
	}
	gh := &wire.MsgGetHeaders{ProtocolVersion: 60002}
	b = encode(t, gh, 70012)
	if v := binary.LittleEndian.Uint32(b); v != 60002 {
		t.Fatalf("version %d", v)
	}
	var got wire.MsgGetHeaders
	if err := got.Decode(bytes.NewReader(b), 70012); err != nil || got.ProtocolVersion != 60002 || len(got.BlockLocatorHashes) != 0 {
		t.Fatalf("%+v %v", got, err)
	}
}

// The locator count is capped by the payload and by the bytes left.
func TestLocatorCounts(t *testing.T) {
	over := binary.LittleEndian.AppendUint32(nil, 70012)
	over = append(over, 0xfe)
	over = binary.LittleEndian.AppendUint32(over, wire.MaxLocatorsPerMsg+1)
	short := append(binary.LittleEndian.AppendUint32(nil, 70012), 2)
	short = append(short, make([]byte, 64)...) // two hashes, no stop hash
	for _, m := range []wire.Message{&wire.MsgGetBlocks{}, &wire.MsgGetHeaders{}} {
		if err := m.Decode(bytes.NewReader(over), 70012); !errors.Is(err, wire.ErrTooLarge) {
			t.Fatalf("%s over cap: %v", m.Command(), err)
		}
		if err := m.Decode(bytes.NewReader(short), 70012); !errors.Is(err, wire.ErrTruncated) {
			t.Fatalf("%s no stop hash: %v", m.Command(), err)
		}
	}
	m := &wire.MsgGetBlocks{}
	m.BlockLocatorHashes = make([]mvs.Hash, wire.MaxLocatorsPerMsg+1)
	if err := m.Encode(&bytes.Buffer{}, 70012); !errors.Is(err, wire.ErrTooLarge) {
		t.Fatalf("encode over cap: %v", err)
	}
}

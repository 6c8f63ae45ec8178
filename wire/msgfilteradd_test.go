package wire_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/mvsgo/mvs/wire"
)

// The decoded data is a copy, not a view of the payload.
func TestFilterAddCopies(t *testing.T) {
	raw := []byte{2, 0xaa, 0xbb}
	var m wire.MsgFilterAdd
	if err := m.Decode(bytes.NewReader(raw), wire.ProtocolVersion); err != nil {
		t.Fatal(err)
	}
	raw[1] = 0
	if !bytes.Equal(m.Data, []byte{0xaa, 0xbb}) {
		t.Fatalf("%x", m.Data)
	}
}

func TestHexBytesText(t *testing.T) {
	var h wire.HexBytes
	if err := h.UnmarshalText([]byte("0g")); !errors.Is(err, wire.ErrInvalidValue) {
		t.Fatalf("got %v", err)
	}
	if err := h.UnmarshalText([]byte("00ff")); err != nil || !bytes.Equal(h, []byte{0, 0xff}) {
		t.Fatal(err)
	}
	if b, _ := h.MarshalText(); string(b) != "00ff" {
		t.Fatalf("%s", b)
	}
}

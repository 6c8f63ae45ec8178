package wire_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/mvsgo/mvs/wire"
)

// Short-id and prefilled counts are checked against the bytes left; the header has no
// transaction count.
func TestCmpctBlockCounts(t *testing.T) {
	d := loadReal(t)
	head := append(bytes.Clone(d.rawBlocks[1][:148]), make([]byte, 8)...)
	cases := map[string][]byte{
		"short ids beyond the payload": append(bytes.Clone(head), 2, 1, 2, 3, 4, 5, 6, 0),
		"prefilled beyond the payload": append(bytes.Clone(head), 0, 1, 0),
	}
	for name, raw := range cases {
		var m wire.MsgCmpctBlock
		if err := m.Decode(bytes.NewReader(raw), wire.BIP0152Version); !errors.Is(err, wire.ErrTooLarge) {
			t.Fatalf("%s: %v", name, err)
		}
	}
	var m wire.MsgCmpctBlock
	if err := m.Decode(bytes.NewReader(append(bytes.Clone(head), 0, 0)), wire.BIP0152Version); err != nil || m.Header.Hash() != d.blocks[1].Hash() {
		t.Fatalf("empty compact block: %v", err)
	}
}

func TestShortIDText(t *testing.T) {
	var s wire.ShortID
	if err := s.UnmarshalText([]byte("0102030405")); !errors.Is(err, wire.ErrInvalidValue) {
		t.Fatalf("5 bytes: %v", err)
	}
	if err := s.UnmarshalText([]byte("010203040506")); err != nil || s != (wire.ShortID{1, 2, 3, 4, 5, 6}) {
		t.Fatal(err)
	}
}

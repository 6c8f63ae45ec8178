package wire_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/mvsgo/mvs/wire"
)

// Counts are checked against the cap and against the bytes left before anything is
// allocated; a type the reference maps to "none" (3, and unknown codes) is kept raw.
func TestInvCounts(t *testing.T) {
	cases := []struct {
		name string
		raw  []byte
		want error
	}{
		{"count above MaxInvPerMsg", []byte{0xfe, 0x51, 0xc3, 0, 0}, wire.ErrTooLarge}, // 50,001
		{"count of 2^64-1", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, wire.ErrTooLarge},
		{"count beyond the bytes left", append([]byte{2}, make([]byte, 36)...), wire.ErrTooLarge},
		{"one short of an entry", append([]byte{1}, make([]byte, 35)...), wire.ErrTooLarge},
		{"missing count", nil, wire.ErrTruncated},
	}
	for _, c := range cases {
		for _, m := range []wire.Message{&wire.MsgInv{}, &wire.MsgGetData{}, &wire.MsgNotFound{}} {
			if err := m.Decode(bytes.NewReader(c.raw), wire.ProtocolVersion); !errors.Is(err, c.want) {
				t.Fatalf("%s %s: got %v, want %v", m.Command(), c.name, err, c.want)
			}
		}
	}
	// 50,000 entries is exactly MaxPayloadSize, and decodes.
	m := &wire.MsgInv{InvList: make([]wire.InvVect, wire.MaxInvPerMsg)}
	b := encode(t, m, wire.ProtocolVersion)
	if len(b) != wire.MaxPayloadSize || wire.MaxInvPerMsg != 50000 {
		t.Fatalf("%d bytes", len(b))
	}
	var got wire.MsgInv
	if err := got.Decode(bytes.NewReader(b), wire.ProtocolVersion); err != nil || len(got.InvList) != 50000 {
		t.Fatal(err)
	}
	// Raw type codes survive.
	raw := append([]byte{1, 3, 0, 0, 0}, make([]byte, 32)...)
	if err := got.Decode(bytes.NewReader(raw), wire.ProtocolVersion); err != nil || got.InvList[0].Type != wire.InvTypeFilteredBlock {
		t.Fatalf("type 3: %v %v", got.InvList, err)
	}
}

func TestInvTypeText(t *testing.T) {
	for _, c := range []struct {
		t    wire.InvType
		text string
	}{{0, "error"}, {1, "tx"}, {2, "block"}, {3, "filtered_block"}, {4, "compact_block"}, {77, "77"}} {
		b, _ := c.t.MarshalText()
		var back wire.InvType
		if string(b) != c.text || back.UnmarshalText(b) != nil || back != c.t {
			t.Fatalf("%d: %s %d", c.t, b, back)
		}
	}
	var x wire.InvType
	if err := x.UnmarshalText([]byte("blocks")); !errors.Is(err, wire.ErrInvalidValue) {
		t.Fatalf("got %v", err)
	}
}

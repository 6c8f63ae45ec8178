package wire_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/mvsgo/mvs/wire"
)

// The reference bounds a filter only by the payload (no BIP37 36,000-byte rule); a length
// beyond the payload is refused.
func TestFilterLoadSize(t *testing.T) {
	m := &wire.MsgFilterLoad{Filter: make(wire.HexBytes, 40000)}
	b := encode(t, m, wire.ProtocolVersion)
	var got wire.MsgFilterLoad
	if err := got.Decode(bytes.NewReader(b), wire.ProtocolVersion); err != nil || len(got.Filter) != 40000 {
		t.Fatal(err)
	}
	if err := got.Decode(bytes.NewReader([]byte{0xfe, 0, 0, 0, 1}), wire.ProtocolVersion); !errors.Is(err, wire.ErrTooLarge) && !errors.Is(err, wire.ErrTruncated) {
		t.Fatalf("got %v", err)
	}
}

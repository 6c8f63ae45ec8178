package wire_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/mvsgo/mvs/wire"
)

// notfound exists from BIP37 (70001); inv has no minimum.
func TestNotFoundVersion(t *testing.T) {
	raw := append([]byte{1, 2, 0, 0, 0}, make([]byte, 32)...)
	if err := new(wire.MsgNotFound).Decode(bytes.NewReader(raw), wire.BIP0037Version-1); !errors.Is(err, wire.ErrVersionTooLow) {
		t.Fatalf("got %v", err)
	}
	if err := new(wire.MsgInv).Decode(bytes.NewReader(raw), 0); err != nil {
		t.Fatalf("inv at 0: %v", err)
	}
}

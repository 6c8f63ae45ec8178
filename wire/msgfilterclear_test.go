package wire_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/mvsgo/mvs/wire"
)

// filterclear has an empty payload: nothing is written, and a payload byte is trailing (the
// reference node disconnects).
func TestFilterClearEmpty(t *testing.T) {
	m := &wire.MsgFilterClear{}
	if b := encode(t, m, wire.BIP0037Version); len(b) != 0 || m.MaxPayloadLength(wire.BIP0037Version) != 0 {
		t.Fatalf("%x", b)
	}
	if err := m.Decode(bytes.NewReader(nil), wire.BIP0037Version); err != nil {
		t.Fatal(err)
	}
	if err := m.Decode(bytes.NewReader([]byte{0}), wire.BIP0037Version); !errors.Is(err, wire.ErrTrailing) {
		t.Fatalf("got %v", err)
	}
}

package wire_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/mvsgo/mvs/wire"
)

// sendheaders has an empty payload: nothing is written, and a payload byte is trailing (the
// reference node disconnects).
func TestSendHeadersEmpty(t *testing.T) {
	m := &wire.MsgSendHeaders{}
	if b := encode(t, m, wire.BIP0130Version); len(b) != 0 || m.MaxPayloadLength(wire.BIP0130Version) != 0 {
		t.Fatalf("%x", b)
	}
	if err := m.Decode(bytes.NewReader(nil), wire.BIP0130Version); err != nil {
		t.Fatal(err)
	}
	if err := m.Decode(bytes.NewReader([]byte{0}), wire.BIP0130Version); !errors.Is(err, wire.ErrTrailing) {
		t.Fatalf("got %v", err)
	}
}

package wire_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/mvsgo/mvs/wire"
)

// verack has an empty payload: nothing is written, and a payload byte is trailing (the
// reference node disconnects).
func TestVerAckEmpty(t *testing.T) {
	m := &wire.MsgVerAck{}
	if b := encode(t, m, wire.ProtocolVersion); len(b) != 0 || m.MaxPayloadLength(wire.ProtocolVersion) != 0 {
		t.Fatalf("%x", b)
	}
	if err := m.Decode(bytes.NewReader(nil), wire.ProtocolVersion); err != nil {
		t.Fatal(err)
	}
	if err := m.Decode(bytes.NewReader([]byte{0}), wire.ProtocolVersion); !errors.Is(err, wire.ErrTrailing) {
		t.Fatalf("got %v", err)
	}
}

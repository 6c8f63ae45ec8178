package wire_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/mvsgo/mvs/wire"
)

// Ping carries its nonce from BIP31 (60001) on; before that the payload is empty and a
// nonce is trailing bytes.
func TestPingVersions(t *testing.T) {
	m := &wire.MsgPing{Nonce: 99}
	if b := encode(t, m, wire.BIP0031Version-1); len(b) != 0 {
		t.Fatalf("pre-BIP31 ping %x", b)
	}
	if b := encode(t, m, wire.BIP0031Version); len(b) != 8 {
		t.Fatalf("BIP31 ping %x", b)
	}
	var got wire.MsgPing
	if err := got.Decode(bytes.NewReader(make([]byte, 8)), wire.BIP0031Version-1); !errors.Is(err, wire.ErrTrailing) {
		t.Fatalf("got %v", err)
	}
	if err := got.Decode(bytes.NewReader(nil), wire.BIP0031Version); !errors.Is(err, wire.ErrTruncated) {
		t.Fatalf("got %v", err)
	}
	if m.MaxPayloadLength(wire.BIP0031Version-1) != 0 || m.MaxPayloadLength(wire.BIP0031Version) != 8 {
		t.Fatal("MaxPayloadLength")
	}
}

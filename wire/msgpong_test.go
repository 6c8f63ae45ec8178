package wire_test

import (
	"bytes"
	"testing"

	"github.com/mvsgo/mvs/wire"
)

// Pong's nonce is read and written at every version (reference pong.cpp), unlike btcd's.
func TestPongEveryVersion(t *testing.T) {
	for _, pver := range []uint32{0, 209, wire.MinimumVersion, wire.BIP0031Version - 1, wire.ProtocolVersion} {
		b := encode(t, &wire.MsgPong{Nonce: 0x0102030405060708}, pver)
		var got wire.MsgPong
		if len(b) != 8 || got.Decode(bytes.NewReader(b), pver) != nil || got.Nonce != 0x0102030405060708 {
			t.Fatalf("pver %d: %x %v", pver, b, got)
		}
	}
}

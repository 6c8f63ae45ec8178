package wire_test

import (
	"bytes"
	"testing"

	"github.com/mvsgo/mvs/wire"
)

// The hash follows only when the rejected message is "block" or "tx", compared after the
// reference's NUL truncation of the string.
func TestRejectHash(t *testing.T) {
	for _, c := range []struct {
		message string
		size    int
	}{{"block", 1 + 5 + 1 + 1 + 32}, {"tx", 1 + 2 + 1 + 1 + 32}, {"inv", 1 + 3 + 1 + 1}, {"blocks", 1 + 6 + 1 + 1}} {
		b := encode(t, &wire.MsgReject{Message: c.message, Hash: hashOf(1)}, wire.ProtocolVersion)
		if len(b) != c.size {
			t.Fatalf("%s: %d bytes", c.message, len(b))
		}
	}
	// "tx\x00z" reads as "tx", so a hash is expected after it.
	raw := append([]byte{4, 't', 'x', 0, 'z', 0x10, 0}, func() []byte { h := hashOf(2); return h[:] }()...)
	var got wire.MsgReject
	if err := got.Decode(bytes.NewReader(raw), wire.ProtocolVersion); err != nil || got.Message != "tx" || got.Hash != hashOf(2) {
		t.Fatalf("%+v %v", got, err)
	}
}

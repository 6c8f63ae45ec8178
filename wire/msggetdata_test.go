package wire_test

import (
	"bytes"
	"testing"

	"github.com/mvsgo/mvs/wire"
)

// getdata, inv and notfound share one layout; AddInvVect builds them.
func TestGetDataLayout(t *testing.T) {
	var want []byte
	for _, m := range []interface {
		wire.Message
		AddInvVect(wire.InvVect)
	}{&wire.MsgGetData{}, &wire.MsgInv{}, &wire.MsgNotFound{}} {
		m.AddInvVect(wire.InvVect{Type: wire.InvTypeTx, Hash: hashOf(3)})
		b := encode(t, m, wire.ProtocolVersion)
		if want == nil {
			want = b
		}
		if len(b) != 37 || !bytes.Equal(b, want) {
			t.Fatalf("%s: %x", m.Command(), b)
		}
	}
}

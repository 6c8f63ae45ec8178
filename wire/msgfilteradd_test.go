package wire_test

import (
	"bytes"
	"testing"

	"github.com/mvsgo/mvs/wire"
)

// The decoded data is a copy, not a view of the payload.
func TestFilterAddCopies(t *testing.T) {
	raw := []byte{2, 0xaa, 0xbb}
	var m wire.MsgFilterAdd
	if err := m.Decode(bytes.NewReader(raw), wire.ProtocolVersion); err != nil {
		t.Fatal(err)
	}
	raw[1] = 0
	if !bytes.Equal(m.Data, []byte{0xaa, 0xbb}) {
		t.Fatalf("%x", m.Data)
	}
}

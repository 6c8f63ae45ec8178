package wire_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/mvsgo/mvs/wire"
)

// getblocktxn is decoded at every version (the reference has no minimum check for it);
// indexes are varints and the count must fit in the bytes left.
func TestGetBlockTxn(t *testing.T) {
	raw := append(make([]byte, 32), 2, 0xfd, 0x00, 0x01, 5)
	var m wire.MsgGetBlockTxn
	if err := m.Decode(bytes.NewReader(raw), 0); err != nil || len(m.Indexes) != 2 || m.Indexes[0] != 256 || m.Indexes[1] != 5 {
		t.Fatalf("%+v %v", m, err)
	}
	if err := m.Decode(bytes.NewReader(append(make([]byte, 32), 3, 1, 2)), 0); !errors.Is(err, wire.ErrTooLarge) {
		t.Fatalf("count beyond the payload: %v", err)
	}
}

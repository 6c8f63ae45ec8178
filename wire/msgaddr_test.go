package wire_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/mvsgo/mvs/wire"
)

// There is no 1,000-entry rule (removed by the reference in v0.6.9): up to the payload cap
// decodes, all-zero entries (mvsd's padding bug) included; more is refused before
// allocating.
func TestAddrCounts(t *testing.T) {
	m := &wire.MsgAddr{AddrList: make([]wire.NetAddress, 1001)}
	b := encode(t, m, wire.ProtocolVersion)
	var got wire.MsgAddr
	if err := got.Decode(bytes.NewReader(b), wire.ProtocolVersion); err != nil || len(got.AddrList) != 1001 {
		t.Fatal(err)
	}
	if !got.AddrList[7].IP.IsUnspecified() || got.AddrList[7].Port != 0 {
		t.Fatalf("zero entry %+v", got.AddrList[7])
	}
	if wire.MaxAddrPerMsg != 60000 {
		t.Fatalf("MaxAddrPerMsg %d", wire.MaxAddrPerMsg)
	}
	if err := got.Decode(bytes.NewReader([]byte{0xfe, 0x61, 0xea, 0, 0}), wire.ProtocolVersion); !errors.Is(err, wire.ErrTooLarge) {
		t.Fatalf("60,001: %v", err)
	}
	if err := (&wire.MsgAddr{AddrList: make([]wire.NetAddress, wire.MaxAddrPerMsg+1)}).Encode(&bytes.Buffer{}, wire.ProtocolVersion); !errors.Is(err, wire.ErrTooLarge) {
		t.Fatalf("encode: %v", err)
	}
}

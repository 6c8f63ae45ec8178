package wire_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/mvsgo/mvs/wire"
)

// The mode byte is 0 or 1; the reference refuses anything else.
func TestSendCmpctMode(t *testing.T) {
	for mode, want := range map[byte]error{0: nil, 1: nil, 2: wire.ErrInvalidValue, 0xff: wire.ErrInvalidValue} {
		raw := append([]byte{mode}, 1, 0, 0, 0, 0, 0, 0, 0)
		var got wire.MsgSendCmpct
		err := got.Decode(bytes.NewReader(raw), wire.BIP0152Version)
		if !errors.Is(err, want) || (err == nil && got.HighBandwidth != (mode == 1)) {
			t.Fatalf("mode %d: %v %+v", mode, err, got)
		}
	}
}

package wire_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/mvsgo/mvs/wire"
)

// The relay byte: written when min(pver, version) >= 70001, read when it is >= 70002
// (reference version.cpp). A 70001 message therefore does not survive its own round trip.
func TestVersionRelayByte(t *testing.T) {
	cases := []struct {
		name       string
		value      uint32 // the message's version field
		pver       uint32
		written    bool
		decodeFail error
	}{
		{"both 70012", 70012, 70012, true, nil},
		{"peer 70002", 70002, 70012, true, nil},
		{"we parse at 70002", 70012, 70002, true, nil},
		{"peer 70001: written, not read", 70001, 70012, true, wire.ErrTrailing},
		{"pver 70001: written, not read", 70012, 70001, true, wire.ErrTrailing},
		{"peer 60001: neither", 60001, 70012, false, nil},
		{"pver 31402: neither", 70012, 31402, false, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := &wire.MsgVersion{ProtocolVersion: c.value, UserAgent: "/x/", Relay: true}
			b := encode(t, m, c.pver)
			base := 4 + 8 + 8 + 26 + 26 + 8 + 4 + 4
			if got := len(b) == base+1; got != c.written {
				t.Fatalf("relay written %v, want %v (%d bytes)", got, c.written, len(b))
			}
			var got wire.MsgVersion
			err := got.Decode(bytes.NewReader(b), c.pver)
			if c.decodeFail != nil {
				if !errors.Is(err, c.decodeFail) {
					t.Fatalf("got %v, want %v", err, c.decodeFail)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Relay != c.written {
				t.Fatalf("relay %v", got.Relay)
			}
		})
	}
}

// From 70002 on the relay byte is required; any non-zero value means true; the user agent
// ends at its first NUL as the reference's read_string ends it.
func TestVersionDecodeQuirks(t *testing.T) {
	m := &wire.MsgVersion{ProtocolVersion: 70012, UserAgent: "/metaverse:0.9.1/\x00junk", Relay: true}
	b := encode(t, m, 70012)
	var got wire.MsgVersion
	if err := got.Decode(bytes.NewReader(b[:len(b)-1]), 70012); !errors.Is(err, wire.ErrTruncated) {
		t.Fatalf("missing relay: %v", err)
	}
	b[len(b)-1] = 2
	if err := got.Decode(bytes.NewReader(b), 70012); err != nil || !got.Relay {
		t.Fatalf("relay byte 2: %v %v", got.Relay, err)
	}
	if got.UserAgent != "/metaverse:0.9.1/" {
		t.Fatalf("user agent %q", got.UserAgent)
	}
	// A user agent length that runs past the payload is refused before allocating.
	b = encode(t, &wire.MsgVersion{ProtocolVersion: 60001}, 60001)
	ua := 4 + 8 + 8 + 26 + 26 + 8
	b[ua] = 0xfe
	b = append(b[:ua+1], 0xff, 0xff, 0xff, 0x7f)
	if err := got.Decode(bytes.NewReader(b), 70012); !errors.Is(err, wire.ErrTooLarge) && !errors.Is(err, wire.ErrTruncated) {
		t.Fatalf("long user agent: %v", err)
	}
}

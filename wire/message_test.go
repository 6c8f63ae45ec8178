package wire_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net/netip"
	"reflect"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/wire"
)

// frame builds a message by hand: magic, a raw 12-byte command, a length and a checksum
// that may be given wrong.
func frame(magic uint32, cmd [12]byte, length uint32, sum *[4]byte, payload []byte) []byte {
	b := binary.LittleEndian.AppendUint32(nil, magic)
	b = append(b, cmd[:]...)
	b = binary.LittleEndian.AppendUint32(b, length)
	s := wire.Checksum(payload)
	if sum != nil {
		s = *sum
	}
	b = append(b, s[:]...)
	return append(b, payload...)
}

func cmd12(s string) (c [12]byte) {
	copy(c[:], s)
	return c
}

// The real captures of mvs-org/metaversejs-p2p decode, and re-encode to the same bytes.
func TestP2PJSVectors(t *testing.T) {
	var f struct {
		Messages []struct{ Name, Command, Hex string }
	}
	readJSON(t, "testdata/p2pjs-messages.json", &f)
	if len(f.Messages) != 8 {
		t.Fatalf("%d vectors", len(f.Messages))
	}
	main := mvs.MainNet()
	for _, v := range f.Messages {
		t.Run(v.Name, func(t *testing.T) {
			raw := mustHex(t, v.Hex)
			m, _, err := wire.ReadMessage(bytes.NewReader(raw), wire.ProtocolVersion, main.Magic)
			if err != nil {
				t.Fatal(err)
			}
			if m.Command() != v.Command {
				t.Fatalf("command %s", m.Command())
			}
			var out bytes.Buffer
			if err := wire.WriteMessage(&out, m, wire.ProtocolVersion, main.Magic); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out.Bytes(), raw) {
				t.Fatalf("re-encoded %x", out.Bytes())
			}
			// The same bytes are a wrong-magic message on testnet.
			if _, _, err := wire.ReadMessage(bytes.NewReader(raw), wire.ProtocolVersion, mvs.TestNet().Magic); !errors.Is(err, wire.ErrBadMagic) {
				t.Fatalf("testnet magic: %v", err)
			}
		})
	}
	// The captured version message field by field (p2pjs test/messages.test.ts:109-133).
	raw := mustHex(t, f.Messages[7].Hex)
	m, _, err := wire.ReadMessage(bytes.NewReader(raw), wire.ProtocolVersion, main.Magic)
	if err != nil {
		t.Fatal(err)
	}
	want := &wire.MsgVersion{ProtocolVersion: 70012, Services: 1, Timestamp: 1585509085,
		AddrRecv: addr("95.116.169.107:58616", 1, 0), AddrFrom: addr("198.199.84.199:5251", 0, 0),
		Nonce: 0x9e658b6e0dba4efa, UserAgent: "/metaverse:0.9.0/", StartHeight: 3514519, Relay: true}
	if !reflect.DeepEqual(m, want) {
		t.Fatalf("got %+v", m)
	}
	// The getdata vector asks for block 436063…dccbc6 (display order).
	m, _, _ = wire.ReadMessage(bytes.NewReader(mustHex(t, f.Messages[3].Hex)), wire.ProtocolVersion, main.Magic)
	gd := m.(*wire.MsgGetData)
	if len(gd.InvList) != 1 || gd.InvList[0].Type != wire.InvTypeBlock ||
		gd.InvList[0].Hash.String() != "436063323d6b2653dfabb46af99d0273bc2ca136c3b72f5b0a95b95657dccbc6" {
		t.Fatalf("getdata %+v", gd.InvList)
	}
}

// Each framing failure has its own sentinel.
func TestReadMessageErrors(t *testing.T) {
	magic := mvs.MainNet().Magic
	ping := binary.LittleEndian.AppendUint64(nil, 7)
	bad := [4]byte{1, 2, 3, 4}
	cases := []struct {
		name string
		raw  []byte
		want error
	}{
		{"all-zero header", make([]byte, 24), wire.ErrZeroHeader},
		{"wrong magic", frame(mvs.TestNet().Magic, cmd12("ping"), 8, nil, ping), wire.ErrBadMagic},
		{"wrong magic and oversize", frame(mvs.TestNet().Magic, cmd12("inv"), wire.MaxPayloadSize+1, nil, nil), wire.ErrBadMagic},
		{"wrong magic and bad command", frame(mvs.TestNet().Magic, [12]byte{'p', 0, 'x'}, 0, nil, nil), wire.ErrBadMagic},
		{"bad checksum", frame(magic, cmd12("ping"), 8, &bad, ping), wire.ErrBadChecksum},
		{"length above the cap", frame(magic, cmd12("inv"), wire.MaxPayloadSize+1, nil, nil), wire.ErrPayloadTooLarge},
		{"non-NUL after NUL", frame(magic, [12]byte{'p', 'i', 'n', 'g', 0, 'x'}, 8, nil, ping), wire.ErrMalformedCommand},
		{"control byte in command", frame(magic, [12]byte{'p', 'i', 'n', '\n'}, 8, nil, ping), wire.ErrMalformedCommand},
		{"unknown command", frame(magic, cmd12("feefilter"), 8, nil, ping), wire.ErrUnknownCommand},
		{"trailing byte", frame(magic, cmd12("ping"), 9, nil, append(bytes.Clone(ping), 0)), wire.ErrTrailing},
		{"short payload", frame(magic, cmd12("ping"), 7, nil, ping[:7]), wire.ErrTruncated},
		{"short stream", frame(magic, cmd12("ping"), 8, nil, ping)[:30], io.ErrUnexpectedEOF},
		{"empty stream", nil, io.EOF},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := wire.ReadMessage(bytes.NewReader(c.raw), wire.ProtocolVersion, magic)
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}
}

// An oversize length is refused before the payload is read: the reader is not touched past
// the header.
func TestOversizeRefusedBeforeRead(t *testing.T) {
	raw := frame(mvs.MainNet().Magic, cmd12("block"), 0xffffffff, nil, nil)
	r := &fixedReader{b: raw} // breaks right after the header
	if _, _, err := wire.ReadMessage(r, wire.ProtocolVersion, mvs.MainNet().Magic); !errors.Is(err, wire.ErrPayloadTooLarge) {
		t.Fatalf("got %v", err)
	}
	if err := new(wire.MsgInv).Decode(bytes.NewReader(make([]byte, wire.MaxPayloadSize+1)), wire.ProtocolVersion); !errors.Is(err, wire.ErrPayloadTooLarge) {
		t.Fatalf("Decode of an oversize payload: %v", err)
	}
	if err := new(wire.MsgInv).Decode(io.MultiReader(bytes.NewReader(make([]byte, wire.MaxPayloadSize)), bytes.NewReader([]byte{0})), wire.ProtocolVersion); !errors.Is(err, wire.ErrPayloadTooLarge) {
		t.Fatalf("Decode of an oversize stream: %v", err)
	}
}

// An unknown command is reported with its name and payload after the payload is consumed,
// so the next message reads normally.
func TestUnknownCommandSkippable(t *testing.T) {
	magic := mvs.MainNet().Magic
	var s bytes.Buffer
	s.Write(frame(magic, cmd12("feefilter"), 8, nil, []byte{1, 2, 3, 4, 5, 6, 7, 8}))
	if err := wire.WriteMessage(&s, &wire.MsgVerAck{}, wire.ProtocolVersion, magic); err != nil {
		t.Fatal(err)
	}
	_, _, err := wire.ReadMessage(&s, wire.ProtocolVersion, magic)
	var uc *wire.UnknownCommandError
	if !errors.As(err, &uc) || uc.Command != "feefilter" || !bytes.Equal(uc.Payload, []byte{1, 2, 3, 4, 5, 6, 7, 8}) {
		t.Fatalf("got %v", err)
	}
	m, _, err := wire.ReadMessage(&s, wire.ProtocolVersion, magic)
	if err != nil || m.Command() != "verack" {
		t.Fatalf("next message: %v %v", m, err)
	}
}

// A bad checksum is checked for version too (the reference's stale comment says otherwise).
func TestVersionChecksumChecked(t *testing.T) {
	var b bytes.Buffer
	v := &wire.MsgVersion{ProtocolVersion: wire.ProtocolVersion, AddrRecv: addr("1.2.3.4:5251", 1, 0)}
	if err := wire.WriteMessage(&b, v, wire.ProtocolVersion, mvs.MainNet().Magic); err != nil {
		t.Fatal(err)
	}
	raw := b.Bytes()
	raw[20] ^= 1
	if _, _, err := wire.ReadMessage(bytes.NewReader(raw), wire.ProtocolVersion, mvs.MainNet().Magic); !errors.Is(err, wire.ErrBadChecksum) {
		t.Fatalf("got %v", err)
	}
}

// fakeMessage is a Message from outside the package.
type fakeMessage struct {
	cmd     string
	payload []byte
	max     uint32
}

func (f *fakeMessage) Command() string                       { return f.cmd }
func (f *fakeMessage) Decode(r io.Reader, pver uint32) error { return nil }
func (f *fakeMessage) MaxPayloadLength(pver uint32) uint32   { return f.max }
func (f *fakeMessage) Encode(w io.Writer, pver uint32) error {
	_, err := w.Write(f.payload)
	return err
}

// WriteMessage refuses what a peer would refuse.
func TestWriteMessageErrors(t *testing.T) {
	magic := mvs.MainNet().Magic
	cases := []struct {
		name string
		m    wire.Message
		want error
	}{
		{"command of 13 bytes", &fakeMessage{cmd: "thirteenbytes", max: 10}, wire.ErrCommandTooLong},
		{"NUL in command", &fakeMessage{cmd: "a\x00b", max: 10}, wire.ErrMalformedCommand},
		{"above its own limit", &fakeMessage{cmd: "x", payload: make([]byte, 11), max: 10}, wire.ErrPayloadTooLarge},
		{"above the payload cap", &fakeMessage{cmd: "x", payload: make([]byte, wire.MaxPayloadSize+1), max: 1 << 31}, wire.ErrPayloadTooLarge},
		{"inv above MaxInvPerMsg", &wire.MsgInv{InvList: make([]wire.InvVect, wire.MaxInvPerMsg+1)}, wire.ErrTooLarge},
		{"ping above its limit at BIP31", &fakeMessage{cmd: "ping", payload: make([]byte, 9), max: new(wire.MsgPing).MaxPayloadLength(wire.ProtocolVersion)}, wire.ErrPayloadTooLarge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := wire.WriteMessage(&b, c.m, wire.ProtocolVersion, magic); !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
			if b.Len() != 0 {
				t.Fatalf("%d bytes written on error", b.Len())
			}
		})
	}
	// A foreign message with a valid command is framed like the package's own.
	var b bytes.Buffer
	if err := wire.WriteMessage(&b, &fakeMessage{cmd: "verack"}, wire.ProtocolVersion, magic); err != nil {
		t.Fatal(err)
	}
	if got := b.Bytes(); !bytes.Equal(got, mustHex(t, "4d56534d76657261636b000000000000000000005df6e0e2")) {
		t.Fatalf("%x", got)
	}
	// WriteMessage with a writer that fails.
	if err := wire.WriteMessage(&fixedWriter{max: 10}, &wire.MsgVerAck{}, wire.ProtocolVersion, magic); !errors.Is(err, errWriterFull) {
		t.Fatalf("got %v", err)
	}
}

// DecodeHeader reads the fields of a valid header and the command up to its NULs.
func TestDecodeHeader(t *testing.T) {
	raw := frame(0x4d53564d, cmd12("getheaders"), 1061, &[4]byte{9, 8, 7, 6}, nil)
	h, err := wire.DecodeHeader([24]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	want := &wire.MessageHeader{Magic: 0x4d53564d, Command: "getheaders", Length: 1061, Checksum: [4]byte{9, 8, 7, 6}}
	if !reflect.DeepEqual(h, want) {
		t.Fatalf("%+v", h)
	}
	full := frame(1, cmd12("abcdefghijkl"), 0, nil, nil)
	if h, err := wire.DecodeHeader([24]byte(full)); err != nil || h.Command != "abcdefghijkl" {
		t.Fatalf("12-byte command: %v %v", h, err)
	}
}

// NetAddress keeps IPv4 as IPv4-mapped IPv6 and the port big-endian.
func TestNetAddressEncoding(t *testing.T) {
	m := &wire.MsgAddr{AddrList: []wire.NetAddress{addr("1.2.3.4:5251", 1, 0x01020304)}}
	b := encode(t, m, wire.ProtocolVersion)
	want := mustHex(t, "01"+"04030201"+"0100000000000000"+"00000000000000000000ffff01020304"+"1483")
	if !bytes.Equal(b, want) {
		t.Fatalf("%x", b)
	}
	if ap := m.AddrList[0].AddrPort(); ap != netip.MustParseAddrPort("1.2.3.4:5251") {
		t.Fatalf("AddrPort %v", ap)
	}
}

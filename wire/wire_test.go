package wire_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/wire"
)

func encode(tb testing.TB, m wire.Message, pver uint32) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := m.Encode(&buf, pver); err != nil {
		tb.Fatalf("%s at %d: Encode: %v", m.Command(), pver, err)
	}
	return buf.Bytes()
}

func fresh(tb testing.TB, cmd string) wire.Message {
	tb.Helper()
	m, err := wire.MakeEmptyMessage(cmd)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// Every sample survives Encode/Decode and WriteMessage/ReadMessage at each protocol version
// it exists at, byte for byte; at the node's own version the value survives too.
func TestRoundTrip(t *testing.T) {
	for _, s := range samples(t) {
		for _, pver := range s.pvers {
			t.Run(fmt.Sprintf("%s/%d", s.name, pver), func(t *testing.T) {
				b := encode(t, s.msg, pver)
				if uint64(len(b)) > uint64(s.msg.MaxPayloadLength(pver)) {
					t.Fatalf("payload %d bytes above MaxPayloadLength %d", len(b), s.msg.MaxPayloadLength(pver))
				}
				got := fresh(t, s.msg.Command())
				if err := got.Decode(bytes.NewReader(b), pver); err != nil {
					t.Fatalf("Decode: %v", err)
				}
				if again := encode(t, got, pver); !bytes.Equal(again, b) {
					t.Fatalf("re-encoded\n%x\nwant\n%x", again, b)
				}
				if pver == wire.ProtocolVersion || pver == wire.BIP0152Version {
					if !reflect.DeepEqual(got, s.msg) {
						t.Fatalf("decoded %+v\nwant %+v", got, s.msg)
					}
				}
				var framed bytes.Buffer
				if err := wire.WriteMessage(&framed, s.msg, pver, mvs.MainNet().Magic); err != nil {
					t.Fatalf("WriteMessage: %v", err)
				}
				if framed.Len() != wire.HeaderSize+len(b) || !bytes.Equal(framed.Bytes()[wire.HeaderSize:], b) {
					t.Fatalf("framed payload differs from Encode")
				}
				m, payload, err := wire.ReadMessage(&framed, pver, mvs.MainNet().Magic)
				if err != nil {
					t.Fatalf("ReadMessage: %v", err)
				}
				if m.Command() != s.msg.Command() || !bytes.Equal(payload, b) {
					t.Fatalf("ReadMessage gave %s %x", m.Command(), payload)
				}
				if framed.Len() != 0 {
					t.Fatalf("%d bytes left unread", framed.Len())
				}
			})
		}
	}
}

// btcd's fixedReader/fixedWriter tables: at every byte offset of every sample's encoding a
// truncated payload is refused with a decoding error that names the field, a reader that
// breaks there makes Decode fail with the reader's error, and a writer that fails there
// makes Encode fail.
func TestBoundaries(t *testing.T) {
	for _, s := range samples(t) {
		pver := s.pvers[0]
		b := encode(t, s.msg, pver)
		t.Run(s.name, func(t *testing.T) {
			for i := 0; i < len(b); i++ {
				m := fresh(t, s.msg.Command())
				err := m.Decode(bytes.NewReader(b[:i]), pver)
				var de *wire.DecodeError
				if !errors.As(err, &de) || !(errors.Is(err, wire.ErrTruncated) || errors.Is(err, wire.ErrTooLarge)) {
					t.Fatalf("truncated at %d of %d: got %v, want a truncation DecodeError", i, len(b), err)
				}
				if de.Field == "" || de.Offset > i {
					t.Fatalf("truncated at %d: field %q offset %d", i, de.Field, de.Offset)
				}
				if err := m.Decode(&fixedReader{b: b[:i]}, pver); !errors.Is(err, errReaderBroken) {
					t.Fatalf("reader broken at %d: got %v", i, err)
				}
				if err := s.msg.Encode(&fixedWriter{max: i}, pver); !errors.Is(err, errWriterFull) {
					t.Fatalf("writer full at %d: got %v", i, err)
				}
				var framed bytes.Buffer
				if err := wire.WriteMessage(&framed, s.msg, pver, mvs.MainNet().Magic); err != nil {
					t.Fatal(err)
				}
				full := framed.Bytes()
				for _, cut := range []int{i, wire.HeaderSize + i} {
					if _, _, err := wire.ReadMessage(bytes.NewReader(full[:cut]), pver, mvs.MainNet().Magic); !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
						t.Fatalf("framed message cut at %d: got %v", cut, err)
					}
				}
			}
			// One byte more is refused as trailing, as the reference node refuses it.
			m := fresh(t, s.msg.Command())
			if err := m.Decode(bytes.NewReader(append(bytes.Clone(b), 0)), pver); !errors.Is(err, wire.ErrTrailing) {
				t.Fatalf("one trailing byte: got %v", err)
			}
		})
	}
}

// Messages below their minimum protocol version are refused both ways (the reference's
// version_minimum checks).
func TestVersionTooLow(t *testing.T) {
	cases := []struct {
		cmd string
		min uint32
	}{
		{wire.CmdGetData, wire.MinimumVersion}, {wire.CmdGetHeaders, wire.HeadersVersion}, {wire.CmdHeaders, wire.HeadersVersion},
		{wire.CmdMemPool, wire.BIP0035Version}, {wire.CmdNotFound, wire.BIP0037Version}, {wire.CmdFilterLoad, wire.BIP0037Version},
		{wire.CmdFilterAdd, wire.BIP0037Version}, {wire.CmdFilterClear, wire.BIP0037Version}, {wire.CmdMerkleBlock, wire.BIP0037Version},
		{wire.CmdReject, wire.BIP0061Version}, {wire.CmdSendHeaders, wire.BIP0130Version}, {wire.CmdSendCmpct, wire.BIP0152Version},
		{wire.CmdCmpctBlock, wire.BIP0152Version}, {wire.CmdBlockTxn, wire.BIP0152Version},
	}
	byCmd := map[string]wire.Message{}
	for _, s := range samples(t) {
		if _, ok := byCmd[s.msg.Command()]; !ok {
			byCmd[s.msg.Command()] = s.msg
		}
	}
	for _, c := range cases {
		t.Run(c.cmd, func(t *testing.T) {
			m := byCmd[c.cmd]
			b := encode(t, m, c.min)
			if err := fresh(t, c.cmd).Decode(bytes.NewReader(b), c.min-1); !errors.Is(err, wire.ErrVersionTooLow) {
				t.Fatalf("Decode at %d: got %v", c.min-1, err)
			}
			if err := m.Encode(io.Discard, c.min-1); !errors.Is(err, wire.ErrVersionTooLow) {
				t.Fatalf("Encode at %d: got %v", c.min-1, err)
			}
		})
	}
}

// The command list is the reference's heading::type(): every one has a message, and
// feefilter and alert (classes the node has but does not map) are unknown.
func TestCommands(t *testing.T) {
	cmds := wire.Commands()
	if len(cmds) != 25 {
		t.Fatalf("%d commands, want 25", len(cmds))
	}
	seen := map[string]bool{}
	for _, s := range samples(t) {
		seen[s.msg.Command()] = true
	}
	for _, c := range cmds {
		m, err := wire.MakeEmptyMessage(c)
		if err != nil || m.Command() != c {
			t.Fatalf("%s: %v", c, err)
		}
		if !seen[c] {
			t.Errorf("no sample for %s", c)
		}
	}
	for _, c := range []string{"feefilter", "alert", "addrv2", "sendaddrv2", "wtxidrelay", "getcfilters", ""} {
		_, err := wire.MakeEmptyMessage(c)
		var uc *wire.UnknownCommandError
		if !errors.Is(err, wire.ErrUnknownCommand) || !errors.As(err, &uc) || uc.Command != c {
			t.Fatalf("%q: got %v", c, err)
		}
	}
}

// Encode appends after what a bytes.Buffer or bufio.Writer already holds (it writes into
// their free space in place) and never disturbs it.
func TestEncodeIntoBuffers(t *testing.T) {
	for _, s := range samples(t) {
		want := encode(t, s.msg, s.pvers[0])
		var buf bytes.Buffer
		buf.WriteString("prefix")
		buf.Grow(1 << 16)
		if err := s.msg.Encode(&buf, s.pvers[0]); err != nil || buf.String() != "prefix"+string(want) {
			t.Fatalf("%s into bytes.Buffer: %v", s.name, err)
		}
		var out bytes.Buffer
		bw := bufio.NewWriterSize(&out, 64)
		bw.WriteString("prefix")
		if err := s.msg.Encode(bw, s.pvers[0]); err != nil || bw.Flush() != nil || out.String() != "prefix"+string(want) {
			t.Fatalf("%s into bufio.Writer: %v", s.name, err)
		}
	}
}

package wire_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/wire"
)

// fuzzDecoder checks that a decoder never panics, and that whatever it accepts re-encodes
// to bytes it decodes again to the same encoding (decoding may normalize: NUL-ended
// strings, non-canonical varints, relay bytes above 1).
func fuzzDecoder(f *testing.F, cmd string) {
	for _, s := range samples(f) {
		if s.msg.Command() != cmd {
			continue
		}
		for _, pver := range s.pvers {
			var b bytes.Buffer
			if err := s.msg.Encode(&b, pver); err != nil {
				f.Fatal(err)
			}
			f.Add(b.Bytes(), pver)
		}
	}
	f.Add([]byte{}, wire.ProtocolVersion)
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, wire.ProtocolVersion)
	f.Fuzz(func(t *testing.T, data []byte, pver uint32) {
		m, _ := wire.MakeEmptyMessage(cmd)
		if err := m.Decode(bytes.NewReader(data), pver); err != nil {
			return
		}
		var once bytes.Buffer
		if err := m.Encode(&once, pver); err != nil {
			t.Fatalf("accepted message does not encode: %v", err)
		}
		m2, _ := wire.MakeEmptyMessage(cmd)
		if err := m2.Decode(bytes.NewReader(once.Bytes()), pver); err != nil {
			// The one asymmetry of the reference: a version message claiming 70001 is
			// written with a relay byte it is not read with.
			if cmd == wire.CmdVersion && errors.Is(err, wire.ErrTrailing) {
				return
			}
			t.Fatalf("re-encoding does not decode: %v", err)
		}
		var twice bytes.Buffer
		if err := m2.Encode(&twice, pver); err != nil || !bytes.Equal(once.Bytes(), twice.Bytes()) {
			t.Fatalf("encoding not stable: %v", err)
		}
	})
}

// FuzzReadMessage feeds arbitrary streams to ReadMessage: no panic, and no accepted
// message whose payload is larger than MaxPayloadSize.
func FuzzReadMessage(f *testing.F) {
	magic := mvs.MainNet().Magic
	for _, s := range samples(f) {
		var b bytes.Buffer
		if err := wire.WriteMessage(&b, s.msg, s.pvers[0], magic); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes(), s.pvers[0])
	}
	f.Fuzz(func(t *testing.T, data []byte, pver uint32) {
		r := bytes.NewReader(data)
		for i := 0; i < 4; i++ {
			m, payload, err := wire.ReadMessage(r, pver, magic)
			if len(payload) > wire.MaxPayloadSize {
				t.Fatalf("payload of %d bytes", len(payload))
			}
			if err != nil {
				if errors.Is(err, wire.ErrUnknownCommand) || errors.Is(err, wire.ErrTrailing) || errors.Is(err, wire.ErrTruncated) || errors.Is(err, wire.ErrTooLarge) {
					continue // the payload was consumed; the stream goes on
				}
				return
			}
			if m == nil {
				t.Fatal("nil message without error")
			}
		}
	})
}

func FuzzDecodeVersion(f *testing.F) { fuzzDecoder(f, wire.CmdVersion) }

func FuzzDecodeVerAck(f *testing.F) { fuzzDecoder(f, wire.CmdVerAck) }

func FuzzDecodeAddr(f *testing.F) { fuzzDecoder(f, wire.CmdAddr) }

func FuzzDecodeGetAddr(f *testing.F) { fuzzDecoder(f, wire.CmdGetAddr) }

func FuzzDecodeInv(f *testing.F) { fuzzDecoder(f, wire.CmdInv) }

func FuzzDecodeGetData(f *testing.F) { fuzzDecoder(f, wire.CmdGetData) }

func FuzzDecodeNotFound(f *testing.F) { fuzzDecoder(f, wire.CmdNotFound) }

func FuzzDecodeGetBlocks(f *testing.F) { fuzzDecoder(f, wire.CmdGetBlocks) }

func FuzzDecodeGetHeaders(f *testing.F) { fuzzDecoder(f, wire.CmdGetHeaders) }

func FuzzDecodeHeaders(f *testing.F) { fuzzDecoder(f, wire.CmdHeaders) }

func FuzzDecodeBlock(f *testing.F) { fuzzDecoder(f, wire.CmdBlock) }

func FuzzDecodeTx(f *testing.F) { fuzzDecoder(f, wire.CmdTx) }

func FuzzDecodePing(f *testing.F) { fuzzDecoder(f, wire.CmdPing) }

func FuzzDecodePong(f *testing.F) { fuzzDecoder(f, wire.CmdPong) }

func FuzzDecodeMemPool(f *testing.F) { fuzzDecoder(f, wire.CmdMemPool) }

func FuzzDecodeSendHeaders(f *testing.F) { fuzzDecoder(f, wire.CmdSendHeaders) }

func FuzzDecodeReject(f *testing.F) { fuzzDecoder(f, wire.CmdReject) }

func FuzzDecodeFilterLoad(f *testing.F) { fuzzDecoder(f, wire.CmdFilterLoad) }

func FuzzDecodeFilterAdd(f *testing.F) { fuzzDecoder(f, wire.CmdFilterAdd) }

func FuzzDecodeFilterClear(f *testing.F) { fuzzDecoder(f, wire.CmdFilterClear) }

func FuzzDecodeMerkleBlock(f *testing.F) { fuzzDecoder(f, wire.CmdMerkleBlock) }

func FuzzDecodeSendCmpct(f *testing.F) { fuzzDecoder(f, wire.CmdSendCmpct) }

func FuzzDecodeCmpctBlock(f *testing.F) { fuzzDecoder(f, wire.CmdCmpctBlock) }

func FuzzDecodeGetBlockTxn(f *testing.F) { fuzzDecoder(f, wire.CmdGetBlockTxn) }

func FuzzDecodeBlockTxn(f *testing.F) { fuzzDecoder(f, wire.CmdBlockTxn) }

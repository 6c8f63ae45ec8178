package wire_test

import (
	"bytes"
	"testing"

	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/wire"
)

// benchMessages are the messages of the comparison with btcd (internal/compare/wire): a version,
// a full inv of 50,000 entries, 2,000 headers, a real block (the PoS block 3588504) and a
// real transaction.
func benchMessages(b *testing.B) []sample {
	d := loadReal(b)
	inv := &wire.MsgInv{InvList: make([]wire.InvVect, 50000)}
	for i := range inv.InvList {
		inv.InvList[i] = wire.InvVect{Type: wire.InvTypeTx, Hash: hashOf(byte(i))}
	}
	hs := &wire.MsgHeaders{Headers: make([]wire.HeaderWithCount, 2000)}
	for i := range hs.Headers {
		hs.Headers[i] = wire.HeaderWithCount{Header: d.blocks[i%len(d.blocks)].Header}
	}
	var blk block.Block = *d.blocks[2]
	return []sample{
		{"Version", samples(b)[0].msg, nil},
		{"Inv50000", inv, nil},
		{"Headers2000", hs, nil},
		{"Block", &wire.MsgBlock{Block: blk}, nil},
		{"Tx", &wire.MsgTx{Tx: *d.txs[0]}, nil},
	}
}

func BenchmarkDecode(b *testing.B) {
	for _, s := range benchMessages(b) {
		raw := encode(b, s.msg, wire.ProtocolVersion)
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			r := bytes.NewReader(raw)
			for b.Loop() {
				r.Reset(raw)
				m, _ := wire.MakeEmptyMessage(s.msg.Command())
				if err := m.Decode(r, wire.ProtocolVersion); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkEncode(b *testing.B) {
	for _, s := range benchMessages(b) {
		raw := encode(b, s.msg, wire.ProtocolVersion)
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			var w bytes.Buffer // a connection's reused write buffer
			for b.Loop() {
				w.Reset()
				if err := s.msg.Encode(&w, wire.ProtocolVersion); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReadMessage reads a framed inv of 50,000 entries: header, checksum, decode.
func BenchmarkReadMessage(b *testing.B) {
	s := benchMessages(b)[1]
	var framed bytes.Buffer
	if err := wire.WriteMessage(&framed, s.msg, wire.ProtocolVersion, 0x4d53564d); err != nil {
		b.Fatal(err)
	}
	raw := framed.Bytes()
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	r := bytes.NewReader(raw)
	for b.Loop() {
		r.Reset(raw)
		if _, _, err := wire.ReadMessage(r, wire.ProtocolVersion, 0x4d53564d); err != nil {
			b.Fatal(err)
		}
	}
}

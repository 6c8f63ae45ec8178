package btcdcompare

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/btcsuite/btcd/chaincfg/chainhash"
	"github.com/btcsuite/btcd/wire"
	"github.com/mvsgo/mvs/tx"
)

// A real mainnet MVS transaction: version 4, 2 P2PKH inputs, 2 P2PKH outputs with ETP
// attachments.
const mvsTxHex = "0400000002b876d698a8b5c86d2008a0df4abce7d219b038307b8d0f18a5240461d7f8e52c010000006a473044022069b331762136a4be093d46869758e0c5ff352529ad68a1f90a4188e33e6004df0220667a8c18bb9800fecbfa6a6c7a21ac5677778b7729ae56e94c913b2312a43da9012103afa153f4c9ba1bd19ef2f1d765c51e30a4a0705cb61b4efee3c72fc3a11c0e5fffffffffb1b951f88475661a31df3b5879bb0920012bea4df914e42aeb7da0d579ab1563000000006a4730440220664e4deb69ba6de51269aa26ac83e22ad2bc132f28613fccd0c7a09130b1830102204129045f4788635e3eec6cdd324aa66f24db033a62927613d1f5bd1852a10410012103afa153f4c9ba1bd19ef2f1d765c51e30a4a0705cb61b4efee3c72fc3a11c0e5fffffffff02fc28090e000000001976a91486c84a82fd58727b4215e619215d4596325c69fb88ac010000000000000016bc4606000000001976a914e7da370944c15306b3809580110b0a6c653ac5a988ac010000000000000000000000"

func mvsTx(tb testing.TB) []byte {
	b, err := hex.DecodeString(mvsTxHex)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// bitcoinTwin is the same transaction without attachments: the identical Bitcoin shape.
func bitcoinTwin(tb testing.TB) []byte {
	t, err := tx.Decode(mvsTx(tb))
	if err != nil {
		tb.Fatal(err)
	}
	var m wire.MsgTx
	m.Version = int32(t.Version)
	for _, in := range t.Inputs {
		m.AddTxIn(&wire.TxIn{PreviousOutPoint: wire.OutPoint{Hash: chainhash.Hash(in.PreviousOutput.Hash), Index: in.PreviousOutput.Index},
			SignatureScript: in.Script, Sequence: in.Sequence})
	}
	for _, o := range t.Outputs {
		m.AddTxOut(&wire.TxOut{Value: int64(o.Value), PkScript: o.Script})
	}
	var buf bytes.Buffer
	if err := m.Serialize(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func BenchmarkMVSTxDecode(b *testing.B) {
	raw := mvsTx(b)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	var t tx.Tx
	for b.Loop() {
		if err := t.UnmarshalBinary(raw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBtcdTxDecode(b *testing.B) {
	raw := bitcoinTwin(b)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		var m wire.MsgTx
		if err := m.Deserialize(bytes.NewReader(raw)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMVSTxEncode(b *testing.B) {
	t, _ := tx.Decode(mvsTx(b))
	buf := make([]byte, 0, t.SerializeSize())
	b.SetBytes(int64(t.SerializeSize()))
	b.ReportAllocs()
	for b.Loop() {
		buf = t.AppendTo(buf[:0])
	}
}

func BenchmarkBtcdTxEncode(b *testing.B) {
	var m wire.MsgTx
	raw := bitcoinTwin(b)
	if err := m.Deserialize(bytes.NewReader(raw)); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	buf.Grow(len(raw))
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := m.Serialize(&buf); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMVSTxHash(b *testing.B) {
	t, _ := tx.Decode(mvsTx(b))
	b.SetBytes(int64(t.SerializeSize()))
	b.ReportAllocs()
	for b.Loop() {
		_ = t.Hash()
	}
}

func BenchmarkBtcdTxHash(b *testing.B) {
	var m wire.MsgTx
	raw := bitcoinTwin(b)
	if err := m.Deserialize(bytes.NewReader(raw)); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		_ = m.TxHash()
	}
}

package block

import (
	"bytes"
	"encoding/binary"
	"github.com/mvsgo/mvs"
	"testing"

	"github.com/mvsgo/mvs/tx"
)

// mixedBlock builds a block of about n transactions in the proportions of a busy chain:
// mostly 1–3 input ETP transfers, some MST transfers, messages, and the occasional
// many-input consolidation, all with real-sized signatures and keys.
func mixedBlock(n int) *Block {
	sig := bytes.Repeat([]byte{0x30}, 72)
	pub := bytes.Repeat([]byte{0x02}, 33)
	scriptSig := append(append([]byte{72}, sig...), append([]byte{33}, pub...)...)
	p2pkh := append(append([]byte{0x76, 0xa9, 0x14}, bytes.Repeat([]byte{0x11}, 20)...), 0x88, 0xac)
	blk := &Block{Header: Header{Version: VersionPoW, Timestamp: 1557259171, Height: 2200000}}
	blk.Transactions = make([]tx.Tx, n)
	for i := range blk.Transactions {
		t := &blk.Transactions[i]
		t.Version = tx.VersionNova
		nIn, nOut := 1+i%3, 2
		if i%50 == 0 {
			nIn = 40
		}
		for j := 0; j < nIn; j++ {
			var h [32]byte
			binary.LittleEndian.PutUint64(h[:], uint64(i*100+j))
			t.Inputs = append(t.Inputs, tx.Input{PreviousOutput: tx.OutPoint{Hash: h, Index: uint32(j)}, Script: scriptSig, Sequence: 0xffffffff})
		}
		for j := 0; j < nOut; j++ {
			o := tx.Output{Value: mvs.Amount(1000 + i), Script: p2pkh, Attachment: tx.Attachment{Version: 1, Type: tx.TypeETP}}
			switch {
			case i%7 == 0 && j == 0:
				o.Attachment = tx.Attachment{Version: 1, Type: tx.TypeAsset, Payload: &tx.AssetTransfer{Symbol: "DNA", Quantity: uint64(i)}}
			case i%11 == 0 && j == 1:
				o.Attachment = tx.Attachment{Version: 1, Type: tx.TypeMessage, Payload: &tx.Message{Content: "withdrawal #12345 to exchange"}}
			}
			t.Outputs = append(t.Outputs, o)
		}
	}
	blk.Header.MerkleRoot = MerkleRoot(blk.TxHashes())
	return blk
}

func BenchmarkBlockDecode(b *testing.B) {
	raw := mixedBlock(2000).Bytes()
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	var blk Block
	for b.Loop() {
		if err := blk.UnmarshalBinary(raw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBlockEncode(b *testing.B) {
	blk := mixedBlock(2000)
	buf := make([]byte, 0, blk.SerializeSize())
	b.SetBytes(int64(blk.SerializeSize()))
	b.ReportAllocs()
	for b.Loop() {
		buf = blk.AppendTo(buf[:0])
	}
}

func BenchmarkMerkleRoot(b *testing.B) {
	hs := mixedBlock(2000).TxHashes()
	b.ReportAllocs()
	for b.Loop() {
		_ = MerkleRoot(hs)
	}
}

func BenchmarkSealHash(b *testing.B) {
	h := mixedBlock(1).Header
	b.ReportAllocs()
	for b.Loop() {
		_ = h.SealHash()
	}
}

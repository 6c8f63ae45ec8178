package proof_test

import (
	"crypto/sha256"
	"encoding/json"
	"testing"

	"github.com/mvsgo/mvs/proof"
)

// A block of 2000 transactions: Make hashes every transaction and the tree; Verify decodes
// one transaction and folds an 11-hash branch.
func benchProof(b *testing.B) (*proof.Existence, [32]byte) {
	d := sha256.Sum256([]byte("bench"))
	blk := syntheticBlock(2000, 1234, proof.Message(d))
	e, err := proof.Make(blk, blk.Transactions[1234].Hash(), d)
	if err != nil {
		b.Fatal(err)
	}
	return e, d
}

func BenchmarkMake(b *testing.B) {
	d := sha256.Sum256([]byte("bench"))
	blk := syntheticBlock(2000, 1234, proof.Message(d))
	txid := blk.Transactions[1234].Hash()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := proof.Make(blk, txid, d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	e, d := benchProof(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Verify(d); err != nil {
			b.Fatal(err)
		}
	}
}

// The JSON round trip a server does for each proof it is handed.
func BenchmarkUnmarshalVerify(b *testing.B) {
	e, d := benchProof(b)
	text, err := json.Marshal(e)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var got proof.Existence
		if err := json.Unmarshal(text, &got); err != nil {
			b.Fatal(err)
		}
		if _, err := got.Verify(d); err != nil {
			b.Fatal(err)
		}
	}
}

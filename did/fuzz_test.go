package did_test

import (
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/did"
	"github.com/mvsgo/mvs/tx"
)

// Any decodable transaction is judged without a panic.
func FuzzCheckTx(f *testing.F) {
	w := newWorld(f, mvs.TestNet())
	for _, t := range []*tx.Tx{w.register(), w.transfer()} {
		b, err := t.MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint64(100))
	}
	f.Fuzz(func(t *testing.T, b []byte, height uint64) {
		tr, err := tx.Decode(b)
		if err != nil {
			return
		}
		_ = did.CheckTx(tr, w.prev, height, w.p, w.reg)
		var blk did.Block
		_ = blk.Add(tr)
	})
}

// Any bytes decode to a proof or an error, and a decoded proof encodes back to them.
func FuzzProof(f *testing.F) {
	c, err := did.NewChallenge(zeroReader{}, "a.example", "alice", t0)
	if err != nil {
		f.Fatal(err)
	}
	p := mustSign(c, key(3))
	b, _ := p.MarshalBinary()
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		var q did.Proof
		if q.UnmarshalBinary(b) != nil {
			return
		}
		again, err := q.MarshalBinary()
		if err != nil || string(again) != string(b) {
			t.Fatalf("decoded proof re-encodes differently: %v", err)
		}
	})
}

type zeroReader struct{}

func (zeroReader) Read(b []byte) (int, error) {
	clear(b)
	return len(b), nil
}

package did_test

import (
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/did"
)

func BenchmarkCheckTxTransfer(b *testing.B) {
	w := newWorld(b, mvs.TestNet())
	t := w.transfer()
	b.ReportAllocs()
	for b.Loop() {
		if err := w.check(t); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	w := newWorld(b, mvs.TestNet())
	c, err := did.NewChallenge(zeroReader{}, "login.example.com", "alice", t0.Add(1e12))
	if err != nil {
		b.Fatal(err)
	}
	p := mustSign(c, key(1))
	v := &did.Verifier{Domain: "login.example.com", Params: w.p, UseNonce: func(did.Challenge) error { return nil }}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(p, "alice", 50, w.reg); err != nil {
			b.Fatal(err)
		}
	}
}

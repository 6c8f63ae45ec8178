package script

import (
	"crypto/sha256"
	"testing"

	"github.com/btcsuite/btcd/btcec/v2/ecdsa"
	"github.com/mvsgo/mvs"
)

func BenchmarkParseScript(b *testing.B) {
	att, _ := Attenuation([20]byte{1}, model1, NullOutPoint())
	b.SetBytes(int64(len(att)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		t := att.Tokenize()
		for t.Next() {
		}
		if t.Err() != nil {
			b.Fatal(t.Err())
		}
	}
}

func BenchmarkClassify(b *testing.B) {
	s := PayToPubKeyHash([20]byte{1})
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if Classify(s) != PayKeyHash {
			b.Fatal("class")
		}
	}
}

func BenchmarkASM(b *testing.B) {
	s := PayToPubKeyHash([20]byte{1})
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = s.ASM()
	}
}

// The two benchmarks below verify the same key, signature and digest: the difference is the
// interpreter's overhead above the curve operation.
func BenchmarkVerifyP2PKHInterpreter(b *testing.B) {
	k := testKey(b, 1)
	pub := k.PubKey().SerializeCompressed()
	c := &testChecker{digest: sha256.Sum256([]byte("bench"))}
	sig := SignDigest(k, c.digest, SigHashAll)
	sigScript := SignatureScriptP2PKH(sig, pub)
	pk := PayToPubKeyHash(mvs.Hash160(pub))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := Verify(sigScript, pk, ConsensusFlags, c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBtcecVerify(b *testing.B) {
	k := testKey(b, 1)
	digest := sha256.Sum256([]byte("bench"))
	sig := SignDigest(k, digest, SigHashAll)
	parsed, err := ecdsa.ParseDERSignature(sig[:len(sig)-1])
	if err != nil {
		b.Fatal(err)
	}
	pub := k.PubKey()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if !parsed.Verify(digest[:], pub) {
			b.Fatal("verify")
		}
	}
}

// VerifySignature (DER and key parsed, the fast verifier) against the same work done
// entirely through btcec: the ratio is what the secp256k1-voi dependency buys.
func BenchmarkVerifySignature(b *testing.B) {
	for _, c := range []struct {
		name   string
		verify func(der, pub []byte, d [32]byte) bool
	}{{"fast", VerifySignature}, {"btcec", reference}} {
		b.Run(c.name, func(b *testing.B) {
			der, pub, d := sigCase(7, 0, 0)
			b.ReportAllocs()
			for b.Loop() {
				if !c.verify(der, pub, d) {
					b.Fatal("verify")
				}
			}
		})
	}
}

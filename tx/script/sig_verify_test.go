package script

import (
	"crypto/sha256"
	"encoding/binary"
	"testing"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcec/v2/ecdsa"
)

// reference is VerifySignature entirely through btcec: the answer the fast path must give.
func reference(der, pubKey []byte, digest [32]byte) bool {
	return verifyNormalized(der, pubKey, digest, verifyBtcec)
}

// sigCase is a signature, key and digest derived from a seed, then bent by mutate.
func sigCase(seed uint64, mutate uint8, at uint16) (der, pub []byte, digest [32]byte) {
	var kb [32]byte
	binary.BigEndian.PutUint64(kb[24:], seed|1)
	kb[0] = byte(seed >> 56)
	priv, _ := btcec.PrivKeyFromBytes(kb[:])
	digest = sha256.Sum256(kb[:])
	der = ecdsa.Sign(priv, digest[:]).Serialize()
	switch mutate % 8 {
	case 1:
		pub = priv.PubKey().SerializeUncompressed()
	case 2: // hybrid: 0x06/0x07 by y's parity
		pub = priv.PubKey().SerializeUncompressed()
		pub[0] = 6 | pub[64]&1
	default:
		pub = priv.PubKey().SerializeCompressed()
	}
	switch mutate % 8 {
	case 3: // another digest
		digest[at%32] ^= 1 << (at % 8)
	case 4: // another key (or none, when the bit lands off the curve)
		pub[1+int(at)%(len(pub)-1)] ^= 1 << (at % 8)
	case 5: // a bent signature byte (mostly no longer DER, sometimes another r or s)
		der[int(at)%len(der)] ^= 1 << (at % 8)
	case 6: // high S: the same signature, S replaced by n − S (accepted: normalized)
		r, s, _ := parseDER(der)
		s.Negate()
		der = derOf(r, s)
	case 7: // r and s swapped
		r, s, _ := parseDER(der)
		der = derOf(s, r)
	}
	return der, pub, digest
}

// TestVerifyAgreesWithBtcec: the fast path and btcec give the same verdict on valid,
// high-S, uncompressed, hybrid and damaged signatures.
func TestVerifyAgreesWithBtcec(t *testing.T) {
	valid := 0
	for seed := uint64(1); seed < 150; seed++ {
		for m := range uint8(8) {
			der, pub, d := sigCase(seed*0x9e3779b97f4a7c15, m, uint16(seed*31+uint64(m)))
			got, want := VerifySignature(der, pub, d), reference(der, pub, d)
			if got != want {
				t.Fatalf("seed %d mutation %d: fast %v, btcec %v (der %x pub %x digest %x)", seed, m, got, want, der, pub, d)
			}
			if got {
				valid++
			}
		}
	}
	if valid < 150*3 { // the unmutated, uncompressed and hybrid cases at least
		t.Fatalf("only %d valid cases: the table does not test acceptance", valid)
	}
}

// FuzzVerifyAgreesWithBtcec holds the fast verifier to btcec's answers on any bytes.
func FuzzVerifyAgreesWithBtcec(f *testing.F) {
	for seed := uint64(1); seed < 8; seed++ {
		der, pub, d := sigCase(seed, uint8(seed), uint16(seed))
		f.Add(der, pub, d[:])
	}
	f.Fuzz(func(t *testing.T, der, pub, digest []byte) {
		var d [32]byte
		copy(d[:], digest)
		if got, want := VerifySignature(der, pub, d), reference(der, pub, d); got != want {
			t.Fatalf("fast %v, btcec %v (der %x pub %x digest %x)", got, want, der, pub, d)
		}
	})
}

// derOf is the strict DER encoding of (r, s) as given (btcec's Serialize would lower S).
func derOf(r, s btcec.ModNScalar) []byte {
	integer := func(v btcec.ModNScalar) []byte {
		b := v.Bytes()
		i := 0
		for i < 31 && b[i] == 0 && b[i+1] < 0x80 {
			i++
		}
		out := b[i:]
		if out[0] >= 0x80 {
			out = append([]byte{0}, out...)
		}
		return append([]byte{2, byte(len(out))}, out...)
	}
	body := append(integer(r), integer(s)...)
	return append([]byte{0x30, byte(len(body))}, body...)
}

func TestHighSAccepted(t *testing.T) {
	der, pub, d := sigCase(42, 6, 0)
	r, s, ok := parseDER(der)
	if !ok || !s.IsOverHalfOrder() || r.IsZero() {
		t.Fatalf("the case is not a high-S signature: %x", der)
	}
	if !VerifySignature(der, pub, d) {
		t.Fatal("a high-S signature is refused; the node normalizes it and accepts")
	}
}

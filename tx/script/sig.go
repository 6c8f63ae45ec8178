package script

import (
	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcec/v2/ecdsa"
	secp256k1 "gitlab.com/yawning/secp256k1-voi"
	"gitlab.com/yawning/secp256k1-voi/secec"
)

// SigHashType is the byte appended to a DER signature that says what it signs.
type SigHashType uint8

const (
	SigHashAll          SigHashType = 1
	SigHashNone         SigHashType = 2
	SigHashSingle       SigHashType = 3
	SigHashAnyoneCanPay SigHashType = 0x80
	// SigHashMask selects the base type (hashType & 0x1f), as the clone does.
	SigHashMask SigHashType = 0x1f
)

// Base returns the type without the ANYONECANPAY bit (hashType & 0x1f).
func (t SigHashType) Base() SigHashType { return t & SigHashMask }

// AnyoneCanPay reports whether the ANYONECANPAY bit is set.
func (t SigHashType) AnyoneCanPay() bool { return t&SigHashAnyoneCanPay != 0 }

func (t SigHashType) String() string {
	var s string
	switch t.Base() {
	case SigHashAll:
		s = "all"
	case SigHashNone:
		s = "none"
	case SigHashSingle:
		s = "single"
	default:
		s = "unknown"
	}
	if t.AnyoneCanPay() {
		s += "|anyonecanpay"
	}
	return s
}

// IsValidSignatureEncoding is BIP66's strict DER check, on a signature that includes its
// trailing hash-type byte (Bitcoin Core's IsValidSignatureEncoding, which DERSIG enforces).
func IsValidSignatureEncoding(sig []byte) bool {
	if len(sig) < 9 || len(sig) > 73 {
		return false
	}
	if sig[0] != 0x30 || int(sig[1]) != len(sig)-3 {
		return false
	}
	lenR := int(sig[3])
	if 5+lenR >= len(sig) {
		return false
	}
	lenS := int(sig[5+lenR])
	if lenR+lenS+7 != len(sig) {
		return false
	}
	if sig[2] != 0x02 || lenR == 0 || sig[4]&0x80 != 0 {
		return false
	}
	if lenR > 1 && sig[4] == 0x00 && sig[5]&0x80 == 0 {
		return false
	}
	if sig[lenR+4] != 0x02 || lenS == 0 || sig[lenR+6]&0x80 != 0 {
		return false
	}
	if lenS > 1 && sig[lenR+6] == 0x00 && sig[lenR+7]&0x80 == 0 {
		return false
	}
	return true
}

// parseDER splits a strict-DER signature (without hash type) into r and s scalars. It
// refuses values ≥ the group order and zero, as libsecp256k1's verify would fail on them.
func parseDER(der []byte) (r, s btcec.ModNScalar, ok bool) {
	// Reuse the BIP66 check by appending a dummy hash-type byte position: the check reads
	// lengths relative to the full signature.
	if len(der) < 8 || len(der) > 72 {
		return r, s, false
	}
	var buf [73]byte
	n := copy(buf[:], der)
	if !IsValidSignatureEncoding(buf[:n+1]) {
		return r, s, false
	}
	lenR := int(der[3])
	rb := der[4 : 4+lenR]
	lenS := int(der[5+lenR])
	sb := der[6+lenR : 6+lenR+lenS]
	for len(rb) > 0 && rb[0] == 0 {
		rb = rb[1:]
	}
	for len(sb) > 0 && sb[0] == 0 {
		sb = sb[1:]
	}
	if len(rb) > 32 || len(sb) > 32 {
		return r, s, false
	}
	if r.SetByteSlice(rb) || s.SetByteSlice(sb) || r.IsZero() || s.IsZero() {
		return r, s, false
	}
	return r, s, true
}

// VerifySignature verifies a DER signature (without its hash-type byte) of digest by
// pubKey, as the node's CPubKey::Verify does under DERSIG: the encoding must be strict DER,
// a high S is accepted (normalized to low S before verifying), and the key may be
// compressed, uncompressed or hybrid.
func VerifySignature(derSig []byte, pubKey []byte, digest [32]byte) bool {
	return verifyNormalized(derSig, pubKey, digest, verifyFast)
}

// verifyNormalized is VerifySignature's encoding rules (key length by header byte, strict
// DER, high S lowered) around the curve check verify.
func verifyNormalized(derSig, pubKey []byte, digest [32]byte, verify func(r, s btcec.ModNScalar, pubKey []byte, digest [32]byte) bool) bool {
	if !pubKeySizeValid(pubKey) {
		return false
	}
	r, s, ok := parseDER(derSig)
	if !ok {
		return false
	}
	if s.IsOverHalfOrder() {
		s.Negate()
	}
	return verify(r, s, pubKey, digest)
}

// verifyFast is the curve check consensus runs: secp256k1-voi, hybrid keys through btcec.
func verifyFast(r, s btcec.ModNScalar, pubKey []byte, digest [32]byte) bool {
	if pubKey[0] == 6 || pubKey[0] == 7 {
		// Hybrid keys (rare, and refused by the fast verifier's parser) take btcec's path.
		return verifyBtcec(r, s, pubKey, digest)
	}
	// secp256k1-voi verifies the same equation as btcec (u1·G + u2·Q, its x mod n against
	// r) in about two thirds of the time: one multi-scalar multiplication over 64-bit
	// fiat-crypto field arithmetic, where btcec does two 26-bit-limb multiplications.
	// FuzzVerifyAgreesWithBtcec holds the two to the same answers.
	pk, err := secec.NewPublicKey(pubKey)
	if err != nil {
		return false
	}
	rb, sb := r.Bytes(), s.Bytes()
	rv, err := secp256k1.NewScalarFromCanonicalBytes(&rb)
	if err != nil {
		return false
	}
	sv, err := secp256k1.NewScalarFromCanonicalBytes(&sb)
	if err != nil {
		return false
	}
	return pk.VerifyRaw(digest[:], rv, sv)
}

// verifyBtcec is VerifySignature's check through btcec, for hybrid keys and as the
// reference the fast path is tested against. r and s are in [1, n).
func verifyBtcec(r, s btcec.ModNScalar, pubKey []byte, digest [32]byte) bool {
	pk, err := btcec.ParsePubKey(pubKey)
	if err != nil {
		return false
	}
	return ecdsa.NewSignature(&r, &s).Verify(digest[:], pk)
}

// pubKeySizeValid is CPubKey::IsValid: the length the header byte implies.
func pubKeySizeValid(pk []byte) bool {
	if len(pk) == 0 {
		return false
	}
	switch pk[0] {
	case 2, 3:
		return len(pk) == 33
	case 4, 6, 7:
		return len(pk) == 65
	}
	return false
}

// SplitSignature splits a script signature into its DER part and hash type. ok is false
// for an empty signature.
func SplitSignature(sig []byte) (der []byte, hashType SigHashType, ok bool) {
	if len(sig) == 0 {
		return nil, 0, false
	}
	return sig[:len(sig)-1], SigHashType(sig[len(sig)-1]), true
}

// SignDigest signs digest with priv and returns the script signature: DER (low S,
// RFC 6979 nonce) followed by the hash-type byte.
func SignDigest(priv *btcec.PrivateKey, digest [32]byte, hashType SigHashType) []byte {
	der := ecdsa.Sign(priv, digest[:]).Serialize()
	return append(der, byte(hashType))
}

// SignatureScriptP2PKH returns the P2PKH scriptSig <sig> <pubKey>.
func SignatureScriptP2PKH(sig, pubKey []byte) Script {
	return NewBuilder().AddData(sig).AddData(pubKey).mustScript()
}

// SignatureScriptDeposit returns the deposit (lock-height) scriptSig
// <sig> <pubKey> <lockHeight>, the height pushed as the output script pushes it.
func SignatureScriptDeposit(sig, pubKey []byte, lockHeight uint32) Script {
	return NewBuilder().AddData(sig).AddData(pubKey).AddNum(int64(lockHeight)).mustScript()
}

// SignatureScriptMultisig returns the P2SH multisig scriptSig OP_0 <sig…> <redeemScript>,
// with the signatures in key order.
func SignatureScriptMultisig(sigs [][]byte, redeemScript Script) Script {
	b := NewBuilder().AddOp(OP_0)
	for _, s := range sigs {
		b.AddData(s)
	}
	return b.AddData(redeemScript).mustScript()
}

// RemoveCodeSeparators returns s without its OP_CODESEPARATOR operations: the scriptCode
// the signature hash serializes. It returns s itself when there are none. A script that
// does not parse is returned unchanged after the last separator before the malformed push
// has been removed (such a script can never be spent).
func RemoveCodeSeparators(s Script) Script {
	t := s.Tokenize()
	found := false
	for t.Next() {
		if t.Op().Opcode == OP_CODESEPARATOR {
			found = true
			break
		}
	}
	if !found {
		return s
	}
	out := make(Script, 0, len(s))
	last := 0
	t = s.Tokenize()
	for t.Next() {
		op := t.Op()
		if op.Opcode == OP_CODESEPARATOR {
			out = append(out, s[last:op.Offset]...)
			last = op.Offset + 1
		}
	}
	return append(out, s[last:]...)
}

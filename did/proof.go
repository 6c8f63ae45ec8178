package did

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"time"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcec/v2/ecdsa"
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/internal/codec"
	"github.com/mvsgo/mvs/tx"
)

// ProofPrefix starts every message an identity proof signs. Its first four bytes, read as a
// transaction's little-endian version, give 0x2053564d, far above the highest version the
// chain accepts (4), so no signed proof message is the preimage of a transaction's
// signature hash; and it differs from the wallets' "signmessage" preamble, which starts
// with a length byte. A key that signs proofs therefore never signs a spend.
const ProofPrefix = "MVS DID identity proof v1\n"

// NonceSize is the size of a challenge's random nonce.
const NonceSize = 32

// maxExpiry bounds an expiry so that it converts between int64 and uint64 safely.
const maxExpiry = 1 << 62

// MaxDomainLen bounds a challenge's domain.
const MaxDomainLen = 253

// Challenge is what a service asks a DID holder to sign: its own domain, the DID the holder
// claims, a random nonce and an expiry (whole Unix seconds). The service creates it with
// NewChallenge, remembers the nonce, and accepts the nonce once.
//
// The signed message (Message) is, byte for byte:
//
//	ProofPrefix | varstr domain | varstr symbol | nonce (32) | u64LE expiry (Unix seconds)
//
// and the signature is ECDSA over secp256k1 of its double SHA-256 (Digest), DER encoded.
type Challenge struct {
	Domain  string
	Symbol  string
	Nonce   [NonceSize]byte
	Expires time.Time
}

// NewChallenge returns a challenge for symbol on domain, valid until expires (rounded down
// to the second), with a nonce read from random (crypto/rand.Reader in production).
func NewChallenge(random io.Reader, domain, symbol string, expires time.Time) (Challenge, error) {
	c := Challenge{Domain: domain, Symbol: symbol, Expires: time.Unix(expires.Unix(), 0)}
	if err := c.check(); err != nil {
		return Challenge{}, err
	}
	if _, err := io.ReadFull(random, c.Nonce[:]); err != nil {
		return Challenge{}, fmt.Errorf("%w: nonce: %w", ErrChallenge, err)
	}
	return c, nil
}

// check refuses a challenge that cannot be encoded unambiguously or means nothing: a
// domain of 1–253 printable ASCII characters, a well-formed DID symbol, a positive expiry.
func (c *Challenge) check() error {
	if len(c.Domain) == 0 || len(c.Domain) > MaxDomainLen {
		return fmt.Errorf("%w: domain of %d bytes (want 1–%d)", ErrChallenge, len(c.Domain), MaxDomainLen)
	}
	for i := 0; i < len(c.Domain); i++ {
		if c.Domain[i] <= ' ' || c.Domain[i] > '~' {
			return fmt.Errorf("%w: domain byte %#x at %d is not printable ASCII", ErrChallenge, c.Domain[i], i)
		}
	}
	if !tx.ValidDIDSymbol(c.Symbol) {
		return fmt.Errorf("%w: %q is not a DID symbol", ErrChallenge, c.Symbol)
	}
	if e := c.Expires.Unix(); e <= 0 || e > maxExpiry {
		return fmt.Errorf("%w: expiry %d is not a plausible Unix time", ErrChallenge, e)
	}
	return nil
}

// Message is the exact byte string a proof signs (see Challenge).
func (c Challenge) Message() []byte {
	b := make([]byte, 0, len(ProofPrefix)+2+len(c.Domain)+len(c.Symbol)+NonceSize+8)
	b = append(b, ProofPrefix...)
	b = codec.AppendVarString(b, c.Domain)
	b = codec.AppendVarString(b, c.Symbol)
	b = append(b, c.Nonce[:]...)
	return binary.LittleEndian.AppendUint64(b, uint64(c.Expires.Unix()))
}

// Digest is the double SHA-256 of Message, the value the signature signs.
func (c Challenge) Digest() [32]byte {
	first := sha256.Sum256(c.Message())
	return sha256.Sum256(first[:])
}

// Proof is a signed challenge: the challenge, the signer's compressed public key (whose
// hash160 must be the DID's P2PKH address) and a DER signature of the challenge's digest.
// Its binary form (MarshalBinary) is Message | varbytes pubkey | varbytes signature; its
// text form, and so its JSON, is that in unpadded base64url.
type Proof struct {
	Challenge Challenge
	PubKey    []byte
	Signature []byte
}

// Sign proves control of priv's key for c: a low-S, RFC 6979 signature of c.Digest().
func Sign(c Challenge, priv *btcec.PrivateKey) (Proof, error) {
	if err := c.check(); err != nil {
		return Proof{}, err
	}
	if priv == nil {
		return Proof{}, fmt.Errorf("%w: no private key", ErrPubKey)
	}
	d := c.Digest()
	return Proof{Challenge: c, PubKey: priv.PubKey().SerializeCompressed(),
		Signature: ecdsa.Sign(priv, d[:]).Serialize()}, nil
}

// Verifier checks identity proofs for one service.
type Verifier struct {
	// Domain is this service's domain: a proof made for any other is refused (ErrDomain).
	Domain string
	// Params is the network the DIDs live on (address versions).
	Params *mvs.Params
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// UseNonce must return nil only if this service issued c's nonce for c and has not
	// accepted it before, and remember that it now has. Verify calls it last, once every
	// other check has passed, so a bad proof never consumes a nonce. Verify refuses to run
	// without it (ErrNoNonceCheck): a proof accepted twice is a replayable login.
	UseNonce func(c Challenge) error
}

// Verify checks that proof was made for this service's domain, for symbol, before its
// expiry, by the key that owns the address symbol is bound to at height in reg (a P2PKH
// address: the key's hash160 must be it), and that its nonce is fresh. It returns the
// binding the proof was checked against.
func (v *Verifier) Verify(proof Proof, symbol string, height uint64, reg Registry) (Binding, error) {
	if v.UseNonce == nil {
		return Binding{}, ErrNoNonceCheck
	}
	if v.Params == nil {
		return Binding{}, mvs.ErrNoParams
	}
	c := proof.Challenge
	if err := c.check(); err != nil {
		return Binding{}, err
	}
	if c.Domain != v.Domain {
		return Binding{}, fmt.Errorf("%w: made for %q, this is %q", ErrDomain, c.Domain, v.Domain)
	}
	if c.Symbol != symbol {
		return Binding{}, fmt.Errorf("%w: made for %q, asked about %q", ErrWrongSymbol, c.Symbol, symbol)
	}
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	// Compare with the expiry as signed: whole seconds.
	if exp, t := time.Unix(c.Expires.Unix(), 0), now(); !t.Before(exp) {
		return Binding{}, fmt.Errorf("%w: at %s, now %s", ErrExpired, exp.UTC().Format(time.RFC3339), t.UTC().Format(time.RFC3339))
	}
	if len(proof.PubKey) != 33 || (proof.PubKey[0] != 2 && proof.PubKey[0] != 3) {
		return Binding{}, fmt.Errorf("%w: %d bytes", ErrPubKey, len(proof.PubKey))
	}
	pub, err := btcec.ParsePubKey(proof.PubKey)
	if err != nil {
		return Binding{}, fmt.Errorf("%w: %v", ErrPubKey, err)
	}
	sig, err := ecdsa.ParseDERSignature(proof.Signature)
	if err != nil {
		return Binding{}, fmt.Errorf("%w: %v", ErrSignature, err)
	}
	d := c.Digest()
	if !sig.Verify(d[:], pub) {
		return Binding{}, fmt.Errorf("%w: does not verify", ErrSignature)
	}
	b, err := Resolve(reg, symbol, height)
	if err != nil {
		return Binding{}, err
	}
	addr, err := mvs.DecodeAddress(b.Address, v.Params)
	if err != nil || addr.Kind != mvs.PubKeyHash {
		return Binding{}, fmt.Errorf("%w: %q is bound to %s", ErrUnsupportedAddress, symbol, b.Address)
	}
	if mvs.Hash160(proof.PubKey) != addr.Hash {
		return Binding{}, fmt.Errorf("%w: %q is bound to %s", ErrKeyMismatch, symbol, b.Address)
	}
	if err := v.UseNonce(c); err != nil {
		return Binding{}, fmt.Errorf("%w: %w", ErrNonce, err)
	}
	return b, nil
}

// MarshalBinary encodes the proof as Message | varbytes pubkey | varbytes signature.
func (p Proof) MarshalBinary() ([]byte, error) {
	if err := p.Challenge.check(); err != nil {
		return nil, err
	}
	b := p.Challenge.Message()
	b = codec.AppendVarBytes(b, p.PubKey)
	return codec.AppendVarBytes(b, p.Signature), nil
}

// UnmarshalBinary decodes MarshalBinary's form; anything but its exact output is refused.
func (p *Proof) UnmarshalBinary(b []byte) error {
	bad := func(err error) error { return fmt.Errorf("%w: %w", ErrProofEncoding, err) }
	if !bytes.HasPrefix(b, []byte(ProofPrefix)) {
		return fmt.Errorf("%w: no %q prefix", ErrProofEncoding, ProofPrefix)
	}
	r := codec.NewReader(b[len(ProofPrefix):])
	var q Proof
	domain, err := r.VarBytes("domain", MaxDomainLen)
	if err != nil {
		return bad(err)
	}
	symbol, err := r.VarBytes("symbol", 64)
	if err != nil {
		return bad(err)
	}
	if err := r.Fixed(q.Challenge.Nonce[:], "nonce"); err != nil {
		return bad(err)
	}
	exp, err := r.Uint64LE("expires")
	if err != nil {
		return bad(err)
	}
	if exp > maxExpiry {
		return fmt.Errorf("%w: expiry %d", ErrProofEncoding, exp)
	}
	if q.PubKey, err = r.VarBytes("pubkey", 65); err != nil {
		return bad(err)
	}
	if q.Signature, err = r.VarBytes("signature", 80); err != nil {
		return bad(err)
	}
	if r.Len() != 0 {
		return fmt.Errorf("%w: %d trailing bytes", ErrProofEncoding, r.Len())
	}
	q.Challenge.Domain, q.Challenge.Symbol = string(domain), string(symbol)
	q.Challenge.Expires = time.Unix(int64(exp), 0)
	q.PubKey = bytes.Clone(q.PubKey)
	q.Signature = bytes.Clone(q.Signature)
	// One encoding per proof: a non-minimal length prefix re-encodes differently.
	if again, err := q.MarshalBinary(); err != nil {
		return bad(err)
	} else if !bytes.Equal(again, b) {
		return fmt.Errorf("%w: not in canonical form", ErrProofEncoding)
	}
	*p = q
	return nil
}

// MarshalText is the binary form in unpadded base64url, for headers and JSON.
func (p Proof) MarshalText() ([]byte, error) {
	b, err := p.MarshalBinary()
	if err != nil {
		return nil, err
	}
	return []byte(base64.RawURLEncoding.EncodeToString(b)), nil
}

// UnmarshalText decodes MarshalText's form.
func (p *Proof) UnmarshalText(text []byte) error {
	b, err := base64.RawURLEncoding.DecodeString(string(text))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrProofEncoding, err)
	}
	return p.UnmarshalBinary(b)
}

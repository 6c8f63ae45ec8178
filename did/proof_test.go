package did_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/did"
	"github.com/mvsgo/mvs/tx"
)

var (
	t0     = time.Unix(1_800_000_000, 0)
	domain = "login.example.com"
)

// nonces is a verifier's record of issued, unused nonces.
type nonces map[[did.NonceSize]byte]bool

func (n nonces) use(c did.Challenge) error {
	if !n[c.Nonce] {
		return errors.New("unknown or used nonce")
	}
	delete(n, c.Nonce)
	return nil
}

// proofWorld: alice is A's (key 1) from 10 to 19 and C's (key 3) from 20.
func proofWorld(t *testing.T) (*world, *did.Verifier, nonces) {
	w, _ := memWorld(t)
	w.reg.Rewind(29)
	n := nonces{}
	v := &did.Verifier{Domain: domain, Params: w.p, Now: func() time.Time { return t0 }, UseNonce: n.use}
	return w, v, n
}

func challenge(t *testing.T, n nonces, symbol string) did.Challenge {
	t.Helper()
	c, err := did.NewChallenge(bytes.NewReader(bytes.Repeat([]byte{7}, 32)), domain, symbol, t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	n[c.Nonce] = true
	return c
}

func sign(t *testing.T, c did.Challenge, k *btcec.PrivateKey) did.Proof {
	t.Helper()
	p, err := did.Sign(c, k)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestVerify(t *testing.T) {
	w, v, n := proofWorld(t)
	p := sign(t, challenge(t, n, "alice"), key(3))
	b, err := v.Verify(p, "alice", 25, w.reg)
	if err != nil {
		t.Fatal(err)
	}
	if b.Address != w.C.String() || b.Height != 20 {
		t.Fatalf("binding %+v", b)
	}
	if _, err := v.Verify(p, "alice", 25, w.reg); !errors.Is(err, did.ErrNonce) {
		t.Fatalf("replay: %v", err)
	}
}

func TestVerifyRefusals(t *testing.T) {
	other := mvs.NewPubKeyAddress(key(9).PubKey().SerializeCompressed(), mvs.TestNet())
	cases := []struct {
		name   string
		edit   func(w *world, v *did.Verifier, p *did.Proof)
		symbol string
		height uint64
		want   error
	}{
		{"valid", nil, "alice", 25, nil},
		{"expired", func(w *world, v *did.Verifier, p *did.Proof) {
			v.Now = func() time.Time { return t0.Add(time.Minute) }
		}, "alice", 25, did.ErrExpired},
		{"for another domain", func(w *world, v *did.Verifier, p *did.Proof) { v.Domain = "evil.example" }, "alice", 25, did.ErrDomain},
		{"for another symbol", nil, "bob", 25, did.ErrWrongSymbol},
		{"domain edited to match", func(w *world, v *did.Verifier, p *did.Proof) {
			v.Domain, p.Challenge.Domain = "evil.example", "evil.example"
		}, "alice", 25, did.ErrSignature},
		{"symbol edited", func(w *world, v *did.Verifier, p *did.Proof) { p.Challenge.Symbol = "bob" }, "bob", 25, did.ErrSignature},
		{"nonce edited", func(w *world, v *did.Verifier, p *did.Proof) { p.Challenge.Nonce[5] ^= 1 }, "alice", 25, did.ErrSignature},
		{"expiry extended", func(w *world, v *did.Verifier, p *did.Proof) {
			p.Challenge.Expires = p.Challenge.Expires.Add(time.Hour)
		}, "alice", 25, did.ErrSignature},
		{"another valid key", func(w *world, v *did.Verifier, p *did.Proof) {
			p.PubKey = key(1).PubKey().SerializeCompressed()
		}, "alice", 25, did.ErrSignature},
		{"public key not a point", func(w *world, v *did.Verifier, p *did.Proof) { p.PubKey[1] ^= 0xff; p.PubKey[2] ^= 0x55 }, "alice", 25, did.ErrPubKey},
		{"uncompressed public key", func(w *world, v *did.Verifier, p *did.Proof) {
			p.PubKey = key(3).PubKey().SerializeUncompressed()
		}, "alice", 25, did.ErrPubKey},
		{"signature edited", func(w *world, v *did.Verifier, p *did.Proof) { p.Signature[10] ^= 1 }, "alice", 25, did.ErrSignature},
		{"signature truncated", func(w *world, v *did.Verifier, p *did.Proof) { p.Signature = p.Signature[:20] }, "alice", 25, did.ErrSignature},
		{"key of the previous owner", nil, "alice", 15, did.ErrKeyMismatch},
		{"not registered yet", nil, "alice", 9, did.ErrNotFound},
		{"signed by another key", func(w *world, v *did.Verifier, p *did.Proof) {
			*p = mustSign(p.Challenge, key(9))
		}, "alice", 25, did.ErrKeyMismatch},
		{"P2SH DID", func(w *world, v *did.Verifier, p *did.Proof) {
			sh := mvs.NewScriptHashAddress(other.Hash, w.p)
			o := tx.Output{Script: p2sh(sh), Attachment: tx.Attachment{Version: 1, Type: tx.TypeDID,
				Payload: &tx.DID{Status: tx.DIDStatusRegister, Symbol: "alice", Address: sh.String()}}}
			w.reg.Rewind(9)
			if err := w.reg.Apply(&tx.Tx{Outputs: []tx.Output{o}}, 10); err != nil {
				panic(err)
			}
		}, "alice", 25, did.ErrUnsupportedAddress},
		{"burn-address DID", func(w *world, v *did.Verifier, p *did.Proof) {
			p.Challenge.Symbol = did.BlackholeSymbol
			*p = mustSign(p.Challenge, key(3))
		}, did.BlackholeSymbol, 25, did.ErrUnsupportedAddress},
		{"no nonce check", func(w *world, v *did.Verifier, p *did.Proof) { v.UseNonce = nil }, "alice", 25, did.ErrNoNonceCheck},
		{"no params", func(w *world, v *did.Verifier, p *did.Proof) { v.Params = nil }, "alice", 25, mvs.ErrNoParams},
		{"nonce never issued", func(w *world, v *did.Verifier, p *did.Proof) {
			p.Challenge.Nonce[0] ^= 1
			*p = mustSign(p.Challenge, key(3))
		}, "alice", 25, did.ErrNonce},
		{"malformed challenge", func(w *world, v *did.Verifier, p *did.Proof) { p.Challenge.Domain = "" }, "alice", 25, did.ErrChallenge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w, v, n := proofWorld(t)
			p := sign(t, challenge(t, n, "alice"), key(3))
			if c.edit != nil {
				c.edit(w, v, &p)
			}
			_, err := v.Verify(p, c.symbol, c.height, w.reg)
			if c.want == nil && err != nil || !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}
}

// Every byte of the encoded proof matters: flipping any one of them makes the proof fail to
// decode or fail to verify.
func TestProofEveryByte(t *testing.T) {
	w, v, n := proofWorld(t)
	p := sign(t, challenge(t, n, "alice"), key(3))
	enc, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var back did.Proof
	if err := back.UnmarshalBinary(enc); err != nil {
		t.Fatal(err)
	}
	for i := range enc {
		for _, flip := range []byte{0x01, 0x80} {
			b := bytes.Clone(enc)
			b[i] ^= flip
			var q did.Proof
			if err := q.UnmarshalBinary(b); err != nil {
				if !errors.Is(err, did.ErrProofEncoding) && !errors.Is(err, did.ErrChallenge) {
					t.Fatalf("byte %d: %v", i, err)
				}
				continue
			}
			if _, err := v.Verify(q, "alice", 25, w.reg); err == nil {
				t.Fatalf("byte %d flipped by %#x still verifies", i, flip)
			}
		}
	}
	if _, err := v.Verify(back, "alice", 25, w.reg); err != nil {
		t.Fatalf("decoded proof: %v", err)
	}
}

func TestProofEncoding(t *testing.T) {
	_, _, n := proofWorld(t)
	p := sign(t, challenge(t, n, "alice"), key(3))
	j, err := json.Marshal(map[string]did.Proof{"proof": p})
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]did.Proof
	if err := json.Unmarshal(j, &back); err != nil {
		t.Fatal(err)
	}
	if q := back["proof"]; q.Challenge != p.Challenge || !bytes.Equal(q.PubKey, p.PubKey) || !bytes.Equal(q.Signature, p.Signature) {
		t.Fatalf("JSON round trip: %+v", q)
	}
	enc, _ := p.MarshalBinary()
	nonCanonical := append([]byte(did.ProofPrefix), 0xfd, byte(len(domain)), 0)
	nonCanonical = append(nonCanonical, enc[len(did.ProofPrefix)+1:]...)
	bad := map[string][]byte{
		"empty":          nil,
		"no prefix":      enc[1:],
		"truncated":      enc[:len(enc)-1],
		"trailing":       append(bytes.Clone(enc), 0),
		"non-canonical":  nonCanonical,
		"huge expiry":    withExpiry(enc, 1<<63),
		"zero expiry":    withExpiry(enc, 0),
		"bad base64 via": nil,
	}
	for name, b := range bad {
		var q did.Proof
		if name == "bad base64 via" {
			if err := q.UnmarshalText([]byte("!!")); !errors.Is(err, did.ErrProofEncoding) {
				t.Errorf("%s: %v", name, err)
			}
			continue
		}
		if err := q.UnmarshalBinary(b); !errors.Is(err, did.ErrProofEncoding) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// withExpiry rewrites the expiry field of an encoded proof for symbol "alice".
func withExpiry(enc []byte, e uint64) []byte {
	b := bytes.Clone(enc)
	off := len(did.ProofPrefix) + 1 + len(domain) + 1 + len("alice") + did.NonceSize
	binary.LittleEndian.PutUint64(b[off:], e)
	return b
}

// A proof message can never be a transaction's signature preimage: read as a transaction,
// its version is one the chain refuses.
func TestProofDomainSeparation(t *testing.T) {
	_, _, n := proofWorld(t)
	m := challenge(t, n, "alice").Message()
	if v := binary.LittleEndian.Uint32(m); v < tx.VersionMax {
		t.Fatalf("message reads as transaction version %d", v)
	}
	if !bytes.HasPrefix(m, []byte(did.ProofPrefix)) {
		t.Fatal("no prefix")
	}
}

func TestNewChallenge(t *testing.T) {
	rnd := bytes.NewReader(bytes.Repeat([]byte{1}, 64))
	cases := []struct {
		domain, symbol string
		expires        time.Time
	}{
		{"", "alice", t0},
		{string(make([]byte, did.MaxDomainLen+1)), "alice", t0},
		{"a b", "alice", t0},
		{"ok.example", "not a symbol", t0},
		{"ok.example", "alice", time.Unix(0, 0)},
	}
	for _, c := range cases {
		if _, err := did.NewChallenge(rnd, c.domain, c.symbol, c.expires); !errors.Is(err, did.ErrChallenge) {
			t.Errorf("%q %q %v: %v", c.domain, c.symbol, c.expires, err)
		}
	}
	if _, err := did.NewChallenge(bytes.NewReader(nil), "ok.example", "alice", t0); !errors.Is(err, did.ErrChallenge) {
		t.Errorf("empty random source: %v", err)
	}
	c, err := did.NewChallenge(rnd, "ok.example", "alice", t0.Add(1500*time.Millisecond))
	if err != nil || !c.Expires.Equal(t0.Add(time.Second)) {
		t.Errorf("expiry not rounded down to the second: %v, %v", c.Expires, err)
	}
	if _, err := did.Sign(c, nil); !errors.Is(err, did.ErrPubKey) {
		t.Errorf("nil key: %v", err)
	}
	c.Symbol = ""
	if _, err := did.Sign(c, key(1)); !errors.Is(err, did.ErrChallenge) {
		t.Errorf("bad challenge signed: %v", err)
	}
}

// The message format is fixed: this pins its bytes.
func TestChallengeMessage(t *testing.T) {
	c := did.Challenge{Domain: "d", Symbol: "s", Expires: time.Unix(0x0102, 0)}
	c.Nonce[0] = 0xaa
	got := fmt.Sprintf("%x", c.Message())
	want := fmt.Sprintf("%x", []byte(did.ProofPrefix)) + "0164" + "0173" + "aa" + fmt.Sprintf("%062x", 0) + "0201000000000000"
	if got != want {
		t.Fatalf("message\n%s\nwant\n%s", got, want)
	}
}

func mustSign(c did.Challenge, k *btcec.PrivateKey) did.Proof {
	p, err := did.Sign(c, k)
	if err != nil {
		panic(err)
	}
	return p
}

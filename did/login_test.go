package did_test

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/did"
	"github.com/mvsgo/mvs/wallet"
)

// The reference's own vectors (mvs-org/metaverse test/test-explorer/commands/message-sign.cpp
// and message-validate.cpp, libbitcoin's bx): "Nakomoto" signed with a compressed and an
// uncompressed key, and the Bitcoin addresses they validate against.
func TestMessageSignatureReferenceVectors(t *testing.T) {
	const sigCompressed = "HxQp3cXgOIhBEGXks27sfeSQHVgNUeYgl5i5wG/dOUYaSIRnnzXR6NcyH+AfNAHtkWcyOD9rX4pojqmuQyH79K4="
	const sigUncompressed = "GxQp3cXgOIhBEGXks27sfeSQHVgNUeYgl5i5wG/dOUYaSIRnnzXR6NcyH+AfNAHtkWcyOD9rX4pojqmuQyH79K4="
	key, compressed, err := wallet.DecodeWIF("KwE19y2Ud8EUEBjeUG4Uc4qWUJUUoZJxHR3xUfTpCSsJEDv2o8fu", mvs.MainNet())
	if err != nil || !compressed {
		t.Fatalf("WIF: %v %v", compressed, err)
	}
	sig, err := did.SignMessage(key, []byte("Nakomoto"))
	if err != nil {
		t.Fatal(err)
	}
	if got := base64.StdEncoding.EncodeToString(sig); got != sigCompressed {
		t.Fatalf("signature %s, the reference signs %s", got, sigCompressed)
	}
	hashOf := func(addr string) [20]byte {
		b, err := mvs.Base58CheckDecode(addr)
		if err != nil || len(b) != 21 {
			t.Fatalf("%s: %v", addr, err)
		}
		return [20]byte(b[1:])
	}
	tests := []struct {
		name, sig, message, addr string
		match                    bool
	}{
		{"compressed", sigCompressed, "Nakomoto", "1PeChFbhxDD9NLbU21DfD55aQBC4ZTR3tE", true},
		{"uncompressed", sigUncompressed, "Nakomoto", "1Em1SX7qQq1pTmByqLRafhL1ypx2V786tP", true},
		{"compressed flag, uncompressed address", sigCompressed, "Nakomoto", "1Em1SX7qQq1pTmByqLRafhL1ypx2V786tP", false},
		{"another message", sigCompressed, "Satoshi", "1PeChFbhxDD9NLbU21DfD55aQBC4ZTR3tE", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sig, _ := base64.StdEncoding.DecodeString(tc.sig)
			got, err := did.RecoverMessageSigner([]byte(tc.message), sig)
			if err != nil {
				// A wrong message may recover no key at all; that is a refusal too.
				if tc.match || !errors.Is(err, did.ErrSignature) {
					t.Fatal(err)
				}
				return
			}
			if (got == hashOf(tc.addr)) != tc.match {
				t.Fatalf("recovered %x, address %s, want match=%v", got, tc.addr, tc.match)
			}
		})
	}
	for _, bad := range [][]byte{nil, make([]byte, 64), append([]byte{26}, make([]byte, 64)...), append([]byte{35}, bytes.Repeat([]byte{1}, 64)...)} {
		if _, err := did.RecoverMessageSigner([]byte("Nakomoto"), bad); !errors.Is(err, did.ErrSignature) {
			t.Fatalf("signature %x: %v", bad, err)
		}
	}
}

func TestLoginChallengeText(t *testing.T) {
	now := time.Date(2026, 12, 2, 21, 0, 0, 500, time.UTC)
	c, err := did.NewLoginChallenge("login.example.com", bytes.NewReader(bytes.Repeat([]byte{0xab}, 32)), now)
	if err != nil {
		t.Fatal(err)
	}
	want := "MVS DID login v1\ndomain: login.example.com\nnonce: " + strings.Repeat("ab", 32) +
		"\nissued: 2026-12-02T21:00:00Z\nexpires: 2026-12-02T21:05:00Z\n"
	if c.Text() != want {
		t.Fatalf("text:\n%s\nwant:\n%s", c.Text(), want)
	}
	back, err := did.ParseLoginChallenge(want)
	if err != nil || back != c {
		t.Fatalf("parsed %+v, %v", back, err)
	}
	tests := []struct{ name, text string }{
		{"empty", ""},
		{"another header", strings.Replace(want, "v1", "v2", 1)},
		{"no final newline", strings.TrimSuffix(want, "\n")},
		{"extra line", want + "x\n"},
		{"CRLF", strings.ReplaceAll(want, "\n", "\r\n")},
		{"upper-case nonce", strings.Replace(want, strings.Repeat("ab", 32), strings.Repeat("AB", 32), 1)},
		{"short nonce", strings.Replace(want, strings.Repeat("ab", 32), strings.Repeat("ab", 31), 1)},
		{"domain with a space", strings.Replace(want, "login.example.com", "login example", 1)},
		{"empty domain", strings.Replace(want, "login.example.com", "", 1)},
		{"offset time", strings.Replace(want, "21:05:00Z", "22:05:00+01:00", 1)},
		{"expired before issued", strings.Replace(want, "21:05:00Z", "20:05:00Z", 1)},
		{"valid for two hours", strings.Replace(want, "21:05:00Z", "23:00:00Z", 1)},
		{"fraction of a second", strings.Replace(want, "21:05:00Z", "21:05:00.5Z", 1)},
		{"fields swapped", strings.Replace(strings.Replace(want, "issued:", "X:", 1), "expires:", "issued:", 1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := did.ParseLoginChallenge(tc.text); !errors.Is(err, did.ErrChallenge) {
				t.Fatalf("err %v, want ErrChallenge", err)
			}
		})
	}
	if _, err := did.NewLoginChallenge("login.example.com", iotest.ErrReader(errors.New("no entropy")), now); !errors.Is(err, did.ErrChallenge) {
		t.Fatalf("failing random source: %v", err)
	}
	if _, err := did.NewLoginChallenge("", rand.Reader, now); !errors.Is(err, did.ErrChallenge) {
		t.Fatalf("empty domain: %v", err)
	}
}

func TestLogins(t *testing.T) {
	p := mvs.TestNet()
	key, _ := btcec.PrivKeyFromBytes([]byte("an example key, never use it!!!"))
	addr := mvs.NewPubKeyAddress(key.PubKey().SerializeCompressed(), p)
	other, _ := btcec.PrivKeyFromBytes([]byte("another example key, never use!"))
	multisig := mvs.Address{Version: p.ScriptHashAddrID, Hash: addr.Hash, Kind: mvs.ScriptHash}
	r := did.ResolverFunc(func(symbol string) (mvs.Address, error) {
		switch symbol {
		case "alice":
			return addr, nil
		case "vault":
			return multisig, nil
		case "down":
			return mvs.Address{}, errors.New("connection refused")
		}
		return mvs.Address{}, did.ErrNotFound
	})
	now := time.Date(2026, 12, 2, 21, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		// run issues what it needs from l and returns the Verify outcome.
		run func(t *testing.T, l *did.Logins) error
		err error
	}{
		{"good", func(t *testing.T, l *did.Logins) error {
			c := issueLogin(t, l, now)
			_, err := l.Verify("alice", c, signLogin(t, key, c), now.Add(time.Minute))
			return err
		}, nil},
		{"replayed", func(t *testing.T, l *did.Logins) error {
			c := issueLogin(t, l, now)
			sig := signLogin(t, key, c)
			if _, err := l.Verify("alice", c, sig, now); err != nil {
				t.Fatal(err)
			}
			_, err := l.Verify("alice", c, sig, now)
			return err
		}, did.ErrNonce},
		{"another domain", func(t *testing.T, l *did.Logins) error {
			evil := &did.Logins{Domain: "evil.example.com", Resolver: r}
			c := issueLogin(t, evil, now)
			_, err := l.Verify("alice", c, signLogin(t, key, c), now)
			return err
		}, did.ErrDomain},
		{"never issued", func(t *testing.T, l *did.Logins) error {
			c, err := did.NewLoginChallenge(l.Domain, rand.Reader, now)
			if err != nil {
				t.Fatal(err)
			}
			_, err = l.Verify("alice", c, signLogin(t, key, c), now)
			return err
		}, did.ErrNonce},
		{"verifier's clock a little behind", func(t *testing.T, l *did.Logins) error {
			c := issueLogin(t, l, now)
			_, err := l.Verify("alice", c, signLogin(t, key, c), now.Add(-did.MaxClockSkew))
			return err
		}, nil},
		{"expiry moved", func(t *testing.T, l *did.Logins) error {
			c := issueLogin(t, l, now)
			c.Expires = c.Expires.Add(time.Minute)
			_, err := l.Verify("alice", c, signLogin(t, key, c), now)
			return err
		}, did.ErrNonce},
		{"expired", func(t *testing.T, l *did.Logins) error {
			c := issueLogin(t, l, now)
			_, err := l.Verify("alice", c, signLogin(t, key, c), now.Add(did.DefaultLoginTTL))
			return err
		}, did.ErrExpired},
		{"used before issued", func(t *testing.T, l *did.Logins) error {
			c := issueLogin(t, l, now)
			_, err := l.Verify("alice", c, signLogin(t, key, c), now.Add(-did.MaxClockSkew-time.Second))
			return err
		}, did.ErrChallenge},
		{"another key", func(t *testing.T, l *did.Logins) error {
			c := issueLogin(t, l, now)
			_, err := l.Verify("alice", c, signLogin(t, other, c), now)
			return err
		}, did.ErrKeyMismatch},
		{"signature of another challenge", func(t *testing.T, l *did.Logins) error {
			c, d := issueLogin(t, l, now), issueLogin(t, l, now)
			_, err := l.Verify("alice", c, signLogin(t, key, d), now)
			return err
		}, did.ErrKeyMismatch},
		{"truncated signature", func(t *testing.T, l *did.Logins) error {
			c := issueLogin(t, l, now)
			_, err := l.Verify("alice", c, signLogin(t, key, c)[:64], now)
			return err
		}, did.ErrSignature},
		{"multisig DID", func(t *testing.T, l *did.Logins) error {
			c := issueLogin(t, l, now)
			_, err := l.Verify("vault", c, signLogin(t, key, c), now)
			return err
		}, did.ErrUnsupportedAddress},
		{"unknown DID", func(t *testing.T, l *did.Logins) error {
			c := issueLogin(t, l, now)
			_, err := l.Verify("nobody", c, signLogin(t, key, c), now)
			return err
		}, did.ErrNotFound},
		{"resolver down", func(t *testing.T, l *did.Logins) error {
			c := issueLogin(t, l, now)
			_, err := l.Verify("down", c, signLogin(t, key, c), now)
			return err
		}, did.ErrResolver},
		{"failed login uses the challenge up", func(t *testing.T, l *did.Logins) error {
			c := issueLogin(t, l, now)
			if _, err := l.Verify("alice", c, signLogin(t, other, c), now); !errors.Is(err, did.ErrKeyMismatch) {
				t.Fatal(err)
			}
			_, err := l.Verify("alice", c, signLogin(t, key, c), now)
			return err
		}, did.ErrNonce},
		{"too many pending", func(t *testing.T, l *did.Logins) error {
			l.MaxPending = 2
			issueLogin(t, l, now)
			issueLogin(t, l, now)
			_, err := l.Challenge(rand.Reader, now)
			if !errors.Is(err, did.ErrTooManyChallenges) {
				return err
			}
			// Once those expire, there is room again.
			_, err = l.Challenge(rand.Reader, now.Add(did.DefaultLoginTTL))
			if err != nil {
				t.Fatalf("after expiry: %v", err)
			}
			return did.ErrTooManyChallenges
		}, did.ErrTooManyChallenges},
		{"repeated nonce", func(t *testing.T, l *did.Logins) error {
			zero := bytes.NewReader(make([]byte, 64))
			if _, err := l.Challenge(zero, now); err != nil {
				t.Fatal(err)
			}
			_, err := l.Challenge(zero, now)
			return err
		}, did.ErrChallenge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := &did.Logins{Domain: "login.example.com", Resolver: r}
			err := tc.run(t, l)
			if tc.err == nil && err != nil || !errors.Is(err, tc.err) {
				t.Fatalf("err %v, want %v", err, tc.err)
			}
		})
	}
	c, _ := did.NewLoginChallenge("login.example.com", rand.Reader, now)
	if _, err := did.VerifyLogin(nil, "alice", c, signLogin(t, key, c), now); !errors.Is(err, did.ErrResolver) {
		t.Fatalf("nil resolver: %v", err)
	}
	if _, err := did.SignLogin(nil, c); !errors.Is(err, did.ErrPubKey) {
		t.Fatalf("nil key: %v", err)
	}
}

func issueLogin(t *testing.T, l *did.Logins, now time.Time) did.LoginChallenge {
	t.Helper()
	c, err := l.Challenge(rand.Reader, now)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func signLogin(t *testing.T, key *btcec.PrivateKey, c did.LoginChallenge) []byte {
	t.Helper()
	sig, err := did.SignLogin(key, c)
	if err != nil {
		t.Fatal(err)
	}
	// Through its text form, as it travels.
	back, err := did.DecodeLoginSignature(did.EncodeLoginSignature(sig))
	if err != nil {
		t.Fatal(err)
	}
	return back
}

// Untrusted challenge text never panics, and what parses is exactly its own Text.
func FuzzParseLoginChallenge(f *testing.F) {
	c, err := did.NewLoginChallenge("login.example.com", bytes.NewReader(make([]byte, 32)), time.Unix(1_800_000_000, 0))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(c.Text())
	f.Add("MVS DID login v1\n")
	f.Fuzz(func(t *testing.T, text string) {
		c, err := did.ParseLoginChallenge(text)
		if err != nil {
			return
		}
		if c.Text() != text {
			t.Fatalf("parsed %q, text %q", text, c.Text())
		}
		_, _ = did.VerifyLogin(did.ResolverFunc(func(string) (mvs.Address, error) { return mvs.Address{}, did.ErrNotFound }),
			"alice", c, make([]byte, 65), c.Issued)
	})
}

// Concurrent logins with one challenge and its signature: exactly one is accepted.
func TestLoginsOnceUnderConcurrency(t *testing.T) {
	p := mvs.TestNet()
	key, _ := btcec.PrivKeyFromBytes([]byte("an example key, never use it!!!"))
	addr := mvs.NewPubKeyAddress(key.PubKey().SerializeCompressed(), p)
	l := &did.Logins{Domain: "login.example.com", Resolver: did.ResolverFunc(func(string) (mvs.Address, error) { return addr, nil })}
	now := time.Now()
	c := issueLogin(t, l, now)
	sig := signLogin(t, key, c)
	const n = 16
	errs := make(chan error, n)
	for range n {
		go func() {
			_, err := l.Verify("alice", c, sig, now)
			errs <- err
		}()
	}
	ok := 0
	for range n {
		err := <-errs
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, did.ErrNonce):
			t.Errorf("err %v, want ErrNonce", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d logins accepted, want 1", ok)
	}
}

func BenchmarkSignLogin(b *testing.B) {
	key, _ := btcec.PrivKeyFromBytes([]byte("an example key, never use it!!!"))
	c, _ := did.NewLoginChallenge("login.example.com", rand.Reader, time.Now())
	for b.Loop() {
		if _, err := did.SignLogin(key, c); err != nil {
			b.Fatal(err)
		}
	}
}

// The server's cost of one login: issue a challenge, parse the client's copy, recover the
// key and compare it with the resolved address (the resolver here answers at once).
func BenchmarkLogins(b *testing.B) {
	p := mvs.TestNet()
	key, _ := btcec.PrivKeyFromBytes([]byte("an example key, never use it!!!"))
	addr := mvs.NewPubKeyAddress(key.PubKey().SerializeCompressed(), p)
	l := &did.Logins{Domain: "login.example.com", Resolver: did.ResolverFunc(func(string) (mvs.Address, error) { return addr, nil })}
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		c, err := l.Challenge(rand.Reader, now)
		if err != nil {
			b.Fatal(err)
		}
		sig, _ := did.SignLogin(key, c)
		text := c.Text()
		b.StartTimer()
		got, err := did.ParseLoginChallenge(text)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := l.Verify("alice", got, sig, now); err != nil {
			b.Fatal(err)
		}
	}
}

// Used and expired challenges free their places: a Logins bounded to a few pending
// challenges serves any number of logins, and refuses only while the pending ones fill it.
func TestLoginsPendingBound(t *testing.T) {
	p := mvs.TestNet()
	key, _ := btcec.PrivKeyFromBytes([]byte("an example key, never use it!!!"))
	addr := mvs.NewPubKeyAddress(key.PubKey().SerializeCompressed(), p)
	l := &did.Logins{Domain: "login.example.com", MaxPending: 4,
		Resolver: did.ResolverFunc(func(string) (mvs.Address, error) { return addr, nil })}
	now := time.Date(2026, 12, 2, 21, 0, 0, 0, time.UTC)
	for i := range 2000 {
		c := issueLogin(t, l, now)
		if i%2 == 0 { // half are used (with a bad signature: used all the same)
			if _, err := l.Verify("alice", c, make([]byte, 65), now); !errors.Is(err, did.ErrSignature) {
				t.Fatalf("login %d: %v", i, err)
			}
		} else { // half are left to expire
			now = now.Add(did.DefaultLoginTTL)
		}
	}
	// Fill it: four pending, the fifth refused until time passes.
	var held []did.LoginChallenge
	for range 4 {
		held = append(held, issueLogin(t, l, now))
	}
	if _, err := l.Challenge(rand.Reader, now); !errors.Is(err, did.ErrTooManyChallenges) {
		t.Fatalf("fifth pending: %v", err)
	}
	if _, err := l.Verify("alice", held[0], signLogin(t, key, held[0]), now); err != nil {
		t.Fatalf("a held challenge: %v", err)
	}
	issueLogin(t, l, now) // the used one's place
	now = now.Add(did.DefaultLoginTTL)
	for range 4 {
		issueLogin(t, l, now) // the expired ones' places
	}
	if _, err := l.Verify("alice", held[1], signLogin(t, key, held[1]), now); !errors.Is(err, did.ErrNonce) {
		t.Fatalf("an expired, dropped challenge: %v", err)
	}
}

package did

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcec/v2/ecdsa"
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/internal/codec"
)

// Login errors not shared with identity proofs (which see ErrChallenge, ErrExpired,
// ErrDomain, ErrNonce, ErrSignature, ErrKeyMismatch and ErrUnsupportedAddress, also used
// by logins).
var (
	// ErrTooManyChallenges: Logins holds MaxPending unexpired challenges and issues no
	// more until some expire or are used.
	ErrTooManyChallenges = errors.New("did: too many pending login challenges")
	// ErrResolver: the Resolver could not tell the DID's address (node or store failure,
	// or an answer that is not well formed). A DID that does not exist is ErrNotFound.
	ErrResolver = errors.New("did: resolver failure")
)

// MessagePrefix is the magic the reference's message signing (libbitcoin's
// wallet::sign_message, which mvsd links; its signmessage RPC was never implemented) puts
// before the message: the message hash is the double SHA-256 of varstr(MessagePrefix) |
// varstr(message). It is Bitcoin's, unchanged by MVS. Read as a transaction's signature
// preimage, its first four bytes would be version 0x74694218, which no transaction may have,
// so a signed message is never a signed spend.
const MessagePrefix = "Bitcoin Signed Message:\n"

// SignedMessageSize is the size of a compact message signature: a magic byte (27 + the
// recovery id, + 4 for a compressed key), then r and s, 32 bytes each, big-endian.
const SignedMessageSize = 65

// MessageHash is the hash a message signature signs (libbitcoin's hash_message).
func MessageHash(message []byte) [32]byte {
	b := codec.AppendVarString(nil, MessagePrefix)
	b = codec.AppendVarInt(b, uint64(len(message)))
	b = append(b, message...)
	return mvs.DoubleSHA256(b)
}

// SignMessage signs message as libbitcoin's sign_message does for a compressed key (MVS
// wallets' keys are): an RFC 6979 recoverable signature of MessageHash(message), 65 bytes.
// Base64 of it is what bx message-sign prints.
func SignMessage(key *btcec.PrivateKey, message []byte) ([]byte, error) {
	if key == nil {
		return nil, fmt.Errorf("%w: no private key", ErrPubKey)
	}
	h := MessageHash(message)
	return ecdsa.SignCompact(key, h[:], true), nil
}

// RecoverMessageSigner returns the hash160 of the key that made sig over message (of its
// compressed or uncompressed form, as sig's magic byte says), as libbitcoin's
// verify_message compares it with an address's hash. ErrSignature when sig is not 65
// bytes or recovers no key.
func RecoverMessageSigner(message, sig []byte) ([20]byte, error) {
	if len(sig) != SignedMessageSize {
		return [20]byte{}, fmt.Errorf("%w: %d bytes, want %d", ErrSignature, len(sig), SignedMessageSize)
	}
	h := MessageHash(message)
	pub, compressed, err := ecdsa.RecoverCompact(sig, h[:])
	if err != nil {
		return [20]byte{}, fmt.Errorf("%w: %v", ErrSignature, err)
	}
	if compressed {
		return mvs.Hash160(pub.SerializeCompressed()), nil
	}
	return mvs.Hash160(pub.SerializeUncompressed()), nil
}

// Login challenge limits.
const (
	// DefaultLoginTTL is how long a challenge from NewLoginChallenge stays valid.
	DefaultLoginTTL = 5 * time.Minute
	// MaxLoginTTL bounds a challenge's validity: a signed challenge is a credential until
	// it expires.
	MaxLoginTTL = time.Hour
	// MaxClockSkew is how far in the future a challenge's issue time may be, for a
	// verifier whose clock is behind the issuer's.
	MaxClockSkew = time.Minute
	// loginHeader is the first line of a challenge's text.
	loginHeader = "MVS DID login v1"
)

// LoginChallenge is what a service asks a DID holder to sign to log in: the service's
// domain, a random nonce, and when it was issued and expires (whole seconds, UTC). The
// holder signs Text() with the DID's current key as a message (SignLogin: libbitcoin's
// message signing), so any wallet that signs messages in that format can log in. Text is:
//
//	MVS DID login v1
//	domain: login.example.com
//	nonce: <64 hex>
//	issued: 2026-12-02T21:00:00Z
//	expires: 2026-12-02T21:05:00Z
//
// (each line ending in "\n"). ParseLoginChallenge reads exactly that back.
type LoginChallenge struct {
	Domain  string
	Nonce   [NonceSize]byte
	Issued  time.Time
	Expires time.Time
}

// NewLoginChallenge is a challenge for domain, issued at now and valid for
// DefaultLoginTTL, with a nonce read from random (crypto/rand.Reader in production). A
// service that checks it itself must remember the nonce and accept it once; Logins does.
func NewLoginChallenge(domain string, random io.Reader, now time.Time) (LoginChallenge, error) {
	return newLoginChallenge(domain, random, now, DefaultLoginTTL)
}

func newLoginChallenge(domain string, random io.Reader, now time.Time, ttl time.Duration) (LoginChallenge, error) {
	issued := time.Unix(now.Unix(), 0).UTC()
	c := LoginChallenge{Domain: domain, Issued: issued, Expires: issued.Add(ttl)}
	if err := c.check(); err != nil {
		return LoginChallenge{}, err
	}
	if random == nil {
		return LoginChallenge{}, fmt.Errorf("%w: no random source", ErrChallenge)
	}
	if _, err := io.ReadFull(random, c.Nonce[:]); err != nil {
		return LoginChallenge{}, fmt.Errorf("%w: nonce: %w", ErrChallenge, err)
	}
	return c, nil
}

// check refuses a challenge whose text would be ambiguous or that means nothing: a domain
// of 1–253 printable ASCII characters without spaces, whole-second times after 1970, an
// expiry after the issue time and at most MaxLoginTTL later.
func (c *LoginChallenge) check() error {
	if len(c.Domain) == 0 || len(c.Domain) > MaxDomainLen {
		return fmt.Errorf("%w: domain of %d bytes (want 1–%d)", ErrChallenge, len(c.Domain), MaxDomainLen)
	}
	for i := 0; i < len(c.Domain); i++ {
		if c.Domain[i] <= ' ' || c.Domain[i] > '~' {
			return fmt.Errorf("%w: domain byte %#x at %d is not printable ASCII", ErrChallenge, c.Domain[i], i)
		}
	}
	if c.Issued.Unix() <= 0 || c.Issued.Nanosecond() != 0 || c.Expires.Nanosecond() != 0 || c.Issued.Year() > 9999 || c.Expires.Year() > 9999 {
		return fmt.Errorf("%w: times must be whole seconds between 1970 and 9999", ErrChallenge)
	}
	if ttl := c.Expires.Sub(c.Issued); ttl <= 0 || ttl > MaxLoginTTL {
		return fmt.Errorf("%w: valid for %s (want more than 0, at most %s)", ErrChallenge, ttl, MaxLoginTTL)
	}
	return nil
}

// Text is the message the holder signs (see LoginChallenge).
func (c LoginChallenge) Text() string {
	return fmt.Sprintf("%s\ndomain: %s\nnonce: %s\nissued: %s\nexpires: %s\n", loginHeader, c.Domain,
		hex.EncodeToString(c.Nonce[:]), c.Issued.UTC().Format(time.RFC3339), c.Expires.UTC().Format(time.RFC3339))
}

// ParseLoginChallenge reads a challenge's Text; anything but a well-formed challenge's
// exact text is ErrChallenge.
func ParseLoginChallenge(text string) (LoginChallenge, error) {
	bad := func(why string) (LoginChallenge, error) {
		return LoginChallenge{}, fmt.Errorf("%w: %s", ErrChallenge, why)
	}
	lines := strings.Split(text, "\n")
	if len(lines) != 6 || lines[0] != loginHeader || lines[5] != "" {
		return bad("not an " + loginHeader + " challenge of five lines")
	}
	field := func(line, name string) (string, bool) { return strings.CutPrefix(line, name+": ") }
	var c LoginChallenge
	var ok bool
	if c.Domain, ok = field(lines[1], "domain"); !ok {
		return bad("no domain line")
	}
	nonce, ok := field(lines[2], "nonce")
	if !ok || len(nonce) != 2*NonceSize {
		return bad("no nonce of 32 bytes")
	}
	if _, err := hex.Decode(c.Nonce[:], []byte(nonce)); err != nil {
		return bad("nonce: " + err.Error())
	}
	for i, dst := range []*time.Time{&c.Issued, &c.Expires} {
		name := [...]string{"issued", "expires"}[i]
		s, ok := field(lines[3+i], name)
		if !ok {
			return bad("no " + name + " line")
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return bad(name + ": " + err.Error())
		}
		*dst = t.UTC()
	}
	if err := c.check(); err != nil {
		return LoginChallenge{}, err
	}
	// One text per challenge (lower-case hex, Z times): a signature is over these bytes.
	if c.Text() != text {
		return bad("not in canonical form")
	}
	return c, nil
}

// MarshalText is Text, so a challenge travels in JSON as its text.
func (c LoginChallenge) MarshalText() ([]byte, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	return []byte(c.Text()), nil
}

// UnmarshalText is ParseLoginChallenge.
func (c *LoginChallenge) UnmarshalText(b []byte) error {
	v, err := ParseLoginChallenge(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// SignLogin signs c's text with key, the key of the DID's current address: a 65-byte
// compact message signature (SignMessage). EncodeLoginSignature gives its text form.
func SignLogin(key *btcec.PrivateKey, c LoginChallenge) ([]byte, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	return SignMessage(key, []byte(c.Text()))
}

// EncodeLoginSignature is a signature's text: standard base64, as wallets print message
// signatures.
func EncodeLoginSignature(sig []byte) string { return base64.StdEncoding.EncodeToString(sig) }

// DecodeLoginSignature reads EncodeLoginSignature's form (ErrSignature otherwise).
func DecodeLoginSignature(s string) ([]byte, error) {
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil || len(b) != SignedMessageSize {
		return nil, fmt.Errorf("%w: not %d bytes of base64", ErrSignature, SignedMessageSize)
	}
	return b, nil
}

// Resolver tells the address a DID is bound to now, on the chain the verifier trusts: a
// chain store or a node (package did/resolvers: Chain, Node), a Registry at a height
// (RegistryResolver), or anything else (ResolverFunc). A DID that does not exist must give
// an error wrapping ErrNotFound; one that cannot be told, ErrResolver.
type Resolver interface {
	DIDAddress(symbol string) (mvs.Address, error)
}

// ResolverFunc adapts a function to Resolver.
type ResolverFunc func(symbol string) (mvs.Address, error)

// DIDAddress calls f.
func (f ResolverFunc) DIDAddress(symbol string) (mvs.Address, error) { return f(symbol) }

// RegistryResolver resolves against Registry at Height (a Memory fed up to the tip, or a
// chain store's registry).
type RegistryResolver struct {
	Registry Registry
	Height   uint64
	Params   *mvs.Params
}

// DIDAddress resolves symbol at r.Height.
func (r RegistryResolver) DIDAddress(symbol string) (mvs.Address, error) {
	if r.Params == nil {
		return mvs.Address{}, mvs.ErrNoParams
	}
	s, err := AddressOf(r.Registry, symbol, r.Height)
	if err != nil {
		return mvs.Address{}, err
	}
	a, err := mvs.DecodeAddress(s, r.Params)
	if err != nil {
		return mvs.Address{}, fmt.Errorf("%w: %q is bound to %q: %v", ErrUnsupportedAddress, symbol, s, err)
	}
	return a, nil
}

// VerifyLogin checks a login: c is well formed, not issued after now (give or take
// MaxClockSkew) and not expired at now (ErrChallenge, ErrExpired); sig is a message
// signature of c's text (ErrSignature) by the key of the address symbol is bound to now,
// as r resolves it (ErrKeyMismatch; a key the DID had before a transfer or address change
// is refused the same way; ErrUnsupportedAddress for a DID on a multisig or burn
// address). It returns that address.
//
// It does not know which challenges the service issued: c must be the service's own
// record of the challenge (found by its nonce), for the service's domain, and the nonce
// must be accepted once. Logins does that bookkeeping; use it unless you keep your own.
func VerifyLogin(r Resolver, symbol string, c LoginChallenge, sig []byte, now time.Time) (mvs.Address, error) {
	if err := c.check(); err != nil {
		return mvs.Address{}, err
	}
	if c.Issued.After(now.Add(MaxClockSkew)) {
		return mvs.Address{}, fmt.Errorf("%w: issued at %s, after now (%s)", ErrChallenge, c.Issued.Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	if !now.Before(c.Expires) {
		return mvs.Address{}, fmt.Errorf("%w: at %s, now %s", ErrExpired, c.Expires.Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	signer, err := RecoverMessageSigner([]byte(c.Text()), sig)
	if err != nil {
		return mvs.Address{}, err
	}
	if r == nil {
		return mvs.Address{}, fmt.Errorf("%w: no resolver", ErrResolver)
	}
	addr, err := r.DIDAddress(symbol)
	if err != nil {
		if errors.Is(err, ErrNotFound) || errors.Is(err, ErrUnsupportedAddress) || errors.Is(err, ErrResolver) {
			return mvs.Address{}, err
		}
		return mvs.Address{}, fmt.Errorf("%w: %q: %w", ErrResolver, symbol, err)
	}
	if addr.Kind != mvs.PubKeyHash {
		return mvs.Address{}, fmt.Errorf("%w: %q is bound to %s", ErrUnsupportedAddress, symbol, addr)
	}
	if signer != addr.Hash {
		return mvs.Address{}, fmt.Errorf("%w: %q is bound to %s", ErrKeyMismatch, symbol, addr)
	}
	return addr, nil
}

// DefaultMaxPending bounds the challenges a Logins holds when MaxPending is zero.
const DefaultMaxPending = 100_000

// Logins issues login challenges for one service and accepts each at most once: the
// server side of DID login. It is safe for concurrent use.
//
//	l := &did.Logins{Domain: "login.example.com", Resolver: resolvers.Node{Client: c, Params: p}}
//	ch, err := l.Challenge(rand.Reader, time.Now())    // send ch.Text() to the client
//	addr, err := l.Verify("alice", ch, sig, time.Now()) // the client's signature of it
type Logins struct {
	// Domain is this service's domain: challenges name it, and one for another is refused.
	Domain   string
	Resolver Resolver
	// TTL is how long a challenge is valid (DefaultLoginTTL when zero, at most
	// MaxLoginTTL).
	TTL time.Duration
	// MaxPending bounds the unexpired challenges held (DefaultMaxPending when zero), so
	// that a flood of requests cannot exhaust memory.
	MaxPending int

	mu      sync.Mutex
	pending map[[NonceSize]byte]LoginChallenge
	// order holds the issued nonces oldest first (from head), so that expired challenges
	// are dropped without scanning the map; used ones stay until they reach the head or
	// the queue is rebuilt, which bounds it to twice the pending ones.
	order []issuedNonce
	head  int
}

type issuedNonce struct {
	nonce   [NonceSize]byte
	expires time.Time
}

// Challenge issues a new challenge and remembers it until it expires or is used.
func (l *Logins) Challenge(random io.Reader, now time.Time) (LoginChallenge, error) {
	ttl := l.TTL
	if ttl == 0 {
		ttl = DefaultLoginTTL
	}
	c, err := newLoginChallenge(l.Domain, random, now, ttl)
	if err != nil {
		return LoginChallenge{}, err
	}
	limit := l.MaxPending
	if limit <= 0 {
		limit = DefaultMaxPending
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.pending == nil {
		l.pending = map[[NonceSize]byte]LoginChallenge{}
	}
	l.prune(now, limit)
	if len(l.pending) >= limit {
		return LoginChallenge{}, fmt.Errorf("%w: %d", ErrTooManyChallenges, len(l.pending))
	}
	if _, dup := l.pending[c.Nonce]; dup {
		return LoginChallenge{}, fmt.Errorf("%w: the random source repeated a nonce", ErrChallenge)
	}
	l.pending[c.Nonce] = c
	l.order = append(l.order, issuedNonce{c.Nonce, c.Expires})
	return c, nil
}

// prune drops the expired challenges at the head of the queue, and rebuilds the queue
// from the pending challenges when used ones make up most of it.
func (l *Logins) prune(now time.Time, limit int) {
	for l.head < len(l.order) && !now.Before(l.order[l.head].expires) {
		n := l.order[l.head]
		if p, ok := l.pending[n.nonce]; ok && p.Expires.Equal(n.expires) {
			delete(l.pending, n.nonce)
		}
		l.head++
	}
	if live := len(l.order) - l.head; live > 2*limit || live > 2*len(l.pending)+64 || l.head > len(l.order)/2 {
		order := make([]issuedNonce, 0, len(l.pending)+1)
		for n, p := range l.pending {
			order = append(order, issuedNonce{n, p.Expires})
		}
		// Oldest first; a clock that went back only delays a drop until the next rebuild.
		slices.SortFunc(order, func(a, b issuedNonce) int { return a.expires.Compare(b.expires) })
		l.order, l.head = order, 0
	}
}

// Verify checks a login for symbol with the signature sig of challenge c: c must be for
// this domain (ErrDomain) and exactly a challenge this Logins issued and has not yet
// seen (ErrNonce); then VerifyLogin's checks apply. The challenge is used up by this
// call whatever its outcome, so a signature is accepted at most once and a failed login
// asks for a new challenge.
func (l *Logins) Verify(symbol string, c LoginChallenge, sig []byte, now time.Time) (mvs.Address, error) {
	if c.Domain != l.Domain {
		return mvs.Address{}, fmt.Errorf("%w: made for %q, this is %q", ErrDomain, c.Domain, l.Domain)
	}
	l.mu.Lock()
	issued, ok := l.pending[c.Nonce]
	if ok {
		delete(l.pending, c.Nonce)
	}
	l.mu.Unlock()
	if !ok {
		return mvs.Address{}, fmt.Errorf("%w: nonce %x", ErrNonce, c.Nonce[:4])
	}
	if !issued.Issued.Equal(c.Issued) || !issued.Expires.Equal(c.Expires) {
		return mvs.Address{}, fmt.Errorf("%w: the challenge's times differ from those issued", ErrNonce)
	}
	return VerifyLogin(l.Resolver, symbol, issued, sig, now)
}

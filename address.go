package mvs

import (
	"crypto/sha256"
	"fmt"
	"strings"

	"golang.org/x/crypto/ripemd160" //nolint:staticcheck // hash160 is RIPEMD160(SHA256): consensus, not a choice
)

// Hash160 returns RIPEMD160(SHA256(b)), the hash that P2PKH and P2SH addresses carry.
func Hash160(b []byte) [20]byte {
	s := sha256.Sum256(b)
	r := ripemd160.New()
	r.Write(s[:])
	var out [20]byte
	r.Sum(out[:0])
	return out
}

// AddressKind says what an address pays to.
type AddressKind uint8

const (
	// PubKeyHash is pay-to-public-key-hash: "M…" on mainnet, "t…" on testnet.
	PubKeyHash AddressKind = iota + 1
	// ScriptHash is pay-to-script-hash: "3…" on every network (the node keeps 0x05 on testnet).
	ScriptHash
	// Blackhole is the burn address 1111111111111111111114oLvT2 (version 0, zero hash), whose
	// script is a bare OP_RETURN.
	Blackhole
)

func (k AddressKind) String() string {
	switch k {
	case PubKeyHash:
		return "p2pkh"
	case ScriptHash:
		return "p2sh"
	case Blackhole:
		return "blackhole"
	}
	return fmt.Sprintf("AddressKind(%d)", uint8(k))
}

// BlackholeAddress is the burn address every MVS network shares.
const BlackholeAddress = "1111111111111111111114oLvT2"

// Address is a base58check payment address: a version byte and a 20-byte hash. The zero
// value is not a valid address.
type Address struct {
	Version byte
	Hash    [20]byte
	Kind    AddressKind
}

// NewPubKeyHashAddress returns the P2PKH address of a 20-byte key hash on network p.
func NewPubKeyHashAddress(h [20]byte, p *Params) Address {
	return Address{Version: p.PubKeyHashAddrID, Hash: h, Kind: PubKeyHash}
}

// NewScriptHashAddress returns the P2SH address of a 20-byte script hash on network p.
func NewScriptHashAddress(h [20]byte, p *Params) Address {
	return Address{Version: p.ScriptHashAddrID, Hash: h, Kind: ScriptHash}
}

// NewPubKeyAddress returns the P2PKH address of a serialized (normally 33-byte compressed)
// public key.
func NewPubKeyAddress(pubKey []byte, p *Params) Address {
	return NewPubKeyHashAddress(Hash160(pubKey), p)
}

// String returns the base58check form. A zero (invalid) Address prints as "<invalid address>",
// never as the burn address that its zero bytes would encode.
func (a Address) String() string {
	if !a.IsValid() {
		return "<invalid address>"
	}
	var payload [21]byte
	payload[0] = a.Version
	copy(payload[1:], a.Hash[:])
	return Base58CheckEncode(payload[:])
}

// IsValid reports whether a was built by a constructor or DecodeAddress.
func (a Address) IsValid() bool { return a.Kind != 0 }

// MarshalText implements encoding.TextMarshaler.
func (a Address) MarshalText() ([]byte, error) {
	if !a.IsValid() {
		return nil, fmt.Errorf("%w: zero Address", ErrAddressNetwork)
	}
	return []byte(a.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler, so an Address round-trips through JSON.
// Text carries no network, so any MVS version byte is accepted (mainnet or testnet P2PKH,
// P2SH, the burn address); check the result with BelongsTo, or use DecodeAddress when the
// network is known.
func (a *Address) UnmarshalText(text []byte) error {
	s := string(text)
	payload, err := decodeAddressPayload(s)
	if err != nil {
		return err
	}
	v := Address{Version: payload[0], Hash: [20]byte(payload[1:])}
	for _, p := range networks() {
		if k := kindOn(v, p); k != 0 {
			v.Kind = k
			*a = v
			return nil
		}
	}
	return fmt.Errorf("address %q: %w: version 0x%02x is no MVS network's", s, ErrAddressNetwork, v.Version)
}

// BelongsTo reports whether a is a valid address of network p. The burn address belongs to
// every network, and so does P2SH where networks share its version byte (the node keeps 0x05
// on testnet), so only P2PKH addresses tell mainnet from testnet.
func (a Address) BelongsTo(p *Params) bool {
	return a.IsValid() && p != nil && kindOn(a, p) == a.Kind
}

// Networks names the networks a belongs to ("mainnet", "testnet", "regtest"), for messages
// such as "a testnet address on mainnet".
func (a Address) Networks() []string {
	var names []string
	for _, p := range networks() {
		if a.BelongsTo(p) {
			names = append(names, p.Name)
		}
	}
	return names
}

// AddressNetworkError is an address refused because its version byte is not one of the
// expected network's: Networks names those it does belong to (none for a foreign coin's
// address), so a message or a CLI can say "a testnet address; use --net testnet".
// errors.Is(err, ErrAddressNetwork) holds.
type AddressNetworkError struct {
	Address  Address  // as decoded; Kind is its kind on the networks it belongs to
	Networks []string // the standard networks it belongs to, empty when none
	Want     string   // the network it was expected on
}

// NewAddressNetworkError describes a (version byte and hash) refused on network want.
func NewAddressNetworkError(a Address, want *Params) *AddressNetworkError {
	e := &AddressNetworkError{Address: a, Want: want.Name}
	for _, p := range networks() {
		if k := kindOn(a, p); k != 0 {
			e.Address.Kind = k
			e.Networks = append(e.Networks, p.Name)
		}
	}
	return e
}

func (e *AddressNetworkError) Error() string {
	if len(e.Networks) == 0 {
		return fmt.Sprintf("%v: version 0x%02x is no MVS network's, not a %s address", ErrAddressNetwork, e.Address.Version, e.Want)
	}
	return fmt.Sprintf("%v: %s is a %s address (version 0x%02x), not a %s one",
		ErrAddressNetwork, e.Address, strings.Join(e.Networks, " or "), e.Address.Version, e.Want)
}

// Unwrap makes errors.Is(err, ErrAddressNetwork) hold.
func (e *AddressNetworkError) Unwrap() error { return ErrAddressNetwork }

func networks() [3]*Params { return [3]*Params{MainNet(), TestNet(), RegTest()} }

// kindOn classifies an address's version byte and hash on network p (0: not p's).
func kindOn(a Address, p *Params) AddressKind {
	switch {
	case a.Version == p.PubKeyHashAddrID:
		return PubKeyHash
	case a.Version == p.ScriptHashAddrID:
		return ScriptHash
	case a.Version == 0 && a.Hash == [20]byte{}:
		return Blackhole
	}
	return 0
}

func decodeAddressPayload(s string) ([]byte, error) {
	payload, err := Base58CheckDecode(s)
	if err != nil {
		return nil, fmt.Errorf("address %q: %w", s, err)
	}
	if len(payload) != 21 {
		return nil, fmt.Errorf("address %q: %w: payload is %d bytes, want 21", s, ErrAddressLength, len(payload))
	}
	return payload, nil
}

// DecodeAddress parses a base58check address and checks that its version byte is a P2PKH
// or P2SH version of network p (or the shared blackhole address). A wrong checksum, a wrong
// length and a version from another network are distinct errors (errors.Is with ErrChecksum,
// ErrAddressLength, ErrAddressNetwork).
func DecodeAddress(s string, p *Params) (Address, error) {
	if p == nil {
		return Address{}, fmt.Errorf("address %q: %w", s, ErrNoParams)
	}
	payload, err := decodeAddressPayload(s)
	if err != nil {
		return Address{}, err
	}
	a := Address{Version: payload[0], Hash: [20]byte(payload[1:])}
	if a.Kind = kindOn(a, p); a.Kind == 0 {
		return Address{}, NewAddressNetworkError(a, p)
	}
	return a, nil
}

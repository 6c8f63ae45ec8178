package mvs

import (
	"crypto/sha256"
	"fmt"

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

// String returns the base58check form.
func (a Address) String() string {
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

// DecodeAddress parses a base58check address and checks that its version byte is a P2PKH
// or P2SH version of network p (or the shared blackhole address). A wrong checksum, a wrong
// length and a version from another network are distinct errors (errors.Is with ErrChecksum,
// ErrAddressLength, ErrAddressNetwork).
func DecodeAddress(s string, p *Params) (Address, error) {
	payload, err := Base58CheckDecode(s)
	if err != nil {
		return Address{}, fmt.Errorf("address %q: %w", s, err)
	}
	if len(payload) != 21 {
		return Address{}, fmt.Errorf("address %q: %w: payload is %d bytes, want 21", s, ErrAddressLength, len(payload))
	}
	a := Address{Version: payload[0], Hash: [20]byte(payload[1:])}
	switch {
	case a.Version == p.PubKeyHashAddrID:
		a.Kind = PubKeyHash
	case a.Version == p.ScriptHashAddrID:
		a.Kind = ScriptHash
	case a.Version == 0 && a.Hash == [20]byte{}:
		a.Kind = Blackhole
	default:
		return Address{}, fmt.Errorf("address %q: %w: version 0x%02x is not %s's P2PKH (0x%02x) or P2SH (0x%02x)",
			s, ErrAddressNetwork, a.Version, p.Name, p.PubKeyHashAddrID, p.ScriptHashAddrID)
	}
	return a, nil
}

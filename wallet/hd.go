package wallet

import (
	"crypto/sha512"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/mvsgo/mvs"
	"github.com/tyler-smith/go-bip32"
)

// HD errors.
var (
	ErrWatchOnly    = errors.New("wallet: account has no private key (watch-only)")
	ErrInvalidChild = errors.New("wallet: BIP32 child key is invalid at this index (probability 2^-127); use the next index")
	ErrHardened     = errors.New("wallet: MVS addresses use non-hardened indexes below 2^31")
	ErrExtendedKey  = errors.New("wallet: malformed extended key")
	// ErrExtendedKeyNetwork: an extended key whose version bytes belong to another network
	// than the Params it was opened with. Only the JS library's testnet "tpub"/"tprv" can be
	// told apart: the node writes Bitcoin's mainnet "xpub"/"xprv" on every network.
	ErrExtendedKeyNetwork = errors.New("wallet: extended key belongs to another network")
)

// BIP32 serialization version bytes. The node (hd_public.cpp, hd_private.cpp) knows only
// Bitcoin's mainnet pair and writes it on testnet too, so an "xpub" does not say which MVS
// network it is for. The JS library (metaversejs networks.js) writes Bitcoin's testnet pair
// on testnet; those are accepted on networks with testnet addresses and refused on mainnet.
var (
	versionXpub = [4]byte{0x04, 0x88, 0xb2, 0x1e}
	versionXprv = [4]byte{0x04, 0x88, 0xad, 0xe4}
	versionTpub = [4]byte{0x04, 0x35, 0x87, 0xcf}
	versionTprv = [4]byte{0x04, 0x35, 0x83, 0x94}
)

// hardenedIndex is the first hardened child index, 2^31.
const hardenedIndex = bip32.FirstHardenedChild

// Account is an MVS HD account: the BIP32 master key of a BIP39 seed, whose address i is the
// P2PKH address of the non-hardened child m/i (every MVS wallet — the full node, the light
// wallet and the JS/TS libraries — derives this way; none uses BIP44). A watch-only account
// holds only the master public key and chain code, which is all deriving addresses needs.
//
// An Account is immutable and safe for concurrent use. The zero value is not usable: its
// methods return ErrNoParams.
type Account struct {
	params *mvs.Params
	priv   *bip32.Key // nil for watch-only
	// privScalar is priv's key as a secp256k1 scalar, for derivation with btcec's
	// constant-size arithmetic instead of go-bip32's math/big.
	privScalar btcec.ModNScalar
	pub        *btcec.PublicKey
	chainCode  [32]byte
	pubBytes   [33]byte
	// Where an imported xpub sits in its own tree (zero for a master key), and its version
	// bytes, kept so that ExtendedPublicKey gives back the same string.
	version     [4]byte
	depth       byte
	childNumber [4]byte
	fingerprint [4]byte
}

// NewAccountFromMnemonic validates the mnemonic and returns its account on network p.
func NewAccountFromMnemonic(mnemonic string, p *mvs.Params) (*Account, error) {
	if p == nil {
		return nil, ErrNoParams
	}
	seed, err := SeedFromMnemonic(mnemonic, "")
	if err != nil {
		return nil, err
	}
	return NewAccountFromSeed(seed, p)
}

// NewAccountFromSeed returns the account of a BIP39 seed.
func NewAccountFromSeed(seed []byte, p *mvs.Params) (*Account, error) {
	if p == nil {
		return nil, ErrNoParams
	}
	k, err := bip32.NewMasterKey(seed)
	if err != nil {
		return nil, err
	}
	a := &Account{params: p, priv: k, chainCode: [32]byte(k.ChainCode), version: versionXpub}
	if a.privScalar.SetByteSlice(k.Key) || a.privScalar.IsZero() { // go-bip32 refuses these too; this scalar is what derivation uses
		return nil, fmt.Errorf("%w: master key out of range", ErrExtendedKey)
	}
	a.pub = btcec.PrivKeyFromScalar(&a.privScalar).PubKey()
	copy(a.pubBytes[:], a.pub.SerializeCompressed())
	return a, nil
}

// NewWatchOnlyAccount returns an account from an extended public key ("xpub…"), as an
// exchange's deposit service holds it: it derives addresses but can sign nothing. An
// extended private key is accepted too and reduced to its public half.
//
// The node serializes keys with Bitcoin's mainnet version bytes on every network, so an
// xpub cannot say whether it is a mainnet or a testnet key: the same xpub gives "M…"
// addresses with MainNet params and "t…" ones with TestNet. The JS library's testnet
// "tpub"/"tprv" is accepted with testnet-address params and refused on mainnet
// (ErrExtendedKeyNetwork). Any other version, a private version with public key data or the
// reverse, a key that is not on the curve or not in 1..n−1, and a depth-0 key with a parent
// fingerprint or child number (BIP32 test vector 5) are ErrExtendedKey.
func NewWatchOnlyAccount(xpub string, p *mvs.Params) (*Account, error) {
	if p == nil {
		return nil, ErrNoParams
	}
	raw, err := mvs.Base58CheckDecode(xpub)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrExtendedKey, err)
	}
	if len(raw) != 78 {
		return nil, fmt.Errorf("%w: %d bytes, want 78", ErrExtendedKey, len(raw))
	}
	a := &Account{params: p, depth: raw[4]}
	ver := [4]byte(raw[:4])
	copy(a.fingerprint[:], raw[5:9])
	copy(a.childNumber[:], raw[9:13])
	copy(a.chainCode[:], raw[13:45])
	key := raw[45:78]

	private := false
	switch ver {
	case versionXpub:
		a.version = versionXpub
	case versionXprv:
		a.version, private = versionXpub, true
	case versionTpub, versionTprv:
		if !testnetAddresses(p) {
			return nil, fmt.Errorf("%w: a testnet key (version %x, the JS library's testnet form) opened with %s params",
				ErrExtendedKeyNetwork, ver, p.Name)
		}
		a.version, private = versionTpub, ver == versionTprv
	default:
		return nil, fmt.Errorf("%w: unknown version bytes %x (want xpub %x)", ErrExtendedKey, ver, versionXpub)
	}
	if a.depth == 0 && (a.fingerprint != [4]byte{} || a.childNumber != [4]byte{}) {
		return nil, fmt.Errorf("%w: depth 0 with a parent fingerprint or child number", ErrExtendedKey)
	}
	if private {
		if key[0] != 0 {
			return nil, fmt.Errorf("%w: private version with public key data (prefix %02x)", ErrExtendedKey, key[0])
		}
		var s btcec.ModNScalar
		if s.SetByteSlice(key[1:]) || s.IsZero() {
			return nil, fmt.Errorf("%w: private key not in 1..n-1", ErrExtendedKey)
		}
		a.pub = btcec.PrivKeyFromScalar(&s).PubKey()
		s.Zero()
	} else {
		if key[0] != 2 && key[0] != 3 {
			return nil, fmt.Errorf("%w: public version with key data prefix %02x (want 02 or 03)", ErrExtendedKey, key[0])
		}
		if a.pub, err = btcec.ParsePubKey(key); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrExtendedKey, err)
		}
	}
	copy(a.pubBytes[:], a.pub.SerializeCompressed())
	return a, nil
}

// testnetAddresses reports whether p uses the testnet P2PKH version (testnet and regtest):
// where the JS library's tpub is at home.
func testnetAddresses(p *mvs.Params) bool {
	return p.PubKeyHashAddrID == mvs.TestNet().PubKeyHashAddrID
}

// check refuses a nil or zero Account, or one built with nil Params.
func (a *Account) check() error {
	if a == nil || a.params == nil || a.pub == nil {
		return ErrNoParams
	}
	return nil
}

// Params is the account's network (nil for a zero Account).
func (a *Account) Params() *mvs.Params {
	if a == nil {
		return nil
	}
	return a.params
}

// WatchOnly reports whether the account lacks private keys (true for a zero Account).
func (a *Account) WatchOnly() bool { return a == nil || a.priv == nil }

// ExtendedPublicKey is the account's xpub (Bitcoin's version bytes, as the node prints
// them): the master key's, or the imported one as it was given (a tpub stays a tpub). It is
// "" for a zero Account, which has no key.
func (a *Account) ExtendedPublicKey() string {
	if a.check() != nil {
		return ""
	}
	k := &bip32.Key{Version: a.version[:], Key: a.pubBytes[:], ChainCode: a.chainCode[:],
		ChildNumber: append([]byte(nil), a.childNumber[:]...), FingerPrint: append([]byte(nil), a.fingerprint[:]...), Depth: a.depth}
	return k.B58Serialize()
}

// PrivateKey returns the private key of m/i: BIP32 CKDpriv with btcec's scalar arithmetic
// (HMAC-SHA512 over the master's compressed public key and i, plus the master scalar mod
// n), which is a few microseconds where go-bip32's math/big path takes milliseconds, so a
// signer can derive exactly the keys its inputs need among millions. The results are
// go-bip32's (TestPrivateDerivationMatchesBIP32).
func (a *Account) PrivateKey(i uint32) (*btcec.PrivateKey, error) {
	if err := a.check(); err != nil {
		return nil, err
	}
	if a.priv == nil {
		return nil, ErrWatchOnly
	}
	if i >= hardenedIndex {
		return nil, fmt.Errorf("%w: %d", ErrHardened, i)
	}
	k, _, err := ckdPriv(&a.privScalar, &a.pubBytes, &a.chainCode, i)
	if err != nil {
		return nil, fmt.Errorf("m/%d: %w", i, err)
	}
	return btcec.PrivKeyFromScalar(&k), nil
}

// ckdPriv is BIP32 CKDpriv: the child scalar and chain code of parent scalar k (whose
// compressed public key is pub; read only for a non-hardened i) at index i. IL ≥ n or a
// zero child is ErrInvalidChild, as BIP32 says (go-bip32 does not check IL ≥ n).
func ckdPriv(k *btcec.ModNScalar, pub *[33]byte, chainCode *[32]byte, i uint32) (btcec.ModNScalar, [32]byte, error) {
	var data [37]byte
	if i >= hardenedIndex {
		kb := k.Bytes() // 32 bytes, leading zeros kept: the bug test vectors 3 and 4 catch
		copy(data[1:33], kb[:])
		clear(kb[:])
	} else {
		copy(data[:33], pub[:])
	}
	binary.BigEndian.PutUint32(data[33:], i)
	sum := hmacSHA512(chainCode, data[:])
	clear(data[:])
	child, err := childScalar(k, (*[32]byte)(sum[:32]))
	chain := [32]byte(sum[32:])
	clear(sum[:])
	return child, chain, err
}

// childScalar is IL + k mod n, refusing IL ≥ n and a zero result.
func childScalar(k *btcec.ModNScalar, il *[32]byte) (btcec.ModNScalar, error) {
	var child btcec.ModNScalar
	if child.SetBytes(il) != 0 {
		return btcec.ModNScalar{}, fmt.Errorf("%w: IL ≥ n", ErrInvalidChild)
	}
	child.Add(k)
	if child.IsZero() {
		return btcec.ModNScalar{}, fmt.Errorf("%w: zero key", ErrInvalidChild)
	}
	return child, nil
}

// hmacSHA512 is HMAC-SHA512 with a 32-byte key (a chain code) over a message of at most 37
// bytes, on the stack: crypto/hmac allocates two hash states per call, which dominated the
// cost of deriving.
func hmacSHA512(key *[32]byte, msg []byte) [64]byte {
	const block = 128
	var inner [block + 37]byte
	var outer [block + 64]byte
	for j := range block {
		var kb byte
		if j < len(key) {
			kb = key[j]
		}
		inner[j] = kb ^ 0x36
		outer[j] = kb ^ 0x5c
	}
	n := copy(inner[block:], msg)
	ih := sha512.Sum512(inner[:block+n])
	copy(outer[block:], ih[:])
	sum := sha512.Sum512(outer[:])
	clear(inner[:])
	return sum
}

// PublicKey returns the compressed public key of m/i, derived from the master public key
// (BIP32 CKDpub): no private key is needed.
func (a *Account) PublicKey(i uint32) ([33]byte, error) {
	var out [33]byte
	if err := a.check(); err != nil {
		return out, err
	}
	if i >= hardenedIndex {
		return out, fmt.Errorf("%w: %d", ErrHardened, i)
	}
	var data [37]byte
	copy(data[:], a.pubBytes[:])
	binary.BigEndian.PutUint32(data[33:], i)
	sum := hmacSHA512(&a.chainCode, data[:])
	var il btcec.ModNScalar
	if il.SetByteSlice(sum[:32]) { // IL ≥ n
		return out, ErrInvalidChild
	}
	var tweak, parent, child btcec.JacobianPoint
	btcec.ScalarBaseMultNonConst(&il, &tweak)
	a.pub.AsJacobian(&parent)
	btcec.AddNonConst(&tweak, &parent, &child)
	if (child.X.IsZero() && child.Y.IsZero()) || child.Z.IsZero() {
		return out, ErrInvalidChild
	}
	child.ToAffine()
	out[0] = 2 | byte(child.Y.IsOddBit())
	child.X.PutBytesUnchecked(out[1:])
	return out, nil
}

// Address returns the P2PKH address of m/i: the deposit address an exchange hands out. It
// needs only public data, so watch-only accounts derive the same addresses.
func (a *Account) Address(i uint32) (mvs.Address, error) {
	pub, err := a.PublicKey(i)
	if err != nil {
		return mvs.Address{}, err
	}
	return mvs.NewPubKeyAddress(pub[:], a.params), nil
}

// Addresses returns the addresses of m/from … m/(from+count−1).
func (a *Account) Addresses(from, count uint32) ([]mvs.Address, error) {
	if err := a.check(); err != nil {
		return nil, err
	}
	if uint64(from)+uint64(count) > uint64(hardenedIndex) {
		return nil, fmt.Errorf("%w: m/%d … m/%d", ErrHardened, from, uint64(from)+uint64(count)-1)
	}
	out := make([]mvs.Address, 0, min(count, 1<<16)) // count is the caller's: grow rather than trust it
	for i := from; i < from+count; i++ {
		addr, err := a.Address(i)
		if err != nil {
			return nil, fmt.Errorf("m/%d: %w", i, err)
		}
		out = append(out, addr)
	}
	return out, nil
}

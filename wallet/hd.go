package wallet

import (
	"crypto/hmac"
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
)

// Account is an MVS HD account: the BIP32 master key of a BIP39 seed, whose address i is the
// P2PKH address of the non-hardened child m/i (every MVS wallet — the full node, the light
// wallet and the JS/TS libraries — derives this way; none uses BIP44). A watch-only account
// holds only the master public key and chain code, which is all deriving addresses needs.
//
// An Account is immutable and safe for concurrent use.
type Account struct {
	params    *mvs.Params
	priv      *bip32.Key // nil for watch-only
	pub       *btcec.PublicKey
	chainCode [32]byte
	pubBytes  [33]byte
	// Where an imported xpub sits in its own tree (zero for a master key), kept so that
	// ExtendedPublicKey gives back the same string.
	depth       byte
	childNumber [4]byte
	fingerprint [4]byte
}

// NewAccountFromMnemonic validates the mnemonic and returns its account on network p.
func NewAccountFromMnemonic(mnemonic string, p *mvs.Params) (*Account, error) {
	seed, err := SeedFromMnemonic(mnemonic, "")
	if err != nil {
		return nil, err
	}
	return NewAccountFromSeed(seed, p)
}

// NewAccountFromSeed returns the account of a BIP39 seed.
func NewAccountFromSeed(seed []byte, p *mvs.Params) (*Account, error) {
	k, err := bip32.NewMasterKey(seed)
	if err != nil {
		return nil, err
	}
	pub, err := btcec.ParsePubKey(k.PublicKey().Key)
	if err != nil {
		return nil, err
	}
	a := &Account{params: p, priv: k, pub: pub, chainCode: [32]byte(k.ChainCode)}
	copy(a.pubBytes[:], pub.SerializeCompressed())
	return a, nil
}

// NewWatchOnlyAccount returns an account from the master extended public key ("xpub…"), as
// an exchange's deposit service holds it: it derives addresses but can sign nothing.
func NewWatchOnlyAccount(xpub string, p *mvs.Params) (*Account, error) {
	k, err := bip32.B58Deserialize(xpub)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrExtendedKey, err)
	}
	if k.IsPrivate {
		k = k.PublicKey()
	}
	pub, err := btcec.ParsePubKey(k.Key)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrExtendedKey, err)
	}
	a := &Account{params: p, pub: pub, chainCode: [32]byte(k.ChainCode), depth: k.Depth}
	copy(a.childNumber[:], k.ChildNumber)
	copy(a.fingerprint[:], k.FingerPrint)
	copy(a.pubBytes[:], pub.SerializeCompressed())
	return a, nil
}

// Params is the account's network.
func (a *Account) Params() *mvs.Params { return a.params }

// WatchOnly reports whether the account lacks private keys.
func (a *Account) WatchOnly() bool { return a.priv == nil }

// ExtendedPublicKey is the account's xpub (Bitcoin's version bytes, as the node prints
// them): the master key's, or the imported one as it was given.
func (a *Account) ExtendedPublicKey() string {
	k := &bip32.Key{Version: bip32.PublicWalletVersion, Key: a.pubBytes[:], ChainCode: a.chainCode[:],
		ChildNumber: append([]byte(nil), a.childNumber[:]...), FingerPrint: append([]byte(nil), a.fingerprint[:]...), Depth: a.depth}
	return k.B58Serialize()
}

// PrivateKey returns the private key of m/i.
func (a *Account) PrivateKey(i uint32) (*btcec.PrivateKey, error) {
	if a.priv == nil {
		return nil, ErrWatchOnly
	}
	if i >= bip32.FirstHardenedChild {
		return nil, fmt.Errorf("%w: %d", ErrHardened, i)
	}
	c, err := a.priv.NewChildKey(i)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidChild, err)
	}
	priv, _ := btcec.PrivKeyFromBytes(c.Key)
	return priv, nil
}

// PublicKey returns the compressed public key of m/i, derived from the master public key
// (BIP32 CKDpub): no private key is needed.
func (a *Account) PublicKey(i uint32) ([33]byte, error) {
	var out [33]byte
	if i >= bip32.FirstHardenedChild {
		return out, fmt.Errorf("%w: %d", ErrHardened, i)
	}
	mac := hmac.New(sha512.New, a.chainCode[:])
	var data [37]byte
	copy(data[:], a.pubBytes[:])
	binary.BigEndian.PutUint32(data[33:], i)
	mac.Write(data[:])
	var sum [64]byte
	mac.Sum(sum[:0])
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
	copy(out[:], btcec.NewPublicKey(&child.X, &child.Y).SerializeCompressed())
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
	out := make([]mvs.Address, 0, count)
	for i := from; i < from+count; i++ {
		addr, err := a.Address(i)
		if err != nil {
			return nil, fmt.Errorf("m/%d: %w", i, err)
		}
		out = append(out, addr)
	}
	return out, nil
}

package wallet

import (
	"testing"

	"github.com/mvsgo/mvs"
)

const benchMnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"

// BenchmarkDeriveAddress is public derivation (CKDpub with btcec), what Address and a
// watch-only deposit service use.
func BenchmarkDeriveAddress(b *testing.B) {
	a, _ := NewAccountFromMnemonic(benchMnemonic, mvs.MainNet())
	b.ReportAllocs()
	i := uint32(0)
	for b.Loop() {
		if _, err := a.Address(i); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkDeriveAddressNaive is the path a wallet takes without the fast one: private
// child derivation through go-bip32 (math/big curve arithmetic) and the public key from it.
func BenchmarkDeriveAddressNaive(b *testing.B) {
	a, _ := NewAccountFromMnemonic(benchMnemonic, mvs.MainNet())
	b.ReportAllocs()
	i := uint32(0)
	for b.Loop() {
		c, err := a.priv.NewChildKey(i)
		if err != nil {
			b.Fatal(err)
		}
		_ = mvs.NewPubKeyAddress(c.PublicKey().Key, mvs.MainNet()).String()
		i++
	}
}

// BenchmarkDerivePrivateKey is PrivateKey: CKDpriv with btcec scalars.
func BenchmarkDerivePrivateKey(b *testing.B) {
	a, _ := NewAccountFromMnemonic(benchMnemonic, mvs.MainNet())
	b.ReportAllocs()
	i := uint32(0)
	for b.Loop() {
		if _, err := a.PrivateKey(i); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkDerivePrivateKeyBIP32 is the same derivation through go-bip32's NewChildKey,
// which PrivateKey used before.
func BenchmarkDerivePrivateKeyBIP32(b *testing.B) {
	a, _ := NewAccountFromMnemonic(benchMnemonic, mvs.MainNet())
	b.ReportAllocs()
	i := uint32(0)
	for b.Loop() {
		if _, err := a.priv.NewChildKey(i); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

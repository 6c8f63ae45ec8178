package wallet

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/mvsgo/mvs"
	"github.com/tyler-smith/go-bip32"
)

func readJSON(t testing.TB, name string, v any) {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

func TestBIP39Vectors(t *testing.T) {
	var v struct {
		Passphrase string
		Vectors    []struct{ Entropy, Mnemonic, Seed string }
	}
	readJSON(t, "bip39-vectors.json", &v)
	if len(v.Vectors) < 24 {
		t.Fatalf("%d vectors", len(v.Vectors))
	}
	for _, vec := range v.Vectors {
		if err := ValidateMnemonic(vec.Mnemonic); err != nil {
			t.Errorf("%q: %v", vec.Mnemonic, err)
		}
		seed, err := SeedFromMnemonic(vec.Mnemonic, v.Passphrase)
		if err != nil || hex.EncodeToString(seed) != vec.Seed {
			t.Errorf("%q: seed %x %v", vec.Mnemonic, seed, err)
		}
	}
}

func TestMnemonicErrors(t *testing.T) {
	good := "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
	var we *MnemonicWordError
	if err := ValidateMnemonic(strings.Replace(good, "about", "abandon", 1)); !errors.Is(err, ErrMnemonicChecksum) {
		t.Errorf("checksum: %v", err)
	}
	if err := ValidateMnemonic(strings.Replace(good, "about", "aboot", 1)); !errors.As(err, &we) || we.Position != 12 || we.Word != "aboot" {
		t.Errorf("unknown word: %v", err)
	}
	if err := ValidateMnemonic("abandon abandon"); !errors.Is(err, ErrMnemonicWordCount) {
		t.Errorf("count: %v", err)
	}
	m, err := NewMnemonic(0)
	if err != nil || len(strings.Fields(m)) != 24 || ValidateMnemonic(m) != nil {
		t.Fatalf("new mnemonic: %q %v", m, err)
	}
	m2, _ := NewMnemonic(24)
	if m == m2 {
		t.Fatal("two fresh mnemonics are equal")
	}
	if _, err := NewMnemonic(13); !errors.Is(err, ErrMnemonicWordCount) {
		t.Errorf("13 words: %v", err)
	}
}

// TestBIP32Vectors runs the published vectors through go-bip32, which Account builds on,
// including vectors 3 and 4 that catch dropped leading zero bytes.
func TestBIP32Vectors(t *testing.T) {
	var v struct {
		Vectors []struct {
			Seed, Xprv, Xpub string
			Chain            []struct{ Path, Xprv, Xpub string }
		}
	}
	readJSON(t, "bip32-vectors.json", &v)
	var lz struct {
		Vectors []struct{ Seed, Path, Xprv string }
	}
	readJSON(t, "bip32-leading-zeros.json", &lz)
	derive := func(seedHex, path string) *bip32.Key {
		seed, _ := hex.DecodeString(seedHex)
		k, err := bip32.NewMasterKey(seed)
		if err != nil {
			t.Fatal(err)
		}
		for _, part := range strings.Split(path, "/")[1:] {
			hard := strings.HasSuffix(part, "H")
			var n uint32
			for _, c := range strings.TrimSuffix(part, "H") {
				n = n*10 + uint32(c-'0')
			}
			if hard {
				n += bip32.FirstHardenedChild
			}
			if k, err = k.NewChildKey(n); err != nil {
				t.Fatal(err)
			}
		}
		return k
	}
	n := 0
	for _, vec := range v.Vectors {
		if got := derive(vec.Seed, "m").String(); got != vec.Xprv {
			t.Errorf("master %s", got)
		}
		for _, c := range vec.Chain {
			k := derive(vec.Seed, c.Path)
			if k.String() != c.Xprv || k.PublicKey().String() != c.Xpub {
				t.Errorf("%s: %s", c.Path, k)
			}
			n++
		}
	}
	for _, vec := range lz.Vectors {
		if got := derive(vec.Seed, vec.Path).String(); got != vec.Xprv {
			t.Errorf("leading zeros %s: %s", vec.Path, got)
		}
		n++
	}
	if n < 12 {
		t.Fatalf("only %d derivations checked", n)
	}
}

// TestMVSWalletVector: a real MVS wallet's mnemonic gives its root, WIF and address m/0.
func TestMVSWalletVector(t *testing.T) {
	var v struct {
		Mnemonic  string
		RootXprv  string `json:"root_xprv"`
		RootWIF   string `json:"root_wif"`
		AddressM0 string `json:"address_m0"`
	}
	readJSON(t, "mvs-wallet-vectors.json", &v)
	a, err := NewAccountFromMnemonic(v.Mnemonic, mvs.MainNet())
	if err != nil {
		t.Fatal(err)
	}
	if a.priv.String() != v.RootXprv {
		t.Errorf("root %s", a.priv)
	}
	root, _ := btcec.PrivKeyFromBytes(a.priv.Key)
	if EncodeWIF(root, true, mvs.MainNet()) != v.RootWIF {
		t.Errorf("root WIF")
	}
	if addr, err := a.Address(0); err != nil || addr.String() != v.AddressM0 {
		t.Errorf("m/0: %s %v", addr, err)
	}
}

// TestFastDerivationMatchesPrivatePath: public derivation (what Address uses) gives the
// same keys as private derivation through go-bip32, and watch-only accounts agree.
func TestFastDerivationMatchesPrivatePath(t *testing.T) {
	a, err := NewAccountFromMnemonic("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", mvs.TestNet())
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewWatchOnlyAccount(a.ExtendedPublicKey(), mvs.TestNet())
	if err != nil {
		t.Fatal(err)
	}
	for i := uint32(0); i < 50; i++ {
		priv, err := a.PrivateKey(i)
		if err != nil {
			t.Fatal(err)
		}
		want := mvs.NewPubKeyAddress(priv.PubKey().SerializeCompressed(), mvs.TestNet())
		got, _ := a.Address(i)
		gotW, _ := w.Address(i)
		if got != want || gotW != want || !strings.HasPrefix(got.String(), "t") {
			t.Fatalf("m/%d: %s %s %s", i, got, gotW, want)
		}
	}
	if _, err := w.PrivateKey(0); !errors.Is(err, ErrWatchOnly) {
		t.Errorf("watch-only private key: %v", err)
	}
	if _, err := a.Address(1 << 31); !errors.Is(err, ErrHardened) {
		t.Errorf("hardened: %v", err)
	}
}

func TestWIF(t *testing.T) {
	priv, _ := btcec.PrivKeyFromBytes([]byte{1})
	for _, p := range []*mvs.Params{mvs.MainNet(), mvs.TestNet()} {
		for _, comp := range []bool{true, false} {
			s := EncodeWIF(priv, comp, p)
			back, c, err := DecodeWIF(s, p)
			if err != nil || c != comp || !back.Key.Equals(&priv.Key) {
				t.Errorf("%s %v: %v", p.Name, comp, err)
			}
		}
	}
	// The node keeps WIF 0x80 on testnet; the JS/TS libraries' 0xef is refused.
	if s := EncodeWIF(priv, true, mvs.MainNet()); s != "KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU73sVHnoWn" {
		t.Errorf("WIF of key 1: %s", s)
	}
	foreign := mvs.Base58CheckEncode(append([]byte{0xef}, append(make([]byte, 31), 1, 1)...))
	if _, _, err := DecodeWIF(foreign, mvs.TestNet()); !errors.Is(err, ErrWIF) {
		t.Errorf("0xef prefix: %v", err)
	}
}

type usedSet map[string]bool

func (u usedSet) Used(a mvs.Address) (bool, error) { return u[a.String()], nil }

func TestScanGapLimit(t *testing.T) {
	a, _ := NewAccountFromMnemonic("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", mvs.MainNet())
	used := usedSet{}
	for _, i := range []uint32{0, 3, 22} {
		addr, _ := a.Address(i)
		used[addr.String()] = true
	}
	r, err := a.Scan(used, 20)
	if err != nil || len(r.Used) != 3 || r.Next != 23 {
		t.Fatalf("%+v %v", r, err)
	}
	r, _ = a.Scan(used, 5) // the gap after 3 hides 22
	if len(r.Used) != 2 || r.Next != 4 {
		t.Fatalf("gap 5: %+v", r)
	}
}

func BenchmarkDeriveAddress(b *testing.B) {
	a, _ := NewAccountFromMnemonic("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", mvs.MainNet())
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
	a, _ := NewAccountFromMnemonic("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", mvs.MainNet())
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

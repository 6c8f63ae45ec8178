package wallet

import (
	"bytes"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"strconv"
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

// parsePath reads "m/0H/1/2H" into indexes.
func parsePath(t testing.TB, path string) []uint32 {
	t.Helper()
	var out []uint32
	for _, part := range strings.Split(path, "/")[1:] {
		n, err := strconv.ParseUint(strings.TrimSuffix(part, "H"), 10, 31)
		if err != nil {
			t.Fatalf("path %q: %v", path, err)
		}
		if strings.HasSuffix(part, "H") {
			n += uint64(bip32.FirstHardenedChild)
		}
		out = append(out, uint32(n))
	}
	return out
}

// TestCKDPrivVectors walks every published BIP32 path, hardened steps included, with the
// btcec derivation PrivateKey uses, and compares key and chain code with the vector's xprv:
// the leading-zero vectors 3 and 4 catch a dropped zero byte in the hardened data.
func TestCKDPrivVectors(t *testing.T) {
	var v struct {
		Vectors []struct {
			Seed  string
			Chain []struct{ Path, Xprv string }
		}
	}
	readJSON(t, "bip32-vectors.json", &v)
	var lz struct {
		Vectors []struct{ Seed, Path, Xprv string }
	}
	readJSON(t, "bip32-leading-zeros.json", &lz)
	type vec struct{ seed, path, xprv string }
	var all []vec
	for _, x := range v.Vectors {
		for _, c := range x.Chain {
			all = append(all, vec{x.Seed, c.Path, c.Xprv})
		}
	}
	for _, x := range lz.Vectors {
		all = append(all, vec{x.Seed, x.Path, x.Xprv})
	}
	if len(all) < 12 {
		t.Fatalf("only %d vectors", len(all))
	}
	for _, x := range all {
		t.Run(x.path, func(t *testing.T) {
			seed, _ := hex.DecodeString(x.seed)
			a, err := NewAccountFromSeed(seed, mvs.MainNet())
			if err != nil {
				t.Fatal(err)
			}
			k, chain := a.privScalar, a.chainCode
			for _, i := range parsePath(t, x.path) {
				pub := [33]byte(btcec.PrivKeyFromScalar(&k).PubKey().SerializeCompressed())
				if k, chain, err = ckdPriv(&k, &pub, &chain, i); err != nil {
					t.Fatal(err)
				}
			}
			raw, err := mvs.Base58CheckDecode(x.xprv)
			if err != nil {
				t.Fatal(err)
			}
			if got := k.Bytes(); !bytes.Equal(got[:], raw[46:78]) || !bytes.Equal(chain[:], raw[13:45]) {
				t.Errorf("key %x chain %x, want %x %x", got, chain, raw[46:78], raw[13:45])
			}
		})
	}
}

// TestPrivateDerivationMatchesBIP32: PrivateKey gives go-bip32's NewChildKey result for
// many seeds and indexes, including the vector seeds and the largest non-hardened index.
func TestPrivateDerivationMatchesBIP32(t *testing.T) {
	seeds := []string{"000102030405060708090a0b0c0d0e0f",
		"fffcf9f6f3f0edeae7e4e1dedbd8d5d2cfccc9c6c3c0bdbab7b4b1aeaba8a5a29f9c999693908d8a8784817e7b7875726f6c696663605d5a5754514e4b484542",
		"4b381541583be4423346c643850da4b320e46a87ae3d2a4e6da11eba819cd4acba45d239319ac14f863b8d5ab5a0d0c64d2e8a1e7d1457df2e5a3c51c73235be",
		"3ddd5602285899a946114506157c7997e5444528f3003f6134712147db19b678"}
	for j := range 6 {
		h := sha512.Sum512([]byte{byte(j)})
		seeds = append(seeds, hex.EncodeToString(h[:16+8*(j%4)]))
	}
	indexes := []uint32{0, 1, 2, 3, 7, 19, 20, 255, 256, 65535, 1_000_000_000, 1<<31 - 1}
	for _, sh := range seeds {
		seed, _ := hex.DecodeString(sh)
		a, err := NewAccountFromSeed(seed, mvs.TestNet())
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range indexes {
			got, err := a.PrivateKey(i)
			if err != nil {
				t.Fatal(err)
			}
			want, err := a.priv.NewChildKey(i)
			if err != nil {
				t.Fatal(err)
			}
			if gb := got.Key.Bytes(); !bytes.Equal(gb[:], want.Key) {
				t.Errorf("seed %s m/%d: %x, go-bip32 %x", sh[:8], i, gb, want.Key)
			}
		}
	}
}

// TestChildScalarInvalid: IL ≥ n and a zero child key are ErrInvalidChild. Neither can be
// reached with a real seed (probability 2^-127), so the arithmetic is tested directly.
func TestChildScalarInvalid(t *testing.T) {
	n, _ := hex.DecodeString("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
	var k btcec.ModNScalar
	k.SetInt(12345)
	var minusK btcec.ModNScalar
	minusK.NegateVal(&k) // n − k: IL + k = n ≡ 0
	nPlus1 := [32]byte(n)
	nPlus1[31]++
	var ff [32]byte
	for i := range ff {
		ff[i] = 0xff
	}
	for _, c := range []struct {
		name string
		il   [32]byte
		ok   bool
	}{
		{"IL = n", [32]byte(n), false},
		{"IL = n+1", nPlus1, false},
		{"IL = 2^256-1", ff, false},
		{"zero child", minusK.Bytes(), false},
		{"IL = 0", [32]byte{}, true},
		{"IL = 1", [32]byte{31: 1}, true},
	} {
		child, err := childScalar(&k, &c.il)
		if c.ok {
			if err != nil || child.IsZero() {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		if !errors.Is(err, ErrInvalidChild) {
			t.Errorf("%s: %v, want ErrInvalidChild", c.name, err)
		}
	}
}

// TestZeroAccount: a zero Account, a nil *Account and constructors given nil Params return
// ErrNoParams instead of panicking.
func TestZeroAccount(t *testing.T) {
	const words = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
	good, _ := NewAccountFromMnemonic(words, mvs.MainNet())
	if _, err := NewAccountFromMnemonic(words, nil); !errors.Is(err, ErrNoParams) {
		t.Errorf("NewAccountFromMnemonic(nil params): %v", err)
	}
	if _, err := NewAccountFromSeed(make([]byte, 32), nil); !errors.Is(err, ErrNoParams) {
		t.Errorf("NewAccountFromSeed(nil params): %v", err)
	}
	if _, err := NewWatchOnlyAccount(good.ExtendedPublicKey(), nil); !errors.Is(err, ErrNoParams) {
		t.Errorf("NewWatchOnlyAccount(nil params): %v", err)
	}
	for _, a := range []*Account{{}, nil} {
		if a.Params() != nil || !a.WatchOnly() || a.ExtendedPublicKey() != "" {
			t.Errorf("%p: Params %v WatchOnly %v xpub %q", a, a.Params(), a.WatchOnly(), a.ExtendedPublicKey())
		}
		if _, err := a.PrivateKey(0); !errors.Is(err, ErrNoParams) {
			t.Errorf("PrivateKey: %v", err)
		}
		if _, err := a.PublicKey(0); !errors.Is(err, ErrNoParams) {
			t.Errorf("PublicKey: %v", err)
		}
		if _, err := a.Address(0); !errors.Is(err, ErrNoParams) {
			t.Errorf("Address: %v", err)
		}
		if _, err := a.Addresses(0, 3); !errors.Is(err, ErrNoParams) {
			t.Errorf("Addresses: %v", err)
		}
		if _, err := a.Scan(usedSet{}, 5); !errors.Is(err, ErrNoParams) {
			t.Errorf("Scan: %v", err)
		}
	}
	if _, err := good.Scan(nil, 5); !errors.Is(err, ErrNoUsageChecker) {
		t.Errorf("Scan(nil): %v", err)
	}
	if _, err := good.Addresses(1<<31-2, 3); !errors.Is(err, ErrHardened) {
		t.Errorf("Addresses past 2^31: %v", err)
	}
}

// withVersion re-encodes an extended key with other version bytes.
func withVersion(t *testing.T, key string, ver [4]byte) string {
	t.Helper()
	raw, err := mvs.Base58CheckDecode(key)
	if err != nil {
		t.Fatal(err)
	}
	copy(raw, ver[:])
	return mvs.Base58CheckEncode(raw)
}

// TestExtendedKeyNetwork: the node writes xpub on every network, so an xpub opens on both
// (the same keys, each network's addresses); the JS library's testnet tpub opens on
// testnet and regtest and is refused on mainnet with an error naming both networks.
func TestExtendedKeyNetwork(t *testing.T) {
	a, _ := NewAccountFromMnemonic("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", mvs.MainNet())
	xpub := a.ExtendedPublicKey()
	if !strings.HasPrefix(xpub, "xpub") {
		t.Fatalf("xpub %s", xpub)
	}
	onMain, err := NewWatchOnlyAccount(xpub, mvs.MainNet())
	if err != nil {
		t.Fatal(err)
	}
	onTest, err := NewWatchOnlyAccount(xpub, mvs.TestNet())
	if err != nil {
		t.Fatal(err)
	}
	m0, _ := onMain.Address(0)
	t0, _ := onTest.Address(0)
	if m0.Hash != t0.Hash || !strings.HasPrefix(m0.String(), "M") || !strings.HasPrefix(t0.String(), "t") {
		t.Errorf("xpub on both networks: %s %s", m0, t0)
	}

	tpub := withVersion(t, xpub, versionTpub)
	if !strings.HasPrefix(tpub, "tpub") {
		t.Fatalf("tpub %s", tpub)
	}
	for _, p := range []*mvs.Params{mvs.TestNet(), mvs.RegTest()} {
		w, err := NewWatchOnlyAccount(tpub, p)
		if err != nil {
			t.Fatalf("tpub on %s: %v", p.Name, err)
		}
		if got, _ := w.Address(0); got.Hash != m0.Hash {
			t.Errorf("tpub on %s: %s", p.Name, got)
		}
		if w.ExtendedPublicKey() != tpub {
			t.Errorf("tpub round trip: %s", w.ExtendedPublicKey())
		}
	}
	_, err = NewWatchOnlyAccount(tpub, mvs.MainNet())
	if !errors.Is(err, ErrExtendedKeyNetwork) || !strings.Contains(err.Error(), "testnet") || !strings.Contains(err.Error(), "mainnet") {
		t.Errorf("tpub on mainnet: %v", err)
	}
	// A tprv is reduced to its public half, with the same network rule.
	xprv := a.priv.String()
	tprv := withVersion(t, xprv, versionTprv)
	if _, err := NewWatchOnlyAccount(tprv, mvs.MainNet()); !errors.Is(err, ErrExtendedKeyNetwork) {
		t.Errorf("tprv on mainnet: %v", err)
	}
	for _, k := range []string{xprv, tprv} {
		w, err := NewWatchOnlyAccount(k, mvs.TestNet())
		if err != nil || !w.WatchOnly() {
			t.Fatalf("%s: %v", k[:4], err)
		}
		if got, _ := w.Address(0); got.Hash != m0.Hash {
			t.Errorf("%s: %s", k[:4], got)
		}
	}
}

// TestExtendedKeyInvalid: BIP32 test vector 5 and out-of-range private keys are refused
// with ErrExtendedKey (go-bip32's parser accepted most of them).
func TestExtendedKeyInvalid(t *testing.T) {
	var v struct {
		Vectors []struct{ Key, Reason string }
	}
	readJSON(t, "bip32-invalid.json", &v)
	if len(v.Vectors) < 13 {
		t.Fatalf("%d vectors", len(v.Vectors))
	}
	// Private keys 0 and n, in an otherwise valid master xprv.
	n, _ := hex.DecodeString("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
	for name, key := range map[string][]byte{"private key 0 not in 1..n-1": make([]byte, 32), "private key n not in 1..n-1": n} {
		raw := append(append(append(versionXprv[:], make([]byte, 9)...), make([]byte, 32)...), 0)
		raw = append(raw, key...)
		v.Vectors = append(v.Vectors, struct{ Key, Reason string }{mvs.Base58CheckEncode(raw), name})
	}
	for _, c := range v.Vectors {
		for _, p := range []*mvs.Params{mvs.MainNet(), mvs.TestNet()} {
			if _, err := NewWatchOnlyAccount(c.Key, p); !errors.Is(err, ErrExtendedKey) {
				t.Errorf("%s (%s): %v", c.Reason, p.Name, err)
			}
		}
	}
	if _, err := NewWatchOnlyAccount("xpub", mvs.MainNet()); !errors.Is(err, ErrExtendedKey) {
		t.Errorf("short: %v", err)
	}
}

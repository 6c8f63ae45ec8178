package wallet

import (
	"bytes"
	"crypto/aes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
	"github.com/tyler-smith/go-bip39/wordlists"
)

// Findings of a review of this package; each test failed before its fix.

// A matured sequence-locked coin (a PoS stake lock) is spent with its lock as the input's
// sequence, which OP_CHECKSEQUENCEVERIFY needs; a final sequence made it unsignable.
func TestSequenceLockedCoinIsSignable(t *testing.T) {
	f := newFixture(t)
	lock := f.coin(40, f.addr[0], 100*mvs.SatoshiPerETP, tx.Attachment{Version: 1, Type: tx.TypeETP})
	lock.Script = script.SequenceLock(f.addr[0].Hash, 1000)
	f.b.Coins = []Coin{prove(lock)}
	u, err := f.b.Send(Payment{mvs.NewPubKeyHashAddress([20]byte{9}, f.p), 50 * mvs.SatoshiPerETP})
	if err != nil {
		t.Fatal(err)
	}
	if left, err := u.Sign(f.keys, tx.SignOptions{}); err != nil || left != 0 {
		t.Fatalf("sequence %#x: %d left, %v", u.Tx.Inputs[0].Sequence, left, err)
	}
	f.signRoundTrip(t, u)
}

func multisigFixture(t *testing.T) (*fixture, []*btcec.PrivateKey, [][]byte, []byte, *Unsigned, Coin) {
	f := newFixture(t)
	var privs []*btcec.PrivateKey
	var pubs [][]byte
	for i := 0; i < 3; i++ {
		k, _ := f.acct.PrivateKey(uint32(10 + i))
		privs = append(privs, k)
		pubs = append(pubs, k.PubKey().SerializeCompressed())
	}
	redeem, addr, _ := NewMultisig(2, pubs, f.p)
	c := f.coin(30, addr, 10*mvs.SatoshiPerETP, tx.Attachment{Version: 1, Type: tx.TypeETP})
	u, err := f.b.SpendMultisig([]Coin{c}, redeem, Payment{f.addr[0], 4 * mvs.SatoshiPerETP})
	if err != nil {
		t.Fatal(err)
	}
	return f, privs, pubs, redeem, u, c
}

func copyUnsigned(t *testing.T, u *Unsigned) *Unsigned {
	js, _ := json.Marshal(u)
	var c Unsigned
	if err := json.Unmarshal(js, &c); err != nil {
		t.Fatal(err)
	}
	return &c
}

// A bad partial signature from another copy is refused without displacing ours, and the
// object stays usable for honest signers.
func TestCombineRefusesBadPartials(t *testing.T) {
	_, privs, _, _, u, _ := multisigFixture(t)
	a, evil := copyUnsigned(t, u), copyUnsigned(t, u)
	if _, err := a.Sign(NewKeyList(privs[0]), tx.SignOptions{}); err != nil {
		t.Fatal(err)
	}
	k0 := hex.EncodeToString(privs[0].PubKey().SerializeCompressed())
	good := append([]byte(nil), a.Inputs[0].Partial[k0]...)
	k1 := hex.EncodeToString(privs[1].PubKey().SerializeCompressed())
	evil.Inputs[0].Partial = map[string][]byte{k0: {0x30, 0x01, 0x01}, k1: {0x30, 0x01, 0x01}}
	if err := a.Combine(evil); !errors.Is(err, ErrBadPartial) {
		t.Fatalf("combine: %v", err)
	}
	if !bytes.Equal(a.Inputs[0].Partial[k0], good) {
		t.Error("a refused partial replaced ours")
	}
	if _, ok := a.Inputs[0].Partial[k1]; ok {
		t.Error("a refused partial was stored")
	}
	if left, err := a.Sign(NewKeyList(privs[1]), tx.SignOptions{}); err != nil || left != 0 {
		t.Errorf("an honest signer after the refusal: %d left, %v", left, err)
	}
}

// Co-signers' partials that do not commit to every output are refused, so they can never
// stand in for ours and leave the outputs open.
func TestCombineRefusesNonAllPartials(t *testing.T) {
	_, privs, _, redeem, u, _ := multisigFixture(t)
	ours, theirs := copyUnsigned(t, u), copyUnsigned(t, u)
	theirs.Inputs[0].Partial = map[string][]byte{}
	for _, k := range privs[1:] {
		sig, err := theirs.Tx.SignatureFor(0, redeem, k, tx.SignOptions{HashType: script.SigHashNone})
		if err != nil {
			t.Fatal(err)
		}
		theirs.Inputs[0].Partial[hex.EncodeToString(k.PubKey().SerializeCompressed())] = sig
	}
	if _, err := ours.Sign(NewKeyList(privs[0]), tx.SignOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := ours.Combine(theirs); !errors.Is(err, ErrBadPartial) {
		t.Fatalf("SIGHASH_NONE partials accepted: %v", err)
	}
	if _, err := ours.Final(); !errors.Is(err, ErrIncomplete) {
		t.Errorf("completed from SIGHASH_NONE partials: %v", err)
	}
}

// The keystore writer refuses costs the reader would refuse (or argon2 would panic on), and
// the reader refuses a hostile file's costs before running the KDF.
func TestKeystoreKDFBounds(t *testing.T) {
	for _, p := range []KDFParams{
		{Time: maxKDFTime + 1, Memory: 64 * 1024, Threads: 1},
		{Time: 1, Memory: 8, Threads: 4},
		{Time: 1, Memory: 64 * 1024}, // no threads: argon2 panics
		{Time: 1, Memory: maxKDFMemory + 1, Threads: 1},
	} {
		if _, err := WriteKeystore(&Backup{Mnemonic: vectorMnemonic}, "pw", p); !errors.Is(err, ErrKeystoreFormat) {
			t.Errorf("WriteKeystore(%+v): %v", p, err)
		}
	}
	hostile := []byte(`{"format":"` + KeystoreFormat + `","version":1,"network":"","addresses":0,"kdf":"argon2id",` +
		`"kdf_params":{"t":64,"m":4194304,"p":255},"salt":"AAAAAAAAAAAAAAAAAAAAAA==","cipher":"xchacha20-poly1305",` +
		`"nonce":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","ciphertext":"AA=="}`)
	start := time.Now()
	if _, err := ReadKeystore(hostile, "pw"); !errors.Is(err, ErrKeystoreFormat) {
		t.Errorf("hostile costs: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("refusing hostile costs took %v", d)
	}
}

// Forced inputs count against the wallet's input limits.
func TestInputCapHolds(t *testing.T) {
	f := newFixture(t)
	for i := 0; i < MaxInputs; i++ {
		c := f.coin(0, f.addr[1], 0, tx.Attachment{Version: 1, Type: tx.TypeAsset, Payload: &tx.AssetTransfer{Symbol: "DNA", Quantity: 1}})
		c.OutPoint = tx.OutPoint{Hash: mvs.Hash{0xaa, byte(i), byte(i >> 8)}}
		f.b.Coins = append(f.b.Coins, prove(c))
	}
	u, err := f.b.SendAsset(mvs.NewPubKeyHashAddress([20]byte{9}, f.p), "DNA", MaxInputs, "", "")
	if err == nil {
		if n := len(u.Tx.Inputs); n > MaxInputs || n+len(u.Tx.Outputs) > MaxInputsAndOutputs {
			t.Errorf("built %d inputs and %d outputs", n, len(u.Tx.Outputs))
		}
	} else if !errors.Is(err, ErrTooManyInputs) {
		t.Errorf("refused with %v, want ErrTooManyInputs", err)
	}
}

// Surplus ETP on forced inputs below the dust limit goes to the fee, not a dust output.
func TestNoDustChangeFromForcedInputs(t *testing.T) {
	f := newFixture(t)
	mit := f.coin(22, f.addr[0], f.p.MinTxFee+1, tx.Attachment{Version: 1, Type: tx.TypeMIT, Payload: &tx.MIT{Status: 1, Symbol: "TOKEN1", Address: f.addr[0].String()}})
	u, err := f.b.TransferMIT(mit, mvs.NewPubKeyHashAddress([20]byte{9}, f.p))
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range u.Tx.Outputs {
		if o.Attachment.Type == tx.TypeETP && o.Value > 0 && o.Value < f.p.MinTxFee {
			t.Errorf("output %d is %d-satoshi dust change", i, o.Value)
		}
	}
}

// The node stores mnemonics in any of its word lists; the right password opens them.
func TestNonEnglishNodeMnemonic(t *testing.T) {
	for _, c := range []struct {
		name string
		list []string
	}{{"Spanish", wordlists.Spanish}, {"Japanese", wordlists.Japanese}, {"Chinese (simplified)", wordlists.ChineseSimplified}} {
		m := mnemonicIn(t, c.list, bytes.Repeat([]byte{0x5a}, 32))
		blob := nodeBlob(t, m, "pw")
		got, err := DecryptNodeMnemonic(blob, "pw")
		if err != nil || got != m {
			t.Errorf("%s: %q, %v", c.name, got, err)
		}
		if _, err := DecryptNodeMnemonic(nodeBlob(t, m[:len(m)-1]+"x", "pw"), "pw"); !errors.Is(err, ErrWrongPassword) {
			t.Errorf("%s: a damaged mnemonic passed: %v", c.name, err)
		}
	}
}

// mnemonicIn encodes entropy as a BIP39 mnemonic in a word list (independently of the
// checker under test: bits, then the checksum from SHA-256).
func mnemonicIn(t *testing.T, list []string, entropy []byte) string {
	t.Helper()
	sum := sha256.Sum256(entropy)
	bits := new(big.Int).SetBytes(entropy)
	cs := len(entropy) * 8 / 32
	bits.Lsh(bits, uint(cs))
	bits.Or(bits, big.NewInt(int64(sum[0]>>(8-cs))))
	n := (len(entropy)*8 + cs) / 11
	words := make([]string, n)
	mask := big.NewInt(2047)
	for i := n - 1; i >= 0; i-- {
		words[i] = list[new(big.Int).And(bits, mask).Int64()]
		bits.Rsh(bits, 11)
	}
	return strings.Join(words, " ")
}

// nodeBlob encrypts like the node: AES-256-ECB under its password key, zero padding, the
// pad length first.
func nodeBlob(t *testing.T, m, password string) []byte {
	t.Helper()
	plain := []byte(m)
	pad := 16 - len(plain)%16
	plain = append(plain, make([]byte, pad)...)
	block, err := aes.NewCipher(nodeKey(password))
	if err != nil {
		t.Fatal(err)
	}
	blob := []byte{byte(pad)}
	for i := 0; i < len(plain); i += 16 {
		var c [16]byte
		block.Encrypt(c[:], plain[i:i+16])
		blob = append(blob, c[:]...)
	}
	return blob
}

// A cold signer can prove what it spends: previous transactions attached to the object
// are hashed to their outpoints and compared with PrevOuts, and a tampered value is caught.
func TestPrevTxsProveInputs(t *testing.T) {
	f := newFixture(t)
	prev := &tx.Tx{Version: 4, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Hash: mvs.Hash{0x77}}, Script: []byte{0x51}, Sequence: 0xffffffff}},
		Outputs: []tx.Output{{Value: 30 * mvs.SatoshiPerETP, Script: script.PayToAddress(f.addr[0]), Attachment: tx.Attachment{Version: 1, Type: tx.TypeETP}}}}
	coin := Coin{PrevOut: tx.PrevOut{OutPoint: tx.OutPoint{Hash: prev.Hash()}, Value: prev.Outputs[0].Value,
		Script: prev.Outputs[0].Script, Attachment: prev.Outputs[0].Attachment, Height: 2_000_000}}
	f.b.Coins = []Coin{coin}
	u, err := f.b.Send(Payment{mvs.NewPubKeyHashAddress([20]byte{9}, f.p), 4 * mvs.SatoshiPerETP})
	if err != nil {
		t.Fatal(err)
	}
	if err := u.ProvenInputs(); !errors.Is(err, ErrPrevOutMismatch) {
		t.Errorf("unproven inputs reported as proven: %v", err)
	}
	if err := u.AddPrevTxs(prev); err != nil {
		t.Fatal(err)
	}
	offline := copyUnsigned(t, u)
	if err := offline.ProvenInputs(); err != nil {
		t.Fatalf("after a JSON round trip: %v", err)
	}
	if left, err := offline.Sign(f.keys, tx.SignOptions{}); err != nil || left != 0 {
		t.Fatalf("sign: %d left, %v", left, err)
	}
	// The online machine under-states the input (hiding a 26 ETP fee): refused.
	tampered := copyUnsigned(t, u)
	tampered.PrevOuts[0].Value = 4*mvs.SatoshiPerETP + f.p.MinTxFee
	if err := tampered.ProvenInputs(); !errors.Is(err, ErrPrevOutMismatch) {
		t.Errorf("tampered value proven: %v", err)
	}
	if _, err := tampered.Sign(f.keys, tx.SignOptions{}); !errors.Is(err, ErrPrevOutMismatch) {
		t.Errorf("tampered value signed: %v", err)
	}
	if err := u.AddPrevTxs(&tx.Tx{Version: 4, Outputs: []tx.Output{{Value: 1}}}); err != nil {
		t.Errorf("an unrelated transaction is not an error: %v", err)
	}
}

// An imported xpub that is not a master key comes back out unchanged.
func TestWatchOnlyKeepsXpub(t *testing.T) {
	// BIP32 test vector 1, chain m/0H (depth 1).
	const xpub = "xpub68Gmy5EdvgibQVfPdqkBBCHxA5htiqg55crXYuXoQRKfDBFA1WEjWgP6LHhwBZeNK1VTsfTFUHCdrfp1bgwQ9xv5ski8PX9rL2dZXvgGDnw"
	a, err := NewWatchOnlyAccount(xpub, mvs.MainNet())
	if err != nil {
		t.Fatal(err)
	}
	if got := a.ExtendedPublicKey(); got != xpub {
		t.Errorf("re-exported as %s", got)
	}
}

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/chain/regtest"
	"github.com/mvsgo/mvs/did"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/wallet"
)

// A DID login through the CLI: challenge, sign with the DID's key, verify against the
// store and a node; after the DID moves to another address the previous key is refused
// and the new one accepted.
func TestDIDLoginFlow(t *testing.T) {
	pc := newProofChain(t)
	net := pc.net
	first, second := net.Address(1), net.Address(2)
	only := func(a mvs.Address) *wallet.Builder {
		b := net.Builder()
		b.Coins = net.Coins(a)
		return b
	}
	net.Mine(1, net.Build(only(first).RegisterDID(first, "alice")))
	pc.sync(t)
	key1, key2 := pc.wifFile(t, "k1", 1), pc.wifFile(t, "k2", 2)

	login := func(keyFile, domain string) (loginVerdict, string, int, string) {
		t.Helper()
		ch, errOut, code := runCLI(t, "", "did", "challenge", "--domain", "login.example.com")
		if code != 0 || !strings.HasPrefix(ch, "MVS DID login v1\ndomain: login.example.com\n") {
			t.Fatalf("challenge: exit %d %q %s", code, ch, errOut)
		}
		chFile := pc.write(t, "challenge.txt", ch)
		sig, errOut, code := runCLI(t, "", "did", "sign", "--net", "regtest", "--challenge", chFile, "--wif-file", keyFile)
		if code != 0 {
			t.Fatalf("sign: exit %d %s", code, errOut)
		}
		var last loginVerdict
		var lastErr string
		var lastCode int
		for _, src := range [][]string{{"--datadir", pc.datadir}, {"--rpc", pc.rpcURL}} {
			args := append([]string{"did", "verify", "--net", "regtest", "--domain", domain, "--challenge", chFile,
				"--signature", strings.TrimSpace(sig)}, src...)
			out, errOut, code := runCLI(t, "", append(args, "alice")...)
			var v loginVerdict
			if err := json.Unmarshal([]byte(out), &v); err != nil {
				t.Fatalf("verdict %q: %v (%s)", out, err, errOut)
			}
			if lastCode != 0 && code != lastCode || last.Valid != v.Valid && src[0] == "--rpc" {
				t.Fatalf("the store and the node disagree: %+v %+v", last, v)
			}
			last, lastErr, lastCode = v, errOut, code
		}
		return last, lastErr, lastCode, chFile
	}

	v, errOut, code, _ := login(key1, "login.example.com")
	if code != 0 || !v.Valid || v.Address != first.String() || v.DID != "alice" {
		t.Fatalf("alice with her key: exit %d %+v %s", code, v, errOut)
	}
	if v, errOut, code, _ := login(key2, "login.example.com"); code != exitFailure || v.Valid || !strings.Contains(errOut, "proof key does not own the DID's address") {
		t.Fatalf("another key: exit %d %+v %s", code, v, errOut)
	}
	if v, errOut, code, _ := login(key1, "evil.example.com"); code != exitFailure || v.Valid || !strings.Contains(errOut, "made for another domain") {
		t.Fatalf("another domain: exit %d %+v %s", code, v, errOut)
	}

	// alice moves to the second address.
	net.Fund(second, mvs.SatoshiPerETP)
	var didCoin, funding wallet.Coin
	for _, c := range net.Coins(first) {
		if c.Attachment.Type == tx.TypeDID {
			didCoin = c
		}
	}
	for _, c := range net.Coins(second) {
		if c.Attachment.Type == tx.TypeETP {
			funding = c
		}
	}
	u, err := net.Builder().TransferDID(didCoin, funding, second)
	if err != nil {
		t.Fatal(err)
	}
	net.Mine(1, net.Sign(u))
	pc.sync(t)
	if v, errOut, code, _ := login(key1, "login.example.com"); code != exitFailure || v.Valid || !strings.Contains(errOut, "proof key does not own the DID's address") {
		t.Fatalf("alice's previous key: exit %d %+v %s", code, v, errOut)
	}
	if v, errOut, code, _ := login(key2, "login.example.com"); code != 0 || !v.Valid || v.Address != second.String() {
		t.Fatalf("alice's current key: exit %d %+v %s", code, v, errOut)
	}

	// An expired challenge: did sign refuses it, and so does did verify.
	old, err := did.NewLoginChallenge("login.example.com", bytes.NewReader(make([]byte, 32)), time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	oldFile := pc.write(t, "old.txt", old.Text())
	if _, errOut, code := runCLI(t, "", "did", "sign", "--net", "regtest", "--challenge", oldFile, "--wif-file", key2); code != exitFailure ||
		!strings.Contains(errOut, "proof expired") {
		t.Fatalf("sign expired: exit %d %s", code, errOut)
	}
	sig, _ := did.SignLogin(net.Key(2), old)
	if _, errOut, code := runCLI(t, "", "did", "verify", "--net", "regtest", "--domain", "login.example.com", "--challenge", oldFile,
		"--signature", did.EncodeLoginSignature(sig), "--datadir", pc.datadir, "alice"); code != exitFailure || !strings.Contains(errOut, "proof expired") {
		t.Fatalf("verify expired: exit %d %s", code, errOut)
	}
}

func TestDIDErrorLines(t *testing.T) {
	dir := t.TempDir()
	c, err := did.NewLoginChallenge("login.example.com", bytes.NewReader(make([]byte, 32)), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ch := filepath.Join(dir, "c")
	os.WriteFile(ch, []byte(c.Text()), 0o600)
	bad := filepath.Join(dir, "bad")
	os.WriteFile(bad, []byte(strings.Replace(c.Text(), "domain: ", "domain:", 1)), 0o600)
	w := filepath.Join(dir, "w")
	os.WriteFile(w, []byte("x\n"), 0o600)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"did", "challenge"}, "missing --domain"},
		{[]string{"did", "challenge", "--domain", "a b"}, "malformed challenge: domain byte 0x20 at 1 is not printable ASCII"},
		{[]string{"did", "sign", "--challenge", ch}, "missing --wif-file, --mnemonic-file or --keystore"},
		{[]string{"did", "sign", "--challenge", ch, "--mnemonic-file", w}, "missing --address (which of the keys signs)"},
		{[]string{"did", "sign", "--challenge", bad, "--wif-file", w}, "--challenge " + bad + ": malformed challenge: no domain line"},
		{[]string{"did", "sign", "--challenge", ch, "--wif-file", w}, "--wif-file " + w + " line 1: not a WIF private key (bad checksum: a character is wrong)"},
		{[]string{"did", "sign", "--challenge", ch, "--wif-file", w, "--address", "3Ad9ciAKCq9D3bXa7NzicN3Ra3CsUTihXH"}, "--address 3Ad9ciAKCq9D3bXa7NzicN3Ra3CsUTihXH: DID address is not a single-key (P2PKH) address"},
		{[]string{"did", "verify", "alice"}, "missing --domain, --challenge and --signature"},
		{[]string{"did", "verify", "--domain", "d", "--challenge", ch, "--signature", "AA==", "alice"}, "give exactly one of --datadir and --rpc: the DID's address comes from the chain"},
		{[]string{"did", "verify", "--domain", "d", "--challenge", ch, "--signature", "AA==", "--datadir", dir}, "missing DID"},
		{[]string{"did", "verify", "--domain", "d", "--challenge", ch, "--signature", "AA==", "--datadir", dir, "alice"}, "--signature: bad proof signature: not 65 bytes of base64"},
	} {
		out, errOut, code := runCLI(t, "", tc.args...)
		if code != exitFailure || out != "" || errOut != "mvs-cli: "+tc.want+"\n" {
			t.Errorf("%q:\n exit %d, stdout %q\n stderr %q\n want   %q", tc.args, code, out, errOut, "mvs-cli: "+tc.want+"\n")
		}
	}
}

// did sign takes the key from a mnemonic as tx sign does: the key of --address among the
// first --addresses keys.
func TestDIDSignWithMnemonic(t *testing.T) {
	seed, err := wallet.SeedFromMnemonic(signMnemonic, "")
	if err != nil {
		t.Fatal(err)
	}
	pc := newProofChain(t, regtest.WithSeed(seed))
	net := pc.net
	holder := net.Address(3)
	net.Fund(holder, 2*mvs.SatoshiPerETP)
	b := net.Builder()
	b.Coins = net.Coins(holder)
	net.Mine(1, net.Build(b.RegisterDID(holder, "alice")))
	pc.sync(t)
	m := pc.write(t, "m", signMnemonic+"\n")
	ch, _, code := runCLI(t, "", "did", "challenge", "--domain", "login.example.com")
	if code != 0 {
		t.Fatal("challenge")
	}
	chFile := pc.write(t, "c", ch)
	if _, errOut, code := runCLI(t, "", "did", "sign", "--net", "regtest", "--challenge", chFile, "--mnemonic-file", m,
		"--address", holder.String(), "--addresses", "3"); code != exitFailure || !strings.Contains(errOut, "no key for "+holder.String()) {
		t.Fatalf("key beyond --addresses: exit %d %s", code, errOut)
	}
	sig, errOut, code := runCLI(t, "", "did", "sign", "--net", "regtest", "--challenge", chFile, "--mnemonic-file", m,
		"--address", holder.String(), "--addresses", "4")
	if code != 0 {
		t.Fatalf("sign: exit %d %s", code, errOut)
	}
	out, errOut, code := runCLI(t, "", "did", "verify", "--net", "regtest", "--domain", "login.example.com", "--challenge", chFile,
		"--signature", strings.TrimSpace(sig), "--datadir", pc.datadir, "alice")
	if code != 0 || !strings.Contains(out, `"valid": true`) {
		t.Fatalf("verify: exit %d %s %s", code, out, errOut)
	}
}

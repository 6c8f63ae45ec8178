package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/examples/exchange/backend"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
	"github.com/mvsgo/mvs/wallet"
)

// TestCommandRefusals: command lines the program cannot run fail with a message, before
// touching a node or a ledger.
func TestCommandRefusals(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ledger.db")
	tests := []struct {
		name string
		args []string
		want error
		text string
	}{
		{"no command", nil, errUsage, ""},
		{"unknown command", []string{"transfer"}, errUsage, "transfer"},
		{"no xpub", []string{"address", "--db", db, "alice"}, errUsage, "--xpub"},
		{"bad flag", []string{"run", "--nope"}, errUsage, "nope"},
		{"sign without keys", []string{"sign", "--net", "regtest"}, errUsage, "--mnemonic-file"},
		{"sign with both", []string{"sign", "--mnemonic-file", "a", "--keystore", "b"}, errUsage, ""},
		{"bad network", []string{"xpub", "--net", "moon", "--mnemonic-file", "x"}, mvs.ErrUnknownNetwork, ""},
		{"bad xpub", []string{"hot", "--net", "regtest", "--db", db, "--xpub", "xpubnonsense"}, wallet.ErrExtendedKey, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			err := run(context.Background(), tc.args, strings.NewReader(""), &out, &errb)
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error()+errb.String(), tc.text) {
				t.Fatalf("err %v (stderr %q), want %v mentioning %q", err, errb.String(), tc.want, tc.text)
			}
		})
	}
}

// TestCommandsOffline: xpub, address, hot and status need no node; the xpub the signer
// prints derives the addresses the service hands out; the ledger survives between commands.
func TestCommandsOffline(t *testing.T) {
	dir := t.TempDir()
	mf := filepath.Join(dir, "m")
	if err := os.WriteFile(mf, []byte(exchangeMnemonic+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := func(args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		if err := run(context.Background(), args, strings.NewReader(""), &out, &errb); err != nil {
			t.Fatalf("%v: %v %s", args, err, errb.String())
		}
		return out.String()
	}
	xpub := strings.TrimSpace(cmd("xpub", "--net", "regtest", "--mnemonic-file", mf))
	common := []string{"--net", "regtest", "--db", filepath.Join(dir, "ledger.db"), "--xpub", xpub, "--node", "http://127.0.0.1:1"}
	a0 := cmd(append([]string{"address"}, append(common, "alice")...)...)
	a1 := cmd(append([]string{"address"}, append(common, "bob")...)...)
	acct, err := wallet.NewAccountFromMnemonic(exchangeMnemonic, mvs.RegTest())
	if err != nil {
		t.Fatal(err)
	}
	m0, _ := acct.Address(0)
	m1, _ := acct.Address(1)
	hot, _ := acct.Address(backend.HotIndexBase)
	if a0 != m0.String()+" m/0\n" || a1 != m1.String()+" m/1\n" {
		t.Fatalf("addresses %q %q", a0, a1)
	}
	if got := cmd(append([]string{"hot"}, common...)...); got != hot.String()+"\n" {
		t.Fatalf("hot %q", got)
	}
	if got := cmd("status", "--db", filepath.Join(dir, "ledger.db")); !strings.Contains(got, "problems:\n  none") {
		t.Fatalf("status:\n%s", got)
	}
	// cancel reaches the ledger (an unknown withdrawal is named as such).
	var out, errb bytes.Buffer
	if err := run(context.Background(), append([]string{"cancel", "--id", "w-none"}, common...), strings.NewReader(""), &out, &errb); !errors.Is(err, backend.ErrUnknownWithdrawal) {
		t.Fatalf("cancel: %v %s", err, errb.String())
	}
}

// TestDemo runs the README's command: the demo must keep working end to end.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a node")
	}
	// The demo runs its signer as a child: this test binary, acting as the command.
	t.Setenv("EXCHANGE_TEST_AS_COMMAND", "1")
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"demo"}, strings.NewReader(""), &out, &errb); err != nil {
		t.Fatalf("demo: %v\n%s\n%s", err, out.String(), errb.String())
	}
	for _, want := range []string{"withdrawal is confirmed", "alice    {\"ETP\":99990000}", "problems:\n  none"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestSignCommand: the signer reads the mnemonic or a keystore (same signature either way),
// refuses a wrong password and input that is not an unsigned transaction.
func TestSignCommand(t *testing.T) {
	dir := t.TempDir()
	p := mvs.RegTest()
	acct, err := wallet.NewAccountFromMnemonic(exchangeMnemonic, p)
	if err != nil {
		t.Fatal(err)
	}
	hot, _ := acct.Address(backend.HotIndexBase)
	funding := &tx.Tx{Version: 4,
		Inputs:  []tx.Input{{PreviousOutput: tx.OutPoint{Hash: mvs.Hash{1}}, Script: []byte{0x51}, Sequence: 0xffffffff}},
		Outputs: []tx.Output{{Value: 5 * mvs.SatoshiPerETP, Script: script.PayToAddress(hot), Attachment: tx.Attachment{Version: 1, Type: tx.TypeETP}}}}
	coin, err := wallet.CoinFromTx(funding, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	o := acct.Origin(backend.HotIndexBase)
	coin.Origin = &o
	to, _ := acct.Address(3)
	u, err := (&wallet.Builder{Params: p, TipHeight: 20, Coins: []wallet.Coin{coin}}).Send(wallet.Payment{To: to, Amount: mvs.SatoshiPerETP})
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(u)
	if err != nil {
		t.Fatal(err)
	}
	mf := filepath.Join(dir, "mnemonic")
	ks := filepath.Join(dir, "keystore.json")
	pf := filepath.Join(dir, "password")
	bad := filepath.Join(dir, "wrong")
	data, err := wallet.WriteKeystore(&wallet.Backup{Mnemonic: exchangeMnemonic}, "s3cret", wallet.KDFParams{Time: 1, Memory: 64, Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	for f, b := range map[string][]byte{mf: []byte(exchangeMnemonic), ks: data, pf: []byte("s3cret\n"), bad: []byte("guess")} {
		if err := os.WriteFile(f, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	sign := func(stdin []byte, args ...string) (string, error) {
		var out, errb bytes.Buffer
		err := run(context.Background(), append([]string{"sign", "--net", "regtest"}, args...), bytes.NewReader(stdin), &out, &errb)
		return out.String(), err
	}
	a, err := sign(js, "--mnemonic-file", mf)
	if err != nil {
		t.Fatal(err)
	}
	b, err := sign(js, "--keystore", ks, "--password-file", pf)
	if err != nil {
		t.Fatal(err)
	}
	if a != b || len(a) < 100 {
		t.Fatalf("mnemonic and keystore sign differently:\n%s\n%s", a, b)
	}
	raw, err := hex.DecodeString(strings.TrimSpace(a))
	if err != nil {
		t.Fatal(err)
	}
	signed := mustDecode(t, raw)
	if err := signed.VerifyInput(0, coin.Script); err != nil {
		t.Fatalf("signature: %v", err)
	}
	if _, err := sign(js, "--keystore", ks, "--password-file", bad); !errors.Is(err, wallet.ErrWrongPassword) {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := sign([]byte("{}"), "--mnemonic-file", mf); !errors.Is(err, backend.ErrSignerPolicy) {
		t.Fatalf("not an unsigned transaction: %v", err)
	}
	if _, err := sign(js, "--mnemonic-file", mf, "--max-fee", "0.00001"); !errors.Is(err, backend.ErrSignerPolicy) {
		t.Fatalf("fee above the cap: %v", err)
	}
}

func mustDecode(t *testing.T, raw []byte) *tx.Tx {
	t.Helper()
	x, err := tx.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

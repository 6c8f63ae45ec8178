package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
	"github.com/mvsgo/mvs/wallet"
)

// runCLI runs one command line in-process and returns stdout, stderr and the exit status.
func runCLI(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(&env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb}, args)
	return out.String(), errb.String(), code
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

func TestTxDecodeEncodeRoundTrip(t *testing.T) {
	raw := readTestdata(t, "mainnet-mst-transfer.hex")
	out, errOut, code := runCLI(t, "", "tx", "decode", raw)
	if code != 0 {
		t.Fatalf("decode: exit %d: %s", code, errOut)
	}
	var j map[string]any
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"hash", "version", "lock_time", "inputs", "outputs"} {
		if _, ok := j[k]; !ok {
			t.Errorf("decode JSON lacks %q", k)
		}
	}
	o0 := j["outputs"].([]any)[0].(map[string]any)
	att := o0["attachment"].(map[string]any)
	if o0["address"] == "" || att["type"] != "asset-transfer" || att["symbol"] != "DNA" || !strings.Contains(o0["script"].(string), "hash160") {
		t.Errorf("output 0: %v", o0)
	}
	hexOut, errOut, code := runCLI(t, out, "tx", "encode")
	if code != 0 || strings.TrimSpace(hexOut) != raw {
		t.Fatalf("encode: exit %d %s\n%s", code, errOut, hexOut)
	}
	// stdin works for decode too.
	if out2, _, code := runCLI(t, raw+"\n", "tx", "decode"); code != 0 || out2 != out {
		t.Fatalf("decode from stdin differs")
	}
}

func TestBlockDecode(t *testing.T) {
	for _, f := range []string{"mainnet-block-2200000.hex", "mainnet-block-3588504.hex"} {
		out, errOut, code := runCLI(t, "", "block", "decode", readTestdata(t, f))
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", f, code, errOut)
		}
		var j map[string]any
		if err := json.Unmarshal([]byte(out), &j); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"hash", "version", "height", "previous_block_hash", "merkle_root", "timestamp", "bits", "nonce", "mixhash", "transactions"} {
			if _, ok := j[k]; !ok {
				t.Errorf("%s: JSON lacks %q", f, k)
			}
		}
		switch j["version"].(float64) {
		case 1:
			if j["seal_hash"] != "8ab21521efc8b5401696d617efd782d64ad2c55d18b361e1679d0b160a8732df" || j["bits"] != "10350982311247" {
				t.Errorf("PoW block: seal_hash %v bits %v", j["seal_hash"], j["bits"])
			}
		case 2:
			if j["signature"] == nil || j["seal_hash"] != nil {
				t.Errorf("PoS block: %v", j)
			}
		}
	}
}

func TestAddressCommands(t *testing.T) {
	out, _, code := runCLI(t, "", "address", "decode", "MGqHvbaH9wzdr6oUDFz4S1HptjoKQcjRve")
	if code != 0 || !strings.Contains(out, `"hash160": "61fde3bd4e6955c99b16de2d71e2a369888a1c0b"`) || !strings.Contains(out, `"kind": "p2pkh"`) {
		t.Fatalf("decode: %d %s", code, out)
	}
	out, _, code = runCLI(t, "", "address", "encode", "--net", "testnet", "--hash160", "61fde3bd4e6955c99b16de2d71e2a369888a1c0b")
	if code != 0 || !strings.Contains(out, "tFrjjxXTpqg6pUY96ZdbmfFQMadx7wGWdn") {
		t.Fatalf("encode: %d %s", code, out)
	}
	out, _, code = runCLI(t, "", "address", "encode", "--hash160", "61fde3bd4e6955c99b16de2d71e2a369888a1c0b", "--kind", "p2sh")
	if code != 0 || !strings.Contains(out, "3Ad9ciAKCq9D3bXa7NzicN3Ra3CsUTihXH") {
		t.Fatalf("encode p2sh: %d %s", code, out)
	}
}

// TestBadInputOneLine: every kind of bad input is one line on stderr, a non-zero exit, and
// no panic.
func TestBadInputOneLine(t *testing.T) {
	cases := [][]string{
		{"tx", "decode", "zz"},
		{"tx", "decode", "0400"},
		{"tx", "decode", "--net", "bitcoin", "00"},
		{"tx", "frobnicate"},
		{"block", "decode", "01"},
		{"address", "decode", "MGqHvbaH9wzdr6oUDFz4S1HptjoKQcjRvf"},
		{"address", "decode", "--net", "testnet", "MGqHvbaH9wzdr6oUDFz4S1HptjoKQcjRve"},
		{"address", "encode", "--hash160", "00"},
		{"nonsense"},
		{"tx", "decode", "--bogus-flag"},
		{"tx", "sighash", readTestdata(t, "mainnet-mst-transfer.hex"), "--input", "9", "--script", "76"},
		{"asset", "expand", "--amount", "1", "TYPE=1;LQ=9000;LP=60000;UN=3"},
		{"asset", "unlock", "--amount", "10", "--blocks", "5", "PN=0;LH=0;TYPE=1;LQ=9;LP=9;UN=3"},
	}
	for _, args := range cases {
		out, errOut, code := runCLI(t, "", args...)
		if code == 0 || out != "" || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "mvs-cli: ") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	if _, _, code := runCLI(t, "{", "tx", "encode"); code == 0 {
		t.Error("tx encode accepted bad JSON")
	}
}

func TestHelpEverywhere(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"tx", "--help"}, {"tx", "decode", "--help"}, {"tx", "encode", "--help"},
		{"tx", "sighash", "--help"}, {"tx", "verify", "--help"}, {"block", "--help"}, {"block", "decode", "--help"},
		{"address", "--help"}, {"address", "decode", "--help"}, {"address", "encode", "--help"},
		{"asset", "--help"}, {"asset", "expand", "--help"}, {"asset", "unlock", "--help"}} {
		out, errOut, code := runCLI(t, "", args...)
		if code != 0 || !strings.HasPrefix(out, "Usage:") || errOut != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
}

func TestTxVerifyAndSighash(t *testing.T) {
	raw := readTestdata(t, "mainnet-mst-transfer.hex")
	prevouts := impliedPrevOutsFile(t, raw)
	out, errOut, code := runCLI(t, "", "tx", "verify", raw, "--prevouts", prevouts)
	if code != 0 || !strings.Contains(out, `"valid": true`) {
		t.Fatalf("verify: %d %s %s", code, out, errOut)
	}
	bad := raw[:len(raw)-2] + "01" // lock time changed: signatures no longer hold
	out, _, code = runCLI(t, "", "tx", "verify", bad, "--prevouts", prevouts)
	if code != 1 || !strings.Contains(out, `"valid": false`) {
		t.Fatalf("verify of a changed tx: %d %s", code, out)
	}
	out, errOut, code = runCLI(t, "", "tx", "sighash", raw, "--input", "0", "--script", "76a914a146498458042bede92dab626dbc5d0ea030694088ac")
	if code != 0 || len(strings.TrimSpace(out)) != 64 {
		t.Fatalf("sighash: %d %q %s", code, out, errOut)
	}
	_, errOut, code = runCLI(t, "", "tx", "sighash", raw, "--input", "1", "--script", "76", "--type", "single")
	if code == 0 || !strings.Contains(errOut, "SINGLE") {
		t.Fatalf("sighash single at input 1: %d %s", code, errOut)
	}
}

// impliedPrevOutsFile writes, for each input of the P2PKH spend shape, the P2PKH script its
// public key implies, as a --prevouts file.
func impliedPrevOutsFile(t *testing.T, rawHex string) string {
	t.Helper()
	b, _ := hex.DecodeString(rawHex)
	tr, err := tx.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	var prevs []tx.PrevOut
	for _, in := range tr.Inputs {
		s, ok := tx.ImpliedPrevScript(in.Script)
		if !ok {
			t.Fatal("not a P2PKH spend")
		}
		prevs = append(prevs, tx.PrevOut{OutPoint: in.PreviousOutput, Script: s})
	}
	js, _ := json.Marshal(prevs)
	f := t.TempDir() + "/prevouts.json"
	os.WriteFile(f, js, 0o600)
	return f
}

func TestBlockVerify(t *testing.T) {
	for _, f := range []string{"mainnet-block-2200000.hex", "mainnet-block-3588504.hex"} {
		raw := readTestdata(t, f)
		out, errOut, code := runCLI(t, "", "block", "verify", raw)
		if code != 0 || !strings.Contains(out, `"valid": true`) {
			t.Fatalf("%s: exit %d\n%s%s", f, code, out, errOut)
		}
	}
	pow := readTestdata(t, "mainnet-block-2200000.hex")
	if out, _, code := runCLI(t, "", "block", "verify", pow); !strings.Contains(out, `"mix": "e3a309cc023001e9d4f7f0247a0ea02513c83d587c8963fa9dcfd95f677b5982"`) || code != 0 {
		t.Fatalf("seal mix not reported:\n%s", out)
	}
	// Change the nonce (header bytes 108..115): the seal fails, the other checks hold.
	b := []byte(pow)
	b[2*108] = 'f'
	out, _, code := runCLI(t, "", "block", "verify", string(b))
	if code != 1 || !strings.Contains(out, `"valid": false`) || !strings.Contains(out, "mix digest mismatch") || !strings.Contains(out, `"merkle": {`+"\n"+`      "ok": true`) {
		t.Fatalf("changed nonce: exit %d\n%s", code, out)
	}
}

func TestEthashHash(t *testing.T) {
	out, errOut, code := runCLI(t, "", "ethash", "hash", "--height", "0",
		"--seal-hash", "c9149cc0386e689d789a1c2f3d5d169a61a6218ed30e74414dc736e442ef3d1f", "--nonce", "0")
	if code != 0 || !strings.Contains(out, `"mix": "8efaebd6ee84fb8e046ab55045bfbebfa56e587bbfba79cfad2eb6b542802ede"`) ||
		!strings.Contains(out, `"result": "9cc5b2e83ffa344dbb972d81297bea05680a695eb132c1aa733a5f579c17bf80"`) {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, args := range [][]string{{"ethash", "hash", "--height", "x", "--seal-hash", "00", "--nonce", "1"},
		{"ethash", "hash", "--height", "1", "--seal-hash", "00", "--nonce", "1"}, {"ethash", "gen", "--epoch", "1"}} {
		if _, errOut, code := runCLI(t, "", args...); code != 1 || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d %q", args, code, errOut)
		}
	}
}

func TestEthashGenWritesFiles(t *testing.T) {
	dir := t.TempDir()
	_, errOut, code := runCLI(t, "", "ethash", "gen", "--epoch", "0", "--dir", dir)
	if code != 0 || !strings.Contains(errOut, "cache-R23-0000000000000000") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(dir + "/cache-R23-0000000000000000"); err != nil {
		t.Fatal(err)
	}
	// A --dir that cannot hold files is an error, not a silent success.
	notDir := dir + "/file"
	os.WriteFile(notDir, []byte("x"), 0o600)
	if _, errOut, code := runCLI(t, "", "ethash", "gen", "--epoch", "0", "--dir", notDir); code != exitFailure ||
		!strings.Contains(errOut, "could not be written") {
		t.Fatalf("unusable --dir: exit %d %q", code, errOut)
	}
}

func TestWalletCommands(t *testing.T) {
	out, _, code := runCLI(t, "", "wallet", "new")
	var j map[string]string
	if code != 0 || json.Unmarshal([]byte(out), &j) != nil || len(strings.Fields(j["mnemonic"])) != 24 || !strings.HasPrefix(j["first_address"], "M") {
		t.Fatalf("new: %d %s", code, out)
	}
	m := "lunar there win define minor shadow damage lounge bitter abstract sail alcohol yellow left lift vapor tourist rent gloom sustain gym dry congress zero"
	out, _, code = runCLI(t, m, "wallet", "address", "--mnemonic-file", "-", "--index", "0", "--count", "3")
	lines := strings.Fields(out)
	if code != 0 || len(lines) != 3 || lines[0] != "MKXYH2MhpvA3GU7kMk8y3SoywGnyHEj5SB" {
		t.Fatalf("address: %d %q", code, out)
	}
	out, _, _ = runCLI(t, m, "wallet", "address", "--mnemonic-file", "-", "--index", "1")
	if strings.TrimSpace(out) != lines[1] {
		t.Fatalf("index 1: %q vs %q", out, lines[1])
	}
	pw := t.TempDir() + "/pw"
	os.WriteFile(pw, []byte("correct-horse\n"), 0o600)
	out, errOut, code := runCLI(t, "", "wallet", "import-keystore", "../../wallet/testdata/lightwallet-0.2.1.json", "--password-file", pw)
	if code != 0 || !strings.Contains(out, `"first_address": "MKXYH2MhpvA3GU7kMk8y3SoywGnyHEj5SB"`) || strings.Contains(out, "lunar") {
		t.Fatalf("import: %d %s %s", code, out, errOut)
	}
	var imp struct{ Addresses []string }
	json.Unmarshal([]byte(out), &imp)
	if len(imp.Addresses) != 7 {
		t.Fatalf("import: %d addresses, the file records 7", len(imp.Addresses))
	}
	out, _, _ = runCLI(t, "", "wallet", "import-keystore", "../../wallet/testdata/lightwallet-0.2.1.json", "--password-file", pw, "--show-mnemonic")
	if !strings.Contains(out, `"mnemonic": "lunar there`) {
		t.Fatal("--show-mnemonic")
	}
	os.WriteFile(pw, []byte("wrong\n"), 0o600)
	_, errOut, code = runCLI(t, "", "wallet", "import-keystore", "../../wallet/testdata/lightwallet-0.2.1.json", "--password-file", pw)
	if code != 1 || errOut != "mvs-cli: wrong password for ../../wallet/testdata/lightwallet-0.2.1.json\n" {
		t.Fatalf("wrong password: %d %q", code, errOut)
	}
	_, errOut, code = runCLI(t, "abandon abandon", "wallet", "address", "--mnemonic-file", "-", "--index", "0")
	if code != 1 || strings.Count(errOut, "\n") != 1 {
		t.Fatalf("bad mnemonic: %d %q", code, errOut)
	}
}

const signMnemonic = "lunar there win define minor shadow damage lounge bitter abstract sail alcohol yellow left lift vapor tourist rent gloom sustain gym dry congress zero"

// signFixture builds an unsigned send of a 5 ETP coin of signMnemonic's m/0 that carries
// its previous transaction (the proven path, which tx sign requires by default), and
// writes the mnemonic to dir/m.
func signFixture(t *testing.T, dir string) (*wallet.Unsigned, []byte) {
	t.Helper()
	p := mvs.MainNet()
	acct, _ := wallet.NewAccountFromMnemonic(signMnemonic, p)
	a0, _ := acct.Address(0)
	prev := &tx.Tx{Version: 4, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Hash: mvs.Hash{7}, Index: 1}, Script: []byte{0x51}, Sequence: 0xffffffff}},
		Outputs: []tx.Output{{Value: 5e8, Script: script.PayToAddress(a0), Attachment: tx.Attachment{Version: 1, Type: tx.TypeETP}}}}
	coin, err := wallet.CoinFromTx(prev, 0, 2_000_000)
	if err != nil {
		t.Fatal(err)
	}
	b := &wallet.Builder{Params: p, TipHeight: 3_000_000, Coins: []wallet.Coin{coin}}
	u, err := b.Send(wallet.Payment{To: mvs.NewPubKeyHashAddress([20]byte{1}, p), Amount: 1e8})
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(dir+"/m", []byte(signMnemonic+"\n"), 0o600)
	js, _ := json.Marshal(u)
	return u, js
}

// unprovenSignFixture is signFixture with a coin at outpoint that carries no previous
// transaction: what a builder fed from an untrusted source produces.
func unprovenSignFixture(t *testing.T, outpoint tx.OutPoint, dir string) (*wallet.Unsigned, []byte) {
	t.Helper()
	p := mvs.MainNet()
	acct, _ := wallet.NewAccountFromMnemonic(signMnemonic, p)
	a0, _ := acct.Address(0)
	b := &wallet.Builder{Params: p, TipHeight: 3_000_000, Coins: []wallet.Coin{{PrevOut: tx.PrevOut{
		OutPoint: outpoint, Value: 5e8, Script: script.PayToAddress(a0),
		Attachment: tx.Attachment{Version: 1, Type: tx.TypeETP}, Height: 2_000_000}}}}
	u, err := b.Send(wallet.Payment{To: mvs.NewPubKeyHashAddress([20]byte{1}, p), Amount: 1e8})
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(dir+"/m", []byte(signMnemonic+"\n"), 0o600)
	js, _ := json.Marshal(u)
	return u, js
}

func TestTxSign(t *testing.T) {
	p := mvs.MainNet()
	acct, _ := wallet.NewAccountFromMnemonic(signMnemonic, p)
	dir := t.TempDir()
	_, js := signFixture(t, dir)
	out, errOut, code := runCLI(t, string(js), "tx", "sign", "--mnemonic-file", dir+"/m", "--addresses", "3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	os.WriteFile(dir+"/unsigned.json", js, 0o600)
	vOut, _, vCode := runCLI(t, "", "tx", "verify", strings.TrimSpace(out), "--prevouts", dir+"/unsigned.json")
	if vCode != 0 || !strings.Contains(vOut, `"valid": true`) {
		t.Fatalf("signed tx does not verify:\n%s", vOut)
	}
	k0, _ := acct.PrivateKey(0)
	os.WriteFile(dir+"/w", []byte(wallet.EncodeWIF(k0, true, p)+"\n"), 0o600)
	if out2, _, code := runCLI(t, string(js), "tx", "sign", "--wif-file", dir+"/w"); code != 0 || out2 != out {
		t.Fatalf("WIF signing: %d", code)
	}
	os.WriteFile(dir+"/other", []byte(wallet.EncodeWIF(func() *btcec.PrivateKey { k, _ := btcec.NewPrivateKey(); return k }(), true, p)+"\n"), 0o600)
	// A single-key input whose key the signer lacks is an error naming the address, not a
	// co-signer's turn (exit 3 is for multisig only).
	a0, _ := acct.Address(0)
	if _, errOut, code := runCLI(t, string(js), "tx", "sign", "--wif-file", dir+"/other"); code != exitFailure ||
		!strings.Contains(errOut, "no key for input 0") || !strings.Contains(errOut, a0.String()) {
		t.Fatalf("no matching key: %d %s", code, errOut)
	}
}

func TestAssetCommands(t *testing.T) {
	out, errOut, code := runCLI(t, "", "asset", "expand", "--amount", "10000", "TYPE=1;LQ=9000;LP=60000;UN=3")
	if code != 0 || out != "PN=0;LH=20000;TYPE=1;LQ=9000;LP=60000;UN=3\n" {
		t.Errorf("expand: exit %d, %q, %q", code, out, errOut)
	}
	const param = "PN=0;LH=20000;TYPE=1;LQ=9000;LP=60000;UN=3"
	for _, c := range []struct {
		blocks, want string
	}{
		{"25000", `{"available":4000,"locked":6000,"next_param":"PN=1;LH=15000;TYPE=1;LQ=9000;LP=60000;UN=3"}`},
		{"60000", `{"available":10000,"locked":0,"next_param":null}`},
	} {
		out, errOut, code := runCLI(t, "", "asset", "unlock", "--amount", "10000", "--blocks", c.blocks, param)
		if code != 0 || compactJSON(t, out) != c.want {
			t.Errorf("unlock after %s blocks: exit %d, %s %q", c.blocks, code, out, errOut)
		}
	}
}

func compactJSON(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		t.Fatalf("%v: %q", err, s)
	}
	return b.String()
}

// tx sign signs only what previous transactions prove, unless told --allow-unproven.
func TestTxSignRequiresProof(t *testing.T) {
	acct, _ := wallet.NewAccountFromMnemonic(signMnemonic, mvs.MainNet())
	a0, _ := acct.Address(0)
	prev := &tx.Tx{Version: 4, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Hash: mvs.Hash{3}}, Script: []byte{0x51}, Sequence: 0xffffffff}},
		Outputs: []tx.Output{{Value: 5e8, Script: script.PayToAddress(a0), Attachment: tx.Attachment{Version: 1, Type: tx.TypeETP}}}}
	dir := t.TempDir()
	u, js := unprovenSignFixture(t, tx.OutPoint{Hash: prev.Hash()}, dir)
	os.WriteFile(dir+"/prev", []byte(hex.EncodeToString(prev.Bytes())+"\n"), 0o600)
	if _, errOut, code := runCLI(t, string(js), "tx", "sign", "--mnemonic-file", dir+"/m", "--addresses", "3"); code == 0 ||
		!strings.Contains(errOut, "not proven") || !strings.Contains(errOut, "--allow-unproven") {
		t.Errorf("signed unproven inputs: exit %d, %q", code, errOut)
	}
	if _, errOut, code := runCLI(t, string(js), "tx", "sign", "--mnemonic-file", dir+"/m", "--addresses", "3", "--prev-txs", dir+"/prev"); code != 0 {
		t.Errorf("proven inputs refused: exit %d, %q", code, errOut)
	}
	if _, errOut, code := runCLI(t, string(js), "tx", "sign", "--mnemonic-file", dir+"/m", "--addresses", "3", "--allow-unproven"); code != 0 {
		t.Errorf("--allow-unproven refused: exit %d, %q", code, errOut)
	}
	u.PrevOuts[0].Value = 1e8 + 10000 // the builder's JSON under-states the input
	tampered, _ := json.Marshal(u)
	if _, errOut, code := runCLI(t, string(tampered), "tx", "sign", "--mnemonic-file", dir+"/m", "--addresses", "3", "--prev-txs", dir+"/prev"); code == 0 || !strings.Contains(errOut, "not proven") {
		t.Errorf("signed a tampered input value: exit %d, %q", code, errOut)
	}
}

// tx encode reads the reference node's own decoderawtx JSON (a real one, from the MVS
// documentation) back into the node's bytes, and refuses {} and a contradicting etp field
// with a line naming the field.
func TestTxEncodeNodeAndRefusals(t *testing.T) {
	nodeJSON := readTestdata(t, "node-decoderawtx-multisig.json")
	raw := readTestdata(t, "node-decoderawtx-multisig.hex")
	out, errOut, code := runCLI(t, nodeJSON, "tx", "encode")
	if code != 0 || strings.TrimSpace(out) != raw {
		t.Fatalf("node JSON: exit %d %q\n%s", code, errOut, out)
	}
	// The same transaction through tx decode and back.
	decoded, _, _ := runCLI(t, "", "tx", "decode", strings.TrimSpace(raw))
	if again, errOut, code := runCLI(t, decoded, "tx", "encode"); code != 0 || strings.TrimSpace(again) != raw {
		t.Fatalf("decode/encode: exit %d %q", code, errOut)
	}
	for _, c := range []struct{ name, in, want string }{
		{"empty object", "{}", `"inputs" is missing or empty`},
		{"etp contradicts value", strings.Replace(decoded, `"etp": "0.00003344"`, `"etp": "5"`, 1), "outputs[0].etp"},
		{"node JSON, edited value, stale hash", strings.Replace(nodeJSON, `"value": 3344`, `"value": 3345`, 1), "no encoding of these fields hashes to"},
	} {
		_, errOut, code := runCLI(t, c.in, "tx", "encode")
		if code != exitFailure || !strings.Contains(errOut, c.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%s: exit %d %q, want %q", c.name, code, errOut, c.want)
		}
	}
}

package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
	"github.com/mvsgo/mvs/wallet"
)

// runWithPrompt runs one command line in-process with a terminal prompt that answers
// answer and records the questions asked.
func runWithPrompt(t *testing.T, answer string, asked *[]string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		prompt: func(q string) (string, error) { *asked = append(*asked, q); return answer, nil }}
	code := run(e, args)
	return out.String(), errb.String(), code
}

// tx verify without --prevouts marks the inputs whose previous output it assumed and
// exits with status 3: their scripts hold, but nothing said what they spend.
func TestTxVerifyMarksAssumedPrevOuts(t *testing.T) {
	raw := readTestdata(t, "mainnet-mst-transfer.hex")
	out, errOut, code := runCLI(t, "", "tx", "verify", raw)
	if code != exitIncomplete {
		t.Fatalf("exit %d, want %d\n%s%s", code, exitIncomplete, out, errOut)
	}
	if want := "mvs-cli: the scripts hold, but the previous outputs of inputs 0 and 1 were assumed from their public keys, not given: pass --prevouts FILE to verify against them\n"; errOut != want {
		t.Errorf("stderr %q, want %q", errOut, want)
	}
	var v struct {
		Valid          bool  `json:"valid"`
		PrevOutAssumed []int `json:"prevouts_assumed"`
		Inputs         []struct {
			Valid          bool `json:"valid"`
			PrevOutAssumed bool `json:"prevout_assumed"`
		} `json:"inputs"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if !v.Valid || !slices.Equal(v.PrevOutAssumed, []int{0, 1}) || len(v.Inputs) != 2 || !v.Inputs[0].PrevOutAssumed || !v.Inputs[1].PrevOutAssumed {
		t.Errorf("verdict: %s", out)
	}

	// With the previous outputs given: exit 0, nothing assumed.
	prevouts := impliedPrevOutsFile(t, raw)
	out, errOut, code = runCLI(t, "", "tx", "verify", raw, "--prevouts", prevouts)
	if code != 0 || errOut != "" || strings.Contains(out, "assumed") {
		t.Errorf("with --prevouts: exit %d %q\n%s", code, errOut, out)
	}
	// Given ones are used, not assumed: a wrong script fails the input.
	var prevs []tx.PrevOut
	b, _ := os.ReadFile(prevouts)
	json.Unmarshal(b, &prevs)
	prevs[1].Script = script.PayToAddress(mvs.NewPubKeyHashAddress([20]byte{9}, mvs.MainNet()))
	b, _ = json.Marshal(prevs)
	os.WriteFile(prevouts, b, 0o600)
	out, _, code = runCLI(t, "", "tx", "verify", raw, "--prevouts", prevouts)
	if code != exitFailure || !strings.Contains(out, `"valid": false`) || strings.Contains(out, "assumed") {
		t.Errorf("wrong previous script: exit %d\n%s", code, out)
	}
	// A given previous output without a script is not replaced by an assumed one.
	prevs[1].Script = nil
	b, _ = json.Marshal(prevs)
	os.WriteFile(prevouts, b, 0o600)
	out, _, code = runCLI(t, "", "tx", "verify", raw, "--prevouts", prevouts)
	if code != exitFailure || !strings.Contains(out, "the previous output given has no script") || strings.Contains(out, "assumed") {
		t.Errorf("previous output without a script: exit %d\n%s", code, out)
	}
	// A previous output listed for another outpoint is refused.
	prevs[0].OutPoint.Index++
	b, _ = json.Marshal(prevs)
	os.WriteFile(prevouts, b, 0o600)
	if _, errOut, code := runCLI(t, "", "tx", "verify", raw, "--prevouts", prevouts); code != exitFailure || !strings.Contains(errOut, "entry 0 is") {
		t.Errorf("mismatched outpoint: exit %d %q", code, errOut)
	}
}

// No verb takes a secret as a flag value; the old --mnemonic is refused without echoing
// the value, and the mnemonic comes from a file, stdin or the terminal prompt.
func TestSecretsNeverOnTheCommandLine(t *testing.T) {
	for gname, g := range commands() {
		for vname, v := range g.verbs {
			var u *usageError
			if err := v(&env{}, []string{"--help"}); !errors.As(err, &u) {
				t.Fatalf("%s %s --help: %v", gname, vname, err)
			}
			for _, f := range u.flags {
				if strings.HasPrefix(f, "show-") {
					continue // a switch (--show-mnemonic), not a value
				}
				for _, bad := range []string{"mnemonic", "password", "wif", "seed", "key", "secret", "passphrase", "private"} {
					if (f == bad || strings.HasPrefix(f, bad+"-") || strings.HasSuffix(f, "-"+bad)) && !strings.HasSuffix(f, "-file") {
						t.Errorf("%s %s takes a secret as the value of --%s", gname, vname, f)
					}
				}
			}
		}
	}
	const want0 = "MKXYH2MhpvA3GU7kMk8y3SoywGnyHEj5SB\n"
	_, errOut, code := runCLI(t, "", "wallet", "address", "--mnemonic", signMnemonic)
	if code != exitFailure || strings.Contains(errOut, "lunar") ||
		errOut != "mvs-cli: --mnemonic was removed: a secret on the command line stays in shell history and the process list; use --mnemonic-file F (- for stdin) or answer the prompt\n" {
		t.Errorf("--mnemonic: exit %d %q", code, errOut)
	}
	if _, errOut, _ := runCLI(t, "", "wallet", "address", "--mnemonic="+signMnemonic); strings.Contains(errOut, "lunar") {
		t.Errorf("--mnemonic=...: %q", errOut)
	}
	dir := t.TempDir()
	os.WriteFile(dir+"/m", []byte(signMnemonic+"\n"), 0o600)
	if out, errOut, code := runCLI(t, "", "wallet", "address", "--mnemonic-file", dir+"/m"); code != 0 || out != want0 {
		t.Errorf("--mnemonic-file: exit %d %q %q", code, out, errOut)
	}
	if out, errOut, code := runCLI(t, signMnemonic, "wallet", "address", "--mnemonic-file", "-"); code != 0 || out != want0 {
		t.Errorf("--mnemonic-file -: exit %d %q %q", code, out, errOut)
	}
	var asked []string
	if out, errOut, code := runWithPrompt(t, signMnemonic, &asked, "wallet", "address"); code != 0 || out != want0 || !slices.Equal(asked, []string{"Mnemonic: "}) {
		t.Errorf("prompt: exit %d %q %q, asked %q", code, out, errOut, asked)
	}
	if _, errOut, code := runCLI(t, "", "wallet", "address"); code != exitFailure ||
		errOut != "mvs-cli: cannot ask for the mnemonic: no terminal; give --mnemonic-file F (- for stdin)\n" {
		t.Errorf("no terminal: exit %d %q", code, errOut)
	}
	// A misspelled word is located, not repeated.
	os.WriteFile(dir+"/typo", []byte(strings.Replace(signMnemonic, "lunar", "lunnar", 1)), 0o600)
	if _, errOut, _ := runCLI(t, "", "wallet", "address", "--mnemonic-file", dir+"/typo"); strings.Contains(errOut, "lunnar") || !strings.Contains(errOut, "word 1 ") {
		t.Errorf("typo: %q", errOut)
	}

	// tx sign: the JSON from a file and the mnemonic on stdin; both on stdin is refused.
	_, js := signFixture(t, dir)
	os.WriteFile(dir+"/u.json", js, 0o600)
	want, _, code := runCLI(t, string(js), "tx", "sign", "--mnemonic-file", dir+"/m", "--addresses", "3")
	if code != 0 {
		t.Fatalf("tx sign: exit %d", code)
	}
	if out, errOut, code := runCLI(t, signMnemonic, "tx", "sign", "--unsigned", dir+"/u.json", "--mnemonic-file", "-", "--addresses", "3"); code != 0 || out != want {
		t.Errorf("tx sign --mnemonic-file -: exit %d %q", code, errOut)
	}
	if _, errOut, code := runCLI(t, string(js), "tx", "sign", "--mnemonic-file", "-"); code != exitFailure ||
		errOut != "mvs-cli: stdin is already used for the offline-signing JSON: give the mnemonic in a file\n" {
		t.Errorf("two readers of stdin: exit %d %q", code, errOut)
	}
	// A WIF key with one wrong character is not repeated on stderr.
	k0, _ := func() (*wallet.Account, error) { return wallet.NewAccountFromMnemonic(signMnemonic, mvs.MainNet()) }()
	priv, _ := k0.PrivateKey(0)
	wif := []byte(wallet.EncodeWIF(priv, true, mvs.MainNet()))
	wif[10] ^= 1
	os.WriteFile(dir+"/w", append(wif, '\n'), 0o600)
	if _, errOut, code := runCLI(t, string(js), "tx", "sign", "--wif-file", dir+"/w"); code != exitFailure ||
		strings.Contains(errOut, string(wif[:20])) || !strings.Contains(errOut, "line 1: not a WIF private key") {
		t.Errorf("bad WIF: exit %d %q", code, errOut)
	}
}

// Every verb's --help describes that verb: its usage line, every flag it defines, and its
// exit statuses; every group's --help lists its verbs.
func TestEveryVerbHelp(t *testing.T) {
	for gname, g := range commands() {
		out, errOut, code := runCLI(t, "", gname, "--help")
		if code != 0 || errOut != "" || !strings.HasPrefix(out, "Usage: mvs-cli "+gname+" VERB") {
			t.Errorf("%s --help: exit %d %q", gname, code, out)
		}
		for vname := range g.verbs {
			if !strings.Contains(out, "\n  "+vname+" ") {
				t.Errorf("%s --help does not list %s", gname, vname)
			}
			out, errOut, code := runCLI(t, "", gname, vname, "--help")
			if code != 0 || errOut != "" || !strings.HasPrefix(out, "Usage: mvs-cli "+gname+" "+vname+" ") {
				t.Errorf("%s %s --help: exit %d, stdout %.60q, stderr %q", gname, vname, code, out, errOut)
			}
			if !strings.Contains(out, "\nExit status: 0 ") {
				t.Errorf("%s %s --help names no exit statuses", gname, vname)
			}
			var u *usageError
			if err := dispatch(&env{}, []string{gname, vname, "-h"}); !errors.As(err, &u) || !u.help {
				t.Fatalf("%s %s -h: %v", gname, vname, err)
			}
			for _, f := range u.flags {
				if !strings.Contains(u.text, "--"+f+" ") {
					t.Errorf("%s %s --help does not describe --%s", gname, vname, f)
				}
			}
		}
	}
	if out, _, code := runCLI(t, "", "--help"); code != 0 || !strings.Contains(out, "Exit status:") {
		t.Errorf("mvs-cli --help: %d %q", code, out)
	}
}

// Bad command lines get exactly one plain sentence on stderr: no doubled prefixes, no Go
// types, the missing flag or argument named.
func TestErrorLines(t *testing.T) {
	rawTx := readTestdata(t, "mainnet-mst-transfer.hex")
	dir := t.TempDir()
	os.WriteFile(dir+"/pv.json", []byte(`[{"value":"5"}]`), 0o600)
	os.WriteFile(dir+"/bad.json", []byte(`{"format":"mvsgo-unsigned-tx","version":"1"}`), 0o600)
	os.WriteFile(dir+"/w", []byte("x\n"), 0o600)
	for _, c := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"", []string{"nonsense"}, `unknown command "nonsense" (see mvs-cli --help)`},
		{"", []string{"tx", "frobnicate"}, `tx has no verb "frobnicate" (see mvs-cli tx --help)`},
		{"", []string{"tx", "decode", "--bogus-flag"}, `tx decode has no flag --bogus-flag (see mvs-cli tx decode --help)`},
		{"", []string{"tx", "decode", "--net"}, `--net needs a value`},
		{"", []string{"tx", "decode", "--net", "bitcoin", "00"}, `--net "bitcoin": want mainnet, testnet or regtest`},
		{"", []string{"tx", "decode", "zz"}, `transaction hex is not hex: 'z' is not a hex digit`},
		{"", []string{"tx", "decode", "abc"}, `transaction hex is not hex: an odd number of digits`},
		{"", []string{"tx", "decode"}, `missing HEX (the transaction hex, as an argument or on stdin)`},
		{"", []string{"tx", "decode", "00", "11"}, `unexpected argument "11" (one HEX only)`},
		{"", []string{"tx", "decode", "0400"}, `not a transaction: version at offset 0: unexpected end of data: need 4 bytes, 2 left`},
		{"", []string{"tx", "sighash", rawTx}, `missing --input and --script`},
		{"", []string{"tx", "sighash", rawTx, "--script", "76"}, `missing --input`},
		{"", []string{"tx", "sighash", rawTx, "--input", "x", "--script", "76"}, `--input "x": not a number`},
		{"", []string{"tx", "sighash", rawTx, "--input", "9", "--script", "76"}, `--input 9: the transaction has inputs 0 to 1`},
		{"", []string{"tx", "verify", rawTx, "--prevouts", dir + "/none"}, `--prevouts ` + dir + `/none: no such file or directory`},
		{"", []string{"tx", "verify", rawTx, "--prevouts", dir + "/pv.json"}, `--prevouts ` + dir + `/pv.json: previous output: field "value" holds a string, want a number`},
		{"{", []string{"tx", "encode"}, `transaction JSON: the JSON ends early`},
		{`{"version":"x"}`, []string{"tx", "encode"}, `transaction JSON: field "version" holds a string, want a number`},
		{`[]`, []string{"tx", "encode"}, `transaction JSON: the JSON holds an array where an object is expected`},
		{`{"bogus":1}`, []string{"tx", "encode"}, `transaction JSON: unknown field "bogus"`},
		{"", []string{"tx", "sign"}, `missing --wif-file, --mnemonic-file or --keystore`},
		{"", []string{"tx", "sign", "--wif-file", dir + "/w", "--keystore", "k"}, `give only one of --wif-file, --mnemonic-file and --keystore`},
		{"", []string{"tx", "sign", "--wif-file", dir + "/w"}, `missing the offline-signing JSON (--unsigned FILE or stdin)`},
		{"", []string{"tx", "sign", "--wif-file", dir + "/w", "--unsigned", dir + "/bad.json"}, `offline-signing JSON: malformed unsigned transaction: field "version" holds a string, want a number`},
		{"", []string{"tx", "sign-raw", "--wif-file", dir + "/w"}, `missing --prevout, --prevouts or --prev-txs (the outputs the inputs spend)`},
		{"", []string{"tx", "sign-raw", rawTx, "--wif-file", dir + "/w", "--prevout", "x"}, `--prevout "x": want TXID:INDEX:SCRIPT:VALUE`},
		{"", []string{"block", "decode", "01"}, `not a block: header.version at offset 0: unexpected end of data: need 4 bytes, 1 left`},
		{"", []string{"block", "verify"}, `missing HEX (the block hex, as an argument or on stdin)`},
		{"", []string{"block", "header", "00"}, `a block header is 148 bytes, got 1`},
		{"", []string{"address", "decode"}, `missing ADDRESS`},
		{"", []string{"address", "decode", "MGqHvbaH9wzdr6oUDFz4S1HptjoKQcjRvf"}, `MGqHvbaH9wzdr6oUDFz4S1HptjoKQcjRvf is not an address: its checksum does not match (a character is wrong)`},
		{"", []string{"address", "decode", "--net", "testnet", "MGqHvbaH9wzdr6oUDFz4S1HptjoKQcjRve"}, `MGqHvbaH9wzdr6oUDFz4S1HptjoKQcjRve is an address of another network: mainnet, not testnet (drop --net or pass --net mainnet)`},
		{"", []string{"address", "decode", "--net", "mainnet", "tFrjjxXTpqg6pUY96ZdbmfFQMadx7wGWdn"}, `tFrjjxXTpqg6pUY96ZdbmfFQMadx7wGWdn is an address of another network: testnet or regtest, not mainnet (drop --net or pass --net testnet)`},
		{"", []string{"address", "encode"}, `missing --hash160, --pubkey or --redeem-script`},
		{"", []string{"address", "encode", "--hash160", "00"}, `--hash160 must be 20 bytes, got 1`},
		{"", []string{"wallet", "import-keystore"}, `missing FILE (the keystore)`},
		{"", []string{"wallet", "import-keystore", dir + "/none"}, `keystore ` + dir + `/none: no such file or directory`},
		{"", []string{"wallet", "new", "--words", "13"}, `--words 13: a mnemonic has 12, 15, 18, 21 or 24 words: asked for 13`},
		{"", []string{"ethash", "hash"}, `missing --height, --seal-hash and --nonce`},
		{"", []string{"ethash", "gen", "--epoch", "1"}, `missing --dir`},
		{"", []string{"asset", "expand"}, `missing --amount and MODEL`},
		{"", []string{"asset", "unlock", "--amount", "5", "X"}, `missing --blocks`},
		{"", []string{"asset", "expand", "--amount", "1", "TYPE=1;LQ=9000;LP=60000;UN=3"}, `attenuation model TYPE=1;LQ=9000;LP=60000;UN=3: LQ 9000 is above the amount 1`},
		{"", []string{"script", "encode"}, `missing ASM (the script, as arguments or on stdin)`},
	} {
		out, errOut, code := runCLI(t, c.stdin, c.args...)
		if code != exitFailure || out != "" || errOut != "mvs-cli: "+c.want+"\n" {
			t.Errorf("%q:\n exit %d, stdout %q\n stderr %q\n want   %q", c.args, code, out, errOut, "mvs-cli: "+c.want+"\n")
		}
		for _, bad := range []string{"%!", "Go ", "mvs.", "tx.", "codec.", "*", "mvs-cli: mvs-cli", "json: cannot", " json: ", "wallet: ", "mvs: "} {
			if strings.Contains(errOut, bad) {
				t.Errorf("%q: stderr %q holds %q", c.args, errOut, bad)
			}
		}
	}
}

// An address error from a library names the --net that would accept the address.
func TestAddressNetworkHint(t *testing.T) {
	_, err := mvs.DecodeAddress("tFrjjxXTpqg6pUY96ZdbmfFQMadx7wGWdn", mvs.MainNet())
	got := plainError(err)
	if !strings.HasSuffix(got, "(it is valid with --net testnet or --net regtest)") || strings.Contains(got, "mvs: ") {
		t.Errorf("%q", got)
	}
}

// address decode takes the network from an unambiguous version byte and prints it.
func TestAddressDecodeInfersNetwork(t *testing.T) {
	for _, c := range []struct {
		args    []string
		network string
		validOn []string
	}{
		{[]string{"tFrjjxXTpqg6pUY96ZdbmfFQMadx7wGWdn"}, "testnet", []string{"testnet", "regtest"}},
		{[]string{"--net", "regtest", "tFrjjxXTpqg6pUY96ZdbmfFQMadx7wGWdn"}, "regtest", []string{"testnet", "regtest"}},
		{[]string{"MGqHvbaH9wzdr6oUDFz4S1HptjoKQcjRve"}, "mainnet", []string{"mainnet"}},
		{[]string{"3Ad9ciAKCq9D3bXa7NzicN3Ra3CsUTihXH"}, "mainnet", []string{"mainnet", "testnet", "regtest"}},
		{[]string{"--net", "testnet", "3Ad9ciAKCq9D3bXa7NzicN3Ra3CsUTihXH"}, "testnet", []string{"mainnet", "testnet", "regtest"}},
		{[]string{mvs.BlackholeAddress}, "mainnet", []string{"mainnet", "testnet", "regtest"}},
	} {
		out, errOut, code := runCLI(t, "", append([]string{"address", "decode"}, c.args...)...)
		var j addressJSON
		if code != 0 || json.Unmarshal([]byte(out), &j) != nil || j.Network != c.network || !slices.Equal(j.ValidOn, c.validOn) {
			t.Errorf("%v: exit %d %q\n%s", c.args, code, errOut, out)
		}
	}
}

// block verify of a network's genesis block says it is valid by definition.
func TestBlockVerifyGenesis(t *testing.T) {
	for _, p := range []*mvs.Params{mvs.MainNet(), mvs.TestNet(), mvs.RegTest()} {
		g, err := block.Genesis(p)
		if err != nil {
			t.Fatal(err)
		}
		out, errOut, code := runCLI(t, "", "block", "verify", "--net", p.Name, hex.EncodeToString(g.Bytes()))
		var v blockVerdict
		if code != 0 || json.Unmarshal([]byte(out), &v) != nil || !v.Valid || v.Genesis != p.Name || v.Hash != p.GenesisHash.String() || v.Seal != nil {
			t.Errorf("%s: exit %d %q\n%s", p.Name, code, errOut, out)
		}
	}
	g, _ := block.Genesis(mvs.TestNet())
	if _, errOut, code := runCLI(t, "", "block", "verify", hex.EncodeToString(g.Bytes())); code != exitFailure ||
		errOut != "mvs-cli: this is the testnet genesis block, not mainnet's: pass --net testnet\n" {
		t.Errorf("testnet genesis on mainnet: exit %d %q", code, errOut)
	}
	// A changed genesis is not the genesis: it is checked, and fails.
	g, _ = block.Genesis(mvs.MainNet())
	g.Header.Timestamp++
	if out, _, code := runCLI(t, "", "block", "verify", hex.EncodeToString(g.Bytes())); code != exitFailure || strings.Contains(out, "genesis") {
		t.Errorf("changed genesis: exit %d\n%s", code, out)
	}
}

// block header decodes a header alone, with block decode's field names and values.
func TestBlockHeader(t *testing.T) {
	for _, f := range []string{"mainnet-block-2200000.hex", "mainnet-block-3588504.hex"} {
		raw := readTestdata(t, f)
		full, _, _ := runCLI(t, "", "block", "decode", raw)
		out, errOut, code := runCLI(t, "", "block", "header", raw[:2*mvs.HeaderSize])
		if code != 0 {
			t.Fatalf("%s: exit %d %q", f, code, errOut)
		}
		var hdr, blk map[string]any
		json.Unmarshal([]byte(out), &hdr)
		json.Unmarshal([]byte(full), &blk)
		if len(hdr) < 9 {
			t.Fatalf("%s: %s", f, out)
		}
		for k, v := range hdr {
			if blk[k] != v {
				t.Errorf("%s: header %s = %v, block decode says %v", f, k, v, blk[k])
			}
		}
		for _, k := range []string{"transactions", "transaction_count", "signature"} {
			if _, ok := hdr[k]; ok {
				t.Errorf("%s: header JSON has %q", f, k)
			}
		}
		if pow := hdr["version"] == float64(1); pow != (hdr["seal_hash"] != nil) {
			t.Errorf("%s: seal_hash %v for version %v", f, hdr["seal_hash"], hdr["version"])
		}
		if _, errOut, code := runCLI(t, "", "block", "header", raw); code != exitFailure || !strings.HasSuffix(errOut, "(for a whole block use block decode)\n") {
			t.Errorf("%s whole block: exit %d %q", f, code, errOut)
		}
	}
}

// tx sign-raw signs a raw unsigned transaction from its hex and previous outputs, with
// the same result as tx sign on the offline-signing JSON.
func TestTxSignRaw(t *testing.T) {
	acct, _ := wallet.NewAccountFromMnemonic(signMnemonic, mvs.MainNet())
	a0, _ := acct.Address(0)
	prev := &tx.Tx{Version: 4, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Hash: mvs.Hash{3}}, Script: []byte{0x51}, Sequence: 0xffffffff}},
		Outputs: []tx.Output{{Value: 5e8, Script: script.PayToAddress(a0), Attachment: tx.Attachment{Version: 1, Type: tx.TypeETP}}}}
	dir := t.TempDir()
	u, js := unprovenSignFixture(t, tx.OutPoint{Hash: prev.Hash()}, dir)
	os.WriteFile(dir+"/prev", []byte(hex.EncodeToString(prev.Bytes())+"\n"), 0o600)
	want, errOut, code := runCLI(t, string(js), "tx", "sign", "--mnemonic-file", dir+"/m", "--addresses", "3", "--prev-txs", dir+"/prev")
	if code != 0 {
		t.Fatalf("tx sign: exit %d %q", code, errOut)
	}
	rawHex := hex.EncodeToString(u.Tx.Bytes())
	po := prev.Hash().String() + ":0:" + hex.EncodeToString(prev.Outputs[0].Script) + ":"
	keys := []string{"--mnemonic-file", dir + "/m", "--addresses", "3"}
	for _, c := range []struct {
		name  string
		stdin string
		args  []string
	}{
		{"--prevout, trusted", "", []string{rawHex, "--prevout", po + "500000000", "--allow-unproven"}},
		{"hex on stdin", rawHex + "\n", []string{"--prevout", po + "500000000", "--allow-unproven"}},
		{"--prev-txs alone", "", []string{rawHex, "--prev-txs", dir + "/prev"}},
		{"--prevout and --prev-txs", "", []string{rawHex, "--prevout", po + "500000000", "--prev-txs", dir + "/prev"}},
	} {
		out, errOut, code := runCLI(t, c.stdin, append(append([]string{"tx", "sign-raw"}, c.args...), keys...)...)
		if code != 0 || out != want {
			t.Errorf("%s: exit %d %q\n%s", c.name, code, errOut, out)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{rawHex, "--prevout", po + "5.0"}, "VALUE is in satoshi, an integer (1 ETP is 100000000)"},
		{[]string{rawHex, "--prevout", po + "400000000", "--prev-txs", dir + "/prev"}, "input 0: the previous output given is 400000000 satoshi"},
		{[]string{rawHex, "--prevout", po + "500000000", "--prevout", strings.Replace(po, ":0:", ":1:", 1) + "1"}, "is not spent by the transaction"},
		{[]string{rawHex, "--prevout", po + "500000000"}, "not proven"},
		{[]string{rawHex, "--prevout", strings.Replace(po, ":0:", ":1:", 1) + "1"}, "missing --prevout for input 0 (" + prev.Hash().String() + ":0)"},
	} {
		_, errOut, code := runCLI(t, "", append(append([]string{"tx", "sign-raw"}, c.args...), keys...)...)
		if code != exitFailure || !strings.Contains(errOut, c.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d %q, want %q", c.args[1:], code, errOut, c.want)
		}
	}
}

// tx sign-raw signs a P2SH multisig input with --redeem-script; with one key of two it
// prints the JSON that tx sign completes with the other. Without the redeem script it
// refuses, naming the flag.
func TestTxSignRawMultisig(t *testing.T) {
	p := mvs.MainNet()
	acct, _ := wallet.NewAccountFromMnemonic(signMnemonic, p)
	k0, _ := acct.PrivateKey(0)
	k1, _ := acct.PrivateKey(1)
	redeem, addr, err := wallet.NewMultisig(2, [][]byte{k0.PubKey().SerializeCompressed(), k1.PubKey().SerializeCompressed()}, p)
	if err != nil {
		t.Fatal(err)
	}
	unsigned := &tx.Tx{Version: 4, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Hash: mvs.Hash{5}, Index: 2}, Sequence: 0xffffffff}},
		Outputs: []tx.Output{{Value: 4e8, Script: script.PayToAddress(mvs.NewPubKeyHashAddress([20]byte{1}, p)), Attachment: tx.Attachment{Version: 1, Type: tx.TypeETP}}}}
	dir := t.TempDir()
	os.WriteFile(dir+"/w0", []byte(wallet.EncodeWIF(k0, true, p)+"\n"), 0o600)
	os.WriteFile(dir+"/w1", []byte(wallet.EncodeWIF(k1, true, p)+"\n"), 0o600)
	rawHex := hex.EncodeToString(unsigned.Bytes())
	po := (mvs.Hash{5}).String() + ":2:" + hex.EncodeToString(script.PayToAddress(addr)) + ":500000000"
	if _, errOut, code := runCLI(t, "", "tx", "sign-raw", rawHex, "--prevout", po, "--wif-file", dir+"/w0"); code != exitFailure ||
		errOut != "mvs-cli: missing --redeem-script 0:HEX (input 0 spends a P2SH output)\n" {
		t.Errorf("no redeem script: exit %d %q", code, errOut)
	}
	partial, errOut, code := runCLI(t, "", "tx", "sign-raw", rawHex, "--prevout", po, "--redeem-script", "0:"+hex.EncodeToString(redeem), "--wif-file", dir+"/w0", "--allow-unproven")
	if code != exitIncomplete || !strings.Contains(errOut, "1 input(s) still need signatures") {
		t.Fatalf("one of two keys: exit %d %q", code, errOut)
	}
	signed, errOut, code := runCLI(t, partial, "tx", "sign", "--wif-file", dir+"/w1", "--allow-unproven")
	if code != 0 {
		t.Fatalf("second signer: exit %d %q", code, errOut)
	}
	os.WriteFile(dir+"/u.json", []byte(partial), 0o600)
	if out, errOut, code := runCLI(t, "", "tx", "verify", strings.TrimSpace(signed), "--prevouts", dir+"/u.json"); code != 0 {
		t.Errorf("signed multisig does not verify: exit %d %q\n%s", code, errOut, out)
	}
}

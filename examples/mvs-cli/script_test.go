package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestScriptDecode(t *testing.T) {
	out, errOut, code := runCLI(t, "", "script", "decode", "76a91461fde3bd4e6955c99b16de2d71e2a369888a1c0b88ac")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var j map[string]any
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatal(err)
	}
	if j["asm"] != "dup hash160 [ 61fde3bd4e6955c99b16de2d71e2a369888a1c0b ] equalverify checksig" ||
		j["type"] != "pay_key_hash" || j["address"] != "MGqHvbaH9wzdr6oUDFz4S1HptjoKQcjRve" || j["standard"] != true {
		t.Errorf("decode: %s", out)
	}
	out, _, code = runCLI(t, "", "script", "decode", "--net", "testnet", "76a91461fde3bd4e6955c99b16de2d71e2a369888a1c0b88ac")
	if code != 0 || !strings.Contains(out, `"tFrjjxXTpqg6pUY96ZdbmfFQMadx7wGWdn"`) {
		t.Errorf("testnet decode: %s", out)
	}
	// Deposit: lock height shown, address of the P2PKH tail.
	out, _, code = runCLI(t, "", "script", "decode", "0270629d76a91461fde3bd4e6955c99b16de2d71e2a369888a1c0b88ac")
	if code != 0 || !strings.Contains(out, `"lock_height": 25200`) || !strings.Contains(out, "pay_key_hash_with_lock_height") {
		t.Errorf("deposit decode: %s", out)
	}
	// Unparseable: still decoded, with the error and the raw marker.
	out, _, code = runCLI(t, "", "script", "decode", "76a914e7da")
	if code != 0 || !strings.Contains(out, `"asm": "[ raw.76a914e7da ]"`) || !strings.Contains(out, "parse_error") {
		t.Errorf("raw decode: %s", out)
	}
	// stdin.
	if out2, _, code := runCLI(t, "76a91461fde3bd4e6955c99b16de2d71e2a369888a1c0b88ac\n", "script", "decode"); code != 0 || !strings.Contains(out2, "pay_key_hash") {
		t.Errorf("stdin decode: %s", out2)
	}
	if _, errOut, code := runCLI(t, "", "script", "decode", "zz"); code != 1 || !strings.HasPrefix(errOut, "mvs-cli: ") {
		t.Errorf("bad hex: exit %d %q", code, errOut)
	}
}

func TestScriptEncode(t *testing.T) {
	want := "76a91461fde3bd4e6955c99b16de2d71e2a369888a1c0b88ac\n"
	for _, args := range [][]string{
		{"dup hash160 [ 61fde3bd4e6955c99b16de2d71e2a369888a1c0b ] equalverify checksig"},
		{"dup", "hash160", "[", "61fde3bd4e6955c99b16de2d71e2a369888a1c0b", "]", "equalverify", "checksig"},
		{"OP_DUP", "OP_HASH160", "[61fde3bd4e6955c99b16de2d71e2a369888a1c0b]", "OP_EQUALVERIFY", "OP_CHECKSIG"},
	} {
		out, errOut, code := runCLI(t, "", append([]string{"script", "encode"}, args...)...)
		if code != 0 || out != want {
			t.Errorf("encode %q: exit %d %q %s", args, code, out, errOut)
		}
	}
	if out, _, code := runCLI(t, "-1 1 add", "script", "encode"); code != 0 || out != "4f5193\n" {
		t.Errorf("stdin encode: %q", out)
	}
	if out, _, code := runCLI(t, "", "script", "encode", "-1", "[ 1.00 ]"); code != 0 || out != "4f4c0100\n" {
		t.Errorf("encode -1 and non-canonical push: %q", out)
	}
	if _, errOut, code := runCLI(t, "", "script", "encode", "dup", "hash166"); code != 1 || !strings.Contains(errOut, "hash166") {
		t.Errorf("bad ASM: exit %d %q", code, errOut)
	}
	if out, _, code := runCLI(t, "", "script", "--help"); code != 0 || !strings.Contains(out, "Usage: mvs-cli script") {
		t.Errorf("help: %d %q", code, out)
	}
	if _, _, code := runCLI(t, "", "script"); code != 2 {
		t.Errorf("no verb: exit %d", code)
	}
}

package wallet

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"
)

const vectorMnemonic = "lunar there win define minor shadow damage lounge bitter abstract sail alcohol yellow left lift vapor tourist rent gloom sustain gym dry congress zero"

func TestLightWalletKeystores(t *testing.T) {
	tests := []struct {
		file, password string
		addresses      uint32
	}{
		{"lightwallet-0.2.1.json", "correct-horse", 7},
		{"lightwallet-app.json", "secret123", 10},
	}
	for _, tc := range tests {
		data, err := os.ReadFile("testdata/" + tc.file)
		if err != nil {
			t.Fatal(err)
		}
		b, err := ReadLightWalletKeystore(data, tc.password)
		if err != nil || b.Mnemonic != vectorMnemonic || b.Addresses != tc.addresses {
			t.Fatalf("%s: %+v %v", tc.file, b, err)
		}
		for _, wrong := range []string{"", "Correct-horse", tc.password + " ", "x"} {
			if _, err := ReadLightWalletKeystore(data, wrong); !errors.Is(err, ErrWrongPassword) {
				t.Errorf("%s with %q: %v", tc.file, wrong, err)
			}
		}
		if b2, err := ReadAnyKeystore(data, tc.password); err != nil || b2.Mnemonic != vectorMnemonic {
			t.Errorf("ReadAnyKeystore: %v", err)
		}
	}
	data, _ := os.ReadFile("testdata/lightwallet-0.2.1.json")
	b, _ := ReadLightWalletKeystore(data, "correct-horse")
	if len(b.Multisigs) != 1 || b.Multisigs[0].M != 2 || len(b.Multisigs[0].Cosigners) != 2 {
		t.Errorf("multisig records: %+v", b.Multisigs)
	}
	for _, bad := range []string{"", "{}", "[1]", `{"mnemonic":"!!!"}`, `{"mnemonic":"U2FsdGVkX18="}`, `{"algo":"des","mnemonic":"U2FsdGVkX18BAgMEBQYHCBop5YDL"}`} {
		if _, err := ReadLightWalletKeystore([]byte(bad), "x"); !errors.Is(err, ErrKeystoreFormat) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestNodeMnemonicBlob(t *testing.T) {
	raw, err := os.ReadFile("testdata/node-mnemonic-blob.hex")
	if err != nil {
		t.Fatal(err)
	}
	blob, _ := hex.DecodeString(strings.TrimSpace(string(raw)))
	m, err := DecryptNodeMnemonic(blob, "node-pass")
	if err != nil || m != vectorMnemonic {
		t.Fatalf("%q %v", m, err)
	}
	if _, err := DecryptNodeMnemonic(blob, "node-pass2"); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("wrong password: %v", err)
	}
	if _, err := DecryptNodeBlob(blob[:10], "node-pass"); !errors.Is(err, ErrKeystoreFormat) {
		t.Errorf("short blob: %v", err)
	}
	if !CheckNodePassword(sha256Of("node-pass"), "node-pass") || CheckNodePassword(sha256Of("node-pass"), "nope") {
		t.Error("password verifier")
	}
}

func TestOurKeystore(t *testing.T) {
	cheap := KDFParams{Time: 1, Memory: 64, Threads: 1}
	data, err := WriteKeystore(&Backup{Mnemonic: vectorMnemonic, Addresses: 12, Network: "mainnet"}, "pw", cheap)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ReadKeystore(data, "pw")
	if err != nil || b.Mnemonic != vectorMnemonic || b.Addresses != 12 || b.Network != "mainnet" {
		t.Fatalf("%+v %v", b, err)
	}
	if strings.Contains(string(data), "lunar") {
		t.Fatal("mnemonic in the clear")
	}
	if _, err := ReadKeystore(data, "pW"); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("wrong password: %v", err)
	}
	// The header is authenticated: raising the address count is detected.
	tampered := strings.Replace(string(data), `"addresses": 12`, `"addresses": 13`, 1)
	if _, err := ReadKeystore([]byte(tampered), "pw"); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("tampered header: %v", err)
	}
	newer := strings.Replace(string(data), `"version": 1`, `"version": 2`, 1)
	if _, err := ReadKeystore([]byte(newer), "pw"); !errors.Is(err, ErrKeystoreVersion) {
		t.Errorf("version 2: %v", err)
	}
	greedy := strings.Replace(string(data), `"m": 64`, `"m": 999999999`, 1)
	if _, err := ReadKeystore([]byte(greedy), "pw"); !errors.Is(err, ErrKeystoreFormat) {
		t.Errorf("huge memory cost: %v", err)
	}
	if _, err := WriteKeystore(&Backup{Mnemonic: "not a mnemonic"}, "pw", cheap); err == nil {
		t.Error("wrote an invalid mnemonic")
	}
	if d := DefaultKDFParams(); d.Memory < 64*1024 || d.Time < 1 {
		t.Errorf("weak default KDF %+v", d)
	}
}

func FuzzKeystoreJSON(f *testing.F) {
	for _, name := range []string{"lightwallet-0.2.1.json", "lightwallet-app.json"} {
		b, _ := os.ReadFile("testdata/" + name)
		f.Add(b)
	}
	ours, _ := WriteKeystore(&Backup{Mnemonic: vectorMnemonic}, "pw", KDFParams{Time: 1, Memory: 8, Threads: 1})
	f.Add(ours)
	f.Fuzz(func(t *testing.T, b []byte) {
		// Parsing must never panic; cap the KDF work a fuzzed file can ask for.
		if strings.Contains(string(b), KeystoreFormat) && !strings.Contains(string(b), `"m":8,`) && !strings.Contains(string(b), `"m": 8,`) {
			return
		}
		_, _ = ReadAnyKeystore(b, "pw")
		_, _ = ReadLightWalletKeystore(b, "correct-horse")
	})
}

func FuzzNodeBlob(f *testing.F) {
	raw, _ := os.ReadFile("testdata/node-mnemonic-blob.hex")
	blob, _ := hex.DecodeString(strings.TrimSpace(string(raw)))
	f.Add(blob)
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = DecryptNodeMnemonic(b, "node-pass")
	})
}

func sha256Of(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

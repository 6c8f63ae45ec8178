package wallet

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/tyler-smith/go-bip39/wordlists"
	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/ripemd160" //nolint:staticcheck // the node's key derivation uses it
)

// Keystore errors.
var (
	// ErrWrongPassword: the password does not open the keystore (or the file is damaged in
	// a way no password can tell apart).
	ErrWrongPassword = errors.New("wallet: wrong password")
	// ErrKeystoreFormat: the data is not a keystore this package reads.
	ErrKeystoreFormat = errors.New("wallet: not a recognised keystore")
	// ErrKeystoreVersion: our format, but a version this code does not know.
	ErrKeystoreVersion = errors.New("wallet: unsupported keystore version")
)

// maxKeystoreSize bounds what the parsers accept; real keystores are a few KiB.
const maxKeystoreSize = 1 << 20

// Backup is what a keystore holds: the mnemonic and how many addresses (m/0 …) the wallet
// had derived, plus, for the node's and light wallet's files, their multisig and script
// records.
type Backup struct {
	Mnemonic  string
	Addresses uint32
	Network   string // our format only; "" when the file does not say
	Multisigs []LightMultisig
	Scripts   []LightScript
}

// LightMultisig and LightScript are the records of the node's dumpkeyfile JSON.
type LightMultisig struct {
	M           int      `json:"m"`
	N           int      `json:"n"`
	Self        string   `json:"s"`
	Description string   `json:"d"`
	Cosigners   []string `json:"k"`
}

type LightScript struct {
	Address     string `json:"address"`
	Script      string `json:"script"`
	Description string `json:"description"`
}

// ---- The light wallet's / full node's JSON backup (version 0.2.1 and the app versions) ----

type lightKeystore struct {
	Version   string          `json:"version"`
	Algo      string          `json:"algo"`
	Index     json.Number     `json:"index"`
	Mnemonic  string          `json:"mnemonic"`
	Multisigs []LightMultisig `json:"multisigs"`
	Scripts   []LightScript   `json:"scripts"`
}

// ReadLightWalletKeystore decrypts the JSON backup that the node's dumpkeyfile and the light
// wallet write: the mnemonic, as a JSON string, encrypted the CryptoJS/OpenSSL way
// ("Salted__", 8-byte salt, AES-256-CBC with key and IV from EVP_BytesToKey with MD5 and one
// round). That key derivation is weak; read it to migrate, never write it.
func ReadLightWalletKeystore(data []byte, password string) (*Backup, error) {
	if len(data) > maxKeystoreSize {
		return nil, fmt.Errorf("%w: %d bytes", ErrKeystoreFormat, len(data))
	}
	var k lightKeystore
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&k); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKeystoreFormat, err)
	}
	if k.Mnemonic == "" || (k.Algo != "" && k.Algo != "aes") {
		return nil, fmt.Errorf("%w: algo %q, mnemonic field empty=%v", ErrKeystoreFormat, k.Algo, k.Mnemonic == "")
	}
	blob, err := base64.StdEncoding.DecodeString(strings.TrimSpace(k.Mnemonic))
	if err != nil {
		return nil, fmt.Errorf("%w: mnemonic is not base64", ErrKeystoreFormat)
	}
	plain, err := openSSLDecrypt(blob, []byte(password))
	if err != nil {
		return nil, err
	}
	var mnemonic string
	if err := json.Unmarshal(plain, &mnemonic); err != nil || ValidateMnemonic(mnemonic) != nil {
		// PKCS7 padding alone passes for about 1 wrong password in 256.
		return nil, ErrWrongPassword
	}
	b := &Backup{Mnemonic: mnemonic, Addresses: 10, Multisigs: k.Multisigs, Scripts: k.Scripts}
	if k.Index != "" {
		n, err := k.Index.Int64()
		if err != nil || n < 0 || n > 1<<31 {
			return nil, fmt.Errorf("%w: index %q", ErrKeystoreFormat, k.Index)
		}
		b.Addresses = uint32(n)
	}
	return b, nil
}

// evpBytesToKey is OpenSSL's EVP_BytesToKey with MD5 and one round: D_i = MD5(D_{i−1} ‖
// password ‖ salt), concatenated until 48 bytes (a 32-byte key and a 16-byte IV).
func evpBytesToKey(password, salt []byte) (key, iv []byte) {
	var out, prev []byte
	for len(out) < 48 {
		h := md5.New()
		h.Write(prev)
		h.Write(password)
		h.Write(salt)
		prev = h.Sum(nil)
		out = append(out, prev...)
	}
	return out[:32], out[32:48]
}

func openSSLDecrypt(blob, password []byte) ([]byte, error) {
	if len(blob) < 16+aes.BlockSize || string(blob[:8]) != "Salted__" || (len(blob)-16)%aes.BlockSize != 0 {
		return nil, fmt.Errorf("%w: ciphertext is not OpenSSL salted AES", ErrKeystoreFormat)
	}
	key, iv := evpBytesToKey(password, blob[8:16])
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	plain := make([]byte, len(blob)-16)
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(plain, blob[16:])
	pad := int(plain[len(plain)-1])
	if pad == 0 || pad > aes.BlockSize {
		return nil, ErrWrongPassword
	}
	for _, c := range plain[len(plain)-pad:] {
		if int(c) != pad {
			return nil, ErrWrongPassword
		}
	}
	return plain[:len(plain)-pad], nil
}

// ---- The node's at-rest mnemonic and key blobs (encrypted_keys.cpp) ----

// nodeKey is SHA-256(RIPEMD-160(password)), the node's AES key.
func nodeKey(password string) []byte {
	r := ripemd160.New()
	r.Write([]byte(password))
	k := sha256.Sum256(r.Sum(nil))
	return k[:]
}

// DecryptNodeBlob decrypts a value the reference node stores encrypted (an account's
// mnemonic, or an address's private key as 64 hex characters): one byte N (1–16), then
// AES-256-ECB blocks of the plaintext zero-padded with N bytes, keyed by
// SHA-256(RIPEMD-160(password)). No IV, no MAC, no salt: read it to migrate, never write it.
// A wrong password shows as non-zero padding (or, for a mnemonic, as invalid words).
func DecryptNodeBlob(blob []byte, password string) ([]byte, error) {
	if len(blob) < 1+aes.BlockSize || (len(blob)-1)%aes.BlockSize != 0 || len(blob) > maxKeystoreSize {
		return nil, fmt.Errorf("%w: %d bytes is not 1 + AES blocks", ErrKeystoreFormat, len(blob))
	}
	pad := int(blob[0])
	if pad < 1 || pad > aes.BlockSize {
		return nil, fmt.Errorf("%w: pad count %d", ErrKeystoreFormat, pad)
	}
	block, err := aes.NewCipher(nodeKey(password))
	if err != nil {
		return nil, err
	}
	ct := blob[1:]
	plain := make([]byte, len(ct))
	for i := 0; i < len(ct); i += aes.BlockSize { // ECB: the node's mode, decrypt only
		block.Decrypt(plain[i:i+aes.BlockSize], ct[i:i+aes.BlockSize])
	}
	for _, c := range plain[len(plain)-pad:] {
		if c != 0 {
			return nil, ErrWrongPassword
		}
	}
	return plain[:len(plain)-pad], nil
}

// DecryptNodeMnemonic decrypts an account's mnemonic blob and checks it is a valid mnemonic
// in one of the node's word lists (English, Spanish, Japanese, simplified or traditional
// Chinese: importaccount takes any of them). Anything else means a wrong password.
func DecryptNodeMnemonic(blob []byte, password string) (string, error) {
	plain, err := DecryptNodeBlob(blob, password)
	if err != nil {
		return "", err
	}
	m := string(plain)
	if ValidateMnemonic(m) != nil && !validInNodeWordlists(strings.Fields(m)) {
		return "", ErrWrongPassword
	}
	return m, nil
}

// nodeWordlists are the node's BIP39 lists besides English (dictionary.cpp).
var nodeWordlists = [][]string{wordlists.Spanish, wordlists.Japanese, wordlists.ChineseSimplified, wordlists.ChineseTraditional}

// validInNodeWordlists checks words against each list and the BIP39 checksum, without
// go-bip39's process-wide SetWordList.
func validInNodeWordlists(words []string) bool {
	switch len(words) {
	case 12, 15, 18, 21, 24:
	default:
		return false
	}
	for _, list := range nodeWordlists {
		if bip39ChecksumOK(words, list) {
			return true
		}
	}
	return false
}

// bip39ChecksumOK: 11 bits a word, the last len/3 bits the leading bits of SHA-256 of the
// entropy before them.
func bip39ChecksumOK(words, list []string) bool {
	index := make(map[string]int, len(list))
	for i, w := range list {
		index[w] = i
	}
	bits := make([]byte, 0, len(words)*11)
	for _, w := range words {
		i, ok := index[w]
		if !ok {
			return false
		}
		for b := 10; b >= 0; b-- {
			bits = append(bits, byte(i>>b&1))
		}
	}
	cs := len(words) / 3
	entropy := make([]byte, (len(bits)-cs)/8)
	for i := range entropy {
		for b := 0; b < 8; b++ {
			entropy[i] = entropy[i]<<1 | bits[i*8+b]
		}
	}
	sum := sha256.Sum256(entropy)
	for b := 0; b < cs; b++ {
		if sum[b/8]>>(7-b%8)&1 != bits[len(entropy)*8+b] {
			return false
		}
	}
	return true
}

// CheckNodePassword compares a password with the node's stored verifier, SHA-256(password).
func CheckNodePassword(verifier []byte, password string) bool {
	h := sha256.Sum256([]byte(password))
	return subtle.ConstantTimeCompare(verifier, h[:]) == 1
}

// ---- Our keystore: argon2id + XChaCha20-Poly1305, versioned ----

// KeystoreFormat names our keystore in its "format" field.
const KeystoreFormat = "mvsgo-keystore"

// KDFParams are argon2id's costs. The defaults (3 passes, 64 MiB, 4 lanes) follow RFC 9106's
// second recommended option; tests may pass cheaper ones.
type KDFParams struct {
	Time    uint32 `json:"t"`
	Memory  uint32 `json:"m"` // KiB
	Threads uint8  `json:"p"`
}

// DefaultKDFParams returns the costs new keystores are written with.
func DefaultKDFParams() KDFParams { return KDFParams{Time: 3, Memory: 64 * 1024, Threads: 4} }

type keystoreHeader struct {
	Format    string    `json:"format"`
	Version   int       `json:"version"`
	Network   string    `json:"network"`
	Addresses uint32    `json:"addresses"`
	KDF       string    `json:"kdf"`
	KDFParams KDFParams `json:"kdf_params"`
	Salt      []byte    `json:"salt"`
	Cipher    string    `json:"cipher"`
	Nonce     []byte    `json:"nonce"`
}

type keystoreFile struct {
	keystoreHeader
	Ciphertext []byte `json:"ciphertext"`
}

// Bounds on argon2id's costs. A keystore is untrusted input (a cosigner's backup, a file
// from anywhere) and the KDF runs before the MAC can reject it, so its costs are capped at
// 16× the defaults' memory (1 GiB) and a few seconds of passes; the writer is held to the
// same bounds so it never writes a file the reader refuses.
const (
	maxKDFMemory  = 1 << 20 // KiB
	maxKDFTime    = 16
	maxKDFThreads = 16
)

// check reports costs outside the bounds (or that argon2 itself would refuse).
func (p KDFParams) check() error {
	if p.Time == 0 || p.Time > maxKDFTime || p.Threads == 0 || p.Threads > maxKDFThreads ||
		p.Memory < 8*uint32(p.Threads) || p.Memory > maxKDFMemory {
		return fmt.Errorf("%w: argon2id costs %+v outside t 1–%d, p 1–%d, m 8·p–%d KiB",
			ErrKeystoreFormat, p, maxKDFTime, maxKDFThreads, maxKDFMemory)
	}
	return nil
}

// WriteKeystore encrypts a mnemonic into our format: argon2id (memory-hard) derives a
// 32-byte key from the password and a random salt; XChaCha20-Poly1305 seals the mnemonic
// with a random nonce and the whole header as associated data, so no header field can be
// altered unnoticed. A zero kdf means DefaultKDFParams.
func WriteKeystore(b *Backup, password string, kdf KDFParams) ([]byte, error) {
	if err := ValidateMnemonic(b.Mnemonic); err != nil {
		return nil, err
	}
	if kdf == (KDFParams{}) {
		kdf = DefaultKDFParams()
	}
	if err := kdf.check(); err != nil {
		return nil, err
	}
	h := keystoreHeader{Format: KeystoreFormat, Version: 1, Network: b.Network, Addresses: b.Addresses,
		KDF: "argon2id", KDFParams: kdf, Salt: make([]byte, 16), Cipher: "xchacha20-poly1305",
		Nonce: make([]byte, chacha20poly1305.NonceSizeX)}
	if _, err := rand.Read(h.Salt); err != nil {
		return nil, err
	}
	if _, err := rand.Read(h.Nonce); err != nil {
		return nil, err
	}
	aad, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	key := argon2.IDKey([]byte(password), h.Salt, kdf.Time, kdf.Memory, kdf.Threads, 32)
	defer clear(key)
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, err
	}
	f := keystoreFile{keystoreHeader: h, Ciphertext: aead.Seal(nil, h.Nonce, []byte(b.Mnemonic), aad)}
	return json.MarshalIndent(f, "", "  ")
}

// ReadKeystore opens our format.
func ReadKeystore(data []byte, password string) (*Backup, error) {
	if len(data) > maxKeystoreSize {
		return nil, fmt.Errorf("%w: %d bytes", ErrKeystoreFormat, len(data))
	}
	var f keystoreFile
	if err := json.Unmarshal(data, &f); err != nil || f.Format != KeystoreFormat {
		return nil, fmt.Errorf("%w: not an %s file", ErrKeystoreFormat, KeystoreFormat)
	}
	if f.Version != 1 {
		return nil, fmt.Errorf("%w: %d", ErrKeystoreVersion, f.Version)
	}
	p := f.KDFParams
	if f.KDF != "argon2id" || f.Cipher != "xchacha20-poly1305" || len(f.Salt) < 16 ||
		len(f.Nonce) != chacha20poly1305.NonceSizeX {
		return nil, fmt.Errorf("%w: kdf %q, cipher %q", ErrKeystoreFormat, f.KDF, f.Cipher)
	}
	if err := p.check(); err != nil {
		return nil, err
	}
	aad, err := json.Marshal(f.keystoreHeader)
	if err != nil {
		return nil, err
	}
	key := argon2.IDKey([]byte(password), f.Salt, p.Time, p.Memory, p.Threads, 32)
	defer clear(key)
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, err
	}
	plain, err := aead.Open(nil, f.Nonce, f.Ciphertext, aad)
	if err != nil {
		return nil, ErrWrongPassword
	}
	defer clear(plain)
	return &Backup{Mnemonic: string(plain), Addresses: f.Addresses, Network: f.Network}, nil
}

// ReadAnyKeystore opens our format or the node's/light wallet's JSON backup.
func ReadAnyKeystore(data []byte, password string) (*Backup, error) {
	var probe struct {
		Format string `json:"format"`
	}
	if err := json.Unmarshal(data, &probe); err == nil && probe.Format == KeystoreFormat {
		return ReadKeystore(data, password)
	}
	return ReadLightWalletKeystore(data, password)
}

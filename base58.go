package mvs

import (
	"bytes"
	"crypto/sha256"
	"fmt"
)

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// base58Index maps an ASCII byte to its digit value, or 0xff. A constant-size table built by
// a function, not a mutable package variable.
func base58Index(c byte) byte {
	switch {
	case c >= '1' && c <= '9':
		return c - '1'
	case c >= 'A' && c <= 'H':
		return c - 'A' + 9
	case c >= 'J' && c <= 'N':
		return c - 'J' + 17
	case c >= 'P' && c <= 'Z':
		return c - 'P' + 22
	case c >= 'a' && c <= 'k':
		return c - 'a' + 33
	case c >= 'm' && c <= 'z':
		return c - 'm' + 44
	}
	return 0xff
}

// maxBase58Input bounds decoding work: the longest thing MVS base58-encodes is an extended
// key (82 bytes, 111 characters); nothing legitimate is longer than this.
const maxBase58Input = 256

// Base58Encode encodes b in Bitcoin's base58 alphabet, keeping leading zero bytes as '1'.
func Base58Encode(b []byte) string {
	zeros := 0
	for zeros < len(b) && b[zeros] == 0 {
		zeros++
	}
	// log(256)/log(58) < 1.38
	buf := make([]byte, (len(b)-zeros)*138/100+1)
	high := len(buf) - 1
	for _, c := range b[zeros:] {
		carry := int(c)
		j := len(buf) - 1
		for ; j > high || carry != 0; j-- {
			carry += 256 * int(buf[j])
			buf[j] = byte(carry % 58)
			carry /= 58
		}
		high = j
	}
	i := 0
	for i < len(buf) && buf[i] == 0 {
		i++
	}
	out := make([]byte, zeros+len(buf)-i)
	for k := 0; k < zeros; k++ {
		out[k] = '1'
	}
	for k, d := range buf[i:] {
		out[zeros+k] = base58Alphabet[d]
	}
	return string(out)
}

// Base58Decode decodes a base58 string. The error names the offending character's offset.
func Base58Decode(s string) ([]byte, error) {
	if len(s) > maxBase58Input {
		return nil, fmt.Errorf("%w: %d characters is longer than any MVS encoding", ErrBase58, len(s))
	}
	zeros := 0
	for zeros < len(s) && s[zeros] == '1' {
		zeros++
	}
	// log(58)/log(256) < 0.733
	buf := make([]byte, (len(s)-zeros)*733/1000+1)
	high := len(buf) - 1
	for i := zeros; i < len(s); i++ {
		d := base58Index(s[i])
		if d == 0xff {
			return nil, fmt.Errorf("%w: character %q at offset %d", ErrBase58, s[i], i)
		}
		carry := int(d)
		j := len(buf) - 1
		for ; j > high || carry != 0; j-- {
			carry += 58 * int(buf[j])
			buf[j] = byte(carry)
			carry >>= 8
		}
		high = j
	}
	i := 0
	for i < len(buf) && buf[i] == 0 {
		i++
	}
	out := make([]byte, zeros+len(buf)-i)
	copy(out[zeros:], buf[i:])
	return out, nil
}

func checksum4(b []byte) [4]byte {
	first := sha256.Sum256(b)
	second := sha256.Sum256(first[:])
	return [4]byte(second[:4])
}

// Base58CheckEncode appends the 4-byte double-SHA256 checksum to payload and base58-encodes.
func Base58CheckEncode(payload []byte) string {
	c := checksum4(payload)
	return Base58Encode(append(append(make([]byte, 0, len(payload)+4), payload...), c[:]...))
}

// Base58CheckDecode decodes and verifies the checksum, returning the payload (version byte
// included).
func Base58CheckDecode(s string) ([]byte, error) {
	b, err := Base58Decode(s)
	if err != nil {
		return nil, err
	}
	if len(b) < 5 {
		return nil, fmt.Errorf("%w: %d bytes is too short for a checksum", ErrChecksum, len(b))
	}
	payload, sum := b[:len(b)-4], b[len(b)-4:]
	want := checksum4(payload)
	if !bytes.Equal(sum, want[:]) {
		// The input is not quoted: it may be a private key (WIF) with one character wrong.
		return nil, fmt.Errorf("%w: a character is wrong", ErrChecksum)
	}
	return payload, nil
}

package mvs

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// HashSize is the length of a double-SHA256 hash.
const HashSize = 32

// Hash is a 32-byte double-SHA256 digest in internal byte order: the order in which it is
// serialized on the wire and fed to merkle trees. Explorers, RPC and this package's String
// and JSON forms show it byte-reversed, as Bitcoin does.
type Hash [HashSize]byte

// DoubleSHA256 returns SHA256(SHA256(b)) in internal order.
func DoubleSHA256(b []byte) Hash {
	first := sha256.Sum256(b)
	return Hash(sha256.Sum256(first[:]))
}

// String returns the display (byte-reversed) hex form.
func (h Hash) String() string {
	var r [HashSize]byte
	for i := range h {
		r[i] = h[HashSize-1-i]
	}
	return hex.EncodeToString(r[:])
}

// IsZero reports whether every byte is zero (the null previous-output hash).
func (h Hash) IsZero() bool { return h == Hash{} }

// ParseHash parses the display (byte-reversed) hex form of a hash.
func ParseHash(s string) (Hash, error) {
	var h Hash
	if len(s) != 2*HashSize {
		return h, fmt.Errorf("%w: want %d hex digits, got %d", ErrHashFormat, 2*HashSize, len(s))
	}
	var b [HashSize]byte
	if _, err := hex.Decode(b[:], []byte(s)); err != nil {
		return h, fmt.Errorf("%w: %v", ErrHashFormat, err)
	}
	for i := range b {
		h[i] = b[HashSize-1-i]
	}
	return h, nil
}

// MarshalText implements encoding.TextMarshaler with the display form.
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with the display form.
func (h *Hash) UnmarshalText(b []byte) error {
	v, err := ParseHash(string(b))
	if err != nil {
		return err
	}
	*h = v
	return nil
}

package rpcclient

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math/big"
	"strconv"
)

// The reference prints some numbers as JSON numbers and some as decimal strings, and the
// choice differs by API version and node release (the public docs show v2-era strings
// where v3 code prints numbers). The types below decode either form, strictly (digits
// only, no sign, fraction, exponent or overflow), and encode the form the current v3
// reference prints, so the node's server can reuse them.

var errNumber = errors.New("not an unsigned decimal integer")

// parseDecimal accepts a JSON number or a JSON string holding only ASCII digits.
func parseDecimal(b []byte) (string, error) {
	b = bytes.TrimSpace(b)
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		b = b[1 : len(b)-1]
	}
	if len(b) == 0 {
		return "", errNumber
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return "", errNumber
		}
	}
	// A leading zero is only allowed for zero itself, as in JSON.
	if len(b) > 1 && b[0] == '0' {
		return "", errNumber
	}
	return string(b), nil
}

func parseUint64(b []byte) (uint64, error) {
	s, err := parseDecimal(b)
	if err != nil {
		return 0, err
	}
	return strconv.ParseUint(s, 10, 64)
}

// Uint64 is an unsigned integer the v3 reference prints as a JSON number. It also decodes
// a decimal string (older nodes and API versions print one).
type Uint64 uint64

// MarshalJSON prints a JSON number.
func (u Uint64) MarshalJSON() ([]byte, error) { return strconv.AppendUint(nil, uint64(u), 10), nil }

// UnmarshalJSON accepts a JSON number or a decimal string.
func (u *Uint64) UnmarshalJSON(b []byte) error {
	v, err := parseUint64(b)
	if err != nil {
		return err
	}
	*u = Uint64(v)
	return nil
}

// Uint64String is an unsigned integer the reference prints as a decimal string (a header's
// nonce, a transaction's version and lock_time, getmininginfo's height and rate). It also
// decodes a JSON number.
type Uint64String uint64

// MarshalJSON prints a quoted decimal.
func (u Uint64String) MarshalJSON() ([]byte, error) {
	b := append([]byte{'"'}, strconv.AppendUint(nil, uint64(u), 10)...)
	return append(b, '"'), nil
}

// UnmarshalJSON accepts a decimal string or a JSON number.
func (u *Uint64String) UnmarshalJSON(b []byte) error {
	v, err := parseUint64(b)
	if err != nil {
		return err
	}
	*u = Uint64String(v)
	return nil
}

// Uint256String is a 256-bit unsigned integer the reference prints as a decimal string: a
// header's bits (the absolute difficulty) and mixhash, and the node's difficulty. It is a
// plain value (big-endian bytes), so copies never share storage. The zero value is 0.
type Uint256String struct{ be [32]byte }

// NewUint256String returns x as a Uint256String; it refuses a negative x or one above 2^256-1.
func NewUint256String(x *big.Int) (Uint256String, error) {
	var u Uint256String
	if x.Sign() < 0 || x.BitLen() > 256 {
		return u, errNumber
	}
	x.FillBytes(u.be[:])
	return u, nil
}

// Big returns the value.
func (u Uint256String) Big() *big.Int { return new(big.Int).SetBytes(u.be[:]) }

// Bytes returns the value as 32 big-endian bytes.
func (u Uint256String) Bytes() [32]byte { return u.be }

// String returns the decimal form.
func (u Uint256String) String() string { return u.Big().String() }

// MarshalJSON prints a quoted decimal.
func (u Uint256String) MarshalJSON() ([]byte, error) {
	return strconv.AppendQuote(nil, u.String()), nil
}

// UnmarshalJSON accepts a decimal string or a JSON number up to 2^256-1.
func (u *Uint256String) UnmarshalJSON(b []byte) error {
	s, err := parseDecimal(b)
	if err != nil {
		return err
	}
	if len(s) > 78 { // 2^256-1 has 78 digits; refuse before allocating for more
		return errNumber
	}
	var x big.Int
	if _, ok := x.SetString(s, 10); !ok || x.BitLen() > 256 {
		return errNumber
	}
	x.FillBytes(u.be[:])
	return nil
}

// HexBytes is binary data the reference prints as lowercase hex (a raw block or
// transaction, a block signature).
type HexBytes []byte

// MarshalJSON prints a hex string.
func (h HexBytes) MarshalJSON() ([]byte, error) {
	return strconv.AppendQuote(nil, hex.EncodeToString(h)), nil
}

// UnmarshalJSON accepts a JSON string of hex digits (either case, even length).
func (h *HexBytes) UnmarshalJSON(b []byte) error {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return errors.New("hex data is not a JSON string")
	}
	s := b[1 : len(b)-1]
	out := make([]byte, hex.DecodedLen(len(s)))
	if _, err := hex.Decode(out, s); err != nil {
		return err
	}
	*h = out
	return nil
}

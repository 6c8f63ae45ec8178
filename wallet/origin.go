package wallet

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/mvsgo/mvs"
)

// Key-origin errors.
var (
	// ErrKeyOrigin: a key origin string is not "fingerprint/m/i".
	ErrKeyOrigin = errors.New("wallet: malformed key origin")
	// ErrOriginFingerprint: an input's key origin names another account than the signer's.
	ErrOriginFingerprint = errors.New("wallet: key origin belongs to another account")
	// ErrOriginKeyMismatch: the key derived at an input's recorded origin is not the key its
	// previous output pays to (or, for multisig, not one of the redeem script's keys). The
	// object or the coin records were altered, or built from another wallet's data.
	ErrOriginKeyMismatch = errors.New("wallet: key at the recorded origin does not match the output it spends")
)

// KeyOrigin says which key of which account spends an input, as a PSBT's derivation path
// does: the account's BIP32 fingerprint (Account.Fingerprint) and the index i of m/i. A
// signer holding the account derives exactly that key (Unsigned.SignWithAccount) instead of
// every key up to the highest deposit index.
type KeyOrigin struct {
	Fingerprint [4]byte
	Index       uint32
}

// String is the PSBT-style "fingerprint/m/i", e.g. "5436d724/m/7".
func (o KeyOrigin) String() string {
	return hex.EncodeToString(o.Fingerprint[:]) + "/m/" + strconv.FormatUint(uint64(o.Index), 10)
}

// MarshalText implements encoding.TextMarshaler (the offline JSON stores the string form).
func (o KeyOrigin) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (o *KeyOrigin) UnmarshalText(b []byte) error {
	v, err := ParseKeyOrigin(string(b))
	if err != nil {
		return err
	}
	*o = v
	return nil
}

// ParseKeyOrigin reads "fingerprint/m/i": eight lower-case hex digits and a non-hardened
// index (MVS addresses are m/i with i < 2^31).
func ParseKeyOrigin(s string) (KeyOrigin, error) {
	fp, idx, ok := strings.Cut(s, "/m/")
	var o KeyOrigin
	if !ok || len(fp) != 8 || strings.ToLower(fp) != fp {
		return o, fmt.Errorf("%w: %q (want fingerprint/m/i, e.g. 5436d724/m/7)", ErrKeyOrigin, s)
	}
	if _, err := hex.Decode(o.Fingerprint[:], []byte(fp)); err != nil {
		return o, fmt.Errorf("%w: %q: fingerprint is not hex", ErrKeyOrigin, s)
	}
	i, err := strconv.ParseUint(idx, 10, 31)
	if err != nil || strconv.FormatUint(i, 10) != idx {
		return o, fmt.Errorf("%w: %q: index is not a decimal below 2^31", ErrKeyOrigin, s)
	}
	o.Index = uint32(i)
	return o, nil
}

// Fingerprint is the BIP32 fingerprint of the account's master public key (of the imported
// extended key, for a watch-only account): the first four bytes of the hash160 of its
// compressed public key. A watch-only copy has the same fingerprint as the full account, so
// the online side can record origins that the cold signer checks.
func (a *Account) Fingerprint() [4]byte {
	if a.check() != nil {
		return [4]byte{} // a zero Account has no key; its origins match nothing
	}
	h := mvs.Hash160(a.pubBytes[:])
	return [4]byte(h[:4])
}

// Origin is the key origin of m/i in this account, for Coin.Origin.
func (a *Account) Origin(i uint32) KeyOrigin {
	return KeyOrigin{Fingerprint: a.Fingerprint(), Index: i}
}

package wallet

import (
	"errors"
	"fmt"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/mvsgo/mvs"
)

// ErrWIF: a string that is not a WIF private key of the network.
var ErrWIF = errors.New("wallet: not a WIF private key")

// EncodeWIF returns the Wallet Import Format of priv: base58check(prefix ‖ 32-byte secret
// [‖ 0x01 when compressed]). MVS keys are compressed.
func EncodeWIF(priv *btcec.PrivateKey, compressed bool, p *mvs.Params) string {
	b := make([]byte, 0, 34)
	b = append(b, p.WIFPrefix)
	secret := priv.Key.Bytes()
	b = append(b, secret[:]...)
	if compressed {
		b = append(b, 1)
	}
	return mvs.Base58CheckEncode(b)
}

// DecodeWIF parses a WIF key of network p, reporting whether it marks a compressed public
// key.
func DecodeWIF(s string, p *mvs.Params) (priv *btcec.PrivateKey, compressed bool, err error) {
	b, err := mvs.Base58CheckDecode(s)
	if err != nil {
		// Say which rule failed, never which characters: the input is a secret.
		why := mvs.ErrBase58
		if errors.Is(err, mvs.ErrChecksum) {
			why = mvs.ErrChecksum
		}
		return nil, false, fmt.Errorf("%w: %w", ErrWIF, why)
	}
	switch {
	case len(b) == 34 && b[33] == 1:
		compressed = true
	case len(b) == 33:
	default:
		return nil, false, fmt.Errorf("%w: %d-byte payload", ErrWIF, len(b))
	}
	if b[0] != p.WIFPrefix {
		return nil, false, fmt.Errorf("%w: prefix 0x%02x, %s uses 0x%02x", ErrWIF, b[0], p.Name, p.WIFPrefix)
	}
	var k btcec.ModNScalar
	if k.SetByteSlice(b[1:33]) || k.IsZero() {
		return nil, false, fmt.Errorf("%w: secret out of range", ErrWIF)
	}
	priv, _ = btcec.PrivKeyFromBytes(b[1:33])
	return priv, compressed, nil
}

package tx

import (
	"errors"
	"fmt"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/mvsgo/mvs/tx/script"
)

// ErrUnsafeSigHash: a hash type the SDK refuses to sign with (SIGHASH_SINGLE outside its one
// well-defined shape, or an unknown base type).
var ErrUnsafeSigHash = errors.New("refusing to sign with this hash type")

// ErrCannotSign: the previous output's script is not a kind SignInput knows how to satisfy
// with one key (multisig and P2SH are signed with SignatureFor and assembled by the caller).
var ErrCannotSign = errors.New("cannot sign this previous output script with one key")

// SignOptions tune SignInput. The zero value signs with SIGHASH_ALL.
type SignOptions struct {
	// HashType defaults to SIGHASH_ALL.
	HashType script.SigHashType
	// AllowSingle permits SIGHASH_SINGLE|ANYONECANPAY on a transaction of exactly one input
	// and one output, the only SINGLE shape whose digest the reference defines and that the
	// TypeScript "order" flow uses. Any other SINGLE use is refused regardless.
	AllowSingle bool
}

func (o SignOptions) hashType() script.SigHashType {
	if o.HashType == 0 {
		return script.SigHashAll
	}
	return o.HashType
}

// checkHashType enforces the signing policy: ALL and NONE (each optionally ANYONECANPAY);
// SINGLE only when forced and only in the safe shape.
func (t *Tx) checkHashType(o SignOptions) error {
	ht := o.hashType()
	if ht&^(script.SigHashMask|script.SigHashAnyoneCanPay) != 0 {
		return fmt.Errorf("%w: %#x has undefined bits", ErrUnsafeSigHash, uint8(ht))
	}
	switch ht & script.SigHashMask {
	case script.SigHashAll, script.SigHashNone:
		return nil
	case script.SigHashSingle:
		if o.AllowSingle && ht&script.SigHashAnyoneCanPay != 0 && len(t.Inputs) == 1 && len(t.Outputs) == 1 {
			return nil
		}
		return fmt.Errorf("%w: SIGHASH_SINGLE is undefined behaviour in the reference node; only SINGLE|ANYONECANPAY with one input and one output may be forced", ErrUnsafeSigHash)
	}
	return fmt.Errorf("%w: base type %d", ErrUnsafeSigHash, uint8(ht&script.SigHashMask))
}

// SignatureFor returns the script signature (DER, low S, RFC 6979, plus the hash-type byte)
// of input i under scriptCode (the previous output script, or the redeem script for P2SH).
func (t *Tx) SignatureFor(i int, scriptCode []byte, priv *btcec.PrivateKey, o SignOptions) ([]byte, error) {
	if err := t.checkHashType(o); err != nil {
		return nil, err
	}
	digest, err := t.SignatureHash(i, scriptCode, o.hashType())
	if err != nil {
		return nil, err
	}
	return script.SignDigest(priv, digest, o.hashType()), nil
}

// SignInput signs input i, which spends an output locked by prevScript, with priv and sets
// its scriptSig. It handles every single-key pattern: P2PKH, pay-to-public-key, the deposit
// (lock height), the sequence lock and the attenuation lock. The public key is compressed,
// as every MVS wallet derives it.
func (t *Tx) SignInput(i int, prevScript []byte, priv *btcec.PrivateKey, o SignOptions) error {
	sig, err := t.SignatureFor(i, prevScript, priv, o)
	if err != nil {
		return err
	}
	pub := priv.PubKey().SerializeCompressed()
	ps := script.Script(prevScript)
	switch ps.Class() {
	case script.PayKeyHash, script.PayKeyHashWithSequenceLock, script.PayKeyHashWithAttenuationModel:
		t.Inputs[i].Script = script.SignatureScriptP2PKH(sig, pub)
	case script.PayKeyHashWithLockHeight:
		h, ok := script.DepositLockHeight(ps)
		if !ok || h < 0 || h > 0xffffffff {
			return fmt.Errorf("%w: deposit lock height unreadable", ErrCannotSign)
		}
		t.Inputs[i].Script = script.SignatureScriptDeposit(sig, pub, uint32(h))
	case script.PayPublicKey:
		s, err := script.NewBuilder().AddData(sig).Script()
		if err != nil {
			return err
		}
		t.Inputs[i].Script = s
	default:
		return fmt.Errorf("%w: %v", ErrCannotSign, ps.Class())
	}
	return nil
}

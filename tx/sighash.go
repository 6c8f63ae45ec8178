package tx

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/mvsgo/mvs/internal/codec"
	"github.com/mvsgo/mvs/tx/script"
)

// Signature-hash errors.
var (
	// ErrSigHashSingleUndefined: SIGHASH_SINGLE for an input after the first makes the
	// reference node serialize default outputs whose attachment fields are uninitialized
	// memory (clone/primitives/transaction.h), so no digest is defined. We neither compute
	// nor accept one.
	ErrSigHashSingleUndefined = errors.New("SIGHASH_SINGLE digest is undefined on MVS for input index > 0")
	// ErrInputIndex: the input index is outside the transaction.
	ErrInputIndex = errors.New("input index out of range")
)

// sigHashOne is the digest Bitcoin Core's legacy algorithm returns for SIGHASH_SINGLE
// with no matching output: the integer 1, little-endian.
var sigHashOne = [32]byte{1}

// SignatureHash returns the digest an input's signature signs: Bitcoin's legacy algorithm
// as the reference node's consensus clone runs it, over the MVS serialization, so outputs
// are hashed with their attachments. scriptCode is the previous output's script (the
// redeem script for P2SH); its OP_CODESEPARATORs are removed here. The digest is in the
// order it is signed (not reversed).
//
// SIGHASH_NONE and SIGHASH_ANYONECANPAY follow the clone exactly. SIGHASH_SINGLE is defined
// only for input 0 (no earlier outputs to blank); for a later input it returns
// ErrSigHashSingleUndefined, and with no output at the input's index it returns the
// constant digest 1 as the clone does.
func (t *Tx) SignatureHash(inputIndex int, scriptCode []byte, hashType script.SigHashType) ([32]byte, error) {
	return t.signatureHash(nil, inputIndex, script.RemoveCodeSeparators(script.NodeForm(scriptCode)), hashType)
}

// signatureHash computes the digest into buf's storage (reused by checkers across inputs).
// scriptCode must already be free of OP_CODESEPARATOR.
func (t *Tx) signatureHash(buf []byte, n int, scriptCode []byte, hashType script.SigHashType) ([32]byte, error) {
	if n < 0 || n >= len(t.Inputs) {
		return sigHashOne, fmt.Errorf("%w: %d of %d", ErrInputIndex, n, len(t.Inputs))
	}
	base := hashType & script.SigHashMask
	anyoneCanPay := hashType&script.SigHashAnyoneCanPay != 0
	if base == script.SigHashSingle {
		if n >= len(t.Outputs) {
			return sigHashOne, nil
		}
		if n > 0 {
			return [32]byte{}, ErrSigHashSingleUndefined
		}
	}
	b := binary.LittleEndian.AppendUint32(buf[:0], t.Version)
	if anyoneCanPay {
		b = codec.AppendVarInt(b, 1)
		b = appendSigInput(b, &t.Inputs[n], scriptCode, t.Inputs[n].Sequence)
	} else {
		b = codec.AppendVarInt(b, uint64(len(t.Inputs)))
		for i := range t.Inputs {
			in := &t.Inputs[i]
			var code []byte
			seq := in.Sequence
			if i == n {
				code = scriptCode
			} else if base == script.SigHashNone || base == script.SigHashSingle {
				seq = 0
			}
			b = appendSigInput(b, in, code, seq)
		}
	}
	switch base {
	case script.SigHashNone:
		b = codec.AppendVarInt(b, 0)
	case script.SigHashSingle: // n == 0 here: exactly the first output, in full
		b = codec.AppendVarInt(b, 1)
		b = appendOutput(b, &t.Outputs[0])
	default:
		b = codec.AppendVarInt(b, uint64(len(t.Outputs)))
		for i := range t.Outputs {
			b = appendOutput(b, &t.Outputs[i])
		}
	}
	b = binary.LittleEndian.AppendUint32(b, t.LockTime)
	b = binary.LittleEndian.AppendUint32(b, uint32(hashType))
	return hashBytes(b), nil
}

func appendSigInput(b []byte, in *Input, code []byte, seq uint32) []byte {
	b = append(b, in.PreviousOutput.Hash[:]...)
	b = binary.LittleEndian.AppendUint32(b, in.PreviousOutput.Index)
	b = codec.AppendVarBytes(b, code)
	return binary.LittleEndian.AppendUint32(b, seq)
}

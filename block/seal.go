package block

import (
	"context"
	"errors"
	"fmt"

	"github.com/mvsgo/mvs/ethash"
)

// ErrNotPoW: only version-1 headers carry an Ethash seal.
var ErrNotPoW = errors.New("block: only PoW (version 1) headers are sealed with Ethash")

// VerifySeal checks a PoW header's Ethash seal with v: hashimoto of (SealHash, Nonce) at the
// header's epoch must reproduce MixHash and give a result within (2^256−1)/Bits. A failure
// is an *ethash.SealError (errors.Is with ethash.ErrMixMismatch or ethash.ErrAboveBoundary).
func (h *Header) VerifySeal(v *ethash.Verifier) error {
	if h.Version != VersionPoW {
		return fmt.Errorf("%w: version %d", ErrNotPoW, h.Version)
	}
	return v.Verify(uint64(h.Height), h.SealHash(), h.Nonce, h.MixHash, h.Bits.Big())
}

// VerifySeals checks the Ethash seals of many headers at once with v.VerifyBatch, several
// times faster per core than one VerifySeal each: what header sync wants for a run of
// headers before their bodies. errs must have one slot per header; each gets what VerifySeal
// would return (ErrNotPoW for a PoS or DPoS header, which has no seal). The returned error is
// non-nil only when the batch was not wholly checked (a length mismatch, or ctx cancelled:
// the unchecked slots then hold ctx's error).
func VerifySeals(ctx context.Context, v *ethash.Verifier, headers []*Header, errs []error) error {
	if len(errs) != len(headers) {
		return ethash.ErrBatchLength
	}
	seals := make([]ethash.Seal, 0, len(headers))
	slot := make([]int, 0, len(headers)) // header index of each seal
	for i, h := range headers {
		if h.Version != VersionPoW {
			errs[i] = fmt.Errorf("%w: version %d", ErrNotPoW, h.Version)
			continue
		}
		seals = append(seals, ethash.Seal{Height: uint64(h.Height), SealHash: h.SealHash(), Nonce: h.Nonce,
			MixDigest: h.MixHash, Difficulty: h.Bits.Big()})
		slot = append(slot, i)
	}
	sealErrs := make([]error, len(seals))
	err := v.VerifyBatch(ctx, seals, sealErrs)
	for k, i := range slot {
		errs[i] = sealErrs[k]
	}
	return err
}

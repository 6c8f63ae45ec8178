package block

import (
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

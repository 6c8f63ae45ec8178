package chain

import (
	"fmt"
	"math/big"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
)

// Timestamp windows (validate_block.cpp, constants.cpp): how far past the local clock a
// block's timestamp may be.
const (
	// WindowBeforeFutureTimeFork applies below Params.FutureTimeForkHeight.
	WindowBeforeFutureTimeFork = 2 * time.Hour
	// WindowFutureTimeFork applies from the future-time fork to the PoS fork.
	WindowFutureTimeFork = 24 * time.Second
	// WindowPoS applies from the PoS fork (block_timespan_window).
	WindowPoS = 38 * time.Second
)

// HeaderChain is the branch a new header extends, read by height: the main chain, or for a
// side chain its own headers above the fork and the main chain's below. The reference reads
// ancestors by height the same way (validate_block_impl::fetch_block).
type HeaderChain interface {
	// HeaderAt returns the branch's header at height, or nil when the branch has none there.
	HeaderAt(height uint32) *block.Header
}

// SealVerifier checks an Ethash seal; *ethash.Verifier satisfies it.
type SealVerifier interface {
	Verify(height uint64, sealHash [32]byte, nonce uint64, mixDigest [32]byte, difficulty *big.Int) error
}

// HeaderRules is what the contextual header checks need besides the header and its branch.
type HeaderRules struct {
	Params *mvs.Params
	// Now is the local clock; the future-timestamp rules compare against it.
	Now time.Time
	// Seal verifies PoW seals. Nil skips the seal check, which only a caller that has
	// verified the seal already (a batch verification of a run of headers) or a test may do.
	Seal SealVerifier
}

// CheckHeader applies every rule a header must pass in the context of the branch it
// extends, in the reference node's order (check_block, then accept_block), so that a header
// breaking several rules is refused for the same one: version, Ethash seal, the limit on
// consecutive PoW/PoS blocks, checkpoints, timestamps, then the difficulty. The genesis
// block is not checked here (it is valid by definition when its hash is the network's).
//
// The PoS kernel and stake, which need the block's coinstake and the UTXO set, are checked
// with the block's transactions, not here.
func CheckHeader(h *block.Header, branch HeaderChain, r HeaderRules) error {
	p := r.Params
	hash := h.Hash()
	fail := func(code ErrorCode, format string, args ...any) error {
		return ruleErr(code, h.Height, hash, format, args...)
	}
	if h.Height == 0 {
		return fail(ErrHeightMismatch, "height 0 is the genesis block's")
	}
	parent := branch.HeaderAt(h.Height - 1)
	if parent == nil {
		return fail(ErrUnknownParent, "no header at height %d on this branch", h.Height-1)
	}
	if parent.Hash() != h.PreviousBlockHash {
		return fail(ErrUnknownParent, "the branch's block %d is %s, not the previous hash %s", h.Height-1, parent.Hash(), h.PreviousBlockHash)
	}
	switch h.Version {
	case block.VersionPoW, block.VersionPoS:
	case block.VersionDPoS:
		return fail(ErrBlockVersion, "DPoS blocks are not enabled on %s", p.Name)
	default:
		return fail(ErrBlockVersion, "version %d is not a block version", h.Version)
	}
	if h.Version == block.VersionPoW && r.Seal != nil {
		if err := r.Seal.Verify(uint64(h.Height), h.SealHash(), h.Nonce, h.MixHash, h.Bits.Big()); err != nil {
			return fail(ErrBadSeal, "%v", err)
		}
	}
	if err := checkSuccessive(h, branch, p); err != nil {
		return fail(ErrSuccessiveBlocks, "%v", err)
	}
	if err := checkCheckpoint(h.Height, hash, p); err != nil {
		return fail(ErrCheckpoint, "%v", err)
	}
	if code, msg := checkTimestamp(h, parent, r.Now, p); code != 0 {
		return fail(code, "%s", msg)
	}
	if want := RequiredBits(h, branch, p); want != h.Bits {
		return fail(ErrBadBits, "bits %s, want %s", h.Bits, want)
	}
	return nil
}

// RequiredBits is the difficulty h must carry on its branch (work_required): computed by
// block.NextDifficulty from the last earlier block of h's version and the same-version block
// before that one.
func RequiredBits(h *block.Header, branch HeaderChain, p *mvs.Params) block.Difficulty {
	parent := branch.HeaderAt(h.Height - 1)
	last := lastOfVersion(parent, h.Version, branch, p)
	var llast *block.Header
	if last != nil && last.Height > 2 {
		llast = lastOfVersion(branch.HeaderAt(last.Height-1), h.Version, branch, p)
	}
	return block.NextDifficulty(h.Version, h.Height, h.Timestamp, last, llast, p)
}

// lastOfVersion is get_last_block_header: from (and including) from, the nearest header of
// the given version; a PoS search stops below the PoS fork.
func lastOfVersion(from *block.Header, version uint32, branch HeaderChain, p *mvs.Params) *block.Header {
	if from == nil {
		return nil
	}
	if from.Version == version {
		return from
	}
	return prevOfVersion(from.Height, version, true, branch, p)
}

// prevOfVersion is get_prev_block_header_impl: walking down from height-1 to 1, the first
// header whose version equals (same) or differs from (!same) version.
func prevOfVersion(height uint32, version uint32, same bool, branch HeaderChain, p *mvs.Params) *block.Header {
	if height < 2 {
		return nil
	}
	for height--; height > 0; height-- {
		if same && version == block.VersionPoS && height < p.PoSHeight {
			return nil
		}
		h := branch.HeaderAt(height)
		if h == nil {
			return nil
		}
		if (h.Version == version) == same {
			return h
		}
	}
	return nil
}

// checkSuccessive is check_max_successive_height_impl: above SuccessiveLimitHeight, the
// nearest earlier block of another version must be at most MaxSuccessivePoW (PoW) or
// MaxSuccessivePoS (PoS) blocks back, counting the new block.
func checkSuccessive(h *block.Header, branch HeaderChain, p *mvs.Params) error {
	if h.Height <= p.SuccessiveLimitHeight {
		return nil
	}
	limit := p.MaxSuccessivePoW
	if h.Version == block.VersionPoS {
		limit = p.MaxSuccessivePoS
	}
	other := prevOfVersion(h.Height, h.Version, false, branch, p)
	if other != nil && h.Height-other.Height > limit {
		return fmt.Errorf("%d consecutive blocks of version %d, at most %d", h.Height-other.Height, h.Version, limit)
	}
	return nil
}

func checkCheckpoint(height uint32, hash mvs.Hash, p *mvs.Params) error {
	for _, c := range p.Checkpoints {
		if c.Height == height && c.Hash != hash {
			return fmt.Errorf("checkpoint %d is %s", height, c.Hash)
		}
	}
	return nil
}

func checkTimestamp(h, parent *block.Header, now time.Time, p *mvs.Params) (ErrorCode, string) {
	ts := time.Unix(int64(h.Timestamp), 0)
	window := WindowBeforeFutureTimeFork
	if h.Height >= p.FutureTimeForkHeight {
		window = WindowFutureTimeFork
		if h.Height >= p.PoSHeight {
			window = WindowPoS
		}
	}
	if ts.After(now.Add(window)) {
		return ErrFutureTimestamp, fmt.Sprintf("timestamp %s is more than %s past the local clock %s",
			ts.UTC().Format(time.RFC3339), window, now.UTC().Format(time.RFC3339))
	}
	if h.Height >= p.FutureTimeForkHeight && h.Timestamp < parent.Timestamp {
		return ErrTimestampTooEarly, fmt.Sprintf("timestamp %d is before the parent's %d", h.Timestamp, parent.Timestamp)
	}
	return 0, ""
}

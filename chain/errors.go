package chain

import (
	"fmt"

	"github.com/mvsgo/mvs"
)

// ErrorCode names one consensus rule. Every refusal of a block or transaction by this
// package is a *RuleError carrying the code of the rule it broke; the code is itself an
// error, so callers branch with errors.Is(err, chain.ErrBadBits) or read the code with
// errors.As into *RuleError.
type ErrorCode int

// Codes are grouped by what they judge, each group in its own range and file: headers from
// 1 (this file), transactions from 100 (tx_errors.go), blocks as a whole from 200
// (block_errors.go), the chain's own (sanity, ancestry, checkpoints) from 300
// (chain_errors.go).
const (
	firstHeaderCode ErrorCode = 1
	firstTxCode     ErrorCode = 100
	firstBlockCode  ErrorCode = 200
)

// The header rules, one code each. The names match the reference node's error where it has
// one (error::incorrect_proof_of_work is ErrBadBits, and so on).
const (
	// ErrBlockVersion: a header version outside 1..3, or DPoS (3), which the public
	// networks never enabled (old_version_block, block_version_not_match).
	ErrBlockVersion ErrorCode = iota + firstHeaderCode
	// ErrBadBits: the header's difficulty is not the one computed from its same-version
	// ancestors (incorrect_proof_of_work).
	ErrBadBits
	// ErrFutureTimestamp: the timestamp is beyond the allowed window past the local clock
	// (futuristic_timestamp).
	ErrFutureTimestamp
	// ErrTimestampTooEarly: from the future-time fork, a timestamp before the parent's
	// (timestamp_too_early).
	ErrTimestampTooEarly
	// ErrCheckpoint: the block's hash differs from the checkpoint at its height
	// (checkpoints_failed).
	ErrCheckpoint
	// ErrSuccessiveBlocks: more consecutive PoW or PoS blocks than allowed
	// (block_intermix_interval_error).
	ErrSuccessiveBlocks
	// ErrBadSeal: the Ethash seal does not meet the difficulty or its mix digest differs
	// (proof_of_work).
	ErrBadSeal
	// ErrHeightMismatch: the header's height is not its parent's plus one.
	ErrHeightMismatch
	// ErrUnknownParent: the branch holds no header at the parent's height.
	ErrUnknownParent

	endHeaderCodes // keep last
)

var headerCodeNames = [...]string{
	ErrBlockVersion:      "ErrBlockVersion",
	ErrBadBits:           "ErrBadBits",
	ErrFutureTimestamp:   "ErrFutureTimestamp",
	ErrTimestampTooEarly: "ErrTimestampTooEarly",
	ErrCheckpoint:        "ErrCheckpoint",
	ErrSuccessiveBlocks:  "ErrSuccessiveBlocks",
	ErrBadSeal:           "ErrBadSeal",
	ErrHeightMismatch:    "ErrHeightMismatch",
	ErrUnknownParent:     "ErrUnknownParent",
}

// String is the code's Go name, stable for logs and for mvs-cli's JSON.
func (c ErrorCode) String() string {
	if name := codeName(c); name != "" {
		return name
	}
	return fmt.Sprintf("ErrorCode(%d)", int(c))
}

// codeName finds c in its group's table ("" when unknown).
func codeName(c ErrorCode) string {
	for _, g := range [...]struct {
		first, end ErrorCode
		names      []string
	}{
		{firstHeaderCode, endHeaderCodes, headerCodeNames[:]},
		{firstTxCode, endTxCodes, txCodeNames[:]},
		{firstBlockCode, endBlockCodes, blockCodeNames[:]},
		{firstChainCode, endChainCodes, chainCodeNames[:]},
	} {
		if c >= g.first && c < g.end && int(c) < len(g.names) {
			return g.names[c]
		}
	}
	return ""
}

// allCodes lists every code, for tests and documentation.
func allCodes() []ErrorCode {
	var all []ErrorCode
	for _, r := range [][2]ErrorCode{{firstHeaderCode, endHeaderCodes}, {firstTxCode, endTxCodes}, {firstBlockCode, endBlockCodes}, {firstChainCode, endChainCodes}} {
		for c := r[0]; c < r[1]; c++ {
			all = append(all, c)
		}
	}
	return all
}

// Error makes a code usable as an errors.Is target.
func (c ErrorCode) Error() string { return c.String() }

// RuleError is a block or transaction refused by a consensus rule: which rule, at which
// block, why in words, and the error of the package that judged it when another did (an
// asset rule's sentinel, a script error).
type RuleError struct {
	Code   ErrorCode
	Height uint32
	Hash   mvs.Hash // the block's hash, when known
	Msg    string
	Err    error // the underlying refusal, or nil
}

func (e *RuleError) Error() string {
	if e.Hash == (mvs.Hash{}) {
		return fmt.Sprintf("block %d: %s: %s", e.Height, e.Code, e.Msg)
	}
	return fmt.Sprintf("block %d %s: %s: %s", e.Height, e.Hash, e.Code, e.Msg)
}

// Unwrap returns the code and the underlying error, so errors.Is(err, code) holds and so
// does errors.Is(err, asset.ErrAssetAmount) for an asset rule's refusal.
func (e *RuleError) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Code}
	}
	return []error{e.Code, e.Err}
}

func ruleErr(code ErrorCode, height uint32, hash mvs.Hash, format string, args ...any) *RuleError {
	return &RuleError{Code: code, Height: height, Hash: hash, Msg: fmt.Sprintf(format, args...)}
}

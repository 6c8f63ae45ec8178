package block

import (
	"errors"
	"fmt"

	"github.com/mvsgo/mvs"
)

// ErrBranchIndex is returned by MerkleBranch for an index outside the hashes, and by
// MerkleRootFromBranch for an index that a branch of that length cannot reach.
var ErrBranchIndex = errors.New("block: merkle branch index out of range")

// MaxBranchLen bounds a merkle branch: a block under MaxBlockSize holds fewer than 2^17
// transactions (each is at least tx.MinTxSize bytes), so no real branch is longer than 17.
const MaxBranchLen = 17

// MerkleBranch returns the sibling hashes that lead from hashes[index] to MerkleRoot(hashes),
// bottom level first, in the tree MerkleRoot builds (a level with an odd count repeats its
// last hash, so the last element's sibling can be itself). One transaction has an empty
// branch: its id is the root.
func MerkleBranch(hashes []mvs.Hash, index int) ([]mvs.Hash, error) {
	if index < 0 || index >= len(hashes) {
		return nil, fmt.Errorf("%w: index %d of %d hashes", ErrBranchIndex, index, len(hashes))
	}
	var branch []mvs.Hash
	level := append([]mvs.Hash(nil), hashes...)
	var pair [64]byte
	for len(level) > 1 {
		if len(level)%2 == 1 {
			level = append(level, level[len(level)-1])
		}
		branch = append(branch, level[index^1])
		for i := 0; i < len(level); i += 2 {
			copy(pair[:32], level[i][:])
			copy(pair[32:], level[i+1][:])
			level[i/2] = mvs.DoubleSHA256(pair[:])
		}
		level = level[:len(level)/2]
		index /= 2
	}
	return branch, nil
}

// MerkleRootFromBranch folds branch (from MerkleBranch) onto leaf at index: bit i of index
// says whether the running hash is the right (1) or left (0) child at level i. It refuses an
// index with bits above the branch's length (two indexes would then prove the same leaf),
// and a branch longer than MaxBranchLen.
//
// A root match proves leaf is a node of the tree at that position; that it is a
// transaction and not an inner node (64 bytes of two child hashes) is the caller's to know:
// a proof carries the transaction's bytes, and any transaction that is not exactly 64
// bytes long cannot be mistaken for one.
func MerkleRootFromBranch(leaf mvs.Hash, index int, branch []mvs.Hash) (mvs.Hash, error) {
	if len(branch) > MaxBranchLen {
		return mvs.Hash{}, fmt.Errorf("%w: branch of %d hashes (at most %d)", ErrBranchIndex, len(branch), MaxBranchLen)
	}
	if index < 0 || index>>len(branch) != 0 {
		return mvs.Hash{}, fmt.Errorf("%w: index %d with a branch of %d hashes", ErrBranchIndex, index, len(branch))
	}
	h := leaf
	var pair [64]byte
	for _, sib := range branch {
		if index&1 == 1 {
			copy(pair[:32], sib[:])
			copy(pair[32:], h[:])
		} else {
			copy(pair[:32], h[:])
			copy(pair[32:], sib[:])
		}
		h = mvs.DoubleSHA256(pair[:])
		index >>= 1
	}
	return h, nil
}

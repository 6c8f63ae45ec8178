package block_test

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
)

// realBlocks reads the real mainnet blocks of testdata/real-blocks.json.
func realBlocks(t testing.TB) map[string]*block.Block {
	t.Helper()
	b, err := os.ReadFile("testdata/real-blocks.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Blocks []struct{ Name, Raw string }
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	out := map[string]*block.Block{}
	for _, rb := range v.Blocks {
		raw, err := hex.DecodeString(rb.Raw)
		if err != nil {
			t.Fatal(err)
		}
		blk, err := block.Decode(raw)
		if err != nil {
			t.Fatal(err)
		}
		out[rb.Name] = blk
	}
	return out
}

func hashN(n int) []mvs.Hash {
	hs := make([]mvs.Hash, n)
	for i := range hs {
		hs[i] = mvs.DoubleSHA256([]byte(fmt.Sprint("tx", i)))
	}
	return hs
}

func mustHash(t testing.TB, s string) mvs.Hash {
	t.Helper()
	h, err := mvs.ParseHash(s)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// checkAllBranches proves every index's branch folds back to root.
func checkAllBranches(t *testing.T, hs []mvs.Hash, root mvs.Hash) {
	t.Helper()
	for i := range hs {
		br, err := block.MerkleBranch(hs, i)
		if err != nil {
			t.Fatalf("index %d: %v", i, err)
		}
		got, err := block.MerkleRootFromBranch(hs[i], i, br)
		if err != nil || got != root {
			t.Fatalf("index %d of %d: root %s, %v; want %s", i, len(hs), got, err, root)
		}
	}
}

func TestMerkleBranchRealBlocks(t *testing.T) {
	for name, blk := range realBlocks(t) {
		t.Run(name, func(t *testing.T) {
			checkAllBranches(t, blk.TxHashes(), blk.Header.MerkleRoot)
		})
	}
	// Bitcoin block 100000 (four transactions, two levels): MVS keeps Bitcoin's tree, and
	// the MVS vectors hold no block with more than two transactions.
	t.Run("bitcoin block 100000", func(t *testing.T) {
		var hs []mvs.Hash
		for _, s := range []string{
			"8c14f0db3df150123e6f3dbbf30f8b955a8249b62ac1d1ff16284aefa3d06d87",
			"fff2525b8931402dd09222c50775608f75787bd2b87e56995a7bdd30f79702c4",
			"6359f0868171b1d194cbee1af2f16ea598ae8fad666d9b012c8ed2b79a236ec4",
			"e9a66845e05d5abc0ad04ec80f774a7e585c6e8db975962d069a522137b80c1d",
		} {
			hs = append(hs, mustHash(t, s))
		}
		root := mustHash(t, "f3e94742aca4b5ef85488dc37c06c3282295ffec960994b2c0d5ac2a25a95766")
		if got := block.MerkleRoot(hs); got != root {
			t.Fatalf("MerkleRoot %s, want %s", got, root)
		}
		checkAllBranches(t, hs, root)
	})
}

// Every index of every tree size up to 70 (odd levels at several heights) reproduces
// MerkleRoot, the code the block checks use.
func TestMerkleBranchAllSizes(t *testing.T) {
	for n := 1; n <= 70; n++ {
		hs := hashN(n)
		checkAllBranches(t, hs, block.MerkleRoot(hs))
	}
}

func TestMerkleBranchRefusals(t *testing.T) {
	hs := hashN(5)
	root := block.MerkleRoot(hs)
	br, err := block.MerkleBranch(hs, 2)
	if err != nil {
		t.Fatal(err)
	}
	flipped := append([]mvs.Hash(nil), br...)
	flipped[1][0] ^= 1
	tests := []struct {
		name   string
		leaf   mvs.Hash
		index  int
		branch []mvs.Hash
		err    error // nil: folds to another root
	}{
		{"wrong leaf", hs[3], 2, br, nil},
		{"wrong index", hs[2], 3, br, nil},
		{"altered sibling", hs[2], 2, flipped, nil},
		{"short branch", hs[2], 2, br[:2], nil},
		{"index beyond the branch", hs[2], 2 + 1<<len(br), br, block.ErrBranchIndex},
		{"negative index", hs[2], -1, br, block.ErrBranchIndex},
		{"oversized branch", hs[2], 2, make([]mvs.Hash, block.MaxBranchLen+1), block.ErrBranchIndex},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := block.MerkleRootFromBranch(tc.leaf, tc.index, tc.branch)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("err %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil || got == root {
				t.Fatalf("root %s, %v: want another root", got, err)
			}
		})
	}
	for _, i := range []int{-1, 5} {
		if _, err := block.MerkleBranch(hs, i); !errors.Is(err, block.ErrBranchIndex) {
			t.Fatalf("MerkleBranch(%d): %v", i, err)
		}
	}
	if _, err := block.MerkleBranch(nil, 0); !errors.Is(err, block.ErrBranchIndex) {
		t.Fatalf("MerkleBranch(nil): %v", err)
	}
}

func BenchmarkMerkleBranch(b *testing.B) {
	hs := hashN(2000)
	for b.Loop() {
		if _, err := block.MerkleBranch(hs, 1234); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMerkleRootFromBranch(b *testing.B) {
	hs := hashN(2000)
	br, _ := block.MerkleBranch(hs, 1234)
	for b.Loop() {
		if _, err := block.MerkleRootFromBranch(hs[1234], 1234, br); err != nil {
			b.Fatal(err)
		}
	}
}

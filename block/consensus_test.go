package block

import (
	"math/big"
	"testing"

	"github.com/mvsgo/mvs"
)

// TestSubsidyTable is chain.md §5.3's table, computed by the reference in C with glibc.
func TestSubsidyTable(t *testing.T) {
	p := mvs.MainNet()
	rows := []struct {
		rate                 uint32
		prePoW, postPoW, pos mvs.Amount
	}{
		{0, 300000000, 300000000, 30000000},
		{1, 285000000, 285000000, 28500000},
		{2, 270750000, 270750000, 27075000},
		{3, 257212499, 257212500, 25721250},
		{4, 244351874, 244351875, 24435187},
		{5, 232134281, 193445234, 23213428},
		{6, 220527567, 183772973, 22052757},
		{7, 209501188, 174584324, 20950119},
	}
	for _, r := range rows {
		h := r.rate * p.RewardRateInterval
		// Pre-PoS rule, computed at a test network whose fork lies beyond every height.
		pre := mvs.MainNet()
		pre.PoSHeight = ^uint32(0)
		if got := Subsidy(h, VersionPoW, pre); got != r.prePoW {
			t.Errorf("rate %d pre-PoS PoW: %d, want %d", r.rate, got, r.prePoW)
		}
		post := mvs.MainNet()
		post.PoSHeight = 0
		if got := Subsidy(h, VersionPoW, post); got != r.postPoW {
			t.Errorf("rate %d post-PoS PoW: %d, want %d", r.rate, got, r.postPoW)
		}
		if got := Subsidy(h, VersionPoS, p); got != r.pos {
			t.Errorf("rate %d PoS: %d, want %d", r.rate, got, r.pos)
		}
	}
	// The real coinbases: block 2,200,000 (PoW, after the fork) and 3,588,504 (PoS).
	if got := Subsidy(2_200_000, VersionPoW, p); got != 244351875 {
		t.Errorf("block 2,200,000: %d", got)
	}
	if got := Subsidy(3_588_504, VersionPoS, p); got != 20950119 {
		t.Errorf("block 3,588,504: %d", got)
	}
}

func TestNextDifficulty(t *testing.T) {
	p := mvs.MainNet()
	hdr := func(bits uint64, ts uint32) *Header { return &Header{Bits: DifficultyFromUint64(bits), Timestamp: ts} }
	u := func(d Difficulty) uint64 { v, _ := d.Uint64(); return v }
	const b = 10_000_000_000
	tests := []struct {
		name    string
		version uint32
		height  uint32
		ts      uint32
		prev    *Header
		pprev   *Header
		want    uint64
	}{
		{"v1 slow block eases", VersionPoW, 1000, 1024, hdr(b, 1000), nil, b - b/1024},
		{"v1 fast block hardens", VersionPoW, 1000, 1023, hdr(b, 1000), nil, b + b/1024},
		{"v1 floored", VersionPoW, 1000, 2000, hdr(p.MinPoWDifficulty, 1000), nil, p.MinPoWDifficulty},
		{"v2 PoW on time", VersionPoW, 2_000_000, 1020, hdr(b, 1000), nil, b},
		{"v2 PoW fast", VersionPoW, 2_000_000, 1005, hdr(b, 1000), nil, b + 2*(b/2048)},
		{"v2 PoW very slow capped at -99", VersionPoW, 2_000_000, 100000, hdr(b, 1000), nil, b - 99*(b/2048)},
		{"v2 PoW negative interval: C division", VersionPoW, 2_000_000, 985, hdr(b, 1000), nil, b + 3*(b/2048)},
		{"PoS uses the previous interval", VersionPoS, 3_000_000, 99999, hdr(b, 1000), hdr(b, 820), b},
		{"PoS without pprev is the minimum", VersionPoS, 3_000_000, 1000, hdr(b, 1000), nil, p.MinPoSDifficulty},
		{"no prev is the minimum", VersionPoW, 5, 1000, nil, nil, p.MinPoWDifficulty},
	}
	for _, tc := range tests {
		if got := u(NextDifficulty(tc.version, tc.height, tc.ts, tc.prev, tc.pprev, p)); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestBoundary(t *testing.T) {
	max := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	if Boundary(DifficultyFromUint64(1)).Cmp(max) != 0 || Boundary(Difficulty{}).Sign() != 0 {
		t.Fatal("boundary of 1 or 0")
	}
	// For a power of two MVS's boundary is one less than Ethereum's 2^256/D.
	eth := new(big.Int).Rsh(new(big.Int).Lsh(big.NewInt(1), 256), 4)
	if new(big.Int).Sub(eth, Boundary(DifficultyFromUint64(16))).Int64() != 1 {
		t.Fatal("boundary of 16")
	}
}

// TestRealPoSKernel: block 3,588,504's kernel passes with its stake weight (30000, s = 10)
// read little-endian, and fails read big-endian (chain.md §5.6).
func TestRealPoSKernel(t *testing.T) {
	blk, err := Decode(mustHex(t, loadRealBlocks(t)[1].Raw))
	if err != nil {
		t.Fatal(err)
	}
	stake := blk.Transactions[1].Inputs[0].PreviousOutput
	value := mvs.Amount(1024) * mvs.SatoshiPerETP // any value with round(log2(ETP)) = 10
	if StakeWeight(value) != 30000 {
		t.Fatalf("weight %d", StakeWeight(value))
	}
	if !CheckKernel(&blk.Header, stake.Hash, stake.Index, value) {
		t.Fatal("real kernel fails")
	}
	k := KernelHash(&blk.Header, stake.Hash, stake.Index)
	be := new(big.Int).SetBytes(k[:])
	if be.Quo(be, big.NewInt(30000)).Cmp(Boundary(blk.Header.Bits)) <= 0 {
		t.Fatal("big-endian reading passes too; the test would not tell them apart")
	}
}

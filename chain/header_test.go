package chain

import (
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
)

// branch is a HeaderChain held in a slice, index = height.
type branch []*block.Header

func (b branch) HeaderAt(h uint32) *block.Header {
	if int(h) >= len(b) {
		return nil
	}
	return b[h]
}

// testParams are RegTest's with the forks brought low, so one short branch crosses them.
func testParams() *mvs.Params {
	p := mvs.RegTest()
	p.FutureTimeForkHeight = 10
	p.PoSHeight = 30
	p.SuccessiveLimitHeight = 40
	p.MaxSuccessivePoW = 5
	p.MaxSuccessivePoS = 3
	p.MinPoWDifficulty = 1000
	p.MinPoSDifficulty = 500
	return p
}

const spacing = 20 // seconds between test blocks

// grow appends a valid header of the given version to b.
func grow(b branch, version uint32, p *mvs.Params) branch {
	parent := b[len(b)-1]
	h := &block.Header{Version: version, PreviousBlockHash: parent.Hash(), Timestamp: parent.Timestamp + spacing,
		Height: parent.Height + 1, Nonce: uint64(len(b))}
	h.Bits = RequiredBits(h, b, p)
	return append(b, h)
}

// build makes a branch from genesis following the versions in pattern ('w' PoW, 's' PoS).
func build(t testing.TB, p *mvs.Params, pattern string) branch {
	g, err := block.Genesis(p)
	if err != nil {
		t.Fatal(err)
	}
	b := branch{&g.Header}
	for _, c := range pattern {
		v := block.VersionPoW
		if c == 's' {
			v = block.VersionPoS
		}
		b = grow(b, v, p)
	}
	return b
}

type sealFunc func(height uint64, sealHash [32]byte, nonce uint64, mix [32]byte, d *big.Int) error

func (f sealFunc) Verify(height uint64, sealHash [32]byte, nonce uint64, mix [32]byte, d *big.Int) error {
	return f(height, sealHash, nonce, mix, d)
}

var errSeal = errors.New("mix digest mismatch")

// TestCheckHeaderRules: a header valid on its branch passes, and one valid but for one rule is
// refused with that rule's code.
func TestCheckHeaderRules(t *testing.T) {
	p := testParams()
	// 35 PoW blocks, then PoS and PoW mixed past the successive-limit height.
	pow35 := strings.Repeat("w", 35)
	base := build(t, p, pow35+"sswsswss")
	tip := base[len(base)-1]
	now := time.Unix(int64(tip.Timestamp), 0)
	goodSeal := sealFunc(func(uint64, [32]byte, uint64, [32]byte, *big.Int) error { return nil })

	type tc struct {
		name   string
		branch branch // nil: base
		v      uint32
		edit   func(h *block.Header, b branch) // after bits are set
		rebits bool                            // recompute bits after edit
		seal   SealVerifier
		now    time.Time
		want   ErrorCode // 0: valid
	}
	cases := []tc{
		{name: "valid PoW", v: block.VersionPoW},
		{name: "valid PoS", v: block.VersionPoS},
		{name: "DPoS not enabled", v: block.VersionDPoS, want: ErrBlockVersion},
		{name: "version 4", v: 4, want: ErrBlockVersion},
		{name: "bits one too high", v: block.VersionPoW, edit: func(h *block.Header, _ branch) {
			h.Bits, _ = block.DifficultyFromBig(new(big.Int).Add(h.Bits.Big(), big.NewInt(1)))
		}, want: ErrBadBits},
		{name: "bits of the other version", v: block.VersionPoS, edit: func(h *block.Header, b branch) {
			h.Bits = RequiredBits(&block.Header{Version: block.VersionPoW, Height: h.Height, Timestamp: h.Timestamp}, b, p)
		}, want: ErrBadBits},
		{name: "seal fails", v: block.VersionPoW, seal: sealFunc(func(uint64, [32]byte, uint64, [32]byte, *big.Int) error { return errSeal }), want: ErrBadSeal},
		{name: "PoS is not sealed with Ethash", v: block.VersionPoS, seal: sealFunc(func(uint64, [32]byte, uint64, [32]byte, *big.Int) error { return errSeal })},
		{name: "PoS timestamp 38 s ahead", v: block.VersionPoS, edit: func(h *block.Header, _ branch) { h.Timestamp = uint32(now.Unix()) + 38 }, rebits: true},
		{name: "PoS timestamp 39 s ahead", v: block.VersionPoS, edit: func(h *block.Header, _ branch) { h.Timestamp = uint32(now.Unix()) + 39 }, rebits: true, want: ErrFutureTimestamp},
		{name: "timestamp before parent", v: block.VersionPoW, edit: func(h *block.Header, b branch) { h.Timestamp = b[len(b)-1].Timestamp - 1 }, rebits: true, want: ErrTimestampTooEarly},
		{name: "timestamp equal to parent", v: block.VersionPoW, edit: func(h *block.Header, b branch) { h.Timestamp = b[len(b)-1].Timestamp }, rebits: true},
		{name: "wrong previous hash", v: block.VersionPoW, edit: func(h *block.Header, _ branch) { h.PreviousBlockHash[0] ^= 1 }, want: ErrUnknownParent},
		{name: "sixth PoW in a row", branch: build(t, p, pow35+"swwwww"), v: block.VersionPoW, want: ErrSuccessiveBlocks},
		{name: "fifth PoW in a row", branch: build(t, p, pow35+"swwww"), v: block.VersionPoW},
		{name: "fourth PoS in a row", branch: build(t, p, pow35+"wwwwwwsss"), v: block.VersionPoS, want: ErrSuccessiveBlocks},
		{name: "successive limit not yet active", branch: build(t, p, strings.Repeat("w", 39)), v: block.VersionPoW},
		// Before the future-time fork: 2 h ahead allowed, and earlier than the parent too.
		{name: "early: 2 h ahead", branch: build(t, p, "www"), v: block.VersionPoW, now: time.Unix(int64(base[3].Timestamp), 0),
			edit: func(h *block.Header, b branch) { h.Timestamp = b[3].Timestamp + 7200 }, rebits: true},
		{name: "early: 2 h 1 s ahead", branch: build(t, p, "www"), v: block.VersionPoW, now: time.Unix(int64(base[3].Timestamp), 0),
			edit: func(h *block.Header, b branch) { h.Timestamp = b[3].Timestamp + 7201 }, rebits: true, want: ErrFutureTimestamp},
		{name: "early: before parent", branch: build(t, p, "www"), v: block.VersionPoW, now: time.Unix(int64(base[3].Timestamp), 0),
			edit: func(h *block.Header, b branch) { h.Timestamp = b[3].Timestamp - 5 }, rebits: true},
		{name: "fork window: 25 s ahead", branch: build(t, p, strings.Repeat("w", 12)), v: block.VersionPoW, now: time.Unix(int64(base[12].Timestamp), 0),
			edit: func(h *block.Header, b branch) { h.Timestamp = b[12].Timestamp + 25 }, rebits: true, want: ErrFutureTimestamp},
	}
	// A checkpoint at the next height that names another hash.
	cp := testParams()
	cp.Checkpoints = append(cp.Checkpoints, mvs.Checkpoint{Height: tip.Height + 1, Hash: mvs.Hash{1}})

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := c.branch
			if b == nil {
				b = base
			}
			b = grow(b, c.v, p)
			h := *b[len(b)-1]
			b = b[:len(b)-1]
			if c.edit != nil {
				c.edit(&h, b)
				if c.rebits {
					h.Bits = RequiredBits(&h, b, p)
				}
			}
			r := HeaderRules{Params: p, Now: now, Seal: goodSeal}
			if c.seal != nil {
				r.Seal = c.seal
			}
			if !c.now.IsZero() {
				r.Now = c.now
			}
			err := CheckHeader(&h, b, r)
			checkCode(t, err, c.want)
		})
	}
	t.Run("checkpoint", func(t *testing.T) {
		b := grow(base, block.VersionPoW, cp)
		err := CheckHeader(b[len(b)-1], b[:len(b)-1], HeaderRules{Params: cp, Now: now, Seal: goodSeal})
		checkCode(t, err, ErrCheckpoint)
	})
}

func checkCode(t *testing.T, err error, want ErrorCode) {
	t.Helper()
	if want == 0 {
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		return
	}
	var re *RuleError
	if !errors.As(err, &re) || re.Code != want || !errors.Is(err, want) {
		t.Fatalf("got %v, want %v", err, want)
	}
}

// TestRequiredBitsLooksBackBySameVersion: a PoS block's difficulty comes from the last two
// PoS blocks however many PoW blocks lie between, and a PoW block's from the last PoW block.
func TestRequiredBitsLooksBackBySameVersion(t *testing.T) {
	p := testParams()
	b := build(t, p, strings.Repeat("w", 32)+"ss")
	lastPoS, prevPoS := b[len(b)-1], b[len(b)-2]
	b = build(t, p, strings.Repeat("w", 32)+"sswww")
	h := &block.Header{Version: block.VersionPoS, Height: uint32(len(b)), Timestamp: b[len(b)-1].Timestamp + spacing}
	want := block.NextDifficulty(block.VersionPoS, h.Height, h.Timestamp, lastPoS, prevPoS, p)
	if got := RequiredBits(h, b, p); got != want {
		t.Fatalf("PoS bits %s, want %s from blocks %d and %d", got, want, lastPoS.Height, prevPoS.Height)
	}
	lastPoW := b[len(b)-1]
	h = &block.Header{Version: block.VersionPoW, Height: uint32(len(b)), Timestamp: lastPoW.Timestamp + 3}
	if got, want := RequiredBits(h, b, p), block.NextDifficulty(block.VersionPoW, h.Height, h.Timestamp, lastPoW, nil, p); got != want {
		t.Fatalf("PoW bits %s, want %s", got, want)
	}
	// The first PoS block after the fork has no PoS ancestor: the minimum.
	b = build(t, p, strings.Repeat("w", 31))
	h = &block.Header{Version: block.VersionPoS, Height: uint32(len(b)), Timestamp: b[len(b)-1].Timestamp + spacing}
	if got := RequiredBits(h, b, p); got != block.DifficultyFromUint64(p.MinPoSDifficulty) {
		t.Fatalf("first PoS bits %s", got)
	}
}

func TestErrorCodeNames(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range allCodes() {
		name := c.String()
		if !strings.HasPrefix(name, "Err") || seen[name] {
			t.Errorf("code %d: name %q", int(c), name)
		}
		seen[name] = true
		e := &RuleError{Code: c, Msg: "x"}
		if !errors.Is(e, c) || errors.Is(e, ErrorCode(999)) || !strings.Contains(e.Error(), name) {
			t.Errorf("%s: errors.Is or message broken: %v", name, e)
		}
	}
	if s := ErrorCode(0).String(); s != "ErrorCode(0)" {
		t.Errorf("zero code: %s", s)
	}
}

func TestMedianTimePast(t *testing.T) {
	mk := func(ts ...uint32) branch {
		var b branch
		for i, s := range ts {
			b = append(b, &block.Header{Height: uint32(i), Timestamp: s})
		}
		return b
	}
	for _, c := range []struct {
		b      branch
		height uint32
		want   int64
	}{
		{mk(100), 0, 0},
		{mk(100), 1, 100},
		{mk(100, 300, 200), 3, 200},
		{mk(100, 300, 200, 50), 4, 200}, // even count: the upper median, as the node takes times[size/2]
		{mk(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13), 13, 8}, // only the last 11: 3..13
		{mk(13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1), 13, 6}, // unsorted input
		{mk(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13), 5, 3},  // below the tip
	} {
		if got := MedianTimePast(c.b, c.height); got != c.want {
			t.Errorf("%v at %d: %d, want %d", c.b, c.height, got, c.want)
		}
	}
}

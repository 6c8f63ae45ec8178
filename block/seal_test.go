package block

import (
	"context"
	"errors"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/ethash"
)

// TestRealSeal verifies mainnet block 2,200,000's seal (epoch 73, real cache sizes), then
// with a changed nonce and a changed header field.
func TestRealSeal(t *testing.T) {
	blk, err := Decode(mustHex(t, loadRealBlocks(t)[0].Raw))
	if err != nil {
		t.Fatal(err)
	}
	v := ethash.New(ethash.Config{})
	defer v.Close()
	if err := blk.Header.VerifySeal(v); err != nil {
		t.Fatalf("real seal: %v", err)
	}
	h := blk.Header
	h.Timestamp++ // covered by the seal hash
	if err := h.VerifySeal(v); !errors.Is(err, ethash.ErrMixMismatch) {
		t.Fatalf("changed timestamp: %v", err)
	}
	pos, _ := Decode(mustHex(t, loadRealBlocks(t)[1].Raw))
	if err := pos.Header.VerifySeal(v); !errors.Is(err, ErrNotPoW) {
		t.Fatalf("PoS header: %v", err)
	}
	// The batch: each slot as VerifySeal says, the tampered header's failure its own.
	headers := []*Header{&blk.Header, &h, &pos.Header, &blk.Header}
	errs := make([]error, len(headers))
	if err := VerifySeals(context.Background(), v, headers, errs); err != nil {
		t.Fatal(err)
	}
	if errs[0] != nil || !errors.Is(errs[1], ethash.ErrMixMismatch) || !errors.Is(errs[2], ErrNotPoW) || errs[3] != nil {
		t.Fatalf("batch: %v", errs)
	}
	if err := VerifySeals(context.Background(), v, headers, errs[:1]); !errors.Is(err, ethash.ErrBatchLength) {
		t.Fatalf("short errs: %v", err)
	}
}

// TestRegTestMining: RegTest's difficulty lets a test mine a block in milliseconds with the
// test-only Ethash sizes, and the mined header verifies.
func TestRegTestMining(t *testing.T) {
	p := mvs.RegTest()
	genesis, err := Genesis(p)
	if err != nil {
		t.Fatal(err)
	}
	h := Header{Version: VersionPoW, PreviousBlockHash: genesis.Hash(), MerkleRoot: mvs.Hash{1},
		Timestamp: genesis.Header.Timestamp + 20, Height: 1}
	h.Bits = NextDifficulty(VersionPoW, 1, h.Timestamp, &genesis.Header, nil, p)
	v := ethash.New(ethash.Config{Sizes: ethash.SmallSizes})
	defer v.Close()
	res, err := v.Search(context.Background(), uint64(h.Height), h.SealHash(), h.Bits.Big(), 0, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	h.Nonce, h.MixHash = res.Nonce, res.Mix
	if err := h.VerifySeal(v); err != nil {
		t.Fatalf("mined header: %v", err)
	}
}

package ethash_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/big"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/mvsgo/mvs/ethash"
)

// sameResult reports whether a batch slot says exactly what Verify said: both nil, or the
// same check failing with the same mix and result, or the same error otherwise.
func sameResult(batch, single error) bool {
	if batch == nil || single == nil {
		return batch == single
	}
	var a, b *ethash.SealError
	if errors.As(batch, &a) != errors.As(single, &b) {
		return false
	}
	if a != nil {
		return a.Check == b.Check && a.Mix == b.Mix && a.Result == b.Result
	}
	return batch.Error() == single.Error()
}

// randomSeals mixes valid seals (found by Search), the same seals tampered, random inputs,
// odd difficulties and heights past the last epoch, over several epochs.
func randomSeals(t *testing.T, v *ethash.Verifier, rng *rand.Rand, n int) []ethash.Seal {
	t.Helper()
	seals := make([]ethash.Seal, n)
	for i := range seals {
		s := &seals[i]
		s.Height = rng.Uint64N(4 * ethash.EpochLength)
		for k := range s.SealHash {
			s.SealHash[k] = byte(rng.Uint32())
		}
		s.Nonce = rng.Uint64()
		s.Difficulty = big.NewInt(int64(rng.IntN(40) + 1)) // small: Search finds seals fast
		switch rng.IntN(8) {
		case 0, 1, 2: // valid
			res, err := v.Search(context.Background(), s.Height, s.SealHash, s.Difficulty, s.Nonce, 0, 1)
			if err != nil {
				t.Fatal(err)
			}
			s.Nonce, s.MixDigest = res.Nonce, res.Mix
		case 3: // right mix, boundary too low
			mix, _, err := v.Hash(s.Height, s.SealHash, s.Nonce)
			if err != nil {
				t.Fatal(err)
			}
			s.MixDigest, s.Difficulty = mix, new(big.Int).Lsh(big.NewInt(1), 255)
		case 4: // odd difficulties
			mix, _, _ := v.Hash(s.Height, s.SealHash, s.Nonce)
			s.MixDigest = mix
			s.Difficulty = []*big.Int{nil, big.NewInt(0), big.NewInt(-5), big.NewInt(1), new(big.Int).Lsh(big.NewInt(1), 300)}[rng.IntN(5)]
		case 5:
			s.Height = (ethash.MaxEpoch + 1 + rng.Uint64N(5)) * ethash.EpochLength
		default: // random mix
		}
	}
	return seals
}

// Every slot must equal Verify's result on the same inputs, whatever the batch's length,
// the epochs' order and the number of workers.
func TestVerifyBatchMatchesVerify(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, workers := range []int{1, 2, 3} {
		v := ethash.New(ethash.Config{Sizes: ethash.SmallSizes, Workers: workers, KeepEpochs: 4})
		for _, n := range []int{0, 1, 2, 7, 8, 9, 31, 100} {
			seals := randomSeals(t, v, rng, n)
			errs := make([]error, n)
			if err := v.VerifyBatch(context.Background(), seals, errs); err != nil {
				t.Fatal(err)
			}
			for i, s := range seals {
				want := v.Verify(s.Height, s.SealHash, s.Nonce, s.MixDigest, s.Difficulty)
				if !sameResult(errs[i], want) {
					t.Fatalf("workers %d, batch of %d, seal %d (height %d): batch says %v, Verify %v", workers, n, i, s.Height, errs[i], want)
				}
			}
		}
		v.Close()
	}
}

type lightVector struct {
	Block      uint64
	HeaderHash string `json:"header_hash"`
	Mix        string
	Nonce      uint64
}

func loadLightVectors(t testing.TB) []lightVector {
	raw, err := os.ReadFile("testdata/ethash.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Light []lightVector `json:"light_real_sizes"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	return v.Light
}

func hex32(t testing.TB, s string) [32]byte {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 32 {
		t.Fatalf("bad hex %q", s)
	}
	return [32]byte(b)
}

// Real blocks at real sizes (epoch 0 and MVS mainnet block 2,200,000 in epoch 73),
// interleaved, with a tampered nonce and a tampered mix in the middle of the batch: only
// those two slots fail, and with the check Verify names.
func TestVerifyBatchRealBlocks(t *testing.T) {
	if testing.Short() {
		t.Skip("generates two real caches")
	}
	vecs := loadLightVectors(t)
	v := ethash.New(ethash.Config{})
	defer v.Close()
	var seals []ethash.Seal
	for i := 0; i < 40; i++ {
		x := vecs[i%len(vecs)]
		seals = append(seals, ethash.Seal{Height: x.Block, SealHash: hex32(t, x.HeaderHash), Nonce: x.Nonce,
			MixDigest: hex32(t, x.Mix), Difficulty: big.NewInt(1)})
	}
	seals[17].Nonce++
	seals[22].MixDigest[31] ^= 0x80
	errs := make([]error, len(seals))
	if err := v.VerifyBatch(context.Background(), seals, errs); err != nil {
		t.Fatal(err)
	}
	for i, err := range errs {
		switch i {
		case 17, 22:
			if !errors.Is(err, ethash.ErrMixMismatch) {
				t.Errorf("tampered seal %d: %v", i, err)
			}
		default:
			if err != nil {
				t.Errorf("real seal %d (block %d): %v", i, seals[i].Height, err)
			}
		}
		s := seals[i]
		if want := v.Verify(s.Height, s.SealHash, s.Nonce, s.MixDigest, s.Difficulty); !sameResult(err, want) {
			t.Errorf("seal %d: batch %v, Verify %v", i, err, want)
		}
	}
}

func TestVerifyBatchLengthMismatch(t *testing.T) {
	v := ethash.New(ethash.Config{Sizes: ethash.SmallSizes})
	defer v.Close()
	if err := v.VerifyBatch(context.Background(), make([]ethash.Seal, 3), make([]error, 2)); !errors.Is(err, ethash.ErrBatchLength) {
		t.Fatalf("3 seals, 2 slots: %v", err)
	}
}

// A cancelled batch returns the context's error and leaves no slot nil that was not
// checked: an unchecked seal must never read as valid.
func TestVerifyBatchCancelled(t *testing.T) {
	v := ethash.New(ethash.Config{Sizes: ethash.SmallSizes})
	defer v.Close()
	seals := make([]ethash.Seal, 2000)
	for i := range seals {
		seals[i] = ethash.Seal{Height: uint64(i), Nonce: uint64(i), Difficulty: big.NewInt(1)}
	}
	errs := make([]error, len(seals))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := v.VerifyBatch(ctx, seals, errs); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled before: %v", err)
	}
	for i, err := range errs {
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("slot %d: %v", i, err)
		}
	}
	// Cancelled while running: each slot is either checked (a mix mismatch here) or the
	// context's error.
	ctx, cancel = context.WithCancel(context.Background())
	go cancel()
	err := v.VerifyBatch(ctx, seals, errs)
	for i, e := range errs {
		if !errors.Is(e, ethash.ErrMixMismatch) && !(errors.Is(e, context.Canceled) && errors.Is(err, context.Canceled)) {
			t.Fatalf("slot %d: %v (batch: %v)", i, e, err)
		}
	}
}

func TestVerifyBatchClosed(t *testing.T) {
	v := ethash.New(ethash.Config{Sizes: ethash.SmallSizes})
	v.Close()
	errs := make([]error, 3)
	if err := v.VerifyBatch(context.Background(), make([]ethash.Seal, 3), errs); err != nil {
		t.Fatal(err)
	}
	for i, err := range errs {
		if !errors.Is(err, ethash.ErrClosed) {
			t.Fatalf("slot %d: %v", i, err)
		}
	}
}

// No allocation per seal: a batch of 256 costs what a batch of 16 does (a few per
// batch for the workers), and with one worker nothing at all.
func TestVerifyBatchAllocations(t *testing.T) {
	if ethash.RaceEnabled {
		t.Skip("the race detector drops pooled scratch at random")
	}
	for _, workers := range []int{1, 2} {
		v := ethash.New(ethash.Config{Sizes: ethash.SmallSizes, Workers: workers})
		allocs := map[int]float64{}
		for _, n := range []int{16, 256} {
			seals := make([]ethash.Seal, n)
			d := big.NewInt(1)
			for i := range seals {
				seals[i] = ethash.Seal{Height: 5, Nonce: uint64(i), Difficulty: d}
				seals[i].MixDigest, _, _ = v.Hash(5, [32]byte{}, uint64(i))
			}
			errs := make([]error, n)
			allocs[n] = testing.AllocsPerRun(20, func() {
				if err := v.VerifyBatch(context.Background(), seals, errs); err != nil || errs[n-1] != nil {
					t.Fatal(err, errs[n-1])
				}
			})
		}
		if allocs[256] > allocs[16] || (workers == 1 && allocs[16] != 0) {
			t.Errorf("workers %d: %v allocations for 16 seals, %v for 256", workers, allocs[16], allocs[256])
		}
		v.Close()
	}
}

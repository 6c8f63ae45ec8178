package share_test

import (
	"bytes"
	"context"
	"errors"
	"math/big"
	"sync"
	"testing"

	"github.com/mvsgo/mvs/ethash"
	"github.com/mvsgo/mvs/examples/pool/internal/sharetest"
	"github.com/mvsgo/mvs/examples/pool/share"
)

// kinds is sharetest.Kinds, failing the test on a hashing error.
func kinds(t *testing.T, v *ethash.Verifier, j *share.Job, prefix uint64) (acc, block, low uint64) {
	t.Helper()
	acc, block, low, err := sharetest.Kinds(v, j, prefix)
	if err != nil {
		t.Fatal(err)
	}
	return acc, block, low
}

// TestCheckerVerdicts: the Checker's verdict for each kind of share, with and without a
// submitted mix digest, against the Verifier's own hash, in light and in full mode (the
// DAG once built, the cache until then: the same verdicts either way).
func TestCheckerVerdicts(t *testing.T) {
	for _, mode := range []ethash.Mode{ethash.Light, ethash.Full} {
		t.Run(map[ethash.Mode]string{ethash.Light: "light", ethash.Full: "full"}[mode], func(t *testing.T) { checkerVerdicts(t, mode) })
	}
}

func checkerVerdicts(t *testing.T, mode ethash.Mode) {
	built := make(chan struct{})
	var once sync.Once
	v := ethash.New(ethash.Config{Sizes: ethash.SmallSizes, Mode: mode, Progress: func(done, total uint64) {
		if done == total {
			once.Do(func() { close(built) })
		}
	}})
	defer v.Close()
	if mode == ethash.Full {
		v.Hash(7, [32]byte{}, 0) // starts the DAG
		<-built
	}
	var b [32]byte
	b[0] = 1 // boundary 2^248: network difficulty 256
	j, err := share.NewJob("1", 7, [32]byte{9}, ethash.SeedHash(0), b, 8)
	if err != nil {
		t.Fatal(err)
	}
	acc, block, low := kinds(t, v, j, 0)
	mix := func(n uint64) [32]byte { m, _, _ := v.Hash(j.Height, j.SealHash, n); return m }
	tests := []struct {
		name  string
		share share.Share
		block bool
		err   error
	}{
		{"share with mix", share.Share{Job: j, Nonce: acc, Mix: mix(acc), HasMix: true}, false, nil},
		{"share without mix", share.Share{Job: j, Nonce: acc}, false, nil},
		{"block with mix", share.Share{Job: j, Nonce: block, Mix: mix(block), HasMix: true}, true, nil},
		{"block without mix", share.Share{Job: j, Nonce: block}, true, nil},
		{"low with mix", share.Share{Job: j, Nonce: low, Mix: mix(low), HasMix: true}, false, share.ErrLowDifficulty},
		{"low without mix", share.Share{Job: j, Nonce: low}, false, share.ErrLowDifficulty},
		{"bad mix", share.Share{Job: j, Nonce: acc, Mix: mix(low), HasMix: true}, false, share.ErrBadMix},
	}
	shares := make([]share.Share, len(tests))
	for i, tc := range tests {
		shares[i] = tc.share
	}
	out := make([]share.Verdict, len(shares))
	if err := share.NewChecker(v).Check(context.Background(), shares, out); err != nil {
		t.Fatal(err)
	}
	for i, tc := range tests {
		got := out[i]
		if !errors.Is(got.Err, tc.err) || got.Block != tc.block {
			t.Errorf("%s: %+v", tc.name, got)
		}
		if tc.block && got.Mix != mix(tc.share.Nonce) {
			t.Errorf("%s: mix %x", tc.name, got.Mix)
		}
	}
	if err := share.NewChecker(v).Check(context.Background(), shares, out[:1]); err == nil {
		t.Error("a verdict slice of the wrong length was taken")
	}
	v.Close()
	if err := share.NewChecker(v).Check(context.Background(), shares[:1], out[:1]); err != nil || !errors.Is(out[0].Err, share.ErrClosed) {
		t.Errorf("closed verifier: %v %+v", err, out[0])
	}
}

// TestNewJob: the job's difficulty is the share difficulty capped at the network's, and
// work whose seed is not the height's epoch, or whose boundary is zero, is refused.
func TestNewJob(t *testing.T) {
	seed0 := ethash.SeedHash(0)
	var b256, zero [32]byte
	new(big.Int).Quo(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(256)).FillBytes(b256[:])
	tests := []struct {
		name   string
		height uint64
		seed   [32]byte
		bound  [32]byte
		share  uint64
		diff   int64
		err    error
	}{
		{"below the network", 5, seed0, b256, 8, 8, nil},
		{"capped at the network", 5, seed0, b256, 1 << 20, 256, nil},
		{"seed of another epoch", ethash.EpochLength, seed0, b256, 8, 0, share.ErrWork},
		{"zero boundary", 5, seed0, zero, 8, 0, share.ErrWork},
		{"zero share difficulty", 5, seed0, b256, 0, 0, share.ErrWork},
	}
	for _, tc := range tests {
		j, err := share.NewJob("1", tc.height, [32]byte{1}, tc.seed, tc.bound, tc.share)
		if !errors.Is(err, tc.err) || (err == nil && j.Difficulty.Int64() != tc.diff) {
			t.Errorf("%s: %v %v", tc.name, j, err)
		}
		if err == nil && !bytes.Equal(j.Target[:], ethash.Boundary(j.Difficulty).FillBytes(make([]byte, 32))) {
			t.Errorf("%s: target %x", tc.name, j.Target)
		}
	}
}

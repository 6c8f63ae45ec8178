package share

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/mvsgo/mvs/ethash"
)

// Job is one piece of work from the node as the pool hands it to miners. Its fields are
// read-only once made.
type Job struct {
	// ID names the job in EthereumStratum's mining.notify and mining.submit: 8 hex digits.
	ID string
	// Height is the block the work would make: its epoch picks the Ethash cache.
	Height uint64
	// SealHash is getwork's pow hash; eth-proxy miners name the job by it.
	SealHash [32]byte
	// SeedHash is the epoch's seed hash, as getwork gave it.
	SeedHash [32]byte
	// Network is the block's difficulty, from getwork's boundary.
	Network *big.Int
	// Difficulty is the share difficulty of this job: the pool's, or Network when that is
	// lower (a share that makes a block is always a share).
	Difficulty *big.Int
	// Target is (2^256−1)/Difficulty, big-endian: what eth-proxy miners are sent.
	Target [32]byte
	// Created is when the pool made the job.
	Created time.Time

	netTarget [32]byte
	hashes    float64
}

// Hashes is Difficulty as a float: the hashes a share of this job is worth, for hashrates.
func (j *Job) Hashes() float64 { return j.hashes }

// NewJob makes a job from the node's work: its height, pow (seal) hash, seed hash and
// getwork's boundary, at the pool's share difficulty (at least 1). Work whose seed hash is
// not the height's epoch's, a zero boundary or share difficulty are ErrWork.
func NewJob(id string, height uint64, sealHash, seedHash, boundary [32]byte, shareDifficulty uint64) (*Job, error) {
	network, err := NetworkDifficulty(boundary)
	if err != nil {
		return nil, err
	}
	if shareDifficulty == 0 {
		return nil, errorf(ErrWork, "share difficulty 0")
	}
	if want := ethash.SeedHash(height / ethash.EpochLength); want != seedHash {
		return nil, errorf(ErrWork, "seed hash %x is not that of height %d's epoch", seedHash[:8], height)
	}
	j := &Job{ID: id, Height: height, SealHash: sealHash, SeedHash: seedHash, Network: network,
		Difficulty: new(big.Int).SetUint64(shareDifficulty), Created: time.Now()}
	if j.Difficulty.Cmp(network) > 0 {
		j.Difficulty.Set(network)
	}
	j.hashes, _ = new(big.Float).SetInt(j.Difficulty).Float64()
	ethash.Boundary(j.Difficulty).FillBytes(j.Target[:])
	ethash.Boundary(network).FillBytes(j.netTarget[:])
	return j, nil
}

// NetworkDifficulty turns getwork's boundary 2^256/difficulty back into the difficulty.
// A zero boundary is refused (ErrWork): no hash could meet it.
func NetworkDifficulty(boundary [32]byte) (*big.Int, error) {
	b := new(big.Int).SetBytes(boundary[:])
	if b.Sign() == 0 {
		return nil, errorf(ErrWork, "getwork's boundary is zero")
	}
	d := new(big.Int).Quo(new(big.Int).Lsh(big.NewInt(1), 256), b)
	if d.Sign() == 0 {
		d.SetInt64(1)
	}
	return d, nil
}

// Share is a miner's solution for a job. EthereumStratum miners send no mix digest
// (HasMix false): the pool computes it.
type Share struct {
	Job    *Job
	Nonce  uint64
	Mix    [32]byte
	HasMix bool
}

// Verdict is a checked share. Err is nil for an accepted share, else wraps ErrBadMix or
// ErrLowDifficulty (the miner's fault) or another error (the pool's: a closed Verifier,
// a cancelled context). Block says the share also meets the network's difficulty; Mix is
// then the digest to submit.
type Verdict struct {
	Err    error
	Block  bool
	Mix    [32]byte
	Result [32]byte
}

// Checker verifies shares in batches with an ethash.Verifier: one hashimoto per share,
// several shares' memory reads in flight at once (ethash.Verifier.VerifyBatch). A Checker
// keeps scratch space: use one per goroutine.
type Checker struct {
	v     *ethash.Verifier
	seals []ethash.Seal
	errs  []error
}

// NewChecker returns a Checker using v, which the caller keeps open and closes.
func NewChecker(v *ethash.Verifier) *Checker { return &Checker{v: v} }

// Check verifies shares, out[i] receiving shares[i]'s verdict. It returns an error only
// when out has the wrong length or ctx ended (unchecked verdicts then hold ctx's error).
func (c *Checker) Check(ctx context.Context, shares []Share, out []Verdict) error {
	if len(out) != len(shares) {
		return fmt.Errorf("share: Check needs one verdict per share (%d, %d)", len(out), len(shares))
	}
	c.seals = c.seals[:0]
	for _, s := range shares {
		if s.Job == nil {
			return fmt.Errorf("share: share without a job")
		}
		// One hashimoto decides everything: checked against the network's boundary, a
		// share below it fails with the result in its SealError, which is then compared
		// with the share target. A share without a mix is checked with a zero mix, so
		// the error carries the computed one.
		var mix [32]byte
		if s.HasMix {
			mix = s.Mix
		}
		c.seals = append(c.seals, ethash.Seal{Height: s.Job.Height, SealHash: s.Job.SealHash, Nonce: s.Nonce,
			MixDigest: mix, Difficulty: s.Job.Network})
	}
	if cap(c.errs) < len(shares) {
		c.errs = make([]error, len(shares))
	}
	errs := c.errs[:len(shares)]
	clear(errs)
	berr := c.v.VerifyBatch(ctx, c.seals, errs)
	for i, s := range shares {
		out[i] = verdict(s, errs[i])
	}
	return berr
}

func verdict(s Share, err error) Verdict {
	var se *ethash.SealError
	switch {
	case err == nil:
		// Only a submitted mix can pass (a computed mix of all zeros is 2^-256 likely,
		// and then it did pass).
		return Verdict{Block: true, Mix: s.Mix}
	case !errors.As(err, &se):
		if errors.Is(err, ethash.ErrClosed) {
			err = fmt.Errorf("%w: %w", ErrClosed, err)
		}
		return Verdict{Err: err}
	case s.HasMix && errors.Is(err, ethash.ErrMixMismatch):
		return Verdict{Err: errorf(ErrBadMix, "nonce %016x of job %s", s.Nonce, s.Job.ID), Mix: se.Mix, Result: se.Result}
	}
	v := Verdict{Mix: se.Mix, Result: se.Result}
	switch {
	case bytes.Compare(se.Result[:], s.Job.netTarget[:]) <= 0:
		v.Block = true
	case bytes.Compare(se.Result[:], s.Job.Target[:]) > 0:
		v.Err = errorf(ErrLowDifficulty, "nonce %016x of job %s", s.Nonce, s.Job.ID)
	}
	return v
}

package block

import (
	"crypto/sha256"
	"math"
	"math/big"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/internal/libm"
)

// Consensus math as pure functions of their inputs (in the manner of dcrd's
// blockchain/standalone): the chain package supplies the previous blocks.

// Subsidy is the block reward in satoshi at height for a block of the given version
// (miner.cpp): rate = ⌊height / RewardRateInterval⌋ and
//   - PoW before the PoS fork: trunc(3e8 × 0.95^rate);
//   - PoW from the fork: min(round(base × 1e8 × 0.95^rate), 3e8), base 3.0 for rate ≤ 4
//     and 2.5 after;
//   - PoS: min(round(0.3e8 × 0.95^rate), 0.3e8).
//
// The reference computes in IEEE doubles with glibc's pow, which is correctly rounded, and
// C's round (half away from zero). Go's math.Pow is not correctly rounded (at rate 4 it
// returns 0.95^4 one ulp high, and the truncated subsidy comes out 1 satoshi high), so
// decay computes the power in 256-bit precision and rounds once. Tested against the
// reference's table and the real coinbases of blocks 2,200,000 and 3,588,504.
// DPoS (disabled on the public networks) pays PoW's subsidy divided among witnesses and is
// not computed here.
func Subsidy(height uint32, version uint32, p *mvs.Params) mvs.Amount {
	rate := float64(height / p.RewardRateInterval)
	decay := decay(uint32(rate))
	switch {
	case version == VersionPoS:
		return mvs.Amount(math.Min(math.Round(0.3e8*decay), 0.3e8))
	case height < p.PoSHeight:
		return mvs.Amount(math.Trunc(3e8 * decay))
	}
	base := 3.0
	if rate > 4 {
		base = 2.5
	}
	return mvs.Amount(math.Min(math.Round(base*1e8*decay), 3e8))
}

// decay is the node's pow(0.95, rate): Go's math.Pow is one ulp high at rate 4, which
// would pay a satoshi too much.
func decay(rate uint32) float64 { return libm.PowInt(0.95, int64(rate)) }

// NextDifficulty is the difficulty a block must carry (validate_block.cpp, BasicType.cpp).
// prev is the last earlier block of the same version and pprev the same-version block before
// it (nil when missing); ts is the new block's timestamp and height its height. Blocks
// before the PoS fork (of any version, as the reference chooses by height alone) step by
// prev/1024 around a 24-second target; from the fork PoW uses
// max(2 − Δt/10, −99) steps of prev/2048 and PoS max(18 − Δt'/10, −99) where Δt' is the
// interval between prev and pprev. Results are floored at the network minimum.
func NextDifficulty(version uint32, height, ts uint32, prev, pprev *Header, p *mvs.Params) Difficulty {
	minimum := p.MinPoWDifficulty
	if version == VersionPoS {
		minimum = p.MinPoSDifficulty
	}
	floor := new(big.Int).SetUint64(minimum)
	if prev == nil || (version == VersionPoS && pprev == nil) {
		d, _ := DifficultyFromBig(floor)
		return d
	}
	pb := prev.Bits.Big()
	var next *big.Int
	if height < p.PoSHeight { // calculate_difficulty: v1 below the fork whatever the version
		step := new(big.Int).Rsh(pb, 10)
		if int64(ts) >= int64(prev.Timestamp)+24 {
			next = new(big.Int).Sub(pb, step)
		} else {
			next = new(big.Int).Add(pb, step)
		}
	} else {
		var adj int64
		if version == VersionPoS {
			adj = 18 - (int64(prev.Timestamp)-int64(pprev.Timestamp))/10 // C truncating division
		} else {
			adj = 2 - (int64(ts)-int64(prev.Timestamp))/10
		}
		adj = max(adj, -99)
		step := new(big.Int).Quo(pb, big.NewInt(2048))
		next = new(big.Int).Add(pb, step.Mul(step, big.NewInt(adj)))
	}
	if next.Cmp(floor) < 0 {
		next = floor
	}
	d, err := DifficultyFromBig(next)
	if err != nil { // above 2^256: cannot happen from a valid parent; saturate
		for i := range d {
			d[i] = 0xff
		}
	}
	return d
}

// Boundary is floor((2^256 − 1) / difficulty), the largest passing Ethash result or PoS
// kernel quotient; zero difficulty gives zero (BasicType.cpp). Ethereum uses 2^256/D.
func Boundary(d Difficulty) *big.Int {
	db := d.Big()
	if db.Sign() == 0 {
		return new(big.Int)
	}
	max := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	return max.Quo(max, db)
}

// KernelHash is the PoS kernel (MinerAux::verify_stake): double-SHA256 of RLP(version),
// RLP(height), the previous hash as an RLP byte list, RLP(timestamp), the stake's txid as
// an RLP byte list and RLP(stake index).
func KernelHash(h *Header, stake mvs.Hash, stakeIndex uint32) mvs.Hash {
	var buf [5 + 5 + 66 + 5 + 66 + 5]byte
	b := appendRLPUint(buf[:0], uint64(h.Version))
	b = appendRLPUint(b, uint64(h.Height))
	b = appendRLPByteList(b, h.PreviousBlockHash[:])
	b = appendRLPUint(b, uint64(h.Timestamp))
	b = appendRLPByteList(b, stake[:])
	b = appendRLPUint(b, uint64(stakeIndex))
	first := sha256.Sum256(b)
	return mvs.Hash(sha256.Sum256(first[:]))
}

// StakeWeight is s³ × 30 with s = round(log2(⌊value / 1 ETP⌋)), the divisor of the kernel.
func StakeWeight(value mvs.Amount) uint64 {
	etp := uint64(value / mvs.SatoshiPerETP)
	if etp == 0 {
		return 0
	}
	s := uint64(math.Round(math.Log2(float64(etp))))
	return s * s * s * 30
}

// CheckKernel reports whether a PoS header's kernel meets its difficulty: the kernel hash,
// read as a little-endian integer, divided by the stake weight, must not exceed
// Boundary(bits).
func CheckKernel(h *Header, stake mvs.Hash, stakeIndex uint32, stakeValue mvs.Amount) bool {
	w := StakeWeight(stakeValue)
	if w == 0 {
		return false
	}
	k := KernelHash(h, stake, stakeIndex)
	var be [32]byte
	for i := range k {
		be[i] = k[31-i]
	}
	q := new(big.Int).SetBytes(be[:])
	q.Quo(q, new(big.Int).SetUint64(w))
	return q.Cmp(Boundary(h.Bits)) <= 0
}

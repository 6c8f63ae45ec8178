// Package sharetest holds what the pool's share and stratum tests both need: nonces of
// each kind for a job, found by hashing.
package sharetest

import (
	"math/big"

	"github.com/mvsgo/mvs/ethash"
	"github.com/mvsgo/mvs/examples/pool/share"
)

// Kinds finds, among nonces from prefix up, one meeting only the share target (acc), one
// meeting the network's (block), and one meeting neither (low).
func Kinds(v *ethash.Verifier, j *share.Job, prefix uint64) (acc, block, low uint64, err error) {
	net := ethash.Boundary(j.Network)
	tgt := new(big.Int).SetBytes(j.Target[:])
	var found [3]bool
	for n := prefix; !(found[0] && found[1] && found[2]); n++ {
		_, res, err := v.Hash(j.Height, j.SealHash, n)
		if err != nil {
			return 0, 0, 0, err
		}
		r := new(big.Int).SetBytes(res[:])
		switch {
		case r.Cmp(net) <= 0 && !found[1]:
			block, found[1] = n, true
		case r.Cmp(net) > 0 && r.Cmp(tgt) <= 0 && !found[0]:
			acc, found[0] = n, true
		case r.Cmp(tgt) > 0 && !found[2]:
			low, found[2] = n, true
		}
	}
	return acc, block, low, nil
}

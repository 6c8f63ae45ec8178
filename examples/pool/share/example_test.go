package share_test

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/mvsgo/mvs/ethash"
	"github.com/mvsgo/mvs/examples/pool/share"
)

// A Checker verifies shares in batches; the server runs one, and a pool with its own
// front end can too. Here a miner's share at share difficulty 8 on work of network
// difficulty 256 (Ethash's test sizes), found by the Verifier's CPU search.
func ExampleChecker() {
	v := ethash.New(ethash.Config{Sizes: ethash.SmallSizes})
	defer v.Close()
	var boundary [32]byte // getwork's boundary: 2^256/256
	boundary[0] = 1
	job, err := share.NewJob("1", 1, [32]byte{0xaa}, ethash.SeedHash(0), boundary, 8)
	if err != nil {
		panic(err)
	}
	found, err := v.Search(context.Background(), job.Height, job.SealHash, big.NewInt(8), 0, 0, 1)
	if err != nil {
		panic(err)
	}
	shares := []share.Share{
		{Job: job, Nonce: found.Nonce, Mix: found.Mix, HasMix: true}, // eth-proxy: with its mix
		{Job: job, Nonce: found.Nonce},                               // EthereumStratum: the pool computes it
		{Job: job, Nonce: found.Nonce, Mix: [32]byte{1}, HasMix: true},
	}
	out := make([]share.Verdict, len(shares))
	if err := share.NewChecker(v).Check(context.Background(), shares, out); err != nil {
		panic(err)
	}
	for _, o := range out {
		fmt.Println(o.Err == nil, o.Mix == found.Mix, errors.Is(o.Err, share.ErrBadMix))
	}
	// Output:
	// true true false
	// true true false
	// false true true
}

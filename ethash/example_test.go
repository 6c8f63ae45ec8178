package ethash_test

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/mvsgo/mvs/ethash"
)

// Mine and verify a seal with test-only sizes (a 1 KiB cache), as a private network's tests
// do; real networks use the zero Config (real sizes, light mode).
func Example() {
	v := ethash.New(ethash.Config{Sizes: ethash.SmallSizes})
	defer v.Close()
	sealHash := [32]byte{0x8a, 0xb2}
	difficulty := big.NewInt(500)
	res, err := v.Search(context.Background(), 42, sealHash, difficulty, 0, 0, 1)
	if err != nil {
		panic(err)
	}
	fmt.Println(v.Verify(42, sealHash, res.Nonce, res.Mix, difficulty))
	err = v.Verify(42, sealHash, res.Nonce, [32]byte{}, difficulty)
	fmt.Println(errors.Is(err, ethash.ErrMixMismatch))
	err = v.Verify(42, sealHash, res.Nonce, res.Mix, new(big.Int).Lsh(big.NewInt(1), 255))
	fmt.Println(errors.Is(err, ethash.ErrAboveBoundary))
	// Output:
	// <nil>
	// true
	// true
}

// Check many seals at once, as a pool checks shares or a node a run of headers: each slot
// says what Verify would say of its seal, and a bad seal fails only its own slot.
func ExampleVerifier_VerifyBatch() {
	v := ethash.New(ethash.Config{Sizes: ethash.SmallSizes})
	defer v.Close()
	difficulty := big.NewInt(20)
	var seals []ethash.Seal
	for i := 0; i < 4; i++ {
		height, sealHash := uint64(100+i), [32]byte{byte(i)}
		res, err := v.Search(context.Background(), height, sealHash, difficulty, 0, 0, 1)
		if err != nil {
			panic(err)
		}
		seals = append(seals, ethash.Seal{Height: height, SealHash: sealHash, Nonce: res.Nonce, MixDigest: res.Mix, Difficulty: difficulty})
	}
	seals[2].Nonce++ // a forged share
	errs := make([]error, len(seals))
	if err := v.VerifyBatch(context.Background(), seals, errs); err != nil {
		panic(err) // cancelled, or errs of the wrong length
	}
	for i, err := range errs {
		fmt.Println(i, err == nil, errors.Is(err, ethash.ErrMixMismatch))
	}
	// Output:
	// 0 true false
	// 1 true false
	// 2 false true
	// 3 true false
}

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

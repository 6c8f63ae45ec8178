package block_test

import (
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
)

// Decode the mainnet genesis block and check it.
func Example() {
	p := mvs.MainNet()
	blk, err := block.Decode(p.GenesisBlock)
	if err != nil {
		panic(err)
	}
	fmt.Println(blk.Hash() == p.GenesisHash, blk.Hash())
	fmt.Println(blk.Header.Height, blk.Header.Bits, len(blk.Transactions))
	fmt.Println(blk.Transactions[0].Outputs[0].Value, "ETP")
	fmt.Println(blk.CheckSanity())
	// Output:
	// true b81848ef9ae86e84c3da26564bc6ab3a79efc628239d11471ab5cd25c0684c2d
	// 0 1 1
	// 50000000 ETP
	// <nil>
}

package mvs_test

import (
	"fmt"

	"github.com/mvsgo/mvs"
)

// Decode an address, check its network, and format amounts exactly.
func Example() {
	p := mvs.MainNet()
	a, err := mvs.DecodeAddress("MGqHvbaH9wzdr6oUDFz4S1HptjoKQcjRve", p)
	if err != nil {
		panic(err)
	}
	fmt.Println(a.Kind, fmt.Sprintf("%x", a.Hash))

	_, err = mvs.DecodeAddress("MGqHvbaH9wzdr6oUDFz4S1HptjoKQcjRve", mvs.TestNet())
	fmt.Println(err != nil)

	fee, _ := mvs.ParseETP("0.0001")
	fmt.Println(uint64(fee), fee)
	fmt.Println(p.GenesisHash)
	// Output:
	// p2pkh 61fde3bd4e6955c99b16de2d71e2a369888a1c0b
	// true
	// 10000 0.0001
	// b81848ef9ae86e84c3da26564bc6ab3a79efc628239d11471ab5cd25c0684c2d
}

package asset_test

import (
	"fmt"

	"github.com/mvsgo/mvs/asset"
)

// Lock 9,000 of 10,000 units over three periods of 20,000 blocks, then see what 25,000
// blocks have released and how the lock continues.
func Example() {
	param, err := asset.ExpandModel("TYPE=1;LQ=9000;LP=60000;UN=3", 10000)
	if err != nil {
		panic(err)
	}
	fmt.Println(param)
	free, next := asset.Unlock(10000, 25000, []byte(param))
	fmt.Println(free, string(next))
	fmt.Println(asset.DiffHeight([]byte(param), next))
	// Output:
	// PN=0;LH=20000;TYPE=1;LQ=9000;LP=60000;UN=3
	// 4000 PN=1;LH=15000;TYPE=1;LQ=9000;LP=60000;UN=3
	// 25000
}

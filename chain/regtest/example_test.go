package regtest_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/chain/regtest"
	"github.com/mvsgo/mvs/did"
)

// Example tests a rule the way a protocol researcher would: a DID symbol registered once
// cannot be registered to another address. In a test file this is the whole test:
//
//	func TestDIDSymbolOnce(t *testing.T) {
//		net := regtest.New(t)
//		net.Mine(3)
//		alice, bob := net.Address(0), net.Address(1)
//		net.Mine(1, net.Build(net.Builder().RegisterDID(alice, "alice")))
//		net.Fund(bob, 2*mvs.SatoshiPerETP)
//		_, err := net.Submit(net.Build(net.Builder().RegisterDID(bob, "alice")))
//		if !errors.Is(err, did.ErrSymbolExists) {
//			t.Fatalf("second registration: %v", err)
//		}
//	}
//
// An example has no *testing.T, so this one runs the same body under the *testing.B that
// testing.Benchmark provides, once.
func Example() {
	testing.Benchmark(func(b *testing.B) {
		if b.N > 1 {
			return // testing.Benchmark asks for more rounds; one chain is enough
		}
		net := regtest.New(b)
		net.Mine(3)
		alice, bob := net.Address(0), net.Address(1)
		net.Mine(1, net.Build(net.Builder().RegisterDID(alice, "alice")))
		net.Fund(bob, 2*mvs.SatoshiPerETP)
		_, err := net.Submit(net.Build(net.Builder().RegisterDID(bob, "alice")))
		fmt.Println("symbol taken:", errors.Is(err, did.ErrSymbolExists), errors.Is(err, chain.ErrDIDRule))
		fmt.Println("height:", net.Height())
	})
	// Output:
	// symbol taken: true true
	// height: 5
}

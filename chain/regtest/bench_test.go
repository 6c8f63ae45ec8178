package regtest_test

import (
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/chain/regtest"
	"github.com/mvsgo/mvs/wallet"
)

// BenchmarkNew is the cost of one fresh chain (store, verifier, chain, account).
func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		regtest.New(b)
	}
}

// BenchmarkMine is one sealed, validated, connected coinbase-only block.
func BenchmarkMine(b *testing.B) {
	net := regtest.New(b)
	for b.Loop() {
		net.Mine(1)
	}
}

// BenchmarkSendBlock is building, signing and mining one payment in its own block.
func BenchmarkSendBlock(b *testing.B) {
	net := regtest.New(b)
	net.Mine(3)
	to := net.Address(1)
	for b.Loop() {
		net.Mine(1, net.Build(net.Builder().Send(wallet.Payment{To: to, Amount: mvs.SatoshiPerETP / 100})))
	}
}

package chain

import (
	"fmt"
	"testing"

	"github.com/mvsgo/mvs/tx"
)

// BenchmarkCheckBlockContextPoS: the real PoS block 3,588,504 (coinbase and coinstake).
func BenchmarkCheckBlockContextPoS(b *testing.B) {
	blk, bc, view, lk := realPoS(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := CheckBlockContext(blk, bc, view, 0, lk); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckBlockContextRegistrations: a PoW block of 2,000 transactions, each
// registering an asset, a certificate and a MIT and paying two ETP outputs.
func BenchmarkCheckBlockContextRegistrations(b *testing.B) {
	f := newFixture(b)
	var txs []tx.Tx
	for i := range 2000 {
		s := fmt.Sprintf("SYM%d", i)
		txs = append(txs, spend(byte(i),
			assetOut(&tx.AssetDetail{Symbol: s, MaximumSupply: 1}, tx.TypeAsset),
			assetOut(&tx.AssetCert{Symbol: s, CertType: tx.CertIssue}, tx.TypeAssetCert),
			assetOut(&tx.MIT{Status: tx.MITStatusRegister, Symbol: s}, tx.TypeMIT),
			etp(1, f.view[f.stake].Output.Script), etp(2, f.view[f.stake].Output.Script)))
	}
	blk := f.powBlock(0, txs...)
	bc := BlockContext{Params: f.p, Height: powHeight}
	if err := CheckBlockContext(blk, bc, f.view, 0, BlockLookups{}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := CheckBlockContext(blk, bc, f.view, 0, BlockLookups{}); err != nil {
			b.Fatal(err)
		}
	}
}

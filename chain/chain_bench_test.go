package chain_test

import (
	"context"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/tx"
)

// BenchmarkProcessBlock: RegTest blocks of 300 one-input P2PKH spends each (see
// benchSpendBlocks), reporting ns per spend.
func BenchmarkProcessBlock(b *testing.B) {
	const spends = 300
	benchSpendBlocks(b, spends)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*spends), "ns/spend")
}

// benchSpendBlocks times ProcessBlock on b.N RegTest blocks of spends one-input P2PKH
// spends, each spending an output of the block before, connected on top of the tip through
// a store on disk (without fsync). Building, signing and sealing the next block is not
// timed.
func benchSpendBlocks(b *testing.B, spends int) {
	m := newCCMiner(b)
	n := m.node(nil)
	// Block 1 splits the genesis coins (keyA's) into the outputs the first block spends.
	g := &m.genesis.Transactions[0]
	split := spend([]tx.OutPoint{{Hash: g.Hash()}})
	each := (g.Outputs[0].Value - m.p.MinTxFee) / mvs.Amount(spends)
	for range spends {
		split.Outputs = append(split.Outputs, payTo(keyA, each))
	}
	if err := split.SignInput(0, g.Outputs[0].Script, keyA, tx.SignOptions{}); err != nil {
		b.Fatal(err)
	}
	tip := m.mine(m.genesis, 'x', m.p.MinTxFee, 0, *split)
	n.process(tip, chain.MainChain)
	prev := make([]tx.OutPoint, spends)
	values := make([]mvs.Amount, spends)
	for i := range spends {
		prev[i], values[i] = tx.OutPoint{Hash: split.Hash(), Index: uint32(i)}, each
	}
	next := func() *block.Block {
		txs := make([]tx.Tx, spends)
		for i := range txs {
			values[i] -= m.p.MinTxFee
			x := spend([]tx.OutPoint{prev[i]}, payTo(keyA, values[i]))
			if err := x.SignInput(0, p2pkh(keyA), keyA, tx.SignOptions{}); err != nil {
				b.Fatal(err)
			}
			txs[i] = *x
			prev[i] = tx.OutPoint{Hash: x.Hash()}
		}
		return m.mine(tip, 'x', mvs.Amount(spends)*m.p.MinTxFee, 0, txs...)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		blk := next()
		raw := blk.Bytes()
		b.StartTimer()
		res, err := n.c.ProcessBlock(context.Background(), blk, raw)
		if err != nil || res.Verdict != chain.MainChain {
			b.Fatalf("%v %v", res.Verdict, err)
		}
		tip = blk
	}
}

package chain_test

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcec/v2/ecdsa"

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
//
// After each block (untimed) it also times spends raw btcec verifications spread over
// GOMAXPROCS goroutines, and reports the block's rate as a percentage of that one: both
// then see the same load on cores shared with other processes, which separate benchmark
// runs do not. "%btcec" is the median over the blocks (a burst of load on the shared cores
// moves one block's figure, not the median), "%btcec-total" the ratio of the totals.
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
	// Hashed once: hashing the 2,000-output split per output made the untimed setup
	// allocate gigabytes, whose garbage collection then ran into the timed blocks.
	splitHash := split.Hash()
	for i := range spends {
		prev[i], values[i] = tx.OutPoint{Hash: splitHash, Index: uint32(i)}, each
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
	ref := newBtcecReference(b)
	var blocks, raws time.Duration
	ratios := make([]float64, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		blk := next()
		raw := blk.Bytes()
		b.StartTimer()
		start := time.Now()
		res, err := n.c.ProcessBlock(context.Background(), blk, raw)
		took := time.Since(start)
		blocks += took
		if err != nil || res.Verdict != chain.MainChain {
			b.Fatalf("%v %v", res.Verdict, err)
		}
		tip = blk
		b.StopTimer()
		r := ref.time(b, spends)
		raws += r
		ratios = append(ratios, 100*r.Seconds()/took.Seconds())
		b.StartTimer()
	}
	slices.Sort(ratios)
	b.ReportMetric(ratios[len(ratios)/2], "%btcec")
	b.ReportMetric(100*raws.Seconds()/blocks.Seconds(), "%btcec-total")
}

// btcecReference is BenchmarkECDSAVerify's check (a parsed key, a fixed digest).
type btcecReference struct {
	digest mvs.Hash
	sig    *ecdsa.Signature
}

func newBtcecReference(b *testing.B) btcecReference {
	r := btcecReference{digest: mvs.DoubleSHA256([]byte("mvs"))}
	r.sig = ecdsa.Sign(keyA, r.digest[:])
	return r
}

// time is how long n verifications take over GOMAXPROCS goroutines.
func (r btcecReference) time(b *testing.B, n int) time.Duration {
	workers := runtime.GOMAXPROCS(0)
	pub := keyA.PubKey()
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Go(func() {
			for range (n + workers - 1 - w) / workers { // n split over the workers
				if !r.sig.Verify(r.digest[:], pub) {
					b.Error("the reference signature does not verify")
					return
				}
			}
		})
	}
	wg.Wait()
	return time.Since(start)
}

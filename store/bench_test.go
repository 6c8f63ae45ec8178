package store_test

import (
	"path/filepath"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
)

const benchSpends = 2000

// benchBlocks are a block paying benchSpends P2PKH outputs and a block of benchSpends
// one-input one-output P2PKH spends of them.
func benchBlocks(b *testing.B, p *mvs.Params) (fund, spend *store.BlockUpdate) {
	gen, err := block.Genesis(p)
	if err != nil {
		b.Fatal(err)
	}
	coinbase := func(h uint32) tx.Tx {
		return tx.Tx{Version: 1, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Index: 0xffffffff}, Script: []byte{1, byte(h)}}},
			Outputs: []tx.Output{{Value: 1, Script: p2pkh([20]byte{byte(h)})}}}
	}
	sig := make([]byte, 1+72+1+33)
	sig[0], sig[73] = 72, 33
	f := tx.Tx{Version: 4, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Hash: gen.Transactions[0].Hash()}, Script: sig}}}
	for i := range benchSpends {
		f.Outputs = append(f.Outputs, tx.Output{Value: 1e8, Script: p2pkh(mvs.Hash160([]byte{byte(i), byte(i >> 8)})),
			Attachment: tx.Attachment{Version: 1}})
	}
	fund = makeUpdate(gen.Hash(), 1, []tx.Tx{coinbase(1), f}, nil)
	txs := []tx.Tx{coinbase(2)}
	fid := f.Hash()
	for i := range benchSpends {
		txs = append(txs, tx.Tx{Version: 4,
			Inputs:  []tx.Input{{PreviousOutput: tx.OutPoint{Hash: fid, Index: uint32(i)}, Script: sig, Sequence: 0xffffffff}},
			Outputs: []tx.Output{{Value: 1e8 - 1e4, Script: p2pkh(mvs.Hash160([]byte{byte(i), byte(i >> 8), 1})), Attachment: tx.Attachment{Version: 1}}}})
	}
	return fund, makeUpdate(fund.Hash, 2, txs, nil)
}

// BenchmarkConnectBlock times the store's part of connecting a block of 2,000 P2PKH
// spends, with fsync on: "unbatched" commits the block in its own write transaction,
// "batched" applies it to the batch overlay (its flush, amortized over many blocks in an
// import, is not timed). kv-B/tx is what the block adds to the buckets per transaction.
func BenchmarkConnectBlock(b *testing.B) {
	p := mvs.RegTest()
	fund, spend := benchBlocks(b, p)
	for _, batched := range []bool{false, true} {
		name := "unbatched"
		if batched {
			name = "batched"
		}
		b.Run(name, func(b *testing.B) {
			s, err := store.Open(filepath.Join(b.TempDir(), "bench.db"), store.Options{Params: p})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			if err := s.ConnectBlock(fund); err != nil {
				b.Fatal(err)
			}
			before, err := s.Stats()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if batched {
					if err := s.BeginBatch(); err != nil {
						b.Fatal(err)
					}
				}
				if err := s.ConnectBlock(spend); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if err := s.Flush(); err != nil {
					b.Fatal(err)
				}
				if i == 0 {
					after, err := s.Stats()
					if err != nil {
						b.Fatal(err)
					}
					b.ReportMetric(float64(after.Bytes()-before.Bytes())/float64(len(spend.Block.Transactions)), "kv-B/tx")
				}
				if _, err := s.DisconnectTip(); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(len(spend.Raw))/float64(len(spend.Block.Transactions)), "block-B/tx")
		})
	}
}

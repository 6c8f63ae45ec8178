package chain_test

import (
	"encoding/binary"
	"path/filepath"
	"testing"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// qBenchTxs is how many transactions the benchmark address has.
const qBenchTxs = 100_000

// qBenchStore builds, once per benchmark, a store where one address has qBenchTxs
// transactions: each spends the previous one's second output and pays the address two
// outputs, so it also has qBenchTxs unspent outputs.
func qBenchStore(b *testing.B) (*chain.Queries, mvs.Address) {
	b.Helper()
	start := time.Now()
	s, err := store.Open(filepath.Join(b.TempDir(), "bench.db"), store.Options{Params: regP, NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	addr := regAddrs[0]
	pay := script.PayToAddress(addr)
	etp := tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeETP}
	if err := s.BeginBatch(); err != nil {
		b.Fatal(err)
	}
	const perBlock = 1000
	prev, tip := tx.OutPoint{}, regP.GenesisHash
	for h := uint32(1); h <= qBenchTxs/perBlock; h++ {
		cb := tx.Tx{Version: tx.VersionFirst, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Index: 0xffffffff},
			Script: binary.LittleEndian.AppendUint32([]byte{4}, h), Sequence: 0xffffffff}},
			Outputs: []tx.Output{{Value: 1e8, Script: script.PayToAddress(regAddrs[1]), Attachment: etp}}}
		txs := []tx.Tx{cb}
		for i := range perBlock {
			t := tx.Tx{Version: tx.VersionNova, Outputs: []tx.Output{{Value: 1000, Script: pay, Attachment: etp},
				{Value: mvs.Amount(i), Script: pay, Attachment: etp}}}
			if prev != (tx.OutPoint{}) {
				t.Inputs = []tx.Input{{PreviousOutput: prev, Sequence: 0xffffffff}}
			} else {
				t.Inputs = []tx.Input{{PreviousOutput: tx.OutPoint{Hash: cb.Hash()}, Sequence: 0xffffffff}}
			}
			prev = tx.OutPoint{Hash: t.Hash(), Index: 1}
			txs = append(txs, t)
		}
		blk := &block.Block{Header: block.Header{Version: block.VersionPoW, PreviousBlockHash: tip,
			Timestamp: 1_700_000_000 + 20*h, Bits: block.DifficultyFromUint64(1), Height: h}, Transactions: txs}
		blk.Header.MerkleRoot = block.MerkleRoot(blk.TxHashes())
		tip = blk.Hash()
		if err := s.ConnectBlock(&store.BlockUpdate{Block: blk, Raw: blk.Bytes(), Hash: tip, Height: h}); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.Flush(); err != nil {
		b.Fatal(err)
	}
	b.Logf("built a store with %d transactions of one address in %v", qBenchTxs, time.Since(start).Round(time.Millisecond))
	return chain.NewQueries(s, regP), addr
}

func BenchmarkQueries(b *testing.B) {
	q, addr := qBenchStore(b)
	b.Run("Balance", func(b *testing.B) {
		for b.Loop() {
			bal, err := q.Balance(addr)
			if err != nil || bal.ETP.Total == 0 {
				b.Fatal(bal, err)
			}
		}
	})
	b.Run("HistoryPage50", func(b *testing.B) {
		// A page from the middle of the history.
		p, err := q.History(addr, "", chain.MaxPage)
		if err != nil {
			b.Fatal(err)
		}
		for range 50 {
			if p, err = q.History(addr, p.Next, chain.MaxPage); err != nil {
				b.Fatal(err)
			}
		}
		cursor := p.Next
		for b.Loop() {
			p, err := q.History(addr, cursor, 50)
			if err != nil || len(p.Txs) != 50 {
				b.Fatal(err)
			}
		}
	})
	// A page of UTXOs and one of coins (each coin reads its transaction) from the middle
	// of the address's outputs.
	mid, err := q.UTXOsPage(addr, "", chain.MaxPage)
	if err != nil {
		b.Fatal(err)
	}
	for range 50 {
		if mid, err = q.UTXOsPage(addr, mid.Next, chain.MaxPage); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("UTXOsPage1000", func(b *testing.B) {
		for b.Loop() {
			p, err := q.UTXOsPage(addr, mid.Next, chain.MaxPage)
			if err != nil || len(p.UTXOs) != chain.MaxPage {
				b.Fatal(err)
			}
		}
	})
	b.Run("CoinsPage100", func(b *testing.B) {
		for b.Loop() {
			p, err := q.CoinsPage(addr, mid.Next, 100)
			if err != nil || len(p.Coins) != 100 {
				b.Fatal(err)
			}
		}
	})
	b.Run("UTXOs", func(b *testing.B) {
		for b.Loop() {
			if _, err := q.UTXOs(addr); err != nil {
				b.Fatal(err)
			}
		}
	})
}

package chain_test

import (
	"path/filepath"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
)

// BenchmarkRecordWrites: the record writes of a block of 2,000 asset transfers, each
// spending an asset output of one of 50 holders and paying part to another, over a bbolt
// store (the holders' records and the spent outputs are read from it).
func BenchmarkRecordWrites(b *testing.B) {
	const n, holders = 2000, 50
	s, err := store.Open(filepath.Join(b.TempDir(), "chain.db"), store.Options{Params: regP, NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	st := chain.NewStoreState(s, regP)
	who := make([]mvs.Address, holders)
	for i := range who {
		who[i] = mvs.NewPubKeyHashAddress(mvs.Hash160([]byte{byte(i), 'h'}), regP)
	}
	xfer := func(to mvs.Address, q uint64) tx.Output {
		return regOut(to, 0, &tx.AssetTransfer{Symbol: "FOO.BAR", Quantity: q})
	}
	first := regBlock(regP.GenesisHash, 1)
	for i := range n {
		first.Transactions[0].Outputs = append(first.Transactions[0].Outputs, xfer(who[i%holders], 1000))
	}
	first.Header.MerkleRoot = block.MerkleRoot(first.TxHashes())
	writes, err := st.RecordWrites(first, 1, regStoreView{s})
	if err != nil {
		b.Fatal(err)
	}
	if err := s.ConnectBlock(&store.BlockUpdate{Block: first, Raw: first.Bytes(), Hash: first.Hash(), Height: 1, Records: writes}); err != nil {
		b.Fatal(err)
	}
	cb := first.Transactions[0].Hash()
	var txs []tx.Tx
	for i := range n {
		txs = append(txs, regSpend(tx.OutPoint{Hash: cb, Index: uint32(1 + i)}, xfer(who[(i+1)%holders], 600), xfer(who[i%holders], 400)))
	}
	blk := regBlock(first.Hash(), 2, txs...)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w, err := st.RecordWrites(blk, 2, regStoreView{s})
		if err != nil || len(w) != holders {
			b.Fatalf("%d writes, %v", len(w), err)
		}
	}
}

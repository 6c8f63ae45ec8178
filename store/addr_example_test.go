package store_test

import (
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
)

// An address with many outputs is summed in place and listed a page at a time.
func ExampleSnapshot_ForEachUnspent() {
	dir, err := os.MkdirTemp("", "store-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	p := mvs.RegTest()
	s, err := store.Open(filepath.Join(dir, "chain.db"), store.Options{Params: p})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	// A block whose coinbase pays an address five outputs.
	hot := mvs.NewPubKeyHashAddress([20]byte{1}, p)
	script := append(append([]byte{0x76, 0xa9, 0x14}, hot.Hash[:]...), 0x88, 0xac)
	cb := tx.Tx{Version: 1, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Index: 0xffffffff}, Script: []byte{1, 1}}}}
	for i := range 5 {
		cb.Outputs = append(cb.Outputs, tx.Output{Value: mvs.Amount(i+1) * mvs.SatoshiPerETP, Script: script,
			Attachment: tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeETP}})
	}
	gen, _ := block.Genesis(p)
	blk := &block.Block{Header: block.Header{Version: 1, PreviousBlockHash: gen.Hash(), Height: 1}, Transactions: []tx.Tx{cb}}
	blk.Header.MerkleRoot = block.MerkleRoot(blk.TxHashes())
	if err := s.ConnectBlock(&store.BlockUpdate{Block: blk, Raw: blk.Bytes(), Hash: blk.Hash(), Height: 1}); err != nil {
		log.Fatal(err)
	}

	err = s.View(func(sn *store.Snapshot) error {
		// Summed in place: u is read from the snapshot, nothing is copied.
		var total mvs.Amount
		if _, err := sn.ForEachUnspent(hot, nil, math.MaxInt, func(u *store.UnspentView) error {
			total += u.Value
			return nil
		}); err != nil {
			return err
		}
		fmt.Println("total", total.Fixed(), "ETP")
		// Two at a time: pass each page's cursor to get the next.
		var cur store.Cursor
		for {
			page, next, err := sn.UnspentPage(hot, cur, 2)
			if err != nil {
				return err
			}
			fmt.Print("page:")
			for _, u := range page {
				fmt.Print(" ", u.OutPoint.Index)
			}
			fmt.Println()
			if next == nil {
				return nil
			}
			cur = next
		}
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// total 15.00000000 ETP
	// page: 0 1
	// page: 2 3
	// page: 4
}

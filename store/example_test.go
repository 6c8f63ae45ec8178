package store_test

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
)

func Example() {
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

	// A new store holds the genesis block. Connect a block that spends its output.
	gen, _ := block.Genesis(p)
	genOut := tx.OutPoint{Hash: gen.Transactions[0].Hash(), Index: 0}
	payTo := mvs.NewPubKeyHashAddress([20]byte{1}, p)
	script := append(append([]byte{0x76, 0xa9, 0x14}, payTo.Hash[:]...), 0x88, 0xac)
	coinbase := tx.Tx{Version: 1, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Index: 0xffffffff}, Script: []byte{1, 1}}},
		Outputs: []tx.Output{{Value: 1, Script: script}}}
	spend := tx.Tx{Version: 4, Inputs: []tx.Input{{PreviousOutput: genOut}},
		Outputs: []tx.Output{{Value: 40_000_000 * mvs.SatoshiPerETP, Script: script, Attachment: tx.Attachment{Version: 1}}}}
	blk := &block.Block{Header: block.Header{Version: 1, PreviousBlockHash: gen.Hash(), Height: 1}, Transactions: []tx.Tx{coinbase, spend}}
	blk.Header.MerkleRoot = block.MerkleRoot(blk.TxHashes())
	err = s.ConnectBlock(&store.BlockUpdate{Block: blk, Raw: blk.Bytes(), Hash: blk.Hash(), Height: 1,
		Records: []store.RecordWrite{{Kind: store.KindAsset, Key: []byte("MVS.EXAMPLE"), Value: []byte("details")}}})
	if err != nil {
		log.Fatal(err)
	}

	err = s.View(func(sn *store.Snapshot) error {
		_, height, err := sn.Tip()
		if err != nil {
			return err
		}
		unspent, err := sn.UnspentByAddress(payTo)
		if err != nil {
			return err
		}
		var total mvs.Amount
		for _, u := range unspent {
			total += u.Entry.Value
		}
		fmt.Printf("tip %d, %s holds %d outputs, %s ETP\n", height, payTo, len(unspent), total.Fixed())
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	_, err = s.UTXO(genOut)
	fmt.Println("genesis output spent:", errors.Is(err, store.ErrNotFound))

	// Disconnecting restores the genesis state exactly.
	if _, err := s.DisconnectTip(); err != nil {
		log.Fatal(err)
	}
	_, height, _ := s.Tip()
	_, err = s.Record(store.KindAsset, []byte("MVS.EXAMPLE"))
	fmt.Println("tip", height, "record gone:", errors.Is(err, store.ErrNotFound))
	// Output:
	// tip 1, t71tiyyub65yPbJFB91nZDpFNMbqQ1Ytgp holds 2 outputs, 40000000.00000001 ETP
	// genesis output spent: true
	// tip 0 record gone: true
}

// A reorganisation as package chain drives it: statuses are committed with the blocks, and
// a disconnected block's body waits among the side bodies until it is connected again.
func ExampleStore_DisconnectTipStatus() {
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

	gen, _ := block.Genesis(p)
	coinbase := tx.Tx{Version: 1, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Index: 0xffffffff}, Script: []byte{1, 1}}},
		Outputs: []tx.Output{{Value: 1, Script: []byte{0x51}}}}
	blk := &block.Block{Header: block.Header{Version: 1, PreviousBlockHash: gen.Hash(), Height: 1}, Transactions: []tx.Tx{coinbase}}
	blk.Header.MerkleRoot = block.MerkleRoot(blk.TxHashes())
	hash, raw := blk.Hash(), blk.Bytes()

	// chain stores the header first; the status comes with the block.
	if err := s.PutHeader(store.HeaderRecord{Header: blk.Header, Height: 1}); err != nil {
		log.Fatal(err)
	}
	err = s.ConnectBlock(&store.BlockUpdate{Block: blk, Raw: raw, Hash: hash, Height: 1,
		Status: store.StatusHasBody | store.StatusValid})
	if err != nil {
		log.Fatal(err)
	}
	at, _ := s.HashAt(1)
	fmt.Println("height 1 is the block:", at == hash)

	// Disconnected, it is still valid and its body is kept aside, in one commit.
	if _, err := s.DisconnectTipStatus(store.StatusHasBody | store.StatusValid); err != nil {
		log.Fatal(err)
	}
	side, ok, err := s.SideBlock(hash)
	if err != nil {
		log.Fatal(err)
	}
	rec, _ := s.Header(hash)
	fmt.Println("kept aside:", ok && bytes.Equal(side, raw), "status valid:", rec.Status&store.StatusValid != 0)

	// Connecting it again takes the body back to the main chain.
	if err := s.ConnectBlock(&store.BlockUpdate{Block: blk, Raw: side, Hash: hash, Height: 1}); err != nil {
		log.Fatal(err)
	}
	_, ok, _ = s.SideBlock(hash)
	fmt.Println("still aside:", ok)
	// Output:
	// height 1 is the block: true
	// kept aside: true status valid: true
	// still aside: false
}

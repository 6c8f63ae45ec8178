package chain_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// regUnspentView resolves spends from the store's regUnspent set (the parent's state):
// RecordWrites finds the block's own outputs itself.
type regUnspentView struct{ s *store.Store }

func (v regUnspentView) UTXO(op tx.OutPoint) (chain.UTXO, bool, error) {
	e, err := v.s.UTXO(op)
	if errors.Is(err, store.ErrNotFound) {
		return chain.UTXO{}, false, nil
	}
	if err != nil {
		return chain.UTXO{}, false, err
	}
	o, err := e.Output()
	return chain.UTXO{Output: o, Height: e.Height, Coinbase: e.Coinbase, Coinstake: e.Coinstake}, err == nil, err
}

// ExampleNewStoreState connects a block that registers a DID and issues an asset, with the
// record writes StoreState computes, then reads the registries back.
func ExampleNewStoreState() {
	dir, _ := os.MkdirTemp("", "chainreg")
	defer os.RemoveAll(dir)
	p := mvs.RegTest()
	s, err := store.Open(filepath.Join(dir, "chain.db"), store.Options{Params: p})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	st := chain.NewStoreState(s, p)

	alice := mvs.NewPubKeyHashAddress(mvs.Hash160([]byte("alice")), p)
	pay := func(p tx.Payload) tx.Output {
		return tx.Output{Script: script.PayToAddress(alice), Attachment: tx.Attachment{Version: tx.AttachVersion, Type: p.AttachmentType(), Payload: p}}
	}
	cb := tx.Tx{Version: tx.VersionFirst,
		Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Index: 0xffffffff}, Script: binary.LittleEndian.AppendUint32([]byte{4}, 1), Sequence: 0xffffffff}},
		Outputs: []tx.Output{
			pay(&tx.DID{Status: tx.DIDStatusRegister, Symbol: "alice", Address: alice.String()}),
			pay(&tx.AssetDetail{Symbol: "ALICE.COIN", MaximumSupply: 1000, Issuer: "alice", Address: alice.String()}),
		}}
	blk := &block.Block{Header: block.Header{Version: block.VersionPoW, PreviousBlockHash: p.GenesisHash, Height: 1,
		Timestamp: 1_700_000_020, Bits: block.DifficultyFromUint64(1)}, Transactions: []tx.Tx{cb}}
	blk.Header.MerkleRoot = block.MerkleRoot(blk.TxHashes())

	// After chain has validated the block against st.Registries() and st.Lookups():
	writes, err := st.RecordWrites(blk, 1, regUnspentView{s})
	if err == nil {
		err = s.ConnectBlock(&store.BlockUpdate{Block: blk, Raw: blk.Bytes(), Hash: blk.Hash(), Height: 1, Records: writes})
	}
	if err != nil {
		fmt.Println(err)
		return
	}
	reg := st.Registries()
	b, ok, _ := reg.DIDs.Resolve("alice", 1)
	fmt.Println(ok, b.Address == alice.String(), b.Height)
	a, ok, _ := reg.Assets.Asset("ALICE.COIN")
	fmt.Println(ok, a.Volume)
	holders, _ := st.Holders("ALICE.COIN")
	fmt.Println(len(holders), holders[0].Quantity)
	// Disconnecting the block takes its records with it.
	if _, err := s.DisconnectTip(); err != nil {
		fmt.Println(err)
		return
	}
	_, ok, _ = reg.Assets.Asset("ALICE.COIN")
	fmt.Println(ok)
	// Output:
	// true true 1
	// true 1000
	// 1 1000
	// false
}

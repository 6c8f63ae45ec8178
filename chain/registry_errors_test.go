package chain_test

import (
	"encoding/binary"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// regMapView is a UTXOView held in a map.
type regMapView map[tx.OutPoint]chain.UTXO

func (v regMapView) UTXO(op tx.OutPoint) (chain.UTXO, bool, error) {
	u, ok := v[op]
	return u, ok, nil
}

// regFailView fails every read.
type regFailView struct{}

var errRegRead = errors.New("disk on fire")

func (regFailView) UTXO(tx.OutPoint) (chain.UTXO, bool, error) {
	return chain.UTXO{}, false, errRegRead
}

func regOpenStore(t *testing.T) (*store.Store, *chain.StoreState) {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), "chain.db"), store.Options{Params: regP, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, chain.NewStoreState(s, regP)
}

// regBlock wraps txs after a coinbase in a block at height on prev.
func regBlock(prev mvs.Hash, height uint32, txs ...tx.Tx) *block.Block {
	cb := tx.Tx{Version: tx.VersionFirst, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Index: 0xffffffff},
		Script: binary.LittleEndian.AppendUint32([]byte{4}, height), Sequence: 0xffffffff}},
		Outputs: []tx.Output{regOut(regAddrs[0], 1, nil)}}
	blk := &block.Block{Header: block.Header{Version: block.VersionPoW, PreviousBlockHash: prev,
		Timestamp: 1_700_000_000 + 20*height, Bits: block.DifficultyFromUint64(1), Height: height},
		Transactions: append([]tx.Tx{cb}, txs...)}
	blk.Header.MerkleRoot = block.MerkleRoot(blk.TxHashes())
	return blk
}

func regSpend(op tx.OutPoint, outs ...tx.Output) tx.Tx {
	return tx.Tx{Version: tx.VersionNova, Inputs: []tx.Input{{PreviousOutput: op, Sequence: 0xffffffff}}, Outputs: outs}
}

// TestRecordWritesErrors: each refusal of RecordWrites has its error.
func TestRecordWritesErrors(t *testing.T) {
	s, st := regOpenStore(t)
	g := regP.GenesisHash
	someOut := tx.OutPoint{Hash: mvs.Hash{7}, Index: 1}
	transfer := func(q uint64) tx.Output {
		return regOut(regAddrs[1], 0, &tx.AssetTransfer{Symbol: "FOO", Quantity: q})
	}
	held := regMapView{someOut: {Output: transfer(10), Height: 1}}
	// A corrupt asset record, as another program (or a bit flip) might leave it.
	bad := regBlock(g, 1)
	if err := s.ConnectBlock(&store.BlockUpdate{Block: bad, Raw: bad.Bytes(), Hash: bad.Hash(), Height: 1,
		Records: []store.RecordWrite{{Kind: store.KindAsset, Key: []byte("BAD"), Value: []byte{2, 0}}}}); err != nil {
		t.Fatal(err)
	}
	tip := bad.Hash()
	for _, c := range []struct {
		name   string
		blk    *block.Block
		height uint32
		view   chain.UTXOView
		want   error
	}{
		{"no block", nil, 2, regMapView{}, chain.ErrRecordArgs},
		{"no view", regBlock(tip, 2), 2, nil, chain.ErrRecordArgs},
		{"height not the header's", regBlock(tip, 2), 3, regMapView{}, chain.ErrRecordArgs},
		{"spent output unknown", regBlock(tip, 2, regSpend(someOut, transfer(10))), 2, regMapView{}, chain.ErrSpentUnknown},
		{"view fails", regBlock(tip, 2, regSpend(someOut, transfer(10))), 2, regFailView{}, errRegRead},
		// The view says an asset output is spent, but no holder record holds it.
		{"holder below zero", regBlock(tip, 2, regSpend(someOut)), 2, held, chain.ErrHolderBalance},
		{"holder past 2^64", regBlock(tip, 2, regSpend(someOut, transfer(1<<63), transfer(1<<63))), 2, held, chain.ErrHolderBalance},
		{"empty symbol", regBlock(tip, 2, regSpend(someOut, regOut(regAddrs[1], 0, &tx.AssetDetail{MaximumSupply: 1}))), 2, regMapView{someOut: {Output: regOut(regAddrs[1], 5, nil)}}, chain.ErrRecordKey},
		{"corrupt record", regBlock(tip, 2, regSpend(someOut, regOut(regAddrs[1], 0, &tx.AssetDetail{Symbol: "BAD", MaximumSupply: 1}))), 2, regMapView{someOut: {Output: regOut(regAddrs[1], 5, nil)}}, chain.ErrBadRecord},
	} {
		t.Run(c.name, func(t *testing.T) {
			w, err := st.RecordWrites(c.blk, c.height, c.view)
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v (%d writes), want %v", err, len(w), c.want)
			}
		})
	}
	// Reads refuse the corrupt record too.
	if _, _, err := st.Asset("BAD"); !errors.Is(err, chain.ErrBadRecord) {
		t.Fatalf("Asset of a corrupt record: %v", err)
	}
	if _, _, err := st.Registries().Assets.Asset("BAD"); !errors.Is(err, chain.ErrBadRecord) {
		t.Fatalf("Registry Asset of a corrupt record: %v", err)
	}
	// A closed store is the store's error.
	s.Close()
	if _, _, err := st.Asset("FOO"); !errors.Is(err, store.ErrClosed) {
		t.Fatalf("after Close: %v", err)
	}
}

// TestStakeLocksNoAddressIndex: a store without the address index cannot answer the PoS
// capability rule, and says so with the store's error.
func TestStakeLocksNoAddressIndex(t *testing.T) {
	s, err := store.Open(filepath.Join(t.TempDir(), "chain.db"), store.Options{Params: regP, NoSync: true, NoAddressIndex: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = chain.NewStoreState(s, regP).Lookups().Stakes.StakeLocks(regAddrs[0])
	if !errors.Is(err, store.ErrNoAddressIndex) {
		t.Fatalf("got %v", err)
	}
}

// TestStakeLocksFilter: only ETP sequence-lock outputs of the address are stake locks.
func TestStakeLocksFilter(t *testing.T) {
	s, st := regOpenStore(t)
	a := regAddrs[2]
	lock := script.SequenceLock(a.Hash, 30_000)
	outs := []tx.Output{
		{Value: chain.MinStakeValue, Script: lock, Attachment: tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeETP}},
		{Value: 5, Script: lock, Attachment: tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeAsset,
			Payload: &tx.AssetTransfer{Symbol: "FOO", Quantity: 1}}},
		regOut(a, 9, nil),
	}
	blk := regBlock(regP.GenesisHash, 1)
	blk.Transactions[0].Outputs = outs
	blk.Header.MerkleRoot = block.MerkleRoot(blk.TxHashes())
	if err := s.ConnectBlock(&store.BlockUpdate{Block: blk, Raw: blk.Bytes(), Hash: blk.Hash(), Height: 1}); err != nil {
		t.Fatal(err)
	}
	locks, err := st.Lookups().Stakes.StakeLocks(a)
	if err != nil || len(locks) != 1 || locks[0].Output.Value != chain.MinStakeValue || !locks[0].Coinbase || locks[0].Height != 1 {
		t.Fatalf("got %+v %v", locks, err)
	}
	if !strings.Contains(locks[0].Output.Attachment.Type.String(), "etp") {
		t.Fatalf("attachment %v", locks[0].Output.Attachment.Type)
	}
}

// TestStoreStateNoStore: a StoreState without a store or Params refuses every call.
func TestStoreStateNoStore(t *testing.T) {
	s, _ := regOpenStore(t)
	for name, st := range map[string]*chain.StoreState{"nil": nil, "no store": chain.NewStoreState(nil, regP),
		"no params": chain.NewStoreState(s, nil)} {
		t.Run(name, func(t *testing.T) {
			if _, err := st.RecordWrites(regBlock(regP.GenesisHash, 1), 1, regMapView{}); !errors.Is(err, chain.ErrNoStore) {
				t.Errorf("RecordWrites: %v", err)
			}
			if _, _, err := st.Registries().Assets.Asset("FOO"); !errors.Is(err, chain.ErrNoStore) {
				t.Errorf("Asset: %v", err)
			}
			if _, err := st.Registries().Assets.SecondaryWitnessCerts("", 0); !errors.Is(err, chain.ErrNoStore) {
				t.Errorf("SecondaryWitnessCerts: %v", err)
			}
			if _, _, err := st.Registries().DIDs.Resolve("alice", 0); !errors.Is(err, chain.ErrNoStore) {
				t.Errorf("Resolve: %v", err)
			}
			if _, err := st.Lookups().Stakes.StakeLocks(regAddrs[0]); !errors.Is(err, chain.ErrNoStore) {
				t.Errorf("StakeLocks: %v", err)
			}
		})
	}
}

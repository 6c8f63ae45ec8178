package backend_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/examples/exchange/backend"
	"github.com/mvsgo/mvs/rpcclient"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
	"github.com/mvsgo/mvs/wallet"
)

// fakeNode is an in-memory chain with a pool, answering the RPC calls the service makes as
// a node does. Tests build branches on it to reorganize.
type fakeNode struct {
	mu       sync.Mutex
	chain    []*block.Block
	pool     []*tx.Tx
	sendErr  error
	nonce    uint64
	badBlock bool                // answer a block of the wrong height
	inject   map[uint32][]*tx.Tx // answer the block of a height with these transactions added, the header unchanged
}

func newFakeNode() *fakeNode {
	n := &fakeNode{}
	n.chain = []*block.Block{n.makeBlock(mvs.Hash{}, 0, nil)}
	return n
}

func (n *fakeNode) makeBlock(prev mvs.Hash, height uint32, txs []*tx.Tx) *block.Block {
	n.nonce++
	cb := tx.Tx{Version: 1,
		Inputs:  []tx.Input{{PreviousOutput: tx.OutPoint{Index: 0xffffffff}, Script: []byte{byte(height), byte(height >> 8), byte(n.nonce)}, Sequence: 0xffffffff}},
		Outputs: []tx.Output{{Value: 1, Script: []byte{0x51}, Attachment: tx.Attachment{Version: 1, Type: tx.TypeETP}}}}
	b := &block.Block{Header: block.Header{Version: 1, PreviousBlockHash: prev, Height: height, Timestamp: 1_700_000_000 + height, Nonce: n.nonce},
		Transactions: []tx.Tx{cb}}
	for _, t := range txs {
		b.Transactions = append(b.Transactions, *t)
	}
	b.Header.MerkleRoot = block.MerkleRoot(b.TxHashes())
	return b
}

// mine appends a block holding txs (the pool's when txs is nil and pool is true).
func (n *fakeNode) mine(txs ...*tx.Tx) *block.Block {
	n.mu.Lock()
	defer n.mu.Unlock()
	top := n.chain[len(n.chain)-1]
	b := n.makeBlock(top.Header.Hash(), top.Header.Height+1, txs)
	n.chain = append(n.chain, b)
	return b
}

// minePool mines the pool's transactions.
func (n *fakeNode) minePool() *block.Block {
	n.mu.Lock()
	pool := n.pool
	n.pool = nil
	n.mu.Unlock()
	return n.mine(pool...)
}

// reorg replaces the blocks above fork with count new blocks, the first holding txs.
func (n *fakeNode) reorg(fork uint32, count int, txs ...*tx.Tx) {
	n.mu.Lock()
	n.chain = n.chain[:fork+1]
	n.mu.Unlock()
	n.mine(txs...)
	for i := 1; i < count; i++ {
		n.mine()
	}
}

func (n *fakeNode) height() uint32 {
	n.mu.Lock()
	defer n.mu.Unlock()
	return uint32(len(n.chain) - 1)
}

func (n *fakeNode) GetHeight(context.Context) (uint64, error) { return uint64(n.height()), nil }

func (n *fakeNode) at(id rpcclient.BlockID) (*block.Block, error) {
	h, err := strconv.ParseUint(id.String(), 10, 32)
	if err != nil {
		return nil, fmt.Errorf("fake: only by height: %v", err)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if h >= uint64(len(n.chain)) {
		return nil, &rpcclient.RPCError{Code: rpcclient.CodeBlockHeightGet, Message: "no block"}
	}
	return n.chain[h], nil
}

func (n *fakeNode) GetBlockHeader(_ context.Context, id rpcclient.BlockID) (*rpcclient.BlockHeader, error) {
	b, err := n.at(id)
	if err != nil {
		return nil, err
	}
	return &rpcclient.BlockHeader{Hash: b.Header.Hash(), PreviousBlockHash: b.Header.PreviousBlockHash, Number: rpcclient.Uint64(b.Header.Height)}, nil
}

func (n *fakeNode) GetRawBlock(_ context.Context, id rpcclient.BlockID) ([]byte, error) {
	b, err := n.at(id)
	if err != nil {
		return nil, err
	}
	if n.badBlock {
		c := *b
		c.Header.Height++
		return c.Bytes(), nil
	}
	if add := n.inject[b.Header.Height]; len(add) > 0 {
		c := *b
		c.Transactions = append([]tx.Tx(nil), b.Transactions...)
		for _, t := range add {
			c.Transactions = append(c.Transactions, *t)
		}
		return c.Bytes(), nil
	}
	return b.Bytes(), nil
}

func (n *fakeNode) GetRawTx(_ context.Context, h mvs.Hash) ([]byte, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, b := range n.chain {
		for i := range b.Transactions {
			if b.Transactions[i].Hash() == h {
				return b.Transactions[i].Bytes(), nil
			}
		}
	}
	return nil, &rpcclient.RPCError{Code: rpcclient.CodeTxNotFound, Message: "no tx"}
}

// GetAddressUTXOs answers the chain's unspent outputs paying address (the pool is ignored,
// as the node's index does).
func (n *fakeNode) GetAddressUTXOs(_ context.Context, address string, _ *rpcclient.ValueRange) ([]rpcclient.UTXO, error) {
	return n.unspent(address, func(o *tx.Output) (uint64, string, bool) {
		_, asset := o.Attachment.Payload.(*tx.AssetTransfer)
		return uint64(o.Value), "", !asset
	})
}

// GetAddressAssetUTXOs answers the chain's unspent MST outputs of symbol paying address.
func (n *fakeNode) GetAddressAssetUTXOs(_ context.Context, address, symbol string, _ *rpcclient.ValueRange, _ uint64) ([]rpcclient.UTXO, error) {
	return n.unspent(address, func(o *tx.Output) (uint64, string, bool) {
		at, ok := o.Attachment.Payload.(*tx.AssetTransfer)
		if !ok || at.Symbol != symbol {
			return 0, "", false
		}
		return at.Quantity, symbol, true
	})
}

// unspent is the chain's unspent outputs paying address that keep takes, with the balance
// and symbol it gives each.
func (n *fakeNode) unspent(address string, keep func(*tx.Output) (balance uint64, symbol string, ok bool)) ([]rpcclient.UTXO, error) {
	a, err := mvs.DecodeAddress(address, mvs.RegTest())
	if err != nil {
		return nil, &rpcclient.RPCError{Code: rpcclient.CodeAddressInvalid, Message: err.Error()}
	}
	want := script.PayToAddress(a)
	n.mu.Lock()
	defer n.mu.Unlock()
	spent := map[tx.OutPoint]bool{}
	for _, b := range n.chain {
		for i := range b.Transactions {
			for _, in := range b.Transactions[i].Inputs {
				spent[in.PreviousOutput] = true
			}
		}
	}
	var out []rpcclient.UTXO
	for _, b := range n.chain {
		for i := range b.Transactions {
			t := &b.Transactions[i]
			for j := range t.Outputs {
				o := &t.Outputs[j]
				op := tx.OutPoint{Hash: t.Hash(), Index: uint32(j)}
				if !bytes.Equal(o.Script, want) || spent[op] {
					continue
				}
				if balance, symbol, ok := keep(o); ok {
					out = append(out, rpcclient.UTXO{Hash: op.Hash, Index: rpcclient.Uint64(j), Block: rpcclient.Uint64(b.Header.Height),
						Balance: rpcclient.Uint64(balance), Available: rpcclient.Uint64(balance), Symbol: symbol})
				}
			}
		}
	}
	return out, nil
}

func (n *fakeNode) SendRawTx(_ context.Context, raw []byte) (mvs.Hash, error) {
	if n.sendErr != nil {
		return mvs.Hash{}, n.sendErr
	}
	t, err := tx.Decode(raw)
	if err != nil {
		return mvs.Hash{}, &rpcclient.RPCError{Code: rpcclient.CodeCommandParams, Message: err.Error()}
	}
	n.mu.Lock()
	n.pool = append(n.pool, t)
	n.mu.Unlock()
	return t.Hash(), nil
}

// The well-known regtest mnemonic: the exchange's keys in these tests (the signer holds
// the account, the service its xpub).
const testMnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"

func accounts(t testing.TB) (cold, watch *wallet.Account) {
	t.Helper()
	p := mvs.RegTest()
	cold, err := wallet.NewAccountFromMnemonic(testMnemonic, p)
	if err != nil {
		t.Fatal(err)
	}
	watch, err = wallet.NewWatchOnlyAccount(cold.ExtendedPublicKey(), p)
	if err != nil {
		t.Fatal(err)
	}
	return cold, watch
}

// pay is a transaction paying each address its amount, from a made-up outpoint (the fake
// node checks no inputs).
func pay(seed byte, outs ...any) *tx.Tx {
	t := &tx.Tx{Version: 4, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Hash: mvs.Hash{seed, 0xee}}, Script: []byte{0x51}, Sequence: 0xffffffff}}}
	for i := 0; i+1 < len(outs); i += 2 {
		a := outs[i].(mvs.Address)
		switch v := outs[i+1].(type) {
		case mvs.Amount:
			t.Outputs = append(t.Outputs, tx.Output{Value: v, Script: script.PayToAddress(a), Attachment: tx.Attachment{Version: 1, Type: tx.TypeETP}})
		case *tx.AssetTransfer:
			t.Outputs = append(t.Outputs, tx.Output{Script: script.PayToAddress(a), Attachment: tx.Attachment{Version: 1, Type: tx.TypeAsset, Payload: v}})
		case []byte: // a raw script
			t.Outputs = append(t.Outputs, tx.Output{Value: mvs.SatoshiPerETP, Script: v, Attachment: tx.Attachment{Version: 1, Type: tx.TypeETP}})
		}
	}
	return t
}

// stores opens one empty ledger per backend: SQLite always, PostgreSQL when
// MVS_TEST_POSTGRES_DSN names a server (required under CI).
func stores(t testing.TB) map[string]func(t testing.TB) *backend.Store {
	m := map[string]func(t testing.TB) *backend.Store{
		"sqlite": func(t testing.TB) *backend.Store {
			return reopen(t, "sqlite", filepath.Join(t.TempDir(), "ledger.db"))
		},
	}
	dsn := os.Getenv("MVS_TEST_POSTGRES_DSN")
	if dsn == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set but MVS_TEST_POSTGRES_DSN is not: .ci/run must start PostgreSQL")
		}
		t.Log("MVS_TEST_POSTGRES_DSN unset: PostgreSQL not tested")
		return m
	}
	m["postgres"] = func(t testing.TB) *backend.Store {
		return reopen(t, "pgx", PostgresSchema(t, dsn))
	}
	return m
}

var schemaSeq struct {
	sync.Mutex
	n int
}

// PostgresSchema creates an empty schema for one test and returns dsn selecting it.
func PostgresSchema(t testing.TB, dsn string) string {
	t.Helper()
	schemaSeq.Lock()
	schemaSeq.n++
	name := fmt.Sprintf("exch_%d_%d", os.Getpid(), schemaSeq.n)
	schemaSeq.Unlock()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`DROP SCHEMA IF EXISTS ` + name + ` CASCADE`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE SCHEMA ` + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", dsn)
		if err == nil {
			db.Exec(`DROP SCHEMA IF EXISTS ` + name + ` CASCADE`)
			db.Close()
		}
	})
	if strings.Contains(dsn, "://") {
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		return dsn + sep + "search_path=" + name
	}
	return dsn + " search_path=" + name
}

// storeDSN remembers how each store was opened, so a test can open it again (a restart).
var storeDSN sync.Map

func reopen(t testing.TB, driver, where string) *backend.Store {
	t.Helper()
	var st *backend.Store
	var err error
	if driver == "sqlite" {
		st, err = backend.OpenSQLite(context.Background(), where)
	} else {
		st, err = backend.OpenPostgres(context.Background(), where)
	}
	if err != nil {
		t.Fatal(err)
	}
	storeDSN.Store(st, [2]string{driver, where})
	t.Cleanup(func() { st.Close() })
	return st
}

// restart closes st and opens the same ledger again: a new process's view.
func restart(t testing.TB, st *backend.Store) *backend.Store {
	t.Helper()
	v, _ := storeDSN.Load(st)
	dw := v.([2]string)
	st.Close()
	return reopen(t, dw[0], dw[1])
}

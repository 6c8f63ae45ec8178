package main

import (
	"context"
	"fmt"
	"math/big"
	"net/url"
	"strconv"
	"sync"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/asset"
	"github.com/mvsgo/mvs/rpcclient"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// fakeNode is a fixed chain in memory: the handler tests' node. It answers as the node
// does, errors included (RPCError codes for missing things), so that the pages' handling
// of each answer is tested without a node; the browser test uses a real one.
type fakeNode struct {
	mu     sync.Mutex // guards blocks for a follower running beside the test
	blocks []*rpcclient.Block
	txs    map[mvs.Hash]*rpcclient.Tx
	raw    map[mvs.Hash][]byte
	// rawBlocks are the serialized blocks the fixture has (by the JSON block's hash).
	rawBlocks map[mvs.Hash][]byte
	assets    map[string][]rpcclient.Asset
	dids      map[string][]rpcclient.DIDRecord // by symbol and by address
	mits      map[string]*rpcclient.MIT
	certs     map[string][]rpcclient.AssetCert // certificates of no asset: domain, naming
	fail      error                            // every call fails with it when set
	// txCalls and didCalls count GetTx and GetDID calls.
	txCalls, didCalls int
}

func rpcErr(code int, msg string) error { return &rpcclient.RPCError{Code: code, Message: msg} }

func (f *fakeNode) GetHeight(ctx context.Context) (uint64, error) {
	if f.fail != nil {
		return 0, f.fail
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return uint64(len(f.blocks) - 1), nil
}

// mine appends an empty block on the fake chain.
func (f *fakeNode) mine() *rpcclient.Block {
	f.mu.Lock()
	defer f.mu.Unlock()
	tip := f.blocks[len(f.blocks)-1]
	h := uint64(tip.Number) + 1
	b := &rpcclient.Block{BlockHeader: rpcclient.BlockHeader{Hash: mvs.Hash{byte(h), 0xbb}, PreviousBlockHash: tip.Hash, Number: rpcclient.Uint64(h),
		Timestamp: tip.Timestamp + 3, Bits: tip.Bits}}
	f.blocks = append(f.blocks, b)
	return b
}

func (f *fakeNode) findBlock(id rpcclient.BlockID) (*rpcclient.Block, error) {
	if f.fail != nil {
		return nil, f.fail
	}
	s := id.String()
	f.mu.Lock()
	defer f.mu.Unlock()
	// By height first: the persistence tests' chains are thousands of blocks long.
	if h, err := strconv.ParseUint(s, 10, 64); err == nil && h < uint64(len(f.blocks)) && uint64(f.blocks[h].Number) == h {
		return f.blocks[h], nil
	}
	for _, b := range f.blocks {
		if b.Hash.String() == s || fmt.Sprint(uint64(b.Number)) == s {
			return b, nil
		}
	}
	return nil, rpcErr(rpcclient.CodeBlockHeightGet, "no block")
}

func (f *fakeNode) GetBlock(ctx context.Context, id rpcclient.BlockID) (*rpcclient.Block, error) {
	return f.findBlock(id)
}

func (f *fakeNode) GetBlockHeader(ctx context.Context, id rpcclient.BlockID) (*rpcclient.BlockHeader, error) {
	b, err := f.findBlock(id)
	if err != nil {
		return nil, rpcErr(rpcclient.CodeBlockHeaderGet, "no header")
	}
	return &b.BlockHeader, nil
}

func (f *fakeNode) GetRawBlock(ctx context.Context, id rpcclient.BlockID) ([]byte, error) {
	b, err := f.findBlock(id)
	if err != nil {
		return nil, err
	}
	if r, ok := f.rawBlocks[b.Hash]; ok {
		return r, nil
	}
	return nil, rpcErr(rpcclient.CodeBlockHeightGet, "no raw block in the fixture")
}

func (f *fakeNode) GetTx(ctx context.Context, h mvs.Hash) (*rpcclient.Tx, error) {
	f.txCalls++
	if f.fail != nil {
		return nil, f.fail
	}
	if t, ok := f.txs[h]; ok {
		return t, nil
	}
	return nil, rpcErr(rpcclient.CodeTxNotFound, "no tx")
}

func (f *fakeNode) GetRawTx(ctx context.Context, h mvs.Hash) ([]byte, error) {
	if f.fail != nil {
		return nil, f.fail
	}
	if r, ok := f.raw[h]; ok {
		return r, nil
	}
	return nil, rpcErr(rpcclient.CodeTxNotFound, "no tx")
}

func (f *fakeNode) GetAddressETP(ctx context.Context, a string) (*rpcclient.AddressBalance, error) {
	if f.fail != nil {
		return nil, f.fail
	}
	var b rpcclient.AddressBalance
	b.Address = a
	for _, t := range f.txs {
		for _, o := range t.Outputs {
			if o.Address == a {
				b.Received += o.Value
				b.Unspent += o.Value
				if o.LockedHeightRange > 0 {
					b.Frozen += o.Value
				} else {
					b.Available += o.Value
				}
			}
		}
	}
	return &b, nil
}

func (f *fakeNode) GetAddressAsset(ctx context.Context, a, symbol string) ([]rpcclient.Asset, error) {
	if f.fail != nil {
		return nil, f.fail
	}
	var out []rpcclient.Asset
	for _, t := range f.txs {
		for _, o := range t.Outputs {
			if o.Address == a && o.Attachment.Type == rpcclient.AttachmentAssetTransfer {
				q := *o.Attachment.Quantity
				var locked rpcclient.Uint64
				if o.AttenuationModelParam != nil {
					locked = q / 2
				}
				out = append(out, rpcclient.Asset{Symbol: o.Attachment.Symbol, Quantity: &q, LockedQuantity: &locked})
			}
		}
	}
	return out, nil
}

func (f *fakeNode) GetAddressAssetCerts(ctx context.Context, a, symbol string) ([]rpcclient.AssetCert, error) {
	if f.fail != nil {
		return nil, f.fail
	}
	return nil, nil
}

func (f *fakeNode) ListTxs(ctx context.Context, q rpcclient.ListTxsParams) (*rpcclient.TxPage, error) {
	if f.fail != nil {
		return nil, f.fail
	}
	var all []rpcclient.TxSummary
	for i := len(f.blocks) - 1; i >= 0; i-- {
		b := f.blocks[i]
		for _, t := range b.Transactions {
			touches := false
			s := rpcclient.TxSummary{Hash: t.Hash, Height: b.Number, Timestamp: b.Timestamp, Direction: "receive"}
			for _, o := range t.Outputs {
				a := o.Address
				s.Outputs = append(s.Outputs, rpcclient.TxSummaryOutput{Address: &a, ETPValue: o.Value, Attachment: o.Attachment})
				touches = touches || a == q.Address
			}
			if touches {
				all = append(all, s)
			}
		}
	}
	limit := q.Limit
	lo := (q.Index - 1) * limit
	if lo >= uint64(len(all)) {
		return nil, rpcErr(rpcclient.CodeArgumentLegality, "no record in this page")
	}
	hi := min(lo+limit, uint64(len(all)))
	return &rpcclient.TxPage{TotalPage: rpcclient.Uint64((uint64(len(all)) + limit - 1) / limit), CurrentPage: rpcclient.Uint64(q.Index),
		TransactionCount: rpcclient.Uint64(hi - lo), Transactions: all[lo:hi]}, nil
}

func (f *fakeNode) GetAsset(ctx context.Context, symbol string) ([]rpcclient.Asset, error) {
	if f.fail != nil {
		return nil, f.fail
	}
	if a, ok := f.assets[symbol]; ok {
		return a, nil
	}
	return nil, rpcErr(rpcclient.CodeAssetSymbolNotFound, "asset "+symbol+" does not exist")
}

func (f *fakeNode) GetAssetCerts(ctx context.Context, symbol string) ([]rpcclient.AssetCert, error) {
	if f.fail != nil {
		return nil, f.fail
	}
	if _, ok := f.assets[symbol]; ok {
		return []rpcclient.AssetCert{{Symbol: symbol, Owner: "alice", Address: addrA, Cert: "issue"}}, nil
	}
	if c, ok := f.certs[symbol]; ok {
		return c, nil
	}
	return nil, rpcErr(rpcclient.CodeAssetSymbolNotFound, "no asset")
}

func (f *fakeNode) GetDID(ctx context.Context, s string) ([]rpcclient.DIDRecord, error) {
	f.didCalls++
	if f.fail != nil {
		return nil, f.fail
	}
	if d, ok := f.dids[s]; ok {
		return d, nil
	}
	return nil, rpcErr(rpcclient.CodeDIDSymbolNotFound, "did "+s+" does not exist")
}

func (f *fakeNode) GetMIT(ctx context.Context, s string) (*rpcclient.MIT, error) {
	if f.fail != nil {
		return nil, f.fail
	}
	if m, ok := f.mits[s]; ok {
		return m, nil
	}
	return nil, fmt.Errorf("%w: getmit %q", rpcclient.ErrNotFound, s)
}

func (f *fakeNode) GetMITHistory(ctx context.Context, s string, index, limit uint64) ([]rpcclient.MIT, error) {
	m, err := f.GetMIT(ctx, s)
	if err != nil {
		return nil, err
	}
	return []rpcclient.MIT{*m}, nil
}

var (
	regtest = mvs.RegTest()
	hashA   = [20]byte{1}
	addrA   = mvs.NewPubKeyHashAddress(hashA, regtest).String()
	addrB   = mvs.NewPubKeyHashAddress([20]byte{2}, regtest).String()
)

func u64(v uint64) *rpcclient.Uint64 { p := rpcclient.Uint64(v); return &p }
func str(s string) *string           { return &s }

// chainFixture is what the fake chain holds, by name, for the tests to look up.
type chainFixture struct {
	node                                 *fakeNode
	coinbase, pay, issue, msg, dep, lock mvs.Hash
	proofDigest                          string
}

// newFixture builds a 5-block chain: coinbases, an ETP payment with a DID-named payee, an
// asset issue (FOO, 4 decimals), a transfer with an attenuation lock (serialized for real,
// so the page reads its model), a deposit, a message and a proof-of-existence message.
func newFixture(t testing.TB) *chainFixture {
	t.Helper()
	f := &fakeNode{txs: map[mvs.Hash]*rpcclient.Tx{}, raw: map[mvs.Hash][]byte{}, assets: map[string][]rpcclient.Asset{},
		dids: map[string][]rpcclient.DIDRecord{}, mits: map[string]*rpcclient.MIT{},
		certs: map[string][]rpcclient.AssetCert{"BAR.NAME": {{Symbol: "BAR.NAME", Owner: "alice", Address: addrA, Cert: "naming"}}}}
	fx := &chainFixture{node: f, proofDigest: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}
	var prev mvs.Hash
	n := byte(0)
	nextHash := func() mvs.Hash { n++; return mvs.Hash{n, 0xee} }
	addBlock := func(txs ...rpcclient.Tx) {
		h := uint64(len(f.blocks))
		cb := rpcclient.Tx{Hash: nextHash(), Inputs: []rpcclient.TxInput{{Sequence: 0xffffffff}},
			Outputs: []rpcclient.TxOutput{{Address: addrA, Value: 300000000, Attachment: rpcclient.Attachment{Type: "etp"}}}}
		all := append([]rpcclient.Tx{cb}, txs...)
		bits, _ := rpcclient.NewUint256String(big.NewInt(int64(1000 + 10*h)))
		b := &rpcclient.Block{BlockHeader: rpcclient.BlockHeader{Hash: nextHash(), PreviousBlockHash: prev, Number: rpcclient.Uint64(h),
			Timestamp: rpcclient.Uint64(1700000000 + 3*h), Bits: bits}, Transactions: all}
		for i := range b.Transactions {
			b.Transactions[i].Height = u64(h)
			tt := b.Transactions[i]
			f.txs[tt.Hash] = &tt
		}
		prev = b.Hash
		f.blocks = append(f.blocks, b)
		if fx.coinbase.IsZero() {
			fx.coinbase = cb.Hash
		}
	}
	etp := rpcclient.Attachment{Type: "etp"}
	addBlock()
	fx.pay = nextHash()
	addBlock(rpcclient.Tx{Hash: fx.pay, Inputs: []rpcclient.TxInput{{Address: addrA, PreviousOutput: rpcclient.OutPoint{Hash: fx.coinbase}, Sequence: 0xffffffff}},
		Outputs: []rpcclient.TxOutput{
			{Address: addrB, Value: 100000000, Attachment: etp, Index: 0},
			{Address: addrA, Value: 199990000, Attachment: etp, Index: 1},
		}})
	fx.issue = nextHash()
	fx.msg = nextHash()
	fx.dep = nextHash()
	addBlock(
		rpcclient.Tx{Hash: fx.issue, Inputs: []rpcclient.TxInput{{Address: addrA, PreviousOutput: rpcclient.OutPoint{Hash: fx.pay, Index: 1}}},
			Outputs: []rpcclient.TxOutput{{Address: addrA, Attachment: rpcclient.Attachment{Type: "asset-issue", Symbol: "FOO", Issuer: "alice",
				Address: addrA, Quantity: u64(10000000), DecimalNumber: u64(4), SecondaryIssueThreshold: u64(0), Description: str("Foo coin")}}}},
		rpcclient.Tx{Hash: fx.msg, Inputs: []rpcclient.TxInput{{Address: addrB, PreviousOutput: rpcclient.OutPoint{Hash: fx.pay, Index: 0}}},
			Outputs: []rpcclient.TxOutput{
				{Address: addrB, Value: 1000, Attachment: rpcclient.Attachment{Type: "message", Content: str("hello <b>world</b>")}, Index: 0},
				{Address: addrB, Value: 1000, Attachment: rpcclient.Attachment{Type: "message", Content: str("sha256:" + fx.proofDigest)}, Index: 1},
			}},
		rpcclient.Tx{Hash: fx.dep, Inputs: []rpcclient.TxInput{{Address: addrA, PreviousOutput: rpcclient.OutPoint{Hash: fx.coinbase}}},
			Outputs: []rpcclient.TxOutput{{Address: addrA, Value: 50000000, LockedHeightRange: 100, Attachment: etp}}},
	)
	// The attenuation lock is a real serialized transaction: the page reads its script.
	param, err := asset.ExpandModel("TYPE=1;LQ=9000;LP=6;UN=3", 10000)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := script.Attenuation(hashA, param, script.NullOutPoint())
	if err != nil {
		t.Fatal(err)
	}
	lt := &tx.Tx{Version: 4, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Hash: fx.issue}, Script: []byte{0}, Sequence: 0xffffffff}},
		Outputs: []tx.Output{{Script: sc, Attachment: tx.Attachment{Version: 1, Type: tx.TypeAsset, Payload: &tx.AssetTransfer{Symbol: "FOO", Quantity: 10000}}}}}
	fx.lock = lt.Hash()
	f.raw[fx.lock] = lt.Bytes()
	addBlock(rpcclient.Tx{Hash: fx.lock, Version: 4, Inputs: []rpcclient.TxInput{{Address: addrA, PreviousOutput: rpcclient.OutPoint{Hash: fx.issue}, Sequence: 0xffffffff}},
		Outputs: []rpcclient.TxOutput{{Address: addrA, AttenuationModelParam: &rpcclient.AttenuationModelParam{LockQuantity: u64(9000)},
			Attachment: rpcclient.Attachment{Type: "asset-transfer", Symbol: "FOO", Quantity: u64(10000)}}}})
	addBlock()
	f.assets["FOO"] = []rpcclient.Asset{{Symbol: "FOO", Issuer: "alice", Address: addrA, Description: "Foo coin", MaximumSupply: u64(10000000), DecimalNumber: 4, Status: "issued"}}
	f.dids["alice"] = []rpcclient.DIDRecord{{Address: addrA, Status: "current", Symbol: "alice"}, {Address: addrB, Status: "history", Symbol: "alice"}}
	f.dids[addrA] = f.dids["alice"][:1]
	f.mits["TICKET1"] = &rpcclient.MIT{Symbol: "TICKET1", Address: addrB, Status: "registered", Content: str("seat 12"), Height: u64(2)}
	return fx
}

// newTestServer serves fx's chain with an index that has followed it.
func newTestServer(t testing.TB, fx *chainFixture) (*Server, *Index) {
	t.Helper()
	idx := NewIndex()
	f := &Follower{Node: fx.node, Index: idx}
	if err := f.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	s, err := NewServer(Config{Node: fx.node, Index: idx, Params: regtest})
	if err != nil {
		t.Fatal(err)
	}
	return s, idx
}

func mvsAddr(h [20]byte) string { return mvs.NewPubKeyHashAddress(h, regtest).String() }

func itoa(v uint64) string { return strconv.FormatUint(v, 10) }

func urlQuery(s string) string { return url.QueryEscape(s) }

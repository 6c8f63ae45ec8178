package chain_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/ethash"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// The chain tests mine RegTest blocks with real Ethash seals (the test-only SmallSizes;
// RegTest's difficulty is 1, so the first nonce tried seals) and verify them with the same
// Verifier: block connection is tested end to end, seal check included.

// ccClock is the tests' fixed clock, well after every block they mine.
func ccClock() time.Time { return time.Unix(1_800_000_000, 0) }

// ccMiner builds sealed RegTest blocks.
type ccMiner struct {
	t       testing.TB
	p       *mvs.Params
	v       *ethash.Verifier
	genesis *block.Block
	byHash  map[mvs.Hash]*block.Block
}

func newCCMiner(t testing.TB) *ccMiner {
	t.Helper()
	p := mvs.RegTest()
	g, err := block.Genesis(p)
	if err != nil {
		t.Fatal(err)
	}
	v := ethash.New(ethash.Config{Sizes: ethash.SmallSizes})
	t.Cleanup(func() { v.Close() })
	return &ccMiner{t: t, p: p, v: v, genesis: g, byHash: map[mvs.Hash]*block.Block{g.Hash(): g}}
}

// ccCoinbase is the coinbase of height paying v to keyA; salt tells branches apart.
func ccCoinbase(height uint32, salt byte, v mvs.Amount) tx.Tx {
	n := script.NumBytes(int64(height))
	s := append([]byte{byte(len(n))}, n...)
	s = append(s, 1, salt)
	return tx.Tx{Version: 1, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Index: 0xffffffff}, Script: s}},
		Outputs: []tx.Output{payTo(keyA, v)}}
}

// mine seals a block on parent holding txs after a coinbase that pays the subsidy plus
// fees (plus extra, to make it invalid).
func (m *ccMiner) mine(parent *block.Block, salt byte, fees, extra mvs.Amount, txs ...tx.Tx) *block.Block {
	m.t.Helper()
	ph := &parent.Header
	height := ph.Height + 1
	cb := ccCoinbase(height, salt, block.Subsidy(height, block.VersionPoW, m.p)+fees+extra)
	blk := &block.Block{Transactions: append([]tx.Tx{cb}, txs...)}
	h := &blk.Header
	*h = block.Header{Version: block.VersionPoW, PreviousBlockHash: parent.Hash(), Timestamp: ph.Timestamp + 30, Height: height,
		MerkleRoot: block.MerkleRoot(blk.TxHashes())}
	var pprev *block.Header
	if gp := m.byHash[ph.PreviousBlockHash]; gp != nil && ph.Height > 0 {
		pprev = &gp.Header
	}
	h.Bits = block.NextDifficulty(block.VersionPoW, height, h.Timestamp, ph, pprev, m.p)
	m.seal(h)
	m.byHash[blk.Hash()] = blk
	return blk
}

func (m *ccMiner) seal(h *block.Header) {
	m.t.Helper()
	res, err := m.v.Search(context.Background(), uint64(h.Height), h.SealHash(), h.Bits.Big(), 0, 0, 1)
	if err != nil {
		m.t.Fatal(err)
	}
	h.Nonce, h.MixHash = res.Nonce, res.Mix
}

// branch mines n coinbase-only blocks on parent.
func (m *ccMiner) branch(parent *block.Block, n int, salt byte) []*block.Block {
	var out []*block.Block
	for range n {
		parent = m.mine(parent, salt, 0, 0)
		out = append(out, parent)
	}
	return out
}

// spendCoinbase is a signed transaction paying blk's coinbase output (keyA's) to keyB,
// less the minimum fee, with salt choosing among otherwise equal spends.
func (m *ccMiner) spendCoinbase(blk *block.Block, salt mvs.Amount) tx.Tx {
	m.t.Helper()
	cb := &blk.Transactions[0]
	op := tx.OutPoint{Hash: cb.Hash(), Index: 0}
	x := spend([]tx.OutPoint{op}, payTo(keyB, cb.Outputs[0].Value-m.p.MinTxFee-salt))
	if err := x.SignInput(0, cb.Outputs[0].Script, keyA, tx.SignOptions{}); err != nil {
		m.t.Fatal(err)
	}
	return *x
}

// ccNode is a Chain over a fresh store in t.TempDir().
type ccNode struct {
	t  testing.TB
	st *store.Store
	c  *chain.Chain
}

func (m *ccMiner) node(edit func(*chain.Config)) *ccNode {
	m.t.Helper()
	st, err := store.Open(filepath.Join(m.t.TempDir(), "chain.db"), store.Options{Params: m.p, NoSync: true})
	if err != nil {
		m.t.Fatal(err)
	}
	m.t.Cleanup(func() { st.Close() })
	cfg := chain.Config{Params: m.p, Store: st, State: chain.NewStoreState(st, m.p), Seal: m.v, Now: ccClock}
	if edit != nil {
		edit(&cfg)
	}
	c, err := chain.New(cfg)
	if err != nil {
		m.t.Fatal(err)
	}
	m.t.Cleanup(func() { c.Close() })
	return &ccNode{t: m.t, st: st, c: c}
}

// process passes blk and checks the verdict.
func (n *ccNode) process(blk *block.Block, want chain.Verdict) chain.Result {
	n.t.Helper()
	res, err := n.c.ProcessBlock(context.Background(), blk, nil)
	if res.Verdict != want {
		n.t.Fatalf("block %d %s: verdict %v (err %v), want %v", blk.Header.Height, blk.Hash(), res.Verdict, err, want)
	}
	if (err != nil) != (want == chain.Invalid) {
		n.t.Fatalf("block %d: verdict %v with error %v", blk.Header.Height, res.Verdict, err)
	}
	return res
}

func (n *ccNode) processAll(blks []*block.Block, want chain.Verdict) {
	n.t.Helper()
	for _, b := range blks {
		n.process(b, want)
	}
}

func (n *ccNode) tip() (mvs.Hash, uint32) {
	n.t.Helper()
	h, height, err := n.st.Tip()
	if err != nil {
		n.t.Fatal(err)
	}
	return h, height
}

func (n *ccNode) wantTip(b *block.Block) {
	n.t.Helper()
	if h, height := n.tip(); h != b.Hash() {
		n.t.Fatalf("tip %d %s, want %d %s", height, h, b.Header.Height, b.Hash())
	}
}

func (n *ccNode) digest() mvs.Hash {
	n.t.Helper()
	d, err := n.st.Digest()
	if err != nil {
		n.t.Fatal(err)
	}
	return d
}

func (n *ccNode) status(b *block.Block) store.Status {
	n.t.Helper()
	rec, err := n.st.Header(b.Hash())
	if err != nil {
		n.t.Fatal(err)
	}
	return rec.Status
}

// copyHeaders writes other's header records of blks into n's store: the headers a node
// learnt on a losing branch, which a node that never saw that branch lacks.
func (n *ccNode) copyHeaders(other *ccNode, blks []*block.Block) {
	n.t.Helper()
	for _, b := range blks {
		rec, err := other.st.Header(b.Hash())
		if err != nil {
			n.t.Fatal(err)
		}
		if err := n.st.PutHeader(rec); err != nil {
			n.t.Fatal(err)
		}
	}
}

func ccCat(parts ...[]*block.Block) []*block.Block {
	var out []*block.Block
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/ethash"
	"github.com/mvsgo/mvs/examples/node/p2p"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
	"github.com/mvsgo/mvs/wallet"
)

// testNode starts a RegTest node on loopback (Ethash at test sizes) connected to peers.
func testNode(t *testing.T, mine bool, peers ...*Node) *Node {
	t.Helper()
	p := mvs.RegTest()
	cfg := NodeConfig{Params: p, DataDir: filepath.Join(t.TempDir(), "node"), Listen: "127.0.0.1:0", AllowLocal: true,
		EthashSizes: ethash.SmallSizes, CacheMiB: 16,
		P2P: func(c *p2p.Config) { c.MaxLifetime = -1 }}
	for _, q := range peers {
		cfg.Peers = append(cfg.Peers, q.srv.Addr().String())
	}
	if mine {
		cfg.MineTo = regtestKey(t).addr
	}
	n, err := NewNode(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

type key struct {
	addr mvs.Address
	acct *wallet.Account
}

func regtestKey(t *testing.T) key {
	acct, err := wallet.NewAccountFromMnemonic(regtestMnemonic, mvs.RegTest())
	if err != nil {
		t.Fatal(err)
	}
	a, err := acct.Address(0)
	if err != nil {
		t.Fatal(err)
	}
	return key{a, acct}
}

// eventually polls cond until it holds or a generous deadline passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func allAt(nodes []*Node, height uint32) func() bool {
	return func() bool {
		for _, n := range nodes {
			if n.height() != height {
				return false
			}
		}
		return true
	}
}

// TestNodesSyncAndRelay: four nodes in a line on loopback. Blocks mined on the first reach
// the last (initial sync, then announcements); a payment submitted to the last reaches the
// first's memory pool, is mined there, and leaves every pool.
func TestNodesSyncAndRelay(t *testing.T) {
	a := testNode(t, true)
	ctx := context.Background()
	for range 5 {
		if _, _, err := a.miner.MineOne(ctx); err != nil {
			t.Fatal(err)
		}
	}
	b := testNode(t, false, a)
	c := testNode(t, false, b)
	d := testNode(t, false, c)
	nodes := []*Node{a, b, c, d}
	eventually(t, "initial sync of 5 blocks", allAt(nodes, 5))
	for range 3 {
		if _, _, err := a.miner.MineOne(ctx); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "3 announced blocks", allAt(nodes, 8))

	// A payment from the coinbase of block 1 (RegTest coinbases mature after one block).
	k := regtestKey(t)
	raw, err := a.rawBlock(mustHash(t, a, 1))
	if err != nil {
		t.Fatal(err)
	}
	cb := mustBlock(t, raw).Transactions[0]
	pay := script.PayToAddress(k.addr)
	x := &tx.Tx{Version: 1, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Hash: cb.Hash()}, Sequence: script.SequenceFinal}},
		Outputs: []tx.Output{{Value: cb.Outputs[0].Value - mvs.RegTest().MinTxFee, Script: pay, Attachment: tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeETP}}}}
	priv, err := k.acct.PrivateKey(0)
	if err != nil {
		t.Fatal(err)
	}
	if err := x.SignInput(0, cb.Outputs[0].Script, priv, tx.SignOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := d.SubmitTx(x); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the payment in every pool", func() bool {
		for _, n := range nodes {
			if !n.pool.Has(x.Hash()) {
				return false
			}
		}
		return true
	})
	blk, _, err := a.miner.MineOne(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(blk.Transactions) != 2 || blk.Transactions[1].Hash() != x.Hash() {
		t.Fatalf("the mined block holds %d transactions", len(blk.Transactions))
	}
	eventually(t, "the payment's block everywhere and every pool empty", func() bool {
		for _, n := range nodes {
			if n.height() != 9 || n.pool.Len() != 0 {
				return false
			}
		}
		return true
	})
}

func mustHash(t *testing.T, n *Node, h uint32) mvs.Hash {
	t.Helper()
	hash, err := n.st.HashAt(h)
	if err != nil {
		t.Fatal(err)
	}
	return hash
}

func mustBlock(t *testing.T, raw []byte) *block.Block {
	t.Helper()
	b, err := block.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

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
	if !mine {
		return testNodeMining(t, -1, peers...)
	}
	return testNodeMining(t, 0, peers...)
}

// testNodeMining is testNode mining to the regtest account's key m/i (none when i < 0):
// nodes mining to different keys never make the same block.
func testNodeMining(t *testing.T, i int, peers ...*Node) *Node {
	t.Helper()
	return testNodeWith(t, func(c *NodeConfig) {
		for _, q := range peers {
			c.Peers = append(c.Peers, q.srv.Addr().String())
		}
		if i >= 0 {
			a, err := regtestKey(t).acct.Address(uint32(i))
			if err != nil {
				t.Fatal(err)
			}
			c.MineTo = a
		} else {
			c.MineTo = mvs.Address{}
		}
	})
}

// testNodeWith starts a RegTest node mining to m/0, with edit applied to its config.
func testNodeWith(t *testing.T, edit func(*NodeConfig)) *Node {
	t.Helper()
	p := mvs.RegTest()
	// Blocks are mined faster than one a second: their timestamps start two hours back, so
	// that no block is ahead of any node's clock.
	back := time.Now().Add(-2 * time.Hour)
	cfg := NodeConfig{Params: p, DataDir: filepath.Join(t.TempDir(), "node"), Listen: "127.0.0.1:0", AllowLocal: true,
		EthashSizes: ethash.SmallSizes, CacheMiB: 16, MinerClock: func() time.Time { return back },
		P2P: func(c *p2p.Config) { c.MaxLifetime = -1 }, MineTo: regtestKey(t).addr}
	edit(&cfg)
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
	x := payFromCoinbase(t, a, 1, mvs.RegTest().MinTxFee)
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

// payFromCoinbase is a signed payment of the coinbase of n's block at height back to the
// regtest key, paying fee.
func payFromCoinbase(t *testing.T, n *Node, height uint32, fee mvs.Amount) *tx.Tx {
	t.Helper()
	k := regtestKey(t)
	raw, err := n.st.Body(mustHash(t, n, height))
	if err != nil {
		t.Fatal(err)
	}
	cb := mustBlock(t, raw).Transactions[0]
	x := &tx.Tx{Version: 1, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Hash: cb.Hash()}, Sequence: script.SequenceFinal}},
		Outputs: []tx.Output{{Value: cb.Outputs[0].Value - fee, Script: script.PayToAddress(k.addr), Attachment: tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeETP}}}}
	priv, err := k.acct.PrivateKey(0)
	if err != nil {
		t.Fatal(err)
	}
	if err := x.SignInput(0, cb.Outputs[0].Script, priv, tx.SignOptions{}); err != nil {
		t.Fatal(err)
	}
	return x
}

// TestNodesPartitionHeal: two nodes share 3 blocks, then mine apart (the first 2 blocks, one
// holding a payment, the second 4). Healed, both follow the branch with the most work, and
// the payment the losing branch had mined is back in both memory pools.
func TestNodesPartitionHeal(t *testing.T) {
	ctx := context.Background()
	a := testNode(t, true)
	for range 3 {
		if _, _, err := a.miner.MineOne(ctx); err != nil {
			t.Fatal(err)
		}
	}
	b := testNodeMining(t, 1, a)
	eventually(t, "b synced", allAt([]*Node{a, b}, 3))
	// Partition: a stops keeping b (b dialled a; drop and ban each other for the test).
	for _, p := range b.srv.Peers() {
		if err := b.srv.Ban(p.Addr().Addr(), time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "partitioned", func() bool { return len(a.srv.Peers()) == 0 && len(b.srv.Peers()) == 0 })
	x := payFromCoinbase(t, a, 1, mvs.RegTest().MinTxFee)
	if err := a.SubmitTx(x); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, _, err := a.miner.MineOne(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for range 4 {
		if _, _, err := b.miner.MineOne(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if a.pool.Has(x.Hash()) || a.height() != 5 || b.height() != 7 {
		t.Fatalf("before healing: a at %d (payment pooled %v), b at %d", a.height(), a.pool.Has(x.Hash()), b.height())
	}
	// Heal.
	if err := b.srv.Unban(a.srv.AddrPort().Addr()); err != nil {
		t.Fatal(err)
	}
	if err := a.srv.AddPeer(b.srv.Addr().String()); err != nil {
		t.Fatal(err)
	}
	eventually(t, "both on b's branch with the payment back in both pools", func() bool {
		ha, _ := a.st.HashAt(7)
		hb, _ := b.st.HashAt(7)
		return a.height() == 7 && ha == hb && a.pool.Has(x.Hash()) && b.pool.Has(x.Hash())
	})
}

package main

import (
	"context"
	"math/big"
	"testing"

	"github.com/mvsgo/mvs/examples/node/p2p"
	"github.com/mvsgo/mvs/rpcclient"
)

// TestNodeRPC: the node's JSON-RPC answers the SDK's client: the height, a getwork
// package mined outside the node (by the client side, as a pool's miner would) and
// submitted, a raw transaction sent and found in the memory pool.
func TestNodeRPC(t *testing.T) {
	ctx := context.Background()
	n := testNodeWith(t, func(c *NodeConfig) { c.RPCListen = "127.0.0.1:0"; c.P2P = func(pc *p2p.Config) { pc.NoListen = true } })
	for range 2 {
		if _, _, err := n.miner.MineOne(ctx); err != nil {
			t.Fatal(err)
		}
	}
	c, err := rpcclient.New("http://"+n.rpcAddr.String(), rpcclient.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if h, err := c.GetHeight(ctx); err != nil || h != 2 {
		t.Fatalf("getheight %d %v", h, err)
	}
	if si, err := c.GetSyncInfo(ctx); err != nil || si.Height != 2 || si.Syncing {
		t.Fatalf("getsyncinfo %+v %v", si, err)
	}
	w, err := c.GetWork(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Boundary → difficulty, then search as an external miner would.
	b := new(big.Int).SetBytes(w.Boundary[:])
	diff := new(big.Int).Div(new(big.Int).Lsh(big.NewInt(1), 256), new(big.Int).Add(b, big.NewInt(1)))
	if diff.Sign() == 0 {
		diff.SetInt64(1)
	}
	found, err := n.seal.Search(ctx, 3, w.PowHash, diff, 0, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := c.SubmitWork(ctx, found.Nonce, w.PowHash, found.Mix); err != nil || !ok {
		t.Fatalf("submitwork: %v %v", ok, err)
	}
	if h, err := c.GetHeight(ctx); err != nil || h != 3 {
		t.Fatalf("getheight after submitwork %d %v", h, err)
	}
	if ok, err := c.SubmitWork(ctx, found.Nonce, w.PowHash, found.Mix); ok || err == nil {
		t.Fatal("the same work submitted twice was accepted")
	}
	x := payFromCoinbase(t, n, 1, 20_000)
	if id, err := c.SendRawTx(ctx, x.Bytes()); err != nil || id != x.Hash() {
		t.Fatalf("sendrawtx %s %v", id, err)
	}
	pool, err := c.GetMemoryPool(ctx)
	if err != nil || len(pool) != 1 || !n.pool.Has(x.Hash()) {
		t.Fatalf("getmemorypool: %d %v", len(pool), err)
	}
}

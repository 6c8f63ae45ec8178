package main

import (
	"context"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/tx/script"
	"github.com/mvsgo/mvs/wire"
)

// TestNodeBansInvalidBlock: a peer that announces a block with a valid header and seal and
// then serves a body breaking a consensus rule (its coinbase pays one satoshi too much) is
// disconnected and its IP banned; the node's tip does not move.
func TestNodeBansInvalidBlock(t *testing.T) {
	ctx := context.Background()
	n := testNode(t, true)
	if _, _, err := n.miner.MineOne(ctx); err != nil {
		t.Fatal(err)
	}
	tip := mustHash(t, n, 1)
	parent, err := n.st.Header(tip)
	if err != nil {
		t.Fatal(err)
	}
	bad, err := chain.NewPoWTemplate(chain.TemplateConfig{Params: n.p, Parent: &parent.Header, Branch: chain.NewMainHeaders(n.st),
		PayTo: script.PayToAddress(regtestKey(t).addr), Tag: []byte("evil"), Timestamp: parent.Header.Timestamp + 1})
	if err != nil {
		t.Fatal(err)
	}
	bad.Transactions[0].Outputs[0].Value++
	h := &bad.Header
	h.MerkleRoot = block.MerkleRoot(bad.TxHashes())
	found, err := n.seal.Search(ctx, uint64(h.Height), h.SealHash(), h.Bits.Big(), 0, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	h.Nonce, h.MixHash = found.Nonce, found.Mix

	conn, err := net.Dial("tcp", n.srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	magic := n.p.Magic
	send := func(m wire.Message) {
		t.Helper()
		if err := wire.WriteMessage(conn, m, wire.ProtocolVersion, magic); err != nil {
			t.Fatal(err)
		}
	}
	send(&wire.MsgVersion{ProtocolVersion: wire.ProtocolVersion, Services: 1, Timestamp: uint64(time.Now().Unix()),
		AddrRecv: wire.NewNetAddress(netip.MustParseAddrPort(n.srv.Addr().String()), 1), Nonce: 99, UserAgent: "/evil/", StartHeight: 2, Relay: true})
	send(&wire.MsgVerAck{})
	announced := false
	for {
		msg, _, err := wire.ReadMessage(conn, wire.ProtocolVersion, magic)
		if err != nil {
			break // disconnected: expected after the bad block
		}
		switch m := msg.(type) {
		case *wire.MsgVerAck:
			send(&wire.MsgHeaders{Headers: []wire.HeaderWithCount{{Header: bad.Header, TxCount: 1}}})
			announced = true
		case *wire.MsgPing:
			send(&wire.MsgPong{Nonce: m.Nonce})
		case *wire.MsgGetData:
			for _, iv := range m.InvList {
				if iv.Type == wire.InvTypeBlock && iv.Hash == bad.Hash() {
					send(&wire.MsgBlock{Block: *bad})
				}
			}
		}
	}
	if !announced {
		t.Fatal("the handshake never completed")
	}
	eventually(t, "the sender banned", func() bool { return n.srv.BanList().IsBanned(netip.MustParseAddr("127.0.0.1")) })
	if got := mustHash(t, n, 1); got != tip || n.height() != 1 {
		t.Fatalf("the tip moved to %d", n.height())
	}
}

// TestNodeReplacesStalledPeer: a peer announces a chain's headers and then never serves the
// bodies it is asked for; after the stall timeout it is dropped and the node syncs the
// blocks from an honest peer.
func TestNodeReplacesStalledPeer(t *testing.T) {
	ctx := context.Background()
	src := testNode(t, true)
	for range 20 {
		if _, _, err := src.miner.MineOne(ctx); err != nil {
			t.Fatal(err)
		}
	}
	dst := testNodeWith(t, func(c *NodeConfig) { c.MineTo = mvs.Address{}; c.StallTimeout = 300 * time.Millisecond })
	conn, err := net.Dial("tcp", dst.srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	magic := dst.p.Magic
	send := func(m wire.Message) {
		if err := wire.WriteMessage(conn, m, wire.ProtocolVersion, magic); err != nil {
			t.Error(err)
		}
	}
	send(&wire.MsgVersion{ProtocolVersion: wire.ProtocolVersion, Services: 1, Timestamp: uint64(time.Now().Unix()),
		AddrRecv: wire.NewNetAddress(netip.MustParseAddrPort(dst.srv.Addr().String()), 1), Nonce: 7, UserAgent: "/staller/", StartHeight: 20, Relay: true})
	send(&wire.MsgVerAck{})
	var hs wire.MsgHeaders
	for h := uint32(1); h <= 20; h++ {
		rec, err := src.st.Header(mustHash(t, src, h))
		if err != nil {
			t.Fatal(err)
		}
		hs.Headers = append(hs.Headers, wire.HeaderWithCount{Header: rec.Header, TxCount: 1})
	}
	asked := make(chan struct{})
	go func() {
		once := false
		for {
			msg, _, err := wire.ReadMessage(conn, wire.ProtocolVersion, magic)
			if err != nil {
				return
			}
			switch m := msg.(type) {
			case *wire.MsgVerAck:
				send(&hs)
			case *wire.MsgPing:
				send(&wire.MsgPong{Nonce: m.Nonce})
			case *wire.MsgGetData:
				if !once {
					once = true
					close(asked) // and never answer
				}
			}
		}
	}()
	select {
	case <-asked:
	case <-time.After(30 * time.Second):
		t.Fatal("the node never asked the staller for bodies")
	}
	if err := dst.srv.AddPeer(src.srv.Addr().String()); err != nil {
		t.Fatal(err)
	}
	eventually(t, "synced from the honest peer", func() bool { return dst.height() == 20 })
	if dst.srv.BanList().IsBanned(netip.MustParseAddr("127.0.0.1")) {
		t.Fatal("a stalled peer was banned: stalling may be innocent")
	}
}

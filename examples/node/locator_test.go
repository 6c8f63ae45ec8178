package main

import (
	"context"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/wire"
)

// TestLocatorAnswers: getblocks and getheaders are answered as the reference's
// protocol_block_out: 10 to a peer near our tip, from the first locator hash on our main
// chain (genesis for getblocks when none is; no answer at all to getheaders whose last
// locator hash is unknown), through a stop hash, and never again from below the first
// hash of the peer's last getblocks answer (the reference's threshold).
func TestLocatorAnswers(t *testing.T) {
	ctx := context.Background()
	n := testNode(t, true)
	for range 30 {
		if _, _, err := n.miner.MineOne(ctx); err != nil {
			t.Fatal(err)
		}
	}
	at := func(h uint32) mvs.Hash { return mustHash(t, n, h) }
	span := func(from, to uint32) []mvs.Hash {
		var out []mvs.Hash
		for h := from; h <= to; h++ {
			out = append(out, at(h))
		}
		return out
	}

	conn, err := net.Dial("tcp", n.srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	send := func(m wire.Message) {
		t.Helper()
		if err := wire.WriteMessage(conn, m, wire.ProtocolVersion, n.p.Magic); err != nil {
			t.Fatal(err)
		}
	}
	// next is the node's next answer of interest (pings answered, announcements skipped).
	next := func() wire.Message {
		t.Helper()
		for {
			msg, _, err := wire.ReadMessage(conn, wire.ProtocolVersion, n.p.Magic)
			if err != nil {
				t.Fatal(err)
			}
			switch m := msg.(type) {
			case *wire.MsgPing:
				send(&wire.MsgPong{Nonce: m.Nonce})
			case *wire.MsgInv, *wire.MsgHeaders, *wire.MsgPong:
				return msg
			}
		}
	}
	send(&wire.MsgVersion{ProtocolVersion: wire.ProtocolVersion, Services: 1, Timestamp: uint64(time.Now().Unix()),
		AddrRecv: wire.NewNetAddress(netip.MustParseAddrPort(n.srv.Addr().String()), 1), Nonce: 77, UserAgent: "/locator/", StartHeight: 0, Relay: false})
	send(&wire.MsgVerAck{})
	for {
		msg, _, err := wire.ReadMessage(conn, wire.ProtocolVersion, n.p.Magic)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := msg.(*wire.MsgVerAck); ok {
			break
		}
	}
	unknown := mvs.Hash{0xde, 0xad}
	invOf := func(what string) []mvs.Hash {
		t.Helper()
		inv, ok := next().(*wire.MsgInv)
		if !ok {
			t.Fatalf("%s: not an inv", what)
		}
		var out []mvs.Hash
		for _, iv := range inv.InvList {
			out = append(out, iv.Hash)
		}
		return out
	}
	headersOf := func(what string) []mvs.Hash {
		t.Helper()
		hs, ok := next().(*wire.MsgHeaders)
		if !ok {
			t.Fatalf("%s: not headers", what)
		}
		var out []mvs.Hash
		for _, h := range hs.Headers {
			out = append(out, h.Header.Hash())
		}
		return out
	}
	same := func(what string, got, want []mvs.Hash) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: %d hashes, want %d", what, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%s: hash %d differs", what, i)
			}
		}
	}

	// getheaders whose locator ends in an unknown hash: no answer (the pong comes first).
	send(&wire.MsgGetHeaders{ProtocolVersion: wire.ProtocolVersion, BlockLocatorHashes: []mvs.Hash{unknown}})
	send(&wire.MsgPing{Nonce: 5})
	if _, ok := next().(*wire.MsgPong); !ok {
		t.Fatal("getheaders with an unknown genesis was answered")
	}
	steps := []struct {
		name    string
		msg     wire.Message
		headers bool
		want    []mvs.Hash
	}{
		{"getblocks, nothing known: from genesis, 10", &wire.MsgGetBlocks{ProtocolVersion: wire.ProtocolVersion, BlockLocatorHashes: []mvs.Hash{unknown}}, false, span(1, 10)},
		// The page ends where the locator put it (block 10) before the threshold raises the
		// start, so the answer is one shorter, as the reference's.
		{"getblocks again from genesis: above the threshold (block 1)", &wire.MsgGetBlocks{ProtocolVersion: wire.ProtocolVersion, BlockLocatorHashes: []mvs.Hash{at(0)}}, false, span(2, 10)},
		{"getheaders above the threshold", &wire.MsgGetHeaders{ProtocolVersion: wire.ProtocolVersion, BlockLocatorHashes: []mvs.Hash{at(20), at(0)}}, true, span(21, 30)},
		{"getheaders below the threshold (block 2) starts above it", &wire.MsgGetHeaders{ProtocolVersion: wire.ProtocolVersion, BlockLocatorHashes: []mvs.Hash{at(0)}}, true, span(3, 10)},
		{"a stop below the start: nothing", &wire.MsgGetBlocks{ProtocolVersion: wire.ProtocolVersion, BlockLocatorHashes: []mvs.Hash{at(6), at(0)}, HashStop: at(5)}, false, nil},
		{"through the stop", &wire.MsgGetBlocks{ProtocolVersion: wire.ProtocolVersion, BlockLocatorHashes: []mvs.Hash{at(3), at(0)}, HashStop: at(8)}, false, span(4, 8)},
		{"an unknown stop is no stop", &wire.MsgGetBlocks{ProtocolVersion: wire.ProtocolVersion, BlockLocatorHashes: []mvs.Hash{at(25), at(0)}, HashStop: unknown}, false, span(26, 30)},
	}
	// Nothing above the locator: getheaders is not answered (the pong comes first).
	send(&wire.MsgGetHeaders{ProtocolVersion: wire.ProtocolVersion, BlockLocatorHashes: []mvs.Hash{at(30), at(0)}})
	send(&wire.MsgPing{Nonce: 6})
	if _, ok := next().(*wire.MsgPong); !ok {
		t.Fatal("getheaders at our tip was answered")
	}
	for _, s := range steps {
		send(s.msg)
		if s.headers {
			same(s.name, headersOf(s.name), s.want)
		} else {
			same(s.name, invOf(s.name), s.want)
		}
	}
}

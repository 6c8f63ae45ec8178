package p2p_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/examples/node/p2p"
	"github.com/mvsgo/mvs/wire"
)

func TestHandshakeBothWays(t *testing.T) {
	ra, rb := newRecorder(), newRecorder()
	ca, cb := testConfig(ra), testConfig(rb)
	cb.UserAgent = "/b:2/"
	cb.StartHeight = func() uint32 { return 99 }
	cb.NoRelay = true
	a, b := startServer(t, ca), startServer(t, cb)
	pa, err := a.Connect(t.Context(), b.AddrPort())
	if err != nil {
		t.Fatal(err)
	}
	pb := serverPeer(t, b, "127.0.0.1")
	if pa.Inbound() || !pb.Inbound() {
		t.Errorf("inbound flags: a side %v, b side %v", pa.Inbound(), pb.Inbound())
	}
	v := pa.Version()
	if v.UserAgent != "/b:2/" || v.StartHeight != 99 || v.Relay || v.Services != 1 || v.ProtocolVersion != wire.ProtocolVersion {
		t.Errorf("a sees b's version %+v", v)
	}
	v = pb.Version()
	if v.UserAgent != "/mvsgo:0.1/" || v.StartHeight != 1234 || !v.Relay || v.Nonce == 0 {
		t.Errorf("b sees a's version %+v", v)
	}
	if pa.ProtocolVersion() != wire.ProtocolVersion || pa.Addr() != b.AddrPort() {
		t.Errorf("pver %d addr %v", pa.ProtocolVersion(), pa.Addr())
	}
	waitFor(t, "OnReady on both sides", func() bool {
		ra.mu.Lock()
		defer ra.mu.Unlock()
		rb.mu.Lock()
		defer rb.mu.Unlock()
		return len(ra.ready) == 1 && len(rb.ready) == 1
	})
	// The outbound side stores the address it reached.
	if got := a.AddrBook().Addresses(); len(got) != 1 || got[0] != b.AddrPort() {
		t.Errorf("a's address book %v", got)
	}
	pa.Disconnect(nil)
	if err := ra.doneErr(t, pa); !errors.Is(err, p2p.ErrDisconnected) {
		t.Errorf("OnDone err %v, want ErrDisconnected", err)
	}
	if err := rb.doneErr(t, pb); err == nil {
		t.Error("b side: no reason after the remote closed")
	}
	s := pa.Stats()
	if s.MsgsSent < 2 || s.BytesSent == 0 || s.MsgsReceived < 2 || s.LastRecv.IsZero() || s.ConnectedAt.IsZero() {
		t.Errorf("stats %+v", s)
	}
}

func TestPingPong(t *testing.T) {
	r := newRecorder()
	cfg := testConfig(r)
	cfg.PingInterval = 20 * time.Millisecond // many pings within the test
	s := startServer(t, cfg)
	c := dialRaw(t, s, "127.0.0.1")
	c.handshake()
	// The server pings first; answer it and see the RTT recorded.
	ping, err := until[*wire.MsgPing](c)
	if err != nil {
		t.Fatal(err)
	}
	c.send(&wire.MsgPong{Nonce: ping.Nonce})
	p := serverPeer(t, s, "127.0.0.1")
	waitFor(t, "ping RTT", func() bool { return p.Stats().PingRTT > 0 })
	// Our ping is answered with our nonce.
	c.send(&wire.MsgPing{Nonce: 0xfeedface})
	pong, err := until[*wire.MsgPong](c)
	if err != nil || pong.Nonce != 0xfeedface {
		t.Fatalf("pong %+v, %v", pong, err)
	}
	// A pong with another nonce disconnects.
	c.send(&wire.MsgPong{Nonce: 1})
	if !c.closed() {
		t.Fatal("not disconnected after a wrong pong")
	}
	if err := r.doneErr(t, p); !errors.Is(err, p2p.ErrPongMismatch) {
		t.Errorf("reason %v, want ErrPongMismatch", err)
	}
	if sc := s.Score(p.Addr().Addr()); sc != 0 {
		t.Errorf("score %d for a pong mismatch, want 0", sc)
	}
}

func TestIdleTimeout(t *testing.T) {
	r := newRecorder()
	cfg := testConfig(r)
	cfg.IdleTimeout = 100 * time.Millisecond
	s := startServer(t, cfg)
	c := dialRaw(t, s, "127.0.0.1")
	c.handshake()
	// The raw peer now stays silent (it answers no ping).
	if err := r.nextDone(t); !errors.Is(err, p2p.ErrIdleTimeout) {
		t.Errorf("reason %v, want ErrIdleTimeout", err)
	}
}

// frame builds a message header by hand.
func frame(magic uint32, cmd string, payload []byte, sum [4]byte, length uint32) []byte {
	b := binary.LittleEndian.AppendUint32(nil, magic)
	var c [12]byte
	copy(c[:], cmd)
	b = append(b, c[:]...)
	b = binary.LittleEndian.AppendUint32(b, length)
	b = append(b, sum[:]...)
	return append(b, payload...)
}

func invMsg(n int, seed byte) []byte {
	m := &wire.MsgInv{}
	for i := range n {
		m.AddInvVect(wire.InvVect{Type: wire.InvTypeBlock, Hash: mvs.Hash{seed, byte(i), byte(i >> 8)}})
	}
	b, _ := wire.AppendMessage(nil, m, wire.ProtocolVersion, mvs.MainNet().Magic)
	return b
}

func getDataMsg(n int) []byte {
	m := &wire.MsgGetData{}
	for i := range n {
		m.InvList = append(m.InvList, wire.InvVect{Type: wire.InvTypeTx, Hash: mvs.Hash{byte(i)}})
	}
	b, _ := wire.AppendMessage(nil, m, wire.ProtocolVersion, mvs.MainNet().Magic)
	return b
}

func addrMsg(n int) []byte {
	m := &wire.MsgAddr{}
	for i := range n {
		m.AddrList = append(m.AddrList, wire.NewNetAddress(netip.AddrPortFrom(netip.AddrFrom4([4]byte{8, 8, byte(i >> 8), byte(i)}), 5251), 1))
	}
	b, _ := wire.AppendMessage(nil, m, wire.ProtocolVersion, mvs.MainNet().Magic)
	return b
}

func TestBadPeers(t *testing.T) {
	magic := mvs.MainNet().Magic
	empty := wire.Checksum(nil)
	cases := []struct {
		name   string
		bytes  []byte
		reason error // the disconnect reason
		score  int   // the IP's score afterwards (0 once banned: the ban holds it)
		banned bool
	}{
		{"garbage", []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), wire.ErrBadMagic, 0, true},
		{"wrong magic", frame(mvs.TestNet().Magic, "verack", nil, empty, 0), wire.ErrBadMagic, 0, true},
		{"zero header", make([]byte, 24), wire.ErrZeroHeader, p2p.PenaltyMalformed, false},
		{"bad checksum", frame(magic, "verack", nil, [4]byte{1, 2, 3, 4}, 0), wire.ErrBadChecksum, p2p.PenaltyMalformed, false},
		{"oversize length", frame(magic, "inv", nil, empty, wire.MaxPayloadSize+1), wire.ErrPayloadTooLarge, p2p.PenaltyMalformed, false},
		{"malformed payload", frame(magic, "ping", []byte{1, 2, 3}, wire.Checksum([]byte{1, 2, 3}), 3), wire.ErrTruncated, p2p.PenaltyMalformed, false},
		{"unknown command", frame(magic, "feefilter", make([]byte, 8), wire.Checksum(make([]byte, 8)), 8), wire.ErrUnknownCommand, p2p.PenaltyUnknown, false},
		{"second version", func() []byte {
			b, _ := wire.AppendMessage(nil, rawVersion(7), wire.ProtocolVersion, magic)
			return b
		}(), p2p.ErrProtocol, p2p.PenaltyProtocol, false},
		{"inv flood", bytes.Repeat(invMsg(10, 1), 12), p2p.ErrBanned, 0, true},
		{"addr flood", bytes.Repeat(addrMsg(10), 12), p2p.ErrBanned, 0, true},
		{"getdata flood", bytes.Repeat(getDataMsg(10), 12), p2p.ErrBanned, 0, true},
	}
	r := newRecorder()
	cfg := testConfig(r)
	// Small buckets with no refill to speak of: the 11th message of a flood is over.
	cfg.InvRate = p2p.Rate{PerSecond: 1e-9, Burst: 10}
	cfg.AddrRate = p2p.Rate{PerSecond: 1e-9, Burst: 10}
	cfg.GetDataRate = p2p.Rate{PerSecond: 1e-9, Burst: 10}
	s := startServer(t, cfg)
	good := dialRaw(t, s, "127.0.0.1")
	good.handshake()
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ip := netip.AddrFrom4([4]byte{127, 0, 1, byte(i + 1)})
			c := dialRaw(t, s, ip.String())
			c.handshake()
			p := serverPeer(t, s, ip.String())
			c.sendRaw(tc.bytes)
			if !c.closed() {
				t.Fatal("not disconnected")
			}
			err := r.doneErr(t, p)
			if !errors.Is(err, tc.reason) {
				t.Errorf("reason %v, want %v", err, tc.reason)
			}
			if tc.banned {
				var me *p2p.MisbehaviorError
				if !errors.As(err, &me) || me.Score < p2p.BanThreshold {
					t.Errorf("reason %v is not a *MisbehaviorError at the threshold", err)
				}
			}
			if got := s.BanList().IsBanned(ip); got != tc.banned {
				t.Errorf("banned %v, want %v", got, tc.banned)
			}
			if got := s.Score(ip); got != tc.score {
				t.Errorf("score %d, want %d", got, tc.score)
			}
			if tc.banned { // a banned IP cannot come back
				c2 := dialRaw(t, s, ip.String())
				c2.send(rawVersion(9))
				if !c2.closed() {
					t.Error("banned IP accepted again")
				}
			}
			// The good peer, connected all along, still works.
			good.send(&wire.MsgPing{Nonce: uint64(i) + 100})
			if pong, err := until[*wire.MsgPong](good); err != nil || pong.Nonce != uint64(i)+100 {
				t.Fatalf("good peer: pong %v, %v", pong, err)
			}
		})
	}
	if got := len(s.Peers()); got != 1 {
		t.Errorf("%d peers left, want the good one", got)
	}
}

// A peer scored below the threshold on each connection is banned once the sum reaches
// it: scores are kept per IP across reconnections.
func TestScoreAccumulatesAcrossConnections(t *testing.T) {
	r := newRecorder()
	s := startServer(t, testConfig(r))
	ip := "127.0.2.1"
	unknown := frame(mvs.MainNet().Magic, "sendaddrv2", nil, wire.Checksum(nil), 0)
	for i := range p2p.BanThreshold / p2p.PenaltyUnknown {
		c := dialRaw(t, s, ip)
		c.handshake()
		c.sendRaw(unknown)
		if !c.closed() {
			t.Fatalf("connection %d not closed", i)
		}
	}
	waitFor(t, "ban", func() bool { return s.BanList().IsBanned(netip.MustParseAddr(ip)) })
}

func TestUnrequestedTx(t *testing.T) {
	r := newRecorder()
	s := startServer(t, testConfig(r))
	c := dialRaw(t, s, "127.0.0.1")
	c.handshake()
	p := serverPeer(t, s, "127.0.0.1")
	tx := &wire.MsgTx{}
	tx.Tx.Version = 1
	c.send(tx) // not asked for: dropped and scored
	// Now ask for it and send it again: accepted.
	if err := p.Send(&wire.MsgGetData{InvList: []wire.InvVect{{Type: wire.InvTypeTx, Hash: tx.Tx.Hash()}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := until[*wire.MsgGetData](c); err != nil {
		t.Fatal(err)
	}
	c.send(tx)
	c.send(&wire.MsgPing{Nonce: 5})
	if _, err := until[*wire.MsgPong](c); err != nil {
		t.Fatal(err)
	}
	r.mu.Lock()
	txs := r.txs
	r.mu.Unlock()
	if txs != 1 {
		t.Errorf("handler saw %d txs, want 1 (the requested one)", txs)
	}
	if sc := s.Score(p.Addr().Addr()); sc != p2p.PenaltyUnrequested {
		t.Errorf("score %d, want %d", sc, p2p.PenaltyUnrequested)
	}
	p.Misbehave(p2p.BanThreshold, "invalid block")
	if err := r.doneErr(t, p); !errors.Is(err, p2p.ErrBanned) {
		t.Errorf("reason %v after Misbehave, want ErrBanned", err)
	}
}

func TestSlowReaderDropped(t *testing.T) {
	r := newRecorder()
	cfg := testConfig(r)
	cfg.MaxQueueMsgs = 8
	cfg.MaxQueueBytes = 2 * (wire.HeaderSize + wire.MaxPayloadSize)
	s := startServer(t, cfg)
	c := dialRaw(t, s, "127.0.0.1")
	c.handshake() // and then never read again
	p := serverPeer(t, s, "127.0.0.1")
	big := &wire.MsgInv{InvList: make([]wire.InvVect, wire.MaxInvPerMsg)}
	var err error
	for i := 0; err == nil; i++ {
		if i > 10_000 {
			t.Fatal("queue never filled")
		}
		err = p.Send(big)
		if st := p.Stats(); st.QueuedBytes > cfg.MaxQueueBytes || st.QueuedMsgs > cfg.MaxQueueMsgs {
			t.Fatalf("queue over its caps: %+v", st)
		}
	}
	if !errors.Is(err, p2p.ErrQueueFull) {
		t.Fatalf("Send: %v, want ErrQueueFull", err)
	}
	if err := r.doneErr(t, p); !errors.Is(err, p2p.ErrQueueFull) {
		t.Errorf("reason %v, want ErrQueueFull", err)
	}
	if err := p.Send(&wire.MsgPing{}); !errors.Is(err, p2p.ErrDisconnected) {
		t.Errorf("Send after the end: %v, want ErrDisconnected", err)
	}
}

// A queue capped by messages only (small messages) is dropped at the count.
func TestQueueMessageCap(t *testing.T) {
	r := newRecorder()
	cfg := testConfig(r)
	cfg.MaxQueueMsgs = 3
	s := startServer(t, cfg)
	c := dialRaw(t, s, "127.0.0.1")
	c.handshake()
	p := serverPeer(t, s, "127.0.0.1")
	big := &wire.MsgInv{InvList: make([]wire.InvVect, wire.MaxInvPerMsg)}
	var err error
	for i := 0; err == nil && i < 10_000; i++ {
		err = p.Send(big)
		if st := p.Stats(); st.QueuedMsgs > 3 {
			t.Fatalf("%d queued", st.QueuedMsgs)
		}
	}
	if !errors.Is(err, p2p.ErrQueueFull) {
		t.Fatalf("Send: %v, want ErrQueueFull", err)
	}
}

func TestGetAddrAnsweredOnce(t *testing.T) {
	s := startServer(t, testConfig(nil))
	for i := range 50 {
		s.AddrBook().Add(wire.NewNetAddress(netip.AddrPortFrom(netip.AddrFrom4([4]byte{9, 9, 9, byte(i)}), 5251), 1))
	}
	c := dialRaw(t, s, "127.0.0.1")
	c.handshake()
	c.send(&wire.MsgGetAddr{})
	c.send(&wire.MsgGetAddr{})
	c.send(&wire.MsgPing{Nonce: 3})
	addrs := 0
	for {
		msg, err := c.read()
		if err != nil {
			t.Fatal(err)
		}
		if m, ok := msg.(*wire.MsgAddr); ok {
			addrs++
			// The server dials book entries meanwhile and drops those it cannot reach, so
			// the book held between Len now and 50 when it answered.
			if n, low := len(m.AddrList), s.AddrBook().Len(); n < max(1, low/10) || n > 10 {
				t.Errorf("getaddr answer of %d entries, want 10-20%% of the book (%d to 50 entries)", n, low)
			}
			for _, na := range m.AddrList {
				if !na.IP.IsValid() || na.IP.Unmap().IsUnspecified() {
					t.Errorf("zero entry %+v", na)
				}
			}
		}
		if m, ok := msg.(*wire.MsgPong); ok && m.Nonce == 3 {
			break
		}
	}
	if addrs != 1 {
		t.Errorf("%d addr answers, want 1", addrs)
	}
}

func TestAddrMessageFeedsBook(t *testing.T) {
	s := startServer(t, testConfig(nil))
	if err := s.Ban(netip.MustParseAddr("8.8.8.8"), time.Hour); err != nil {
		t.Fatal(err)
	}
	c := dialRaw(t, s, "127.0.0.1")
	c.handshake()
	ap := func(s string) wire.NetAddress { return wire.NewNetAddress(netip.MustParseAddrPort(s), 1) }
	c.send(&wire.MsgAddr{AddrList: []wire.NetAddress{
		ap("1.2.3.4:5251"), ap("8.8.8.8:5251"), ap("0.0.0.0:0"), ap("224.0.0.1:5251"), ap("5.6.7.8:0"),
	}})
	c.send(&wire.MsgPing{Nonce: 1})
	if _, err := until[*wire.MsgPong](c); err != nil {
		t.Fatal(err)
	}
	got := s.AddrBook().Addresses()
	if len(got) != 1 || got[0] != netip.MustParseAddrPort("1.2.3.4:5251") {
		t.Errorf("book %v, want only 1.2.3.4:5251 (banned, zero, multicast, port 0 refused)", got)
	}
}

func TestDuplicateAndSelfConnection(t *testing.T) {
	a, b := startServer(t, testConfig(nil)), startServer(t, testConfig(nil))
	if _, err := a.Connect(t.Context(), b.AddrPort()); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Connect(t.Context(), b.AddrPort()); !errors.Is(err, p2p.ErrDuplicatePeer) {
		t.Errorf("second Connect: %v, want ErrDuplicatePeer", err)
	}
	if _, err := a.Connect(t.Context(), a.AddrPort()); !errors.Is(err, p2p.ErrSelfConnection) {
		t.Errorf("Connect to self: %v, want ErrSelfConnection", err)
	}
	waitFor(t, "self-connection gone", func() bool { return len(a.Peers()) == 1 })
	for _, ap := range a.AddrBook().Addresses() {
		if ap == a.AddrPort() {
			t.Error("own address kept in the book")
		}
	}
}

func TestBanRefusesAndDisconnects(t *testing.T) {
	r := newRecorder()
	a, b := startServer(t, testConfig(r)), startServer(t, testConfig(nil))
	p, err := a.Connect(t.Context(), b.AddrPort())
	if err != nil {
		t.Fatal(err)
	}
	ip := b.AddrPort().Addr()
	if err := a.Ban(ip, time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := r.doneErr(t, p); !errors.Is(err, p2p.ErrBanned) {
		t.Errorf("reason %v, want ErrBanned", err)
	}
	if _, err := a.Connect(t.Context(), b.AddrPort()); !errors.Is(err, p2p.ErrBanned) {
		t.Errorf("Connect to banned: %v, want ErrBanned", err)
	}
	if err := a.Unban(ip); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Connect(t.Context(), b.AddrPort()); err != nil {
		t.Errorf("Connect after Unban: %v", err)
	}
}

func TestInboundLimit(t *testing.T) {
	cfg := testConfig(nil)
	cfg.MaxInbound = 1
	s := startServer(t, cfg)
	c1 := dialRaw(t, s, "127.0.0.1")
	c1.handshake()
	c2 := dialRaw(t, s, "127.0.0.1")
	if !c2.closed() {
		t.Error("second inbound accepted over MaxInbound 1")
	}
	c1.send(&wire.MsgPing{Nonce: 8})
	if _, err := until[*wire.MsgPong](c1); err != nil {
		t.Fatal(err)
	}
}

func TestManualPeerReconnects(t *testing.T) {
	ra := newRecorder()
	ca := testConfig(ra)
	ca.RetryMin = 10 * time.Millisecond
	ca.RetryMax = 20 * time.Millisecond
	b := startServer(t, testConfig(nil))
	ca.ManualPeers = []string{b.AddrPort().String()}
	a := startServer(t, ca)
	if err := a.AddPeer(b.AddrPort().String()); !errors.Is(err, p2p.ErrDuplicatePeer) {
		t.Errorf("AddPeer twice: %v, want ErrDuplicatePeer", err)
	}
	if err := a.AddPeer("no-port"); !errors.Is(err, p2p.ErrInvalidAddress) {
		t.Errorf("AddPeer(no-port): %v, want ErrInvalidAddress", err)
	}
	var first *p2p.Peer
	waitFor(t, "manual peer", func() bool {
		ps := a.Peers()
		if len(ps) == 1 {
			first = ps[0]
		}
		return first != nil
	})
	if !first.Manual() {
		t.Error("peer not marked manual")
	}
	// b drops it; a dials again.
	for _, p := range b.Peers() {
		p.Disconnect(nil)
	}
	waitFor(t, "reconnection", func() bool {
		ps := a.Peers()
		return len(ps) == 1 && ps[0].ID() != first.ID()
	})
}

func TestOutboundFromAddrBook(t *testing.T) {
	ca := testConfig(nil)
	ca.MaxOutbound = 1
	a, b := startServer(t, ca), startServer(t, testConfig(nil))
	a.AddrBook().Add(wire.NewNetAddress(b.AddrPort(), 1))
	waitFor(t, "outbound connection", func() bool { return len(a.Peers()) == 1 && len(b.Peers()) == 1 })
}

func TestHandshakeFailures(t *testing.T) {
	magic := mvs.MainNet().Magic
	cases := []struct {
		name   string
		remote func(c *rawPeer) // what the remote does after reading our version
		want   error
	}{
		{"silent", nil, p2p.ErrHandshakeTimeout},
		{"verack first", func(c *rawPeer) { c.send(&wire.MsgVerAck{}) }, p2p.ErrProtocol},
		{"ping first", func(c *rawPeer) { c.send(&wire.MsgPing{Nonce: 1}) }, p2p.ErrProtocol},
		{"obsolete version", func(c *rawPeer) {
			v := rawVersion(5)
			v.ProtocolVersion = 60000
			c.send(v)
		}, p2p.ErrObsoleteVersion},
		{"two versions", func(c *rawPeer) { c.send(rawVersion(5)); c.send(rawVersion(6)) }, p2p.ErrProtocol},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(nil)
			if tc.remote == nil {
				cfg.HandshakeTimeout = 200 * time.Millisecond // the silent peer waits it out
				tc.remote = func(*rawPeer) {}
			}
			cfg.NoListen = true
			s := startServer(t, cfg)
			ln := listenRaw(t)
			go func() {
				conn, err := ln.Accept()
				if err != nil {
					return
				}
				c := &rawPeer{t: t, conn: conn, magic: magic}
				if _, err := c.read(); err != nil {
					return
				}
				tc.remote(c)
				c.closed()
				conn.Close()
			}()
			_, err := s.Connect(t.Context(), ln.Addr().(interface{ AddrPort() netip.AddrPort }).AddrPort())
			if !errors.Is(err, tc.want) {
				t.Errorf("Connect: %v, want %v", err, tc.want)
			}
		})
	}
}

func TestConfigAndLifecycleErrors(t *testing.T) {
	if _, err := p2p.NewServer(p2p.Config{}); !errors.Is(err, p2p.ErrInvalidConfig) {
		t.Errorf("no Params: %v", err)
	}
	cfg := testConfig(nil)
	cfg.MaxQueueBytes = 1000
	if _, err := p2p.NewServer(cfg); !errors.Is(err, p2p.ErrInvalidConfig) {
		t.Errorf("tiny MaxQueueBytes: %v", err)
	}
	cfg = testConfig(nil)
	cfg.ManualPeers = []string{"1.2.3.4"}
	if _, err := p2p.NewServer(cfg); !errors.Is(err, p2p.ErrInvalidAddress) {
		t.Errorf("ManualPeers without a port: %v", err)
	}
	cfg = testConfig(nil)
	cfg.MaxOutbound = -1
	if _, err := p2p.NewServer(cfg); !errors.Is(err, p2p.ErrInvalidConfig) {
		t.Errorf("negative MaxOutbound: %v", err)
	}
	s, err := p2p.NewServer(testConfig(nil))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Connect(t.Context(), netip.MustParseAddrPort("127.0.0.1:1")); !errors.Is(err, p2p.ErrServerClosed) {
		t.Errorf("Connect before Start: %v", err)
	}
	if err := s.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := s.Start(t.Context()); !errors.Is(err, p2p.ErrServerClosed) {
		t.Errorf("Start after Close: %v", err)
	}
	if err := s.AddPeer("1.2.3.4:5251"); !errors.Is(err, p2p.ErrServerClosed) {
		t.Errorf("AddPeer after Close: %v", err)
	}
}

func TestCloseEndsEveryPeer(t *testing.T) {
	a, b := startServer(t, testConfig(nil)), startServer(t, testConfig(nil))
	p, err := a.Connect(t.Context(), b.AddrPort())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), generous)
	defer cancel()
	if err := a.Close(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.Done():
	default:
		t.Fatal("peer still running after Close returned")
	}
	if !errors.Is(p.Err(), p2p.ErrDisconnected) {
		t.Errorf("reason %v, want ErrDisconnected", p.Err())
	}
}

func TestLifetimeExpires(t *testing.T) {
	r := newRecorder()
	cfg := testConfig(r)
	cfg.MaxLifetime = 50 * time.Millisecond
	a, b := startServer(t, cfg), startServer(t, testConfig(nil))
	_, err := a.Connect(t.Context(), b.AddrPort())
	if err != nil && !errors.Is(err, p2p.ErrExpired) { // it may expire before Connect sees it ready
		t.Fatal(err)
	}
	if err == nil {
		err = r.nextDone(t)
	}
	if !errors.Is(err, p2p.ErrExpired) {
		t.Errorf("reason %v, want ErrExpired", err)
	}
}

func TestLongUserAgentTrimmed(t *testing.T) {
	s := startServer(t, testConfig(nil))
	c := dialRaw(t, s, "127.0.0.1")
	v := rawVersion(1)
	v.UserAgent = string(bytes.Repeat([]byte("x"), 100_000))
	c.handshakeWith(v)
	p := serverPeer(t, s, "127.0.0.1")
	if n := len(p.Version().UserAgent); n != 256 {
		t.Errorf("kept %d bytes of the user agent, want 256", n)
	}
}

package p2p_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/examples/node/p2p"
	"github.com/mvsgo/mvs/wire"
)

// generous bounds every wait: tests wait for events, never measure time.
const generous = 15 * time.Second

// recorder is a Handler that remembers what it saw.
type recorder struct {
	p2p.NoopHandler
	mu    sync.Mutex
	ready []*p2p.Peer
	done  map[uint64]error
	txs   int
	msgs  []string
	doneC chan uint64
}

func newRecorder() *recorder {
	return &recorder{done: make(map[uint64]error), doneC: make(chan uint64, 100)}
}

func (r *recorder) OnReady(p *p2p.Peer) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ready = append(r.ready, p)
}

func (r *recorder) OnDone(p *p2p.Peer, err error) {
	r.mu.Lock()
	r.done[p.ID()] = err
	r.mu.Unlock()
	select {
	case r.doneC <- p.ID():
	default: // never block a peer goroutine on a test that stopped listening
	}
}

func (r *recorder) OnTx(p *p2p.Peer, m *wire.MsgTx) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.txs++
}

func (r *recorder) OnInv(p *p2p.Peer, m *wire.MsgInv) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, m.Command())
}

func (r *recorder) OnMessage(p *p2p.Peer, m wire.Message) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, m.Command())
}

// nextDone waits for the next OnDone and returns its reason.
func (r *recorder) nextDone(t *testing.T) error {
	t.Helper()
	select {
	case id := <-r.doneC:
		r.mu.Lock()
		defer r.mu.Unlock()
		return r.done[id]
	case <-time.After(generous):
		t.Fatal("no peer ended")
		return nil
	}
}

// doneErr waits for the peer's OnDone and returns its reason.
func (r *recorder) doneErr(t *testing.T, p *p2p.Peer) error {
	t.Helper()
	select {
	case <-p.Done():
	case <-time.After(generous):
		t.Fatalf("peer %v not done", p)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.done[p.ID()]
}

func testConfig(h p2p.Handler) p2p.Config {
	return p2p.Config{Params: mvs.MainNet(), Listen: "127.0.0.1:0", AllowLocal: true, Handler: h,
		StartHeight: func() uint32 { return 1234 }}
}

// startServer starts a server and closes it at the end of the test.
func startServer(t *testing.T, cfg p2p.Config) *p2p.Server {
	t.Helper()
	s, err := p2p.NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), generous)
		defer cancel()
		if err := s.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// waitFor polls cond until it holds (an event, not a time limit: generous only ends a
// test that would otherwise hang).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(generous)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// rawPeer is a hand-driven connection for feeding a server what a real peer would not.
type rawPeer struct {
	t     *testing.T
	conn  net.Conn
	magic uint32
}

// dialRaw connects from the loopback IP from (127.0.0.x: each bad peer its own IP, so a
// ban of one does not touch another).
func dialRaw(t *testing.T, s *p2p.Server, from string) *rawPeer {
	t.Helper()
	d := net.Dialer{Timeout: generous, LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}
	conn, err := d.Dial("tcp", s.AddrPort().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	_ = conn.SetDeadline(time.Now().Add(generous))
	return &rawPeer{t: t, conn: conn, magic: mvs.MainNet().Magic}
}

func (r *rawPeer) send(msg wire.Message) {
	r.t.Helper()
	if err := wire.WriteMessage(r.conn, msg, wire.ProtocolVersion, r.magic); err != nil {
		r.t.Fatal(err)
	}
}

func (r *rawPeer) sendRaw(b []byte) {
	r.t.Helper()
	if _, err := r.conn.Write(b); err != nil {
		r.t.Fatal(err)
	}
}

func (r *rawPeer) read() (wire.Message, error) {
	msg, _, err := wire.ReadMessage(r.conn, wire.ProtocolVersion, r.magic)
	return msg, err
}

func rawVersion(nonce uint64) *wire.MsgVersion {
	return &wire.MsgVersion{ProtocolVersion: wire.ProtocolVersion, Services: 1,
		Timestamp: uint64(time.Now().Unix()), Nonce: nonce, UserAgent: "/raw:1/", StartHeight: 7, Relay: true}
}

// handshake completes version/verack with the server.
func (r *rawPeer) handshake() { r.t.Helper(); r.handshakeWith(rawVersion(42)) }

func (r *rawPeer) handshakeWith(v *wire.MsgVersion) {
	r.t.Helper()
	r.send(v)
	gotVersion, gotVerAck := false, false
	for !gotVersion || !gotVerAck {
		msg, err := r.read()
		if err != nil {
			r.t.Fatalf("handshake: %v", err)
		}
		switch msg.(type) {
		case *wire.MsgVersion:
			gotVersion = true
			r.send(&wire.MsgVerAck{})
		case *wire.MsgVerAck:
			gotVerAck = true
		}
	}
}

// until reads until a message of type T arrives, answering pings.
func until[T wire.Message](r *rawPeer) (T, error) {
	var zero T
	for {
		msg, err := r.read()
		if err != nil {
			return zero, err
		}
		if m, ok := msg.(T); ok {
			return m, nil
		}
		if m, ok := msg.(*wire.MsgPing); ok {
			r.send(&wire.MsgPong{Nonce: m.Nonce})
		}
	}
}

// closed reads until the server closes the connection and reports whether it did.
func (r *rawPeer) closed() bool {
	_ = r.conn.SetReadDeadline(time.Now().Add(generous))
	_, err := io.Copy(io.Discard, r.conn)
	var ne net.Error
	if err != nil && errors.As(err, &ne) && ne.Timeout() {
		return false
	}
	return true // EOF (err == nil) or reset
}

// serverPeer waits for the server's ready peer from addr.
func serverPeer(t *testing.T, s *p2p.Server, ip string) *p2p.Peer {
	t.Helper()
	var found *p2p.Peer
	waitFor(t, "peer from "+ip, func() bool {
		for _, p := range s.Peers() {
			if p.Addr().Addr() == netip.MustParseAddr(ip) {
				found = p
				return true
			}
		}
		return false
	})
	return found
}

func listenRaw(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

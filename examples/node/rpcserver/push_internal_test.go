package rpcserver

import (
	"encoding/binary"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/chain/regtest"
	"github.com/mvsgo/mvs/examples/node/mempool"
)

// TestSlowSubscriberDropped: a subscriber that does not read (a net.Pipe nobody reads
// blocks the writer on its first frame) is disconnected once its queue is full, and send
// never blocks the publisher.
func TestSlowSubscriberDropped(t *testing.T) {
	s := &Server{cfg: Config{PushQueue: 2, MaxPushConns: 4}, log: slog.New(slog.DiscardHandler)}
	h := newPushHub(s)
	server, client := net.Pipe()
	defer client.Close()
	c := &pushConn{h: h, conn: server, out: make(chan []byte, 2), done: make(chan struct{})}
	h.conns[c] = struct{}{}
	go c.writer()
	for range 10 { // would block forever if send waited for the client
		c.send([]byte(`{"event":"publish"}`))
	}
	select {
	case <-c.done:
	case <-time.After(20 * time.Second): // a hang guard, not a timing assertion
		t.Fatal("slow subscriber not dropped")
	}
	if h.count() != 0 {
		t.Fatal("dropped connection still registered")
	}
}

// FuzzPushRequest feeds arbitrary messages to the push request handler: every one is
// answered with a JSON message carrying an event, and none panics.
func FuzzPushRequest(f *testing.F) {
	for _, s := range []string{`{"event":"subscribe","channel":"tx","address":["x",""]}`, `{"event":"subscribe","channel":"block"}`,
		`{"event":"unsubscribe","channel":"tx"}`, `{"event":"ping"}`, `{"event":"version"}`, `{"event":5}`, `[]`, `null`, `{"event":"subscribe"}`} {
		f.Add([]byte(s))
	}
	s := &Server{cfg: Config{PushQueue: 64, MaxPushConns: 4, Params: mvs.RegTest(), Version: "v"}, log: slog.New(slog.DiscardHandler)}
	h := newPushHub(s)
	server, client := net.Pipe()
	defer client.Close()
	c := &pushConn{h: h, conn: server, out: make(chan []byte, 64), done: make(chan struct{})}
	f.Fuzz(func(t *testing.T, raw []byte) {
		c.handle(raw)
		for len(c.out) > 0 {
			var m struct {
				Event string `json:"event"`
			}
			msg := <-c.out
			if err := json.Unmarshal(msg, &m); err != nil || m.Event == "" {
				t.Fatalf("answer %q to %q", msg, raw)
			}
		}
	})
}

// readFrame reads one server frame from a raw connection.
func readFrame(r io.Reader) (byte, []byte, error) {
	var h [2]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return 0, nil, err
	}
	n := uint64(h[1] & 0x7F)
	switch n {
	case 126:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return 0, nil, err
		}
		n = uint64(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return 0, nil, err
		}
		n = binary.BigEndian.Uint64(b[:])
	}
	p := make([]byte, n)
	_, err := io.ReadFull(r, p)
	return h[0] & 0x0F, p, err
}

// TestChainLagDropsSubscribers: when the server's own chain subscription lags (events
// lost), every push connection is closed (1011) so that its client reconnects and reports
// a gap, instead of silently missing blocks; the server then follows the chain again.
func TestChainLagDropsSubscribers(t *testing.T) {
	n := regtest.New(t)
	n.Mine(1)
	pool, err := mempool.New(mempool.Config{Params: n.Params(), Store: n.Store()})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Params: n.Params(), Store: n.Store(), Chain: n.Chain(), Queries: chain.NewQueries(n.Store(), n.Params()), Pool: pool})
	if err != nil {
		t.Fatal(err)
	}
	s.chainBuffer = 1
	h := s.push
	server, client := net.Pipe()
	defer client.Close()
	c := &pushConn{h: h, conn: server, out: make(chan []byte, 16), done: make(chan struct{}), blocks: true}
	h.conns[c] = struct{}{}
	go c.writer()
	s.Start()
	defer s.Close()

	h.mu.Lock() // the follower blocks on its first block: the chain's events pile up
	n.Mine(3)
	h.mu.Unlock()
	client.SetDeadline(time.Now().Add(20 * time.Second)) // a hang guard
	for {
		op, p, err := readFrame(client)
		if err != nil {
			t.Fatalf("connection ended without a close frame: %v", err)
		}
		if op == opClose {
			if code := binary.BigEndian.Uint16(p); code != 1011 {
				t.Fatalf("close %d, want 1011", code)
			}
			break
		}
	}
	// Following again: a new connection gets the next block.
	server2, client2 := net.Pipe()
	defer client2.Close()
	c2 := &pushConn{h: h, conn: server2, out: make(chan []byte, 16), done: make(chan struct{}), heights: true}
	h.mu.Lock()
	h.conns[c2] = struct{}{}
	h.mu.Unlock()
	go c2.writer()
	n.Mine(1)
	client2.SetDeadline(time.Now().Add(20 * time.Second))
	if _, p, err := readFrame(client2); err != nil || !strings.Contains(string(p), `"channel":"height"`) {
		t.Fatalf("after the lag: %q %v", p, err)
	}
}

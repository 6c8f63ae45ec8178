package rpcserver

import (
	"encoding/json"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/mvsgo/mvs"
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

package rpcserver

import (
	"log/slog"
	"net"
	"testing"
	"time"
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

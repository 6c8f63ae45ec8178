package rpcclient_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/mvsgo/mvs/rpcclient"
)

func TestPushSubscribeRefused(t *testing.T) {
	s := newPushServer(t, func(p *wsPeer) {
		p.hello()
		p.request()
		p.send(`{"event":"error","result":{"code":1000002,"message":"under blockchain synchronizing"}}`)
		p.drain()
	})
	_, err := pushClient(t, s, rpcclient.Options{}).Subscribe(context.Background(), rpcclient.Topics{Blocks: true})
	var re *rpcclient.RPCError
	if !errors.As(err, &re) || re.Code != rpcclient.CodePushSynchronizing {
		t.Fatalf("err = %v", err)
	}
}

func TestPushAuth(t *testing.T) {
	s := newPushServer(t, func(p *wsPeer) {
		p.subscribed("height", nil)
		p.drain()
	})
	s.handshake = func(n int, w http.ResponseWriter, r *http.Request) bool {
		if u, pw, ok := r.BasicAuth(); !ok || u != "exchange" || pw != "pw" {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return true
		}
		return false
	}
	_, err := pushClient(t, s, rpcclient.Options{}).Subscribe(context.Background(), rpcclient.Topics{Heights: true})
	if !errors.Is(err, rpcclient.ErrUnauthorized) {
		t.Fatalf("without credentials: %v", err)
	}
	sub, err := pushClient(t, s, rpcclient.Options{User: "exchange", Password: "pw"}).Subscribe(context.Background(), rpcclient.Topics{Heights: true})
	if err != nil {
		t.Fatalf("with credentials: %v", err)
	}
	sub.Close()
}

// TestPushProtocolErrors: a server breaking RFC 6455, or sending more than the cap, is
// refused with a named error.
func TestPushProtocolErrors(t *testing.T) {
	for _, tt := range []struct {
		name      string
		script    func(p *wsPeer)
		badAccept bool
		max       int64
		want      error
	}{
		{"wrong accept key", func(p *wsPeer) { p.drain() }, true, 0, rpcclient.ErrWebSocket},
		{"masked server frame", func(p *wsPeer) {
			p.conn.Write([]byte{0x81, 0x80 | 2, 0, 0, 0, 0, '{', '}'})
			p.drain()
		}, false, 0, rpcclient.ErrWebSocket},
		{"reserved bits", func(p *wsPeer) { p.conn.Write([]byte{0xC1, 2, '{', '}'}); p.drain() }, false, 0, rpcclient.ErrWebSocket},
		{"continuation first", func(p *wsPeer) { p.frame(true, 0x0, []byte("{}")); p.drain() }, false, 0, rpcclient.ErrWebSocket},
		{"fragmented ping", func(p *wsPeer) { p.frame(false, 0x9, nil); p.drain() }, false, 0, rpcclient.ErrWebSocket},
		{"invalid utf-8", func(p *wsPeer) { p.frame(true, 0x1, []byte{0xff, 0xfe}); p.drain() }, false, 0, rpcclient.ErrWebSocket},
		{"oversize message", func(p *wsPeer) { p.send(`{"event":"info","result":"` + strings.Repeat("x", 300) + `"}`); p.drain() },
			false, 200, rpcclient.ErrResponseTooLarge},
		{"oversize in fragments", func(p *wsPeer) {
			p.frame(false, 0x1, []byte(strings.Repeat("x", 50)))
			for range 10 {
				p.frame(false, 0x0, []byte(strings.Repeat("x", 50)))
			}
			p.drain()
		}, false, 200, rpcclient.ErrResponseTooLarge},
		{"not json", func(p *wsPeer) { p.send("connected"); p.drain() }, false, 0, rpcclient.ErrMalformedResponse},
		{"closed", func(p *wsPeer) { p.frame(true, 0x8, []byte{0x03, 0xe8, 'b', 'y', 'e'}); p.drain() }, false, 0, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newPushServer(t, tt.script)
			s.badAccept = tt.badAccept
			_, err := pushClient(t, s, rpcclient.Options{MaxResponseBytes: tt.max}).Subscribe(context.Background(), rpcclient.Topics{Heights: true})
			if tt.want == nil {
				var ce *rpcclient.CloseError
				if !errors.As(err, &ce) || ce.Code != 1000 || ce.Reason != "bye" {
					t.Fatalf("err = %v", err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestPushContext(t *testing.T) {
	s := newPushServer(t, func(p *wsPeer) {
		p.subscribed("block", nil)
		p.drain()
	})
	ctx, cancel := context.WithCancel(context.Background())
	sub, err := pushClient(t, s, rpcclient.Options{}).Subscribe(ctx, rpcclient.Topics{Blocks: true})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	<-sub.Done()
	if _, ok := <-sub.Events(); ok {
		t.Fatal("event after cancel")
	}
	if !errors.Is(sub.Err(), context.Canceled) {
		t.Fatalf("Err = %v", sub.Err())
	}
	sub.Close() // after the end: returns at once

	// A context already over fails the first connection.
	if _, err := pushClient(t, s, rpcclient.Options{}).Subscribe(ctx, rpcclient.Topics{Blocks: true}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Subscribe with a canceled context: %v", err)
	}
}

func TestPushTopics(t *testing.T) {
	c, err := rpcclient.New("http://127.0.0.1:8820", rpcclient.Options{PushURL: "ws://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, topics := range []rpcclient.Topics{
		{},
		{AllTxs: true, Txs: []string{"M"}},
		{Txs: []string{"M", ""}},
	} {
		if _, err := c.Subscribe(context.Background(), topics); !errors.Is(err, rpcclient.ErrInvalidOptions) {
			t.Errorf("%+v: %v", topics, err)
		}
	}
	c, _ = rpcclient.New("http://127.0.0.1:8820", rpcclient.Options{})
	if _, err := c.Subscribe(context.Background(), rpcclient.Topics{Blocks: true}); !errors.Is(err, rpcclient.ErrInvalidOptions) {
		t.Errorf("no PushURL: %v", err)
	}
	c, _ = rpcclient.New("http://127.0.0.1:8820", rpcclient.Options{PushURL: "ws://127.0.0.1:1", Push: rpcclient.PushOptions{Buffer: -1}})
	if _, err := c.Subscribe(context.Background(), rpcclient.Topics{Blocks: true}); !errors.Is(err, rpcclient.ErrInvalidOptions) {
		t.Errorf("negative buffer: %v", err)
	}
}

// TestPushHandshakeCancel: a server that accepts the connection but never answers the
// upgrade holds Subscribe only until its context ends.
func TestPushHandshakeCancel(t *testing.T) {
	arrived := make(chan struct{})
	s := newPushServer(t, func(p *wsPeer) {})
	s.handshake = func(n int, w http.ResponseWriter, r *http.Request) bool {
		close(arrived)
		<-r.Context().Done() // never answers; the client's close ends it
		return true
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-arrived; cancel() }()
	_, err := pushClient(t, s, rpcclient.Options{}).Subscribe(ctx, rpcclient.Topics{Heights: true})
	if !errors.Is(err, context.Canceled) || !errors.Is(err, rpcclient.ErrTransport) {
		t.Fatalf("err = %v", err)
	}
}

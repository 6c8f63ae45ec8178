package rpcclient_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mvsgo/mvs/rpcclient"
)

func pushClient(t *testing.T, s *pushServer, opts rpcclient.Options) *rpcclient.Client {
	t.Helper()
	opts.PushURL = s.url()
	if opts.Push.BackoffMin == 0 {
		opts.Push.BackoffMin = time.Millisecond
	}
	c, err := rpcclient.New("http://127.0.0.1:8820", opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func next(t *testing.T, sub *rpcclient.Subscription) rpcclient.Event {
	t.Helper()
	ev, ok := <-sub.Events()
	if !ok {
		t.Fatalf("events closed: %v", sub.Err())
	}
	return ev
}

func height(t *testing.T, sub *rpcclient.Subscription, want uint64) {
	t.Helper()
	ev := next(t, sub)
	if ev.Kind != rpcclient.EventHeight || ev.Height != want {
		t.Fatalf("event %v %d (gap %+v), want height %d", ev.Kind, ev.Height, ev.Gap, want)
	}
}

// TestPushEvents subscribes to every channel and reads the docs' publish examples, with a
// ping and a fragmented message on the way.
func TestPushEvents(t *testing.T) {
	pong := make(chan string, 1)
	s := newPushServer(t, func(p *wsPeer) {
		p.hello()
		p.subscribed("block", nil)
		p.subscribed("height", nil)
		p.subscribed("tx", []any{"MJNo92g6DavpaCZbYjrH45iQ8eAKnLqmms", "avatar"})
		// Answers to version and ping requests carry no event for the reader.
		p.send(string(readFile(t, "docs/push-version.json")))
		p.send(string(readFile(t, "docs/push-ping.json")))
		p.send(string(readFile(t, "docs/push-block.json")))
		p.frame(true, 0x9, []byte("hb")) // the client must answer with the same payload
		for {
			op, b, err := p.read()
			if err != nil {
				return
			}
			if op == 0xA {
				pong <- string(b)
				break
			}
		}
		p.send(string(readFile(t, "docs/push-height.json")))
		tx := readFile(t, "docs/push-tx.json")
		p.frame(false, 0x1, tx[:100]) // a fragmented message
		p.frame(false, 0x0, tx[100:200])
		p.frame(true, 0x0, tx[200:])
		p.send(`{"event":"ping","result":"pong"}`)
		p.drain()
	})
	c := pushClient(t, s, rpcclient.Options{})
	sub, err := c.Subscribe(context.Background(), rpcclient.Topics{Blocks: true, Heights: true,
		Txs: []string{"MJNo92g6DavpaCZbYjrH45iQ8eAKnLqmms", "avatar"}})
	if err != nil {
		t.Fatal(err)
	}
	ev := next(t, sub)
	if ev.Kind != rpcclient.EventBlock || ev.Height != 625776 || ev.Block.Hash.String() != "cbf3df70d311ee35cf6aab0702268d65c31f44621c98b9d55c28f8ba1db62ebf" ||
		len(ev.Block.Transactions) != 1 || ev.Block.Transactions[0].Outputs[0].Value != 162108026 {
		t.Fatalf("block event %+v", ev)
	}
	if got := <-pong; got != "hb" {
		t.Fatalf("pong payload %q", got)
	}
	height(t, sub, 625774)
	ev = next(t, sub)
	if ev.Kind != rpcclient.EventTx || ev.Height != 0 || ev.Tx.Hash.String() != "d0102c0b5c55398eaca7e75780e4c5f7bdd7d79ca3853dbd5ae7e6120cfe9ad6" ||
		strings.Join(ev.Topics, ",") != "tJNo92g6DavpaCZbYjrH45iQ8eAKnLqmms,t7cFpPtYDSrR4w873wF2zKjbHgsHBUPnGC" {
		t.Fatalf("tx event %+v", ev)
	}
	if err := sub.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-sub.Events(); ok {
		t.Fatal("event after Close")
	}
	if !errors.Is(sub.Err(), rpcclient.ErrClosed) {
		t.Fatalf("Err = %v", sub.Err())
	}
}

// TestPushAllTxs checks the reference's "all" subscription and topic.
func TestPushAllTxs(t *testing.T) {
	s := newPushServer(t, func(p *wsPeer) {
		p.hello()
		p.subscribed("tx", "")
		tx := strings.Replace(string(readFile(t, "docs/push-tx.json")), `"topic" : `, `"topic" : "all", "x" : `, 1)
		p.send(tx)
		p.drain()
	})
	sub, err := pushClient(t, s, rpcclient.Options{}).Subscribe(context.Background(), rpcclient.Topics{AllTxs: true})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if ev := next(t, sub); ev.Kind != rpcclient.EventTx || len(ev.Topics) != 1 || ev.Topics[0] != "all" {
		t.Fatalf("event %+v", ev)
	}
}

// TestPushReconnect: the connection drops; the client reconnects (the first attempt is
// refused), resubscribes, and reports the gap before the next event.
func TestPushReconnect(t *testing.T) {
	s := newPushServer(t,
		func(p *wsPeer) {
			p.hello()
			p.subscribed("height", nil)
			p.send(`{"channel":"height","event":"publish","result":10}`)
			// returning closes the socket without a close frame
		},
		func(p *wsPeer) {
			p.hello()
			p.subscribed("height", nil)
			p.send(`{"channel":"height","event":"publish","result":12}`)
			p.drain()
		})
	s.handshake = func(n int, w http.ResponseWriter, r *http.Request) bool {
		if n == 1 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return true
		}
		return false
	}
	sub, err := pushClient(t, s, rpcclient.Options{}).Subscribe(context.Background(), rpcclient.Topics{Heights: true})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	height(t, sub, 10)
	ev := next(t, sub)
	if ev.Kind != rpcclient.EventGap || ev.Gap.Reason != rpcclient.GapReconnect || !errors.Is(ev.Gap.Err, rpcclient.ErrTransport) {
		t.Fatalf("want a reconnect gap, got %v %+v", ev.Kind, ev.Gap)
	}
	// 10 then 12 across connections is covered by the reconnect gap, not reported twice.
	height(t, sub, 12)
}

func TestPushHeightGap(t *testing.T) {
	s := newPushServer(t, func(p *wsPeer) {
		p.hello()
		p.subscribed("height", nil)
		for _, h := range []int{10, 11, 14, 14, 13} { // a repeat and a step back are reorgs, not gaps
			p.send(fmt.Sprintf(`{"channel":"height","event":"publish","result":%d}`, h))
		}
		p.drain()
	})
	sub, err := pushClient(t, s, rpcclient.Options{}).Subscribe(context.Background(), rpcclient.Topics{Heights: true})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	height(t, sub, 10)
	height(t, sub, 11)
	ev := next(t, sub)
	if ev.Kind != rpcclient.EventGap || ev.Gap.Reason != rpcclient.GapHeight || ev.Gap.From != 12 || ev.Gap.To != 13 || ev.Gap.Channel != "height" {
		t.Fatalf("want a height gap 12..13, got %v %+v", ev.Kind, ev.Gap)
	}
	height(t, sub, 14)
	height(t, sub, 14)
	height(t, sub, 13)
}

// logWatch is a slog handler that signals records with a given message.
type logWatch struct {
	msg string
	ch  chan struct{}
}

func (l *logWatch) Enabled(context.Context, slog.Level) bool { return true }
func (l *logWatch) Handle(_ context.Context, r slog.Record) error {
	if r.Message == l.msg {
		select {
		case l.ch <- struct{}{}:
		default:
		}
	}
	return nil
}
func (l *logWatch) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logWatch) WithGroup(string) slog.Handler      { return l }

// TestPushOverflow: a reader that does not keep up loses events, and is told how many.
func TestPushOverflow(t *testing.T) {
	const sent = 10
	more := make(chan struct{})
	s := newPushServer(t, func(p *wsPeer) {
		p.hello()
		p.subscribed("height", nil)
		for h := 1; h <= sent; h++ {
			p.send(fmt.Sprintf(`{"channel":"height","event":"publish","result":%d}`, h))
		}
		// An error event outside a request is only logged: once it is, the client has
		// handled every height before it.
		p.send(`{"event":"error","result":{"code":1000,"message":"marker"}}`)
		select {
		case <-more:
		case <-t.Context().Done():
			return
		}
		p.send(fmt.Sprintf(`{"channel":"height","event":"publish","result":%d}`, sent+1))
		p.drain()
	})
	watch := &logWatch{msg: "rpcclient push error event", ch: make(chan struct{}, 1)}
	c := pushClient(t, s, rpcclient.Options{Logger: slog.New(watch), Push: rpcclient.PushOptions{Buffer: 2}})
	sub, err := c.Subscribe(context.Background(), rpcclient.Topics{Heights: true})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	<-watch.ch
	// Every height up to sent has been handled. Read until sent+1: each height must come
	// in order, and every missing run of heights must be announced, just before the next
	// height, by one overflow gap counting it exactly.
	close(more)
	var last uint64
	pending, gaps, delivered := 0, 0, 0
	for last+uint64(pending) != sent+1 { // sent+1 itself may be dropped and announced
		ev := next(t, sub)
		switch ev.Kind {
		case rpcclient.EventGap:
			if ev.Gap.Reason != rpcclient.GapOverflow || ev.Gap.Dropped <= 0 || pending != 0 {
				t.Fatalf("gap %+v after height %d (pending %d)", ev.Gap, last, pending)
			}
			pending = ev.Gap.Dropped
			gaps++
		case rpcclient.EventHeight:
			if ev.Height != last+1+uint64(pending) {
				t.Fatalf("height %d after %d with %d announced dropped", ev.Height, last, pending)
			}
			last, pending = ev.Height, 0
			delivered++
		default:
			t.Fatalf("event %v", ev.Kind)
		}
	}
	// Nothing read before the marker: at most the buffer and the event being handed over
	// got through, and the rest was announced.
	if gaps == 0 || delivered > 3+1 {
		t.Fatalf("%d gaps, %d heights delivered through a buffer of 2", gaps, delivered)
	}
}

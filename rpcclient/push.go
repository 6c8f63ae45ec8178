package rpcclient

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"sync"
	"time"
)

// Push defaults, for PushOptions fields left zero.
const (
	DefaultPushBuffer       = 1024
	DefaultPushPingInterval = 30 * time.Second
	DefaultPushBackoffMin   = 500 * time.Millisecond
	DefaultPushBackoffMax   = 30 * time.Second
)

// Topics says what to subscribe to on the node's WebSocket push (§4.3; the reference is
// src/mvsd/mgbubble/WsPushServ.cpp).
type Topics struct {
	// Blocks asks for every new block of the best chain, with its transactions.
	Blocks bool
	// Heights asks for the height of every new block.
	Heights bool
	// AllTxs asks for every transaction entering the pool or a block.
	AllTxs bool
	// Txs asks for the transactions with an input or output paying one of these addresses
	// or DIDs (the node resolves a DID to its current address when subscribing).
	Txs []string
}

// PushOptions tunes subscriptions (Options.Push); the zero value uses the defaults.
type PushOptions struct {
	// Buffer is how many events wait for the reader before new ones are dropped (and
	// reported as a GapOverflow).
	Buffer int
	// PingInterval is how often the client pings the node; a connection silent for two
	// intervals is treated as lost.
	PingInterval time.Duration
	// BackoffMin and BackoffMax bound the wait between reconnection attempts, which
	// doubles from min to max, with jitter.
	BackoffMin, BackoffMax time.Duration
}

// EventKind says which field of an Event is set.
type EventKind uint8

// Event kinds.
const (
	EventBlock  EventKind = iota + 1 // Block and Height
	EventTx                          // Tx, Height (0 for a pool transaction) and Topics
	EventHeight                      // Height
	EventGap                         // Gap: events were lost here
)

func (k EventKind) String() string {
	switch k {
	case EventBlock:
		return "block"
	case EventTx:
		return "tx"
	case EventHeight:
		return "height"
	case EventGap:
		return "gap"
	}
	return fmt.Sprintf("EventKind(%d)", uint8(k))
}

// Event is one push. The node publishes blocks in chain order; after a reorganization
// the new branch's blocks come again from the fork point, so a height can repeat or go
// back.
type Event struct {
	Kind   EventKind
	Height uint64
	Block  *Block
	Tx     *Tx
	// Topics, for EventTx, are the subscribed addresses the transaction touches, or
	// ["all"] for an AllTxs subscription. The node reports addresses, not DIDs.
	Topics []string
	Gap    *Gap
}

// GapReason says why events were lost.
type GapReason uint8

// Gap reasons.
const (
	// GapReconnect: the connection was lost and has been re-established and resubscribed;
	// anything published in between was missed. Err is why it was lost.
	GapReconnect GapReason = iota + 1
	// GapOverflow: the reader fell behind by more than the buffer and Dropped events were
	// discarded at this point.
	GapOverflow
	// GapHeight: the node published height (or block) To+1 after From-1: heights From..To
	// were not published on this connection.
	GapHeight
)

func (r GapReason) String() string {
	switch r {
	case GapReconnect:
		return "reconnect"
	case GapOverflow:
		return "overflow"
	case GapHeight:
		return "height"
	}
	return fmt.Sprintf("GapReason(%d)", uint8(r))
}

// Gap marks lost events: the reader should resynchronize (for example by polling
// getheight and getblock from its last processed height) before trusting the stream again.
type Gap struct {
	Reason   GapReason
	Dropped  int    // GapOverflow: events discarded
	From, To uint64 // GapHeight: the missing heights, inclusive
	Channel  string // GapHeight: "block" or "height"
	Err      error  // GapReconnect: why the connection was lost
}

// Subscription is a live push subscription. Read Events until it is closed; Close or the
// context given to Subscribe ends it, and Err then says why.
type Subscription struct {
	c      *Client
	u      *url.URL
	topics Topics
	opts   PushOptions
	log    *slog.Logger

	ctx    context.Context
	cancel context.CancelFunc
	events chan Event
	done   chan struct{} // closed when both goroutines have returned

	q queue

	mu  sync.Mutex
	err error
}

// Subscribe connects to Options.PushURL, subscribes to topics and returns once the node
// has confirmed every subscription; a refusal is an *RPCError (CodePushSynchronizing while
// the node syncs). From then on the subscription reconnects and resubscribes by itself,
// with backoff, and reports every possible loss as an EventGap. Its goroutines (the
// connection, its pinger, and the delivery to Events) run until ctx ends or Close is
// called.
func (c *Client) Subscribe(ctx context.Context, topics Topics) (*Subscription, error) {
	po := c.opts.Push
	if c.opts.PushURL == "" {
		return nil, fmt.Errorf("%w: Options.PushURL is empty", ErrInvalidOptions)
	}
	u, err := parsePushURL(c.opts.PushURL)
	if err != nil {
		return nil, err
	}
	if err := topics.check(); err != nil {
		return nil, err
	}
	if po.Buffer < 0 || po.PingInterval < 0 || po.BackoffMin < 0 || po.BackoffMax < 0 {
		return nil, fmt.Errorf("%w: negative PushOptions", ErrInvalidOptions)
	}
	if po.Buffer == 0 {
		po.Buffer = DefaultPushBuffer
	}
	if po.PingInterval == 0 {
		po.PingInterval = DefaultPushPingInterval
	}
	if po.BackoffMin == 0 {
		po.BackoffMin = DefaultPushBackoffMin
	}
	if po.BackoffMax == 0 {
		po.BackoffMax = DefaultPushBackoffMax
	}
	if po.BackoffMax < po.BackoffMin {
		po.BackoffMax = po.BackoffMin
	}
	s := &Subscription{c: c, u: u, topics: topics, opts: po, log: c.opts.Logger, events: make(chan Event), done: make(chan struct{})}
	s.q.init(po.Buffer)
	conn, st, err := s.connect(ctx)
	if err != nil {
		return nil, err
	}
	s.ctx, s.cancel = context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); s.run(conn, st) }()
	go func() { defer wg.Done(); s.deliver() }()
	go func() { wg.Wait(); close(s.done) }()
	return s, nil
}

func (t Topics) check() error {
	if !t.Blocks && !t.Heights && !t.AllTxs && len(t.Txs) == 0 {
		return fmt.Errorf("%w: no topics", ErrInvalidOptions)
	}
	if t.AllTxs && len(t.Txs) > 0 {
		// The reference turns an "all" subscription into a filtered one when addresses are
		// added to it; refuse the ambiguity.
		return fmt.Errorf("%w: AllTxs and Txs together", ErrInvalidOptions)
	}
	for _, a := range t.Txs {
		if a == "" {
			// An empty address means "all" to the reference.
			return fmt.Errorf("%w: empty address in Txs", ErrInvalidOptions)
		}
	}
	return nil
}

// Events returns the channel of events; it is closed when the subscription ends.
func (s *Subscription) Events() <-chan Event { return s.events }

// Close ends the subscription, closes the connection and waits for its goroutines. It
// returns nil (the reason the subscription had ended by itself is in Err).
func (s *Subscription) Close() error {
	s.setErr(ErrClosed)
	s.cancel()
	<-s.done
	return nil
}

// Done is closed when the subscription has ended and its goroutines have returned.
func (s *Subscription) Done() <-chan struct{} { return s.done }

// Err returns why the subscription ended: ErrClosed after Close, the context's error, or
// nil while it runs.
func (s *Subscription) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

func (s *Subscription) setErr(err error) {
	s.mu.Lock()
	if s.err == nil {
		s.err = err
	}
	s.mu.Unlock()
}

func (s *Subscription) debug(msg string, attrs ...slog.Attr) {
	if s.log != nil {
		s.log.LogAttrs(context.Background(), slog.LevelDebug, msg, attrs...)
	}
}

// pushMsg is any message the push server sends.
type pushMsg struct {
	Event   string          `json:"event"`
	Channel string          `json:"channel"`
	Topic   json.RawMessage `json:"topic"`
	Result  json.RawMessage `json:"result"`
}

type pushRequest struct {
	Event   string `json:"event"`
	Channel string `json:"channel,omitempty"`
	Address any    `json:"address,omitempty"`
}

// connState is per connection: the last height seen on each channel, for GapHeight.
type connState struct {
	last map[string]uint64
}

// connect dials and subscribes to every topic, one request at a time (the server answers
// in order). Publishes that arrive meanwhile are handled as usual.
func (s *Subscription) connect(ctx context.Context) (*wsConn, *connState, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*s.opts.PingInterval)
	defer cancel()
	conn, err := dialWS(ctx, s.u, s.c.opts.User, s.c.opts.Password, s.c.maxBody)
	if err != nil {
		return nil, nil, err
	}
	stop := context.AfterFunc(ctx, func() { conn.conn.Close() })
	defer stop()
	st := &connState{last: map[string]uint64{}}
	var reqs []pushRequest
	if s.topics.Blocks {
		reqs = append(reqs, pushRequest{Event: "subscribe", Channel: "block"})
	}
	if s.topics.Heights {
		reqs = append(reqs, pushRequest{Event: "subscribe", Channel: "height"})
	}
	if s.topics.AllTxs {
		reqs = append(reqs, pushRequest{Event: "subscribe", Channel: "tx", Address: ""})
	} else if len(s.topics.Txs) > 0 {
		reqs = append(reqs, pushRequest{Event: "subscribe", Channel: "tx", Address: s.topics.Txs})
	}
	for _, r := range reqs {
		b, _ := json.Marshal(r)
		if err := conn.writeText(b, s.opts.PingInterval); err != nil {
			conn.close(1000)
			return nil, nil, ctxErr(ctx, err)
		}
		for confirmed := false; !confirmed; {
			raw, err := conn.readMessage(2 * s.opts.PingInterval)
			if err != nil {
				conn.close(1000)
				return nil, nil, ctxErr(ctx, err)
			}
			m, err := decodePush(raw)
			if err != nil {
				conn.close(1011)
				return nil, nil, err
			}
			switch m.Event {
			case "subscribed":
				if m.Channel != r.Channel {
					conn.close(1002)
					return nil, nil, fmt.Errorf("%w: push: subscribed to %q, asked %q", ErrMismatch, m.Channel, r.Channel)
				}
				confirmed = true
			case "error":
				conn.close(1000)
				return nil, nil, pushError(r.Channel, m.Result)
			default:
				if err := s.handle(st, m); err != nil {
					conn.close(1011)
					return nil, nil, err
				}
			}
		}
	}
	s.debug("rpcclient push subscribed", slog.String("url", s.u.Redacted()))
	return conn, st, nil
}

func ctxErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%w: push: %w", ErrTransport, ctx.Err())
	}
	return err
}

func pushError(channel string, result json.RawMessage) error {
	var e struct {
		Code    json.Number `json:"code"`
		Message string      `json:"message"`
	}
	if err := json.Unmarshal(result, &e); err != nil {
		return malformed("push", "error event: %v", err)
	}
	code, err := e.Code.Int64()
	if err != nil || code != int64(int32(code)) {
		return malformed("push", "error code %q", e.Code)
	}
	return &RPCError{Code: int(code), Message: e.Message, Method: "subscribe " + channel}
}

// decodePush decodes one message of the push server; it is the fuzzed entry point.
func decodePush(raw []byte) (*pushMsg, error) {
	var m pushMsg
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, malformed("push", "message: %v", err)
	}
	if m.Event == "" {
		return nil, malformed("push", "message without event")
	}
	return &m, nil
}

// parseEvent turns a publish message into an Event.
func parseEvent(m *pushMsg) (Event, error) {
	switch m.Channel {
	case "height":
		var h Uint64
		if err := json.Unmarshal(m.Result, &h); err != nil {
			return Event{}, malformed("push", "height: %v", err)
		}
		return Event{Kind: EventHeight, Height: uint64(h)}, nil
	case "block":
		var b Block
		if err := json.Unmarshal(m.Result, &b); err != nil {
			return Event{}, malformed("push", "block: %v", err)
		}
		if b.TransactionCount != 0 && uint64(b.TransactionCount) != uint64(len(b.Transactions)) {
			return Event{}, malformed("push", "block transaction_count %d, %d transactions", b.TransactionCount, len(b.Transactions))
		}
		return Event{Kind: EventBlock, Height: uint64(b.Number), Block: &b}, nil
	case "tx":
		var t Tx
		if err := json.Unmarshal(m.Result, &t); err != nil {
			return Event{}, malformed("push", "tx: %v", err)
		}
		if t.Height == nil {
			return Event{}, malformed("push", "tx without height")
		}
		ev := Event{Kind: EventTx, Height: uint64(*t.Height), Tx: &t}
		// "topic" is "all", one address, or a list of addresses.
		var one string
		if err := json.Unmarshal(m.Topic, &one); err == nil {
			ev.Topics = []string{one}
		} else if err := json.Unmarshal(m.Topic, &ev.Topics); err != nil || len(ev.Topics) == 0 {
			return Event{}, malformed("push", "tx topic %s", m.Topic)
		}
		return ev, nil
	}
	return Event{}, malformed("push", "publish on unknown channel %q", m.Channel)
}

// handle processes one message outside the subscription handshake.
func (s *Subscription) handle(st *connState, m *pushMsg) error {
	switch m.Event {
	case "publish":
		ev, err := parseEvent(m)
		if err != nil {
			return err
		}
		if ev.Kind == EventBlock || ev.Kind == EventHeight {
			ch := m.Channel
			if last, ok := st.last[ch]; ok && ev.Height > last+1 {
				s.q.push(Event{Kind: EventGap, Gap: &Gap{Reason: GapHeight, From: last + 1, To: ev.Height - 1, Channel: ch}}, s)
			}
			st.last[ch] = ev.Height
		}
		s.q.push(ev, s)
	case "error":
		// An error outside a request (the node refuses pings while it syncs): log only.
		s.debug("rpcclient push error event", slog.String("result", string(m.Result)))
	default:
		// version, info, ping answers, subscribed/unsubscribed: nothing to deliver.
	}
	return nil
}

// run owns the connection: it reads and pings, and on failure reconnects with backoff.
func (s *Subscription) run(conn *wsConn, st *connState) {
	defer s.q.close()
	for {
		cause := s.serve(conn, st)
		if s.ctx.Err() != nil {
			s.setErr(s.ctx.Err())
			return
		}
		s.debug("rpcclient push connection lost", slog.Any("err", cause))
		backoff := s.opts.BackoffMin
		for {
			// Jitter spreads reconnecting clients; the wait stays within [backoff/2, backoff].
			wait := backoff/2 + rand.N(backoff/2+1)
			t := time.NewTimer(wait)
			select {
			case <-s.ctx.Done():
				t.Stop()
				s.setErr(s.ctx.Err())
				return
			case <-t.C:
			}
			var err error
			conn, st, err = s.connect(s.ctx)
			if err == nil {
				break
			}
			if s.ctx.Err() != nil {
				s.setErr(s.ctx.Err())
				return
			}
			s.debug("rpcclient push reconnect failed", slog.Any("err", err), slog.Duration("backoff", backoff))
			backoff = min(2*backoff, s.opts.BackoffMax)
		}
		s.q.push(Event{Kind: EventGap, Gap: &Gap{Reason: GapReconnect, Err: cause}}, s)
	}
}

// serve reads conn until it fails or the subscription ends, pinging every interval.
func (s *Subscription) serve(conn *wsConn, st *connState) error {
	stopPing := make(chan struct{})
	pingDone := make(chan struct{})
	go func() { // the pinger lives and dies with this connection
		defer close(pingDone)
		t := time.NewTicker(s.opts.PingInterval)
		defer t.Stop()
		for {
			select {
			case <-stopPing:
				return
			case <-s.ctx.Done():
				conn.close(1000) // unblocks the reader
				return
			case <-t.C:
				if err := conn.writeText([]byte(`{"event":"ping"}`), s.opts.PingInterval); err != nil {
					conn.conn.Close()
					return
				}
			}
		}
	}()
	defer func() {
		close(stopPing)
		<-pingDone
		conn.conn.Close()
	}()
	for {
		raw, err := conn.readMessage(2 * s.opts.PingInterval)
		if err != nil {
			return err
		}
		m, err := decodePush(raw)
		if err == nil {
			err = s.handle(st, m)
		}
		if err != nil {
			// A message this client cannot read may hide a publish: treat it as a loss and
			// reconnect, which reports a gap.
			conn.close(1011)
			return err
		}
	}
}

// deliver moves events from the queue to the reader.
func (s *Subscription) deliver() {
	defer close(s.events)
	for {
		ev, ok := s.q.pop(s.ctx)
		if !ok {
			return
		}
		select {
		case s.events <- ev:
		case <-s.ctx.Done():
			return
		}
	}
}

// queue is the bounded buffer between the connection and the reader. When it is full an
// event is dropped and counted; the count is delivered as a GapOverflow at the point of
// loss, before any later event.
type queue struct {
	mu      sync.Mutex
	items   []Event
	max     int
	dropped int
	closed  bool
	wake    chan struct{}
}

func (q *queue) init(max int) {
	q.max = max
	q.wake = make(chan struct{}, 1)
}

func (q *queue) push(ev Event, s *Subscription) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) >= q.max {
		q.dropped++
		s.debug("rpcclient push dropped event", slog.Int("dropped", q.dropped))
		return
	}
	if q.dropped > 0 {
		// The gap goes before the event; it may take the queue one over its size.
		q.items = append(q.items, Event{Kind: EventGap, Gap: &Gap{Reason: GapOverflow, Dropped: q.dropped}})
		q.dropped = 0
	}
	q.items = append(q.items, ev)
	q.signal()
}

func (q *queue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *queue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.signal()
}

// pop waits for the next event; a pending drop count comes out as a gap once the queue
// has drained. It returns false when the queue is closed and empty or ctx ends.
func (q *queue) pop(ctx context.Context) (Event, bool) {
	for {
		q.mu.Lock()
		if len(q.items) > 0 {
			ev := q.items[0]
			q.items[0] = Event{}
			q.items = q.items[1:]
			q.mu.Unlock()
			return ev, true
		}
		if q.dropped > 0 {
			n := q.dropped
			q.dropped = 0
			q.mu.Unlock()
			return Event{Kind: EventGap, Gap: &Gap{Reason: GapOverflow, Dropped: n}}, true
		}
		closed := q.closed
		q.mu.Unlock()
		if closed {
			return Event{}, false
		}
		select {
		case <-q.wake:
		case <-ctx.Done():
			return Event{}, false
		}
	}
}

package rpcserver

import (
	"bufio"
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/wire"
)

// This is the server half of RFC 6455 that the push needs (no dependency): the opening
// handshake, masked client frames unmasked, fragmented text messages reassembled under a
// size cap, ping answered with pong, the close handshake, and no extensions. Each
// connection has one reader (this goroutine) and one writer draining a bounded queue; a
// subscriber whose queue is full is disconnected, so publishing never waits for a client.

const (
	opContinuation = 0x0
	opText         = 0x1
	opBinary       = 0x2
	opClose        = 0x8
	opPing         = 0x9
	opPong         = 0xA

	wsGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

	// The reference's push error codes.
	codePushBadRequest = 1000001

	pushWriteTimeout  = 10 * time.Second
	pushIdleTimeout   = 5 * time.Minute // rpcclient pings every 30 s by default
	closeWriteTimeout = time.Second
)

// errProtocol is a client's RFC 6455 violation; the connection is closed with 1002.
var errProtocol = errors.New("rpcserver: websocket protocol violation")

func isUpgrade(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket") && headerHasToken(r.Header, "Connection", "upgrade")
}

func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// pushHub holds the push connections and publishes to them.
type pushHub struct {
	s      *Server
	mu     sync.Mutex
	conns  map[*pushConn]struct{}
	closed bool
}

func newPushHub(s *Server) *pushHub { return &pushHub{s: s, conns: map[*pushConn]struct{}{}} }

// pushConn is one WebSocket connection and its subscriptions.
type pushConn struct {
	h    *pushHub
	conn net.Conn
	br   *bufio.Reader
	out  chan []byte
	wmu  sync.Mutex // frames from the writer and pongs/closes from the reader
	once sync.Once
	done chan struct{}

	mu      sync.Mutex
	blocks  bool
	heights bool
	txSub   bool     // subscribed to tx
	txAddrs []string // nil or empty with txSub: every transaction ("all")
}

func (h *pushHub) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet || r.Header.Get("Sec-WebSocket-Version") != "13" {
		w.Header().Set("Sec-WebSocket-Version", "13")
		http.Error(w, "websocket version 13 GET required", http.StatusBadRequest)
		return
	}
	key := r.Header.Get("Sec-WebSocket-Key")
	if k, err := base64.StdEncoding.DecodeString(key); err != nil || len(k) != 16 {
		http.Error(w, "bad Sec-WebSocket-Key", http.StatusBadRequest)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "websocket unsupported", http.StatusInternalServerError)
		return
	}
	c := &pushConn{h: h, out: make(chan []byte, h.s.cfg.PushQueue), done: make(chan struct{})}
	h.mu.Lock()
	full := len(h.conns) >= h.s.cfg.MaxPushConns
	if !full && !h.closed {
		h.conns[c] = struct{}{}
	}
	closed := h.closed
	h.mu.Unlock()
	if full || closed {
		http.Error(w, "too many push connections", http.StatusServiceUnavailable)
		return
	}
	conn, brw, err := hj.Hijack()
	if err != nil {
		h.remove(c)
		return
	}
	c.conn, c.br = conn, brw.Reader
	sum := sha1.Sum([]byte(key + wsGUID))
	resp := "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
		base64.StdEncoding.EncodeToString(sum[:]) + "\r\n\r\n"
	conn.SetWriteDeadline(time.Now().Add(pushWriteTimeout))
	if _, err := conn.Write([]byte(resp)); err != nil {
		c.shut(0, "")
		return
	}
	go c.writer()
	// The reference greets with its version and the connection count.
	c.send(mustJSON(map[string]any{"event": "version", "result": h.s.cfg.Version}))
	c.send(mustJSON(map[string]any{"event": "info", "result": map[string]any{"connections": h.count()}}))
	c.reader()
}

func (h *pushHub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.conns)
}

func (h *pushHub) remove(c *pushConn) {
	h.mu.Lock()
	delete(h.conns, c)
	h.mu.Unlock()
}

// closeAll ends every connection (server shutdown) and refuses new ones.
func (h *pushHub) closeAll() {
	h.mu.Lock()
	h.closed = true
	cs := make([]*pushConn, 0, len(h.conns))
	for c := range h.conns {
		cs = append(cs, c)
	}
	h.mu.Unlock()
	shutAll(cs, 1001, "server shutting down")
}

// shutAll closes cs in parallel, so that stalled clients do not add up.
func shutAll(cs []*pushConn, code int, reason string) {
	var wg sync.WaitGroup
	for _, c := range cs {
		wg.Add(1)
		go func() { defer wg.Done(); c.shut(code, reason) }()
	}
	wg.Wait()
}

// dropAll ends every connection after events were lost (the chain subscription lagged),
// so that clients reconnect and learn of the gap rather than miss blocks silently.
func (h *pushHub) dropAll(reason string) {
	h.mu.Lock()
	cs := make([]*pushConn, 0, len(h.conns))
	for c := range h.conns {
		cs = append(cs, c)
	}
	h.mu.Unlock()
	shutAll(cs, 1011, reason)
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only called with maps of strings and numbers
	}
	return b
}

// send queues a text message; a full queue disconnects the slow subscriber.
func (c *pushConn) send(msg []byte) {
	select {
	case <-c.done:
		return
	default:
	}
	select {
	case c.out <- msg:
	default:
		c.h.s.log.Warn("rpcserver: push subscriber too slow, disconnecting", "remote", c.remote())
		go c.shut(1008, "subscriber too slow")
	}
}

func (c *pushConn) remote() string {
	if c.conn == nil {
		return ""
	}
	return c.conn.RemoteAddr().String()
}

// shut sends a close frame (code 0: none) and closes the connection, once.
func (c *pushConn) shut(code int, reason string) {
	c.once.Do(func() {
		close(c.done)
		c.h.remove(c)
		if code != 0 {
			// The deadline also ends a write in progress, so a writer stalled on the client
			// gives up wmu within closeWriteTimeout instead of its own longer one.
			c.conn.SetWriteDeadline(time.Now().Add(closeWriteTimeout))
			c.wmu.Lock()
			frame := []byte{0x80 | opClose, byte(2 + len(reason))}
			frame = binary.BigEndian.AppendUint16(frame, uint16(code))
			c.conn.SetWriteDeadline(time.Now().Add(closeWriteTimeout))
			c.conn.Write(append(frame, reason...))
			c.wmu.Unlock()
		}
		c.conn.Close()
	})
}

func (c *pushConn) writer() {
	for {
		select {
		case <-c.done:
			return
		case msg := <-c.out:
			if err := c.writeFrame(opText, msg); err != nil {
				c.shut(0, "")
				return
			}
		}
	}
}

// writeFrame writes one unmasked frame.
func (c *pushConn) writeFrame(op byte, payload []byte) error {
	b := make([]byte, 0, 10+len(payload))
	b = append(b, 0x80|op)
	switch n := len(payload); {
	case n <= 125:
		b = append(b, byte(n))
	case n <= 0xFFFF:
		b = append(b, 126)
		b = binary.BigEndian.AppendUint16(b, uint16(n))
	default:
		b = append(b, 127)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	b = append(b, payload...)
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.conn.SetWriteDeadline(time.Now().Add(pushWriteTimeout))
	_, err := c.conn.Write(b)
	return err
}

func (c *pushConn) reader() {
	defer c.shut(0, "")
	max := c.h.s.cfg.MaxRequestBytes
	if max > DefaultMaxPushMessage {
		max = DefaultMaxPushMessage
	}
	for {
		msg, err := readMessage(c, max)
		if err != nil {
			var ce closeErr
			switch {
			case errors.As(err, &ce):
				c.shut(int(ce), "")
			case errors.Is(err, errProtocol):
				c.shut(1002, "protocol error")
			case errors.Is(err, errTooBig):
				c.shut(1009, "message too big")
			}
			return
		}
		c.handle(msg)
	}
}

var errTooBig = errors.New("rpcserver: websocket message too big")

// closeErr is the client's close: answered with the same code (1000 when none).
type closeErr int

func (e closeErr) Error() string { return fmt.Sprintf("websocket close %d", int(e)) }

// readMessage reads one text message, answering pings on the way.
func readMessage(c *pushConn, max int64) ([]byte, error) {
	var msg []byte
	started := false
	for {
		c.conn.SetReadDeadline(time.Now().Add(pushIdleTimeout))
		var h [2]byte
		if _, err := io.ReadFull(c.br, h[:]); err != nil {
			return nil, err
		}
		fin, rsv, op := h[0]&0x80 != 0, h[0]&0x70, h[0]&0x0F
		if rsv != 0 {
			return nil, fmt.Errorf("%w: reserved bits", errProtocol)
		}
		if h[1]&0x80 == 0 {
			return nil, fmt.Errorf("%w: unmasked client frame", errProtocol)
		}
		n := uint64(h[1] & 0x7F)
		switch n {
		case 126:
			var b [2]byte
			if _, err := io.ReadFull(c.br, b[:]); err != nil {
				return nil, err
			}
			n = uint64(binary.BigEndian.Uint16(b[:]))
		case 127:
			var b [8]byte
			if _, err := io.ReadFull(c.br, b[:]); err != nil {
				return nil, err
			}
			n = binary.BigEndian.Uint64(b[:])
		}
		control := op >= 0x8
		if control && (n > 125 || !fin) {
			return nil, fmt.Errorf("%w: control frame", errProtocol)
		}
		if !control && n > uint64(max)-uint64(len(msg)) {
			return nil, errTooBig
		}
		var mask [4]byte
		if _, err := io.ReadFull(c.br, mask[:]); err != nil {
			return nil, err
		}
		payload := make([]byte, n)
		if _, err := io.ReadFull(c.br, payload); err != nil {
			return nil, err
		}
		for i := range payload {
			payload[i] ^= mask[i&3]
		}
		switch op {
		case opPing:
			if err := c.writeFrame(opPong, payload); err != nil {
				return nil, err
			}
		case opPong:
		case opClose:
			code := 1000
			if len(payload) >= 2 {
				code = int(binary.BigEndian.Uint16(payload))
			}
			if code < 1000 || code >= 5000 || code == 1005 || code == 1006 {
				code = 1002
			}
			return nil, closeErr(code)
		case opText:
			if started {
				return nil, fmt.Errorf("%w: new message inside a fragmented one", errProtocol)
			}
			started, msg = true, payload
		case opContinuation:
			if !started {
				return nil, fmt.Errorf("%w: continuation without a message", errProtocol)
			}
			msg = append(msg, payload...)
		case opBinary:
			return nil, closeErr(1003)
		default:
			return nil, fmt.Errorf("%w: opcode %d", errProtocol, op)
		}
		if started && fin && !control {
			if !utf8.Valid(msg) {
				return nil, closeErr(1007)
			}
			return msg, nil
		}
	}
}

// pushRequest is a client message.
type pushRequest struct {
	Event   *string         `json:"event"`
	Channel *string         `json:"channel"`
	Address json.RawMessage `json:"address"`
}

func (c *pushConn) reply(event, channel string, result any) {
	m := map[string]any{"event": event}
	if channel != "" {
		m["channel"] = channel
	}
	if result != nil {
		m["result"] = result
	}
	c.send(mustJSON(m))
}

func (c *pushConn) bad(msg string) {
	c.reply("error", "", map[string]any{"code": codePushBadRequest, "message": msg})
}

// handle answers one request as the reference's WsPushServ::on_ws_frame_handler does.
func (c *pushConn) handle(raw []byte) {
	var r pushRequest
	if err := json.Unmarshal(raw, &r); err != nil || r.Event == nil {
		c.bad("parse request error, not a JSON object with an event")
		return
	}
	event := *r.Event
	channel := ""
	if event == "subscribe" || event == "unsubscribe" {
		if r.Channel == nil {
			c.bad("parse request error, no channel")
			return
		}
		channel = *r.Channel
	}
	switch {
	case event == "subscribe" && channel == "tx":
		addrs, ok := c.addresses(r.Address)
		if !ok {
			return
		}
		c.mu.Lock()
		if len(addrs) == 0 {
			c.txAddrs = nil // "all"
		} else {
			for _, a := range addrs {
				if !contains(c.txAddrs, a) {
					c.txAddrs = append(c.txAddrs, a)
				}
			}
		}
		c.txSub = true
		c.mu.Unlock()
		c.reply("subscribed", channel, nil)
	case event == "unsubscribe" && channel == "tx":
		c.mu.Lock()
		c.txSub, c.txAddrs = false, nil
		c.mu.Unlock()
		c.reply("unsubscribed", channel, nil)
	case channel == "block" || channel == "height":
		c.mu.Lock()
		on := event == "subscribe"
		if channel == "block" {
			c.blocks = on
		} else {
			c.heights = on
		}
		c.mu.Unlock()
		c.reply(event+"d", channel, nil)
	case event == "version":
		c.reply(event, "", map[string]any{"wallet": c.h.s.cfg.Version, "protocol": wire.ProtocolVersion})
	case event == "ping":
		c.reply(event, "", "pong")
	default:
		c.bad("request not support.")
	}
}

// addresses reads a subscribe request's address: "" (all), one, or a list; DIDs are
// resolved to their current address. It answers the error itself.
func (c *pushConn) addresses(raw json.RawMessage) ([]string, bool) {
	var list []string
	var one string
	switch {
	case json.Unmarshal(raw, &one) == nil:
		if one != "" {
			list = []string{one}
		}
	case json.Unmarshal(raw, &list) == nil:
	default:
		c.bad("invalid did or address (not string).")
		return nil, false
	}
	var out []string
	for _, v := range list {
		if v == "" {
			continue
		}
		addr, err := c.h.s.resolve("subscribe", v)
		if err != nil {
			c.bad("invalid did or address " + v)
			return nil, false
		}
		if !contains(out, addr.String()) {
			out = append(out, addr.String())
		}
	}
	if len(list) > 0 && len(out) == 0 {
		c.bad("invalid did or address")
		return nil, false
	}
	return out, true
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// ---- publishing ----

// follow publishes the chain's connected blocks from sub until ctx ends.
func (h *pushHub) follow(ctx context.Context, sub *chain.Subscription) {
	for {
		h.drain(ctx, sub)
		h.s.cfg.Chain.Unsubscribe(sub)
		if ctx.Err() != nil {
			return
		}
		err := sub.Err()
		if errors.Is(err, chain.ErrClosed) {
			h.closeAll()
			return
		}
		// Subscribe again before dropping anyone, so nothing after this point is missed.
		sub = h.s.cfg.Chain.Subscribe(h.s.chainBuffer)
		if err != nil {
			// Events were lost: make every subscriber reconnect (a gap it can see).
			h.s.log.Warn("rpcserver: chain events lost, dropping push subscribers", "err", err)
			h.dropAll("events lost")
		}
	}
}

func (h *pushHub) drain(ctx context.Context, sub *chain.Subscription) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-sub.Events():
			if !ok {
				return
			}
			if ev.Kind == chain.Connected && ev.Block != nil {
				h.publishBlock(ev)
			}
		}
	}
}

func (h *pushHub) snapshot() []*pushConn {
	h.mu.Lock()
	defer h.mu.Unlock()
	cs := make([]*pushConn, 0, len(h.conns))
	for c := range h.conns {
		cs = append(cs, c)
	}
	return cs
}

func (h *pushHub) publishBlock(ev chain.Event) {
	cs := h.snapshot()
	if len(cs) == 0 {
		return
	}
	var blockMsg, heightMsg []byte
	for _, c := range cs {
		c.mu.Lock()
		b, hh := c.blocks, c.heights
		c.mu.Unlock()
		if b {
			if blockMsg == nil {
				blockMsg = mustJSON(map[string]any{"event": "publish", "channel": "block", "result": blockJSON(ev.Block, h.s.cfg.Params)})
			}
			c.send(blockMsg)
		}
		if hh {
			if heightMsg == nil {
				heightMsg = mustJSON(map[string]any{"event": "publish", "channel": "height", "result": ev.Height})
			}
			c.send(heightMsg)
		}
	}
	for i := range ev.Block.Transactions {
		h.publishTx(cs, &ev.Block.Transactions[i], uint64(ev.Height))
	}
}

// PublishTx sends t, just accepted into the pool, to the tx subscribers (height 0). The
// node calls it for every transaction its pool accepts.
func (s *Server) PublishTx(t *tx.Tx) {
	s.push.publishTx(s.push.snapshot(), t, 0)
}

func (h *pushHub) publishTx(cs []*pushConn, t *tx.Tx, height uint64) {
	if len(cs) == 0 || len(t.Outputs) == 0 {
		return
	}
	// The addresses the reference extracts: the inputs' signers, then the outputs' payees
	// (tx.ToJSON reads them as the node does, and skips a coinbase's input).
	j := t.ToJSON(h.s.cfg.Params)
	var addrs []string
	for _, in := range j.Inputs {
		if in.Address != "" && !contains(addrs, in.Address) {
			addrs = append(addrs, in.Address)
		}
	}
	for _, o := range j.Outputs {
		if o.Address != "" && !contains(addrs, o.Address) {
			addrs = append(addrs, o.Address)
		}
	}
	var result json.RawMessage
	for _, c := range cs {
		c.mu.Lock()
		sub, subAddrs := c.txSub, c.txAddrs
		var topics []string
		if sub && len(subAddrs) == 0 {
			topics = []string{"all"}
		} else if sub {
			for _, a := range subAddrs {
				if contains(addrs, a) {
					topics = append(topics, a)
				}
			}
		}
		c.mu.Unlock()
		if len(topics) == 0 {
			continue
		}
		if result == nil {
			result = mustJSON(txJSON(t, h.s.cfg.Params, &height))
		}
		var topic any = topics
		if len(topics) == 1 {
			topic = topics[0]
		}
		c.send(mustJSON(map[string]any{"event": "publish", "channel": "tx", "topic": topic, "result": result}))
	}
}

package rpcclient_test

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// pushServer is the server half of RFC 6455, enough to play the reference's WsPushServ in
// tests: each accepted connection runs script.
type pushServer struct {
	t       *testing.T
	srv     *httptest.Server
	mu      sync.Mutex
	conns   int
	scripts []func(*wsPeer) // one per connection, in order; the last repeats
	// handshake, if set, may answer the upgrade request itself (return true to stop).
	handshake func(n int, w http.ResponseWriter, r *http.Request) bool
	badAccept bool
	wg        sync.WaitGroup
}

func newPushServer(t *testing.T, scripts ...func(*wsPeer)) *pushServer {
	s := &pushServer{t: t, scripts: scripts}
	s.srv = httptest.NewServer(s)
	t.Cleanup(func() { s.srv.Close(); s.wg.Wait() })
	return s
}

func (s *pushServer) url() string { return "ws" + strings.TrimPrefix(s.srv.URL, "http") + "/ws" }

func (s *pushServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	n := s.conns
	s.conns++
	s.mu.Unlock()
	if s.handshake != nil && s.handshake(n, w, r) {
		return
	}
	if r.Header.Get("Upgrade") != "websocket" || r.Header.Get("Sec-WebSocket-Version") != "13" {
		http.Error(w, "not websocket", http.StatusBadRequest)
		return
	}
	key := r.Header.Get("Sec-WebSocket-Key")
	if s.badAccept {
		key += "x"
	}
	sum := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	conn, brw, err := w.(http.Hijacker).Hijack()
	if err != nil {
		s.t.Error(err)
		return
	}
	s.wg.Add(1)
	defer s.wg.Done()
	defer conn.Close()
	fmt.Fprintf(brw, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n",
		base64.StdEncoding.EncodeToString(sum[:]))
	brw.Flush()
	script := s.scripts[min(n, len(s.scripts)-1)]
	script(&wsPeer{t: s.t, conn: conn, br: brw.Reader})
}

// wsPeer is the server's side of one connection.
type wsPeer struct {
	t    *testing.T
	conn net.Conn
	br   *bufio.Reader
}

// frame writes one unmasked frame.
func (p *wsPeer) frame(fin bool, opcode byte, payload []byte) {
	b := []byte{opcode}
	if fin {
		b[0] |= 0x80
	}
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
	p.conn.Write(append(b, payload...))
}

func (p *wsPeer) send(msg string) { p.frame(true, 0x1, []byte(msg)) }

// hello is what the reference sends when a connection opens.
func (p *wsPeer) hello() {
	p.send(`{"event": "version", "result": "0.9.1"}`)
	p.send("{\n   \"event\" : \"info\",\n   \"result\" : {\n      \"connections\" : 1\n   }\n}\n")
}

// read returns the next client message (unmasking it); control frames: a ping is
// answered, a pong or close is returned with its opcode.
func (p *wsPeer) read() (byte, []byte, error) {
	var h [2]byte
	if _, err := io.ReadFull(p.br, h[:]); err != nil {
		return 0, nil, err
	}
	op := h[0] & 0x0F
	if h[1]&0x80 == 0 {
		p.t.Errorf("client frame not masked")
	}
	n := uint64(h[1] & 0x7F)
	switch n {
	case 126:
		var b [2]byte
		io.ReadFull(p.br, b[:])
		n = uint64(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		io.ReadFull(p.br, b[:])
		n = binary.BigEndian.Uint64(b[:])
	}
	var mask [4]byte
	io.ReadFull(p.br, mask[:])
	payload := make([]byte, n)
	if _, err := io.ReadFull(p.br, payload); err != nil {
		return 0, nil, err
	}
	for i := range payload {
		payload[i] ^= mask[i&3]
	}
	return op, payload, nil
}

// request reads client messages until a text one that is not a ping request, answering
// pings as the reference does.
func (p *wsPeer) request() map[string]any {
	for {
		op, b, err := p.read()
		if err != nil {
			return nil
		}
		if op != 0x1 {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			p.t.Errorf("client sent %q: %v", b, err)
			return nil
		}
		if m["event"] == "ping" {
			p.send(`{"event":"ping","result":"pong"}`)
			continue
		}
		return m
	}
}

// subscribed expects a subscribe request for channel (with address, for tx) and confirms it.
func (p *wsPeer) subscribed(channel string, address any) {
	m := p.request()
	if m == nil {
		p.t.Errorf("connection ended before subscribe %s", channel)
		return
	}
	want := map[string]any{"event": "subscribe", "channel": channel}
	if address != nil {
		want["address"] = address
	}
	if fmt.Sprint(m) != fmt.Sprint(want) {
		p.t.Errorf("client sent %v, want %v", m, want)
	}
	p.send(`{"channel":"` + channel + `","event":"subscribed"}`)
}

// drain reads until the client goes away.
func (p *wsPeer) drain() {
	for {
		if _, _, err := p.read(); err != nil {
			return
		}
	}
}

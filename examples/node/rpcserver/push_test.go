package rpcserver_test

import (
	"bufio"
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/examples/node/rpcserver"
	"github.com/mvsgo/mvs/rpcclient"
	"github.com/mvsgo/mvs/wallet"
)

func next(t *testing.T, sub *rpcclient.Subscription) rpcclient.Event {
	t.Helper()
	select {
	case ev, ok := <-sub.Events():
		if !ok {
			t.Fatalf("subscription ended: %v", sub.Err())
		}
		return ev
	case <-time.After(20 * time.Second): // a hang guard, not a timing assertion
		t.Fatal("no event")
	}
	return rpcclient.Event{}
}

// TestPush subscribes with rpcclient and checks blocks, heights and transactions for an
// address and a DID, from the pool (PublishTx) and from blocks.
func TestPush(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	sub, err := f.c.Subscribe(ctx, rpcclient.Topics{Blocks: true, Heights: true, Txs: []string{f.a2.String(), "alice"}})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()

	pay := f.net.Build(f.only(f.a0).Send(wallet.Payment{To: f.a2, Amount: mvs.SatoshiPerETP}))
	if _, err := f.pool.Accept(pay); err != nil {
		t.Fatal(err)
	}
	f.srv.PublishTx(pay)
	ev := next(t, sub)
	if ev.Kind != rpcclient.EventTx || ev.Tx.Hash != pay.Hash() || ev.Height != 0 {
		t.Fatalf("pool tx event %+v", ev)
	}
	// Both a2 (paid) and a0 (alice's address, the payer) are touched.
	if len(ev.Topics) != 2 || !contains(ev.Topics, f.a2.String()) || !contains(ev.Topics, f.a0.String()) {
		t.Fatalf("topics %v", ev.Topics)
	}

	blk := f.net.Mine(1, pay)[0]
	h := uint64(blk.Header.Height)
	got := map[rpcclient.EventKind]int{}
	for range 4 { // block, height, the coinbase (to a0 = alice) and the payment
		ev := next(t, sub)
		got[ev.Kind]++
		switch ev.Kind {
		case rpcclient.EventBlock:
			if ev.Block.Hash != blk.Hash() || ev.Height != h || len(ev.Block.Transactions) != 2 {
				t.Fatalf("block event %+v", ev)
			}
		case rpcclient.EventHeight:
			if ev.Height != h {
				t.Fatalf("height %d, want %d", ev.Height, h)
			}
		case rpcclient.EventTx:
			if ev.Height != h {
				t.Fatalf("tx height %d, want %d", ev.Height, h)
			}
		default:
			t.Fatalf("event %+v", ev)
		}
	}
	if got[rpcclient.EventBlock] != 1 || got[rpcclient.EventHeight] != 1 || got[rpcclient.EventTx] != 2 {
		t.Fatalf("events %v", got)
	}
}

// TestPushAll subscribes to every transaction.
func TestPushAll(t *testing.T) {
	f := newFixture(t, nil)
	sub, err := f.c.Subscribe(context.Background(), rpcclient.Topics{AllTxs: true})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	f.net.Mine(1)
	ev := next(t, sub)
	if ev.Kind != rpcclient.EventTx || len(ev.Topics) != 1 || ev.Topics[0] != "all" {
		t.Fatalf("event %+v", ev)
	}
}

// TestPushRefusesBadAddress checks the error event for an unknown DID.
func TestPushRefusesBadAddress(t *testing.T) {
	f := newFixture(t, nil)
	_, err := f.c.Subscribe(context.Background(), rpcclient.Topics{Txs: []string{"nobody"}})
	var re *rpcclient.RPCError
	if !errorsAs(err, &re) || re.Code != 1000001 || !strings.Contains(re.Message, "nobody") {
		t.Fatalf("subscribe: %v", err)
	}
}

// rawWS is a hand-driven client connection, for protocol tests rpcclient cannot make.
type rawWS struct {
	conn net.Conn
	br   *bufio.Reader
}

func dialRaw(t *testing.T, url string) *rawWS {
	t.Helper()
	host := strings.TrimPrefix(url, "http://")
	conn, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	key := base64.StdEncoding.EncodeToString([]byte("0123456789abcdef"))
	fmt.Fprintf(conn, "GET /ws HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n", host, key)
	br := bufio.NewReader(conn)
	status, _ := br.ReadString('\n')
	if !strings.Contains(status, "101") {
		t.Fatalf("handshake: %q", status)
	}
	sum := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	accept := false
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if line == "\r\n" {
			break
		}
		if strings.EqualFold(strings.TrimSpace(line), "Sec-WebSocket-Accept: "+base64.StdEncoding.EncodeToString(sum[:])) {
			accept = true
		}
	}
	if !accept {
		t.Fatal("no or wrong Sec-WebSocket-Accept")
	}
	conn.SetDeadline(time.Now().Add(20 * time.Second)) // a hang guard
	return &rawWS{conn: conn, br: br}
}

func (w *rawWS) frame(first byte, payload []byte, masked bool) {
	b := []byte{first}
	m := byte(0)
	if masked {
		m = 0x80
	}
	switch n := len(payload); {
	case n <= 125:
		b = append(b, m|byte(n))
	case n <= 0xFFFF:
		b = append(b, m|126)
		b = binary.BigEndian.AppendUint16(b, uint16(n))
	default:
		b = append(b, m|127)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	p := append([]byte(nil), payload...)
	if masked {
		mask := [4]byte{1, 2, 3, 4}
		b = append(b, mask[:]...)
		for i := range p {
			p[i] ^= mask[i&3]
		}
	}
	w.conn.Write(append(b, p...))
}

// read returns the next server frame's opcode and payload (servers never mask).
func (w *rawWS) read() (byte, []byte, error) {
	var h [2]byte
	if _, err := io.ReadFull(w.br, h[:]); err != nil {
		return 0, nil, err
	}
	if h[1]&0x80 != 0 {
		return 0, nil, fmt.Errorf("server frame masked")
	}
	n := uint64(h[1] & 0x7F)
	switch n {
	case 126:
		var b [2]byte
		io.ReadFull(w.br, b[:])
		n = uint64(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		io.ReadFull(w.br, b[:])
		n = binary.BigEndian.Uint64(b[:])
	}
	p := make([]byte, n)
	_, err := io.ReadFull(w.br, p)
	return h[0] & 0x0F, p, err
}

// untilClose reads frames until a close frame and returns its code (0: the connection
// ended without one).
func (w *rawWS) untilClose() int {
	for {
		op, p, err := w.read()
		if err != nil {
			return 0
		}
		if op == 0x8 {
			if len(p) < 2 {
				return 1005
			}
			return int(binary.BigEndian.Uint16(p))
		}
	}
}

// TestPushProtocol drives the server's RFC 6455 side by hand: greeting, fragmented
// requests, ping/pong, the reference's answers, and the close codes for violations.
func TestPushProtocol(t *testing.T) {
	f := newFixture(t, func(c *rpcserver.Config) { c.Version = "test" })
	t.Run("greeting and requests", func(t *testing.T) {
		w := dialRaw(t, f.http.URL)
		for _, want := range []string{`{"event":"version","result":"test"}`, `"event":"info"`} {
			_, p, err := w.read()
			if err != nil || !strings.Contains(string(p), want) {
				t.Fatalf("greeting %q, %v; want %s", p, err, want)
			}
		}
		w.frame(0x89, []byte("hi"), true) // ping
		if op, p, _ := w.read(); op != 0xA || string(p) != "hi" {
			t.Fatalf("pong %x %q", op, p)
		}
		// A request in two fragments, a ping between them.
		w.frame(0x01, []byte(`{"event":`), true)
		w.frame(0x89, nil, true)
		w.frame(0x80, []byte(`"ping"}`), true)
		if op, _, _ := w.read(); op != 0xA {
			t.Fatalf("pong %x", op)
		}
		if _, p, _ := w.read(); string(p) != `{"event":"ping","result":"pong"}` {
			t.Fatalf("ping answer %q", p)
		}
		for req, want := range map[string]string{
			`{"event":"subscribe","channel":"height"}`:         `{"channel":"height","event":"subscribed"}`,
			`{"event":"unsubscribe","channel":"height"}`:       `{"channel":"height","event":"unsubscribed"}`,
			`{"event":"nosuch"}`:                               `{"event":"error","result":{"code":1000001,"message":"request not support."}}`,
			`not json`:                                         `"code":1000001`,
			`{"event":"subscribe","channel":"tx","address":5}`: `invalid did or address`,
			`{"event":"version"}`:                              `"wallet":"test"`,
		} {
			w.frame(0x81, []byte(req), true)
			if _, p, _ := w.read(); !strings.Contains(string(p), want) {
				t.Errorf("%s: %q, want %s", req, p, want)
			}
		}
		w.frame(0x88, binary.BigEndian.AppendUint16(nil, 1000), true)
		if code := w.untilClose(); code != 1000 {
			t.Fatalf("close answered with %d", code)
		}
	})
	tests := []struct {
		name  string
		first byte
		data  []byte
		mask  bool
		code  int
	}{
		{"unmasked", 0x81, []byte(`{}`), false, 1002},
		{"binary", 0x82, []byte{1}, true, 1003},
		{"reserved bits", 0xC1, []byte(`{}`), true, 1002},
		{"unknown opcode", 0x83, nil, true, 1002},
		{"continuation first", 0x80, []byte(`{}`), true, 1002},
		{"fragmented ping", 0x09, nil, true, 1002},
		{"too big", 0x81, make([]byte, rpcserver.DefaultMaxPushMessage+1), true, 1009},
		{"invalid UTF-8", 0x81, []byte{0xff, 0xfe}, true, 1007},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := dialRaw(t, f.http.URL)
			w.frame(tc.first, tc.data, tc.mask)
			if code := w.untilClose(); code != tc.code {
				t.Fatalf("close %d, want %d", code, tc.code)
			}
		})
	}
}

func errorsAs(err error, target **rpcclient.RPCError) bool {
	for err != nil {
		if re, ok := err.(*rpcclient.RPCError); ok {
			*target = re
			return true
		}
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		err = u.Unwrap()
	}
	return false
}

// TestPushReorg: after a reorganisation the new branch's blocks are published from the
// fork point, so a height repeats (as the reference does).
func TestPushReorg(t *testing.T) {
	f := newFixture(t, nil)
	sub, err := f.c.Subscribe(context.Background(), rpcclient.Topics{Blocks: true})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	h := f.net.Height()
	br := f.net.Fork(h - 1)
	blks, _ := br.Mine(2)
	for i, want := range blks {
		ev := next(t, sub)
		if ev.Kind != rpcclient.EventBlock || ev.Block.Hash != want.Hash() || ev.Height != uint64(h)+uint64(i) {
			t.Fatalf("event %d: %+v, want block %s at %d", i, ev, want.Hash(), uint64(h)+uint64(i))
		}
	}
}

// TestPushSendRawTx: without Config.Submit, a transaction sendrawtx puts in the pool is
// pushed by the server itself.
func TestPushSendRawTx(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	sub, err := f.c.Subscribe(ctx, rpcclient.Topics{Txs: []string{f.a2.String()}})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	pay := f.net.Build(f.only(f.a0).Send(wallet.Payment{To: f.a2, Amount: mvs.SatoshiPerETP}))
	if _, err := f.c.SendRawTx(ctx, pay.Bytes()); err != nil {
		t.Fatal(err)
	}
	ev := next(t, sub)
	if ev.Kind != rpcclient.EventTx || ev.Tx.Hash != pay.Hash() || ev.Height != 0 || len(ev.Topics) != 1 || ev.Topics[0] != f.a2.String() {
		t.Fatalf("event %+v", ev)
	}
}

package rpcclient

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"crypto/tls"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// This is the client half of RFC 6455 that the push needs, written here rather than taken
// from a library so the SDK adds no dependency for it: the opening handshake with the
// accept-key check, masked client frames, text messages reassembled from fragments under a
// size cap, ping answered with pong, and the close handshake. Extensions and subprotocols
// are not negotiated, so a server that selects one is refused.

const (
	wsContinuation = 0x0
	wsText         = 0x1
	wsBinary       = 0x2
	wsClose        = 0x8
	wsPing         = 0x9
	wsPong         = 0xA

	wsGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
)

// CloseError is a close frame the server sent: its status code and reason.
type CloseError struct {
	Code   int
	Reason string
}

func (e *CloseError) Error() string {
	return fmt.Sprintf("rpcclient: websocket closed by server: %d %s", e.Code, e.Reason)
}

func parsePushURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: PushURL: %v", ErrInvalidOptions, err)
	}
	if u.Scheme != "ws" && u.Scheme != "wss" {
		return nil, fmt.Errorf("%w: PushURL scheme %q, want ws or wss", ErrInvalidOptions, u.Scheme)
	}
	if u.Host == "" || u.User != nil || u.Fragment != "" {
		return nil, fmt.Errorf("%w: PushURL needs a host and no credentials or fragment", ErrInvalidOptions)
	}
	return u, nil
}

func wsErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrWebSocket, fmt.Sprintf(format, args...))
}

type wsConn struct {
	conn   net.Conn
	br     *bufio.Reader
	maxMsg int64
	wmu    sync.Mutex // a pong or close from the reader and a message from the writer
}

// dialWS opens a WebSocket to u; ctx bounds the dial and the handshake.
func dialWS(ctx context.Context, u *url.URL, user, password string, maxMsg int64) (*wsConn, error) {
	host := u.Host
	if u.Port() == "" {
		if u.Scheme == "wss" {
			host = net.JoinHostPort(u.Hostname(), "443")
		} else {
			host = net.JoinHostPort(u.Hostname(), "80")
		}
	}
	var conn net.Conn
	var err error
	if u.Scheme == "wss" {
		d := tls.Dialer{Config: &tls.Config{ServerName: u.Hostname(), MinVersion: tls.VersionTLS12}}
		conn, err = d.DialContext(ctx, "tcp", host)
	} else {
		var d net.Dialer
		conn, err = d.DialContext(ctx, "tcp", host)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: push dial: %w", ErrTransport, err)
	}
	// The handshake obeys ctx: a deadline from it, and closing the socket if it ends first.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	c, err := handshake(conn, u, user, password, maxMsg)
	if err != nil {
		conn.Close()
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%w: push handshake: %w", ErrTransport, ctx.Err())
		}
		return nil, err
	}
	if !stop() {
		conn.Close()
		return nil, fmt.Errorf("%w: push handshake: %w", ErrTransport, ctx.Err())
	}
	conn.SetDeadline(time.Time{})
	return c, nil
}

func handshake(conn net.Conn, u *url.URL, user, password string, maxMsg int64) (*wsConn, error) {
	var nonce [16]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return nil, err
	}
	key := base64.StdEncoding.EncodeToString(nonce[:])
	req := &http.Request{Method: http.MethodGet, URL: u, Header: http.Header{}, Host: u.Host}
	var b strings.Builder
	fmt.Fprintf(&b, "GET %s HTTP/1.1\r\nHost: %s\r\n", u.RequestURI(), u.Host)
	b.WriteString("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")
	fmt.Fprintf(&b, "Sec-WebSocket-Key: %s\r\n", key)
	if user != "" {
		cred := base64.StdEncoding.EncodeToString([]byte(user + ":" + password))
		fmt.Fprintf(&b, "Authorization: Basic %s\r\n", cred)
	}
	b.WriteString("\r\n")
	if _, err := io.WriteString(conn, b.String()); err != nil {
		return nil, fmt.Errorf("%w: push handshake: %w", ErrTransport, err)
	}
	// The handshake reads through a budget so that a server sending endless headers is
	// cut off; the budget is lifted once the handshake is done. The same bufio.Reader
	// then reads frames, so bytes sent right after the header are not lost.
	lr := &budgetReader{r: conn, n: 64 << 10}
	br := bufio.NewReaderSize(lr, 4096)
	resp, err := http.ReadResponse(br, req)
	if err != nil {
		return nil, fmt.Errorf("%w: push handshake: %w", ErrTransport, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSwitchingProtocols {
		return nil, fmt.Errorf("rpcclient: push handshake: %w", &HTTPError{StatusCode: resp.StatusCode, Status: resp.Status})
	}
	if !strings.EqualFold(resp.Header.Get("Upgrade"), "websocket") || !headerHasToken(resp.Header, "Connection", "upgrade") {
		return nil, wsErr("handshake: missing Upgrade: websocket / Connection: upgrade")
	}
	sum := sha1.Sum([]byte(key + wsGUID))
	if resp.Header.Get("Sec-WebSocket-Accept") != base64.StdEncoding.EncodeToString(sum[:]) {
		return nil, wsErr("handshake: wrong Sec-WebSocket-Accept")
	}
	if resp.Header.Get("Sec-WebSocket-Extensions") != "" || resp.Header.Get("Sec-WebSocket-Protocol") != "" {
		return nil, wsErr("handshake: server selected an extension or subprotocol that was not offered")
	}
	lr.n = -1
	return &wsConn{conn: conn, br: br, maxMsg: maxMsg}, nil
}

// budgetReader reads at most n bytes from r while n >= 0; n < 0 means no limit.
type budgetReader struct {
	r io.Reader
	n int64
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.n < 0 {
		return b.r.Read(p)
	}
	if b.n == 0 {
		return 0, wsErr("handshake: response header too large")
	}
	if int64(len(p)) > b.n {
		p = p[:b.n]
	}
	n, err := b.r.Read(p)
	b.n -= int64(n)
	return n, err
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

// writeFrame sends one final frame, masked as RFC 6455 requires of a client.
func (c *wsConn) writeFrame(opcode byte, payload []byte, deadline time.Time) error {
	var mask [4]byte
	if _, err := rand.Read(mask[:]); err != nil {
		return err
	}
	hdr := make([]byte, 0, 14+len(payload))
	hdr = append(hdr, 0x80|opcode)
	switch n := len(payload); {
	case n <= 125:
		hdr = append(hdr, 0x80|byte(n))
	case n <= 0xFFFF:
		hdr = append(hdr, 0x80|126)
		hdr = binary.BigEndian.AppendUint16(hdr, uint16(n))
	default:
		hdr = append(hdr, 0x80|127)
		hdr = binary.BigEndian.AppendUint64(hdr, uint64(n))
	}
	hdr = append(hdr, mask[:]...)
	for i, b := range payload {
		hdr = append(hdr, b^mask[i&3])
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.conn.SetWriteDeadline(deadline)
	_, err := c.conn.Write(hdr)
	if err != nil {
		return fmt.Errorf("%w: push write: %w", ErrTransport, err)
	}
	return nil
}

// writeText sends a text message.
func (c *wsConn) writeText(msg []byte, timeout time.Duration) error {
	return c.writeFrame(wsText, msg, time.Now().Add(timeout))
}

// close sends a close frame (best effort) and closes the socket.
func (c *wsConn) close(code uint16) {
	var p [2]byte
	binary.BigEndian.PutUint16(p[:], code)
	_ = c.writeFrame(wsClose, p[:], time.Now().Add(time.Second))
	c.conn.Close()
}

// readMessage returns the next text or binary message, answering pings and refusing
// protocol violations, a message over maxMsg bytes (ErrResponseTooLarge) and invalid UTF-8
// in a text message. idle bounds the wait for each frame.
func (c *wsConn) readMessage(idle time.Duration) ([]byte, error) {
	var msg []byte
	var opcode byte
	fragmented := false
	for {
		c.conn.SetReadDeadline(time.Now().Add(idle))
		var h [2]byte
		if _, err := io.ReadFull(c.br, h[:]); err != nil {
			return nil, fmt.Errorf("%w: push read: %w", ErrTransport, err)
		}
		fin, rsv, op := h[0]&0x80 != 0, h[0]&0x70, h[0]&0x0F
		masked, n := h[1]&0x80 != 0, uint64(h[1]&0x7F)
		if rsv != 0 {
			return nil, c.fail(1002, wsErr("reserved bits set"))
		}
		if masked {
			return nil, c.fail(1002, wsErr("server frame is masked"))
		}
		switch n {
		case 126:
			var b [2]byte
			if _, err := io.ReadFull(c.br, b[:]); err != nil {
				return nil, fmt.Errorf("%w: push read: %w", ErrTransport, err)
			}
			n = uint64(binary.BigEndian.Uint16(b[:]))
		case 127:
			var b [8]byte
			if _, err := io.ReadFull(c.br, b[:]); err != nil {
				return nil, fmt.Errorf("%w: push read: %w", ErrTransport, err)
			}
			n = binary.BigEndian.Uint64(b[:])
			if n>>63 != 0 {
				return nil, c.fail(1002, wsErr("frame length has the top bit set"))
			}
		}
		if op >= wsClose { // control frame
			if !fin || n > 125 {
				return nil, c.fail(1002, wsErr("fragmented or oversized control frame"))
			}
			payload := make([]byte, n)
			if _, err := io.ReadFull(c.br, payload); err != nil {
				return nil, fmt.Errorf("%w: push read: %w", ErrTransport, err)
			}
			switch op {
			case wsPing:
				if err := c.writeFrame(wsPong, payload, time.Now().Add(idle)); err != nil {
					return nil, err
				}
			case wsPong:
			case wsClose:
				ce := &CloseError{Code: 1005}
				if len(payload) == 1 {
					return nil, c.fail(1002, wsErr("close frame of 1 byte"))
				}
				if len(payload) >= 2 {
					ce.Code = int(binary.BigEndian.Uint16(payload))
					ce.Reason = string(payload[2:])
				}
				c.close(1000)
				return nil, ce
			default:
				return nil, c.fail(1002, wsErr("unknown control opcode %#x", op))
			}
			continue
		}
		switch {
		case op == wsContinuation && !fragmented:
			return nil, c.fail(1002, wsErr("continuation without a message"))
		case op != wsContinuation && fragmented:
			return nil, c.fail(1002, wsErr("new message inside a fragmented one"))
		case op != wsContinuation && op != wsText && op != wsBinary:
			return nil, c.fail(1002, wsErr("unknown opcode %#x", op))
		}
		if op != wsContinuation {
			opcode = op
		}
		if uint64(len(msg))+n > uint64(c.maxMsg) {
			c.close(1009)
			return nil, fmt.Errorf("%w: push message over %d bytes", ErrResponseTooLarge, c.maxMsg)
		}
		start := len(msg)
		msg = append(msg, make([]byte, n)...)
		if _, err := io.ReadFull(c.br, msg[start:]); err != nil {
			return nil, fmt.Errorf("%w: push read: %w", ErrTransport, err)
		}
		if !fin {
			fragmented = true
			continue
		}
		if opcode == wsText && !utf8.Valid(msg) {
			return nil, c.fail(1007, wsErr("text message is not UTF-8"))
		}
		return msg, nil
	}
}

// fail closes the connection with code and returns err.
func (c *wsConn) fail(code uint16, err error) error {
	c.close(code)
	return err
}

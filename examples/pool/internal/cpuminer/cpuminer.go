// Package cpuminer is a CPU miner that speaks both of the pool's stratum protocols, for
// the pool's tests and its demo: eth-proxy (eth_submitLogin, eth_getWork, eth_submitWork,
// work pushed as id-0 results) and EthereumStratum/1.0.0 (mining.subscribe,
// mining.authorize, mining.set_difficulty, mining.notify, mining.submit with the
// extranonce). It seals with ethash.Verifier.Search, so it is only for Ethash's test sizes.
package cpuminer

import (
	"bufio"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net"
	"strings"
	"sync"

	"github.com/mvsgo/mvs/ethash"
)

// Protocol selects the stratum dialect.
type Protocol int

// Protocols.
const (
	Proxy Protocol = iota // eth-proxy
	ES1                   // EthereumStratum/1.0.0
)

func (p Protocol) String() string {
	if p == ES1 {
		return "EthereumStratum/1.0.0"
	}
	return "eth-proxy"
}

// ErrRefused is a request the pool answered with an error (*RPCError wraps it).
var ErrRefused = errors.New("cpuminer: refused by the pool")

// RPCError is the pool's error answer.
type RPCError struct {
	Code    int
	Message string
}

func (e *RPCError) Error() string { return fmt.Sprintf("pool error %d: %s", e.Code, e.Message) }
func (e *RPCError) Unwrap() error { return ErrRefused }

// Work is the job the miner has: what the pool last sent.
type Work struct {
	JobID    string // EthereumStratum only
	SealHash [32]byte
	SeedHash [32]byte
	Target   [32]byte // big-endian: a share's result must not exceed it
	Epoch    uint64
	Clean    bool
	Seq      int // increments with every new job
}

// Solution is a found share.
type Solution struct {
	Work  Work
	Nonce uint64
	Mix   [32]byte
}

// Client is one connection to the pool.
type Client struct {
	nc    net.Conn
	proto Protocol
	login string
	exHex string
	v     *ethash.Verifier

	wmu    sync.Mutex // writes and nextID
	nextID int

	mu      sync.Mutex
	work    Work
	changed chan struct{} // closed and replaced when work changes
	waiting map[int]chan reply
	err     error
	diff    float64 // EthereumStratum difficulty
	nextSeq int     // the job Mine searches, and its next nonce
	next    uint64
	done    chan struct{}
}

type reply struct {
	result json.RawMessage
	err    error
}

// Dial connects and logs in as login (ADDRESS.worker) with password (may be empty). v
// seals (its Sizes must be the chain's).
func Dial(ctx context.Context, addr string, proto Protocol, login, password string, v *ethash.Verifier) (*Client, error) {
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	c := &Client{nc: nc, proto: proto, login: login, v: v, changed: make(chan struct{}), waiting: map[int]chan reply{}, done: make(chan struct{})}
	go c.readLoop()
	if err := c.handshake(ctx, password); err != nil {
		nc.Close()
		return nil, err
	}
	return c, nil
}

func (c *Client) handshake(ctx context.Context, password string) error {
	if c.proto == Proxy {
		var ok bool
		if err := c.Call(ctx, "eth_submitLogin", []string{c.login, password}, &ok); err != nil {
			return err
		}
		var w []string
		if err := c.Call(ctx, "eth_getWork", nil, &w); err != nil {
			return err
		}
		return c.setProxyWork(w)
	}
	var sub []json.RawMessage
	if err := c.Call(ctx, "mining.subscribe", []string{"cpuminer/1.0", "EthereumStratum/1.0.0"}, &sub); err != nil {
		return err
	}
	if len(sub) != 2 || json.Unmarshal(sub[1], &c.exHex) != nil || len(c.exHex) != 4 {
		return fmt.Errorf("cpuminer: mining.subscribe answered %s", sub)
	}
	var ok bool
	if err := c.Call(ctx, "mining.authorize", []string{c.login, password}, &ok); err != nil {
		return err
	}
	_, err := c.WaitWork(ctx, 0)
	return err
}

// Close ends the connection.
func (c *Client) Close() error { return c.nc.Close() }

// Done is closed when the connection has ended (the pool closed it, or Close).
func (c *Client) Done() <-chan struct{} { return c.done }

// Extranonce is the EthereumStratum nonce prefix the pool gave ("" for eth-proxy).
func (c *Client) Extranonce() string { return c.exHex }

// Call sends a request and waits for its answer, decoded into result.
func (c *Client) Call(ctx context.Context, method string, params []string, result any) error {
	if params == nil {
		params = []string{}
	}
	ch := make(chan reply, 1)
	c.wmu.Lock()
	c.nextID++
	id := c.nextID
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		c.wmu.Unlock()
		return c.err
	}
	c.waiting[id] = ch
	c.mu.Unlock()
	b, _ := json.Marshal(map[string]any{"id": id, "jsonrpc": "2.0", "method": method, "params": params})
	_, err := c.nc.Write(append(b, '\n'))
	c.wmu.Unlock()
	if err != nil {
		return err
	}
	select {
	case r := <-ch:
		if r.err != nil {
			return r.err
		}
		if result != nil {
			return json.Unmarshal(r.result, result)
		}
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// WriteRaw sends bytes as they are (tests of malformed input).
func (c *Client) WriteRaw(b []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_, err := c.nc.Write(b)
	return err
}

func (c *Client) readLoop() {
	defer close(c.done)
	r := bufio.NewReader(c.nc)
	for {
		line, err := r.ReadBytes('\n')
		if err != nil {
			c.mu.Lock()
			c.err = fmt.Errorf("cpuminer: connection: %w", err)
			for id, ch := range c.waiting {
				ch <- reply{err: c.err}
				delete(c.waiting, id)
			}
			c.mu.Unlock()
			return
		}
		var m struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
			Params json.RawMessage `json:"params"`
			Result json.RawMessage `json:"result"`
			Error  json.RawMessage `json:"error"`
		}
		if json.Unmarshal(line, &m) != nil {
			continue
		}
		if m.Method != "" {
			c.notice(m.Method, m.Params)
			continue
		}
		var id int
		if json.Unmarshal(m.ID, &id) != nil {
			continue
		}
		if id == 0 { // eth-proxy's pushed work
			var w []string
			if json.Unmarshal(m.Result, &w) == nil {
				c.setProxyWork(w)
			}
			continue
		}
		rep := reply{result: m.Result}
		if e := bytesTrim(m.Error); e != "" && e != "null" {
			rep.err = decodeErr(m.Error)
		}
		c.mu.Lock()
		ch := c.waiting[id]
		delete(c.waiting, id)
		c.mu.Unlock()
		if ch != nil {
			ch <- rep
		}
	}
}

func bytesTrim(b []byte) string { return strings.TrimSpace(string(b)) }

// decodeErr reads eth-proxy's {"code","message"} or EthereumStratum's [code, message, null].
func decodeErr(raw json.RawMessage) error {
	var o struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	if json.Unmarshal(raw, &o) == nil {
		return &RPCError{Code: o.Code, Message: o.Message}
	}
	var a []any
	if json.Unmarshal(raw, &a) == nil && len(a) >= 2 {
		code, _ := a[0].(float64)
		msg, _ := a[1].(string)
		return &RPCError{Code: int(code), Message: msg}
	}
	return &RPCError{Code: -1, Message: string(raw)}
}

func (c *Client) notice(method string, params json.RawMessage) {
	switch method {
	case "mining.set_difficulty":
		var p []float64
		if json.Unmarshal(params, &p) == nil && len(p) == 1 && p[0] > 0 {
			c.mu.Lock()
			c.diff = p[0]
			c.mu.Unlock()
		}
	case "mining.notify":
		var p []any
		if json.Unmarshal(params, &p) != nil || len(p) < 4 {
			return
		}
		id, _ := p[0].(string)
		seed, ok1 := hash(p[1])
		seal, ok2 := hash(p[2])
		clean, _ := p[3].(bool)
		if !ok1 || !ok2 {
			return
		}
		c.mu.Lock()
		diff := c.diff
		c.mu.Unlock()
		if diff <= 0 {
			return
		}
		// EthereumStratum difficulty 1 is 2^32 hashes.
		d, _ := new(big.Float).Mul(big.NewFloat(diff), big.NewFloat(1<<32)).Int(nil)
		if d.Sign() <= 0 {
			d.SetInt64(1)
		}
		var w Work
		w.JobID, w.SealHash, w.SeedHash, w.Clean = id, seal, seed, clean
		ethash.Boundary(d).FillBytes(w.Target[:])
		c.setWork(w)
	}
}

func hash(v any) ([32]byte, bool) {
	var h [32]byte
	s, _ := v.(string)
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil || len(b) != 32 {
		return h, false
	}
	copy(h[:], b)
	return h, true
}

func (c *Client) setProxyWork(p []string) error {
	if len(p) < 3 {
		return fmt.Errorf("cpuminer: work %q", p)
	}
	var w Work
	var ok [3]bool
	w.SealHash, ok[0] = hash(p[0])
	w.SeedHash, ok[1] = hash(p[1])
	w.Target, ok[2] = hash(p[2])
	if !ok[0] || !ok[1] || !ok[2] {
		return fmt.Errorf("cpuminer: work %q", p)
	}
	c.mu.Lock()
	same := c.work.SealHash == w.SealHash && c.work.Seq > 0
	c.mu.Unlock()
	if !same {
		c.setWork(w)
	}
	return nil
}

func (c *Client) setWork(w Work) {
	w.Epoch = epochOf(w.SeedHash)
	c.mu.Lock()
	w.Seq = c.work.Seq + 1
	c.work = w
	close(c.changed)
	c.changed = make(chan struct{})
	c.mu.Unlock()
}

func epochOf(seed [32]byte) uint64 {
	for e := uint64(0); e <= ethash.MaxEpoch; e++ {
		if ethash.SeedHash(e) == seed {
			return e
		}
	}
	return 0
}

// Work returns the current job.
func (c *Client) Work() Work {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.work
}

// WaitWork waits for a job newer than seq.
func (c *Client) WaitWork(ctx context.Context, seq int) (Work, error) {
	for {
		c.mu.Lock()
		w, ch, err := c.work, c.changed, c.err
		c.mu.Unlock()
		if w.Seq > seq {
			return w, nil
		}
		if err != nil {
			return w, err
		}
		select {
		case <-ch:
		case <-c.done:
		case <-ctx.Done():
			return w, ctx.Err()
		}
	}
}

// Find searches nonces for a share of w from start (within the extranonce's range for
// EthereumStratum).
func (c *Client) Find(ctx context.Context, w Work, start uint64) (Solution, error) {
	t := new(big.Int).SetBytes(w.Target[:])
	if t.Sign() == 0 {
		return Solution{}, errors.New("cpuminer: zero target")
	}
	// The largest difficulty whose boundary (2^256−1)/d does not exceed the target.
	max := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	d := new(big.Int).Quo(max, t)
	if d.Sign() == 0 {
		d.SetInt64(1)
	}
	count := uint64(0)
	if c.exHex != "" {
		ex, _ := hex.DecodeString(c.exHex)
		start = uint64(ex[0])<<56 | uint64(ex[1])<<48 | start&(1<<48-1)
		count = 1<<48 - start&(1<<48-1)
	}
	r, err := c.v.Search(ctx, w.Epoch*ethash.EpochLength, w.SealHash, d, start, count, 1)
	if err != nil {
		return Solution{}, err
	}
	return Solution{Work: w, Nonce: r.Nonce, Mix: r.Mix}, nil
}

// Submit sends a share and returns the pool's verdict (nil: accepted; an *RPCError:
// refused).
func (c *Client) Submit(ctx context.Context, s Solution) error {
	var ok bool
	var err error
	if c.proto == Proxy {
		err = c.Call(ctx, "eth_submitWork", []string{fmt.Sprintf("0x%016x", s.Nonce),
			"0x" + hex.EncodeToString(s.Work.SealHash[:]), "0x" + hex.EncodeToString(s.Mix[:])}, &ok)
	} else {
		err = c.Call(ctx, "mining.submit", []string{c.login, s.Work.JobID, fmt.Sprintf("%012x", s.Nonce&(1<<48-1))}, &ok)
	}
	if err == nil && !ok {
		err = &RPCError{Code: 20, Message: "answered false"}
	}
	return err
}

// Mine finds and submits shares on the current work until n are accepted or ctx ends;
// a stale share (the work moved) is not an error. It returns the shares accepted.
func (c *Client) Mine(ctx context.Context, n int) (int, error) {
	accepted := 0
	for accepted < n {
		w := c.Work()
		c.mu.Lock()
		if c.nextSeq != w.Seq {
			c.nextSeq, c.next = w.Seq, 0
		}
		start := c.next
		c.mu.Unlock()
		s, err := c.Find(ctx, w, start)
		if err != nil {
			return accepted, err
		}
		c.mu.Lock()
		if c.nextSeq == w.Seq {
			c.next = s.Nonce&(1<<48-1) + 1
		}
		c.mu.Unlock()
		err = c.Submit(ctx, s)
		var re *RPCError
		switch {
		case err == nil:
			accepted++
		case errors.As(err, &re) && re.Code == 21:
			// stale: new work arrives (or has arrived) by push
		default:
			return accepted, err
		}
	}
	return accepted, nil
}

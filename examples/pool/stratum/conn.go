package stratum

import (
	"bufio"
	"context"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/examples/pool/share"
)

type protocol uint8

const (
	protoUnknown protocol = iota
	protoProxy            // eth-proxy: eth_submitLogin, eth_getWork, eth_submitWork
	protoES1              // EthereumStratum/1.0.0: mining.subscribe, mining.notify, ...
)

// extranonceBytes is the nonce prefix an EthereumStratum connection gets, so that miners
// never search the same nonces.
const extranonceBytes = 2

type conn struct {
	s     *Server
	nc    net.Conn
	ip    string
	exHex string
	out   chan []byte
	done  chan struct{}

	mu                   sync.Mutex // the state below; taken after Server.mu, never before
	proto                protocol
	subscribed, authed   bool
	login, address, name string
	diffSent             float64
}

func (s *Server) newConn(nc net.Conn) *conn {
	ip := nc.RemoteAddr().String()
	if h, _, err := net.SplitHostPort(ip); err == nil {
		ip = h
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bannedLocked(ip, time.Now()) || len(s.conns) >= s.cfg.MaxConns || s.perIP[ip] >= s.cfg.MaxConnsPerIP {
		nc.Close()
		return nil
	}
	s.nextEx++
	c := &conn{s: s, nc: nc, ip: ip, exHex: fmt.Sprintf("%04x", s.nextEx), out: make(chan []byte, outbox), done: make(chan struct{})}
	s.conns[c] = struct{}{}
	s.perIP[ip]++
	s.nconns.Add(1)
	return c
}

func (c *conn) serve(ctx context.Context) {
	s := c.s
	var wg sync.WaitGroup
	wg.Go(c.writeLoop)
	linger := false
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		if s.perIP[c.ip]--; s.perIP[c.ip] <= 0 {
			delete(s.perIP, c.ip)
		}
		s.nconns.Add(-1)
		if w := s.workers[c.loginName()]; w != nil {
			w.conns--
		}
		s.mu.Unlock()
		close(c.done)
		wg.Wait()
		if tc, ok := c.nc.(*net.TCPConn); ok && linger {
			// Closing with unread input sends a reset, which can destroy the error reply
			// before the miner reads it: end our side, then drain a bounded amount.
			tc.CloseWrite()
			tc.SetReadDeadline(time.Now().Add(2 * time.Second))
			io.CopyN(io.Discard, tc, 64<<10)
		}
		c.nc.Close()
	}()
	r := bufio.NewReaderSize(c.nc, s.cfg.MaxLineBytes)
	for ctx.Err() == nil {
		c.nc.SetReadDeadline(time.Now().Add(s.cfg.IdleTimeout))
		line, err := r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			c.replyErr(json.RawMessage("null"), ErrLineTooLong)
			s.record(c, ErrMalformed, 0)
			linger = true
			return
		}
		if err != nil {
			return
		}
		if len(strings.TrimSpace(string(line))) == 0 {
			continue
		}
		req, err := ParseRequest(line)
		if err != nil {
			c.replyErr(json.RawMessage("null"), err)
			if s.record(c, err, 0) {
				return
			}
			continue
		}
		if !c.handle(ctx, req) {
			return
		}
	}
}

// writeLoop writes replies and notifications in order; when the connection ends it
// flushes what is queued (a last error reply) before the socket is closed.
func (c *conn) writeLoop() {
	write := func(b []byte) bool {
		c.nc.SetWriteDeadline(time.Now().Add(c.s.cfg.WriteTimeout))
		_, err := c.nc.Write(b)
		if err != nil {
			c.nc.Close()
		}
		return err == nil
	}
	for {
		select {
		case b := <-c.out:
			if !write(b) {
				return
			}
		case <-c.done:
			for {
				select {
				case b := <-c.out:
					if !write(b) {
						return
					}
				default:
					return
				}
			}
		}
	}
}

// send queues a line; a miner that does not read its replies is disconnected rather than
// buffered without bound.
func (c *conn) send(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		c.s.log.Error("encoding a reply", "err", err)
		return
	}
	b = append(b, '\n')
	select {
	case c.out <- b:
	default:
		c.s.log.Warn("miner not reading; disconnected", "ip", c.ip)
		c.nc.Close()
	}
}

type proxyReply struct {
	ID      json.RawMessage `json:"id"`
	JSONRPC string          `json:"jsonrpc"`
	Result  any             `json:"result"`
	Error   *proxyError     `json:"error,omitempty"`
}

type proxyError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

type es1Reply struct {
	ID     json.RawMessage `json:"id"`
	Result any             `json:"result"`
	Error  any             `json:"error"`
}

type es1Notice struct {
	ID     *int   `json:"id"`
	Method string `json:"method"`
	Params []any  `json:"params"`
}

func (c *conn) protocol() protocol {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.proto
}

func (c *conn) reply(id json.RawMessage, result any) {
	if c.protocol() == protoES1 {
		c.send(es1Reply{ID: id, Result: result})
		return
	}
	c.send(proxyReply{ID: id, JSONRPC: "2.0", Result: result})
}

func (c *conn) replyErr(id json.RawMessage, err error) {
	msg := err.Error()
	if c.protocol() == protoES1 {
		c.send(es1Reply{ID: id, Error: []any{Code(err), msg, nil}})
		return
	}
	c.send(proxyReply{ID: id, JSONRPC: "2.0", Result: false, Error: &proxyError{Code: Code(err), Message: msg}})
}

// setProto fixes the connection's protocol at its first request.
func (c *conn) setProto(p protocol) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.proto != protoUnknown && c.proto != p {
		return errorf(ErrMalformed, "a method of the other protocol")
	}
	c.proto = p
	return nil
}

// handle answers one request; false closes the connection.
func (c *conn) handle(ctx context.Context, req *Request) bool {
	var err error
	switch req.Method {
	case "eth_submitLogin":
		if err = c.setProto(protoProxy); err == nil {
			err = c.authorize(req.Params, req.Worker)
		}
		if err == nil {
			c.reply(req.ID, true)
		}
	case "eth_getWork":
		if err = c.setProto(protoProxy); err == nil {
			err = c.need(false)
		}
		if err == nil {
			j := c.s.CurrentJob()
			if j == nil {
				err = ErrNoWork
			} else {
				c.reply(req.ID, proxyWork(j))
			}
		}
	case "eth_submitHashrate", "mining.hashrate":
		// ethminer reports its hashrate with eth_submitHashrate on either protocol.
		if err = c.need(false); err == nil {
			err = c.hashrate(req.Params)
		}
		if err == nil {
			c.reply(req.ID, true)
		}
	case "eth_submitWork":
		if err = c.setProto(protoProxy); err == nil {
			return c.submitProxy(ctx, req)
		}
	case "mining.subscribe":
		if err = c.setProto(protoES1); err == nil {
			c.mu.Lock()
			c.subscribed = true
			c.mu.Unlock()
			c.reply(req.ID, []any{[]string{"mining.notify", c.exHex + "0000", "EthereumStratum/1.0.0"}, c.exHex})
		}
	case "mining.extranonce.subscribe":
		if err = c.setProto(protoES1); err == nil {
			c.reply(req.ID, true)
		}
	case "mining.authorize":
		if err = c.setProto(protoES1); err == nil {
			err = c.need(true)
			if errors.Is(err, ErrUnauthorized) {
				err = c.authorize(req.Params, "")
			}
		}
		if err == nil {
			c.reply(req.ID, true)
			if j := c.s.CurrentJob(); j != nil {
				c.notify(j, true)
			}
		}
	case "mining.submit":
		if err = c.setProto(protoES1); err == nil {
			return c.submitES1(ctx, req)
		}
	default:
		err = errorf(ErrUnknownMethod, "%q", req.Method)
	}
	if err != nil {
		c.replyErr(req.ID, err)
		if c.s.record(c, err, 0) || errors.Is(err, ErrBanned) {
			return false
		}
	}
	return true
}

// need checks the connection's state: subscribed (EthereumStratum) and logged in.
func (c *conn) need(subscribe bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if subscribe && !c.subscribed {
		return ErrNotSubscribed
	}
	if !c.authed {
		return ErrUnauthorized
	}
	return nil
}

// authorize logs a worker in: params are [ADDRESS[.worker], password].
func (c *conn) authorize(params []string, worker string) error {
	s := c.s
	if len(params) < 1 {
		return errorf(ErrMalformed, "login: no address")
	}
	if s.cfg.Password != "" && (len(params) < 2 || subtle.ConstantTimeCompare([]byte(params[1]), []byte(s.cfg.Password)) != 1) {
		return errorf(ErrUnauthorized, "wrong password")
	}
	addr, name, _ := strings.Cut(params[0], ".")
	if name == "" {
		name = worker
	}
	if name == "" {
		name = "default"
	}
	if !validWorker(name) {
		return errorf(ErrMalformed, "worker name %.40q: want 1-32 of A-Z a-z 0-9 _ -", name)
	}
	a, err := mvs.DecodeAddress(addr, s.cfg.Params)
	if err != nil {
		return errorf(ErrUnauthorized, "login %.40q is not a %s address: %v", addr, s.cfg.Params.Name, err)
	}
	addr = a.String()
	login := addr + "." + name
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bannedLocked(addr, time.Now()) {
		return ErrBanned
	}
	w, err := s.workerLocked(login, addr, name, time.Now())
	if err != nil {
		return err
	}
	c.mu.Lock()
	if old := s.workers[c.login]; c.login != "" && old != nil {
		old.conns--
	}
	c.login, c.address, c.name, c.authed = login, addr, name, true
	c.mu.Unlock()
	w.conns++
	return nil
}

func validWorker(n string) bool {
	if len(n) == 0 || len(n) > 32 {
		return false
	}
	for _, r := range n {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

func (c *conn) hashrate(params []string) error {
	if len(params) < 1 {
		return errorf(ErrMalformed, "eth_submitHashrate: no rate")
	}
	r, err := strconv.ParseUint(strings.TrimPrefix(params[0], "0x"), 16, 64)
	if err != nil {
		return errorf(ErrMalformed, "eth_submitHashrate: rate %.40q", params[0])
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	if w := c.s.workers[c.loginName()]; w != nil {
		w.stats.Reported = r
	}
	return nil
}

func (c *conn) loginName() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.login
}

// ident is the connection's login and address ("" before a login).
func (c *conn) ident() (login, address string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.login, c.address
}

func proxyWork(j *share.Job) []string {
	return []string{"0x" + hex.EncodeToString(j.SealHash[:]), "0x" + hex.EncodeToString(j.SeedHash[:]), "0x" + hex.EncodeToString(j.Target[:])}
}

// es1Difficulty is EthereumStratum's difficulty: 1 is 2^32 hashes.
func es1Difficulty(j *share.Job) float64 { return j.Hashes() / (1 << 32) }

// notify sends a logged-in miner a new job: eth-proxy's pushed getWork result, or
// EthereumStratum's mining.set_difficulty (when it changed) and mining.notify.
func (c *conn) notify(j *share.Job, clean bool) {
	c.mu.Lock()
	proto, authed := c.proto, c.authed
	sendDiff := proto == protoES1 && c.diffSent != es1Difficulty(j)
	if sendDiff {
		c.diffSent = es1Difficulty(j)
	}
	c.mu.Unlock()
	if !authed {
		return
	}
	switch proto {
	case protoProxy:
		c.send(proxyReply{ID: json.RawMessage("0"), JSONRPC: "2.0", Result: proxyWork(j)})
	case protoES1:
		if sendDiff {
			c.send(es1Notice{Method: "mining.set_difficulty", Params: []any{es1Difficulty(j)}})
		}
		c.send(es1Notice{Method: "mining.notify", Params: []any{j.ID, hex.EncodeToString(j.SeedHash[:]), hex.EncodeToString(j.SealHash[:]), clean}})
	}
}

// submitProxy takes eth_submitWork's [nonce, pow hash, mix digest].
func (c *conn) submitProxy(ctx context.Context, req *Request) bool {
	if len(req.Params) != 3 {
		return c.finish(ctx, req.ID, errorf(ErrMalformed, "eth_submitWork: want nonce, pow hash, mix digest"), nil, 0, [32]byte{}, false)
	}
	nb, ok1 := hex0x(req.Params[0], 8)
	seal, ok2 := hash32(req.Params[1])
	mix, ok3 := hash32(req.Params[2])
	if !ok1 || !ok2 || !ok3 {
		return c.finish(ctx, req.ID, errorf(ErrMalformed, "eth_submitWork: want 0x+16 hex nonce, 0x+64 hex hashes"), nil, 0, [32]byte{}, false)
	}
	nonce := nonce64(nb)
	return c.finish(ctx, req.ID, nil, func(j *share.Job) bool { return j.SealHash == seal }, nonce, mix, true)
}

// submitES1 takes mining.submit's [login, job id, nonce without the extranonce].
func (c *conn) submitES1(ctx context.Context, req *Request) bool {
	if len(req.Params) < 3 {
		return c.finish(ctx, req.ID, errorf(ErrMalformed, "mining.submit: want login, job id, nonce"), nil, 0, [32]byte{}, false)
	}
	if err := c.need(true); err != nil {
		return c.finish(ctx, req.ID, err, nil, 0, [32]byte{}, false)
	}
	id := req.Params[1]
	n := strings.TrimPrefix(req.Params[2], "0x")
	switch {
	case len(n) == 16-2*extranonceBytes:
		n = c.exHex + n
	case len(n) == 16 && strings.EqualFold(n[:2*extranonceBytes], c.exHex):
	default:
		return c.finish(ctx, req.ID, errorf(ErrMalformed, "mining.submit: nonce %.40q: want %d hex digits after the extranonce %s", n, 16-2*extranonceBytes, c.exHex), nil, 0, [32]byte{}, false)
	}
	nb, ok := hex0x(n, 8)
	if !ok {
		return c.finish(ctx, req.ID, errorf(ErrMalformed, "mining.submit: nonce is not hex"), nil, 0, [32]byte{}, false)
	}
	return c.finish(ctx, req.ID, nil, func(j *share.Job) bool { return j.ID == id }, nonce64(nb), [32]byte{}, false)
}

// finish checks a share (unless err already refused it), submits a block, counts and
// answers; false closes the connection (banned).
func (c *conn) finish(ctx context.Context, id json.RawMessage, err error, match func(*share.Job) bool, nonce uint64, mix [32]byte, hasMix bool) bool {
	s := c.s
	diff := 0.0
	if err == nil {
		err = c.need(false)
	}
	if err == nil {
		c.mu.Lock()
		addr := c.address
		c.mu.Unlock()
		if s.Banned(addr) {
			err = ErrBanned
		}
	}
	if err == nil {
		var j *share.Job
		j, err = s.lookup(match, nonce)
		if err == nil {
			v := s.check(ctx, share.Share{Job: j, Nonce: nonce, Mix: mix, HasMix: hasMix})
			err, diff = v.Err, j.Hashes()
			if errors.Is(err, ErrBadMix) || errors.Is(err, ErrLowDifficulty) {
				s.forget(j, nonce)
			}
			if err == nil && v.Block {
				s.submitBlock(ctx, c, j, nonce, v.Mix)
			}
		}
	}
	if err != nil && !isShareErr(err) {
		// The pool's fault (closing, a Verifier error): not the miner's, not counted.
		s.log.Error("share not checked", "err", err)
		c.replyErr(id, fmt.Errorf("stratum: internal error: %w", err))
		return true
	}
	banned := s.record(c, err, diff)
	if err != nil {
		c.replyErr(id, err)
	} else {
		c.reply(id, true)
	}
	return !banned && !errors.Is(err, ErrBanned)
}

func isShareErr(err error) bool {
	for _, e := range []error{ErrStale, ErrDuplicate, ErrLowDifficulty, ErrBadMix, ErrMalformed, ErrUnauthorized, ErrNotSubscribed, ErrBanned} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

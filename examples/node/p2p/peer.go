package p2p

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mvsgo/mvs/wire"
)

// Penalties added to a peer IP's misbehaviour score; at BanThreshold the IP is banned.
// The reference scores nothing (its ban score is dead code) and bans only for a wrong
// magic; here every fault it disconnects for also counts, so a peer that keeps
// reconnecting to repeat one ends up banned.
const (
	BanThreshold        = 100
	PenaltyBadMagic     = BanThreshold // banned at once, as the reference does
	PenaltyMalformed    = 50           // zero header, bad command, oversize, bad checksum, bad payload
	PenaltyUnknown      = 20           // a command mvsd does not map (modern clients send some)
	PenaltyProtocol     = 20           // message out of order, tx inv while we do not relay
	PenaltyUnrequested  = 20           // block or tx we did not ask for
	PenaltyFlood        = 10           // per message beyond a token-bucket rate
	maxRequested        = 10_000       // getdata entries tracked per peer
	maxAddrStoredPerMsg = 1000         // addr entries taken from one message
	maxUserAgent        = 256          // bytes of the peer's user agent kept (Bitcoin's cap)
)

// Stats are a peer's counters.
type Stats struct {
	ConnectedAt   time.Time
	BytesSent     uint64
	BytesReceived uint64
	MsgsSent      uint64
	MsgsReceived  uint64
	LastSend      time.Time
	LastRecv      time.Time
	// PingRTT is the round trip of the last answered ping (0 before one).
	PingRTT time.Duration
	// QueuedMsgs and QueuedBytes are what waits in the send queue: a node serving blocks
	// should keep QueuedBytes well under Config.MaxQueueBytes.
	QueuedMsgs  int
	QueuedBytes int
}

// Peer is one TCP connection to another node, created by a Server. Its methods are safe
// for concurrent use.
type Peer struct {
	s       *Server
	id      uint64
	conn    net.Conn
	addr    netip.AddrPort
	inbound bool
	manual  bool
	nonce   uint64 // the nonce of the version we send
	log     *slog.Logger

	ctx    context.Context
	cancel context.CancelFunc
	ready  chan struct{} // closed when the handshake completed and the server counts us
	done   chan struct{}
	wake   chan struct{}

	pver atomic.Uint32

	mu          sync.Mutex
	err         error
	version     *wire.MsgVersion
	queue       [][]byte
	queueBytes  int
	requested   map[wire.InvVect]struct{}
	untracked   bool // requested overflowed: the unrequested check is off until it drains
	pingPending bool
	pingNonce   uint64
	pingSent    time.Time
	pingRTT     time.Duration
	answeredGet bool

	connectedAt time.Time
	bytesSent   atomic.Uint64
	bytesRecv   atomic.Uint64
	msgsSent    atomic.Uint64
	msgsRecv    atomic.Uint64
	lastSend    atomic.Int64
	lastRecv    atomic.Int64
}

// randUint64 draws from crypto/rand, which cannot fail on supported platforms.
func randUint64() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return binary.LittleEndian.Uint64(b[:])
}

// ID is unique among the peers of one Server.
func (p *Peer) ID() uint64 { return p.id }

// Addr is the remote IP:port.
func (p *Peer) Addr() netip.AddrPort { return p.addr }

// Inbound reports whether the remote side connected to us.
func (p *Peer) Inbound() bool { return p.inbound }

// Manual reports whether the peer was added with AddPeer (kept reconnecting).
func (p *Peer) Manual() bool { return p.manual }

// Version is a copy of the peer's version message (start height, user agent, relay
// flag, services), or nil before it arrived.
func (p *Peer) Version() *wire.MsgVersion {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.version == nil {
		return nil
	}
	v := *p.version
	return &v
}

// ProtocolVersion is the negotiated version: min(70012, the peer's).
func (p *Peer) ProtocolVersion() uint32 { return p.pver.Load() }

// Done is closed when the peer's goroutines have all ended.
func (p *Peer) Done() <-chan struct{} { return p.done }

// Err is why the peer was disconnected, nil while it is connected.
func (p *Peer) Err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// Stats returns the peer's counters.
func (p *Peer) Stats() Stats {
	p.mu.Lock()
	rtt, qm, qb := p.pingRTT, len(p.queue), p.queueBytes
	p.mu.Unlock()
	unix := func(ns int64) time.Time {
		if ns == 0 {
			return time.Time{}
		}
		return time.Unix(0, ns)
	}
	return Stats{ConnectedAt: p.connectedAt, BytesSent: p.bytesSent.Load(), BytesReceived: p.bytesRecv.Load(),
		MsgsSent: p.msgsSent.Load(), MsgsReceived: p.msgsRecv.Load(),
		LastSend: unix(p.lastSend.Load()), LastRecv: unix(p.lastRecv.Load()),
		PingRTT: rtt, QueuedMsgs: qm, QueuedBytes: qb}
}

// String is "inbound 1.2.3.4:5251" or "outbound ...".
func (p *Peer) String() string {
	if p.inbound {
		return "inbound " + p.addr.String()
	}
	return "outbound " + p.addr.String()
}

// Disconnect closes the connection; reason (nil means ErrDisconnected) becomes Err unless
// an earlier reason was recorded. It does not wait: use Done.
func (p *Peer) Disconnect(reason error) {
	if reason == nil {
		reason = ErrDisconnected
	}
	p.setErr(reason)
	p.cancel()
}

// setErr records the first reason. After the context ended for another cause (server
// closing), the read error that follows is only a symptom: record ErrDisconnected.
func (p *Peer) setErr(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return
	}
	if p.ctx.Err() != nil && !errors.Is(err, ErrDisconnected) {
		p.err = ErrDisconnected
		return
	}
	p.err = err
}

// Misbehave adds points to the score of the peer's IP (the node calls it for an invalid
// block or tx, for example). At BanThreshold the IP is banned for Config.BanDuration and
// every connection from it is closed with a *MisbehaviorError.
func (p *Peer) Misbehave(points int, why string) {
	p.misbehave(points, why, nil)
}

func (p *Peer) misbehave(points int, why string, cause error) {
	if points <= 0 {
		return
	}
	score := p.s.addScore(p.addr.Addr(), points)
	p.log.Debug("misbehaving", "points", points, "score", score, "why", why)
	if score >= BanThreshold {
		p.s.banMisbehaving(p.addr.Addr(), &MisbehaviorError{Score: score, Reason: why, Err: cause})
	}
}

// Send queues msg without blocking. It fails with ErrQueueFull, and disconnects the peer,
// when the queue would exceed Config.MaxQueueMsgs or MaxQueueBytes; with ErrDisconnected
// after the peer is gone; or with the encoding error of a message too large to send.
// A getdata sent here is remembered so that the block or tx it asks for is accepted.
func (p *Peer) Send(msg wire.Message) error {
	b, err := wire.AppendMessage(nil, msg, p.pver.Load(), p.s.cfg.Params.Magic)
	if err != nil {
		return fmt.Errorf("p2p: encoding %s: %w", msg.Command(), err)
	}
	p.mu.Lock()
	if p.err != nil || p.ctx.Err() != nil {
		p.mu.Unlock()
		return ErrDisconnected
	}
	if len(p.queue)+1 > p.s.cfg.MaxQueueMsgs || p.queueBytes+len(b) > p.s.cfg.MaxQueueBytes {
		n, nb := len(p.queue), p.queueBytes
		p.mu.Unlock()
		err := fmt.Errorf("%w: %d messages, %d bytes queued", ErrQueueFull, n, nb)
		p.Disconnect(err)
		return err
	}
	if gd, ok := msg.(*wire.MsgGetData); ok {
		for _, iv := range gd.InvList {
			if len(p.requested) >= maxRequested {
				p.untracked = true
				break
			}
			p.requested[iv] = struct{}{}
		}
	}
	p.queue = append(p.queue, b)
	p.queueBytes += len(b)
	p.mu.Unlock()
	select {
	case p.wake <- struct{}{}:
	default:
	}
	return nil
}

// run is the peer's life: handshake, then the read loop, while writeLoop and pingLoop
// run beside it; it returns after all of them ended.
func (p *Peer) run() {
	defer close(p.done)
	stop := context.AfterFunc(p.ctx, func() { p.conn.Close() })
	defer stop()
	var wg sync.WaitGroup
	err := p.handshake()
	ready := false
	if err == nil {
		wg.Go(p.writeLoop)
		err = p.s.peerReady(p)
		ready = err == nil
	}
	if ready {
		close(p.ready)
		if l := p.s.cfg.MaxLifetime; l > 0 {
			life := l/2 + time.Duration(randUint64()%uint64(l/2+1))
			t := time.AfterFunc(life, func() { p.Disconnect(fmt.Errorf("%w after %v", ErrExpired, life)) })
			defer t.Stop()
		}
		wg.Go(p.pingLoop)
		p.s.cfg.Handler.OnReady(p)
		err = p.readLoop()
	}
	p.Disconnect(err)
	wg.Wait()
	p.conn.Close()
	p.s.removePeer(p)
	p.log.Debug("peer done", "err", p.Err())
	if ready {
		p.s.cfg.Handler.OnDone(p, p.Err())
	}
}

// handshake sends our version (written directly, before the write loop starts, so it is on
// the wire before we could close for a self-connection) and waits for the peer's version
// and verack within HandshakeTimeout.
func (p *Peer) handshake() error {
	cfg := &p.s.cfg
	deadline := time.Now().Add(cfg.HandshakeTimeout)
	_ = p.conn.SetDeadline(deadline)
	v := &wire.MsgVersion{
		ProtocolVersion: wire.ProtocolVersion, Services: cfg.Services,
		Timestamp: uint64(time.Now().Unix()), AddrRecv: wire.NewNetAddress(p.addr, 1),
		AddrFrom: wire.NewNetAddress(netip.AddrPortFrom(netip.IPv4Unspecified(), 0), 0),
		Nonce:    p.nonce, UserAgent: cfg.UserAgent, Relay: !cfg.NoRelay,
	}
	if cfg.StartHeight != nil {
		v.StartHeight = cfg.StartHeight()
	}
	if err := p.write(v, wire.ProtocolVersion); err != nil {
		return p.netErr(err, ErrHandshakeTimeout)
	}
	gotVersion, gotVerAck := false, false
	for !gotVersion || !gotVerAck {
		msg, err := p.read()
		if err != nil {
			return p.netErr(err, ErrHandshakeTimeout)
		}
		switch m := msg.(type) {
		case *wire.MsgVersion:
			if gotVersion {
				return p.protocolError("second version")
			}
			gotVersion = true
			if m.ProtocolVersion < wire.BIP0031Version {
				return fmt.Errorf("%w: %d", ErrObsoleteVersion, m.ProtocolVersion)
			}
			if other := p.s.nonceOwner(m.Nonce); other != nil {
				// Both ends are ours: end the other one too, with the same reason,
				// before it could miss the nonce (we forget it once we are gone).
				if other != p {
					other.Disconnect(ErrSelfConnection)
				}
				return ErrSelfConnection
			}
			if len(m.UserAgent) > maxUserAgent {
				// mvsd bounds it by nothing; keep only what identifies a client.
				m.UserAgent = m.UserAgent[:maxUserAgent]
			}
			p.mu.Lock()
			p.version = m
			p.mu.Unlock()
			p.pver.Store(min(wire.ProtocolVersion, m.ProtocolVersion))
			if err := p.write(&wire.MsgVerAck{}, p.pver.Load()); err != nil {
				return p.netErr(err, ErrHandshakeTimeout)
			}
		case *wire.MsgVerAck:
			if !gotVersion || gotVerAck {
				return p.protocolError("verack out of order")
			}
			gotVerAck = true
		default:
			return p.protocolError(msg.Command() + " before the handshake completed")
		}
	}
	_ = p.conn.SetDeadline(time.Time{})
	return nil
}

func (p *Peer) protocolError(what string) error {
	err := fmt.Errorf("%w: %s", ErrProtocol, what)
	p.misbehave(PenaltyProtocol, what, err)
	return err
}

// netErr maps a deadline to the named timeout error.
func (p *Peer) netErr(err, timeout error) error {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("%w: %v", timeout, err)
	}
	return err
}

// write frames and writes one message directly (handshake only).
func (p *Peer) write(msg wire.Message, pver uint32) error {
	b, err := wire.AppendMessage(nil, msg, pver, p.s.cfg.Params.Magic)
	if err != nil {
		return err
	}
	return p.writeBytes(b)
}

func (p *Peer) writeBytes(b []byte) error {
	n, err := p.conn.Write(b)
	p.bytesSent.Add(uint64(n))
	if err != nil {
		return err
	}
	p.msgsSent.Add(1)
	p.lastSend.Store(time.Now().UnixNano())
	return nil
}

// read reads one message and scores framing faults; the caller disconnects on any error.
func (p *Peer) read() (wire.Message, error) {
	msg, payload, err := wire.ReadMessage(p.conn, p.pver.Load(), p.s.cfg.Params.Magic)
	if payload != nil || msg != nil {
		p.bytesRecv.Add(uint64(wire.HeaderSize + len(payload)))
	}
	if err != nil {
		p.penalize(err)
		return nil, err
	}
	p.msgsRecv.Add(1)
	p.lastRecv.Store(time.Now().UnixNano())
	return msg, nil
}

// penalize scores a read error. A closed or timed-out connection is not the peer's fault.
func (p *Peer) penalize(err error) {
	var de *wire.DecodeError
	switch {
	case errors.Is(err, wire.ErrBadMagic):
		p.misbehave(PenaltyBadMagic, "wrong network magic", err)
	case errors.Is(err, wire.ErrUnknownCommand):
		p.misbehave(PenaltyUnknown, "unknown command", err)
	case errors.Is(err, wire.ErrZeroHeader), errors.Is(err, wire.ErrMalformedCommand),
		errors.Is(err, wire.ErrPayloadTooLarge), errors.Is(err, wire.ErrBadChecksum),
		errors.Is(err, wire.ErrVersionTooLow), errors.Is(err, wire.ErrInvalidValue),
		errors.As(err, &de):
		p.misbehave(PenaltyMalformed, "malformed message", err)
	}
}

// writeLoop drains the send queue.
func (p *Peer) writeLoop() {
	for {
		select {
		case <-p.ctx.Done():
			return
		case <-p.wake:
		}
		for {
			p.mu.Lock()
			if len(p.queue) == 0 {
				p.mu.Unlock()
				break
			}
			b := p.queue[0]
			p.queue[0] = nil
			p.queue = p.queue[1:]
			p.queueBytes -= len(b)
			p.mu.Unlock()
			_ = p.conn.SetWriteDeadline(time.Now().Add(p.s.cfg.WriteTimeout))
			if err := p.writeBytes(b); err != nil {
				p.Disconnect(p.netErr(err, ErrIdleTimeout))
				return
			}
		}
	}
}

// pingLoop pings right after the handshake and then every PingInterval; a ping still
// unanswered at the next tick is left alone (the inactivity timeout ends a dead peer).
func (p *Peer) pingLoop() {
	t := time.NewTicker(p.s.cfg.PingInterval)
	defer t.Stop()
	for {
		p.mu.Lock()
		var nonce uint64
		send := !p.pingPending
		if send {
			nonce = randUint64()
			p.pingPending, p.pingNonce, p.pingSent = true, nonce, time.Now()
		}
		p.mu.Unlock()
		if send {
			if err := p.Send(&wire.MsgPing{Nonce: nonce}); err != nil {
				return
			}
		}
		select {
		case <-p.ctx.Done():
			return
		case <-t.C:
		}
	}
}

// readLoop reads until an error; every message must arrive within IdleTimeout.
func (p *Peer) readLoop() error {
	cfg := &p.s.cfg
	now := time.Now()
	inv, getdata := newBucket(cfg.InvRate, now), newBucket(cfg.GetDataRate, now)
	txs, addrs := newBucket(cfg.TxRate, now), newBucket(cfg.AddrRate, now)
	h := cfg.Handler
	for {
		if p.ctx.Err() != nil { // banned or disconnected while handling the last message
			return ErrDisconnected
		}
		_ = p.conn.SetReadDeadline(time.Now().Add(cfg.IdleTimeout))
		msg, err := p.read()
		if err != nil {
			return p.netErr(err, ErrIdleTimeout)
		}
		now := time.Now()
		switch m := msg.(type) {
		case *wire.MsgVersion, *wire.MsgVerAck:
			return p.protocolError("second " + msg.Command())
		case *wire.MsgPing:
			if err := p.Send(&wire.MsgPong{Nonce: m.Nonce}); err != nil {
				return err
			}
		case *wire.MsgPong:
			p.mu.Lock()
			ok := p.pingPending && m.Nonce == p.pingNonce
			if ok {
				p.pingPending = false
				p.pingRTT = now.Sub(p.pingSent)
			}
			p.mu.Unlock()
			if !ok {
				return fmt.Errorf("%w: got %d", ErrPongMismatch, m.Nonce)
			}
		case *wire.MsgInv:
			if !inv.take(len(m.InvList), now) {
				p.misbehave(PenaltyFlood, "inv flood", nil)
				continue
			}
			if cfg.NoRelay {
				for _, iv := range m.InvList {
					if iv.Type == wire.InvTypeTx {
						// The reference disconnects a peer announcing txs after we
						// asked for none (relay=0 in our version).
						return p.protocolError("tx inv while relay is off")
					}
				}
			}
			h.OnInv(p, m)
		case *wire.MsgGetData:
			if !getdata.take(len(m.InvList), now) {
				p.misbehave(PenaltyFlood, "getdata flood", nil)
				continue
			}
			h.OnGetData(p, m)
		case *wire.MsgTx:
			if !txs.take(1, now) {
				p.misbehave(PenaltyFlood, "tx flood", nil)
				continue
			}
			if !p.wasRequested(wire.InvVect{Type: wire.InvTypeTx, Hash: m.Tx.Hash()}) {
				p.misbehave(PenaltyUnrequested, "unrequested tx", nil)
				continue
			}
			h.OnTx(p, m)
		case *wire.MsgBlock:
			if !p.wasRequested(wire.InvVect{Type: wire.InvTypeBlock, Hash: m.Block.Hash()}) {
				p.misbehave(PenaltyUnrequested, "unrequested block", nil)
				continue
			}
			h.OnBlock(p, m)
		case *wire.MsgNotFound:
			p.mu.Lock()
			for _, iv := range m.InvList {
				delete(p.requested, iv)
			}
			p.mu.Unlock()
			h.OnNotFound(p, m)
		case *wire.MsgAddr:
			if !addrs.take(len(m.AddrList), now) {
				p.misbehave(PenaltyFlood, "addr flood", nil)
				continue
			}
			list := m.AddrList[:min(len(m.AddrList), maxAddrStoredPerMsg)]
			p.s.book.Add(list...)
			h.OnAddr(p, m)
		case *wire.MsgGetAddr:
			p.mu.Lock()
			first := !p.answeredGet
			p.answeredGet = true
			p.mu.Unlock()
			if !first {
				continue // answered at most once per connection, as the reference
			}
			if sample := p.s.book.Sample(); len(sample) > 0 {
				if err := p.Send(&wire.MsgAddr{AddrList: sample}); err != nil {
					return err
				}
			}
			h.OnGetAddr(p, m)
		case *wire.MsgHeaders:
			h.OnHeaders(p, m)
		case *wire.MsgGetHeaders:
			h.OnGetHeaders(p, m)
		case *wire.MsgGetBlocks:
			h.OnGetBlocks(p, m)
		case *wire.MsgMemPool:
			h.OnMemPool(p, m)
		default:
			h.OnMessage(p, m)
		}
	}
}

// wasRequested consumes iv from the getdata requests; with tracking overflowed it accepts.
func (p *Peer) wasRequested(iv wire.InvVect) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.requested[iv]; ok {
		delete(p.requested, iv)
		if len(p.requested) == 0 {
			p.untracked = false
		}
		return true
	}
	return p.untracked
}

package p2p

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/wire"
)

// Config configures a Server. Zero fields take the defaults named on them, which are the
// reference node's where it has one.
type Config struct {
	// Params selects the network: its Magic frames every message and its DefaultPort is
	// the default listen port. Required.
	Params *mvs.Params
	// Listen is the address to accept on (default 127.0.0.1:<DefaultPort>: a node is not
	// reachable from outside unless configured). NoListen turns accepting off.
	Listen   string
	NoListen bool
	// MaxInbound (default 32) and MaxOutbound (default 8) bound the connections. An
	// inbound one is accepted while inbound < MaxInbound and all connections <
	// MaxInbound+MaxOutbound (the reference checks only the second, which lets inbound
	// peers take every outbound slot). Manual peers (AddPeer) are not counted in
	// MaxOutbound.
	MaxInbound  int
	MaxOutbound int
	// BanFile and AddrFile persist the ban list (JSON) and the address book (ip:port per
	// line); empty keeps them in memory.
	BanFile  string
	AddrFile string
	// AddrCapacity bounds the address book (default 1000, host_pool_capacity).
	AddrCapacity int
	// AllowLocal lets loopback and private addresses into the address book (tests,
	// private networks).
	AllowLocal bool
	// BanDuration is how long a misbehaving IP stays banned (default 24 h).
	BanDuration time.Duration
	// UserAgent (default "/mvsgo:0.1/"), Services (default 1, NODE_NETWORK), NoRelay
	// (relay byte 0: peers must not announce txs) and StartHeight (our best height, read
	// at each handshake; nil sends 0) fill our version message.
	UserAgent   string
	Services    uint64
	NoRelay     bool
	StartHeight func() uint32
	// Handler receives the peers' messages (default NoopHandler).
	Handler Handler
	// Logger (default: discard).
	Logger *slog.Logger
	// HandshakeTimeout (default 30 s), IdleTimeout (no message received; default 10 min),
	// PingInterval (default 5 min), WriteTimeout (one message; default 2 min), DialTimeout
	// (default 5 s).
	HandshakeTimeout time.Duration
	IdleTimeout      time.Duration
	PingInterval     time.Duration
	WriteTimeout     time.Duration
	DialTimeout      time.Duration
	// MaxLifetime drops every connection after a random time between MaxLifetime/2 and
	// MaxLifetime (default 24 h, the reference's 12-24 h channel expiration); negative
	// keeps connections for ever.
	MaxLifetime time.Duration
	// MaxQueueMsgs (default 500, the reference's rule) and MaxQueueBytes (default 32 MiB;
	// at least one largest message) bound each peer's send queue; past either the peer is
	// dropped.
	MaxQueueMsgs  int
	MaxQueueBytes int
	// Per-peer token buckets, counted in entries (inv, getdata, addr) or messages (tx).
	// Each message beyond its bucket is dropped and scores PenaltyFlood. Defaults: inv and
	// getdata 50,000 burst (one full message) and 5,000/s; tx 1,000 burst and 200/s; addr
	// 2,000 burst and 10/s.
	InvRate     Rate
	GetDataRate Rate
	TxRate      Rate
	AddrRate    Rate
	// ManualPeers are added with AddPeer when the server is made ("ip:port" or
	// "host:port", the reference's addnode list).
	ManualPeers []string
	// RetryMin and RetryMax bound the reconnect backoff of manual peers (defaults 1 s and
	// 5 min).
	RetryMin time.Duration
	RetryMax time.Duration
}

func (c *Config) setDefaults() error {
	if c.Params == nil {
		return fmt.Errorf("%w: Params is required", ErrInvalidConfig)
	}
	for name, v := range map[string]int64{"MaxInbound": int64(c.MaxInbound), "MaxOutbound": int64(c.MaxOutbound),
		"AddrCapacity": int64(c.AddrCapacity), "MaxQueueMsgs": int64(c.MaxQueueMsgs), "MaxQueueBytes": int64(c.MaxQueueBytes),
		"BanDuration": int64(c.BanDuration), "HandshakeTimeout": int64(c.HandshakeTimeout), "IdleTimeout": int64(c.IdleTimeout),
		"PingInterval": int64(c.PingInterval), "WriteTimeout": int64(c.WriteTimeout), "DialTimeout": int64(c.DialTimeout),
		"RetryMin": int64(c.RetryMin), "RetryMax": int64(c.RetryMax)} {
		if v < 0 {
			return fmt.Errorf("%w: %s is negative", ErrInvalidConfig, name)
		}
	}
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	defd := func(v *time.Duration, d time.Duration) {
		if *v == 0 {
			*v = d
		}
	}
	defr := func(v *Rate, d Rate) {
		if *v == (Rate{}) {
			*v = d
		}
	}
	if c.Listen == "" {
		c.Listen = net.JoinHostPort("127.0.0.1", strconv.Itoa(int(c.Params.DefaultPort)))
	}
	def(&c.MaxInbound, 32)
	def(&c.MaxOutbound, 8)
	def(&c.AddrCapacity, DefaultAddrBookCapacity)
	def(&c.MaxQueueMsgs, 500)
	def(&c.MaxQueueBytes, 32<<20)
	defd(&c.BanDuration, 24*time.Hour)
	defd(&c.HandshakeTimeout, 30*time.Second)
	defd(&c.IdleTimeout, 10*time.Minute)
	defd(&c.PingInterval, 5*time.Minute)
	defd(&c.WriteTimeout, 2*time.Minute)
	defd(&c.DialTimeout, 5*time.Second)
	defd(&c.MaxLifetime, 24*time.Hour)
	defd(&c.RetryMin, time.Second)
	defd(&c.RetryMax, 5*time.Minute)
	defr(&c.InvRate, Rate{PerSecond: 5000, Burst: wire.MaxInvPerMsg})
	defr(&c.GetDataRate, Rate{PerSecond: 5000, Burst: wire.MaxInvPerMsg})
	defr(&c.TxRate, Rate{PerSecond: 200, Burst: 1000})
	defr(&c.AddrRate, Rate{PerSecond: 10, Burst: 2000})
	if c.UserAgent == "" {
		c.UserAgent = "/mvsgo:0.1/"
	}
	if c.Services == 0 {
		c.Services = 1
	}
	if c.Handler == nil {
		c.Handler = NoopHandler{}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.MaxQueueBytes < wire.HeaderSize+wire.MaxPayloadSize {
		return fmt.Errorf("%w: MaxQueueBytes %d cannot hold one %d-byte message", ErrInvalidConfig,
			c.MaxQueueBytes, wire.HeaderSize+wire.MaxPayloadSize)
	}
	if c.RetryMax < c.RetryMin {
		return fmt.Errorf("%w: RetryMax %v below RetryMin %v", ErrInvalidConfig, c.RetryMax, c.RetryMin)
	}
	return nil
}

// addrRetryDelay is how long an address-book entry rests after a dial attempt, so that a
// small book of dead addresses is not redialed every second.
const addrRetryDelay = time.Minute

// maxScores bounds the misbehaviour scores kept for IPs not (or no longer) connected.
const maxScores = 4096

// Server accepts and dials peers, keeps the ban list and the address book, and hands the
// peers' messages to the Handler. Its methods are safe for concurrent use.
type Server struct {
	cfg  Config
	log  *slog.Logger
	bans *BanList
	book *AddrBook

	mu       sync.Mutex
	ctx      context.Context
	cancel   context.CancelFunc
	ln       net.Listener
	started  bool
	closed   bool
	nextID   uint64
	peers    map[uint64]*Peer
	byAddr   map[netip.AddrPort]*Peer
	dialing  map[netip.AddrPort]bool // reserved before the dial, value: manual
	nonces   map[uint64]*Peer
	scores   map[netip.Addr]int
	manual   map[string]struct{}
	attempts map[netip.AddrPort]time.Time
	wg       sync.WaitGroup
	wake     chan struct{}
}

// NewServer checks cfg, applies its defaults and loads the ban list and address book
// files. Nothing listens or dials before Start.
func NewServer(cfg Config) (*Server, error) {
	if err := cfg.setDefaults(); err != nil {
		return nil, err
	}
	bans, err := OpenBanList(cfg.BanFile)
	if err != nil {
		return nil, err
	}
	book, err := OpenAddrBook(AddrBookConfig{Path: cfg.AddrFile, Capacity: cfg.AddrCapacity,
		AllowLocal: cfg.AllowLocal, Banned: bans.IsBanned})
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: cfg.Logger, bans: bans, book: book,
		peers: make(map[uint64]*Peer), byAddr: make(map[netip.AddrPort]*Peer),
		dialing: make(map[netip.AddrPort]bool), nonces: make(map[uint64]*Peer),
		scores: make(map[netip.Addr]int), manual: make(map[string]struct{}),
		attempts: make(map[netip.AddrPort]time.Time), wake: make(chan struct{}, 1)}
	for _, addr := range cfg.ManualPeers {
		if err := s.AddPeer(addr); err != nil {
			return nil, fmt.Errorf("p2p: ManualPeers: %w", err)
		}
	}
	return s, nil
}

// BanList is the server's ban list.
func (s *Server) BanList() *BanList { return s.bans }

// AddrBook is the server's address book; the node may Add seed or configured addresses.
func (s *Server) AddrBook() *AddrBook { return s.book }

// Start listens (unless NoListen) and starts dialing. The server runs until ctx ends or
// Close; Close must be called either way to wait for its goroutines and save its files.
func (s *Server) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started || s.closed {
		return fmt.Errorf("%w: Start called twice or after Close", ErrServerClosed)
	}
	if !s.cfg.NoListen {
		var lc net.ListenConfig
		ln, err := lc.Listen(ctx, "tcp", s.cfg.Listen)
		if err != nil {
			return fmt.Errorf("p2p: listen: %w", err)
		}
		s.ln = ln
	}
	s.started = true
	s.ctx, s.cancel = context.WithCancel(ctx)
	if s.ln != nil {
		context.AfterFunc(s.ctx, func() { s.ln.Close() })
		s.wg.Go(s.acceptLoop)
	}
	s.wg.Go(s.connectLoop)
	for addr := range s.manual {
		s.wg.Go(func() { s.manualLoop(addr) })
	}
	return nil
}

// Addr is the listening address, or nil.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// AddrPort is the listening address as a netip.AddrPort (zero without a listener).
func (s *Server) AddrPort() netip.AddrPort {
	if a, ok := s.Addr().(*net.TCPAddr); ok {
		return a.AddrPort()
	}
	return netip.AddrPort{}
}

// Close disconnects every peer, stops listening and dialing, waits for every goroutine
// (or for ctx to end, returning its error) and saves the address book and the ban list.
func (s *Server) Close(ctx context.Context) error {
	s.mu.Lock()
	s.closed = true
	if s.cancel != nil {
		s.cancel()
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		return fmt.Errorf("p2p: closing: %w", ctx.Err())
	}
	return errors.Join(s.book.Save(), s.bans.Save())
}

// Peers returns the peers whose handshake is complete, oldest first.
func (s *Server) Peers() []*Peer {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Peer, 0, len(s.peers))
	for _, p := range s.peers {
		select {
		case <-p.ready:
			out = append(out, p)
		default:
		}
	}
	slices.SortFunc(out, func(a, b *Peer) int { return cmp.Compare(a.id, b.id) })
	return out
}

// Broadcast sends msg to every ready peer for which skip (may be nil) is false and
// returns how many it was queued for.
func (s *Server) Broadcast(msg wire.Message, skip func(*Peer) bool) int {
	n := 0
	for _, p := range s.Peers() {
		if (skip == nil || !skip(p)) && p.Send(msg) == nil {
			n++
		}
	}
	return n
}

// AddPeer adds a manual peer ("ip:port" or "host:port", the addnode of the reference):
// it is dialed now and redialed with backoff (RetryMin doubling to RetryMax) whenever it
// is lost, until Close. It is not counted in MaxOutbound.
func (s *Server) AddPeer(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return fmt.Errorf("%w: %q", ErrInvalidAddress, addr)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil || port == "0" {
		return fmt.Errorf("%w: port of %q", ErrInvalidAddress, addr)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrServerClosed
	}
	if _, ok := s.manual[addr]; ok {
		return fmt.Errorf("%w: %s already added", ErrDuplicatePeer, addr)
	}
	s.manual[addr] = struct{}{}
	if s.started {
		s.wg.Go(func() { s.manualLoop(addr) })
	}
	return nil
}

// Connect dials ap once and returns the peer after its handshake, or why it failed
// (ErrDuplicatePeer, ErrBanned, ErrSelfConnection, a dial error, ...).
func (s *Server) Connect(ctx context.Context, ap netip.AddrPort) (*Peer, error) {
	p, err := s.dial(ctx, ap, false)
	if err != nil {
		return nil, err
	}
	select {
	case <-p.ready:
		return p, nil
	case <-p.done:
		return nil, p.Err()
	case <-ctx.Done():
		p.Disconnect(ctx.Err())
		return nil, ctx.Err()
	}
}

// Ban bans ip for d, drops it from the address book and disconnects its peers.
func (s *Server) Ban(ip netip.Addr, d time.Duration) error {
	if err := s.bans.Ban(ip, d, "manual"); err != nil {
		return err
	}
	s.dropIP(ip, fmt.Errorf("%w: %v", ErrBanned, ip))
	return nil
}

// Unban lifts a ban and forgets the IP's misbehaviour score.
func (s *Server) Unban(ip netip.Addr) error {
	ip = ip.Unmap()
	s.mu.Lock()
	delete(s.scores, ip)
	s.mu.Unlock()
	return s.bans.Unban(ip)
}

// Score is the misbehaviour score of ip.
func (s *Server) Score(ip netip.Addr) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.scores[ip.Unmap()]
}

func (s *Server) addScore(ip netip.Addr, points int) int {
	ip = ip.Unmap()
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.scores[ip]; !ok && len(s.scores) >= maxScores {
		for k := range s.scores { // drop an arbitrary entry to stay bounded
			delete(s.scores, k)
			break
		}
	}
	s.scores[ip] += points
	return s.scores[ip]
}

func (s *Server) banMisbehaving(ip netip.Addr, why *MisbehaviorError) {
	ip = ip.Unmap()
	if err := s.bans.Ban(ip, s.cfg.BanDuration, why.Reason); err != nil {
		s.log.Error("saving ban list", "err", err)
	}
	s.mu.Lock()
	delete(s.scores, ip) // the ban carries the memory now; after it expires start afresh
	s.mu.Unlock()
	s.log.Info("banned peer", "ip", ip, "score", why.Score, "reason", why.Reason)
	s.dropIP(ip, why)
}

func (s *Server) dropIP(ip netip.Addr, why error) {
	ip = ip.Unmap()
	s.book.RemoveIP(ip)
	s.mu.Lock()
	var drop []*Peer
	for _, p := range s.peers {
		if p.addr.Addr() == ip {
			drop = append(drop, p)
		}
	}
	s.mu.Unlock()
	for _, p := range drop {
		p.Disconnect(why)
	}
}

// nonceOwner returns our peer that sent version nonce n, or nil.
func (s *Server) nonceOwner(n uint64) *Peer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nonces[n]
}

// newPeerLocked registers a peer for conn; s.mu is held and the caller starts p.run.
func (s *Server) newPeerLocked(conn net.Conn, ap netip.AddrPort, inbound, manual bool) *Peer {
	s.nextID++
	ctx, cancel := context.WithCancel(s.ctx)
	p := &Peer{s: s, id: s.nextID, conn: conn, addr: ap, inbound: inbound, manual: manual,
		ctx: ctx, cancel: cancel, ready: make(chan struct{}), done: make(chan struct{}),
		wake: make(chan struct{}, 1), requested: make(map[wire.InvVect]struct{}), connectedAt: time.Now()}
	for {
		p.nonce = randUint64()
		if _, dup := s.nonces[p.nonce]; !dup && p.nonce != 0 {
			break
		}
	}
	p.pver.Store(wire.ProtocolVersion)
	p.log = s.log.With("peer", p.String(), "id", p.id)
	s.nonces[p.nonce] = p
	s.peers[p.id] = p
	s.byAddr[ap] = p
	s.wg.Go(p.run)
	return p
}

// peerReady is called after the handshake: the server may still refuse the peer.
func (s *Server) peerReady(p *Peer) error {
	if s.bans.IsBanned(p.addr.Addr()) {
		return ErrBanned
	}
	if !p.inbound && s.book.Len() < s.cfg.AddrCapacity {
		// Ask for addresses as the reference does on every session; answered once.
		if err := p.Send(&wire.MsgGetAddr{}); err != nil {
			return err
		}
	}
	if !p.inbound {
		s.book.Add(wire.NewNetAddress(p.addr, p.Version().Services))
	}
	p.log.Info("peer connected", "version", p.Version().ProtocolVersion, "agent", p.Version().UserAgent,
		"height", p.Version().StartHeight)
	return nil
}

func (s *Server) removePeer(p *Peer) {
	s.mu.Lock()
	delete(s.peers, p.id)
	if s.byAddr[p.addr] == p {
		delete(s.byAddr, p.addr)
	}
	delete(s.nonces, p.nonce)
	s.mu.Unlock()
	if errors.Is(p.Err(), ErrSelfConnection) {
		s.book.Remove(p.addr) // never dial ourselves again
	}
	s.kick()
}

func (s *Server) kick() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *Server) acceptLoop() {
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			if s.ctx.Err() != nil {
				return
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			s.log.Error("accept", "err", err)
			select { // e.g. out of file descriptors: do not spin
			case <-s.ctx.Done():
				return
			case <-time.After(100 * time.Millisecond):
			}
			continue
		}
		ap := conn.RemoteAddr().(*net.TCPAddr).AddrPort()
		ap = netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
		if err := s.admitInbound(conn, ap); err != nil {
			s.log.Debug("refused inbound", "addr", ap, "err", err)
			conn.Close()
		}
	}
}

func (s *Server) admitInbound(conn net.Conn, ap netip.AddrPort) error {
	if s.bans.IsBanned(ap.Addr()) {
		return ErrBanned
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx.Err() != nil {
		return ErrServerClosed
	}
	inbound := 0
	for _, p := range s.peers {
		if p.inbound {
			inbound++
		}
	}
	total := len(s.peers) + len(s.dialing)
	if inbound >= s.cfg.MaxInbound || total >= s.cfg.MaxInbound+s.cfg.MaxOutbound {
		return ErrTooManyPeers
	}
	if _, dup := s.byAddr[ap]; dup {
		return ErrDuplicatePeer
	}
	s.newPeerLocked(conn, ap, true, false)
	return nil
}

// dial reserves ap, dials it and starts the peer (not waiting for the handshake).
func (s *Server) dial(ctx context.Context, ap netip.AddrPort, manual bool) (*Peer, error) {
	ap = netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	if !ap.IsValid() || ap.Port() == 0 {
		return nil, fmt.Errorf("%w: %v", ErrInvalidAddress, ap)
	}
	if s.bans.IsBanned(ap.Addr()) {
		return nil, fmt.Errorf("%w: %v", ErrBanned, ap.Addr())
	}
	s.mu.Lock()
	if !s.started || s.ctx.Err() != nil {
		s.mu.Unlock()
		return nil, ErrServerClosed
	}
	_, connected := s.byAddr[ap]
	if _, dialing := s.dialing[ap]; connected || dialing {
		s.mu.Unlock()
		return nil, fmt.Errorf("%w: %v", ErrDuplicatePeer, ap)
	}
	s.dialing[ap] = manual
	s.mu.Unlock()
	return s.dialReserved(ctx, ap, manual)
}

// dialReserved dials ap, already reserved in s.dialing, and releases the reservation.
func (s *Server) dialReserved(ctx context.Context, ap netip.AddrPort, manual bool) (*Peer, error) {
	release := func() {
		s.mu.Lock()
		delete(s.dialing, ap)
		s.mu.Unlock()
	}
	d := net.Dialer{Timeout: s.cfg.DialTimeout}
	dctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(s.ctx, cancel) // Close aborts a dial in progress
	conn, err := d.DialContext(dctx, "tcp", ap.String())
	stop()
	cancel()
	if err != nil {
		release()
		return nil, fmt.Errorf("p2p: dialing %v: %w", ap, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.dialing, ap)
	if s.ctx.Err() != nil {
		conn.Close()
		return nil, ErrServerClosed
	}
	return s.newPeerLocked(conn, ap, false, manual), nil
}

// connectLoop keeps MaxOutbound automatic outbound connections to address-book entries.
func (s *Server) connectLoop() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		s.fillOutbound()
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
		case <-s.wake:
		}
	}
}

func (s *Server) fillOutbound() {
	now := time.Now()
	for {
		s.mu.Lock()
		out := 0
		for _, p := range s.peers {
			if !p.inbound && !p.manual {
				out++
			}
		}
		for _, manual := range s.dialing {
			if !manual {
				out++
			}
		}
		for ap, t := range s.attempts {
			if now.Sub(t) > addrRetryDelay {
				delete(s.attempts, ap)
			}
		}
		s.mu.Unlock()
		if out >= s.cfg.MaxOutbound {
			return
		}
		self := s.AddrPort()
		ap, ok := s.book.Pick(func(ap netip.AddrPort) bool {
			s.mu.Lock()
			defer s.mu.Unlock()
			_, busy := s.byAddr[ap]
			_, dialing := s.dialing[ap]
			_, tried := s.attempts[ap]
			return busy || dialing || tried || ap == self
		})
		if !ok {
			return
		}
		s.mu.Lock()
		s.attempts[ap] = now
		_, busy := s.byAddr[ap]
		_, dialing := s.dialing[ap]
		if busy || dialing { // taken since Pick looked
			s.mu.Unlock()
			continue
		}
		s.dialing[ap] = false // reserved and counted before the goroutine starts
		s.mu.Unlock()
		s.wg.Go(func() {
			if _, err := s.dialReserved(s.ctx, ap, false); err != nil {
				s.log.Debug("outbound dial failed", "addr", ap, "err", err)
			}
		})
	}
}

// manualLoop keeps one AddPeer address connected, with exponential backoff.
func (s *Server) manualLoop(addr string) {
	backoff := s.cfg.RetryMin
	for {
		start := time.Now()
		ap, err := s.resolve(addr)
		var p *Peer
		if err == nil {
			p, err = s.dial(s.ctx, ap, true)
		}
		if err == nil {
			select {
			case <-p.done:
				err = p.Err()
			case <-s.ctx.Done():
				return
			}
		}
		if time.Since(start) > s.cfg.RetryMax {
			backoff = s.cfg.RetryMin // it stayed up a while: retry quickly
		}
		s.log.Debug("manual peer lost", "addr", addr, "err", err, "retry", backoff)
		select {
		case <-s.ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, s.cfg.RetryMax)
	}
}

// resolve takes the first address of host (the reference tries only the first record).
func (s *Server) resolve(addr string) (netip.AddrPort, error) {
	if ap, err := netip.ParseAddrPort(addr); err == nil {
		return ap, nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("%w: %q", ErrInvalidAddress, addr)
	}
	pn, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("%w: %q", ErrInvalidAddress, addr)
	}
	ctx, cancel := context.WithTimeout(s.ctx, s.cfg.DialTimeout)
	defer cancel()
	ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil || len(ips) == 0 {
		return netip.AddrPort{}, fmt.Errorf("p2p: resolving %s: %w", host, err)
	}
	return netip.AddrPortFrom(ips[0].Unmap(), uint16(pn)), nil
}

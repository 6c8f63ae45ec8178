package rpcserver

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/examples/node/mempool"
	"github.com/mvsgo/mvs/rpcclient"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
)

// Defaults for Config fields left zero.
const (
	DefaultMaxRequestBytes = 4 << 20 // a raw transaction is at most 1 MB, 2 MB in hex
	DefaultMaxConcurrent   = 64
	DefaultRequestTimeout  = 30 * time.Second
	DefaultMaxPushMessage  = 64 << 10 // subscribe requests are small
	DefaultPushQueue       = 256
	DefaultMaxPushConns    = 256
)

var (
	// ErrConfig is a Config New cannot use (a required field missing, a negative limit).
	ErrConfig = errors.New("rpcserver: invalid config")
	// ErrInsecureListen is a listen address that is not loopback without User/Password:
	// the RPC sends raw transactions and mining work, so it is never open to the network
	// without credentials.
	ErrInsecureListen = errors.New("rpcserver: refusing to listen off loopback without credentials")
)

// Peers is the node's peer manager as the RPC sees it.
type Peers interface {
	// PeerInfo lists the connected peers as "host:port" (getpeerinfo).
	PeerInfo() []string
	// AddNode runs addnode's operation (add, ban, peer, reseed) on addr ("host:port").
	AddNode(addr, op string) error
}

// NodeLister is optionally implemented by Peers to answer addnode --operation list with
// seeds and bans; without it the list holds the connected peers only.
type NodeLister interface {
	NodeList() rpcclient.NodeList
}

// Miner is the node's miner as the RPC sees it (getwork, submitwork, getmininginfo).
type Miner interface {
	// GetWork is the current work package. A node without a mining address answers an
	// error wrapping ErrNoMiningAccount.
	GetWork() (rpcclient.Work, error)
	// SubmitWork offers a found nonce for powHash with its Ethash mix digest and reports
	// whether the block was accepted.
	SubmitWork(nonce uint64, powHash, mixDigest [32]byte) (bool, error)
	// MiningInfo is getmininginfo's answer.
	MiningInfo() rpcclient.MiningInfo
}

// ErrNoMiningAccount is what a Miner's GetWork wraps when no payment address is set; the
// server answers it with the reference's CodeSettingRequired.
var ErrNoMiningAccount = errors.New("rpcserver: no mining account set")

// Config is what New needs. Params, Store, Chain and Queries are required; Pool is
// required for the pool methods and sendrawtx (unless Submit is set).
type Config struct {
	Params  *mvs.Params
	Store   *store.Store
	Chain   *chain.Chain
	Queries *chain.Queries
	Pool    *mempool.Pool
	// Peers and Miner, when nil, make their methods answer an error.
	Peers Peers
	Miner Miner
	// Submit is the node's relay path for sendrawtx: it accepts t into the pool, relays it
	// and calls PublishTx. Nil means Pool.Accept (no relay), and the server publishes what
	// the pool accepted itself.
	Submit func(t *tx.Tx) error
	// User and Password, when User is set, are required as HTTP basic auth on every RPC
	// call and push handshake.
	User, Password string
	Logger         *slog.Logger
	// MaxRequestBytes caps a request body (413 beyond); MaxConcurrent caps requests
	// served at once (503 beyond); RequestTimeout bounds each call. Zero means the
	// defaults.
	MaxRequestBytes int64
	MaxConcurrent   int
	RequestTimeout  time.Duration
	// MaxPushConns caps WebSocket push connections; PushQueue is how many messages a
	// subscriber may fall behind before it is disconnected (a slow subscriber never blocks
	// the chain). Zero means the defaults.
	MaxPushConns int
	PushQueue    int
	// Sync answers getsyncinfo (the SDK node's sync progress, not an mvsd method); nil
	// answers it as an unknown command, as mvsd does.
	Sync func() rpcclient.SyncInfo
	// Version is printed as getinfo's wallet_version and in the push's version event.
	Version string
}

// Server answers the reference's JSON-RPC v3 (POST /rpc/v3) and WebSocket push
// (GET with Upgrade: websocket, any path). It is an http.Handler.
type Server struct {
	cfg     Config
	log     *slog.Logger
	sem     chan struct{}
	push    *pushHub
	methods map[string]methodDef
	// chainBuffer is the chain subscription's buffer (tests make it small to lag it).
	chainBuffer int

	startOnce sync.Once
	stop      context.CancelFunc
	done      chan struct{}
}

// New checks cfg and returns the server. Call Start (or ListenAndServe, which does) to
// begin publishing chain events to push subscribers, and Close to stop.
func New(cfg Config) (*Server, error) {
	if cfg.Params == nil || cfg.Store == nil || cfg.Chain == nil || cfg.Queries == nil {
		return nil, fmt.Errorf("%w: Params, Store, Chain and Queries are required", ErrConfig)
	}
	if cfg.Pool == nil && cfg.Submit == nil {
		return nil, fmt.Errorf("%w: Pool or Submit is required", ErrConfig)
	}
	if cfg.MaxRequestBytes < 0 || cfg.MaxConcurrent < 0 || cfg.RequestTimeout < 0 || cfg.MaxPushConns < 0 || cfg.PushQueue < 0 {
		return nil, fmt.Errorf("%w: negative limit", ErrConfig)
	}
	if cfg.User == "" && cfg.Password != "" {
		return nil, fmt.Errorf("%w: Password without User", ErrConfig)
	}
	if cfg.MaxRequestBytes == 0 {
		cfg.MaxRequestBytes = DefaultMaxRequestBytes
	}
	if cfg.MaxConcurrent == 0 {
		cfg.MaxConcurrent = DefaultMaxConcurrent
	}
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.MaxPushConns == 0 {
		cfg.MaxPushConns = DefaultMaxPushConns
	}
	if cfg.PushQueue == 0 {
		cfg.PushQueue = DefaultPushQueue
	}
	if cfg.Version == "" {
		cfg.Version = "mvsgo"
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, log: log, sem: make(chan struct{}, cfg.MaxConcurrent), done: make(chan struct{})}
	s.push = newPushHub(s)
	s.methods = methodTable()
	s.chainBuffer = 1024
	return s, nil
}

// Start subscribes to the chain's events and publishes them to push subscribers until
// Close. It is idempotent.
func (s *Server) Start() {
	s.startOnce.Do(func() {
		ctx, cancel := context.WithCancel(context.Background())
		s.stop = cancel
		// Subscribed before Start returns: no block connected after it is missed.
		sub := s.cfg.Chain.Subscribe(s.chainBuffer)
		go func() {
			defer close(s.done)
			s.push.follow(ctx, sub)
		}()
	})
}

// Close stops publishing and closes every push connection. The HTTP listener is the
// caller's (or ListenAndServe's) to shut down.
func (s *Server) Close() error {
	s.Start() // so that done is closed exactly once by the follower
	s.stop()
	<-s.done
	s.push.closeAll()
	return nil
}

// CheckListen refuses addr when it is not a loopback address and no credentials are set.
func (s *Server) CheckListen(addr string) error {
	if s.cfg.User != "" {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%w: %q: %v", ErrInsecureListen, addr, err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%w: %q (set User and Password, or listen on 127.0.0.1)", ErrInsecureListen, addr)
	}
	return nil
}

// ListenAndServe serves on addr until ctx ends, then shuts down gracefully (waiting up to
// 5 s for calls in flight) and closes the server. It refuses a non-loopback addr without
// credentials (ErrInsecureListen).
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	if err := s.CheckListen(addr); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("rpcserver: %w", err)
	}
	return s.Serve(ctx, ln)
}

// Serve is ListenAndServe on an open listener (which it closes).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if err := s.CheckListen(ln.Addr().String()); err != nil {
		ln.Close()
		return err
	}
	s.Start()
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelDebug)}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		s.Close()
		return fmt.Errorf("rpcserver: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s.Close() // ends push connections, which Shutdown does not track (hijacked)
	err := hs.Shutdown(sctx)
	<-errc
	if err != nil {
		return fmt.Errorf("rpcserver: shutdown: %w", err)
	}
	return nil
}

// authorized checks HTTP basic auth in constant time (both fields, always both compared).
func (s *Server) authorized(r *http.Request) bool {
	if s.cfg.User == "" {
		return true
	}
	u, p, ok := r.BasicAuth()
	okU := subtle.ConstantTimeCompare([]byte(u), []byte(s.cfg.User))
	okP := subtle.ConstantTimeCompare([]byte(p), []byte(s.cfg.Password))
	return ok && okU&okP == 1
}

// ServeHTTP routes a WebSocket upgrade (any path) to the push and a POST to /rpc/v3 to the
// JSON-RPC.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Basic realm="mvsd", charset="UTF-8"`)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	if isUpgrade(r) {
		s.push.serve(w, r)
		return
	}
	switch r.URL.Path {
	case "/rpc/v3", "/rpc/v3/":
	case "/rpc", "/rpc/", "/rpc/v1", "/rpc/v2", "/rpc/v2/":
		// v1 and v2 print other shapes; answering them with v3's would mislead a v2 client.
		http.Error(w, "this node serves JSON-RPC API v3 only, at /rpc/v3", http.StatusNotFound)
		return
	default:
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	select {
	case s.sem <- struct{}{}:
		defer func() { <-s.sem }()
	default:
		http.Error(w, "too many requests in flight", http.StatusServiceUnavailable)
		return
	}
	if r.ContentLength > s.cfg.MaxRequestBytes {
		http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
		return
	}
	body, err := readBody(http.MaxBytesReader(w, r.Body, s.cfg.MaxRequestBytes))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "reading request", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.RequestTimeout)
	defer cancel()
	out := s.Handle(ctx, body)
	w.Header().Set("Content-Type", "application/json")
	w.Write(out)
}

package stratum

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/ethash"
	"github.com/mvsgo/mvs/examples/pool/share"
	"github.com/mvsgo/mvs/rpcclient"
)

// Defaults of Config fields left zero.
const (
	DefaultShareDifficulty = 1 << 32 // 4.3 GH a share: a few shares a minute per 100 MH/s
	DefaultPoll            = time.Second
	DefaultKeepJobs        = 4
	DefaultMaxLineBytes    = 1024
	DefaultMaxConns        = 1024
	DefaultMaxConnsPerIP   = 128 // rigs behind one NAT share an IP
	DefaultMaxWorkers      = 10000
	DefaultBanInvalid      = 30
	DefaultBanWindow       = time.Minute
	DefaultBanFor          = 10 * time.Minute
	DefaultHashrateWindow  = 10 * time.Minute
	DefaultIdleTimeout     = 10 * time.Minute
	DefaultWriteTimeout    = 10 * time.Second
	DefaultBatchWait       = time.Millisecond
	maxBatch               = 256
	outbox                 = 16
)

// Node is what the pool needs of the node: *rpcclient.Client is one. When it also has
// Subscribe (as *rpcclient.Client does), new blocks pushed by the node refresh the work at
// once instead of at the next poll.
type Node interface {
	GetHeight(ctx context.Context) (uint64, error)
	GetWork(ctx context.Context) (*rpcclient.Work, error)
	SubmitWork(ctx context.Context, nonce uint64, powHash, mixDigest [32]byte) (bool, error)
}

type pusher interface {
	Subscribe(ctx context.Context, topics rpcclient.Topics) (*rpcclient.Subscription, error)
}

// Config is a Server's settings. Node, Params and Verifier are required.
type Config struct {
	Node Node
	// Params is the chain's network: a miner logs in with one of its addresses.
	Params *mvs.Params
	// Verifier checks shares; a pool sets Mode: ethash.Full (the DAG is used once built,
	// the cache meanwhile). The caller closes it after Serve returns.
	Verifier *ethash.Verifier
	// ShareDifficulty is the hashes a share is worth (DefaultShareDifficulty).
	ShareDifficulty uint64
	// Password, when set, is required of every login (eth_submitLogin's second parameter,
	// mining.authorize's). Serve refuses a listener off loopback without one.
	Password string
	// Poll is how often getwork is asked (DefaultPoll); pushed blocks refresh it too.
	Poll time.Duration
	// KeepJobs is how many jobs of the current height take shares (DefaultKeepJobs); a share
	// for an older one, or one of a lower height, is stale. Keep it below what the node keeps
	// (the SDK's node: 8 templates).
	KeepJobs int
	// MaxLineBytes bounds a request line (DefaultMaxLineBytes); a longer one closes the
	// connection.
	MaxLineBytes int
	// MaxConns bounds the connections (DefaultMaxConns), MaxConnsPerIP those from one IP
	// (DefaultMaxConnsPerIP), so one host cannot take every slot; MaxWorkers the distinct workers
	// whose statistics are kept (DefaultMaxWorkers).
	MaxConns, MaxConnsPerIP, MaxWorkers int
	// BanInvalid invalid shares (bad mix, low difficulty, duplicate, malformed) from one IP
	// or one address within BanWindow ban both for BanFor.
	BanInvalid        int
	BanWindow, BanFor time.Duration
	HashrateWindow    time.Duration
	IdleTimeout       time.Duration // a connection sending nothing for this long is closed
	WriteTimeout      time.Duration
	// BatchWait is how long the checker waits, after a share arrives, for shares of other
	// connections to check with it (DefaultBatchWait; negative: no wait). A light hash
	// alone costs several times its share of a batch (ethash's doc), so a millisecond's
	// wait multiplies the rate under load; it ends early once every connection has a
	// share waiting.
	BatchWait time.Duration
	Logger    *slog.Logger
}

// Server is the pool's share server: it takes work from the node, hands it to miners over
// both stratum protocols on one port, checks their shares, and submits blocks.
type Server struct {
	cfg   Config
	log   *slog.Logger
	queue chan *pending

	refreshMu sync.Mutex // one getwork at a time, so jobs are made in order

	mu      sync.Mutex
	jobs    []*share.Job // current height, oldest first
	dups    map[*share.Job]map[uint64]struct{}
	nextJob uint32
	nextEx  uint16
	conns   map[*conn]struct{}
	workers map[string]*worker
	strikes map[string]*strike
	bans    map[string]time.Time
	totals  Totals
	serving bool
	kick    chan struct{}
	nconns  atomic.Int64   // len(conns), read by the checker without the lock
	perIP   map[string]int // connections by IP
}

type pending struct {
	sh   share.Share
	done chan share.Verdict
}

type strike struct {
	since time.Time
	n     int
}

// New checks cfg and returns a Server; Serve runs it.
func New(cfg Config) (*Server, error) {
	if cfg.Node == nil || cfg.Params == nil || cfg.Verifier == nil {
		return nil, errorf(ErrConfig, "Node, Params and Verifier are required")
	}
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defd := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	if cfg.ShareDifficulty == 0 {
		cfg.ShareDifficulty = DefaultShareDifficulty
	}
	def(&cfg.KeepJobs, DefaultKeepJobs)
	def(&cfg.MaxLineBytes, DefaultMaxLineBytes)
	def(&cfg.MaxConns, DefaultMaxConns)
	def(&cfg.MaxConnsPerIP, DefaultMaxConnsPerIP)
	def(&cfg.MaxWorkers, DefaultMaxWorkers)
	def(&cfg.BanInvalid, DefaultBanInvalid)
	defd(&cfg.Poll, DefaultPoll)
	defd(&cfg.BanWindow, DefaultBanWindow)
	defd(&cfg.BanFor, DefaultBanFor)
	defd(&cfg.HashrateWindow, DefaultHashrateWindow)
	defd(&cfg.IdleTimeout, DefaultIdleTimeout)
	defd(&cfg.WriteTimeout, DefaultWriteTimeout)
	if cfg.BatchWait == 0 {
		cfg.BatchWait = DefaultBatchWait
	}
	if cfg.HashrateWindow < time.Second {
		return nil, errorf(ErrConfig, "HashrateWindow %v: at least a second", cfg.HashrateWindow)
	}
	if cfg.MaxLineBytes < 256 {
		return nil, errorf(ErrConfig, "MaxLineBytes %d: a submit line needs about 200", cfg.MaxLineBytes)
	}
	s := &Server{cfg: cfg, log: cfg.Logger, queue: make(chan *pending, maxBatch),
		dups: map[*share.Job]map[uint64]struct{}{}, conns: map[*conn]struct{}{}, workers: map[string]*worker{},
		strikes: map[string]*strike{}, bans: map[string]time.Time{}, kick: make(chan struct{}, 1),
		perIP: map[string]int{}}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s, nil
}

// Serve takes work from the node, accepts miners on l and checks their shares until ctx
// ends, or accepting fails; it then closes l and every connection and returns ctx's error
// (or the accept error). A listener that is
// not on a loopback address needs Config.Password (ErrConfig otherwise).
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	if ap, err := netip.ParseAddrPort(l.Addr().String()); s.cfg.Password == "" && (err != nil || !ap.Addr().IsLoopback()) {
		l.Close()
		return errorf(ErrConfig, "listening on %s needs a Password", l.Addr())
	}
	s.mu.Lock()
	if s.serving {
		s.mu.Unlock()
		return errorf(ErrConfig, "Serve called twice")
	}
	s.serving = true
	s.mu.Unlock()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	wg.Go(func() { s.workLoop(ctx) })
	wg.Go(func() { s.checkLoop(ctx) })
	wg.Go(func() {
		<-ctx.Done()
		l.Close()
	})
	var failed error
	for {
		nc, err := l.Accept()
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			if errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) {
				// Out of descriptors: connections will close; refusing for a moment is
				// better than stopping the pool.
				s.log.Warn("accept", "err", err)
				select {
				case <-time.After(100 * time.Millisecond):
				case <-ctx.Done():
				}
				continue
			}
			failed = err
			cancel()
			break
		}
		c := s.newConn(nc)
		if c == nil {
			continue
		}
		wg.Go(func() { c.serve(ctx) })
	}
	s.mu.Lock()
	for c := range s.conns {
		c.nc.Close()
	}
	s.mu.Unlock()
	wg.Wait()
	if failed != nil {
		return fmt.Errorf("stratum: accept: %w", failed)
	}
	return ctx.Err()
}

// Refresh asks the node for work now and hands a new job to the miners if it changed.
// Serve calls it every Poll and on every block the node pushes.
func (s *Server) Refresh(ctx context.Context) error {
	s.refreshMu.Lock()
	defer s.refreshMu.Unlock()
	h, err := s.cfg.Node.GetHeight(ctx)
	if err != nil {
		return fmt.Errorf("stratum: getheight: %w", err)
	}
	w, err := s.cfg.Node.GetWork(ctx)
	if err != nil {
		return fmt.Errorf("stratum: getwork: %w", err)
	}
	// The work is for height h+1 only if no block came between the two calls.
	if h2, err := s.cfg.Node.GetHeight(ctx); err != nil {
		return fmt.Errorf("stratum: getheight: %w", err)
	} else if h2 != h {
		return fmt.Errorf("stratum: the tip moved from %d to %d during getwork", h, h2)
	}
	s.mu.Lock()
	if n := len(s.jobs); n > 0 && s.jobs[n-1].SealHash == w.PowHash {
		s.mu.Unlock()
		return nil
	}
	s.nextJob++
	id := s.nextJob
	s.mu.Unlock()
	job, err := share.NewJob(fmt.Sprintf("%08x", id), h+1, w.PowHash, w.SeedHash, w.Boundary, s.cfg.ShareDifficulty)
	if err != nil {
		// The tip moved between getheight and getwork (the seed is another epoch's),
		// or the node answered nonsense: the next poll asks again.
		return fmt.Errorf("stratum: getwork: %w", err)
	}
	s.mu.Lock()
	clean := len(s.jobs) == 0 || s.jobs[len(s.jobs)-1].Height != job.Height
	if clean {
		for _, j := range s.jobs {
			delete(s.dups, j)
		}
		s.jobs = s.jobs[:0]
	}
	s.jobs = append(s.jobs, job)
	s.dups[job] = map[uint64]struct{}{}
	if len(s.jobs) > s.cfg.KeepJobs {
		delete(s.dups, s.jobs[0])
		s.jobs = append(s.jobs[:0], s.jobs[1:]...)
	}
	conns := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	s.log.Debug("new job", "id", job.ID, "height", job.Height, "network", job.Network, "clean", clean)
	for _, c := range conns {
		c.notify(job, clean)
	}
	return nil
}

// CurrentJob is the newest job, nil before the first getwork.
func (s *Server) CurrentJob() *share.Job {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.jobs) == 0 {
		return nil
	}
	return s.jobs[len(s.jobs)-1]
}

func (s *Server) workLoop(ctx context.Context) {
	var events <-chan rpcclient.Event
	if p, ok := s.cfg.Node.(pusher); ok {
		sub, err := p.Subscribe(ctx, rpcclient.Topics{Heights: true})
		if err != nil {
			s.log.Warn("no push from the node; polling only", "err", err)
		} else {
			defer sub.Close()
			events = sub.Events()
		}
	}
	t := time.NewTicker(s.cfg.Poll)
	defer t.Stop()
	for {
		if err := s.Refresh(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("work", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.kick:
		case _, ok := <-events:
			if !ok {
				events = nil
			}
		}
	}
}

// checkLoop verifies queued shares, all that are waiting in one batch.
func (s *Server) checkLoop(ctx context.Context) {
	ch := share.NewChecker(s.cfg.Verifier)
	batch := make([]*pending, 0, maxBatch)
	shares := make([]share.Share, 0, maxBatch)
	out := make([]share.Verdict, maxBatch)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		batch = batch[:0]
		select {
		case <-ctx.Done():
			return
		case p := <-s.queue:
			batch = append(batch, p)
		}
		// Each connection has at most one share in flight, so once every connection
		// has one here there is nothing more to wait for.
		if s.cfg.BatchWait > 0 && int64(len(batch)) < s.nconns.Load() {
			timer.Reset(s.cfg.BatchWait)
		wait:
			for len(batch) < maxBatch && int64(len(batch)) < s.nconns.Load() {
				select {
				case p := <-s.queue:
					batch = append(batch, p)
				case <-timer.C:
					break wait
				case <-ctx.Done():
					break wait
				}
			}
			timer.Stop()
		}
	drain:
		for len(batch) < maxBatch {
			select {
			case p := <-s.queue:
				batch = append(batch, p)
			default:
				break drain
			}
		}
		shares = shares[:0]
		for _, p := range batch {
			shares = append(shares, p.sh)
		}
		if err := ch.Check(ctx, shares, out[:len(shares)]); err != nil && ctx.Err() == nil {
			s.log.Error("share check", "err", err)
		}
		for i, p := range batch {
			p.done <- out[i]
		}
	}
}

// check queues a share for checkLoop and waits for its verdict.
func (s *Server) check(ctx context.Context, sh share.Share) share.Verdict {
	p := &pending{sh: sh, done: make(chan share.Verdict, 1)}
	select {
	case s.queue <- p:
	case <-ctx.Done():
		return share.Verdict{Err: ctx.Err()}
	}
	select {
	case v := <-p.done:
		return v
	case <-ctx.Done():
		return share.Verdict{Err: ctx.Err()}
	}
}

// forget unmarks (job, nonce) after the share was found invalid: only valid shares are
// remembered, so the duplicate sets grow with real work, not with a flood of garbage.
func (s *Server) forget(j *share.Job, nonce uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if seen := s.dups[j]; seen != nil {
		delete(seen, nonce)
	}
}

// lookup finds a job and marks (job, nonce) as seen: ErrStale or ErrDuplicate.
func (s *Server) lookup(match func(*share.Job) bool, nonce uint64) (*share.Job, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, j := range s.jobs {
		if match(j) {
			seen := s.dups[j]
			if _, ok := seen[nonce]; ok {
				return nil, errorf(ErrDuplicate, "nonce %016x of job %s", nonce, j.ID)
			}
			seen[nonce] = struct{}{}
			return j, nil
		}
	}
	return nil, ErrStale
}

// Totals are the pool's counts since Serve started.
type Totals struct {
	Accepted, Stale, Duplicate, Invalid uint64
	// Blocks were accepted by the node; BlocksRejected were refused by it (stale by then,
	// most likely) or could not be submitted.
	Blocks, BlocksRejected uint64
	Connections            int
}

// Totals returns the pool's counts.
func (s *Server) Totals() Totals {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.totals
	t.Connections = len(s.conns)
	return t
}

// WorkerStats is one worker's counts and hashrate.
type WorkerStats struct {
	// Login is "ADDRESS.worker" (the worker part as the miner named it, "default" if not).
	Login, Address, Worker              string
	Accepted, Stale, Duplicate, Invalid uint64
	Blocks                              uint64
	// Hashrate is the accepted shares' difficulty over the hashrate window, per second.
	Hashrate float64
	// Reported is what the miner last said (eth_submitHashrate), in hashes a second.
	Reported  uint64
	LastShare time.Time
}

// Workers returns every worker's statistics, sorted by login.
func (s *Server) Workers() []WorkerStats {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]WorkerStats, 0, len(s.workers))
	for _, w := range s.workers {
		st := w.stats
		st.Hashrate = w.rate.rate(now, s.cfg.HashrateWindow)
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Login < out[j].Login })
	return out
}

// Banned reports whether an IP address or a miner's payout address is banned now.
func (s *Server) Banned(ipOrAddress string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bannedLocked(ipOrAddress, time.Now())
}

func (s *Server) bannedLocked(key string, now time.Time) bool {
	until, ok := s.bans[key]
	if ok && now.After(until) {
		delete(s.bans, key)
		return false
	}
	return ok
}

type worker struct {
	stats    WorkerStats
	rate     rateWindow
	conns    int       // connections logged in as this worker
	lastSeen time.Time // login or last share
}

// rateWindow sums share difficulty in 10 buckets spanning the hashrate window.
type rateWindow struct {
	first   time.Time
	buckets [10]float64
	stamps  [10]int64
}

func (r *rateWindow) add(now time.Time, window time.Duration, d float64) {
	if r.first.IsZero() {
		r.first = now
	}
	idx := now.UnixNano() / int64(window/10)
	slot := idx % 10
	if r.stamps[slot] != idx {
		r.stamps[slot], r.buckets[slot] = idx, 0
	}
	r.buckets[slot] += d
}

func (r *rateWindow) rate(now time.Time, window time.Duration) float64 {
	if r.first.IsZero() {
		return 0
	}
	idx := now.UnixNano() / int64(window/10)
	sum := 0.0
	for i, st := range r.stamps {
		if st > idx-10 {
			sum += r.buckets[i]
		}
	}
	span := min(window, now.Sub(r.first))
	span = max(span, time.Second)
	return sum / span.Seconds()
}

// workerLocked returns (making it) the stats of a login. When MaxWorkers are kept, the
// longest idle worker with no connection is forgotten to make room (anyone can make
// addresses, so the table must not fill up for good); ErrTooManyWorkers when none is.
func (s *Server) workerLocked(login, addr, name string, now time.Time) (*worker, error) {
	if w, ok := s.workers[login]; ok {
		w.lastSeen = now
		return w, nil
	}
	if len(s.workers) >= s.cfg.MaxWorkers {
		var idle string
		var since time.Time
		for k, w := range s.workers {
			if w.conns == 0 && (idle == "" || w.lastSeen.Before(since)) {
				idle, since = k, w.lastSeen
			}
		}
		if idle == "" {
			return nil, ErrTooManyWorkers
		}
		delete(s.workers, idle)
	}
	w := &worker{stats: WorkerStats{Login: login, Address: addr, Worker: name}, lastSeen: now}
	s.workers[login] = w
	return w, nil
}

// record counts a share's outcome for its worker and the pool, and bans the IP and the
// address when their invalid shares pass the threshold. It reports whether they are banned.
func (s *Server) record(c *conn, err error, diff float64) (banned bool) {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	login, address := c.ident()
	w := s.workers[login]
	var st WorkerStats // a sink when the worker is not known (not logged in)
	ws := &st
	if w != nil {
		ws = &w.stats
	}
	invalid := false
	switch {
	case err == nil:
		s.totals.Accepted++
		ws.Accepted++
		ws.LastShare = now
		if w != nil {
			w.lastSeen = now
			w.rate.add(now, s.cfg.HashrateWindow, diff)
		}
	case errors.Is(err, ErrStale):
		s.totals.Stale++
		ws.Stale++
	case errors.Is(err, ErrDuplicate):
		s.totals.Duplicate++
		ws.Duplicate++
		invalid = true
	case errors.Is(err, ErrBadMix), errors.Is(err, ErrLowDifficulty), errors.Is(err, ErrMalformed),
		errors.Is(err, ErrUnauthorized), errors.Is(err, ErrNotSubscribed):
		// Not ErrUnknownMethod: miners send extensions this pool does not speak
		// (mining.configure, client.get_version), and answering them costs nothing.
		s.totals.Invalid++
		ws.Invalid++
		invalid = true
	}
	if !invalid {
		return false
	}
	keys := []string{c.ip}
	if address != "" {
		keys = append(keys, address)
	}
	for _, k := range keys {
		st := s.strikes[k]
		if st == nil || now.Sub(st.since) > s.cfg.BanWindow {
			st = &strike{since: now}
			s.strikes[k] = st
		}
		st.n++
		if st.n >= s.cfg.BanInvalid {
			delete(s.strikes, k)
			s.bans[k] = now.Add(s.cfg.BanFor)
			banned = true
			s.log.Warn("banned for invalid shares", "who", k, "for", s.cfg.BanFor)
		}
	}
	if len(s.strikes) > 4*s.cfg.MaxConns { // forget old strikes rather than grow
		for k, st := range s.strikes {
			if now.Sub(st.since) > s.cfg.BanWindow {
				delete(s.strikes, k)
			}
		}
	}
	if banned && len(s.bans) > 4*s.cfg.MaxConns { // and expired bans
		for k, until := range s.bans {
			if now.After(until) {
				delete(s.bans, k)
			}
		}
	}
	if banned {
		for o := range s.conns {
			if _, oa := o.ident(); o.ip == c.ip || (address != "" && oa == address) {
				o.nc.Close()
			}
		}
	}
	return banned
}

// submitBlock hands a block-meeting share to the node.
func (s *Server) submitBlock(ctx context.Context, c *conn, job *share.Job, nonce uint64, mix [32]byte) {
	ok, err := s.cfg.Node.SubmitWork(ctx, nonce, job.SealHash, mix)
	login, _ := c.ident()
	s.mu.Lock()
	if ok && err == nil {
		// The node's tip is this block now: shares for jobs of its height are stale, and
		// must not be sent to the node again before the next getwork.
		keep := s.jobs[:0]
		for _, j := range s.jobs {
			if j.Height > job.Height {
				keep = append(keep, j)
			} else {
				delete(s.dups, j)
			}
		}
		s.jobs = keep
		s.totals.Blocks++
		if w := s.workers[login]; w != nil {
			w.stats.Blocks++
		}
	} else {
		s.totals.BlocksRejected++
	}
	s.mu.Unlock()
	if err != nil || !ok {
		s.log.Error("block refused by the node", "job", job.ID, "height", job.Height, "nonce", fmt.Sprintf("%016x", nonce), "err", err)
	} else {
		s.log.Info("block found", "job", job.ID, "height", job.Height, "worker", login)
	}
	// New work at once: the old job is stale now.
	if err := s.Refresh(ctx); err != nil {
		select { // the work loop tries again
		case s.kick <- struct{}{}:
		default:
		}
	}
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/ethash"
	"github.com/mvsgo/mvs/examples/node/mempool"
	"github.com/mvsgo/mvs/examples/node/miner"
	"github.com/mvsgo/mvs/examples/node/p2p"
	"github.com/mvsgo/mvs/examples/node/rpcserver"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/wire"
)

// Sync limits.
const (
	// maxInFlight is the block bodies asked of one peer at a time: well under the 500
	// messages its send queue holds.
	maxInFlight = 128
	// importAhead is how far the best header must be ahead of the tip for the node to
	// connect blocks in import batches (Chain.BeginImport).
	importAhead = 1000
	// headersPage are the headers answered to a peer far behind (500) or near (10), as
	// the reference (locator_cap).
	headersPageFar, headersPageNear = 500, 10
	// DefaultStallTimeout is how long a peer may owe blocks without delivering one before
	// it is dropped and its requests go to the others.
	DefaultStallTimeout = 30 * time.Second
	// serveQueueBytes is how much a peer's send queue may hold before serving it more
	// blocks waits (well under p2p's 32 MiB cap, past which the peer would be dropped).
	serveQueueBytes = 8 << 20
	// noAnnounceGap: no block announcements to a peer whose start height is further than
	// this from our tip (the reference's rule).
	noAnnounceGap = 20000
	// farBehind is when a peer counts as far behind (its start height below our tip by
	// more): the reference's 2,000.
	farBehind = 2000
)

// NodeConfig is what NewNode needs.
type NodeConfig struct {
	Params  *mvs.Params
	DataDir string
	// Listen is the P2P address (default 127.0.0.1:<port>); NoListen accepts nothing.
	Listen   string
	NoListen bool
	// Peers are kept connected (addnode).
	Peers []string
	// AllowLocal lets loopback and private addresses into the address book.
	AllowLocal bool
	// MineTo receives the coinbases of blocks this node mines; zero disables mining
	// (getwork then refuses).
	MineTo mvs.Address
	// EthashSizes overrides Ethash's sizes (tests); nil is the real sizes.
	EthashSizes ethash.SizeFunc
	// CacheMiB is the store's batch cap during initial sync.
	CacheMiB int
	// StallTimeout: a peer owing blocks that delivers none for this long is dropped and its
	// requests handed to other peers (default DefaultStallTimeout).
	StallTimeout time.Duration
	// RPCListen serves the JSON-RPC and push there ("" serves none); off loopback it
	// needs RPCUser and RPCPassword.
	RPCListen, RPCUser, RPCPassword string
	// MinerClock is the miner's clock for block timestamps (tests that mine faster than
	// the clock backdate it); nil is time.Now.
	MinerClock func() time.Time
	Logger     *slog.Logger
	// P2P overrides p2p.Config fields after the node filled it (tests).
	P2P func(*p2p.Config)
}

// Node composes the SDK: a store, a chain, the memory pool, the miner and the peers.
type Node struct {
	p2p.NoopHandler
	cfg     NodeConfig
	log     *slog.Logger
	p       *mvs.Params
	st      *store.Store
	chain   *chain.Chain
	pool    *mempool.Pool
	seal    *ethash.Verifier
	miner   *miner.Miner
	srv     *p2p.Server
	sub     *chain.Subscription
	rpc     *rpcserver.Server
	rpcAddr net.Addr
	// mining says a CPU miner loop runs (getmininginfo's is_mining).
	mining atomic.Bool

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	want     []mvs.Hash             // block bodies to fetch, in chain order
	wanted   map[mvs.Hash]bool      // the hashes in want or in flight
	inFlight map[mvs.Hash]*p2p.Peer // asked, not yet received
	// delivered is when each peer owing blocks last delivered one (or was first asked).
	delivered map[*p2p.Peer]time.Time
	// locatorTop is, per peer, the first block hash of the last getblocks answer: the
	// reference's threshold, below which later getblocks and getheaders do not start again.
	locatorTop map[*p2p.Peer]mvs.Hash
	bestHdr    uint32 // the highest header stored
	started    time.Time
	received   int // blocks connected since start, for the rate
	caughtUp   atomic.Bool
}

// NewNode opens the data directory and builds every part; Start starts them.
func NewNode(cfg NodeConfig) (*Node, error) {
	if cfg.Params == nil || cfg.DataDir == "" {
		return nil, errors.New("node: Params and DataDir are required")
	}
	n := &Node{cfg: cfg, log: cfg.Logger, p: cfg.Params, wanted: map[mvs.Hash]bool{}, inFlight: map[mvs.Hash]*p2p.Peer{},
		delivered: map[*p2p.Peer]time.Time{}, locatorTop: map[*p2p.Peer]mvs.Hash{}}
	if n.cfg.StallTimeout <= 0 {
		n.cfg.StallTimeout = DefaultStallTimeout
	}
	if n.log == nil {
		n.log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, err
	}
	var err error
	n.st, err = store.Open(filepath.Join(cfg.DataDir, "chain.db"), store.Options{Params: cfg.Params, CacheBytes: cfg.CacheMiB << 20, Logger: n.log})
	if err != nil {
		return nil, err
	}
	n.seal = ethash.New(ethash.Config{Dir: filepath.Join(cfg.DataDir, "ethash"), Sizes: cfg.EthashSizes, Logger: n.log})
	ok := false
	defer func() {
		if !ok {
			n.seal.Close()
			n.st.Close()
		}
	}()
	n.chain, err = chain.New(chain.Config{Params: cfg.Params, Store: n.st, State: chain.NewStoreState(n.st, cfg.Params), Seal: n.seal, Logger: n.log})
	if err != nil {
		return nil, err
	}
	if n.pool, err = mempool.New(mempool.Config{Params: cfg.Params, Store: n.st, Logger: n.log}); err != nil {
		return nil, err
	}
	if cfg.MineTo.IsValid() {
		n.miner, err = miner.New(miner.Config{Params: cfg.Params, Chain: n.chain, Store: n.st, Pool: n.pool, Seal: n.seal, PayTo: cfg.MineTo,
			Now: cfg.MinerClock, Logger: n.log})
		if err != nil {
			return nil, err
		}
	}
	pc := p2p.Config{Params: cfg.Params, Listen: cfg.Listen, NoListen: cfg.NoListen, AllowLocal: cfg.AllowLocal,
		BanFile: filepath.Join(cfg.DataDir, "bans.json"), AddrFile: filepath.Join(cfg.DataDir, "hosts.cache"),
		StartHeight: n.height, Handler: n, Logger: n.log}
	if cfg.P2P != nil {
		cfg.P2P(&pc)
	}
	if n.srv, err = p2p.NewServer(pc); err != nil {
		return nil, err
	}
	ok = true
	return n, nil
}

// height is the tip's height (our version's start height).
func (n *Node) height() uint32 {
	_, h, err := n.st.Tip()
	if err != nil {
		return 0
	}
	return h
}

// Start listens, dials the configured peers and follows the chain.
func (n *Node) Start(ctx context.Context) error {
	n.ctx, n.cancel = context.WithCancel(ctx)
	n.started = time.Now()
	n.sub = n.chain.Subscribe(4096)
	n.wg.Add(2)
	go n.follow()
	go n.watchStalls()
	if err := n.srv.Start(n.ctx); err != nil {
		return err
	}
	for _, p := range n.cfg.Peers {
		if err := n.srv.AddPeer(p); err != nil {
			return fmt.Errorf("peer %s: %w", p, err)
		}
	}
	return n.startRPC()
}

// Mine runs the CPU miner, a block every interval, until the node stops.
func (n *Node) Mine(every time.Duration) {
	if n.miner == nil {
		return
	}
	n.mining.Store(true)
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		defer n.mining.Store(false)
		n.miner.Run(n.ctx, every)
	}()
}

// Close stops the peers and the miner, commits an import and closes the store.
func (n *Node) Close() error {
	if n.cancel != nil {
		n.cancel()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := n.srv.Close(ctx)
	if n.rpc != nil {
		n.rpc.Close()
	}
	n.chain.Close() // ends the subscription, commits an open import
	n.wg.Wait()
	n.seal.Close()
	return errors.Join(err, n.st.Close())
}

// follow hands the chain's changes to the memory pool and announces new tips. Should its
// subscription lag (a very large import batch commits thousands of blocks at once), it
// subscribes again and has the pool judged anew against the tip, losing nothing but the
// return of a disconnected block's transactions to the pool.
func (n *Node) follow() {
	defer n.wg.Done()
	sub := n.sub
	for {
		n.drain(sub)
		if !errors.Is(sub.Err(), chain.ErrSubscriberLagged) {
			return
		}
		n.log.Warn("chain events lost; judging the memory pool again against the tip", "err", sub.Err())
		sub = n.chain.Subscribe(4096)
		if _, err := n.pool.Update(nil, nil); err != nil {
			n.log.Warn("memory pool update failed", "err", err)
		}
	}
}

// drain applies sub's events until it ends.
func (n *Node) drain(sub *chain.Subscription) {
	for ev := range sub.Events() {
		var conn, disc []*block.Block
		if ev.Kind == chain.Connected {
			conn = append(conn, ev.Block)
		} else {
			disc = append(disc, ev.Block)
		}
		// Take what else is queued, so a reorganisation is one update.
		for more := true; more; {
			select {
			case e, ok := <-sub.Events():
				if !ok {
					more = false
					break
				}
				if e.Kind == chain.Connected {
					conn = append(conn, e.Block)
				} else {
					disc = append(disc, e.Block)
				}
			default:
				more = false
			}
		}
		if _, err := n.pool.Update(conn, disc); err != nil {
			n.log.Warn("memory pool update failed", "err", err)
		}
		if len(conn) > 0 && !n.chain.Importing() {
			last := conn[len(conn)-1]
			// As the reference: no announcement to a peer whose start height is more than
			// 20,000 from our tip (it syncs by asking).
			top := last.Header.Height
			n.srv.Broadcast(&wire.MsgHeaders{Headers: []wire.HeaderWithCount{{Header: last.Header, TxCount: uint64(len(last.Transactions))}}},
				func(p *p2p.Peer) bool {
					v := p.Version()
					return v == nil || max(v.StartHeight, top)-min(v.StartHeight, top) > noAnnounceGap
				})
		}
	}
}

// SubmitTx accepts a transaction into the pool and relays it (sendrawtx).
func (n *Node) SubmitTx(t *tx.Tx) error {
	acc, err := n.pool.Accept(t)
	if err != nil && !errors.Is(err, mempool.ErrOrphan) {
		return err
	}
	n.relayTxs(acc, nil)
	return nil
}

func (n *Node) relayTxs(txs []*tx.Tx, from *p2p.Peer) {
	if len(txs) == 0 {
		return
	}
	if n.rpc != nil {
		for _, t := range txs {
			n.rpc.PublishTx(t)
		}
	}
	inv := &wire.MsgInv{}
	for _, t := range txs {
		inv.InvList = append(inv.InvList, wire.InvVect{Type: wire.InvTypeTx, Hash: t.Hash()})
	}
	n.srv.Broadcast(inv, func(q *p2p.Peer) bool { return q == from || !q.Version().Relay })
}

// locator is the standard block locator of our main chain.
func (n *Node) locator() []mvs.Hash {
	hs := wire.LocatorHeights(n.height())
	out := make([]mvs.Hash, 0, len(hs))
	for _, h := range hs {
		if hash, err := n.st.HashAt(h); err == nil {
			out = append(out, hash)
		}
	}
	return out
}

// askHeaders sends getheaders. The reference drops a peer whose locator is longer than
// MaxLocatorLen of its own height, so a locator for a shorter chain keeps its first
// entries and the genesis block.
func (n *Node) askHeaders(p *p2p.Peer, from []mvs.Hash) {
	if limit := wire.MaxLocatorLen(p.Version().StartHeight); len(from) > limit {
		from = append(from[:limit-1:limit-1], from[len(from)-1])
	}
	if err := p.Send(&wire.MsgGetHeaders{BlockLocatorHashes: from}); err != nil {
		n.log.Debug("getheaders not sent", "peer", p, "err", err)
	}
}

// OnReady starts syncing from a new peer.
func (n *Node) OnReady(p *p2p.Peer) {
	n.askHeaders(p, n.locator())
	if p.Version().Relay {
		_ = p.Send(&wire.MsgMemPool{})
	}
}

// OnDone puts the blocks a departed peer owed back at the front of the queue and asks the
// other peers for them.
func (n *Node) OnDone(p *p2p.Peer, _ error) {
	n.release(p)
	n.mu.Lock()
	delete(n.locatorTop, p)
	n.mu.Unlock()
	for _, q := range n.srv.Peers() {
		if q != p {
			n.requestBodies(q)
		}
	}
}

// errStalled is why a peer that stopped delivering requested blocks is dropped.
var errStalled = errors.New("node: peer stalled: requested blocks not delivered")

// watchStalls drops peers that owe blocks and delivered none for StallTimeout.
func (n *Node) watchStalls() {
	defer n.wg.Done()
	t := time.NewTicker(max(n.cfg.StallTimeout/4, 10*time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-n.ctx.Done():
			return
		case now := <-t.C:
			var stalled []*p2p.Peer
			n.mu.Lock()
			for p, at := range n.delivered {
				if now.Sub(at) > n.cfg.StallTimeout {
					stalled = append(stalled, p)
					delete(n.delivered, p)
				}
			}
			n.mu.Unlock()
			for _, p := range stalled {
				n.log.Info("dropping a stalled peer", "peer", p)
				p.Disconnect(errStalled)
			}
		}
	}
}

// release returns p's outstanding requests to the queue.
func (n *Node) release(p *p2p.Peer) {
	n.mu.Lock()
	defer n.mu.Unlock()
	delete(n.delivered, p)
	var back []mvs.Hash
	for h, q := range n.inFlight {
		if q == p {
			delete(n.inFlight, h)
			back = append(back, h)
		}
	}
	n.want = append(back, n.want...)
}

// OnHeaders stores announced or requested headers, asks for more, and queues their bodies.
func (n *Node) OnHeaders(p *p2p.Peer, m *wire.MsgHeaders) {
	if len(m.Headers) == 0 {
		return
	}
	hs := make([]block.Header, len(m.Headers))
	for i := range m.Headers {
		hs[i] = m.Headers[i].Header
	}
	_, err := n.chain.ProcessHeaders(hs)
	var re *chain.RuleError
	switch {
	case errors.As(err, &re) && re.Code == chain.ErrUnknownParent:
		n.askHeaders(p, n.locator()) // an announcement ahead of what we know
		return
	case errors.As(err, &re):
		p.Misbehave(p2p.BanThreshold, "invalid header: "+re.Error())
		return
	case err != nil:
		n.log.Warn("storing headers", "err", err)
		return
	}
	n.mu.Lock()
	for i := range hs {
		h := hs[i].Hash()
		if n.wanted[h] {
			continue
		}
		if have, err := n.haveBody(h, hs[i].Height); err != nil || have {
			continue
		}
		n.wanted[h] = true
		n.want = append(n.want, h)
	}
	last := hs[len(hs)-1]
	n.bestHdr = max(n.bestHdr, last.Height)
	best := n.bestHdr
	n.mu.Unlock()
	// Far behind the best header or what the peers announced: batch the commits from the
	// first page on (a commit per block costs an fsync each).
	importing := max(best, n.peersHeight()) > n.height()+importAhead
	if importing && !n.chain.Importing() {
		if err := n.chain.BeginImport(); err == nil {
			n.log.Info("initial sync: batching commits", "tip", n.height(), "best header", n.bestHdr)
		}
	}
	// A full page means more: ask from the last one (known headers too: a restart finds
	// the headers of an interrupted sync stored, their bodies not).
	if len(hs) == headersPageFar || len(hs) == headersPageNear {
		n.askHeaders(p, []mvs.Hash{last.Hash()})
	}
	n.requestBodies(p)
}

// haveBody reports whether the block is on the main chain or held as a side body.
func (n *Node) haveBody(h mvs.Hash, height uint32) (bool, error) {
	if at, err := n.st.HashAt(height); err == nil && at == h {
		return true, nil
	}
	rec, err := n.st.Header(h)
	if err != nil {
		return false, err
	}
	return rec.Status&store.StatusInvalid != 0, nil
}

// requestBodies asks p for queued bodies, up to maxInFlight outstanding.
func (n *Node) requestBodies(p *p2p.Peer) {
	n.mu.Lock()
	busy := 0
	for _, q := range n.inFlight {
		if q == p {
			busy++
		}
	}
	var inv []wire.InvVect
	if busy == 0 && len(n.want) > 0 {
		n.delivered[p] = time.Now() // the clock of what it now owes
	}
	for busy+len(inv) < maxInFlight && len(n.want) > 0 {
		h := n.want[0]
		n.want = n.want[1:]
		n.inFlight[h] = p
		inv = append(inv, wire.InvVect{Type: wire.InvTypeBlock, Hash: h})
	}
	n.mu.Unlock()
	if len(inv) > 0 {
		if err := p.Send(&wire.MsgGetData{InvList: inv}); err != nil {
			n.release(p) // the peer is going: OnDone hands its share to the others
		}
	}
}

// OnBlock connects a block and asks for the next ones.
func (n *Node) OnBlock(p *p2p.Peer, m *wire.MsgBlock) {
	blk := &m.Block
	hash := blk.Hash()
	res, err := n.chain.ProcessBlock(n.ctx, blk, nil)
	n.mu.Lock()
	if n.inFlight[hash] == p {
		n.delivered[p] = time.Now()
	}
	delete(n.inFlight, hash)
	delete(n.wanted, hash)
	owes := false
	for _, q := range n.inFlight {
		if q == p {
			owes = true
			break
		}
	}
	if !owes {
		delete(n.delivered, p)
	}
	if res.Verdict == chain.MainChain {
		n.received++
	}
	done := len(n.want) == 0 && len(n.inFlight) == 0
	n.mu.Unlock()
	var re *chain.RuleError
	switch {
	case errors.As(err, &re):
		p.Misbehave(p2p.BanThreshold, "invalid block: "+re.Error())
	case err != nil:
		n.log.Warn("processing a block", "hash", hash, "err", err)
	case res.Verdict == chain.Orphan:
		n.askHeaders(p, n.locator())
	}
	if len(res.Missing) > 0 {
		n.mu.Lock()
		for _, h := range res.Missing {
			if !n.wanted[h] {
				n.wanted[h] = true
				n.want = append(n.want, h)
			}
		}
		n.mu.Unlock()
	}
	if done && n.chain.Importing() {
		if err := n.chain.EndImport(); err != nil {
			n.log.Error("committing the initial sync", "err", err)
		}
	}
	if done && n.height() >= max(n.bestHeader(), n.peersHeight()) && !n.caughtUp.Swap(true) {
		n.log.Info("initial sync done", "height", n.height(), "blocks/s", n.rate())
	}
	if res.Verdict == chain.MainChain && res.Height%1000 == 0 {
		best, rate := n.bestHeader(), n.rate()
		eta := time.Duration(0)
		if rate > 0 && best > res.Height {
			eta = time.Duration(float64(best-res.Height) / rate * float64(time.Second)).Round(time.Second)
		}
		n.log.Info("sync", "height", res.Height, "best header", best, "blocks/s", fmt.Sprintf("%.0f", rate), "eta", eta)
	}
	n.requestBodies(p)
}

// peersHeight is the highest start height our peers announced.
func (n *Node) peersHeight() uint32 {
	var h uint32
	for _, p := range n.srv.Peers() {
		if v := p.Version(); v != nil {
			h = max(h, v.StartHeight)
		}
	}
	return h
}

func (n *Node) bestHeader() uint32 {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.bestHdr
}

// rate is the blocks connected per second since start.
func (n *Node) rate() float64 {
	n.mu.Lock()
	defer n.mu.Unlock()
	s := time.Since(n.started).Seconds()
	if s <= 0 {
		return 0
	}
	return float64(n.received) / s
}

// OnInv asks for announced blocks (by headers) and transactions we lack.
func (n *Node) OnInv(p *p2p.Peer, m *wire.MsgInv) {
	var get []wire.InvVect
	blocks := false
	for _, iv := range m.InvList {
		switch iv.Type {
		case wire.InvTypeBlock:
			if _, err := n.st.Header(iv.Hash); errors.Is(err, store.ErrNotFound) {
				blocks = true
			}
		case wire.InvTypeTx:
			if !n.pool.Has(iv.Hash) {
				if _, err := n.st.TxLocation(iv.Hash); errors.Is(err, store.ErrNotFound) {
					get = append(get, iv)
				}
			}
		}
	}
	if blocks {
		n.askHeaders(p, n.locator())
	}
	if len(get) > 0 {
		_ = p.Send(&wire.MsgGetData{InvList: get})
	}
}

// OnTx accepts a relayed transaction and relays what entered the pool.
func (n *Node) OnTx(p *p2p.Peer, m *wire.MsgTx) {
	t := m.Tx
	acc, err := n.pool.Accept(&t)
	var re *chain.RuleError
	if errors.As(err, &re) && re.Code != chain.ErrMissingInput {
		p.Misbehave(10, "invalid transaction: "+re.Error())
	}
	n.relayTxs(acc, p)
}

// OnGetHeaders answers with our main chain after the first locator hash we know (see
// located): 500 headers to a peer far behind, 10 otherwise, nothing when the locator's
// last hash (its genesis) is unknown or there is nothing to send, as the reference.
func (n *Node) OnGetHeaders(p *p2p.Peer, m *wire.MsgGetHeaders) {
	hashes, ok := n.located(p, m.BlockLocatorHashes, m.HashStop, n.pageFor(p), true)
	if !ok || len(hashes) == 0 {
		return // the reference sends no empty headers message
	}
	var out wire.MsgHeaders
	for _, hash := range hashes {
		rec, err := n.st.Header(hash)
		if err != nil {
			break
		}
		out.Headers = append(out.Headers, wire.HeaderWithCount{Header: rec.Header})
	}
	_ = p.Send(&out)
}

// OnGetBlocks answers with an inv of our main chain's blocks after the fork point (from
// genesis when no locator hash is known), paged as getheaders, and remembers the first
// hash sent as the peer's threshold, as the reference does.
func (n *Node) OnGetBlocks(p *p2p.Peer, m *wire.MsgGetBlocks) {
	hashes, ok := n.located(p, m.BlockLocatorHashes, m.HashStop, n.pageFor(p), false)
	if !ok {
		return
	}
	var inv wire.MsgInv
	for _, hash := range hashes {
		inv.InvList = append(inv.InvList, wire.InvVect{Type: wire.InvTypeBlock, Hash: hash})
	}
	_ = p.Send(&inv)
	if len(hashes) > 0 {
		n.mu.Lock()
		n.locatorTop[p] = hashes[0]
		n.mu.Unlock()
	}
}

// pageFor is the reference's page: 500 to a peer that started more than 2,000 blocks
// below our tip, 10 otherwise.
func (n *Node) pageFor(p *p2p.Peer) int {
	if tip := n.height(); uint64(p.Version().StartHeight)+farBehind < uint64(tip) {
		return headersPageFar
	}
	return headersPageNear
}

// located is what getheaders and getblocks answer with, as the reference's
// fetch_locator_block_hashes: the main chain's hashes from the first locator hash on it
// (genesis when none is), or from the peer's threshold (locatorTop) when that is higher,
// up to limit of them and through stop when stop is on the main chain (a stop at or below
// the start answers nothing). ok is false when the locator is too long for any chain,
// which scores the peer, and, for getheaders (knownLast), when the locator's last hash (its
// genesis) is unknown, which the reference leaves unanswered. The reference drops a peer
// whose locator passes MaxLocatorLen of its own height; a peer ahead of us sends a longer
// one legitimately, so only the bound of any height is misbehaviour here.
func (n *Node) located(p *p2p.Peer, loc []mvs.Hash, stop mvs.Hash, limit int, knownLast bool) ([]mvs.Hash, bool) {
	if len(loc) > wire.MaxLocatorLen(math.MaxUint32) {
		p.Misbehave(p2p.BanThreshold, "oversize locator")
		return nil, false
	}
	if knownLast {
		if len(loc) == 0 {
			return nil, false
		}
		if _, err := n.st.Header(loc[len(loc)-1]); err != nil {
			return nil, false
		}
	}
	start := n.forkPoint(loc)
	end := uint64(start) + uint64(limit) + 1 // exclusive
	if stop != (mvs.Hash{}) {
		if h, ok := n.mainHeight(stop); ok {
			end = min(end, uint64(h)+1)
		}
	}
	n.mu.Lock()
	top, has := n.locatorTop[p]
	n.mu.Unlock()
	if has {
		if h, ok := n.mainHeight(top); ok && h > start {
			start = h
		}
	}
	var out []mvs.Hash
	for h := uint64(start) + 1; h < end && h <= math.MaxUint32; h++ {
		hash, err := n.st.HashAt(uint32(h))
		if err != nil {
			break
		}
		out = append(out, hash)
	}
	return out, true
}

// mainHeight is hash's height when it is on our main chain.
func (n *Node) mainHeight(hash mvs.Hash) (uint32, bool) {
	rec, err := n.st.Header(hash)
	if err != nil {
		return 0, false
	}
	at, err := n.st.HashAt(rec.Height)
	return rec.Height, err == nil && at == hash
}

// forkPoint is the height of the first locator hash on our main chain (0, genesis, when
// none is).
func (n *Node) forkPoint(loc []mvs.Hash) uint32 {
	for _, h := range loc {
		if height, ok := n.mainHeight(h); ok {
			return height
		}
	}
	return 0
}

// OnGetData serves blocks (main chain or side bodies) and pool transactions; unknown
// blocks get a notfound (transactions none, as the reference).
func (n *Node) OnGetData(p *p2p.Peer, m *wire.MsgGetData) {
	var missing []wire.InvVect
	for _, iv := range m.InvList {
		switch iv.Type {
		case wire.InvTypeBlock:
			raw, err := n.st.Body(iv.Hash)
			if err != nil {
				missing = append(missing, iv)
				continue
			}
			// Back-pressure: a peer asking for many large blocks would overflow its send
			// queue (and be dropped); its read loop waits here instead.
			for p.Stats().QueuedBytes > serveQueueBytes {
				select {
				case <-p.Done():
					return
				case <-time.After(10 * time.Millisecond):
				}
			}
			// The stored bytes are the block as received and validated: sent as they are,
			// with no decoding and encoding again.
			if err := p.Send(rawBlockMsg(raw)); err != nil {
				return
			}
		case wire.InvTypeTx:
			if t, ok := n.pool.Get(iv.Hash); ok {
				if err := p.Send(&wire.MsgTx{Tx: *t}); err != nil {
					return
				}
			}
		}
	}
	if len(missing) > 0 {
		_ = p.Send(&wire.MsgNotFound{InvList: missing})
	}
}

// OnMemPool announces the pool's transactions.
func (n *Node) OnMemPool(p *p2p.Peer, _ *wire.MsgMemPool) {
	var inv wire.MsgInv
	for _, t := range n.pool.Txs() {
		if len(inv.InvList) == wire.MaxInvPerMsg {
			break
		}
		inv.InvList = append(inv.InvList, wire.InvVect{Type: wire.InvTypeTx, Hash: t.Hash()})
	}
	if len(inv.InvList) > 0 {
		_ = p.Send(&inv)
	}
}

// rawBlockMsg is a block message whose payload is a stored block's bytes, as they are (a
// block message's payload is the block). It is only sent.
type rawBlockMsg []byte

func (rawBlockMsg) Command() string { return wire.CmdBlock }

func (rawBlockMsg) Decode(io.Reader, uint32) error {
	return errors.New("node: a raw block message is only sent")
}

func (m rawBlockMsg) Encode(w io.Writer, _ uint32) error {
	_, err := w.Write(m)
	return err
}

func (rawBlockMsg) MaxPayloadLength(uint32) uint32 { return wire.MaxPayloadSize }

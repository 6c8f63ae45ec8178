// Package p2p is the reference node's peer layer: TCP connections to other Metaverse (MVS)
// nodes speaking the mvsd protocol of package wire, with the handshake, liveness, send
// queues, misbehaviour scores and bans, the address book and the connection manager. The
// node (sync manager, mempool relay, mining, RPC) sits on top and sees only messages.
//
// How the node uses it:
//
//	type node struct{ p2p.NoopHandler; /* chain, mempool, ... */ }
//	func (n *node) OnHeaders(p *p2p.Peer, m *wire.MsgHeaders) { /* chain.ProcessHeaders, then getdata */ }
//	func (n *node) OnBlock(p *p2p.Peer, m *wire.MsgBlock) {
//		if err := n.chain.ProcessBlock(&m.Block); err != nil && isInvalid(err) {
//			p.Misbehave(p2p.BanThreshold, "invalid block") // bans the sender's IP
//		}
//	}
//
//	srv, err := p2p.NewServer(p2p.Config{
//		Params:      mvs.MainNet(),
//		Listen:      "0.0.0.0:5251",             // default 127.0.0.1:<port>
//		BanFile:     filepath.Join(dir, "bans.json"),
//		AddrFile:    filepath.Join(dir, "hosts.cache"),
//		StartHeight: func() uint32 { return uint32(chain.Tip().Height) }, // honest, read per handshake
//		Handler:     n,
//		Logger:      logger,
//	})
//	err = srv.Start(ctx)
//	srv.AddrBook().Add(seedAddrs...)   // or srv.AddPeer("host:5251") for a peer kept connected
//	...
//	p.Send(&wire.MsgGetData{InvList: wanted}) // non-blocking; the block or tx asked for is then accepted
//	srv.Broadcast(&wire.MsgInv{...}, func(q *p2p.Peer) bool { return !q.Version().Relay })
//	...
//	err = srv.Close(shutdownCtx) // disconnects, waits for every goroutine, saves both files
//
// A Peer is one connection. Both sides send version at once (70012, services 1, the relay
// byte, our start height, a random nonce from crypto/rand); each answers the other's
// version with verack, and the handshake is complete when both arrived, within
// HandshakeTimeout (30 s). A version carrying a nonce this server sent is a connection to
// itself and ends both ends with ErrSelfConnection. Then a read loop parses each message
// at the negotiated version (min of 70012 and the peer's) with IdleTimeout as the read
// deadline, and a write loop drains a queue bounded in messages (500, the reference's
// rule) and in bytes; Send never blocks and a full queue drops the peer (ErrQueueFull).
// The peer is pinged right after the handshake and every PingInterval with a random
// nonce; a pong with another nonce drops it; its pings are answered. version, verack,
// ping, pong, addr and getaddr are handled here; every other message goes to the Handler
// on the peer's read goroutine. Peer.Err says why a peer ended; Done is closed once its
// goroutines have.
//
// Misbehaviour is scored per IP (kept across reconnections), where the reference's score
// is dead code: a wrong magic bans at once (as mvsd does, but by IP rather than IP:port,
// so a new ephemeral port does not escape it); a malformed frame or payload, a bad
// checksum, an oversize length, an unknown command, a message out of order, unrequested
// block or tx data and each message beyond a per-peer token bucket (inv, getdata and addr
// entries, tx messages) add the Penalty* points; the node adds its own with Misbehave. At
// BanThreshold (100) every connection from the IP is closed with a *MisbehaviorError
// (errors.Is ErrBanned) and the IP is banned for BanDuration (24 h). The BanList is a JSON
// file written atomically (temp file, fsync, rename, fsync of the directory) and consulted
// before accepting or dialing.
//
// The AddrBook holds at most 1000 addresses (host_pool_capacity), saved one ip:port per
// line like mvsd's hosts.cache. It is fed by addr messages (at most 1000 entries taken
// from one, within the addr token bucket) and by the peers we reach, and never stores a
// banned, unspecified, multicast, link-local, documentation or other special address, nor
// loopback or private ones unless AllowLocal. A getaddr is answered once per connection
// with a random 10-20 % of min(1000, size), at least one entry, without the all-zero
// padding of mvsd's reply.
//
// The Server listens (127.0.0.1:<port> unless Listen says otherwise), accepts while
// inbound < MaxInbound and all connections < MaxInbound+MaxOutbound, refuses banned IPs
// and a second connection to the same IP:port, keeps MaxOutbound connections to
// address-book entries, and redials AddPeer peers with exponential backoff. Close ends
// every peer and goroutine before it returns.
//
// Nothing here keeps package state or logs except through Config.Logger.
package p2p

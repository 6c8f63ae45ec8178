// Package rpcserver is the reference node's JSON-RPC v3 server and WebSocket push: the
// methods, options, answer shapes and error codes of mvsd (the C++ reference), so that
// rpcclient, mvs-cli and exchange code written for mvsd work against the SDK's node.
//
// How the node wires it:
//
//	srv, err := rpcserver.New(rpcserver.Config{
//		Params: p, Store: st, Chain: c, Queries: chain.NewQueries(st, p),
//		Pool:   pool,
//		Submit: node.AcceptAndRelay, // sendrawtx: into the pool and out to the peers
//		Peers:  node.Peers,          // getpeerinfo, addnode
//		Miner:  node.Miner,          // getwork, submitwork, getmininginfo
//		User:   user, Password: password,
//		Logger: log,
//	})
//	// for every transaction the pool accepts (from peers or sendrawtx):
//	srv.PublishTx(t)
//	// serve until ctx ends, then shut down gracefully:
//	err = srv.ListenAndServe(ctx, "127.0.0.1:8820")
//
// ListenAndServe (and Serve) start publishing the chain's connected blocks to push
// subscribers and refuse an address off loopback unless User and Password are set
// (ErrInsecureListen); the RPC then requires HTTP basic auth, compared in constant time,
// on calls and push handshakes alike (401 otherwise). A Server is also an http.Handler for
// a caller's own listener (call Start and Close around it), and Handle answers one request
// body without HTTP. A Server serves once: after Close, make a new one.
//
// JSON-RPC: POST /rpc/v3 with {"jsonrpc":"2.0"|"3.0","id","method","params"}; params are
// read as the reference reads them (rpcclient.Params: the first object's members are
// --options, the other elements positional arguments) and checked against each method's
// options, as the reference's command-line parser refuses an unknown option or an extra
// argument. Every outcome is HTTP 200 with the id echoed and either "result" or
// {"error":{"code","message"}} with the reference's codes (rpcclient.Code*): -32700 for a
// body that is not a JSON object, -32602 for params that are not an array, -32600 for a
// wrong "jsonrpc", 1020 for an unknown method, 1021 for bad parameters, 5101/5104/5105 for
// a missing block or header, 5306 for a missing transaction, 5304 for a refused sendrawtx,
// and so on. /rpc and /rpc/v2 answer 404: their shapes differ from v3's, and answering them
// with v3's would mislead a v2 client.
//
// Methods: getinfo, getheight, getbestblockhash, getblock (by height or hash; --json false
// for the raw block, --tx_json false for raw transactions), getblockheader (--height,
// --hash, or the tip), gettx (chain, then pool with height 0; --json false), decoderawtx,
// sendrawtx, getmemorypool, getaddressetp (--utxo, --range, --deposited), getaddressasset (--cert,
// --utxo, --deposited, --symbol, --range, --utxominimumconfirmations), listtxs (--address,
// --symbol, --height, --index, --limit; newest first), getasset (--cert), listassets,
// getdid, listdids, getmit (--trace, --current), listmits, getpeerinfo, addnode,
// getmininginfo, getwork, submitwork (v3: a "0x" nonce used as is), validateaddress, and
// the reference's aliases of these. Addresses may be given as DIDs. The answers are
// rpcclient's types, which are the reference's v3 shapes, so the client and this server
// cannot drift apart.
// Stealth outputs are printed without their "stealth" member, and validateaddress calls
// an address of another network invalid (the reference labels it with its own). Methods
// gated by the reference's administrator credentials accept and ignore them (HTTP basic
// auth is the gate here). mvsd's wallet and account methods (send, getbalance, signrawtx, ...)
// answer 1020 saying that keys stay in the caller's wallet: this node holds none; build
// and sign with the wallet package and send with sendrawtx. getaddressetp --deposited
// lists the deposits still locked as the reference computes them (bonus_balance is always
// 0 there: the interest a block pays a deposit is an entry of its own).
//
// Limits: MaxRequestBytes caps a body (413), MaxConcurrent the calls in flight (503), and
// RequestTimeout each call (its context). No input panics the server (FuzzHandle); a bug
// that did would be answered -32603 and logged, not crash the node.
//
// WebSocket push (the reference's WsPushServ protocol, as rpcclient.Subscribe speaks it):
// an upgrade on any path; the server greets with {"event":"version"} and
// {"event":"info"}, answers {"event":"subscribe"|"unsubscribe","channel":"block"|
// "height"|"tx","address":""|addr|[addr...]} (DIDs resolved to their address when
// subscribing) with subscribed/unsubscribed or {"event":"error","result":{"code":1000001,
// "message"}}, answers version and ping, and publishes {"event":"publish","channel",
// "topic","result"}: each connected block and its height, and each transaction touching a
// subscribed address (the inputs' signers and the outputs' payees) with its height, 0 for
// a pool transaction given to PublishTx. The RFC 6455 server side is in this package (no
// dependency): masked client frames only, fragments reassembled up to 64 KiB, ping/pong,
// the close handshake, and the RFC's close codes for violations. Each connection's
// messages go through a bounded queue (PushQueue); a subscriber that falls that far behind
// is disconnected (close 1008), so a slow client never blocks the chain. If the server's
// own chain subscription lags, every push connection is closed so that clients reconnect
// and see the gap (rpcclient reports it as EventGap) rather than miss blocks silently.
package rpcserver

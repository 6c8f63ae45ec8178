// Package rpcclient is a client for an MVS node's JSON-RPC API (v3) and WebSocket push:
// the reference C++ node mvsd, or the SDK's own node, which answers the same methods with
// the same shapes.
//
// Use:
//
//	c, err := rpcclient.New("http://127.0.0.1:8820", rpcclient.Options{
//		PushURL: "ws://127.0.0.1:8821",
//	})
//	height, err := c.GetHeight(ctx)
//	blk, err := c.GetBlock(ctx, rpcclient.ByHeight(height))
//	for _, tx := range blk.Transactions { ... }
//
//	sub, err := c.Subscribe(ctx, rpcclient.Topics{Heights: true, Txs: []string{depositAddr}})
//	defer sub.Close()
//	for ev := range sub.Events() {
//		switch ev.Kind {
//		case rpcclient.EventTx:  // ev.Tx touches depositAddr; ev.Height is 0 in the pool
//		case rpcclient.EventGap: // events were lost: resynchronize with GetBlock from the last height
//		}
//	}
//
// Every method takes a context and has a per-call timeout (Options.Timeout). Answers are
// read up to Options.MaxResponseBytes and refused beyond it (ErrResponseTooLarge). The
// node's refusals are *RPCError with the reference's code (the Code constants); failures to
// reach the node wrap ErrTransport; answers that are not the reference's shape wrap
// ErrMalformedResponse; answers about something other than what was asked (another block,
// another transaction hash) wrap ErrMismatch. Credentials in Options.User/Password are sent
// as HTTP basic auth, and on the push handshake.
//
// The answer types (Block, Tx, Info, ...) are the reference's v3 JSON, field for field
// (src/lib/explorer/json_helper.cpp and the commands in src/lib/explorer/extensions/):
// numbers the reference prints as strings are Uint64String or Uint256String, hashes are
// mvs.Hash in display order. They decode the string and the number form of each number,
// since node releases and API versions differ, and encode the current v3 form, so that a
// server can reuse them.
//
// Parameters go as the reference reads them: v3 turns the first object of "params" into
// --key value options (null for a bare flag) and the other elements into positional
// arguments, and parses the result as a command line. A value starting with '-' would be
// read as an option, so it is refused before sending (ErrInvalidParam). Params, Request and
// Response are these shapes for a server: Params decodes "params" as the reference does
// and CommandLine gives the argv its parser sees.
//
// The push (Subscribe) follows the reference's WsPushServ protocol: subscribe to the block,
// height and tx channels (tx for all transactions or for addresses and DIDs). The
// subscription reconnects and resubscribes with backoff, buffers a bounded number of events,
// and never skips silently: a reconnection, an overflow of the buffer and a jump in the
// published heights each arrive as an EventGap. The WebSocket client is a small RFC 6455
// implementation in this package (no dependency). The package starts goroutines only for a
// subscription, and Close or the subscription's context stops them all.
//
// Where it sits: the package map puts the node's RPC in examples/node; the client is an SDK
// package instead because an exchange that already runs mvsd uses it without the SDK's
// node, and the node's server (examples/node/rpcserver) reuses its answer types, so the
// two cannot drift apart.
package rpcclient

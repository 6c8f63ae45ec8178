// Package devnet runs the SDK's node, mvsgod (examples/node), as real child processes on a
// private RegTest chain with Ethash's small test sizes: the private chain that the
// examples' demos and end-to-end tests start themselves (the explorer, the exchange, the
// pool). A test or a demo gets what a user gets from `go run ./examples/node --net regtest`:
// a process with a datadir, P2P and JSON-RPC/push ports on loopback, that can be
// stopped, killed with SIGKILL and restarted on the same store.
//
//	bin, err := devnet.Build(ctx, dir)                          // go build, once
//	n, err := devnet.Start(ctx, devnet.Config{Bin: bin, Dir: filepath.Join(dir, "a")})
//	defer n.Stop()
//	hashes, err := n.Mine(ctx, 3)                               // getwork, CPU seal, submitwork
//	w, err := devnet.NewWallet(n, "")                           // the well-known regtest key
//	t, err := w.Pay(ctx, someAddress, 5*mvs.SatoshiPerETP)      // built, signed, sent
//	kinds, err := devnet.Populate(ctx, n)                       // one transaction of every kind
//
// Blocks are mined on demand through the node's own getwork/submitwork RPC (what an
// external miner uses), so a test decides exactly when blocks appear; Config.MineEvery adds
// the node's timed miner instead. The Wallet follows the node's main chain block by block
// over RPC (raw blocks, so every attachment kind is seen) and keeps the unspent outputs of
// its account's first addresses as proven wallet coins; a reorganisation makes it rescan.
//
// Why child processes and not an in-process chain (chain/regtest does that for unit
// tests): the services here talk to a node the way they would in production, over its
// RPC, push channel and P2P, and their tests kill and restart that node.
//
// Why here and not in the SDK: the architecture puts logic that examples share into the
// SDK's packages, and the logic here (mining through getwork, following a node's chain,
// building every transaction kind) is the SDK's already (ethash, rpcclient, wallet); what
// devnet adds is running the example node as a program, which no SDK package may do
// without depending on an example. internal keeps it out of the SDK's API while every
// example module (their import paths start with examples/) can use it.
package devnet

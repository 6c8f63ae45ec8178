// Package stratum is a mining pool's share server for MVS: Ethash miners connect over
// TCP, get work taken from the node's getwork, and submit shares, which are checked with
// the SDK's ethash.Verifier; a share that also meets the network's difficulty is sent to
// the node with submitwork.
//
// # Use
//
//	v := ethash.New(ethash.Config{Dir: dir, Mode: ethash.Full}) // DAG once built, the cache meanwhile
//	defer v.Close()
//	node, _ := rpcclient.New("http://127.0.0.1:8820", rpcclient.Options{PushURL: "ws://127.0.0.1:8820/"})
//	s, err := stratum.New(stratum.Config{Node: node, Params: mvs.MainNet(), Verifier: v, ShareDifficulty: 1 << 32})
//	l, _ := net.Listen("tcp", "127.0.0.1:8008")
//	err = s.Serve(ctx, l) // until ctx ends
//	for _, w := range s.Workers() { fmt.Println(w.Login, w.Accepted, w.Hashrate) }
//
// # Protocols
//
// One port speaks both; a connection's first request decides which.
//
//   - eth-proxy stratum, as open-ethereum-pool and ethminer's stratum1+tcp speak it:
//     eth_submitLogin ["ADDRESS[.worker]", "password"], eth_getWork → [pow hash, seed hash,
//     share target], eth_submitWork [nonce, pow hash, mix digest], eth_submitHashrate. New
//     work is pushed as a result with id 0.
//   - EthereumStratum/1.0.0 (NiceHash's): mining.subscribe → [["mining.notify", session,
//     "EthereumStratum/1.0.0"], extranonce], mining.authorize [login, password],
//     mining.set_difficulty (1 = 2^32 hashes), mining.notify [job id, seed hash, pow hash,
//     clean], mining.submit [login, job id, nonce after the 2-byte extranonce]. The miner
//     sends no mix digest: the pool computes it.
//
// Hashrate reports (eth_submitHashrate, mining.hashrate) are taken on either protocol, as
// ethminer sends them. A login is one of the network's addresses (the payee), optionally
// ".worker"; mining.submit's login parameter is not read (the connection's is). Errors use
// the stratum codes (Code): 21 stale, 22 duplicate, 23 low difficulty or bad mix, 24
// unauthorized or banned, 25 not subscribed, -1 malformed.
//
// # Shares
//
// A job is one getwork answer: its height (the node's height + 1, whose epoch must give
// getwork's seed hash), pow hash, and difficulties: the network's (2^256/boundary) and the
// share's, Config.ShareDifficulty capped at the network's, so a block is always a share.
// Every share costs one hashimoto, checked by package share's Checker (see its doc): at
// the network's difficulty through ethash.Verifier.VerifyBatch, so that one hash says
// whether the share is a block, a share, or too high. The server's checker
// takes all the shares waiting at once, from every connection, as one batch, waiting up to
// Config.BatchWait (1 ms) for more while some connection has none in yet.
//
// A share is stale when its job is gone: the node's height moved (a new job then clears
// the others), the pool found a block on it, or it is older than the last KeepJobs of the
// height (keep that below the number of templates the node keeps: the SDK's node keeps 8).
// A (job, nonce) seen before is a duplicate, refused before it is checked.
//
// # Limits and bans
//
// Lines are at most MaxLineBytes (longer closes the connection), one request is handled
// at a time per connection, replies and pushed work wait in a 16-line queue (a miner that
// does not read is disconnected), connections (in all and per IP) and workers are capped,
// the longest idle worker with no connection giving way to a new one. BanInvalid invalid
// shares (bad mix, low difficulty, duplicate, malformed, failed logins) within BanWindow
// from one IP or one address ban both for BanFor: their connections are closed and new
// ones refused. Stale shares and methods the pool does not speak are not held against a
// miner. Only valid shares' nonces are remembered for the duplicate check.
//
// The server listens where it is told; Serve refuses a listener off loopback unless
// Config.Password is set, which every login must then give.
//
// # Statistics
//
// Totals counts the pool's accepted, stale, duplicate and invalid shares and its blocks
// (accepted by the node, and refused by it). Workers gives each worker's counts and
// hashrate: the accepted shares' difficulty over HashrateWindow, per second.
package stratum

// Command pool is a mining pool's share server for MVS: Ethash miners connect over
// eth-proxy stratum or EthereumStratum/1.0.0 (both on one port), get work from the node's
// getwork, and their shares are checked with the SDK's ethash.Verifier and, when one meets
// the network's difficulty, submitted to the node as a block.
//
//	go run ./examples/pool --demo                 # a private chain, the pool, two CPU miners
//	go run ./examples/pool --node http://127.0.0.1:8820 --net mainnet --full
//
// Flags:
//
//	--node URL            the node's JSON-RPC (default http://127.0.0.1:8820)
//	--push URL            the node's WebSocket push (default ws://the --node host/; mvsd's: ws://HOST:8821)
//	--rpc-user U, --rpc-password-file F   the node's basic auth
//	--admin-name N, --admin-password-file F   mvsd's administrator, when its getwork requires one
//	--net N               mainnet (default), testnet or regtest: miners log in with its addresses
//	--listen A            the stratum port (default 127.0.0.1:8008)
//	--password-file F     a password every miner must give (required off loopback)
//	--share-difficulty D  hashes a share is worth (default 2^32)
//	--ethash-dir D        where caches and DAGs are kept (default ethash.DefaultDir)
//	--full                verify from the DAG once built (1 GB and up; the cache meanwhile)
//	--ethash-test-sizes   Ethash's small test sizes (regtest chains mined by tests)
//	--stats-every D       log every worker's counts and hashrate this often (default 1m)
//	--log-level L         debug, info (default), warn or error
//	--demo                start a private chain (mvsgod on regtest, built from this
//	                      module), run the pool on it, mine --demo-blocks blocks through
//	                      it with a CPU miner on each protocol, print the statistics, exit
//	--demo-blocks N       blocks the demo mines on each protocol (default 3)
//	--demo-serve          after the demo, keep the chain and the pool up for your own miners
package main

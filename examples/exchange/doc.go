// Command exchange is an exchange's deposit-and-withdrawal backend on MVS: the service
// (package backend) behind a command line, and the offline signer as a command of its own.
//
//	go run . demo                      # a private chain, deposits, a withdrawal, the ledger
//
//	exchange xpub --net regtest --mnemonic-file cold.mnemonic        # on the signing machine
//	exchange run --net regtest --node http://127.0.0.1:8820 --xpub XPUB --db exchange.db
//	exchange address --xpub XPUB --db exchange.db alice              # a deposit address
//	exchange hot --xpub XPUB --db exchange.db                        # fund withdrawals here
//	exchange withdraw --xpub XPUB --db exchange.db --id w-1 --user alice --to ADDR --amount 1 > w-1.json
//	exchange sign --net regtest --mnemonic-file cold.mnemonic < w-1.json > w-1.hex   # cold side
//	exchange submit --xpub XPUB --db exchange.db --id w-1 < w-1.hex
//	exchange sweep --xpub XPUB --db exchange.db --id s-1 > s-1.json   # deposits to the hot wallet, signed likewise
//	exchange status --db exchange.db
//
// --postgres DSN (or EXCHANGE_POSTGRES_DSN) puts the ledger in PostgreSQL instead of the
// SQLite file. run follows the node until SIGTERM, woken by its push channel (ws:// on the
// node's host by default; --push off polls). The command opens no port: the service talks
// to the node and the database only.
package main

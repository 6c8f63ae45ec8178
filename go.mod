module github.com/mvsgo/mvs

go 1.26.0

require (
	github.com/btcsuite/btcd/btcec/v2 v2.3.5
	golang.org/x/crypto v0.59.0
)

require (
	github.com/decred/dcrd/dcrec/secp256k1/v4 v4.0.1 // indirect
	golang.org/x/sys v0.50.0 // indirect
)

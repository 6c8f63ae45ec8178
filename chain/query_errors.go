package chain

import "errors"

// Query errors. A query also fails with the store's errors: store.ErrNotFound (no such
// transaction, height, asset, certificate, MIT or DID), store.ErrNoAddressIndex,
// store.ErrClosed, store.ErrCorrupt; and ErrBadRecord for a registry record that does not
// decode.
var (
	// ErrBadQuery: a query argument that is wrong (a page limit outside 1..MaxPage, a
	// malformed cursor, an invalid address, an empty symbol).
	ErrBadQuery = errors.New("chain: invalid query")
	// ErrBalanceOverflow: an address's unspent outputs add up past 2^64−1 of ETP or of one
	// asset, which no valid chain allows; refused rather than wrapped.
	ErrBalanceOverflow = errors.New("chain: balance overflows 64 bits")
)

// Package wirecmp measures package wire of the MVS SDK against btcd's wire on the same
// messages in the same run: a version, an inv of 50,000 entries, 2,000 headers, a real block
// and a real transaction (for btcd, the Bitcoin twins: same inputs, scripts, values and
// transaction counts, without MVS attachments and with btcd's 80-byte headers). It is its
// own module so that btcd never enters the SDK's go.mod.
//
// Run: cd internal/compare/wire && go test -run XXX -bench . -benchmem
package wirecmp

// Package btcdcompare measures btcd's wire.MsgTx against mvs's tx package on transactions of
// the same shape, in the same run. It is its own module so that btcd never enters the SDK's
// go.mod. Run: cd internal/compare/btcd && go test -run XXX -bench . -benchmem
package btcdcompare

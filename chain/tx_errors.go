package chain

// The transaction rules in context, one code each (the node's validate_transaction.cpp
// errors). Codes run from firstTxCode; add a code before endTxCodes and its name to
// txCodeNames.
const (
	endTxCodes = firstTxCode + iota // keep last
)

// txCodeNames is indexed by code; entries below firstTxCode are unused.
var txCodeNames = [endTxCodes]string{}

package rpcclient

import (
	"errors"
	"fmt"
)

// Codes the reference node (mvsd) puts in an error answer's "code". The node answers an
// error with HTTP 200 and {"error":{"code","message"}}; these are the codes an exchange
// most often branches on (include/metaverse/explorer/extensions/exception.hpp).
const (
	CodeUnknown               = 500    // unknown_error_exception
	CodeGeneric               = 1000   // any std::exception the command did not classify
	CodeFatal                 = 1001   // fatal_exception
	CodeConnection            = 1011   // connection_exception: client not in server.rpc_client_addresses
	CodeInvalidCommand        = 1020   // unknown method, or forbidden by allow/forbid_rpc_methods
	CodeCommandParams         = 1021   // parameters the command line parser refused
	CodeSettingRequired       = 1024   // e.g. getwork without a mining account
	CodeBlockSyncRequired     = 1025   // the node is below the height the command needs
	CodeArgumentExceedLimit   = 2001   // argument_exceed_limit_exception
	CodeArgumentLegality      = 2003   // argument_legality_exception (bad page, range, ...)
	CodeAccountAuthority      = 3002   // wrong account or admin password
	CodeAccountNotFound       = 3003   // account_notfound_exception
	CodeAddressInvalid        = 4010   // address_invalid_exception
	CodeAddressNotBoundDID    = 4017   // address_not_bound_did_exception
	CodeAssetSymbolNotFound   = 5010   // asset_symbol_notfound_exception
	CodeBlockHeightGet        = 5101   // block_height_get_exception (no such block)
	CodeBlockLastHeightGet    = 5102   // block_last_height_get_exception
	CodeBlockHeight           = 5103   // block_height_exception (bad height range)
	CodeBlockHashGet          = 5104   // block_hash_get_exception
	CodeBlockHeaderGet        = 5105   // block_header_get_exception (no such header)
	CodeTxValidate            = 5304   // tx_validate_exception (sendrawtx refused the tx)
	CodeTxBroadcast           = 5305   // tx_broadcast_exception
	CodeTxNotFound            = 5306   // tx_notfound_exception
	CodeTxFetch               = 5308   // tx_fetch_exception
	CodeDIDSymbolNotFound     = 7006   // did_symbol_notfound_exception
	CodeJSONRPCParseError     = -32700 // body is not a JSON object
	CodeJSONRPCInvalidRequest = -32600 // "jsonrpc" is not "2.0" or "3.0"
	CodeJSONRPCMethodNotFound = -32601
	CodeJSONRPCInvalidParams  = -32602 // "params" is not an array
	CodeJSONRPCInternalError  = -32603
	CodePushSynchronizing     = 1000002 // WebSocket push: "under blockchain synchronizing"
)

// RPCError is an error the node answered: the call reached the node and the node refused
// it. Match it with errors.As; Code is one of the Code constants or another reference code.
type RPCError struct {
	Code    int
	Message string
	Method  string // the method called (or the push request), for the message
}

func (e *RPCError) Error() string {
	return fmt.Sprintf("rpcclient: %s: node error %d: %s", e.Method, e.Code, e.Message)
}

// Is makes errors.Is(err, &RPCError{Code: c}) match any RPCError with code c.
func (e *RPCError) Is(target error) bool {
	t, ok := target.(*RPCError)
	return ok && t.Code == e.Code && t.Message == "" && t.Method == ""
}

// HTTPError is a non-200 HTTP status. The reference answers every RPC outcome, errors
// included, with 200, so another status comes from a proxy or from authentication.
type HTTPError struct {
	StatusCode int
	Status     string
}

func (e *HTTPError) Error() string { return "rpcclient: HTTP status " + e.Status }

// Unwrap lets errors.Is(err, ErrUnauthorized) match 401 and 403.
func (e *HTTPError) Unwrap() error {
	if e.StatusCode == 401 || e.StatusCode == 403 {
		return ErrUnauthorized
	}
	return nil
}

var (
	// ErrTransport wraps every failure to reach the node or to read its answer (dial,
	// TLS, timeout, reset). The underlying error is wrapped too: errors.Is(err,
	// context.DeadlineExceeded) works.
	ErrTransport = errors.New("rpcclient: transport")
	// ErrUnauthorized is a 401/403 answer: wrong or missing credentials.
	ErrUnauthorized = errors.New("rpcclient: unauthorized")
	// ErrResponseTooLarge is an answer (or a push message) larger than the configured cap.
	ErrResponseTooLarge = errors.New("rpcclient: response too large")
	// ErrMalformedResponse is an answer that is not the JSON-RPC envelope or not the
	// reference's shape for the method (wrong type, bad hash, number out of range).
	ErrMalformedResponse = errors.New("rpcclient: malformed response")
	// ErrMismatch is a well-formed answer for something other than what was asked (another
	// block height or hash, another transaction, another id).
	ErrMismatch = errors.New("rpcclient: answer does not match the request")
	// ErrNotFound is a null result where the method answers an object when the item
	// exists (getmit for an unknown symbol).
	ErrNotFound = errors.New("rpcclient: not found")
	// ErrInvalidParam is a parameter refused before sending: the reference parses
	// parameters as a command line, so a value starting with '-' would become an option,
	// and some values have limits (page size at most 100, heights below 2^32-1).
	ErrInvalidParam = errors.New("rpcclient: invalid parameter")
	// ErrInvalidOptions is an Options or Topics value New or Subscribe cannot use.
	ErrInvalidOptions = errors.New("rpcclient: invalid options")
	// ErrClosed is returned by calls on a closed Subscription.
	ErrClosed = errors.New("rpcclient: closed")
	// ErrWebSocket is a WebSocket protocol violation by the server (bad handshake, masked
	// or malformed frame, bad close).
	ErrWebSocket = errors.New("rpcclient: websocket protocol")
)

// malformed wraps ErrMalformedResponse with what was wrong.
func malformed(method string, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrMalformedResponse, method, fmt.Sprintf(format, args...))
}

func invalidParam(method string, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrInvalidParam, method, fmt.Sprintf(format, args...))
}

package rpcserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/mvsgo/mvs/rpcclient"
)

func readBody(r io.Reader) ([]byte, error) { return io.ReadAll(r) }

// rpcError is an answer's error: a reference code and its message.
type rpcError struct {
	code int
	msg  string
}

func (e *rpcError) Error() string { return fmt.Sprintf("%d: %s", e.code, e.msg) }

func errf(code int, format string, args ...any) *rpcError {
	return &rpcError{code: code, msg: fmt.Sprintf(format, args...)}
}

// envelope is the answer as the reference prints it.
type envelope struct {
	JSONRPC string                 `json:"jsonrpc"`
	ID      json.RawMessage        `json:"id"`
	Result  json.RawMessage        `json:"result,omitempty"`
	Error   *rpcclient.ErrorObject `json:"error,omitempty"`
}

// request is a v3 call before its params are read.
type request struct {
	JSONRPC json.RawMessage `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Method  json.RawMessage `json:"method"`
	Params  json.RawMessage `json:"params"`
}

// echoID is the id as the reference echoes it: JsonCpp's asInt64 of a number, std::stol of
// a string, 0 for anything else.
func echoID(raw json.RawMessage) json.RawMessage {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return json.RawMessage("0")
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
				return json.RawMessage(strconv.FormatInt(n, 10))
			}
		}
		return json.RawMessage("0")
	}
	if n, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
		return json.RawMessage(strconv.FormatInt(n, 10))
	}
	if n, err := strconv.ParseUint(string(raw), 10, 64); err == nil {
		return json.RawMessage(strconv.FormatUint(n, 10))
	}
	return json.RawMessage("0")
}

// Handle answers one JSON-RPC v3 request body; it never panics and always returns an
// envelope (the reference answers every outcome with HTTP 200).
func (s *Server) Handle(ctx context.Context, body []byte) (out []byte) {
	id := json.RawMessage("0")
	defer func() {
		if p := recover(); p != nil {
			// A bug must not take the node down, nor hide: log it and answer an error.
			s.log.Error("rpcserver: panic in a call", "panic", fmt.Sprint(p))
			out = encode(id, nil, errf(rpcclient.CodeJSONRPCInternalError, "internal error"))
		}
	}()
	var req request
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' || json.Unmarshal(body, &req) != nil {
		return encode(id, nil, errf(rpcclient.CodeJSONRPCParseError, "Parse error."))
	}
	id = echoID(req.ID)
	var params rpcclient.Params
	if p := bytes.TrimSpace(req.Params); len(p) > 0 && string(p) != "null" {
		if p[0] != '[' {
			return encode(id, nil, errf(rpcclient.CodeJSONRPCInvalidParams, "Invalid params."))
		}
		if err := json.Unmarshal(p, &params); err != nil {
			return encode(id, nil, errf(rpcclient.CodeJSONRPCInvalidParams, "Invalid params: %v", err))
		}
	}
	var version string
	if json.Unmarshal(req.JSONRPC, &version) != nil || (version != "2.0" && version != "3.0") {
		return encode(id, nil, errf(rpcclient.CodeJSONRPCInvalidRequest, "Invalid Request: jsonrpc must be \"2.0\" or \"3.0\"."))
	}
	var method string
	if json.Unmarshal(req.Method, &method) != nil || method == "" {
		return encode(id, nil, errf(rpcclient.CodeInvalidCommand, "no method given"))
	}
	result, err := s.call(ctx, method, params)
	if err != nil {
		return encode(id, nil, s.toRPCError(method, err))
	}
	return encode(id, result, nil)
}

func (s *Server) toRPCError(method string, err error) *rpcError {
	var re *rpcError
	if errors.As(err, &re) {
		return re
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return errf(rpcclient.CodeGeneric, "%s: %v", method, err)
	}
	s.log.Warn("rpcserver: call failed", "method", method, "err", err)
	return errf(rpcclient.CodeGeneric, "%v", err)
}

func encode(id json.RawMessage, result any, e *rpcError) []byte {
	env := envelope{JSONRPC: "2.0", ID: id}
	if e != nil {
		env.Error = &rpcclient.ErrorObject{Code: e.code, Message: e.msg}
	} else {
		raw, err := json.Marshal(result)
		if err != nil {
			env.Error = &rpcclient.ErrorObject{Code: rpcclient.CodeJSONRPCInternalError, Message: "encoding the result: " + err.Error()}
		} else {
			env.Result = raw
		}
	}
	b, err := json.Marshal(env)
	if err != nil { // cannot happen: every member is already JSON
		return []byte(`{"jsonrpc":"2.0","id":0,"error":{"code":-32603,"message":"internal error"}}`)
	}
	return append(b, '\n')
}

// args is a call's command line after the reference's parser: options by name and the
// positional arguments.
type args struct {
	method string
	opts   map[string][]*string
	pos    []string
}

// optSpec says how a method reads an option: a flag takes no value (a bare --name, or
// true/false), a value option takes one.
type optSpec struct {
	flag bool
}

// parse checks p against a method's options and positional count, as the reference's
// command line parser refuses an unknown option or an extra argument.
func parse(method string, p rpcclient.Params, spec map[string]optSpec, maxPos int) (*args, error) {
	a := &args{method: method, opts: map[string][]*string{}}
	for _, o := range p.Options {
		sp, ok := spec[o.Name]
		if !ok {
			return nil, errf(rpcclient.CodeCommandParams, "%s: unrecognised option '--%s'", method, o.Name)
		}
		if !sp.flag && o.Value == nil {
			return nil, errf(rpcclient.CodeCommandParams, "%s: option '--%s' requires a value", method, o.Name)
		}
		a.opts[o.Name] = append(a.opts[o.Name], o.Value)
	}
	if len(p.Args) > maxPos {
		return nil, errf(rpcclient.CodeCommandParams, "%s: too many positional arguments (%d, at most %d)", method, len(p.Args), maxPos)
	}
	a.pos = p.Args
	return a, nil
}

// str is option name's value ("" and false when absent); a repeated option is refused.
func (a *args) str(name string) (string, bool, error) {
	vs := a.opts[name]
	switch len(vs) {
	case 0:
		return "", false, nil
	case 1:
		if vs[0] == nil {
			return "", true, nil
		}
		return *vs[0], true, nil
	}
	return "", false, errf(rpcclient.CodeCommandParams, "%s: option '--%s' given %d times", a.method, name, len(vs))
}

// flag reads a switch: bare, or with the value true/false (1/0).
func (a *args) flag(name string) (bool, error) {
	v, ok, err := a.str(name)
	if err != nil || !ok {
		return false, err
	}
	if vs := a.opts[name]; vs[0] == nil {
		return true, nil
	}
	return a.boolValue(name, v)
}

func (a *args) boolValue(name, v string) (bool, error) {
	switch strings.ToLower(v) {
	case "true", "1", "yes":
		return true, nil
	case "false", "0", "no":
		return false, nil
	}
	return false, errf(rpcclient.CodeCommandParams, "%s: option '--%s': %q is not a boolean", a.method, name, v)
}

// boolOpt reads a value option holding a boolean, def when absent.
func (a *args) boolOpt(name string, def bool) (bool, error) {
	v, ok, err := a.str(name)
	if err != nil || !ok {
		return def, err
	}
	if a.opts[name][0] == nil {
		return true, nil
	}
	return a.boolValue(name, v)
}

// uintOpt reads a decimal option, def when absent, refusing values above max.
func (a *args) uintOpt(name string, def, max uint64) (uint64, error) {
	v, ok, err := a.str(name)
	if err != nil || !ok {
		return def, err
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil || n > max {
		return 0, errf(rpcclient.CodeCommandParams, "%s: option '--%s': %q is not an integer in 0..%d", a.method, name, v, max)
	}
	return n, nil
}

// rangeOpt reads "begin:end" (the reference's --range and --height), [begin, end).
func (a *args) rangeOpt(name string) (lo, hi uint64, ok bool, err error) {
	v, ok, err := a.str(name)
	if err != nil || !ok {
		return 0, 0, false, err
	}
	l, h, found := strings.Cut(v, ":")
	var e1, e2 error
	lo, e1 = strconv.ParseUint(l, 10, 64)
	hi, e2 = strconv.ParseUint(h, 10, 64)
	if !found || e1 != nil || e2 != nil || lo >= hi {
		return 0, 0, false, errf(rpcclient.CodeArgumentLegality, "%s: option '--%s': %q is not begin:end with begin < end", a.method, name, v)
	}
	return lo, hi, true, nil
}

// arg is positional argument i, "" when absent.
func (a *args) arg(i int) string {
	if i < len(a.pos) {
		return a.pos[i]
	}
	return ""
}

// need refuses a call without positional argument i.
func (a *args) need(i int, what string) (string, error) {
	if i >= len(a.pos) || a.pos[i] == "" {
		return "", errf(rpcclient.CodeCommandParams, "%s: the option '--%s' is required but missing", a.method, what)
	}
	return a.pos[i], nil
}

package rpcclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync/atomic"
	"time"
)

// Defaults for Options fields left zero.
const (
	DefaultTimeout          = 30 * time.Second
	DefaultMaxResponseBytes = 64 << 20 // a block of max size with every tx in JSON is far smaller
	defaultPath             = "/rpc/v3"
)

// Options configures a Client. The zero value talks to the given URL with no credentials,
// http.DefaultClient's transport, a 30 s timeout per call and a 64 MiB answer cap.
type Options struct {
	// User and Password, when User is set, are sent as HTTP basic auth on every request and
	// on the WebSocket handshake. The reference node has no authentication; the SDK's node
	// requires it off loopback.
	User, Password string
	// AdminName and AdminPassword, when AdminName is set, are passed to the methods the
	// reference gates with server.administrator_required (getinfo, getheight, getpeerinfo,
	// addnode, getmininginfo, getwork, getmemorypool) as their ADMINNAME/ADMINAUTH
	// arguments.
	AdminName, AdminPassword string
	// HTTPClient sends the requests; nil means a client with http.DefaultTransport that
	// follows no redirect (a redirected call fails with an *HTTPError). Its own Timeout
	// and redirect policy, if any, apply too.
	HTTPClient *http.Client
	// Timeout bounds each call (request and reading the whole answer); 0 means
	// DefaultTimeout, a negative value means no timeout beyond the context's.
	Timeout time.Duration
	// MaxResponseBytes caps an answer's body, and a push message; 0 means
	// DefaultMaxResponseBytes. A larger answer fails with ErrResponseTooLarge.
	MaxResponseBytes int64
	// PushURL is the node's WebSocket push endpoint (the reference listens on
	// ws://127.0.0.1:8821, any path); Subscribe needs it.
	PushURL string
	// Push tunes subscriptions.
	Push PushOptions
	// Logger, if set, receives one debug record per call and push (re)connection; never
	// parameters, which can hold passwords.
	Logger *slog.Logger
}

// Client calls one node's JSON-RPC v3 API. It is safe for concurrent use and holds no
// goroutines; Subscribe starts the only ones, for the subscription it returns.
type Client struct {
	url     string
	opts    Options
	http    *http.Client
	maxBody int64
	timeout time.Duration
	nextID  atomic.Uint64
}

// New returns a Client for the node at rawURL, e.g. "http://127.0.0.1:8820". A URL
// without a path gets the reference's /rpc/v3; a path must end in /rpc/v3 because the
// answer types are v3's (v1 and v2 print other shapes). Credentials go in Options, not in
// the URL.
func New(rawURL string, opts Options) (*Client, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("%w: URL: %v", ErrInvalidOptions, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%w: URL scheme %q, want http or https", ErrInvalidOptions, u.Scheme)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("%w: URL has no host", ErrInvalidOptions)
	}
	if u.User != nil {
		return nil, fmt.Errorf("%w: put credentials in Options.User/Password, not in the URL", ErrInvalidOptions)
	}
	switch {
	case u.Path == "" || u.Path == "/":
		u.Path = defaultPath
	case !strings.HasSuffix(strings.TrimSuffix(u.Path, "/"), defaultPath):
		return nil, fmt.Errorf("%w: URL path %q: this client speaks API v3 (%s)", ErrInvalidOptions, u.Path, defaultPath)
	}
	if opts.MaxResponseBytes < 0 {
		return nil, fmt.Errorf("%w: negative MaxResponseBytes", ErrInvalidOptions)
	}
	if opts.User == "" && opts.Password != "" {
		return nil, fmt.Errorf("%w: Password without User", ErrInvalidOptions)
	}
	if opts.PushURL != "" {
		if _, err := parsePushURL(opts.PushURL); err != nil {
			return nil, err
		}
	}
	c := &Client{url: u.String(), opts: opts, http: opts.HTTPClient, maxBody: opts.MaxResponseBytes, timeout: opts.Timeout}
	if c.http == nil {
		// A JSON-RPC endpoint has no reason to redirect; following one would resend the
		// call (as a GET) somewhere else.
		c.http = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if c.maxBody == 0 {
		c.maxBody = DefaultMaxResponseBytes
	}
	if c.timeout == 0 {
		c.timeout = DefaultTimeout
	}
	return c, nil
}

// params is a call's arguments as the reference reads them: v3 turns the first object in
// "params" into --key value options (a JSON null value gives a bare --key flag) and the
// other elements into positional arguments, then parses the whole as a command line
// (node:src/mvsd/mgbubble/Mongoose.cpp). Every value is sent as a string, as the command
// line would see it.
type params struct {
	opts map[string]*string
	args []string
}

func (p *params) opt(key, value string) {
	if p.opts == nil {
		p.opts = map[string]*string{}
	}
	p.opts[key] = &value
}

func (p *params) flag(key string) {
	if p.opts == nil {
		p.opts = map[string]*string{}
	}
	p.opts[key] = nil
}

func (p *params) arg(s ...string) { p.args = append(p.args, s...) }

// check refuses what the reference's command line parser would misread: a value starting
// with '-' becomes an option, a NUL ends the C string, an empty option value becomes an
// empty positional argument.
func checkValue(method, what, v string) error {
	if strings.HasPrefix(v, "-") {
		return invalidParam(method, "%s %q starts with '-' (the node would read it as an option)", what, v)
	}
	if strings.IndexByte(v, 0) >= 0 {
		return invalidParam(method, "%s contains NUL", what)
	}
	return nil
}

// build checks every value and returns the exported form.
func (p *params) build(method string) (Params, error) {
	var out Params
	names := make([]string, 0, len(p.opts))
	for k := range p.opts {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		v := p.opts[k]
		if v != nil {
			if *v == "" {
				return Params{}, invalidParam(method, "empty value for --%s", k)
			}
			if err := checkValue(method, "--"+k, *v); err != nil {
				return Params{}, err
			}
		}
		out.Options = append(out.Options, Option{Name: k, Value: v})
	}
	for _, a := range p.args {
		if err := checkValue(method, "argument", a); err != nil {
			return Params{}, err
		}
	}
	out.Args = p.args
	return out, nil
}

// response is the envelope. Result stays raw so that a null result can be told apart.
type response struct {
	ID     json.RawMessage `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    json.Number `json:"code"`
		Message string      `json:"message"`
	} `json:"error"`
}

// call sends method with p and decodes the result into out (which may be nil).
func (c *Client) call(ctx context.Context, method string, p *params, out any) error {
	result, err := c.callRaw(ctx, method, p)
	if err != nil || out == nil {
		return err
	}
	return unmarshalResult(method, result, out)
}

// jsonUnmarshal is json.Unmarshal; one place to change decoding rules.
func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// callRaw sends method with p and returns the raw result.
func (c *Client) callRaw(ctx context.Context, method string, p *params) (_ json.RawMessage, err error) {
	if p == nil {
		p = &params{}
	}
	ps, err := p.build(method)
	if err != nil {
		return nil, err
	}
	id := c.nextID.Add(1)
	body, err := json.Marshal(Request{JSONRPC: "2.0", ID: id, Method: method, Params: ps})
	if err != nil {
		return nil, fmt.Errorf("rpcclient: %s: encoding request: %w", method, err)
	}
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	start := time.Now()
	if c.opts.Logger != nil {
		defer func() {
			c.opts.Logger.LogAttrs(ctx, slog.LevelDebug, "rpcclient call", slog.String("method", method),
				slog.Duration("took", time.Since(start)), slog.Any("err", err))
		}()
	}
	raw, err := c.post(ctx, method, body)
	if err != nil {
		return nil, err
	}
	return decodeEnvelope(method, id, raw)
}

func (c *Client) post(ctx context.Context, method string, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrTransport, method, err)
	}
	req.Header.Set("Content-Type", "application/json")
	if c.opts.User != "" {
		req.SetBasicAuth(c.opts.User, c.opts.Password)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrTransport, method, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		// Drain a little so the connection can be reused; never the whole body.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		return nil, fmt.Errorf("rpcclient: %s: %w", method, &HTTPError{StatusCode: resp.StatusCode, Status: resp.Status})
	}
	if resp.ContentLength > c.maxBody {
		return nil, fmt.Errorf("%w: %s: Content-Length %d > %d", ErrResponseTooLarge, method, resp.ContentLength, c.maxBody)
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: reading answer: %w", ErrTransport, method, err)
	}
	if int64(len(raw)) > c.maxBody {
		return nil, fmt.Errorf("%w: %s: more than %d bytes", ErrResponseTooLarge, method, c.maxBody)
	}
	return raw, nil
}

// decodeEnvelope checks the JSON-RPC envelope of an answer to request id and returns its
// result, or the node's error as *RPCError.
func decodeEnvelope(method string, id uint64, raw []byte) (json.RawMessage, error) {
	var r response
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, malformed(method, "envelope: %v", err)
	}
	if r.Error != nil {
		code, err := r.Error.Code.Int64()
		if err != nil || code != int64(int32(code)) {
			return nil, malformed(method, "error code %q", r.Error.Code)
		}
		return nil, &RPCError{Code: int(code), Message: r.Error.Message, Method: method}
	}
	// The reference echoes the id as a JSON integer.
	if string(r.ID) != fmt.Sprint(id) {
		return nil, fmt.Errorf("%w: %s: id %s, sent %d", ErrMismatch, method, r.ID, id)
	}
	if r.Result == nil {
		return nil, malformed(method, "no result and no error")
	}
	return r.Result, nil
}

// isNull reports whether a raw result is JSON null.
func isNull(b json.RawMessage) bool { return string(bytes.TrimSpace(b)) == "null" }

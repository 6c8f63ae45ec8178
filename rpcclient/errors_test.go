package rpcclient_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/rpcclient"
)

// answerWith returns a handler answering every request with body, the request's id
// substituted for ID.
func answerWith(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req struct{ ID json.RawMessage }
		b, _ := io.ReadAll(r.Body)
		json.Unmarshal(b, &req)
		w.Write([]byte(strings.ReplaceAll(body, "ID", string(req.ID))))
	}
}

func client(t *testing.T, h http.Handler, opts rpcclient.Options) *rpcclient.Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := rpcclient.New(srv.URL, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRPCError(t *testing.T) {
	c := client(t, answerWith(`{"jsonrpc":"2.0","id":ID,"error":{"code":5306,"message":"transaction does not exist!"}}`), rpcclient.Options{})
	_, err := c.GetTx(context.Background(), mvs.Hash{1})
	var re *rpcclient.RPCError
	if !errors.As(err, &re) || re.Code != rpcclient.CodeTxNotFound || re.Message != "transaction does not exist!" || re.Method != "gettx" {
		t.Fatalf("err = %v", err)
	}
	if !errors.Is(err, &rpcclient.RPCError{Code: rpcclient.CodeTxNotFound}) || errors.Is(err, &rpcclient.RPCError{Code: rpcclient.CodeTxFetch}) {
		t.Fatalf("errors.Is by code does not work: %v", err)
	}
	if errors.Is(err, rpcclient.ErrTransport) || errors.Is(err, rpcclient.ErrMalformedResponse) {
		t.Fatalf("node error classed as transport or malformed: %v", err)
	}
}

func TestHTTPStatus(t *testing.T) {
	for _, tt := range []struct {
		status int
		unauth bool
	}{{401, true}, {403, true}, {500, false}, {404, false}} {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			c := client(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Error(w, "no", tt.status)
			}), rpcclient.Options{})
			_, err := c.GetHeight(context.Background())
			var he *rpcclient.HTTPError
			if !errors.As(err, &he) || he.StatusCode != tt.status {
				t.Fatalf("err = %v", err)
			}
			if errors.Is(err, rpcclient.ErrUnauthorized) != tt.unauth {
				t.Fatalf("ErrUnauthorized = %v for %d", !tt.unauth, tt.status)
			}
		})
	}
}

func TestBasicAuth(t *testing.T) {
	for _, tt := range []struct {
		name       string
		user, pass string
		want       bool
	}{{"credentials", "exchange", "s3cret:x", true}, {"none", "", "", false}} {
		t.Run(tt.name, func(t *testing.T) {
			c := client(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				u, p, ok := r.BasicAuth()
				if ok != tt.want || u != tt.user || p != tt.pass {
					http.Error(w, "unauthorized", http.StatusUnauthorized)
					return
				}
				answerWith(`{"jsonrpc":"2.0","id":ID,"result":7}`)(w, r)
			}), rpcclient.Options{User: tt.user, Password: tt.pass})
			h, err := c.GetHeight(context.Background())
			if err != nil || h != 7 {
				t.Fatalf("GetHeight = %d, %v", h, err)
			}
		})
	}
}

func TestAdminArguments(t *testing.T) {
	n, c := newNode(t, rpcclient.Options{AdminName: "admin", AdminPassword: "pw"})
	n.expect("getinfo", `["admin","pw"]`, readFile(t, "docs/getinfo-1.json"))
	if _, err := c.GetInfo(context.Background()); err != nil {
		t.Fatal(err)
	}
	// addnode takes NODEADDRESS before the credentials: list sends an empty one.
	n.expect("addnode", `[{"operation":"list"},"","admin","pw"]`, readFile(t, "reference/addnode-list.json"))
	if _, err := c.AddNodeList(context.Background()); err != nil {
		t.Fatal(err)
	}
	n.expect("getmemorypool", `[{"json":"false"},"admin","pw"]`, readFile(t, "reference/getmemorypool-raw.json"))
	if _, err := c.GetMemoryPoolRaw(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestTimeoutAndCancel(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	c := client(t, slow, rpcclient.Options{Timeout: 1}) // 1 ns: the deadline has passed when the request starts
	_, err := c.GetHeight(context.Background())
	if !errors.Is(err, rpcclient.ErrTransport) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("timeout: %v", err)
	}
	c = client(t, slow, rpcclient.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.GetHeight(ctx)
	if !errors.Is(err, rpcclient.ErrTransport) || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancel: %v", err)
	}
}

func TestOversizeAnswer(t *testing.T) {
	big := `{"jsonrpc":"2.0","id":ID,"result":"` + strings.Repeat("ab", 100) + `"}`
	for _, tt := range []struct {
		name string
		h    http.HandlerFunc
	}{
		{"content-length", answerWith(big)},
		{"chunked", func(w http.ResponseWriter, r *http.Request) {
			// Flushing before the end forces chunked encoding: no length to check up front.
			w.Write([]byte(big[:20]))
			w.(http.Flusher).Flush()
			w.Write([]byte(big[20:]))
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := client(t, tt.h, rpcclient.Options{MaxResponseBytes: 100})
			_, err := c.GetBestBlockHash(context.Background())
			if !errors.Is(err, rpcclient.ErrResponseTooLarge) {
				t.Fatalf("err = %v", err)
			}
		})
	}
	// At the cap exactly, the answer is read.
	exact := `{"jsonrpc":"2.0","id":1,"result":5}`
	c := client(t, answerWith(exact), rpcclient.Options{MaxResponseBytes: int64(len(exact))})
	if h, err := c.GetHeight(context.Background()); err != nil || h != 5 {
		t.Fatalf("at the cap: %d, %v", h, err)
	}
}

func TestMalformedAnswers(t *testing.T) {
	for _, tt := range []struct {
		name, body string
		want       error
	}{
		{"not json", `<html>`, rpcclient.ErrMalformedResponse},
		{"no result", `{"jsonrpc":"2.0","id":ID}`, rpcclient.ErrMalformedResponse},
		{"wrong type", `{"jsonrpc":"2.0","id":ID,"result":"tall"}`, rpcclient.ErrMalformedResponse},
		{"negative", `{"jsonrpc":"2.0","id":ID,"result":-1}`, rpcclient.ErrMalformedResponse},
		{"fraction", `{"jsonrpc":"2.0","id":ID,"result":1.5}`, rpcclient.ErrMalformedResponse},
		{"exponent", `{"jsonrpc":"2.0","id":ID,"result":1e3}`, rpcclient.ErrMalformedResponse},
		{"overflow", `{"jsonrpc":"2.0","id":ID,"result":18446744073709551616}`, rpcclient.ErrMalformedResponse},
		{"error code not integer", `{"jsonrpc":"2.0","id":ID,"error":{"code":"x","message":"m"}}`, rpcclient.ErrMalformedResponse},
		{"other id", `{"jsonrpc":"2.0","id":999999,"result":1}`, rpcclient.ErrMismatch},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := client(t, answerWith(tt.body), rpcclient.Options{})
			_, err := c.GetHeight(context.Background())
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestMismatchedAnswers: a node answering for another block or transaction is refused.
func TestMismatchedAnswers(t *testing.T) {
	ctx := context.Background()
	genesis := readFile(t, "docs/getblock-1.json")
	for _, tt := range []struct {
		name   string
		answer []byte
		call   func(c *rpcclient.Client) error
		want   error
	}{
		{"block height", genesis, func(c *rpcclient.Client) error { _, err := c.GetBlock(ctx, rpcclient.ByHeight(5)); return err }, rpcclient.ErrMismatch},
		{"block hash", genesis, func(c *rpcclient.Client) error { _, err := c.GetBlock(ctx, rpcclient.ByHash(mvs.Hash{1})); return err }, rpcclient.ErrMismatch},
		{"block tx count", []byte(strings.Replace(string(genesis), `"transaction_count" : 1`, `"transaction_count" : 2`, 1)),
			func(c *rpcclient.Client) error { _, err := c.GetBlock(ctx, rpcclient.ByHeight(0)); return err }, rpcclient.ErrMalformedResponse},
		{"header height", readFile(t, "docs/getblockheader-1.json"),
			func(c *rpcclient.Client) error { _, err := c.GetBlockHeader(ctx, rpcclient.ByHeight(2)); return err }, rpcclient.ErrMismatch},
		{"raw block height", readFile(t, "reference/getblock-raw.json"),
			func(c *rpcclient.Client) error { _, err := c.GetRawBlock(ctx, rpcclient.ByHeight(2200001)); return err }, rpcclient.ErrMismatch},
		{"raw block hash", readFile(t, "reference/getblock-raw.json"),
			func(c *rpcclient.Client) error {
				_, err := c.GetRawBlock(ctx, rpcclient.ByHash(mvs.Hash{1}))
				return err
			}, rpcclient.ErrMismatch},
		{"raw block short", []byte(`{"jsonrpc":"2.0","id":1,"result":"00"}`),
			func(c *rpcclient.Client) error { _, err := c.GetRawBlock(ctx, rpcclient.ByHeight(0)); return err }, rpcclient.ErrMalformedResponse},
		{"tx hash", readFile(t, "docs/gettx-1.json"),
			func(c *rpcclient.Client) error { _, err := c.GetTx(ctx, mvs.Hash{1}); return err }, rpcclient.ErrMismatch},
		{"raw tx bytes", readFile(t, "reference/gettx-raw.json"),
			func(c *rpcclient.Client) error { _, err := c.GetRawTx(ctx, mvs.Hash{1}); return err }, rpcclient.ErrMismatch},
		{"decoded other tx", readFile(t, "docs/decoderawtx-1.json"),
			func(c *rpcclient.Client) error { _, err := c.DecodeRawTx(ctx, []byte{1, 2, 3}); return err }, rpcclient.ErrMismatch},
		{"sent other tx", readFile(t, "docs/sendrawtx-1.json"),
			func(c *rpcclient.Client) error { _, err := c.SendRawTx(ctx, []byte{1, 2, 3}); return err }, rpcclient.ErrMismatch},
		{"listtxs more than counted", []byte(strings.Replace(string(readFile(t, "docs/listtxs-1.json")), `"transaction_count" : 5`, `"transaction_count" : 4`, 1)),
			func(c *rpcclient.Client) error {
				_, err := c.ListTxs(ctx, rpcclient.ListTxsParams{Address: "M"})
				return err
			}, rpcclient.ErrMalformedResponse},
		{"unknown mit", readFile(t, "reference/getmit-null.json"),
			func(c *rpcclient.Client) error { _, err := c.GetMIT(ctx, "nope"); return err }, rpcclient.ErrNotFound},
		// The docs show listdids for an account as a bare array; the reference code prints
		// an object, and so must any node this client believes.
		{"listdids docs array", readFile(t, "docs/listdids-1.json"),
			func(c *rpcclient.Client) error { _, err := c.ListDIDs(ctx, nil, 0, 0); return err }, rpcclient.ErrMalformedResponse},
		{"getwork short", []byte(`{"jsonrpc":"2.0","id":1,"result":["0x00","0x00","0x00"]}`),
			func(c *rpcclient.Client) error { _, err := c.GetWork(ctx); return err }, rpcclient.ErrMalformedResponse},
		{"bad hash", []byte(`{"jsonrpc":"2.0","id":1,"result":"zz26311f98371f83b737c07cc05d615e0c7b716188c64d24b6df23e17e01d691"}`),
			func(c *rpcclient.Client) error { _, err := c.GetBestBlockHash(ctx); return err }, rpcclient.ErrMalformedResponse},
		{"bits over 2^256", []byte(strings.Replace(string(genesis), `"bits" : "1"`, `"bits" : "115792089237316195423570985008687907853269984665640564039457584007913129639936"`, 1)),
			func(c *rpcclient.Client) error { _, err := c.GetBlock(ctx, rpcclient.ByHeight(0)); return err }, rpcclient.ErrMalformedResponse},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var env map[string]json.RawMessage
			if err := json.Unmarshal(tt.answer, &env); err != nil {
				t.Fatal(err)
			}
			delete(env, "id")
			body, _ := json.Marshal(env)
			c := client(t, answerWith(strings.Replace(string(body), "{", `{"id":ID,`, 1)), rpcclient.Options{})
			if err := tt.call(c); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestInvalidParams: what the node's command line parser would misread is refused before
// anything is sent.
func TestInvalidParams(t *testing.T) {
	ctx := context.Background()
	sent := false
	c := client(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { sent = true }), rpcclient.Options{})
	for _, tt := range []struct {
		name string
		call func() error
	}{
		{"leading dash", func() error { _, err := c.GetDID(ctx, "--help"); return err }},
		{"leading dash in option", func() error { _, err := c.GetAddressAsset(ctx, "MKXa7mtzNaGCEF9vM2sUmmTS93iDpHYd4m", "-x"); return err }},
		{"NUL", func() error { _, err := c.GetAddressETP(ctx, "M\x00"); return err }},
		{"account name with dash", func() error {
			_, err := c.ListTxs(ctx, rpcclient.ListTxsParams{Address: "MKXa7mtzNaGCEF9vM2sUmmTS93iDpHYd4m", Account: &rpcclient.Account{Name: "-a"}})
			return err
		}},
		{"listtxs nothing", func() error { _, err := c.ListTxs(ctx, rpcclient.ListTxsParams{}); return err }},
		{"listtxs limit", func() error { _, err := c.ListTxs(ctx, rpcclient.ListTxsParams{Address: "M", Limit: 101}); return err }},
		{"listtxs heights", func() error {
			_, err := c.ListTxs(ctx, rpcclient.ListTxsParams{Address: "M", HeightFrom: 5, HeightTo: 5})
			return err
		}},
		{"listdids limit", func() error { _, err := c.ListDIDs(ctx, nil, 1, 101); return err }},
		{"header height", func() error { _, err := c.GetBlockHeader(ctx, rpcclient.ByHeight(1<<32-1)); return err }},
		{"getblock height read as hash", func() error { _, err := c.GetBlock(ctx, rpcclient.ByHeight(100000000000000000)); return err }},
		{"empty range", func() error { _, err := c.GetAddressUTXOs(ctx, "M", &rpcclient.ValueRange{Min: 3, Max: 3}); return err }},
		{"addnode operation", func() error { _, err := c.AddNode(ctx, "1.2.3.4:5251", "list"); return err }},
		{"addnode no address", func() error { _, err := c.AddNode(ctx, "", rpcclient.AddNodeBan); return err }},
		{"empty raw tx", func() error { _, err := c.SendRawTx(ctx, nil); return err }},
		{"empty symbol", func() error { _, err := c.GetAsset(ctx, ""); return err }},
		{"empty mit", func() error { _, err := c.GetMIT(ctx, ""); return err }},
		{"empty did", func() error { _, err := c.GetDID(ctx, ""); return err }},
		{"mit page", func() error { _, err := c.GetMITHistory(ctx, "m", 1, 101); return err }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, rpcclient.ErrInvalidParam) {
				t.Fatalf("err = %v", err)
			}
		})
	}
	if sent {
		t.Fatal("a refused call reached the node")
	}
}

func TestNewOptions(t *testing.T) {
	for _, tt := range []struct {
		url  string
		opts rpcclient.Options
		ok   bool
	}{
		{"http://127.0.0.1:8820", rpcclient.Options{}, true},
		{"https://node.example/rpc/v3", rpcclient.Options{}, true},
		{"http://127.0.0.1:8820/proxy/rpc/v3/", rpcclient.Options{}, true},
		{"http://127.0.0.1:8820/rpc/v2", rpcclient.Options{}, false},
		{"http://127.0.0.1:8820/rpc", rpcclient.Options{}, false},
		{"ftp://127.0.0.1", rpcclient.Options{}, false},
		{"http://", rpcclient.Options{}, false},
		{"http://u:p@127.0.0.1:8820", rpcclient.Options{}, false},
		{"http://127.0.0.1:8820", rpcclient.Options{MaxResponseBytes: -1}, false},
		{"http://127.0.0.1:8820", rpcclient.Options{Password: "p"}, false},
		{"http://127.0.0.1:8820", rpcclient.Options{PushURL: "http://127.0.0.1:8821"}, false},
		{"http://127.0.0.1:8820", rpcclient.Options{PushURL: "ws://127.0.0.1:8821/ws"}, true},
	} {
		_, err := rpcclient.New(tt.url, tt.opts)
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, rpcclient.ErrInvalidOptions)) {
			t.Errorf("New(%q, %+v) = %v", tt.url, tt.opts, err)
		}
	}
}

func TestNumbers(t *testing.T) {
	for _, tt := range []struct {
		in string
		ok bool
	}{{`0`, true}, {`"0"`, true}, {`"18446744073709551615"`, true}, {`18446744073709551616`, false},
		{`"-1"`, false}, {`""`, false}, {`"01"`, false}, {`" 1"`, false}, {`null`, false}, {`true`, false}, {`"1e3"`, false}} {
		var u rpcclient.Uint64
		var s rpcclient.Uint64String
		e1, e2 := json.Unmarshal([]byte(tt.in), &u), json.Unmarshal([]byte(tt.in), &s)
		if (e1 == nil) != tt.ok || (e2 == nil) != tt.ok {
			t.Errorf("%s: %v, %v", tt.in, e1, e2)
		}
	}
	var u rpcclient.Uint256String
	if err := json.Unmarshal([]byte(`"`+strings.Repeat("9", 100)+`"`), &u); err == nil {
		t.Error("100-digit Uint256String accepted")
	}
	var h rpcclient.HexBytes
	if err := json.Unmarshal([]byte(`"abc"`), &h); err == nil {
		t.Error("odd-length hex accepted")
	}
	if b, _ := json.Marshal(rpcclient.Uint64String(42)); string(b) != `"42"` {
		t.Errorf("Uint64String encodes %s", b)
	}
}

// TestNoRedirect: the default HTTP client does not follow a redirect with the call.
func TestNoRedirect(t *testing.T) {
	followed := false
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { followed = true }))
	defer target.Close()
	c := client(t, http.RedirectHandler(target.URL+"/rpc/v3", http.StatusFound), rpcclient.Options{})
	_, err := c.GetHeight(context.Background())
	var he *rpcclient.HTTPError
	if !errors.As(err, &he) || he.StatusCode != http.StatusFound || followed {
		t.Fatalf("err = %v, followed = %v", err, followed)
	}
}

// recorder keeps every log record's text.
type recorder struct {
	mu   sync.Mutex
	text []string
}

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := rec.Message
	rec.Attrs(func(a slog.Attr) bool { s += " " + a.String(); return true })
	r.text = append(r.text, s)
	return nil
}
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *recorder) WithGroup(string) slog.Handler      { return r }

// TestLoggerNeverSeesParameters: the optional logger gets the method and the outcome, not
// the parameters (account passwords travel in them).
func TestLoggerNeverSeesParameters(t *testing.T) {
	rec := &recorder{}
	n, c := newNode(t, rpcclient.Options{Logger: slog.New(rec), AdminName: "admin", AdminPassword: "adm1n-secret"})
	n.expect("listassets", `["test","s3cret-pw"]`, readFile(t, "docs/listassets-1.json"))
	if _, err := c.ListAssets(context.Background(), &rpcclient.Account{Name: "test", Password: "s3cret-pw"}); err != nil {
		t.Fatal(err)
	}
	n.expect("getinfo", `["admin","adm1n-secret"]`, readFile(t, "docs/getinfo-1.json"))
	if _, err := c.GetInfo(context.Background()); err != nil {
		t.Fatal(err)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.text) != 2 || !strings.Contains(rec.text[0], "listassets") {
		t.Fatalf("records %q", rec.text)
	}
	for _, s := range rec.text {
		if strings.Contains(s, "s3cret") || strings.Contains(s, "adm1n") {
			t.Fatalf("a record holds a password: %q", s)
		}
	}
}

package rpcserver_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/chain/regtest"
	"github.com/mvsgo/mvs/examples/node/mempool"
	"github.com/mvsgo/mvs/examples/node/rpcserver"
	"github.com/mvsgo/mvs/rpcclient"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/wallet"
)

type answer struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Result  json.RawMessage `json:"result"`
	Error   *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func post(t *testing.T, url, body string) (int, answer) {
	t.Helper()
	resp, err := http.Post(url+"/rpc/v3", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var a answer
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(b, &a); err != nil {
			t.Fatalf("answer %q: %v", b, err)
		}
	}
	return resp.StatusCode, a
}

// TestErrorAnswers checks the envelope and the reference's codes for refused calls.
func TestErrorAnswers(t *testing.T) {
	f := newFixture(t, nil)
	unknownTx := strings.Repeat("ab", 32)
	tests := []struct {
		name, body string
		code       int    // 0: a result
		id         string // the echoed id
		msg        string // in the message
	}{
		{"not JSON", `{`, rpcclient.CodeJSONRPCParseError, "0", ""},
		{"not an object", `[1]`, rpcclient.CodeJSONRPCParseError, "0", ""},
		{"params not an array", `{"jsonrpc":"2.0","id":5,"method":"getheight","params":{}}`, rpcclient.CodeJSONRPCInvalidParams, "5", ""},
		{"bad jsonrpc", `{"jsonrpc":"1.0","id":6,"method":"getheight","params":[]}`, rpcclient.CodeJSONRPCInvalidRequest, "6", ""},
		{"no jsonrpc", `{"id":6,"method":"getheight"}`, rpcclient.CodeJSONRPCInvalidRequest, "6", ""},
		{"id as string", `{"jsonrpc":"3.0","id":"42","method":"getheight","params":[]}`, 0, "42", ""},
		{"no params", `{"jsonrpc":"2.0","id":1,"method":"getheight"}`, 0, "1", ""},
		{"unknown method", `{"jsonrpc":"2.0","id":7,"method":"nosuch","params":[]}`, rpcclient.CodeInvalidCommand, "7", "nosuch"},
		{"wallet method", `{"jsonrpc":"2.0","id":8,"method":"send","params":[]}`, rpcclient.CodeInvalidCommand, "8", "keys stay in the caller's wallet"},
		{"unknown option", `{"jsonrpc":"2.0","id":9,"method":"getblock","params":[{"nosuch":"1"},"1"]}`, rpcclient.CodeCommandParams, "9", "nosuch"},
		{"too many arguments", `{"jsonrpc":"2.0","id":9,"method":"gettx","params":["a","b"]}`, rpcclient.CodeCommandParams, "9", ""},
		{"missing argument", `{"jsonrpc":"2.0","id":9,"method":"gettx","params":[]}`, rpcclient.CodeCommandParams, "9", ""},
		{"bad hash", `{"jsonrpc":"2.0","id":9,"method":"gettx","params":["xyz"]}`, rpcclient.CodeCommandParams, "9", ""},
		{"no such tx", `{"jsonrpc":"2.0","id":10,"method":"gettx","params":["` + unknownTx + `"]}`, rpcclient.CodeTxNotFound, "10", ""},
		{"no such height", `{"jsonrpc":"2.0","id":11,"method":"getblock","params":["99999"]}`, rpcclient.CodeBlockHeightGet, "11", ""},
		{"no such block hash", `{"jsonrpc":"2.0","id":11,"method":"getblock","params":["` + unknownTx + `"]}`, rpcclient.CodeBlockHashGet, "11", ""},
		{"no such header", `{"jsonrpc":"2.0","id":11,"method":"getblockheader","params":[{"height":"99999"}]}`, rpcclient.CodeBlockHeaderGet, "11", ""},
		{"bad json option", `{"jsonrpc":"2.0","id":12,"method":"getblock","params":[{"json":"maybe"},"1"]}`, rpcclient.CodeCommandParams, "12", ""},
		{"bad raw tx", `{"jsonrpc":"2.0","id":13,"method":"sendrawtx","params":["00"]}`, rpcclient.CodeCommandParams, "13", ""},
		{"invalid tx", `{"jsonrpc":"2.0","id":13,"method":"sendrawtx","params":["` + f.payment.Hash().String() + `"]}`, rpcclient.CodeCommandParams, "13", ""},
		{"mined tx resent", `{"jsonrpc":"2.0","id":14,"method":"sendrawtx","params":["` + hexOf(f.payment.Bytes()) + `"]}`, rpcclient.CodeTxValidate, "14", ""},
		{"unknown asset", `{"jsonrpc":"2.0","id":15,"method":"getasset","params":["NOPE"]}`, rpcclient.CodeAssetSymbolNotFound, "15", ""},
		{"unknown DID", `{"jsonrpc":"2.0","id":16,"method":"getdid","params":["nobody"]}`, rpcclient.CodeDIDSymbolNotFound, "16", ""},
		{"bad address", `{"jsonrpc":"2.0","id":17,"method":"getaddressetp","params":["nobody"]}`, rpcclient.CodeAddressInvalid, "17", ""},
		{"account given", `{"jsonrpc":"2.0","id":18,"method":"listassets","params":["acct","pw"]}`, rpcclient.CodeAccountNotFound, "18", ""},
		{"listtxs without address", `{"jsonrpc":"2.0","id":18,"method":"listtxs","params":[]}`, rpcclient.CodeAccountNotFound, "18", ""},
		{"page past the last", `{"jsonrpc":"2.0","id":19,"method":"listtxs","params":[{"address":"` + f.a1.String() + `","index":"99"}]}`, rpcclient.CodeArgumentLegality, "19", "no record"},
		{"limit above 100", `{"jsonrpc":"2.0","id":19,"method":"listdids","params":[{"limit":"101"}]}`, rpcclient.CodeCommandParams, "19", ""},
		{"submitwork without 0x", `{"jsonrpc":"2.0","id":20,"method":"submitwork","params":["1","0x00","0x00"]}`, rpcclient.CodeCommandParams, "20", ""},
		{"addnode unknown op", `{"jsonrpc":"2.0","id":21,"method":"addnode","params":[{"operation":"x"},"a:1"]}`, rpcclient.CodeCommandParams, "21", ""},
		{"addnode failure", `{"jsonrpc":"2.0","id":21,"method":"addnode","params":[{"operation":"add"},"bad:1"]}`, rpcclient.CodeGeneric, "21", "unreachable"},
		{"deposited", `{"jsonrpc":"2.0","id":22,"method":"getaddressetp","params":[{"deposited":null},"alice"]}`, 0, "22", ""},
		{"asset deposits", `{"jsonrpc":"2.0","id":22,"method":"getaddressasset","params":[{"deposited":null},"alice"]}`, 0, "22", ""},
		{"admin credentials ignored", `{"jsonrpc":"2.0","id":23,"method":"getheight","params":["admin","pw"]}`, 0, "23", ""},
		{"alias", `{"jsonrpc":"2.0","id":24,"method":"fetch-height","params":[]}`, 0, "24", ""},
		{"unknown MIT is null", `{"jsonrpc":"2.0","id":25,"method":"getmit","params":["NOPE.MIT"]}`, 0, "25", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, a := post(t, f.http.URL, tc.body)
			if status != http.StatusOK {
				t.Fatalf("status %d", status)
			}
			if string(a.ID) != tc.id || a.JSONRPC != "2.0" {
				t.Errorf("id %s jsonrpc %q, want %s", a.ID, a.JSONRPC, tc.id)
			}
			switch {
			case tc.code == 0 && a.Error != nil:
				t.Fatalf("error %d %s", a.Error.Code, a.Error.Message)
			case tc.code == 0 && a.Result == nil:
				t.Fatal("no result")
			case tc.code != 0 && a.Error == nil:
				t.Fatalf("result %s, want error %d", a.Result, tc.code)
			case tc.code != 0 && a.Error.Code != tc.code:
				t.Fatalf("code %d (%s), want %d", a.Error.Code, a.Error.Message, tc.code)
			case tc.code != 0 && !strings.Contains(a.Error.Message, tc.msg):
				t.Fatalf("message %q lacks %q", a.Error.Message, tc.msg)
			}
		})
	}
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

// TestClientSeesErrors checks that the client's typed errors come out of the server's
// refusals (errors.As *RPCError with the reference's code).
func TestClientSeesErrors(t *testing.T) {
	f := newFixture(t, func(c *rpcserver.Config) { c.Miner = nil })
	ctx := context.Background()
	_, err := f.c.GetWork(ctx)
	if !errors.Is(err, &rpcclient.RPCError{Code: rpcclient.CodeSettingRequired}) {
		t.Fatalf("getwork without miner: %v", err)
	}
	_, err = f.c.GetTx(ctx, mvs.Hash{1})
	if !errors.Is(err, &rpcclient.RPCError{Code: rpcclient.CodeTxNotFound}) {
		t.Fatalf("gettx: %v", err)
	}
	if _, err := f.c.GetMIT(ctx, "NOPE.MIT"); !errors.Is(err, rpcclient.ErrNotFound) {
		t.Fatalf("getmit: %v", err)
	}
}

func TestNoMiningAccount(t *testing.T) {
	f := newFixture(t, nil)
	f.miner.account = false
	_, err := f.c.GetWork(context.Background())
	if !errors.Is(err, &rpcclient.RPCError{Code: rpcclient.CodeSettingRequired}) {
		t.Fatalf("getwork: %v", err)
	}
}

func TestAuth(t *testing.T) {
	f := newFixture(t, func(c *rpcserver.Config) { c.User, c.Password = "u", "secret" })
	ctx := context.Background()
	if _, err := f.c.GetHeight(ctx); err != nil {
		t.Fatalf("with credentials: %v", err)
	}
	for _, cred := range [][2]string{{"", ""}, {"u", "wrong"}, {"x", "secret"}, {"u", "secre"}} {
		c, err := rpcclient.New(f.http.URL, rpcclient.Options{User: cred[0], Password: cred[1],
			PushURL: "ws" + strings.TrimPrefix(f.http.URL, "http")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.GetHeight(ctx); !errors.Is(err, rpcclient.ErrUnauthorized) {
			t.Errorf("%q: %v, want ErrUnauthorized", cred, err)
		}
		if _, err := c.Subscribe(ctx, rpcclient.Topics{Heights: true}); err == nil {
			t.Errorf("%q: push handshake accepted", cred)
		}
	}
}

func TestHTTPLimits(t *testing.T) {
	f := newFixture(t, func(c *rpcserver.Config) { c.MaxRequestBytes = 256 })
	big := `{"jsonrpc":"2.0","id":1,"method":"decoderawtx","params":["` + strings.Repeat("00", 200) + `"]}`
	if status, _ := post(t, f.http.URL, big); status != http.StatusRequestEntityTooLarge {
		t.Errorf("large body: status %d", status)
	}
	for _, path := range []string{"/rpc", "/rpc/v2", "/other"} {
		resp, err := http.Post(f.http.URL+path, "application/json", strings.NewReader(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d", path, resp.StatusCode)
		}
	}
	resp, err := http.Get(f.http.URL + "/rpc/v3")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: status %d", resp.StatusCode)
	}
}

func baseConfig(t *testing.T) rpcserver.Config {
	n := regtest.New(t)
	pool, err := mempool.New(mempool.Config{Params: n.Params(), Store: n.Store()})
	if err != nil {
		t.Fatal(err)
	}
	return rpcserver.Config{Params: n.Params(), Store: n.Store(), Chain: n.Chain(), Queries: chain.NewQueries(n.Store(), n.Params()), Pool: pool}
}

func TestConfig(t *testing.T) {
	base := baseConfig(t)
	tests := []struct {
		name string
		edit func(*rpcserver.Config)
	}{
		{"no params", func(c *rpcserver.Config) { c.Params = nil }},
		{"no store", func(c *rpcserver.Config) { c.Store = nil }},
		{"no chain", func(c *rpcserver.Config) { c.Chain = nil }},
		{"no queries", func(c *rpcserver.Config) { c.Queries = nil }},
		{"no pool nor submit", func(c *rpcserver.Config) { c.Pool = nil }},
		{"negative limit", func(c *rpcserver.Config) { c.MaxConcurrent = -1 }},
		{"password without user", func(c *rpcserver.Config) { c.Password = "x" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := base
			tc.edit(&cfg)
			if _, err := rpcserver.New(cfg); !errors.Is(err, rpcserver.ErrConfig) {
				t.Fatalf("%v, want ErrConfig", err)
			}
		})
	}
}

func TestListenNeedsCredentialsOffLoopback(t *testing.T) {
	base := baseConfig(t)
	srv, err := rpcserver.New(base)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:8820", true},
		{"[::1]:8820", true},
		{"localhost:8820", true},
		{"0.0.0.0:8820", false},
		{":8820", false},
		{"10.1.2.3:8820", false},
		{"example.com:8820", false},
		{"nonsense", false},
	}
	for _, tc := range tests {
		err := srv.CheckListen(tc.addr)
		if tc.ok != (err == nil) || (err != nil && !errors.Is(err, rpcserver.ErrInsecureListen)) {
			t.Errorf("%s: %v", tc.addr, err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := srv.ListenAndServe(ctx, "0.0.0.0:0"); !errors.Is(err, rpcserver.ErrInsecureListen) {
		t.Fatalf("ListenAndServe: %v", err)
	}
	cfg := base
	cfg.User, cfg.Password = "u", "p"
	withAuth, err := rpcserver.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := withAuth.CheckListen("0.0.0.0:8820"); err != nil {
		t.Fatalf("with credentials: %v", err)
	}
}

// TestListenAndServeShutdown serves on loopback and stops when the context ends.
func TestListenAndServeShutdown(t *testing.T) {
	srv, err := rpcserver.New(baseConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.ListenAndServe(ctx, "127.0.0.1:0") }()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("ListenAndServe: %v", err)
	}
}

// TestSubmitPath checks that sendrawtx goes through Config.Submit when set, and that its
// refusal reaches the caller.
func TestSubmitPath(t *testing.T) {
	var got []mvs.Hash
	var refuse error
	f := newFixture(t, func(c *rpcserver.Config) {
		c.Submit = func(t *tx.Tx) error { got = append(got, t.Hash()); return refuse }
	})
	pending := f.net.Build(f.only(f.a0).Send(wallet.Payment{To: f.a2, Amount: mvs.SatoshiPerETP}))
	refuse = errors.New("relay refused")
	_, err := f.c.SendRawTx(context.Background(), pending.Bytes())
	var re *rpcclient.RPCError
	if !errors.As(err, &re) || re.Code != rpcclient.CodeTxValidate || !strings.Contains(re.Message, "relay refused") {
		t.Fatalf("refused submit: %v", err)
	}
	refuse = nil
	h, err := f.c.SendRawTx(context.Background(), pending.Bytes())
	if err != nil || h != pending.Hash() || len(got) != 2 || f.pool.Len() != 0 {
		t.Fatalf("submit: %v %v %d calls, pool %d", h, err, len(got), f.pool.Len())
	}
}

// TestMITContent: getmit prints a transferred MIT's content only with --current, as the
// reference does.
func TestMITContent(t *testing.T) {
	f := newFixture(t, nil)
	for _, tc := range []struct {
		body    string
		content bool
	}{
		{`{"jsonrpc":"2.0","id":1,"method":"getmit","params":["ALICE.MIT"]}`, false},
		{`{"jsonrpc":"2.0","id":1,"method":"getmit","params":[{"current":null},"ALICE.MIT"]}`, true},
	} {
		_, a := post(t, f.http.URL, tc.body)
		var m rpcclient.MIT
		if a.Error != nil || json.Unmarshal(a.Result, &m) != nil {
			t.Fatalf("%s: %+v", tc.body, a)
		}
		if (m.Content != nil) != tc.content || (tc.content && *m.Content != "content") {
			t.Errorf("%s: content %v", tc.body, m.Content)
		}
	}
}

// TestMaxConcurrent: a call beyond MaxConcurrent in flight is answered 503 at once, not
// queued.
func TestMaxConcurrent(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	f := newFixture(t, func(c *rpcserver.Config) {
		c.MaxConcurrent = 1
		c.Submit = func(*tx.Tx) error { close(entered); <-release; return nil }
	})
	pending := f.net.Build(f.only(f.a0).Send(wallet.Payment{To: f.a2, Amount: mvs.SatoshiPerETP}))
	done := make(chan error, 1)
	go func() { _, err := f.c.SendRawTx(context.Background(), pending.Bytes()); done <- err }()
	<-entered
	status, _ := post(t, f.http.URL, `{"jsonrpc":"2.0","id":1,"method":"getheight","params":[]}`)
	close(release)
	if status != http.StatusServiceUnavailable {
		t.Fatalf("second call in flight: status %d, want 503", status)
	}
	if err := <-done; err != nil {
		t.Fatalf("first call: %v", err)
	}
	if status, _ := post(t, f.http.URL, `{"jsonrpc":"2.0","id":1,"method":"getheight","params":[]}`); status != http.StatusOK {
		t.Fatalf("after: status %d", status)
	}
}

// TestRequestTimeout: a call whose context has ended is refused, not run.
func TestRequestTimeout(t *testing.T) {
	f := newFixture(t, func(c *rpcserver.Config) { c.RequestTimeout = time.Nanosecond })
	_, a := post(t, f.http.URL, `{"jsonrpc":"2.0","id":1,"method":"getheight","params":[]}`)
	if a.Error == nil || a.Error.Code != rpcclient.CodeGeneric || !strings.Contains(a.Error.Message, "deadline") {
		t.Fatalf("answer %+v", a)
	}
}

package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/rpcclient"
)

func get(t testing.TB, h http.Handler, path string) (int, string, http.Header) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	return rec.Code, rec.Body.String(), rec.Header()
}

func TestPages(t *testing.T) {
	fx := newFixture(t)
	s, _ := newTestServer(t, fx)
	tests := []struct {
		name, path string
		status     int
		want       []string
	}{
		{"home", "/", 200, []string{`id="latest"`, `data-height="4"`, "chart-difficulty", "chart-interval", "chart-txs", "/static/live.js"}},
		{"charts", "/charts?n=3", 200, []string{"Blocks 2 to 4", "<polyline"}},
		{"block by height", "/block/2", 200, []string{"Block 2", fx.issue.String(), "Issue of 1000 FOO", "(4 decimals)"}},
		{"block by hash", "/block/" + fx.node.blocks[1].Hash.String(), 200, []string{"Block 1", fx.pay.String()}},
		{"genesis", "/block/0", 200, []string{"none (genesis)", "next block"}},
		{"tip", "/block/4", 200, []string{"this is the tip"}},
		{"payment: values, fee and DID", "/tx/" + fx.pay.String(), 200, []string{"in block", "Fee", "0.0001 ETP", `href="/did/alice"`, "1 ETP"}},
		{"coinbase", "/tx/" + fx.coinbase.String(), 200, []string{"new coins (coinbase)", "lock-maturity released", "block reward: spendable once the tip reaches height 1"}},
		{"message escaped", "/tx/" + fx.msg.String(), 200, []string{"hello &lt;b&gt;world&lt;/b&gt;", "Proof of existence", fx.proofDigest}},
		{"deposit", "/tx/" + fx.dep.String(), 200, []string{"lock-deposit", "locked for 100 blocks", "height 102", "Locked"}},
		{"attenuation schedule", "/tx/" + fx.lock.String(), 200, []string{"lock-attenuation", "0.9 FOO of 1 FOO", "<td>5</td>", "<td>0.3 FOO</td>", "<td>9</td>"}},
		{"address", "/address/" + addrA, 200, []string{"DID", "alice", "ETP balance", "FOO", "Page 1 of 1", fx.issue.String()[:10]}},
		{"address empty", "/address/" + regtestAddr(9), 200, []string{"No transaction has touched this address.", "No asset held."}},
		{"address page past the end", "/address/" + addrA + "?page=9", 404, []string{"has no page 9"}},
		{"asset", "/asset/FOO", 200, []string{"Asset FOO", "1000 FOO", "alice", `id="holders"`, addrA}},
		{"asset lower case", "/asset/foo", 200, []string{"Asset FOO"}},
		{"did", "/did/alice", 200, []string{"DID alice", addrA, "history", addrB}},
		{"mit", "/mit/TICKET1", 200, []string{"MIT TICKET1", "seat 12", "registered"}},
		{"unknown asset", "/asset/NOPE", 404, []string{"Asset NOPE was not found"}},
		{"unknown did", "/did/nobody", 404, []string{"DID nobody was not found"}},
		{"unknown mit", "/mit/NOMIT", 404, []string{"MIT NOMIT was not found"}},
		{"unknown tx", "/tx/" + strings.Repeat("ab", 32), 404, []string{"was not found"}},
		{"unknown block", "/block/99", 404, []string{"Block 99 was not found"}},
		{"no such page", "/nope", 404, []string{"There is no page at /nope."}},
		{"static css", "/static/style.css", 200, []string{"--accent"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, body, hdr := get(t, s, tc.path)
			if code != tc.status {
				t.Fatalf("GET %s: status %d, want %d\n%s", tc.path, code, tc.status, body)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("GET %s: body lacks %q\n%s", tc.path, w, body)
				}
			}
			if csp := hdr.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
				t.Errorf("CSP %q", csp)
			}
		})
	}
}

func regtestAddr(b byte) string {
	return mvsAddr([20]byte{b})
}

func TestSearch(t *testing.T) {
	fx := newFixture(t)
	s, _ := newTestServer(t, fx)
	tests := []struct {
		name, q  string
		status   int
		location string
		want     string
	}{
		{"height", "3", 303, "/block/3", ""},
		{"height with spaces", " 2 ", 303, "/block/2", ""},
		{"block hash", fx.node.blocks[2].Hash.String(), 303, "/block/" + fx.node.blocks[2].Hash.String(), ""},
		{"txid", fx.pay.String(), 303, "/tx/" + fx.pay.String(), ""},
		{"txid upper case", strings.ToUpper(fx.pay.String()), 303, "/tx/" + fx.pay.String(), ""},
		{"address", addrB, 303, "/address/" + addrB, ""},
		{"asset", "FOO", 303, "/asset/FOO", ""},
		{"asset lower case", "foo", 303, "/asset/FOO", ""},
		{"asset prefix", "asset:foo", 303, "/asset/FOO", ""},
		{"did", "alice", 303, "/did/alice", ""},
		{"did prefix", "did:alice", 303, "/did/alice", ""},
		{"mit", "TICKET1", 303, "/mit/TICKET1", ""},
		{"mit prefix", "mit:TICKET1", 303, "/mit/TICKET1", ""},
		{"height past the tip", "50", 404, "", "No block at height 50: the chain&#39;s tip is at height 4."},
		{"unknown hash", strings.Repeat("0f", 32), 404, "", "No block and no transaction has hash"},
		{"unknown symbol", "NOTHING", 404, "", "No asset, DID, MIT or certificate is named &#34;NOTHING&#34;."},
		{"certificate", "bar.name", 303, "/address/" + addrA, ""},
		{"certificate prefix", "cert:BAR.NAME", 303, "/address/" + addrA, ""},
		{"issue certificate prefix", "cert:foo", 303, "/asset/FOO", ""},
		{"unknown certificate", "cert:BAR.NOPE", 404, "", "No certificate is named &#34;BAR.NOPE&#34;."},
		{"bad certificate", "cert:a b", 400, "", "is not a valid certificate symbol"},
		{"unknown did", "did:bob", 404, "", "No DID is named &#34;bob&#34;."},
		{"empty", "", 400, "", "Type a block height"},
		{"garbage", "%%%", 400, "", "is not something the explorer can look up"},
		{"mainnet address", mvs.NewPubKeyHashAddress([20]byte{7}, mvs.MainNet()).String(), 400, "", "not valid on this network"},
		{"height too big", "99999999999999999999", 400, "", "beyond any chain"},
		{"too long", strings.Repeat("a", 200), 400, "", "longer than anything searchable"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, body, hdr := get(t, s, "/search?q="+url.QueryEscape(tc.q))
			if code != tc.status {
				t.Fatalf("search %q: status %d, want %d\n%s", tc.q, code, tc.status, body)
			}
			if tc.location != "" && hdr.Get("Location") != tc.location {
				t.Errorf("search %q: Location %q, want %q", tc.q, hdr.Get("Location"), tc.location)
			}
			if tc.want != "" && !strings.Contains(body, tc.want) {
				t.Errorf("search %q: body lacks %q\n%s", tc.q, tc.want, body)
			}
		})
	}
}

// TestSearchSeveralMatches: a symbol that is both an asset and a DID lists both.
func TestSearchSeveralMatches(t *testing.T) {
	fx := newFixture(t)
	fx.node.dids["FOO"] = []rpcclient.DIDRecord{{Address: addrB, Status: "current", Symbol: "FOO"}}
	s, _ := newTestServer(t, fx)
	code, body, _ := get(t, s, "/search?q=FOO")
	if code != 200 || !strings.Contains(body, `href="/asset/FOO"`) || !strings.Contains(body, `href="/did/FOO"`) {
		t.Fatalf("status %d\n%s", code, body)
	}
}

// TestNodeDown: a node that does not answer is a 502 that says so, on every page.
func TestNodeDown(t *testing.T) {
	fx := newFixture(t)
	s, _ := newTestServer(t, fx)
	fx.node.fail = &rpcclient.HTTPError{StatusCode: 503, Status: "503 Service Unavailable"}
	for _, p := range []string{"/block/1", "/tx/" + fx.pay.String(), "/address/" + addrA, "/asset/FOO", "/did/alice", "/mit/TICKET1", "/search?q=1", "/search?q=FOO"} {
		code, body, _ := get(t, s, p)
		if code != http.StatusBadGateway || !strings.Contains(body, "The node did not answer") {
			t.Errorf("GET %s with the node down: status %d\n%s", p, code, body)
		}
	}
	// The home page still serves what the index holds.
	if code, _, _ := get(t, s, "/"); code != 200 {
		t.Errorf("home with the node down: %d", code)
	}
}

// TestBadInputNever500 sends what a crawler or an attacker would; nothing is a 5xx.
func TestBadInputNever500(t *testing.T) {
	fx := newFixture(t)
	s, _ := newTestServer(t, fx)
	paths := []string{
		"/block/-1", "/block/4294967295", "/block/18446744073709551616", "/block/zz", "/block/" + strings.Repeat("g", 64),
		"/block/%00", "/tx/short", "/tx/" + strings.Repeat("z", 64), "/address/x", "/address/" + strings.Repeat("1", 40),
		"/address/" + addrA + "?page=0", "/address/" + addrA + "?page=-1", "/address/" + addrA + "?page=99999999999",
		"/asset/%3Cscript%3E", "/asset/" + strings.Repeat("A", 70), "/did/a%20b", "/mit/-x", "/mit/" + strings.Repeat("m", 65),
		"/charts?n=0", "/charts?n=x", "/charts?n=99999", "/search?q=asset:", "/search?q=did:%00", "/search?q=-1",
		"/search?q=%E2%80%AE", "/static/../main.go", "/static/nope.js",
	}
	for _, p := range paths {
		code, body, _ := get(t, s, p)
		if code >= 500 {
			t.Errorf("GET %s: %d\n%s", p, code, body)
		}
		if code == 200 && !strings.HasPrefix(p, "/static/") && !strings.HasPrefix(p, "/charts") {
			t.Errorf("GET %s: 200 for bad input", p)
		}
	}
}

func TestBasicAuth(t *testing.T) {
	fx := newFixture(t)
	idx := NewIndex()
	s, err := NewServer(Config{Node: fx.node, Index: idx, Params: regtest, User: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		user, pass string
		set        bool
		want       int
	}{{"", "", false, 401}, {"u", "x", true, 401}, {"x", "p", true, 401}, {"u", "p", true, 200}} {
		req := httptest.NewRequest("GET", "/", nil)
		if tc.set {
			req.SetBasicAuth(tc.user, tc.pass)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != tc.want {
			t.Errorf("%q/%q: %d, want %d", tc.user, tc.pass, rec.Code, tc.want)
		}
	}
}

func TestNewServerConfig(t *testing.T) {
	fx := newFixture(t)
	for _, cfg := range []Config{
		{},
		{Node: fx.node, Index: NewIndex()},
		{Node: fx.node, Index: NewIndex(), Params: regtest, Password: "p"},
	} {
		if _, err := NewServer(cfg); !errors.Is(err, ErrConfig) {
			t.Errorf("%+v: %v, want ErrConfig", cfg, err)
		}
	}
}

func TestCheckListen(t *testing.T) {
	tests := []struct {
		addr, user, pass string
		err              error
	}{
		{"127.0.0.1:8830", "", "", nil},
		{"[::1]:0", "", "", nil},
		{"localhost:8830", "", "", nil},
		{"0.0.0.0:8830", "", "", ErrInsecureListen},
		{":8830", "", "", ErrInsecureListen},
		{"192.168.1.2:8830", "u", "", ErrInsecureListen},
		{"0.0.0.0:8830", "u", "p", nil},
	}
	for _, tc := range tests {
		if err := checkListen(tc.addr, tc.user, tc.pass); !errors.Is(err, tc.err) {
			t.Errorf("checkListen(%q): %v, want %v", tc.addr, err, tc.err)
		}
	}
}

// TestEvents: a block indexed while a browser listens arrives as a "block" event.
func TestEvents(t *testing.T) {
	fx := newFixture(t)
	s, idx := newTestServer(t, fx)
	ts := httptest.NewServer(s)
	defer ts.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	r := bufio.NewReader(resp.Body)
	// The stream is open once the greeting arrives; then index a block.
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(line, ": connected") {
			break
		}
	}
	b := *fx.node.blocks[4]
	b.Number, b.PreviousBlockHash, b.Hash = 5, fx.node.blocks[4].Hash, [32]byte{0x55}
	if err := idx.Apply(&b); err != nil {
		t.Fatal(err)
	}
	var got []string
	for len(got) < 2 {
		line, err := r.ReadString('\n')
		if err == io.EOF || err != nil {
			t.Fatal(err)
		}
		if line = strings.TrimSpace(line); line != "" {
			got = append(got, line)
		}
	}
	if got[0] != "event: block" || !strings.Contains(got[1], `"height":5`) || !strings.Contains(got[1], `"txs":1`) {
		t.Fatalf("events %q", got)
	}
}

// TestAssetSupplyCountsSecondaryIssues: a node that answers only the first issue (as the
// SDK's node does) still shows the supply after a secondary issue, from the index.
func TestAssetSupplyCountsSecondaryIssues(t *testing.T) {
	fx := newFixture(t)
	tip := fx.node.blocks[4]
	sec := true
	b5 := &rpcclient.Block{BlockHeader: rpcclient.BlockHeader{Hash: mvs.Hash{5, 5}, PreviousBlockHash: tip.Hash, Number: 5, Timestamp: tip.Timestamp + 3, Bits: tip.Bits},
		Transactions: []rpcclient.Tx{{Hash: mvs.Hash{5, 1}, Height: u64(5), Outputs: []rpcclient.TxOutput{{Address: addrA,
			Attachment: rpcclient.Attachment{Type: "asset-issue", Symbol: "FOO", Quantity: u64(5000000), DecimalNumber: u64(4), IsSecondaryIssue: &sec}}}}}}
	fx.node.blocks = append(fx.node.blocks, b5)
	s, idx := newTestServer(t, fx)
	if is := idx.IssuedOf("FOO"); is.Supply != 15000000 || is.Issues != 2 {
		t.Fatalf("issued %+v", is)
	}
	code, body, _ := get(t, s, "/asset/FOO")
	if code != 200 || !strings.Contains(body, `<dd id="supply">1500 FOO</dd>`) || !strings.Contains(body, "<dd>2 (") {
		t.Fatalf("status %d\n%s", code, body)
	}
	if err := idx.Revert(); err != nil {
		t.Fatal(err)
	}
	if is := idx.IssuedOf("FOO"); is.Supply != 10000000 || is.Issues != 1 {
		t.Fatalf("after revert: issued %+v", is)
	}
}

// TestStates: the home page and charts say honestly when nothing is indexed yet, when the
// index is catching up, and when the node does not answer.
func TestStates(t *testing.T) {
	fx := newFixture(t)
	tests := []struct {
		name  string
		setup func(idx *Index)
		want  []string
	}{
		{"empty", func(idx *Index) {}, []string{`id="latest-empty"`, `id="charts-empty"`}},
		{"catching up", func(idx *Index) {
			idx.setTip(4, nil)
			idx.Apply(fx.node.blocks[0])
		}, []string{`id="indexing"`, "Indexing the chain: 1 of 5 blocks", `data-height="0"`}},
		{"node down", func(idx *Index) {
			idx.setTip(0, errors.New("connection refused"))
		}, []string{`id="node-error"`, "The node is not answering: connection refused"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			idx := NewIndex()
			tc.setup(idx)
			s, err := NewServer(Config{Node: fx.node, Index: idx, Params: regtest})
			if err != nil {
				t.Fatal(err)
			}
			code, body, _ := get(t, s, "/")
			if code != 200 {
				t.Fatalf("status %d", code)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("home lacks %q\n%s", w, body)
				}
			}
		})
	}
}

// TestStreamCap: past maxStreams open live lists, another is refused, not served.
func TestStreamCap(t *testing.T) {
	fx := newFixture(t)
	s, _ := newTestServer(t, fx)
	s.streams.Store(maxStreams)
	code, _, _ := get(t, s, "/events")
	if code != http.StatusServiceUnavailable {
		t.Fatalf("status %d", code)
	}
	if s.streams.Load() != maxStreams {
		t.Errorf("count %d after a refusal", s.streams.Load())
	}
}

// TestBlockPageBoundsCalls: a block of many transactions with distinct inputs and payees
// is one page of a bounded number of node calls, not one call per input.
func TestBlockPageBoundsCalls(t *testing.T) {
	fx := newFixture(t)
	tip := fx.node.blocks[4]
	b5 := &rpcclient.Block{BlockHeader: rpcclient.BlockHeader{Hash: mvs.Hash{5, 5}, PreviousBlockHash: tip.Hash, Number: 5, Bits: tip.Bits}}
	for i := 0; i < 300; i++ {
		b5.Transactions = append(b5.Transactions, rpcclient.Tx{Hash: mvs.Hash{5, byte(i), byte(i >> 8)},
			Inputs:  []rpcclient.TxInput{{Address: mvsAddr([20]byte{9, byte(i), byte(i >> 8)}), PreviousOutput: rpcclient.OutPoint{Hash: mvs.Hash{6, byte(i), byte(i >> 8)}}}},
			Outputs: []rpcclient.TxOutput{{Address: mvsAddr([20]byte{8, byte(i), byte(i >> 8)}), Value: 1}}})
	}
	fx.node.blocks = append(fx.node.blocks, b5)
	s, _ := newTestServer(t, fx)
	fx.node.txCalls, fx.node.didCalls = 0, 0
	code, body, _ := get(t, s, "/block/5")
	if code != 200 || !strings.Contains(body, "shown") {
		t.Fatalf("status %d", code)
	}
	if fx.node.txCalls > maxPrevTxs || fx.node.didCalls > maxDIDLookups {
		t.Errorf("%d GetTx and %d GetDID calls for one page", fx.node.txCalls, fx.node.didCalls)
	}
}

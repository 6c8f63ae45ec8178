package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/did"
	"github.com/mvsgo/mvs/examples/internal/devnet"
	"github.com/mvsgo/mvs/rpcclient"
)

// proofFile is the file whose existence the live chain proves.
const proofFile = "the explorer's test file\n"

// liveChain is a real mvsgod on a private regtest chain with one transaction of every
// kind (devnet.Populate) and a proof-of-existence message, followed by an explorer.
type liveChain struct {
	node   *devnet.Node
	kinds  *devnet.Kinds
	proof  mvs.Hash // the proof-of-existence message's txid
	digest string
	client *rpcclient.Client
	index  *Index
	server *Server
	url    string
}

func startLiveChain(t *testing.T, ctx context.Context) *liveChain {
	t.Helper()
	dir := t.TempDir()
	bin, err := devnet.Build(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	n, err := devnet.Start(ctx, devnet.Config{Bin: bin, Dir: filepath.Join(dir, "node")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Stop() })
	k, err := devnet.Populate(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	lc := &liveChain{node: n, kinds: k}
	// A proof of existence: a file's SHA-256 in a message.
	sum := sha256.Sum256([]byte(proofFile))
	lc.digest = hex.EncodeToString(sum[:])
	w, err := devnet.NewWallet(n, "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := w.Builder(ctx)
	if err != nil {
		t.Fatal(err)
	}
	u, err := b.SendMessage(k.Bob, 10_000, "sha256:"+lc.digest)
	if err != nil {
		t.Fatal(err)
	}
	pt, err := w.SignAndSend(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	lc.proof = pt.Hash()

	lc.client, err = rpcclient.New("http://"+n.RPCAddr(), rpcclient.Options{PushURL: "ws://" + n.RPCAddr() + "/"})
	if err != nil {
		t.Fatal(err)
	}
	lc.mine(t, ctx, 1) // the proof's message
	lc.index = NewIndex()
	f := &Follower{Node: lc.client, Index: lc.index, Subscribe: func(ctx context.Context) (*rpcclient.Subscription, error) {
		return lc.client.Subscribe(ctx, rpcclient.Topics{Blocks: true})
	}}
	fctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); f.Run(fctx) }()
	t.Cleanup(func() { cancel(); <-done })
	lc.server, err = NewServer(Config{Node: lc.client, Index: lc.index, Params: n.Params()})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(lc.server)
	t.Cleanup(ts.Close)
	lc.url = ts.URL
	// Wait until the index has followed the chain to its tip.
	tip, err := lc.client.GetHeight(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for lc.index.Next() <= tip {
		select {
		case <-ctx.Done():
			t.Fatalf("the index reached %d of %d", lc.index.Next(), tip+1)
		case <-time.After(50 * time.Millisecond):
		}
	}
	return lc
}

// TestLiveChain runs the explorer against a real node: every transaction kind's page
// renders what it is, every search kind finds its page, and (with Chromium) a real
// browser loads every page, searches each kind, and sees a mined block arrive live.
func TestLiveChain(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	lc := startLiveChain(t, ctx)
	k := lc.kinds
	tx := func(kind string) string { return "/tx/" + k.Txs[kind].String() }

	// The program itself, as the README runs it, against this node.
	t.Run("program", func(t *testing.T) {
		dataDir := t.TempDir()
		u, stop := runProgram(t, "--node", "http://"+lc.node.RPCAddr(), "--network", "regtest", "--data-dir", dataDir)
		tip, err := lc.client.GetHeight(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// The page lists the tip once the program's own follower has caught up.
		for {
			code, body := getURL(t, u+"/")
			if code != 200 {
				t.Fatalf("GET /: %d", code)
			}
			if strings.Contains(body, `data-height="`+itoa(tip)+`"`) {
				break
			}
			select {
			case <-ctx.Done():
				t.Fatalf("the program's home page never listed block %d", tip)
			case <-time.After(50 * time.Millisecond):
			}
		}
		if code, _ := getURL(t, u+"/tx/"+k.Txs["send"].String()); code != 200 {
			t.Errorf("GET /tx: %d", code)
		}
		if code := stop(); code != 0 {
			t.Errorf("exit %d after the signal", code)
		}
		// Restarted on the same --data-dir, it resumes at the tip it had indexed.
		var out syncBuffer
		_, stop = runProgramOut(t, &out, "--node", "http://"+lc.node.RPCAddr(), "--network", "regtest", "--data-dir", dataDir)
		if want := "index " + dataDir + " at block " + itoa(tip) + "\n"; !strings.Contains(out.String(), want) {
			t.Errorf("restarted: %q lacks %q", out.String(), want)
		}
		if code := stop(); code != 0 {
			t.Errorf("exit %d after the signal", code)
		}
	})

	t.Run("pages", func(t *testing.T) {
		tests := []struct {
			path string
			want []string
		}{
			{tx("send"), []string{"3 ETP", "Fee", `href="/did/alice"`}},
			{tx("message"), []string{k.Message}},
			{tx("burn"), []string{"burned", mvs.BlackholeAddress}},
			{tx("deposit"), []string{"lock-deposit", "locked for 10 blocks"}},
			{tx("register DID alice"), []string{"DID alice registered to " + k.Alice.String()}},
			{tx("issue asset"), []string{"Issue of 1000 " + k.Asset + " (4 decimals), issuer alice", "devnet&#39;s asset", `href="/asset/` + k.Asset + `">issue certificate`, "domain certificate of ALICE, owner alice"}},
			{tx("secondary issue"), []string{"Secondary issue of 500 " + k.Asset}},
			{tx("send asset"), []string{"100 " + k.Asset, `href="/did/bob"`}},
			{tx("send asset locked"), []string{"lock-attenuation", "0.09 " + k.Asset, "0.03 " + k.Asset, "<td>" + itoa(uint64(k.Heights["send asset locked"])+20000) + "</td>"}},
			{tx("issue naming certificate"), []string{"naming certificate of " + k.Cert}},
			{tx("transfer certificate"), []string{"naming certificate of " + k.Cert + ", owner bob"}},
			{tx("register MIT"), []string{"MIT " + k.MIT + " registered", "devnet&#39;s unique token"}},
			{tx("transfer MIT"), []string{"MIT " + k.MIT + " transfered"}},
			{tx("transfer DID"), []string{"DID bob transferred to " + k.Carol.String(), "<br>DID bob</td>"}},
			{"/tx/" + lc.proof.String(), []string{"Proof of existence", lc.digest}},
			{"/asset/" + k.Asset, []string{"1500 " + k.Asset, `id="holders"`, k.Bob.String()}},
			{"/did/bob", []string{k.Carol.String(), "history", k.Bob.String()}},
			{"/mit/" + k.MIT, []string{k.Bob.String(), "registered"}},
			{"/address/" + k.Alice.String(), []string{"alice", k.Asset, "Page 1 of"}},
			// Bob's balance has the attenuation-locked part shown as locked.
			{"/address/" + k.Bob.String(), []string{"100.09 " + k.Asset, "<td>0.09 " + k.Asset + "</td>"}},
			{"/block/" + itoa(uint64(k.Heights["issue asset"])), []string{k.Txs["issue asset"].String()}},
			{"/charts", []string{"<polyline"}},
		}
		for _, tc := range tests {
			code, body, _ := get(t, lc.server, tc.path)
			if code != 200 {
				t.Errorf("GET %s: %d\n%s", tc.path, code, body)
				continue
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("GET %s lacks %q", tc.path, w)
				}
			}
		}
	})

	// A transaction in the pool: its page says it is unconfirmed (the live step below
	// mines it).
	w, err := devnet.NewWallet(lc.node, "")
	if err != nil {
		t.Fatal(err)
	}
	pool, err := w.Pay(ctx, k.Carol, mvs.SatoshiPerETP)
	if err != nil {
		t.Fatal(err)
	}
	if code, body, _ := get(t, lc.server, "/tx/"+pool.Hash().String()); code != 200 || !strings.Contains(body, "unconfirmed (in the node's memory pool)") {
		t.Errorf("pool tx page: %d\n%s", code, body)
	}

	// Proofs of existence: made from the node's block, checked against the file and this
	// node's chain; refused for another file and against another chain.
	var proofJSON []byte
	t.Run("proof", func(t *testing.T) {
		code, body, hdr := get(t, lc.server, "/proof/make?tx="+lc.proof.String()+"&digest="+lc.digest)
		if code != 200 || hdr.Get("Content-Type") != "application/json" {
			t.Fatalf("proof/make: %d\n%s", code, body)
		}
		proofJSON = []byte(body)
		tests := []struct {
			name   string
			server http.Handler
			file   string
			want   string
		}{
			{"the file", lc.server, proofFile, `id="proof-ok"`},
			{"another file", lc.server, "another file\n", "This proof is of another file"},
			{"another chain", newFakeServer(t), proofFile, "is not the block this node&#39;s chain has at height " + itoa(uint64(k.Heights["transfer DID"])+1)},
		}
		for _, tc := range tests {
			code, body := postProof(t, tc.server, nil, map[string][]byte{"proof": proofJSON, "file": []byte(tc.file)})
			if code != 200 || !strings.Contains(body, tc.want) {
				t.Errorf("%s: %d, want %q\n%s", tc.name, code, tc.want, body)
			}
		}
		// The digest typed instead of the file.
		if code, body := postProof(t, lc.server, map[string]string{"proofjson": string(proofJSON), "digest": "sha256:" + lc.digest}, nil); code != 200 || !strings.Contains(body, `id="proof-ok"`) {
			t.Errorf("typed digest: %d\n%s", code, body)
		}
	})

	// DID login over HTTP against the node's chain: bob's DID moved to carol (m/4), so
	// bob's old key (m/1) no longer signs for it, and carol's does.
	t.Run("login", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			key  uint32
			want string
		}{{"the previous key", 1, `id="login-bad"`}, {"the current key", 4, `id="login-ok"`}} {
			code, body, _ := get(t, lc.server, "/login")
			m := challengeRe.FindStringSubmatch(body)
			if code != 200 || m == nil {
				t.Fatalf("GET /login: %d", code)
			}
			c, err := did.ParseLoginChallenge(html.UnescapeString(m[1]))
			if err != nil {
				t.Fatal(err)
			}
			key, err := w.Account().PrivateKey(tc.key)
			if err != nil {
				t.Fatal(err)
			}
			sig, err := did.SignLogin(key, c)
			if err != nil {
				t.Fatal(err)
			}
			rec := httptest.NewRecorder()
			req := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"challenge": {c.Text()}, "did": {"bob"},
				"signature": {did.EncodeLoginSignature(sig)}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			lc.server.ServeHTTP(rec, req)
			if !strings.Contains(rec.Body.String(), tc.want) {
				t.Errorf("bob signing with %s: %d, want %s\n%s", tc.name, rec.Code, tc.want, rec.Body)
			}
		}
	})

	pages := []pageCheck{
		{"pool tx", "/tx/" + pool.Hash().String(), "#tx-status", "unconfirmed"},
		{"home", "/", "#latest", ""},
		{"charts", "/charts", "#chart-interval", "Block interval"},
		{"block", "/block/" + itoa(uint64(k.Heights["issue asset"])), "#block-hash", ""},
		{"address", "/address/" + k.Alice.String(), "#asset-balances", k.Asset},
		{"asset", "/asset/" + k.Asset, "#holders", k.Bob.String()},
		{"did", "/did/bob", "#did-address", k.Carol.String()},
		{"mit", "/mit/" + k.MIT, "#mit-owner", k.Bob.String()},
		{"proof", "/tx/" + lc.proof.String(), "#outputs .proof", lc.digest},
		{"proof form", "/proof", "#proof-submit", "Check"},
		{"login form", "/login", "#login-submit", "Sign in"},
	}
	for _, kind := range k.Order {
		pages = append(pages, pageCheck{"tx " + kind, tx(kind), "#outputs", ""})
	}
	searches := []searchCheck{
		{"height", itoa(uint64(k.Heights["send"])), "#block-hash", ""},
		{"block hash", mustBlockHash(t, ctx, lc, uint64(k.Heights["send"])), "#block-hash", ""},
		{"txid", k.Txs["send asset locked"].String(), "#txid", k.Txs["send asset locked"].String()},
		{"address", k.Carol.String(), "#address", k.Carol.String()},
		{"asset", strings.ToLower(k.Asset), "#supply", k.Asset},
		{"did", "alice", "#did-address", k.Alice.String()},
		{"mit", k.MIT, "#mit-owner", k.Bob.String()},
		// The naming certificate, transferred to bob: his address's page lists it.
		{"certificate", k.Cert, "#address", k.Bob.String()},
	}
	for _, s := range searches {
		s := s
		t.Run("search "+s.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			lc.server.ServeHTTP(rec, httptest.NewRequest("GET", "/search?q="+urlQuery(s.query), nil))
			if rec.Code != 303 {
				t.Fatalf("search %q: %d\n%s", s.query, rec.Code, rec.Body)
			}
		})
	}

	t.Run("browser", func(t *testing.T) {
		needChromium(t)
		b := newBrowser(t)
		b.selfTest(t)
		// Check a proof as a user does: the proof's JSON file and the file itself uploaded.
		if proofJSON != nil {
			dir := t.TempDir()
			pj, pf := filepath.Join(dir, "proof.json"), filepath.Join(dir, "file.txt")
			if err := os.WriteFile(pj, proofJSON, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(pf, []byte(proofFile), 0o644); err != nil {
				t.Fatal(err)
			}
			b.do(t, "check a proof", chromedp.Navigate(lc.url+"/proof?tx="+lc.proof.String()+"&digest="+lc.digest),
				chromedp.WaitVisible(chromedp.CSS("#proof-submit")),
				chromedp.SetUploadFiles(chromedp.CSS("#proof-file"), []string{pj}),
				chromedp.SetUploadFiles(chromedp.CSS("#proof-target"), []string{pf}),
				chromedp.Click(chromedp.CSS("#proof-submit")),
				chromedp.WaitVisible(chromedp.CSS("#proof-ok")))
			b.screenshot(t, "proof-checked")
			b.check(t, "proof check")
		}
		// Sign in with DID alice as a user does: the page's challenge signed with the key
		// of the address alice is bound to (the devnet account's m/0), checked through the
		// node's getdid.
		b.do(t, "open the login page", chromedp.Navigate(lc.url+"/login"),
			chromedp.WaitVisible(chromedp.CSS("#login-submit")))
		challenge := runT(t, b, "read the login challenge", chromedp.Value(chromedp.CSS("#login-challenge")))
		c, err := did.ParseLoginChallenge(challenge)
		if err != nil {
			t.Fatalf("the page's challenge %q: %v", challenge, err)
		}
		key, err := w.Account().PrivateKey(0)
		if err != nil {
			t.Fatal(err)
		}
		sig, err := did.SignLogin(key, c)
		if err != nil {
			t.Fatal(err)
		}
		b.do(t, "sign in", chromedp.SetValue(chromedp.CSS("#login-did"), "alice"),
			chromedp.SetValue(chromedp.CSS("#login-signature"), did.EncodeLoginSignature(sig)),
			chromedp.Click(chromedp.CSS("#login-submit")),
			chromedp.WaitVisible(chromedp.CSS("#login-ok")))
		b.screenshot(t, "signed-in")
		b.check(t, "DID login")
		exercise(t, b, lc.url, pages, searches, func() (uint64, error) {
			lc.mine(t, ctx, 1)
			return lc.client.GetHeight(ctx)
		})
		if os.Getenv("EXPLORER_SCREENSHOTS") == "" {
			t.Logf("screenshots in %s", b.shots)
		}
	})

	// Last: a SIGKILL loses the node's pool (the pool transaction above).
	t.Run("raw catch-up", func(t *testing.T) { testRawCatchUp(t, ctx, lc) })
	t.Run("node restart", func(t *testing.T) { testRestart(t, ctx, lc) })
}

// testRestart: the explorer outlives its node: after a SIGKILL and a restart on the same
// datadir and ports, the push reconnects (a gap, then a catch-up) and new blocks are
// indexed again.
func testRestart(t *testing.T, ctx context.Context, lc *liveChain) {
	if err := lc.node.Kill(); err != nil {
		t.Fatal(err)
	}
	if err := lc.node.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	hs := lc.mine(t, ctx, 2)
	tip, err := lc.client.GetHeight(ctx)
	if err != nil {
		t.Fatal(err)
	}
	lc.waitIndexed(t, ctx, tip)
	if l := lc.index.Latest(1); l[0].Hash != hs[1] {
		t.Errorf("indexed tip %s, mined %s", l[0].Hash, hs[1])
	}
	if code, body, _ := get(t, lc.server, "/block/"+hs[1].String()); code != 200 {
		t.Errorf("the new block's page: %d\n%s", code, body)
	}
}

// testRawCatchUp: an index caught up over serialized blocks (the program's way) equals
// one caught up over getblock's JSON, on a chain with every kind of transaction.
func testRawCatchUp(t *testing.T, ctx context.Context, lc *liveChain) {
	build := func(p *mvs.Params) indexState {
		x := NewIndex()
		if err := (&Follower{Node: lc.client, Index: x, Params: p}).CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		return stateOf(x)
	}
	raw, js := build(lc.node.Params()), build(nil)
	if len(js.Holders[lc.kinds.Asset]) == 0 {
		t.Fatalf("no holders of %s", lc.kinds.Asset)
	}
	sameState(t, "raw", raw, js)
}

func mustBlockHash(t *testing.T, ctx context.Context, lc *liveChain, h uint64) string {
	t.Helper()
	hd, err := lc.client.GetBlockHeader(ctx, rpcclient.ByHeight(h))
	if err != nil {
		t.Fatal(err)
	}
	return hd.Hash.String()
}

// mine mines n blocks. Regtest blocks mined faster than real time carry timestamps a
// second apart, and the node refuses a block more than 24 s ahead of its clock
// (ErrFutureTimestamp), so after devnet.Populate's burst this waits, when it must, until
// the clock has caught up with the tip to within 12 s.
func (lc *liveChain) mine(t *testing.T, ctx context.Context, n int) []mvs.Hash {
	t.Helper()
	var out []mvs.Hash
	for range n {
		h, err := lc.client.GetBestBlockHeader(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if ahead := time.Until(time.Unix(int64(h.Timestamp), 0)) - 12*time.Second; ahead > 0 {
			select {
			case <-ctx.Done():
				t.Fatal(ctx.Err())
			case <-time.After(ahead):
			}
		}
		hs, err := lc.node.Mine(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, hs...)
	}
	return out
}

// waitIndexed waits until the live chain's index has block h.
func (lc *liveChain) waitIndexed(t *testing.T, ctx context.Context, h uint64) {
	t.Helper()
	for lc.index.Next() <= h {
		select {
		case <-ctx.Done():
			t.Fatalf("the index reached %d, waiting for block %d", lc.index.Next(), h)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

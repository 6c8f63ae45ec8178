package stratum_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/ethash"
	"github.com/mvsgo/mvs/examples/pool/internal/cpuminer"
	"github.com/mvsgo/mvs/examples/pool/internal/sharetest"
	"github.com/mvsgo/mvs/examples/pool/share"
	"github.com/mvsgo/mvs/examples/pool/stratum"
	"github.com/mvsgo/mvs/rpcclient"
)

// fakeNode is a node whose difficulty the test chooses (RegTest's stays at 1, where every
// share is a block): work at height+1, and every submitted block moves the tip.
type fakeNode struct {
	mu        sync.Mutex
	height    uint64
	seal      [32]byte
	boundary  [32]byte
	submitted int
	moveOnce  bool // the next GetWork's template is made after a block arrives
}

func newFakeNode(difficulty int64) *fakeNode {
	f := &fakeNode{seal: [32]byte{1}}
	b := new(big.Int).Quo(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(difficulty))
	b.FillBytes(f.boundary[:])
	return f
}

func (f *fakeNode) GetHeight(context.Context) (uint64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.height, nil
}

func (f *fakeNode) GetWork(context.Context) (*rpcclient.Work, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.moveOnce {
		f.moveOnce = false
		f.height++
	}
	return &rpcclient.Work{PowHash: f.seal, SeedHash: ethash.SeedHash((f.height + 1) / ethash.EpochLength), Boundary: f.boundary}, nil
}

func (f *fakeNode) SubmitWork(_ context.Context, _ uint64, powHash, _ [32]byte) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if powHash != f.seal {
		return false, errors.New("stale work")
	}
	f.submitted++
	f.height++
	f.seal[1]++
	return true, nil
}

// keyHash is RegTest's genesis payee (private key 1's): any valid key hash will do.
func keyHash() [20]byte {
	return [20]byte{0x75, 0x1e, 0x76, 0xe8, 0x19, 0x91, 0x96, 0xd4, 0x54, 0x94, 0x1c, 0x45, 0xd1, 0xb3, 0xa3, 0x23, 0xf1, 0x43, 0x3b, 0xd6}
}

func regtestAddress(t *testing.T) string {
	t.Helper()
	return mvs.NewPubKeyHashAddress(keyHash(), mvs.RegTest()).String()
}

// kinds is sharetest.Kinds, failing the test on a hashing error.
func kinds(t *testing.T, v *ethash.Verifier, j *share.Job, prefix uint64) (share, block, low uint64) {
	t.Helper()
	share, block, low, err := sharetest.Kinds(v, j, prefix)
	if err != nil {
		t.Fatal(err)
	}
	return share, block, low
}

// TestShareVerdicts: through each protocol, a share at the share difficulty is accepted
// (not a block), the same share again is a duplicate, one above the target is refused, a
// block-meeting share is submitted to the node and the job is stale at once; the worker's
// counts add up.
func TestShareVerdicts(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, proto := range []cpuminer.Protocol{cpuminer.Proxy, cpuminer.ES1} {
		t.Run(proto.String(), func(t *testing.T) {
			node := newFakeNode(256)
			v := smallVerifier(t)
			// BatchWait is long: with one connection the checker must not wait at all.
			pool, addr := serve(t, stratum.Config{Node: node, Params: mvs.RegTest(), Verifier: v, ShareDifficulty: 8, Poll: time.Hour, BatchWait: time.Hour})
			c, err := cpuminer.Dial(ctx, addr, proto, regtestAddress(t)+".w1", "", smallVerifier(t))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			j := pool.CurrentJob()
			if j.Difficulty.Int64() != 8 || j.Network.Int64() != 256 {
				t.Fatalf("job difficulties %v %v", j.Difficulty, j.Network)
			}
			var prefix uint64
			if ex := c.Extranonce(); ex != "" {
				p, _ := new(big.Int).SetString(ex, 16)
				prefix = p.Uint64() << 48
			}
			share, block, low := kinds(t, v, j, prefix)
			w := c.Work()
			sol := func(n uint64) cpuminer.Solution {
				mix, _, _ := v.Hash(j.Height, j.SealHash, n)
				return cpuminer.Solution{Work: w, Nonce: n, Mix: mix}
			}
			steps := []struct {
				name  string
				nonce uint64
				code  int
			}{
				{"share", share, 0},
				{"duplicate", share, stratum.CodeDuplicate},
				{"low difficulty", low, stratum.CodeLowDifficulty},
				{"block", block, 0},
				{"stale after the block", share + 1, stratum.CodeStale},
			}
			for _, s := range steps {
				if err := c.Submit(ctx, sol(s.nonce)); code(err) != s.code || (s.code == 0) != (err == nil) {
					t.Fatalf("%s: %v, want code %d", s.name, err, s.code)
				}
			}
			if node.submitted != 1 {
				t.Fatalf("%d blocks submitted to the node", node.submitted)
			}
			tot := pool.Totals()
			want := stratum.Totals{Accepted: 2, Stale: 1, Duplicate: 1, Invalid: 1, Blocks: 1, Connections: 1}
			if tot != want {
				t.Fatalf("totals %+v, want %+v", tot, want)
			}
			if err := c.Call(ctx, "eth_submitHashrate", []string{"0x1234", "0x01"}, nil); err != nil {
				t.Fatal(err)
			}
			ws := pool.Workers()
			// Two shares of difficulty 8 over at least the one-second floor of the window.
			if len(ws) != 1 || ws[0].Login != regtestAddress(t)+".w1" || ws[0].Worker != "w1" || ws[0].Accepted != 2 ||
				ws[0].Blocks != 1 || ws[0].Invalid != 1 || ws[0].Duplicate != 1 || ws[0].Stale != 1 ||
				ws[0].Hashrate <= 0 || ws[0].Hashrate > 16 || ws[0].Reported != 0x1234 {
				t.Fatalf("worker %+v", ws)
			}
			if nj := pool.CurrentJob(); nj == nil || nj.Height != j.Height+1 {
				t.Fatalf("job after the block: %+v", nj)
			}
		})
	}
}

// exchange sends lines on a raw connection and returns the last reply (notifications
// skipped), or nil when the pool closed the connection.
func exchange(t *testing.T, addr string, lines ...string) map[string]any {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(20 * time.Second))
	r := bufio.NewReader(nc)
	var last map[string]any
	for _, l := range lines {
		if _, err := nc.Write([]byte(l + "\n")); err != nil {
			return nil
		}
		for {
			b, err := r.ReadBytes('\n')
			if err != nil {
				return nil
			}
			last = nil
			if err := json.Unmarshal(b, &last); err != nil {
				t.Fatalf("reply %q: %v", b, err)
			}
			if _, ok := last["method"]; !ok && last["id"] != float64(0) {
				break
			}
		}
	}
	return last
}

// errCode reads either protocol's error code from a reply (0: none).
func errCode(m map[string]any) int {
	switch e := m["error"].(type) {
	case map[string]any:
		c, _ := e["code"].(float64)
		return int(c)
	case []any:
		c, _ := e[0].(float64)
		return int(c)
	}
	return 0
}

// TestRequestErrors: what a miner gets for requests the pool refuses, per protocol.
func TestRequestErrors(t *testing.T) {
	node := newFakeNode(256)
	_, addr := serve(t, stratum.Config{Node: node, Params: mvs.RegTest(), ShareDifficulty: 8, Poll: time.Hour, BanInvalid: 1000})
	_, paddr := serve(t, stratum.Config{Node: node, Params: mvs.RegTest(), ShareDifficulty: 8, Poll: time.Hour, Password: "s3cret", BanInvalid: 1000})
	a := regtestAddress(t)
	login := `{"id":1,"method":"eth_submitLogin","params":["` + a + `"],"worker":"w"}`
	sub := `{"id":1,"method":"mining.subscribe","params":["x","EthereumStratum/1.0.0"]}`
	auth := `{"id":2,"method":"mining.authorize","params":["` + a + `.w","x"]}`
	mainnet := mvs.NewPubKeyHashAddress(keyHash(), mvs.MainNet()).String()
	tests := []struct {
		name   string
		addr   string
		lines  []string
		code   int  // 0: accepted
		closed bool // the pool closes the connection
	}{
		{"not JSON", addr, []string{"hello"}, stratum.CodeMalformed, false},
		{"number param", addr, []string{`{"id":1,"method":"eth_submitLogin","params":[1]}`}, stratum.CodeMalformed, false},
		{"unknown method", addr, []string{`{"id":1,"method":"eth_sign","params":[]}`}, stratum.CodeMalformed, false},
		{"getWork before login", addr, []string{`{"id":1,"method":"eth_getWork"}`}, stratum.CodeUnauthorized, false},
		{"login with a mainnet address", addr, []string{`{"id":1,"method":"eth_submitLogin","params":["` + mainnet + `"]}`}, stratum.CodeUnauthorized, false},
		{"login with no address", addr, []string{`{"id":1,"method":"eth_submitLogin","params":[]}`}, stratum.CodeMalformed, false},
		{"bad worker name", addr, []string{`{"id":1,"method":"eth_submitLogin","params":["` + a + `.a b"]}`}, stratum.CodeMalformed, false},
		{"login", addr, []string{login}, 0, false},
		{"getWork", addr, []string{login, `{"id":2,"method":"eth_getWork"}`}, 0, false},
		{"hashrate", addr, []string{login, `{"id":2,"method":"eth_submitHashrate","params":["0x100","0x00"]}`}, 0, false},
		{"submitWork short nonce", addr, []string{login, `{"id":2,"method":"eth_submitWork","params":["0x01","0x` + strings.Repeat("0", 64) + `","0x` + strings.Repeat("0", 64) + `"]}`}, stratum.CodeMalformed, false},
		{"submitWork unknown job", addr, []string{login, `{"id":2,"method":"eth_submitWork","params":["0x0000000000000001","0x` + strings.Repeat("0", 64) + `","0x` + strings.Repeat("0", 64) + `"]}`}, stratum.CodeStale, false},
		{"other protocol after login", addr, []string{login, sub}, stratum.CodeMalformed, false},
		{"authorize before subscribe", addr, []string{auth}, stratum.CodeNotSubscribed, false},
		{"submit before authorize", addr, []string{sub, `{"id":3,"method":"mining.submit","params":["` + a + `","00000001","000000000001"]}`}, stratum.CodeUnauthorized, false},
		{"subscribe, authorize", addr, []string{sub, auth}, 0, false},
		{"hashrate on EthereumStratum", addr, []string{sub, auth, `{"id":3,"method":"eth_submitHashrate","params":["0x100","0x01"]}`}, 0, false},
		{"mining.hashrate", addr, []string{sub, auth, `{"id":3,"method":"mining.hashrate","params":["0x100","0x01"]}`}, 0, false},
		{"submit bad nonce", addr, []string{sub, auth, `{"id":3,"method":"mining.submit","params":["` + a + `","00000001","zz"]}`}, stratum.CodeMalformed, false},
		{"submit unknown job", addr, []string{sub, auth, `{"id":3,"method":"mining.submit","params":["` + a + `","ffffffff","000000000001"]}`}, stratum.CodeStale, false},
		{"line too long", addr, []string{`{"id":1,"method":"` + strings.Repeat("a", 2000) + `"}`}, stratum.CodeMalformed, true},
		{"no password", paddr, []string{login}, stratum.CodeUnauthorized, false},
		{"wrong password", paddr, []string{`{"id":1,"method":"eth_submitLogin","params":["` + a + `","nope"]}`}, stratum.CodeUnauthorized, false},
		{"password", paddr, []string{`{"id":1,"method":"eth_submitLogin","params":["` + a + `","s3cret"]}`}, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := exchange(t, tc.addr, tc.lines...)
			if m == nil {
				t.Fatal("connection closed with no reply")
			}
			if got := errCode(m); got != tc.code {
				t.Fatalf("reply %v: code %d, want %d", m, got, tc.code)
			}
			if tc.closed {
				nc, err := net.Dial("tcp", tc.addr)
				if err != nil {
					t.Fatal(err)
				}
				defer nc.Close()
				nc.SetDeadline(time.Now().Add(20 * time.Second))
				nc.Write([]byte(strings.Join(tc.lines, "\n") + "\n"))
				r := bufio.NewReader(nc)
				if _, err := r.ReadBytes('\n'); err != nil {
					t.Fatalf("no reply: %v", err)
				}
				if b, err := r.ReadBytes('\n'); err == nil {
					t.Fatalf("connection still open: %q", b)
				}
			}
		})
	}
}

type fakeListener struct{ net.Listener }

func (fakeListener) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(10, 0, 0, 1), Port: 3333} }
func (fakeListener) Close() error   { return nil }

// TestConfig: New refuses what it cannot use; Serve refuses a listener off loopback
// without a password.
func TestConfig(t *testing.T) {
	v := smallVerifier(t)
	node := newFakeNode(2)
	for _, tc := range []struct {
		name string
		cfg  stratum.Config
	}{
		{"no node", stratum.Config{Params: mvs.RegTest(), Verifier: v}},
		{"no params", stratum.Config{Node: node, Verifier: v}},
		{"no verifier", stratum.Config{Node: node, Params: mvs.RegTest()}},
		{"line cap too small", stratum.Config{Node: node, Params: mvs.RegTest(), Verifier: v, MaxLineBytes: 100}},
		{"hashrate window under a second", stratum.Config{Node: node, Params: mvs.RegTest(), Verifier: v, HashrateWindow: time.Millisecond}},
	} {
		if _, err := stratum.New(tc.cfg); !errors.Is(err, stratum.ErrConfig) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	s, err := stratum.New(stratum.Config{Node: node, Params: mvs.RegTest(), Verifier: v})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Serve(context.Background(), fakeListener{}); !errors.Is(err, stratum.ErrConfig) {
		t.Fatalf("Serve off loopback without a password: %v", err)
	}
}

// TestRefreshTipMoved: work fetched while a block arrived is not taken as the next
// height's (its job would be a height off); the next refresh takes it.
func TestRefreshTipMoved(t *testing.T) {
	node := newFakeNode(256)
	s, err := stratum.New(stratum.Config{Node: node, Params: mvs.RegTest(), Verifier: smallVerifier(t)})
	if err != nil {
		t.Fatal(err)
	}
	node.moveOnce = true
	if err := s.Refresh(context.Background()); err == nil || s.CurrentJob() != nil {
		t.Fatalf("refresh across a block: %v, job %+v", err, s.CurrentJob())
	}
	if err := s.Refresh(context.Background()); err != nil || s.CurrentJob() == nil || s.CurrentJob().Height != 2 {
		t.Fatalf("refresh: %v, job %+v", err, s.CurrentJob())
	}
}

// TestWorkerTable: at MaxWorkers, a new login takes the place of the longest idle worker
// with no connection; while every kept worker is connected, a new one is refused.
func TestWorkerTable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	pool, addr := serve(t, stratum.Config{Node: newFakeNode(256), Params: mvs.RegTest(), MaxWorkers: 2, Poll: time.Hour})
	a := regtestAddress(t)
	dial := func(w string) (*cpuminer.Client, error) {
		return cpuminer.Dial(ctx, addr, cpuminer.Proxy, a+"."+w, "", smallVerifier(t))
	}
	c1, err := dial("w1")
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Close()
	c2, err := dial("w2")
	if err != nil {
		t.Fatal(err)
	}
	c2.Close()
	for pool.Totals().Connections != 1 { // the pool has seen w2 leave
		time.Sleep(5 * time.Millisecond)
	}
	c3, err := dial("w3")
	if err != nil {
		t.Fatalf("login in an idle worker's place: %v", err)
	}
	defer c3.Close()
	var logins []string
	for _, w := range pool.Workers() {
		logins = append(logins, w.Worker)
	}
	if strings.Join(logins, ",") != "w1,w3" {
		t.Fatalf("workers %v", logins)
	}
	if _, err := dial("w4"); code(err) != stratum.CodeUnauthorized {
		t.Fatalf("login with every worker connected: %v", err)
	}
}

// brokenListener fails to accept with an error that is not the context's.
type brokenListener struct{ net.Listener }

func (brokenListener) Accept() (net.Conn, error) { return nil, errors.New("listener broke") }
func (brokenListener) Addr() net.Addr            { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1} }
func (brokenListener) Close() error              { return nil }

// TestServeAcceptError: a listener that fails ends Serve with its error, not with a
// context error that would read as a clean shutdown.
func TestServeAcceptError(t *testing.T) {
	s, err := stratum.New(stratum.Config{Node: newFakeNode(2), Params: mvs.RegTest(), Verifier: smallVerifier(t)})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Serve(context.Background(), brokenListener{})
	if err == nil || errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "listener broke") {
		t.Fatalf("Serve: %v", err)
	}
}

// TestUnknownMethodsNoBan: methods the pool does not speak are refused but not held
// against the miner; malformed requests are.
func TestUnknownMethodsNoBan(t *testing.T) {
	_, addr := serve(t, stratum.Config{Node: newFakeNode(256), Params: mvs.RegTest(), BanInvalid: 3, Poll: time.Hour})
	a := regtestAddress(t)
	login := `{"id":9,"method":"eth_submitLogin","params":["` + a + `"]}`
	unknown := `{"id":1,"method":"mining.configure","params":[]}`
	if m := exchange(t, addr, unknown, unknown, unknown, unknown, login); m == nil || errCode(m) != 0 {
		t.Fatalf("login after unknown methods: %v", m)
	}
	if m := exchange(t, addr, "x", "x", "x", login); m != nil {
		t.Fatalf("login after malformed lines: %v, want the connection closed", m)
	}
}

// TestConnLimits: beyond MaxConnsPerIP (or MaxConns) a new connection is closed at once;
// when one leaves, a new one is taken again.
func TestConnLimits(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, cfg := range []stratum.Config{{MaxConnsPerIP: 2}, {MaxConns: 2}} {
		cfg.Node, cfg.Params, cfg.Poll = newFakeNode(256), mvs.RegTest(), time.Hour
		pool, addr := serve(t, cfg)
		dial := func() (*cpuminer.Client, error) {
			return cpuminer.Dial(ctx, addr, cpuminer.Proxy, regtestAddress(t), "", smallVerifier(t))
		}
		c1, err := dial()
		if err != nil {
			t.Fatal(err)
		}
		c2, err := dial()
		if err != nil {
			t.Fatal(err)
		}
		defer c2.Close()
		if c3, err := dial(); err == nil {
			c3.Close()
			t.Fatalf("%+v: a third connection was taken", cfg)
		}
		c1.Close()
		for pool.Totals().Connections != 1 {
			time.Sleep(5 * time.Millisecond)
		}
		c4, err := dial()
		if err != nil {
			t.Fatalf("after one left: %v", err)
		}
		c4.Close()
	}
}

// noWorkNode is a node without a mining account: getwork refuses.
type noWorkNode struct{ *fakeNode }

func (noWorkNode) GetWork(context.Context) (*rpcclient.Work, error) {
	return nil, &rpcclient.RPCError{Code: rpcclient.CodeSettingRequired, Message: "Use command <setminingaccount> to set mining address."}
}

// TestNoWork: before the node has given work, a miner is told so (ErrNoWork), and
// Refresh says why.
func TestNoWork(t *testing.T) {
	s, err := stratum.New(stratum.Config{Node: noWorkNode{newFakeNode(2)}, Params: mvs.RegTest(), Verifier: smallVerifier(t), Poll: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	var rerr *rpcclient.RPCError
	if err := s.Refresh(context.Background()); !errors.As(err, &rerr) || rerr.Code != rpcclient.CodeSettingRequired {
		t.Fatalf("Refresh: %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, l) }()
	defer func() { cancel(); <-done }()
	m := exchange(t, l.Addr().String(), `{"id":1,"method":"eth_submitLogin","params":["`+regtestAddress(t)+`"]}`, `{"id":2,"method":"eth_getWork"}`)
	e, _ := m["error"].(map[string]any)
	if errCode(m) != stratum.CodeOther || e == nil || !strings.Contains(e["message"].(string), stratum.ErrNoWork.Error()) {
		t.Fatalf("getWork without work: %v", m)
	}
}

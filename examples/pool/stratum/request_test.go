package stratum_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/mvsgo/mvs/ethash"
	"github.com/mvsgo/mvs/examples/pool/stratum"
)

func TestParseRequest(t *testing.T) {
	tests := []struct {
		line   string
		method string
		params []string
		id     string
		worker string
		err    error
	}{
		{`{"id":1,"jsonrpc":"2.0","method":"eth_submitLogin","params":["addr","x"],"worker":"rig"}`, "eth_submitLogin", []string{"addr", "x"}, "1", "rig", nil},
		{`  {"id":"a","method":"eth_getWork"}` + "\r\n", "eth_getWork", nil, `"a"`, "", nil},
		{`{"method":"mining.subscribe","params":null}`, "mining.subscribe", nil, "null", "", nil},
		{`{"id":2,"method":"x","params":[]}`, "x", nil, "2", "", nil},
		{``, "", nil, "", "", stratum.ErrMalformed},
		{`[1]`, "", nil, "", "", stratum.ErrMalformed},
		{`{"id":1}`, "", nil, "", "", stratum.ErrMalformed},
		{`{"id":1,"method":""}`, "", nil, "", "", stratum.ErrMalformed},
		{`{"id":1,"method":3}`, "", nil, "", "", stratum.ErrMalformed},
		{`{"id":1,"method":"m","params":"s"}`, "", nil, "", "", stratum.ErrMalformed},
		{`{"id":1,"method":"m","params":[1.5]}`, "", nil, "", "", stratum.ErrMalformed},
		{`{"id":1,"method":"m","params":["a","b","c","d","e","f","g","h","i"]}`, "", nil, "", "", stratum.ErrMalformed},
		{`{"id":1,"method":"m"`, "", nil, "", "", stratum.ErrMalformed},
	}
	for _, tc := range tests {
		r, err := stratum.ParseRequest([]byte(tc.line))
		if !errors.Is(err, tc.err) {
			t.Errorf("%q: %v, want %v", tc.line, err, tc.err)
			continue
		}
		if err != nil {
			continue
		}
		if r.Method != tc.method || !slices.Equal(r.Params, tc.params) || string(r.ID) != tc.id || r.Worker != tc.worker {
			t.Errorf("%q: %+v", tc.line, r)
		}
	}
}

func FuzzParseRequest(f *testing.F) {
	for _, s := range []string{
		`{"id":1,"method":"eth_submitWork","params":["0x0000000000000001","0x00","0x00"],"worker":"w"}`,
		`{"id":null,"method":"mining.submit","params":["a.b","00000001","000000000001"]}`,
		`{"id":1,"method":"m","params":[{"a":1}]}`, `{}`, `[`, "\x00",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := stratum.ParseRequest(b)
		if err != nil {
			if !errors.Is(err, stratum.ErrMalformed) {
				t.Fatalf("error %v is not ErrMalformed", err)
			}
			return
		}
		if r.Method == "" || len(r.Params) > 8 || len(r.ID) == 0 {
			t.Fatalf("accepted %+v", r)
		}
	})
}

// TestCheckerVerdicts: the Checker's verdict for each kind of share, with and without a
// submitted mix digest, against the Verifier's own hash, in light and in full mode (the
// DAG once built, the cache until then: the same verdicts either way).
func TestCheckerVerdicts(t *testing.T) {
	for _, mode := range []ethash.Mode{ethash.Light, ethash.Full} {
		t.Run(map[ethash.Mode]string{ethash.Light: "light", ethash.Full: "full"}[mode], func(t *testing.T) { checkerVerdicts(t, mode) })
	}
}

func checkerVerdicts(t *testing.T, mode ethash.Mode) {
	built := make(chan struct{})
	var once sync.Once
	v := ethash.New(ethash.Config{Sizes: ethash.SmallSizes, Mode: mode, Progress: func(done, total uint64) {
		if done == total {
			once.Do(func() { close(built) })
		}
	}})
	defer v.Close()
	if mode == ethash.Full {
		v.Hash(7, [32]byte{}, 0) // starts the DAG
		<-built
	}
	var b [32]byte
	b[0] = 1 // boundary 2^248: network difficulty 256
	j, err := stratum.NewJob("1", 7, [32]byte{9}, ethash.SeedHash(0), b, 8)
	if err != nil {
		t.Fatal(err)
	}
	share, block, low := kinds(t, v, j, 0)
	mix := func(n uint64) [32]byte { m, _, _ := v.Hash(j.Height, j.SealHash, n); return m }
	tests := []struct {
		name  string
		share stratum.Share
		block bool
		err   error
	}{
		{"share with mix", stratum.Share{Job: j, Nonce: share, Mix: mix(share), HasMix: true}, false, nil},
		{"share without mix", stratum.Share{Job: j, Nonce: share}, false, nil},
		{"block with mix", stratum.Share{Job: j, Nonce: block, Mix: mix(block), HasMix: true}, true, nil},
		{"block without mix", stratum.Share{Job: j, Nonce: block}, true, nil},
		{"low with mix", stratum.Share{Job: j, Nonce: low, Mix: mix(low), HasMix: true}, false, stratum.ErrLowDifficulty},
		{"low without mix", stratum.Share{Job: j, Nonce: low}, false, stratum.ErrLowDifficulty},
		{"bad mix", stratum.Share{Job: j, Nonce: share, Mix: mix(low), HasMix: true}, false, stratum.ErrBadMix},
	}
	shares := make([]stratum.Share, len(tests))
	for i, tc := range tests {
		shares[i] = tc.share
	}
	out := make([]stratum.Verdict, len(shares))
	if err := stratum.NewChecker(v).Check(context.Background(), shares, out); err != nil {
		t.Fatal(err)
	}
	for i, tc := range tests {
		got := out[i]
		if !errors.Is(got.Err, tc.err) || got.Block != tc.block {
			t.Errorf("%s: %+v", tc.name, got)
		}
		if tc.block && got.Mix != mix(tc.share.Nonce) {
			t.Errorf("%s: mix %x", tc.name, got.Mix)
		}
	}
	if err := stratum.NewChecker(v).Check(context.Background(), shares, out[:1]); err == nil {
		t.Error("a verdict slice of the wrong length was taken")
	}
	v.Close()
	if err := stratum.NewChecker(v).Check(context.Background(), shares[:1], out[:1]); err != nil || !errors.Is(out[0].Err, stratum.ErrClosed) {
		t.Errorf("closed verifier: %v %+v", err, out[0])
	}
}

func TestCode(t *testing.T) {
	for _, tc := range []struct {
		err  error
		code int
	}{
		{nil, 0},
		{stratum.ErrStale, stratum.CodeStale},
		{stratum.ErrDuplicate, stratum.CodeDuplicate},
		{stratum.ErrLowDifficulty, stratum.CodeLowDifficulty},
		{stratum.ErrBadMix, stratum.CodeLowDifficulty},
		{stratum.ErrUnauthorized, stratum.CodeUnauthorized},
		{stratum.ErrBanned, stratum.CodeUnauthorized},
		{stratum.ErrTooManyWorkers, stratum.CodeUnauthorized},
		{stratum.ErrNotSubscribed, stratum.CodeNotSubscribed},
		{stratum.ErrMalformed, stratum.CodeMalformed},
		{stratum.ErrUnknownMethod, stratum.CodeMalformed},
		{stratum.ErrLineTooLong, stratum.CodeMalformed},
		{stratum.ErrNoWork, stratum.CodeOther},
		{stratum.ErrClosed, stratum.CodeOther},
	} {
		if got := stratum.Code(tc.err); got != tc.code {
			t.Errorf("Code(%v) = %d, want %d", tc.err, got, tc.code)
		}
	}
}

package stratum_test

import (
	"errors"
	"slices"
	"testing"

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

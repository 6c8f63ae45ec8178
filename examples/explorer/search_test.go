package main

import (
	"errors"
	"fmt"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/mvsgo/mvs"
)

func TestParseQuery(t *testing.T) {
	h := strings.Repeat("ab", 32)
	tests := []struct {
		in   string
		kind QueryKind
		err  error
	}{
		{"0", QueryHeight, nil},
		{"4294967294", QueryHeight, nil},
		{"4294967295", 0, ErrBadQuery},
		{h, QueryHash, nil},
		{strings.ToUpper(h), QueryHash, nil},
		{h[:63], QuerySymbol, nil}, // 63 hex digits are a valid symbol, not a hash
		{addrA, QueryAddress, nil},
		{mvs.BlackholeAddress, QueryAddress, nil},
		{mvs.NewPubKeyHashAddress([20]byte{1}, mvs.MainNet()).String(), 0, ErrBadQuery},
		{"FOO.BAR", QuerySymbol, nil},
		{"alice@x_y-z", QuerySymbol, nil},
		{"asset:foo", QueryAsset, nil},
		{"ASSET: FOO", QueryAsset, nil},
		{"asset:a@b", 0, ErrBadQuery},
		{"did:alice", QueryDID, nil},
		{"mit:TICKET1", QueryMIT, nil},
		{"cert:alice.name", QueryCert, nil},
		{"did:", 0, ErrBadQuery},
		{"", 0, ErrEmptyQuery},
		{"   ", 0, ErrEmptyQuery},
		{"a b", 0, ErrBadQuery},
		{"<script>", 0, ErrBadQuery},
		{strings.Repeat("x", 65), 0, ErrBadQuery},
		{strings.Repeat("x", 129), 0, ErrBadQuery},
	}
	for _, tc := range tests {
		q, err := ParseQuery(tc.in, regtest)
		if !errors.Is(err, tc.err) || q.Kind != tc.kind {
			t.Errorf("ParseQuery(%q) = %v, %v; want %v, %v", tc.in, q.Kind, err, tc.kind, tc.err)
		}
	}
}

// FuzzParseQuery: the parser never panics, and whatever it accepts the search handler
// answers without a 5xx.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"0", "12", strings.Repeat("ab", 32), addrA, "FOO", "did:alice", "mit:x", "asset:", "\x00", "💥"} {
		f.Add(s)
	}
	fx := newFixture(f)
	s, _ := newTestServer(f, fx)
	f.Fuzz(func(t *testing.T, in string) {
		q, err := ParseQuery(in, regtest)
		if err == nil && q.Kind == 0 {
			t.Fatalf("%q: no kind and no error", in)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", "/search?q="+url.QueryEscape(in), nil))
		if rec.Code >= 500 {
			t.Fatalf("%q: status %d", in, rec.Code)
		}
	})
}

func ExampleParseQuery() {
	for _, in := range []string{"1024", "did:alice", "FOO", "cert:ALICE.NAME", "not a thing"} {
		q, err := ParseQuery(in, mvs.RegTest())
		fmt.Println(q.Kind, err)
	}
	// Output:
	// height <nil>
	// DID <nil>
	// symbol <nil>
	// certificate <nil>
	// QueryKind(0) explorer: not a height, hash, address or symbol: "not a thing"
}

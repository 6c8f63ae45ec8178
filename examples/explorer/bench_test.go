package main

import (
	"net/http/httptest"
	"testing"
)

// The busiest pages: the home page (every browser's first and most reloaded) and a
// transaction page (the most linked; it reads previous transactions and DIDs).
func BenchmarkPages(b *testing.B) {
	fx := newFixture(b)
	s, _ := newTestServer(b, fx)
	for _, p := range []struct{ name, path string }{
		{"home", "/"},
		{"tx", "/tx/" + fx.lock.String()},
		{"block", "/block/2"},
		{"search", "/search?q=alice"},
	} {
		b.Run(p.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, httptest.NewRequest("GET", p.path, nil))
				if rec.Code >= 400 {
					b.Fatal(rec.Code)
				}
			}
		})
	}
}

func BenchmarkParseQuery(b *testing.B) {
	for b.Loop() {
		ParseQuery(addrA, regtest)
	}
}

// BenchmarkIndexApply: the follower's catch-up applies every block of the chain once.
func BenchmarkIndexApply(b *testing.B) {
	fx := newFixture(b)
	b.ReportAllocs()
	for b.Loop() {
		idx := NewIndex()
		for _, blk := range fx.node.blocks {
			if err := idx.Apply(blk); err != nil {
				b.Fatal(err)
			}
		}
	}
}

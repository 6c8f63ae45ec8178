package main

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/examples/internal/devnet"
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

// BenchmarkCatchUpFile: a catch-up of a 10,240-block chain with asset traffic from an
// in-process node into a new index file: the index and bbolt's share of catch-up, with
// commits every commitEvery blocks (fsync on).
func BenchmarkCatchUpFile(b *testing.B) {
	chain := genChain(20*commitEvery, 20*commitEvery, 0)
	node := &fakeNode{blocks: chain}
	for b.Loop() {
		catchUpInto(b, node, nil, b.TempDir())
	}
	b.ReportMetric(float64(len(chain)*b.N)/b.Elapsed().Seconds(), "blocks/s")
}

// BenchmarkCatchUpDevnet: a catch-up from a real node (mvsgod on a private regtest chain
// with one transaction of every kind, over loopback JSON-RPC) into a new index file.
func BenchmarkCatchUpDevnet(b *testing.B) {
	if testing.Short() {
		b.Skip("builds and starts mvsgod")
	}
	ctx := context.Background()
	dir := b.TempDir()
	bin, err := devnet.Build(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	n, err := devnet.Start(ctx, devnet.Config{Bin: bin, Dir: filepath.Join(dir, "node")})
	if err != nil {
		b.Fatal(err)
	}
	defer n.Stop()
	if _, err := devnet.Populate(ctx, n); err != nil {
		b.Fatal(err)
	}
	tip, err := n.RPC().GetHeight(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range []struct {
		name   string
		params *mvs.Params
	}{{"raw", n.Params()}, {"json", nil}} {
		b.Run(m.name, func(b *testing.B) {
			for b.Loop() {
				catchUpInto(b, n.RPC(), m.params, b.TempDir())
			}
			b.ReportMetric(float64((tip+1)*uint64(b.N))/b.Elapsed().Seconds(), "blocks/s")
			b.ReportMetric(float64(tip+1), "blocks")
		})
	}
}

func catchUpInto(b *testing.B, node Node, p *mvs.Params, dir string) {
	x, err := OpenIndex(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer x.Close()
	if err := (&Follower{Node: node, Index: x, Params: p}).CatchUp(context.Background()); err != nil {
		b.Fatal(err)
	}
}

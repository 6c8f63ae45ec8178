package stratum_test

import (
	"context"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/ethash"
	"github.com/mvsgo/mvs/examples/pool/internal/cpuminer"
	"github.com/mvsgo/mvs/examples/pool/stratum"
)

// BenchmarkParseRequest is the request parser on an eth_submitWork line, every share's.
func BenchmarkParseRequest(b *testing.B) {
	line := []byte(`{"id":40,"jsonrpc":"2.0","method":"eth_submitWork","params":["0x00000000000004d2","0x` +
		"1111111111111111111111111111111111111111111111111111111111111111" + `","0x` +
		"2222222222222222222222222222222222222222222222222222222222222222" + `"],"worker":"rig1"}` + "\n")
	b.ReportAllocs()
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		if _, err := stratum.ParseRequest(line); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkServerShares is the whole pool on one share: 16 EthereumStratum miners (no mix
// digest, so any nonce is a share at difficulty 1) submit over TCP at once, epoch 0 at real
// sizes in light mode, against a node no share meets. Shares from all connections are
// checked together, which is what makes the server's rate close to the Checker's batch
// rate rather than its one-by-one rate.
func BenchmarkServerShares(b *testing.B) {
	v := ethash.New(ethash.Config{})
	defer v.Close()
	s, err := stratum.New(stratum.Config{Node: newFakeNode(1 << 62), Params: mvs.RegTest(), Verifier: v,
		ShareDifficulty: 1, Poll: time.Hour, MaxLineBytes: stratum.DefaultMaxLineBytes})
	if err != nil {
		b.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, l) }()
	defer func() { cancel(); <-done }()
	for s.CurrentJob() == nil {
		s.Refresh(ctx)
	}
	login := mvs.NewPubKeyHashAddress(keyHash(), mvs.RegTest()).String()
	var next atomic.Uint64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		c, err := cpuminer.Dial(ctx, l.Addr().String(), cpuminer.ES1, login+".bench", "", nil)
		if err != nil {
			b.Error(err)
			return
		}
		defer c.Close()
		w := c.Work()
		for pb.Next() {
			if err := c.Submit(ctx, cpuminer.Solution{Work: w, Nonce: next.Add(1)}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "shares/s")
	if tot := s.Totals(); tot.Accepted != uint64(b.N) {
		b.Fatalf("totals %+v for %d shares", tot, b.N)
	}
}

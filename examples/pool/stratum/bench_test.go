package stratum_test

import (
	"context"
	"encoding/binary"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/ethash"
	"github.com/mvsgo/mvs/examples/pool/internal/cpuminer"
	"github.com/mvsgo/mvs/examples/pool/stratum"
)

// benchShares makes n valid shares of n jobs at height 1 (epoch 0, real sizes), each
// with its own seal hash and nonce as miners' shares have, at share difficulty 1 and a
// network difficulty no share meets: each is one hashimoto and an accepted share.
func benchShares(b *testing.B, n int) []stratum.Share {
	b.Helper()
	c, err := ethash.LoadCache("", 0, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	h := ethash.NewHasher()
	var boundary [32]byte
	boundary[4] = 1 // network difficulty 2^216
	shares := make([]stratum.Share, n)
	for i := range shares {
		var seal [32]byte
		binary.LittleEndian.PutUint64(seal[:], uint64(i)*0x9e3779b97f4a7c15)
		j, err := stratum.NewJob("b", 1, seal, ethash.SeedHash(0), boundary, 1)
		if err != nil {
			b.Fatal(err)
		}
		nonce := uint64(i) * 7919
		mix, _ := h.Light(c.DatasetSize, c.Words(), seal, nonce)
		shares[i] = stratum.Share{Job: j, Nonce: nonce, Mix: mix, HasMix: true}
	}
	return shares
}

// BenchmarkShareVerify is the pool's share check: 256 eth-proxy shares (with mix digests),
// light mode, epoch 0 at real sizes; "batch" checks all that arrived together in one
// Check (what the server does), "single" one at a time. shares/s is per wall-clock second
// over GOMAXPROCS cores.
func BenchmarkShareVerify(b *testing.B) {
	shares := benchShares(b, 256)
	v := ethash.New(ethash.Config{})
	defer v.Close()
	ctx := context.Background()
	out := make([]stratum.Verdict, len(shares))
	ch := stratum.NewChecker(v)
	if err := ch.Check(ctx, shares[:1], out[:1]); err != nil || out[0].Err != nil { // the cache, once
		b.Fatal(err, out[0].Err)
	}
	b.Run("batch", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := ch.Check(ctx, shares, out); err != nil {
				b.Fatal(err)
			}
		}
		for _, o := range out {
			if o.Err != nil || o.Block {
				b.Fatalf("verdict %+v", o)
			}
		}
		b.ReportMetric(float64(b.N*len(shares))/b.Elapsed().Seconds(), "shares/s")
	})
	b.Run("single", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for i := range shares {
				if err := ch.Check(ctx, shares[i:i+1], out[i:i+1]); err != nil || out[i].Err != nil {
					b.Fatal(err, out[i].Err)
				}
			}
		}
		b.ReportMetric(float64(b.N*len(shares))/b.Elapsed().Seconds(), "shares/s")
	})
}

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

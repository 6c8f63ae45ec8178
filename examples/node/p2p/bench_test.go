package p2p_test

import (
	"context"
	"net/netip"
	"sync/atomic"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/examples/node/p2p"
	"github.com/mvsgo/mvs/wire"
)

type invCounter struct {
	p2p.NoopHandler
	n atomic.Int64
	c chan struct{}
}

func (h *invCounter) OnInv(p *p2p.Peer, m *wire.MsgInv) {
	h.n.Add(1)
	select {
	case h.c <- struct{}{}:
	default:
	}
}

// BenchmarkRelayInv is one 100-entry inv from one server to another over loopback:
// Send, the write loop, framing, the read loop and the handler.
func BenchmarkRelayInv(b *testing.B) {
	h := &invCounter{c: make(chan struct{}, 1)}
	cfg := func(h p2p.Handler) p2p.Config {
		return p2p.Config{Params: mvs.MainNet(), Listen: "127.0.0.1:0", AllowLocal: true, Handler: h,
			InvRate: p2p.Rate{PerSecond: 1e12, Burst: 1e12}}
	}
	src, err := p2p.NewServer(cfg(nil))
	if err != nil {
		b.Fatal(err)
	}
	dst, err := p2p.NewServer(cfg(h))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for _, s := range []*p2p.Server{src, dst} {
		if err := s.Start(ctx); err != nil {
			b.Fatal(err)
		}
		defer s.Close(ctx)
	}
	p, err := src.Connect(ctx, dst.AddrPort())
	if err != nil {
		b.Fatal(err)
	}
	msg := &wire.MsgInv{}
	for i := range 100 {
		msg.AddInvVect(wire.InvVect{Type: wire.InvTypeTx, Hash: mvs.Hash{byte(i)}})
	}
	b.SetBytes(wire.HeaderSize + 3 + 100*36)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for p.Send(msg) != nil {
			<-h.c // queue full would drop the peer: never get there
		}
		if i%100 == 99 {
			for h.n.Load() < int64(i+1)-400 {
				<-h.c
			}
		}
	}
	for h.n.Load() < int64(b.N) {
		<-h.c
	}
}

func BenchmarkAddrBookAdd(b *testing.B) {
	book, err := p2p.OpenAddrBook(p2p.AddrBookConfig{})
	if err != nil {
		b.Fatal(err)
	}
	list := make([]wire.NetAddress, 1000)
	for i := range list {
		list[i] = wire.NewNetAddress(netip.AddrPortFrom(netip.AddrFrom4([4]byte{8, byte(i >> 16), byte(i >> 8), byte(i)}), 5251), 1)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		book.Add(list[i%len(list)])
	}
}

func BenchmarkAddrBookSample(b *testing.B) {
	book, err := p2p.OpenAddrBook(p2p.AddrBookConfig{})
	if err != nil {
		b.Fatal(err)
	}
	for i := range 1000 {
		book.Add(wire.NewNetAddress(netip.AddrPortFrom(netip.AddrFrom4([4]byte{8, 1, byte(i >> 8), byte(i)}), 5251), 1))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = book.Sample()
	}
}

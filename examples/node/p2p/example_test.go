package p2p_test

import (
	"context"
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/examples/node/p2p"
)

// Two servers on loopback: a dials b and both complete the handshake.
func Example() {
	ctx := context.Background()
	newServer := func(agent string, height uint32) *p2p.Server {
		s, err := p2p.NewServer(p2p.Config{
			Params:      mvs.MainNet(),
			Listen:      "127.0.0.1:0", // any free port
			UserAgent:   agent,
			StartHeight: func() uint32 { return height },
		})
		if err != nil {
			panic(err)
		}
		if err := s.Start(ctx); err != nil {
			panic(err)
		}
		return s
	}
	a, b := newServer("/a:1/", 10), newServer("/b:1/", 20)
	defer a.Close(ctx)
	defer b.Close(ctx)

	p, err := a.Connect(ctx, b.AddrPort())
	if err != nil {
		fmt.Println("connect:", err)
		return
	}
	v := p.Version()
	fmt.Println("a reached", v.UserAgent, "at height", v.StartHeight, "protocol", p.ProtocolVersion())
	fmt.Println("a sees b as inbound:", p.Inbound())
	// Output:
	// a reached /b:1/ at height 20 protocol 70012
	// a sees b as inbound: false
}

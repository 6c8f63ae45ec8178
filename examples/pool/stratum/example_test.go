package stratum_test

import (
	"bufio"
	"context"
	"fmt"
	"net"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/ethash"
	"github.com/mvsgo/mvs/examples/pool/stratum"
	"github.com/mvsgo/mvs/rpcclient"
)

// staticNode hands out one piece of work: a real pool passes an *rpcclient.Client.
type staticNode struct{}

func (staticNode) GetHeight(context.Context) (uint64, error) { return 41, nil }
func (staticNode) GetWork(context.Context) (*rpcclient.Work, error) {
	w := &rpcclient.Work{PowHash: [32]byte{0xab}, SeedHash: ethash.SeedHash(0)}
	w.Boundary[0] = 1 // network difficulty 256
	return w, nil
}
func (staticNode) SubmitWork(context.Context, uint64, [32]byte, [32]byte) (bool, error) {
	return true, nil
}

// An eth-proxy miner's first two requests, answered by a Server on a loopback port: the
// login (a RegTest address with a worker name) and the work, whose third element is the
// share target for ShareDifficulty 16.
func ExampleServer() {
	v := ethash.New(ethash.Config{Sizes: ethash.SmallSizes})
	defer v.Close()
	s, err := stratum.New(stratum.Config{Node: staticNode{}, Params: mvs.RegTest(), Verifier: v, ShareDifficulty: 16})
	if err != nil {
		panic(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Serve(ctx, l) }()
	defer func() { cancel(); <-done }()
	if err := s.Refresh(ctx); err != nil { // Serve does this at once too; here, before dialling
		panic(err)
	}

	payee := mvs.NewPubKeyHashAddress([20]byte{1}, mvs.RegTest())
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		panic(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	fmt.Fprintf(c, `{"id":1,"jsonrpc":"2.0","method":"eth_submitLogin","params":["%s.rig1"]}`+"\n", payee)
	line, _ := r.ReadString('\n')
	fmt.Print(line)
	fmt.Fprintln(c, `{"id":2,"jsonrpc":"2.0","method":"eth_getWork","params":[]}`)
	line, _ = r.ReadString('\n')
	fmt.Print(line)
	// Output:
	// {"id":1,"jsonrpc":"2.0","result":true}
	// {"id":2,"jsonrpc":"2.0","result":["0xab00000000000000000000000000000000000000000000000000000000000000","0x0000000000000000000000000000000000000000000000000000000000000000","0x0fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"]}
}

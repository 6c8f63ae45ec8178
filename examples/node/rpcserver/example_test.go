package rpcserver_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/chain/regtest"
	"github.com/mvsgo/mvs/examples/node/mempool"
	"github.com/mvsgo/mvs/examples/node/rpcserver"
	"github.com/mvsgo/mvs/rpcclient"
)

// Example serves a regtest chain and asks it with rpcclient, as an exchange would ask mvsd.
// An example has no *testing.T for regtest, so it runs under the *testing.B that
// testing.Benchmark provides, once.
func Example() {
	testing.Benchmark(func(b *testing.B) {
		if b.N > 1 {
			return // one chain is enough
		}
		serve(b)
	})
	// Output:
	// height 3 transactions 1
	// rpcclient: gettx: node error 5306: transaction 0000000000000000000000000000000000000000000000000000000000000001 does not exist
}

func serve(tb testing.TB) {
	net := regtest.New(tb)
	net.Mine(3)
	pool, err := mempool.New(mempool.Config{Params: net.Params(), Store: net.Store()})
	if err != nil {
		fmt.Println(err)
		return
	}
	srv, err := rpcserver.New(rpcserver.Config{Params: net.Params(), Store: net.Store(), Chain: net.Chain(),
		Queries: chain.NewQueries(net.Store(), net.Params()), Pool: pool})
	if err != nil {
		fmt.Println(err)
		return
	}
	srv.Start()
	defer srv.Close()
	hs := httptest.NewServer(srv) // the node uses srv.ListenAndServe(ctx, "127.0.0.1:8820")
	defer hs.Close()

	c, err := rpcclient.New(hs.URL, rpcclient.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	h, err := c.GetHeight(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	blk, err := c.GetBlock(ctx, rpcclient.ByHeight(h))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("height", h, "transactions", len(blk.Transactions))
	_, err = c.GetTx(ctx, [32]byte{1})
	fmt.Println(err)
}

package rpcserver_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/chain/regtest"
	"github.com/mvsgo/mvs/examples/node/mempool"
	"github.com/mvsgo/mvs/examples/node/rpcserver"
	"github.com/mvsgo/mvs/rpcclient"
)

// FuzzHandle feeds arbitrary bodies to the decoder and dispatcher: every input must give a
// JSON-RPC envelope with either a result or an error, never a panic.
func FuzzHandle(f *testing.F) {
	for _, s := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"getheight","params":[]}`,
		`{"jsonrpc":"3.0","id":"7","method":"getblock","params":[{"json":"false"},"0"]}`,
		`{"jsonrpc":"2.0","id":1,"method":"getblockheader","params":[{"height":"0"}]}`,
		`{"jsonrpc":"2.0","id":1,"method":"gettx","params":[{"json":null},"00"]}`,
		`{"jsonrpc":"2.0","id":1,"method":"decoderawtx","params":["0100000000000000000000"]}`,
		`{"jsonrpc":"2.0","id":1,"method":"listtxs","params":[{"address":"x","index":"0","limit":[1,2]}]}`,
		`{"jsonrpc":"2.0","id":1,"method":"getaddressetp","params":[{"utxo":true,"range":"1:0"},"alice"]}`,
		`{"jsonrpc":"2.0","id":1,"method":"submitwork","params":["0x00","0x","0x"]}`,
		`{"jsonrpc":"2.0","id":1e99,"method":"getdid","params":[{},{}]}`,
		`{"jsonrpc":"2.0","id":1,"method":"validateaddress","params":[null]}`,
		`{`, `[]`, `null`, ``,
	} {
		f.Add([]byte(s))
	}
	n := regtest.New(f)
	n.Mine(2)
	pool, err := mempool.New(mempool.Config{Params: n.Params(), Store: n.Store()})
	if err != nil {
		f.Fatal(err)
	}
	srv, err := rpcserver.New(rpcserver.Config{Params: n.Params(), Store: n.Store(), Chain: n.Chain(),
		Queries: chain.NewQueries(n.Store(), n.Params()), Pool: pool})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		out := srv.Handle(context.Background(), body)
		var env struct {
			JSONRPC string           `json:"jsonrpc"`
			ID      json.Number      `json:"id"`
			Result  *json.RawMessage `json:"result"`
			Error   *struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := json.Unmarshal(out, &env); err != nil {
			t.Fatalf("answer %q: %v", out, err)
		}
		if env.JSONRPC != "2.0" || (env.Result == nil) == (env.Error == nil) {
			t.Fatalf("answer %q is not an envelope with one of result and error", out)
		}
		if env.Error != nil && env.Error.Code == rpcclient.CodeJSONRPCInternalError {
			t.Fatalf("internal error (a recovered panic) for %q: %s", body, env.Error.Message)
		}
		if _, err := env.ID.Int64(); err != nil {
			if _, err := env.ID.Float64(); err != nil {
				t.Fatalf("id %q", env.ID)
			}
		}
	})
}

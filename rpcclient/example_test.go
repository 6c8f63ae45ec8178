package rpcclient_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/mvsgo/mvs/rpcclient"
)

// exampleNode answers getheight and getblock the way mvsd does (the block is the mainnet
// genesis block, as the public API docs print it).
func exampleNode() *httptest.Server {
	genesis, err := os.ReadFile("testdata/docs/getblock-1.json")
	if err != nil {
		log.Fatal(err)
	}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			ID     uint64
			Method string
		}
		body, _ := io.ReadAll(r.Body)
		json.Unmarshal(body, &req)
		var answer map[string]any
		switch req.Method {
		case "getheight":
			answer = map[string]any{"jsonrpc": "2.0", "result": 0}
		case "getblock":
			json.Unmarshal(genesis, &answer)
		default:
			answer = map[string]any{"jsonrpc": "2.0", "error": map[string]any{"code": 1020, "message": "unknown command"}}
		}
		answer["id"] = req.ID
		json.NewEncoder(w).Encode(answer)
	}))
}

// Example scans the best chain's newest block for outputs, as a deposit scanner would.
func Example() {
	node := exampleNode() // in production: http://127.0.0.1:8820
	defer node.Close()

	c, err := rpcclient.New(node.URL, rpcclient.Options{})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	height, err := c.GetHeight(ctx)
	if err != nil {
		log.Fatal(err)
	}
	blk, err := c.GetBlock(ctx, rpcclient.ByHeight(height))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("block", blk.Number, blk.Hash)
	for _, tx := range blk.Transactions {
		for _, out := range tx.Outputs {
			fmt.Println(tx.Hash, out.Index, out.Address, out.Value, out.Attachment.Type)
		}
	}
	// The node's refusals carry the reference's codes.
	if _, err := c.GetPeerInfo(ctx); err != nil {
		var re *rpcclient.RPCError
		if errors.As(err, &re) && re.Code == rpcclient.CodeInvalidCommand {
			fmt.Println("refused:", re.Message)
		}
	}
	// Output:
	// block 0 b81848ef9ae86e84c3da26564bc6ab3a79efc628239d11471ab5cd25c0684c2d
	// 2a845dfa63a7c20d40dbc4b15c3e970ef36332b367500fd89307053cb4c1a2c1 0 MGqHvbaH9wzdr6oUDFz4S1HptjoKQcjRve 5000000000000000 etp
	// refused: unknown command
}

// ExampleClient_Subscribe follows deposits to two addresses and new heights, and
// resynchronizes when the stream reports a gap. (Not run: it needs a node.)
func ExampleClient_Subscribe() {
	c, err := rpcclient.New("http://127.0.0.1:8820", rpcclient.Options{PushURL: "ws://127.0.0.1:8821"})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	sub, err := c.Subscribe(ctx, rpcclient.Topics{Heights: true, Txs: []string{"MJNo92g6DavpaCZbYjrH45iQ8eAKnLqmms", "alice"}})
	if err != nil {
		log.Fatal(err)
	}
	defer sub.Close()
	for ev := range sub.Events() {
		switch ev.Kind {
		case rpcclient.EventTx:
			fmt.Println("tx", ev.Tx.Hash, "at height", ev.Height, "for", ev.Topics) // height 0: still in the pool
		case rpcclient.EventHeight:
			fmt.Println("height", ev.Height)
		case rpcclient.EventGap:
			// Events were lost (reconnection, slow reader, skipped heights): rescan with
			// GetBlock from the last height processed before trusting the stream again.
			fmt.Println("gap:", ev.Gap.Reason)
		}
	}
	fmt.Println("ended:", sub.Err())
}

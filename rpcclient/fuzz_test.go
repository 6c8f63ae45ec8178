package rpcclient_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/rpcclient"
)

// fixedBody answers every request with body, without a network. When body is a JSON
// object its id is set to the request's, so that the fuzzer reaches the result decoders.
type fixedBody []byte

func (b fixedBody) RoundTrip(r *http.Request) (*http.Response, error) {
	out := []byte(b)
	var env map[string]json.RawMessage
	if json.Unmarshal(b, &env) == nil && env != nil {
		var req struct{ ID json.RawMessage }
		reqBody, _ := io.ReadAll(r.Body)
		json.Unmarshal(reqBody, &req)
		env["id"] = req.ID
		out, _ = json.Marshal(env)
	}
	return &http.Response{StatusCode: 200, Status: "200 OK", Body: io.NopCloser(bytes.NewReader(out)),
		ContentLength: -1, Header: http.Header{}, Request: r}, nil
}

// FuzzResponse feeds arbitrary answers to the decoders of every answer shape: nothing may
// panic, and an accepted answer must encode again.
func FuzzResponse(f *testing.F) {
	for _, name := range []string{"docs/getblock-1.json", "docs/gettx-1.json", "docs/listtxs-1.json", "docs/getwork-1.json",
		"docs/getaddressasset-2.json", "reference/gettx-attachments.json", "reference/getaddressasset-deposited.json",
		"docs/push-tx.json", "docs/push-block.json"} {
		f.Add(readFile(f, name))
	}
	f.Add([]byte(`{"id":1,"error":{"code":-32700,"message":"x"}}`))
	f.Add([]byte(`{"id":1,"result":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := rpcclient.New("http://node/rpc/v3", rpcclient.Options{HTTPClient: &http.Client{Transport: fixedBody(body)}, MaxResponseBytes: 1 << 20})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		check := func(v any, err error) {
			if err != nil {
				return
			}
			if _, err := json.Marshal(v); err != nil {
				t.Fatalf("accepted %q but cannot encode it: %v", body, err)
			}
		}
		check(c.GetBlock(ctx, rpcclient.ByHeight(0)))
		check(c.GetTx(ctx, mvs.Hash{}))
		check(c.ListTxs(ctx, rpcclient.ListTxsParams{Address: "M"}))
		check(c.GetWork(ctx))
		check(c.GetAddressAssetDeposits(ctx, "M", ""))
		check(c.GetInfo(ctx))
		check(c.GetMIT(ctx, "m"))
		check(c.GetMiningInfo(ctx))
		// The push's message shapes, through the same public types.
		var msg struct {
			Result json.RawMessage `json:"result"`
		}
		if json.Unmarshal(body, &msg) == nil {
			var b rpcclient.Block
			if json.Unmarshal(msg.Result, &b) == nil {
				check(b, nil)
			}
		}
	})
}

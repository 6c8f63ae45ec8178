package rpcclient_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/mvsgo/mvs/rpcclient"
)

// BenchmarkGetBlock decodes a getblock answer of 1,000 two-input, two-output transactions
// (the docs' gettx example repeated), without a network: the client's cost per block.
func BenchmarkGetBlock(b *testing.B) {
	var blk map[string]any
	var env map[string]any
	if err := json.Unmarshal(readFile(b, "docs/getblock-1.json"), &env); err != nil {
		b.Fatal(err)
	}
	blk = env["result"].(map[string]any)
	var tx struct{ Result map[string]any }
	if err := json.Unmarshal(readFile(b, "docs/gettx-1.json"), &tx); err != nil {
		b.Fatal(err)
	}
	delete(tx.Result, "height") // getblock prints no height per transaction
	txs := make([]any, 1000)
	for i := range txs {
		txs[i] = tx.Result
	}
	blk["transactions"] = txs
	blk["transaction_count"] = len(txs)
	delete(env, "id")
	body, err := json.Marshal(env)
	if err != nil {
		b.Fatal(err)
	}
	c, err := rpcclient.New("http://node", rpcclient.Options{HTTPClient: &http.Client{Transport: idPrefixed(body[1:])}})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.GetBlock(context.Background(), rpcclient.ByHeight(0)); err != nil {
			b.Fatal(err)
		}
	}
}

// idPrefixed answers with {"id":<request id>, followed by rest (an object's members and its
// closing brace): the answer costs no JSON work in the benchmark.
type idPrefixed []byte

func (rest idPrefixed) RoundTrip(r *http.Request) (*http.Response, error) {
	var req struct{ ID uint64 }
	body, _ := io.ReadAll(r.Body)
	json.Unmarshal(body, &req)
	out := append([]byte(`{"id":`+strconv.FormatUint(req.ID, 10)+`,`), rest...)
	return &http.Response{StatusCode: 200, Status: "200 OK", Body: io.NopCloser(bytes.NewReader(out)),
		ContentLength: int64(len(out)), Header: http.Header{}, Request: r}, nil
}

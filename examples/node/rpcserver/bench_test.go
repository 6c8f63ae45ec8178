package rpcserver_test

import (
	"context"
	"strings"
	"testing"
)

// BenchmarkHandle measures the dispatcher and the answer's encoding without HTTP, for a
// small call and a block with its transactions in JSON.
func BenchmarkHandle(b *testing.B) {
	for _, bc := range []struct{ name, body string }{
		{"getheight", `{"jsonrpc":"2.0","id":1,"method":"getheight","params":[]}`},
		{"getblock", `{"jsonrpc":"2.0","id":1,"method":"getblock","params":["13"]}`},
		{"gettx", `{"jsonrpc":"2.0","id":1,"method":"gettx","params":["TX"]}`},
	} {
		b.Run(bc.name, func(b *testing.B) {
			f := newFixtureTB(b, nil)
			body := []byte(strings.Replace(bc.body, "TX", f.payment.Hash().String(), 1))
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				out := f.srv.Handle(ctx, body)
				if strings.Contains(string(out[:min(len(out), 64)]), `"error"`) {
					b.Fatalf("%s", out)
				}
			}
		})
	}
}

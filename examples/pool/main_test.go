package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"
)

// TestDemo runs the README's command: a private chain, the pool, a CPU miner on each
// protocol, every block the pool found on the node's chain.
func TestDemo(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, []string{"--demo", "--demo-blocks", "2", "--log-level", "error"}, &out, io.Discard); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"(eth-proxy) as", "(EthereumStratum/1.0.0) as", "4 blocks (0 refused by the node)", "node: height 0 -> 4"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestFlags: what run refuses before starting anything.
func TestFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"extra"}, "unexpected argument"},
		{[]string{"--log-level", "loud"}, "--log-level"},
		{[]string{"--net", "moon"}, "moon"},
		{[]string{"--node", "ftp://x"}, "--node"},
		{[]string{"--net", "mainnet", "--ethash-test-sizes", "--ethash-dir", "/nonexistent"}, "regtest only"},
		{[]string{"--password-file", "/nonexistent/pw"}, "--password-file"},
		{[]string{"--rpc-password-file", "/nonexistent/pw"}, "--rpc-password-file"},
		{[]string{"--admin-name", "admin", "--admin-password-file", "/nonexistent/pw"}, "--admin-password-file"},
	} {
		err := run(context.Background(), tc.args, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.args, err, tc.want)
		}
	}
}

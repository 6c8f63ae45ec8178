package main

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/mvsgo/mvs/examples/node/rpcserver"
)

// TestRunRefusals: mvsgod refuses to serve RPC beyond loopback without credentials, and
// refuses flag combinations that make no sense, each with a plain error, closing what it
// had opened.
func TestRunRefusals(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
		is   error
	}{
		{"RPC on all interfaces without credentials", []string{"--rpc-listen", "0.0.0.0:0"}, "", rpcserver.ErrInsecureListen},
		{"a user without a password", []string{"--rpc-user", "u"}, "go together", nil},
		{"mining without a payee", []string{"--net", "mainnet", "--mine-every", "1s"}, "needs --mine-to", nil},
		{"an unknown network", []string{"--net", "moon"}, "want mainnet, testnet or regtest", nil},
		{"test sizes off regtest", []string{"--net", "testnet", "--ethash-test-sizes"}, "regtest only", nil},
		{"a stray argument", []string{"extra"}, "unexpected argument", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"--net", "regtest", "--datadir", t.TempDir(), "--listen", "127.0.0.1:0"}, tc.args...)
			if tc.name == "a user without a password" {
				args = append(args, "--rpc-listen", "127.0.0.1:0")
			}
			ctx, cancel := context.WithCancel(context.Background())
			cancel() // a run that got past its checks stops at once
			err := run(ctx, args, io.Discard)
			switch {
			case err == nil:
				t.Fatal("accepted")
			case tc.is != nil && !errors.Is(err, tc.is):
				t.Fatalf("%v, want %v", err, tc.is)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Fatalf("%v, want it to say %q", err, tc.want)
			}
		})
	}
}

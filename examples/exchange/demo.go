package main

import (
	"context"
	"errors"
	"io"
)

// demo starts a private chain and runs the whole flow; see demo_devnet.go.
func demo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("demo: needs the devnet package")
}

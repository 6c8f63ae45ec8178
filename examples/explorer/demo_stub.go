package main

import (
	"context"
	"errors"
	"io"
	"log/slog"

	"github.com/mvsgo/mvs"
)

type demo struct {
	nodeURL, pushURL string
	params           *mvs.Params
	stop             func()
}

func startDemo(ctx context.Context, o options, logw io.Writer, log *slog.Logger) (*demo, error) {
	return nil, errors.New("devnet not merged yet")
}

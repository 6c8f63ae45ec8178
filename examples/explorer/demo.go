package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/examples/internal/devnet"
)

type demo struct {
	nodeURL, pushURL string
	dir              string // the node's binary and datadir, removed by stop unless --demo-dir
	params           *mvs.Params
	stop             func()
}

// startDemo builds mvsgod, starts it on a private regtest chain that mines every
// o.demoEvery, and mines one transaction of every kind (devnet.Populate), listing them on
// out so that there is something to click on.
func startDemo(ctx context.Context, o options, out io.Writer, log *slog.Logger) (_ *demo, err error) {
	dir, cleanup := o.demoDir, func() {}
	if dir == "" {
		if dir, err = os.MkdirTemp("", "explorer-demo-"); err != nil {
			return nil, err
		}
		cleanup = func() { os.RemoveAll(dir) }
	}
	defer func() {
		if err != nil {
			cleanup()
		}
	}()
	fmt.Fprintln(out, "explorer: building mvsgod (the SDK's node) ...")
	bin, err := devnet.Build(ctx, dir)
	if err != nil {
		return nil, err
	}
	n, err := devnet.Start(ctx, devnet.Config{Bin: bin, Dir: filepath.Join(dir, "node"), MineEvery: o.demoEvery})
	if err != nil {
		return nil, err
	}
	stop := func() {
		if err := n.Stop(); err != nil {
			log.Warn("stopping the demo node", "err", err)
		}
		cleanup()
	}
	fmt.Fprintf(out, "explorer: private chain started (datadir %s); mining one transaction of every kind ...\n", filepath.Join(dir, "node"))
	pctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	k, err := devnet.Populate(pctx, n)
	if err != nil {
		stop()
		return nil, err
	}
	for _, name := range k.Order {
		fmt.Fprintf(out, "  %-26s /tx/%s\n", name, k.Txs[name])
	}
	fmt.Fprintf(out, "  asset /asset/%s  DIDs /did/%s /did/%s  MIT /mit/%s  address /address/%s\n", k.Asset, k.DIDs[0], k.DIDs[1], k.MIT, k.Alice)
	return &demo{nodeURL: "http://" + n.RPCAddr(), pushURL: "ws://" + n.RPCAddr() + "/", params: n.Params(), stop: stop, dir: dir}, nil
}

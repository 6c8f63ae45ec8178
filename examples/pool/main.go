package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/ethash"
	"github.com/mvsgo/mvs/examples/internal/devnet"
	"github.com/mvsgo/mvs/examples/pool/internal/cpuminer"
	"github.com/mvsgo/mvs/examples/pool/stratum"
	"github.com/mvsgo/mvs/rpcclient"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "pool:", err)
		os.Exit(1)
	}
}

type options struct {
	node, push, rpcUser, rpcPassFile, adminName, adminPassFile string
	net, listen, passFile, ethashDir, level                    string
	shareDiff                                                  uint64
	full, testSizes, demo, demoServe                           bool
	statsEvery                                                 time.Duration
	demoBlocks                                                 int
}

func run(ctx context.Context, args []string, out, logOut io.Writer) error {
	fs := flag.NewFlagSet("pool", flag.ContinueOnError)
	fs.SetOutput(logOut)
	var o options
	fs.StringVar(&o.node, "node", "http://127.0.0.1:8820", "the node's JSON-RPC URL")
	fs.StringVar(&o.push, "push", "", "the node's WebSocket push URL (default ws://the --node host/; mvsd: ws://HOST:8821)")
	fs.StringVar(&o.rpcUser, "rpc-user", "", "the node's basic-auth user")
	fs.StringVar(&o.adminName, "admin-name", "", "mvsd's administrator name, for getwork when it requires one")
	fs.StringVar(&o.adminPassFile, "admin-password-file", "", "a file holding mvsd's administrator password")
	fs.StringVar(&o.rpcPassFile, "rpc-password-file", "", "a file holding the node's password")
	fs.StringVar(&o.net, "net", "mainnet", "mainnet, testnet or regtest")
	fs.StringVar(&o.listen, "listen", "127.0.0.1:8008", "the stratum address")
	fs.StringVar(&o.passFile, "password-file", "", "a file holding the miners' password (required off loopback)")
	fs.Uint64Var(&o.shareDiff, "share-difficulty", stratum.DefaultShareDifficulty, "hashes a share is worth")
	fs.StringVar(&o.ethashDir, "ethash-dir", "", "caches and DAGs (default: ethash.DefaultDir)")
	fs.BoolVar(&o.full, "full", false, "verify from the DAG once built")
	fs.BoolVar(&o.testSizes, "ethash-test-sizes", false, "Ethash's small test sizes (regtest only)")
	fs.DurationVar(&o.statsEvery, "stats-every", time.Minute, "log worker statistics this often")
	fs.StringVar(&o.level, "log-level", "info", "debug, info, warn or error")
	fs.BoolVar(&o.demo, "demo", false, "run against a private chain the pool starts, mine, print, exit")
	fs.IntVar(&o.demoBlocks, "demo-blocks", 3, "blocks the demo mines on each protocol")
	fs.BoolVar(&o.demoServe, "demo-serve", false, "after the demo, keep the chain and the pool running for your own miners (Ctrl-C stops)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(o.level)); err != nil {
		return fmt.Errorf("--log-level %q: %v", o.level, err)
	}
	log := slog.New(slog.NewTextHandler(logOut, &slog.HandlerOptions{Level: lv}))
	if o.demo {
		return demo(ctx, o, out, log)
	}
	return serve(ctx, o, log)
}

// serve runs the pool against a node the operator runs.
func serve(ctx context.Context, o options, log *slog.Logger) error {
	p, err := mvs.ParamsByName(o.net)
	if err != nil {
		return err
	}
	ropts := rpcclient.Options{User: o.rpcUser, Logger: log}
	if o.rpcPassFile != "" {
		if ropts.Password, err = readSecret(o.rpcPassFile); err != nil {
			return fmt.Errorf("--rpc-password-file: %v", err)
		}
	}
	u, err := url.Parse(o.node)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("--node %q: want http://HOST:PORT", o.node)
	}
	ws := "ws"
	if u.Scheme == "https" {
		ws = "wss"
	}
	ropts.PushURL = ws + "://" + u.Host + "/"
	if o.push != "" {
		ropts.PushURL = o.push
	}
	if o.adminName != "" {
		ropts.AdminName = o.adminName
		if ropts.AdminPassword, err = readSecret(o.adminPassFile); err != nil {
			return fmt.Errorf("--admin-password-file: %v", err)
		}
	}
	node, err := rpcclient.New(o.node, ropts)
	if err != nil {
		return err
	}
	vcfg := ethash.Config{Dir: o.ethashDir, Logger: log}
	if vcfg.Dir == "" {
		if vcfg.Dir, err = ethash.DefaultDir(); err != nil {
			return err
		}
	}
	if o.full {
		vcfg.Mode = ethash.Full
	}
	if o.testSizes {
		if p.Name != mvs.RegTest().Name {
			return errors.New("--ethash-test-sizes is for regtest only")
		}
		vcfg.Sizes = ethash.SmallSizes
	}
	v := ethash.New(vcfg)
	defer v.Close()
	cfg := stratum.Config{Node: node, Params: p, Verifier: v, ShareDifficulty: o.shareDiff, Logger: log}
	if o.passFile != "" {
		if cfg.Password, err = readSecret(o.passFile); err != nil {
			return fmt.Errorf("--password-file: %v", err)
		}
	}
	s, err := stratum.New(cfg)
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", o.listen)
	if err != nil {
		return err
	}
	log.Info("pool listening", "addr", l.Addr(), "node", o.node, "net", p.Name, "share_difficulty", o.shareDiff)
	go logStats(ctx, s, o.statsEvery, log)
	if err := s.Serve(ctx, l); !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

func readSecret(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	s := strings.TrimSpace(string(b))
	if s == "" {
		return "", errors.New("empty")
	}
	return s, nil
}

func logStats(ctx context.Context, s *stratum.Server, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		tot := s.Totals()
		log.Info("pool", "connections", tot.Connections, "accepted", tot.Accepted, "stale", tot.Stale,
			"duplicate", tot.Duplicate, "invalid", tot.Invalid, "blocks", tot.Blocks, "blocks_rejected", tot.BlocksRejected)
		for _, w := range s.Workers() {
			log.Info("worker", "login", w.Login, "accepted", w.Accepted, "stale", w.Stale, "invalid", w.Invalid,
				"blocks", w.Blocks, "hashrate", fmt.Sprintf("%.4g H/s", w.Hashrate))
		}
	}
}

// demo starts mvsgod on a private chain, the pool on it, and a CPU miner on each protocol.
func demo(ctx context.Context, o options, out io.Writer, log *slog.Logger) error {
	dir, err := os.MkdirTemp("", "mvs-pool-demo")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fmt.Fprintln(out, "building mvsgod ...")
	bin, err := devnet.Build(ctx, dir)
	if err != nil {
		return err
	}
	n, err := devnet.Start(ctx, devnet.Config{Bin: bin, Dir: filepath.Join(dir, "node")})
	if err != nil {
		return err
	}
	defer n.Stop()
	fmt.Fprintf(out, "node: mvsgod on regtest, RPC %s\n", n.RPCAddr())
	v := ethash.New(ethash.Config{Sizes: ethash.SmallSizes, Logger: log})
	defer v.Close()
	s, err := stratum.New(stratum.Config{Node: n.RPC(), Params: n.Params(), Verifier: v, ShareDifficulty: 4, Logger: log})
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, l) }()
	defer func() { cancel(); <-served }()
	fmt.Fprintf(out, "pool: stratum on %s (eth-proxy and EthereumStratum/1.0.0)\n", l.Addr())
	w, err := devnet.NewWallet(n, "")
	if err != nil {
		return err
	}
	h0, err := n.RPC().GetHeight(ctx)
	if err != nil {
		return err
	}
	for i, proto := range []cpuminer.Protocol{cpuminer.Proxy, cpuminer.ES1} {
		login := fmt.Sprintf("%s.cpu%d", w.Address(uint32(i+1)), i+1)
		mv := ethash.New(ethash.Config{Sizes: ethash.SmallSizes})
		c, err := dialWhenReady(ctx, l.Addr().String(), proto, login, mv)
		if err != nil {
			mv.Close()
			return err
		}
		before := s.Totals().Blocks
		for s.Totals().Blocks < before+uint64(o.demoBlocks) {
			if _, err := c.Mine(ctx, 1); err != nil {
				c.Close()
				mv.Close()
				return fmt.Errorf("miner %s: %w", proto, err)
			}
		}
		c.Close()
		mv.Close()
		fmt.Fprintf(out, "miner %d (%s) as %s: %d blocks\n", i+1, proto, login, o.demoBlocks)
	}
	h1, err := n.RPC().GetHeight(ctx)
	if err != nil {
		return err
	}
	tot := s.Totals()
	fmt.Fprintf(out, "pool: %d shares accepted, %d stale, %d duplicate, %d invalid, %d blocks (%d refused by the node)\n",
		tot.Accepted, tot.Stale, tot.Duplicate, tot.Invalid, tot.Blocks, tot.BlocksRejected)
	for _, w := range s.Workers() {
		fmt.Fprintf(out, "worker %s: %d accepted, %d blocks, %.4g H/s\n", w.Login, w.Accepted, w.Blocks, w.Hashrate)
	}
	fmt.Fprintf(out, "node: height %d -> %d\n", h0, h1)
	if h1-h0 != tot.Blocks {
		return fmt.Errorf("the node's chain grew by %d blocks, the pool found %d", h1-h0, tot.Blocks)
	}
	if o.demoServe {
		fmt.Fprintf(out, "serving: ethminer -P stratum1+tcp://%s.rig@%s (Ctrl-C stops)\n", w.Address(9), l.Addr())
		go logStats(ctx, s, o.statsEvery, log)
		<-ctx.Done()
	}
	return nil
}

// dialWhenReady logs a miner in once the pool has its first work.
func dialWhenReady(ctx context.Context, addr string, proto cpuminer.Protocol, login string, v *ethash.Verifier) (*cpuminer.Client, error) {
	for {
		c, err := cpuminer.Dial(ctx, addr, proto, login, "", v)
		var re *cpuminer.RPCError
		if err == nil || !errors.As(err, &re) || ctx.Err() != nil {
			return c, err
		}
		select { // work not ready yet
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

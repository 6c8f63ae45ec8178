package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/rpcclient"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// ErrInsecureListen is a --listen address off loopback without --user: the explorer
// would serve anyone who can reach it.
var ErrInsecureListen = errors.New("explorer: listening off loopback needs --user and a password")

type options struct {
	node, push, listen     string
	user, password         string
	nodeUser, nodePassword string
	network                string
	loginDomain            string
	demo                   bool
	demoDir                string
	demoEvery              time.Duration
	dataDir                string
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("explorer", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.node, "node", "http://127.0.0.1:8820", "the node's JSON-RPC URL")
	fs.StringVar(&o.push, "push", "", "the node's WebSocket push URL (default: ws:// on the RPC's host and port, as the SDK's node serves it; mvsd: ws://127.0.0.1:8821)")
	fs.StringVar(&o.listen, "listen", "127.0.0.1:8830", "address to serve the explorer on")
	fs.StringVar(&o.user, "user", "", "HTTP basic auth user for the explorer's pages (required off loopback; password in $EXPLORER_PASSWORD)")
	fs.StringVar(&o.nodeUser, "node-user", "", "the node's RPC user (password in $MVS_RPC_PASSWORD)")
	fs.StringVar(&o.network, "network", "mainnet", "the node's network: mainnet, testnet or regtest")
	fs.StringVar(&o.dataDir, "data-dir", "", "where the index file is kept (default: the user's cache directory/mvs-explorer/<network>; with --demo, the demo's directory)")
	fs.StringVar(&o.loginDomain, "login-domain", DefaultLoginDomain, "the domain DID login challenges name (what visitors sign)")
	fs.BoolVar(&o.demo, "demo", false, "start a private regtest chain (mvsgod) with one transaction of every kind, mining every --demo-every, and explore it")
	fs.StringVar(&o.demoDir, "demo-dir", "", "where --demo keeps the node's binary and datadir (default: a temporary directory, removed on exit)")
	fs.DurationVar(&o.demoEvery, "demo-every", 3*time.Second, "--demo: how often the private chain mines a block")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	o.password = os.Getenv("EXPLORER_PASSWORD")
	o.nodePassword = os.Getenv("MVS_RPC_PASSWORD")
	return o, nil
}

func networkParams(name string) (*mvs.Params, error) {
	switch name {
	case "mainnet":
		return mvs.MainNet(), nil
	case "testnet":
		return mvs.TestNet(), nil
	case "regtest":
		return mvs.RegTest(), nil
	}
	return nil, fmt.Errorf("unknown network %q (mainnet, testnet or regtest)", name)
}

// checkListen refuses to serve off loopback without credentials.
func checkListen(addr, user, password string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--listen %q: %v", addr, err)
	}
	if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
		return nil
	}
	if user == "" || password == "" {
		return fmt.Errorf("%w (--listen %s)", ErrInsecureListen, addr)
	}
	return nil
}

// pushURL is the SDK node's push endpoint: the same host and port as its RPC.
func pushURL(nodeURL string) (string, error) {
	u, err := url.Parse(nodeURL)
	if err != nil {
		return "", err
	}
	scheme := "ws"
	if u.Scheme == "https" {
		scheme = "wss"
	}
	return scheme + "://" + u.Host + "/", nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	log := slog.New(slog.NewTextHandler(stderr, nil))
	o, err := parseFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "explorer:", err)
		return 2
	}
	if err := checkListen(o.listen, o.user, o.password); err != nil {
		fmt.Fprintln(stderr, "explorer:", err)
		return 2
	}
	params, err := networkParams(o.network)
	if err != nil {
		fmt.Fprintln(stderr, "explorer:", err)
		return 2
	}
	if o.demo {
		d, err := startDemo(ctx, o, stdout, log)
		if err != nil {
			fmt.Fprintln(stderr, "explorer: --demo:", err)
			return 1
		}
		defer d.stop()
		o.node, o.push, params = d.nodeURL, d.pushURL, d.params
		o.nodeUser, o.nodePassword = "", ""
		if o.dataDir == "" {
			// Each demo is a new chain: an index of an earlier one would be refused.
			o.dataDir = filepath.Join(d.dir, "explorer")
		}
	}
	if o.dataDir == "" {
		if o.dataDir, err = DefaultDataDir(o.network); err != nil {
			fmt.Fprintln(stderr, "explorer:", err)
			return 2
		}
	}
	if o.push == "" {
		if o.push, err = pushURL(o.node); err != nil {
			fmt.Fprintln(stderr, "explorer: --node:", err)
			return 2
		}
	}
	client, err := rpcclient.New(o.node, rpcclient.Options{User: o.nodeUser, Password: o.nodePassword, PushURL: o.push, Logger: log})
	if err != nil {
		fmt.Fprintln(stderr, "explorer:", err)
		return 2
	}
	idx, err := OpenIndex(o.dataDir)
	if err != nil {
		fmt.Fprintln(stderr, "explorer:", err)
		return 1
	}
	defer func() {
		if err := idx.Close(); err != nil {
			log.Warn("closing the index", "err", err)
		}
	}()
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		fmt.Fprintln(stderr, "explorer:", err)
		return 1
	}
	fmt.Fprintf(stdout, "explorer: index %s at block %d\n", o.dataDir, int64(idx.Next())-1)
	fmt.Fprintf(stdout, "explorer: http://%s/ (node %s)\n", ln.Addr(), o.node)
	if err := serve(ctx, ln, client, idx, params, o.user, o.password, o.loginDomain, log); err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "explorer:", err)
		return 1
	}
	return 0
}

// serve follows client's chain and serves the explorer on ln until ctx ends.
func serve(ctx context.Context, ln net.Listener, client *rpcclient.Client, idx *Index, params *mvs.Params, user, password, loginDomain string, log *slog.Logger) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	f := &Follower{Node: client, Index: idx, Logger: log, Params: params,
		Subscribe: func(ctx context.Context) (*rpcclient.Subscription, error) {
			return client.Subscribe(ctx, rpcclient.Topics{Blocks: true})
		}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.Run(ctx)
	}()
	srv, err := NewServer(Config{Node: client, Index: idx, Params: params, User: user, Password: password, Logger: log,
		LoginDomain: loginDomain})
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		// Reading a request, a proof upload included; no WriteTimeout, which would cut the
		// live list's event streams.
		ReadTimeout:    2 * time.Minute,
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: 64 << 10,
		// The live list's event streams end with ctx, so Shutdown does not wait on them.
		BaseContext: func(net.Listener) context.Context { return ctx },
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err = <-errc:
	case <-ctx.Done():
		sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer scancel()
		err = hs.Shutdown(sctx)
		if err == nil {
			err = ctx.Err()
		}
	}
	cancel()
	<-done
	return err
}

// Command mvsgod is the SDK's reference node for the Metaverse (MVS) chain: the program that
// composes every package (store, chain, wire, the memory pool, the miner, the peer layer)
// and what an exchange or an explorer runs instead of the C++ mvsd.
//
//	go run ./examples/node --net regtest --mine-every 2s   # a private chain, mining, at once
//	go build -o mvsgod ./examples/node                     # the binary
//
// Flags (a config file of "name = value" lines, --config FILE, gives the same names):
//
//	--net N           mainnet (default), testnet or regtest
//	--datadir D       the node's directory (default ~/.mvsgo/<net>)
//	--listen A        the P2P address (default 127.0.0.1:<the network's port>)
//	--no-listen       accept no connections
//	--peer A          a peer to keep connected (repeatable)
//	--mine-to ADDR    mine, paying ADDR (private nets); on regtest, default the well-known
//	                  regtest key m/0 of the abandon...about mnemonic
//	--mine-every D    mine a block every D (private nets); 0 mines only through getwork
//	--rpc-listen A    JSON-RPC (POST /rpc/v3) and WebSocket push (default 127.0.0.1:8820)
//	--rpc-user U, --rpc-password-file F   basic auth, required to listen off loopback
//	--cache-mib M     the store's batch cap during initial sync (default 256)
//	--log-level L     debug, info (default), warn or error
//	--ethash-test-sizes  Ethash's small test sizes, for RegTest chains mined by tests
//
// The JSON-RPC answers mvsd's method names and shapes (package rpcclient is the client) plus
// one of its own, getsyncinfo: height, best header, blocks/s and ETA of the sync. Peers are
// scored for misbehaviour and banned (bans.json), the address book is hosts.cache, both in
// the data directory.
//
// SIGINT or SIGTERM shuts it down gracefully: peers disconnected, the import committed, the
// store closed. Nothing listens beyond 127.0.0.1 unless configured.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/ethash"
	"github.com/mvsgo/mvs/wallet"
)

// nodeHeapMargin is the garbage collector's room beyond --cache-mib.
const nodeHeapMargin = 192 << 20

// regtestMnemonic is BIP39's all-zero test vector: the well-known key of private chains.
// Anything it holds is anyone's.
const regtestMnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "mvsgod:", err)
		os.Exit(1)
	}
}

type peerList []string

func (l *peerList) String() string     { return strings.Join(*l, ",") }
func (l *peerList) Set(s string) error { *l = append(*l, s); return nil }

// run parses the flags, starts the node and waits for a signal or ctx.
func run(ctx context.Context, args []string, logOut io.Writer) error {
	fs := flag.NewFlagSet("mvsgod", flag.ContinueOnError)
	fs.SetOutput(logOut)
	netName := fs.String("net", "mainnet", "mainnet, testnet or regtest")
	datadir := fs.String("datadir", "", "the node's directory (default ~/.mvsgo/<net>)")
	config := fs.String("config", "", "a file of name = value lines")
	listen := fs.String("listen", "", "P2P listen address (default 127.0.0.1:<port>)")
	noListen := fs.Bool("no-listen", false, "accept no connections")
	var peers peerList
	fs.Var(&peers, "peer", "a peer to keep connected (repeatable)")
	mineTo := fs.String("mine-to", "", "mine, paying this address")
	mineEvery := fs.Duration("mine-every", 0, "mine a block every interval (private nets)")
	cacheMiB := fs.Int("cache-mib", 256, "the store's batch cap in MiB")
	rpcListen := fs.String("rpc-listen", "127.0.0.1:8820", "JSON-RPC and push address (\"\" serves none)")
	rpcUser := fs.String("rpc-user", "", "JSON-RPC basic-auth user (required off loopback)")
	rpcPassFile := fs.String("rpc-password-file", "", "a file holding the JSON-RPC password")
	level := fs.String("log-level", "info", "debug, info, warn or error")
	testSizes := fs.Bool("ethash-test-sizes", false, "Ethash's small test sizes (regtest only: chains mined by tests)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if *config != "" {
		if err := applyConfig(fs, *config); err != nil {
			return err
		}
	}
	p, err := paramsOf(*netName)
	if err != nil {
		return err
	}
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(*level)); err != nil {
		return fmt.Errorf("--log-level %q: %v", *level, err)
	}
	log := slog.New(slog.NewTextHandler(logOut, &slog.HandlerOptions{Level: lv}))
	if *datadir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return fmt.Errorf("no --datadir and no home directory: %v", err)
		}
		*datadir = filepath.Join(home, ".mvsgo", p.Name)
	}
	cfg := NodeConfig{Params: p, DataDir: *datadir, Listen: *listen, NoListen: *noListen, Peers: peers,
		AllowLocal: p.Name == mvs.RegTest().Name, CacheMiB: *cacheMiB, Logger: log, RPCListen: *rpcListen, RPCUser: *rpcUser}
	if *rpcPassFile != "" {
		b, err := os.ReadFile(*rpcPassFile)
		if err != nil {
			return fmt.Errorf("--rpc-password-file: %v", err)
		}
		cfg.RPCPassword = strings.TrimSpace(string(b))
	}
	if (cfg.RPCUser == "") != (cfg.RPCPassword == "") {
		return errors.New("--rpc-user and --rpc-password-file go together")
	}
	if *testSizes {
		if p.Name != mvs.RegTest().Name {
			return errors.New("--ethash-test-sizes is for regtest only")
		}
		cfg.EthashSizes = ethash.SmallSizes
	}
	switch {
	case *mineTo != "":
		if cfg.MineTo, err = mvs.DecodeAddress(*mineTo, p); err != nil {
			return fmt.Errorf("--mine-to: %v", err)
		}
	case p.Name == mvs.RegTest().Name:
		acct, err := wallet.NewAccountFromMnemonic(regtestMnemonic, p)
		if err != nil {
			return err
		}
		if cfg.MineTo, err = acct.Address(0); err != nil {
			return err
		}
		log.Info("regtest: mining to the well-known key m/0 of the abandon...about mnemonic", "address", cfg.MineTo)
	}
	if *mineEvery > 0 && !cfg.MineTo.IsValid() {
		return errors.New("--mine-every needs --mine-to (or --net regtest)")
	}
	if *mineEvery > 0 && p.Name == mvs.MainNet().Name {
		return errors.New("--mine-every is for private nets: mainnet is not mined on a CPU")
	}

	// The store's batch is bounded by --cache-mib; the garbage collector is told the same
	// budget plus room for the rest (peers' queues, the pool, Ethash caches), so the heap does
	// not grow to twice what is live. A limit the user set (GOMEMLIMIT) is kept.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(int64(*cacheMiB)<<20 + nodeHeapMargin)
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	n, err := NewNode(cfg)
	if err != nil {
		return err
	}
	if err := n.Start(ctx); err != nil {
		n.Close()
		return err
	}
	log.Info("node started", "net", p.Name, "datadir", *datadir, "p2p", n.srv.Addr(), "rpc", n.rpcAddr, "height", n.height())
	if *mineEvery > 0 {
		n.Mine(*mineEvery)
	}
	<-ctx.Done()
	log.Info("shutting down")
	return n.Close()
}

func paramsOf(name string) (*mvs.Params, error) {
	switch name {
	case "mainnet":
		return mvs.MainNet(), nil
	case "testnet":
		return mvs.TestNet(), nil
	case "regtest":
		return mvs.RegTest(), nil
	}
	return nil, fmt.Errorf("--net %q: want mainnet, testnet or regtest", name)
}

// applyConfig sets the flags a config file names and the command line did not.
func applyConfig(fs *flag.FlagSet, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		name, value, ok := strings.Cut(s, "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || fs.Lookup(name) == nil || name == "config" {
			return fmt.Errorf("%s line %d: want name = value with a flag's name", path, line)
		}
		if set[name] && name != "peer" {
			continue // the command line wins
		}
		if err := fs.Set(name, value); err != nil {
			return fmt.Errorf("%s line %d: %v", path, line, err)
		}
	}
	return sc.Err()
}

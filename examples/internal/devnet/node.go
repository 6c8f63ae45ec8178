package devnet

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/rpcclient"
)

// WellKnownMnemonic is the regtest mining key's mnemonic: mvsgod on regtest pays its
// coinbases to this account's m/0 unless told otherwise.
const WellKnownMnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"

// Errors.
var (
	ErrConfig  = errors.New("devnet: invalid Config")
	ErrStarted = errors.New("devnet: the node did not start")
	ErrExited  = errors.New("devnet: the node has exited")
)

// startTimeout bounds how long Start waits for the node's "node started" line.
const startTimeout = 60 * time.Second

// Build compiles mvsgod into dir and returns the binary's path. The go command's build
// cache makes a second call cheap. It builds inside the SDK's own module (found with go
// list, so a replace directive is followed): an example module that imports devnet need
// not list the node's dependencies.
func Build(ctx context.Context, dir string) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.Dir}}", "github.com/mvsgo/mvs").Output()
	if err != nil {
		return "", fmt.Errorf("devnet: finding the SDK's module: %v", err)
	}
	src := strings.TrimSpace(string(out))
	bin, err := filepath.Abs(filepath.Join(dir, "mvsgod"))
	if err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./examples/node")
	cmd.Dir = src
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("devnet: building mvsgod in %s: %v\n%s", src, err, out)
	}
	touchSources(src)
	return bin, nil
}

// Config is one node's settings.
type Config struct {
	// Bin is mvsgod's binary (from Build). Required.
	Bin string
	// Dir is the node's datadir, kept across Restart. Required.
	Dir string
	// Peers are P2P addresses the node keeps connected (--peer).
	Peers []string
	// MineTo is the coinbase payee; the zero Address means the regtest well-known key m/0.
	MineTo mvs.Address
	// MineEvery makes the node mine on a timer; 0 mines only when Mine is called.
	MineEvery time.Duration
	// Log receives the child's log lines; nil discards them.
	Log io.Writer
	// Args are more mvsgod flags.
	Args []string
}

// Node is a running mvsgod child process.
type Node struct {
	cfg     Config
	p       *mvs.Params
	rpc     *rpcclient.Client
	rpcAddr string
	p2pAddr string

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{}
	err    error // the process's exit
}

var (
	startedRe = regexp.MustCompile(`msg="node started".* p2p=(\S+) rpc=(\S+)`)
)

// Start starts a node and waits until its RPC answers.
func Start(ctx context.Context, cfg Config) (*Node, error) {
	if cfg.Bin == "" || cfg.Dir == "" {
		return nil, fmt.Errorf("%w: Bin and Dir are required", ErrConfig)
	}
	n := &Node{cfg: cfg, p: mvs.RegTest()}
	if err := n.start(ctx, "127.0.0.1:0", "127.0.0.1:0"); err != nil {
		return nil, err
	}
	return n, nil
}

func (n *Node) start(ctx context.Context, p2p, rpc string) error {
	args := []string{"--net", "regtest", "--ethash-test-sizes", "--datadir", n.cfg.Dir,
		"--listen", p2p, "--rpc-listen", rpc, "--cache-mib", "16"}
	for _, p := range n.cfg.Peers {
		args = append(args, "--peer", p)
	}
	if n.cfg.MineTo.IsValid() {
		args = append(args, "--mine-to", n.cfg.MineTo.String())
	}
	if n.cfg.MineEvery > 0 {
		args = append(args, "--mine-every", n.cfg.MineEvery.String())
	}
	args = append(args, n.cfg.Args...)
	cmd := exec.Command(n.cfg.Bin, args...)
	cmd.Stdout = n.cfg.Log
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("devnet: %w", err)
	}
	exited := make(chan struct{})
	addrs := make(chan [2]string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if m := startedRe.FindStringSubmatch(line); m != nil {
				select {
				case addrs <- [2]string{m[1], m[2]}:
				default:
				}
			}
			if n.cfg.Log != nil {
				fmt.Fprintln(n.cfg.Log, line)
			}
		}
		io.Copy(io.Discard, stderr)
	}()
	go func() {
		err := cmd.Wait()
		n.mu.Lock()
		n.err = err
		n.mu.Unlock()
		close(exited)
	}()
	n.mu.Lock()
	n.cmd, n.exited = cmd, exited
	n.mu.Unlock()

	timer := time.NewTimer(startTimeout)
	defer timer.Stop()
	select {
	case a := <-addrs:
		n.p2pAddr, n.rpcAddr = a[0], a[1]
	case <-exited:
		return fmt.Errorf("%w: exited at start: %v", ErrStarted, n.exitErr())
	case <-timer.C:
		n.Kill()
		return fmt.Errorf("%w: no \"node started\" line in %v", ErrStarted, startTimeout)
	case <-ctx.Done():
		n.Kill()
		return ctx.Err()
	}
	c, err := rpcclient.New("http://"+n.rpcAddr+"/rpc/v3", rpcclient.Options{PushURL: "ws://" + n.rpcAddr + "/"})
	if err != nil {
		n.Kill()
		return err
	}
	n.rpc = c
	if _, err := c.GetHeight(ctx); err != nil {
		n.Kill()
		return fmt.Errorf("%w: its RPC does not answer: %v", ErrStarted, err)
	}
	return nil
}

func (n *Node) exitErr() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.err
}

// Params are RegTest's.
func (n *Node) Params() *mvs.Params { return n.p }

// RPC is a client of the node's JSON-RPC v3 and push channel.
func (n *Node) RPC() *rpcclient.Client { return n.rpc }

// RPCAddr is the JSON-RPC and push listener: http://ADDR/rpc/v3 and ws://ADDR/.
func (n *Node) RPCAddr() string { return n.rpcAddr }

// P2PAddr is the node's P2P listener.
func (n *Node) P2PAddr() string { return n.p2pAddr }

// Dir is the node's datadir.
func (n *Node) Dir() string { return n.cfg.Dir }

// Connect asks the node to keep p2pAddr connected (addnode).
func (n *Node) Connect(ctx context.Context, p2pAddr string) error {
	_, err := n.rpc.AddNode(ctx, p2pAddr, "add")
	return err
}

// WaitHeight waits until the node's main chain is at least h blocks high.
func (n *Node) WaitHeight(ctx context.Context, h uint64) error {
	for {
		got, err := n.rpc.GetHeight(ctx)
		if err == nil && got >= h {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("devnet: waiting for height %d (at %d, %v): %w", h, got, err, ctx.Err())
		case <-n.exitedCh():
			return fmt.Errorf("%w: %v", ErrExited, n.exitErr())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func (n *Node) exitedCh() <-chan struct{} {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.exited
}

// Stop ends the node with SIGTERM (it commits and closes its store) and waits.
func (n *Node) Stop() error { return n.signal(syscall.SIGTERM) }

// Kill ends the node with SIGKILL, as a crash would, and waits.
func (n *Node) Kill() error { return n.signal(syscall.SIGKILL) }

func (n *Node) signal(sig syscall.Signal) error {
	n.mu.Lock()
	cmd, exited := n.cmd, n.exited
	n.mu.Unlock()
	if cmd == nil {
		return nil
	}
	select {
	case <-exited:
		return nil
	default:
	}
	if err := cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-exited
		return fmt.Errorf("devnet: the node did not stop within 30 s of %v; killed", sig)
	}
	if sig == syscall.SIGTERM {
		if err := n.exitErr(); err != nil {
			return fmt.Errorf("devnet: the node's exit: %w", err)
		}
	}
	return nil
}

// Restart stops the node if it runs and starts it again on the same datadir and ports.
func (n *Node) Restart(ctx context.Context) error {
	if err := n.Stop(); err != nil {
		return err
	}
	return n.start(ctx, n.p2pAddr, n.rpcAddr)
}

// touchSources opens the SDK's Go files (its own module's, tests aside) once, so that go
// test's cache counts them among the inputs of a test that runs mvsgod: a test that ran
// against an older node is run again, not answered from the cache.
func touchSources(root string) {
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if path != root && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") || exists(filepath.Join(path, "go.mod"))) {
				return filepath.SkipDir // another module's, or no source
			}
			return nil
		}
		if strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			if f, err := os.Open(path); err == nil {
				f.Close()
			}
		}
		return nil
	})
}

func exists(path string) bool { _, err := os.Stat(path); return err == nil }

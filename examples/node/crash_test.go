package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/store"
)

const childEnv = "MVSGOD_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		if err := run(context.Background(), os.Args[1:], os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, "mvsgod:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// childNode starts mvsgod syncing from peer into dir, with its log lines on a channel.
func childNode(t *testing.T, dir, peer string, more ...string) (*exec.Cmd, <-chan string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "--net", "regtest", "--datadir", dir, "--listen", "127.0.0.1:0", "--peer", peer,
		"--ethash-test-sizes", "--cache-mib", "1", "--rpc-listen", "")
	cmd.Args = append(cmd.Args, more...)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	out, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1024)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			default: // never block the child on its log
			}
		}
		io.Copy(io.Discard, out)
	}()
	return cmd, lines
}

// TestNodeKilledDuringSync: a node syncing 1,500 blocks in import batches is killed with
// SIGKILL at random moments; each time the store it left passes Check, never goes back, and
// the restarted node finishes the sync with the source's exact state.
func TestNodeKilledDuringSync(t *testing.T) {
	if testing.Short() {
		t.Skip("mines 1,500 blocks and runs child processes")
	}
	ctx := context.Background()
	src := testNode(t, true)
	for range 1500 {
		if _, _, err := src.miner.MineOne(ctx); err != nil {
			t.Fatal(err)
		}
	}
	want, err := src.st.Digest()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "node")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 3))
	var last uint32
	for kill := range 5 {
		cmd, _ := childNode(t, dir, src.srv.Addr().String())
		time.Sleep(time.Duration(50+rng.IntN(400)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		st, err := store.Open(filepath.Join(dir, "chain.db"), store.Options{Params: mvs.RegTest()})
		if err != nil {
			continue // killed before it created the store
		}
		_, h, _ := st.Tip()
		if err := st.Check(); err != nil {
			t.Fatalf("kill %d at height %d: %v", kill, h, err)
		}
		st.Close()
		if h < last {
			t.Fatalf("kill %d: the store went back from %d to %d", kill, last, h)
		}
		t.Logf("kill %d left the store at %d", kill, h)
		last = h
	}
	cmd, lines := childNode(t, dir, src.srv.Addr().String())
	deadline := time.After(2 * time.Minute)
	var seen []string
	for synced := false; !synced; {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("the restarted node stopped:\n%s", strings.Join(seen, "\n"))
			}
			seen = append(seen, l)
			synced = strings.Contains(l, "initial sync done") && strings.Contains(l, "height=1500")
		case <-deadline:
			t.Fatalf("the restarted node did not reach 1,500:\n%s", strings.Join(seen[max(0, len(seen)-20):], "\n"))
		}
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("graceful shutdown: %v", err)
	}
	st, err := store.Open(filepath.Join(dir, "chain.db"), store.Options{Params: mvs.RegTest()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, err := st.Digest()
	if err != nil || got != want {
		t.Fatalf("synced store differs from the source's (%v)", err)
	}
}

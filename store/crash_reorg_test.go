package store_test

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/store"
)

// Two branches from genesis that TestCrashReorg's child switches between.
const (
	reorgBlocks = 12
	reorgSeedA  = 51
	reorgSeedB  = 52
	reorgRounds = 40
)

func reorgBranches(tb testing.TB) [2]*chain {
	p := mvs.RegTest()
	return [2]*chain{genChain(tb, p, reorgBlocks, reorgSeedA), genChain(tb, p, reorgBlocks, reorgSeedB)}
}

// branchOf says which branch the tip is on (-1 at genesis) and its height.
func branchOf(s *store.Store, br [2]*chain) (int, uint32, error) {
	hash, h, err := s.Tip()
	if err != nil || h == 0 {
		return -1, h, err
	}
	for i, c := range br {
		if int(h) <= len(c.updates) && c.updates[h-1].Hash == hash {
			return i, h, nil
		}
	}
	return 0, 0, fmt.Errorf("tip %v at %d is on neither branch", hash, h)
}

// childReorg reorganises back and forth between the branches as a node would: it
// disconnects the tip's branch down to genesis, then connects the other one, taking every
// body from the store's side bodies (a body missing there fails the child). It prints
// "disconnect h" and "connect h" before each step.
func childReorg(t *testing.T, path string) error {
	br := reorgBranches(t)
	s, err := store.Open(path, store.Options{Params: mvs.RegTest()})
	if err != nil {
		return err
	}
	defer s.Close()
	for range reorgRounds {
		on, h, err := branchOf(s, br)
		if err != nil {
			return err
		}
		target := 0
		if on == 0 {
			target = 1
		}
		for ; h > 0; h-- {
			fmt.Printf("disconnect %d\n", h)
			if _, err := s.DisconnectTip(); err != nil {
				return err
			}
		}
		for _, u := range br[target].updates {
			raw, ok, err := s.SideBlock(u.Hash)
			if err != nil {
				return err
			}
			if !ok || !bytes.Equal(raw, u.Raw) {
				return fmt.Errorf("the body of block %d of branch %d is lost", u.Height, target)
			}
			fmt.Printf("connect %d\n", u.Height)
			if err := s.ConnectBlock(u); err != nil {
				return err
			}
		}
	}
	fmt.Println("done")
	return nil
}

// TestCrashReorg kills a child that reorganises between two branches (fsync on) at random
// steps. After each kill the reopened file passes Check, is a state of a direct import
// (same digest as one at that branch and height), and holds every block's body, on the
// main chain or aside: a crash in the middle of a reorganisation loses no body.
func TestCrashReorg(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary many times")
	}
	p := mvs.RegTest()
	br := reorgBranches(t)
	// Digests of a direct import of each branch at each height.
	ref, _ := openTemp(t, store.Options{Params: p})
	var want [2][]mvs.Hash
	for i, c := range br {
		want[i] = []mvs.Hash{digest(t, ref)}
		for _, u := range c.updates {
			if err := ref.ConnectBlock(u); err != nil {
				t.Fatal(err)
			}
			want[i] = append(want[i], digest(t, ref))
		}
		for range c.updates {
			if _, err := ref.DisconnectTip(); err != nil {
				t.Fatal(err)
			}
		}
	}

	// The node has branch 0 connected and has seen branch 1's bodies.
	path := filepath.Join(t.TempDir(), "chain.db")
	s, err := store.Open(path, store.Options{Params: p})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range br[1].updates {
		if err := s.PutSideBlock(u.Hash, u.Raw); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range br[0].updates {
		if err := s.ConnectBlock(u); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	seed := uint64(time.Now().UnixNano())
	t.Logf("kill schedule seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 2))
	const wantKills = 12
	kills, midReorg := 0, 0
	for round := 0; kills < wantKills; round++ {
		if round > 10*wantKills {
			t.Fatalf("only %d kills in %d rounds", kills, round)
		}
		cmd := childCmd("reorg", path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		target := 1 + rng.IntN(6*reorgBlocks)
		steps, killed := 0, false
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "fail ") {
				t.Fatalf("child: %s", line)
			}
			if strings.HasPrefix(line, "disconnect ") || strings.HasPrefix(line, "connect ") {
				if steps++; steps == target {
					if err := cmd.Process.Signal(syscall.SIGKILL); err == nil {
						killed = true
					}
					break
				}
			}
		}
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "fail ") {
				t.Fatalf("child: %s", sc.Text())
			}
		}
		werr := cmd.Wait()
		if killed {
			kills++
		} else if werr != nil {
			t.Fatalf("child: %v", werr)
		}
		reopenCheck(t, path)
		s, err := store.Open(path, store.Options{Params: p})
		if err != nil {
			t.Fatal(err)
		}
		on, h, err := branchOf(s, br)
		if err != nil {
			s.Close()
			t.Fatal(err)
		}
		if h != 0 && h != reorgBlocks {
			midReorg++
		}
		if d := digest(t, s); (on < 0 && d != want[0][0]) || (on >= 0 && d != want[on][h]) {
			s.Close()
			t.Fatalf("after a kill at branch %d height %d the store differs from a direct import", on, h)
		}
		for i, c := range br {
			for _, u := range c.updates {
				raw, aside := sideBody(t, s, u.Hash)
				if !aside {
					raw, _ = mainBody(t, s, u.Hash)
				}
				if !bytes.Equal(raw, u.Raw) {
					s.Close()
					t.Fatalf("after a kill at branch %d height %d, the body of block %d of branch %d is lost", on, h, u.Height, i)
				}
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d kills, %d of them left the store in the middle of a reorganisation", kills, midReorg)
}

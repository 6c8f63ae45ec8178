package store_test

import (
	"bufio"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/store"
)

// The crash and full-disk tests re-execute this test binary as a child that imports a
// generated chain; the parent kills it or lets it run into a file-size limit, then reopens
// the file. These variables tell the child what to do.
const (
	childEnv     = "MVS_STORE_TEST_CHILD"
	childPathEnv = "MVS_STORE_TEST_PATH"
	crashBlocks  = 300
	crashSeed    = 42
	flushEvery   = 20 // explicit flushes; the small cache flushes in between too
)

// TestChildProcess is the child; run alone it does nothing.
func TestChildProcess(t *testing.T) {
	mode := os.Getenv(childEnv)
	if mode == "" {
		t.Skip("helper process of TestCrashRecovery, TestCrashReorg and TestFullDisk")
	}
	path := os.Getenv(childPathEnv)
	var err error
	switch mode {
	case "import":
		err = childImport(t, path)
	case "reorg":
		err = childReorg(t, path)
	case "fulldisk":
		err = childFullDisk(t, path, true)
	case "fulldisk-unbatched":
		err = childFullDisk(t, path, false)
	default:
		err = fmt.Errorf("unknown child mode %q", mode)
	}
	if err != nil {
		fmt.Printf("fail %v\n", err)
		os.Exit(2)
	}
	os.Exit(0)
}

// childImport resumes the import of the generated chain from the file's tip, in batches,
// printing "block h" before each block and "flush" before each explicit flush.
func childImport(t *testing.T, path string) error {
	p := mvs.RegTest()
	c := genChain(t, p, crashBlocks, crashSeed)
	s, err := store.Open(path, store.Options{Params: p, CacheBytes: 24 << 10})
	if err != nil {
		return err
	}
	_, tip, err := s.Tip()
	if err != nil {
		return err
	}
	if err := s.BeginBatch(); err != nil {
		return err
	}
	for h := tip + 1; h <= crashBlocks; h++ {
		fmt.Printf("block %d\n", h)
		if err := s.ConnectBlock(c.updates[h-1]); err != nil {
			return err
		}
		if h%flushEvery == 0 {
			fmt.Println("flush")
			if err := s.Flush(); err != nil {
				return err
			}
			fmt.Println("flushed")
			if err := s.BeginBatch(); err != nil {
				return err
			}
		}
	}
	if err := s.Close(); err != nil {
		return err
	}
	fmt.Println("done")
	return nil
}

// fullDiskLimit caps the child's file size: bbolt grows the file to its mapping size, which
// doubles from 32 KiB, so the growth past 512 KiB fails.
const fullDiskLimit = 600_000

// childFullDisk imports with RLIMIT_FSIZE set until a write fails, printing "committed h"
// after each commit (each flush, or each block when not batched), then how the failure and
// the writes after it were reported.
func childFullDisk(t *testing.T, path string, batched bool) error {
	signal.Ignore(syscall.SIGXFSZ) // get EFBIG from write(2) instead of dying
	lim := syscall.Rlimit{Cur: fullDiskLimit, Max: fullDiskLimit}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		return err
	}
	p := mvs.RegTest()
	c := genChain(t, p, 3000, 7)
	s, err := store.Open(path, store.Options{Params: p, CacheBytes: 64 << 20})
	if err != nil {
		return err
	}
	if batched {
		if err := s.BeginBatch(); err != nil {
			return err
		}
	}
	var failure error
	next := 0
	for i, u := range c.updates {
		next = i
		if failure = s.ConnectBlock(u); failure != nil {
			break
		}
		if !batched {
			fmt.Printf("committed %d\n", u.Height)
			continue
		}
		if (i+1)%10 == 0 {
			if failure = s.Flush(); failure != nil {
				break
			}
			fmt.Printf("committed %d\n", u.Height)
			if err := s.BeginBatch(); err != nil {
				return err
			}
		}
	}
	if failure == nil {
		return errors.New("the file limit was never reached")
	}
	fmt.Printf("failed %v %s\n", errors.Is(failure, store.ErrWrite), strings.ReplaceAll(failure.Error(), "\n", " "))
	// Every write is refused now; reads still work.
	_, hdrErr := s.Header(p.GenesisHash)
	_, discErr := s.DisconnectTip()
	for _, err := range []error{
		s.ConnectBlock(c.updates[next]),
		s.BeginBatch(),
		s.Flush(),
		discErr,
		s.PutHeader(store.HeaderRecord{Header: c.updates[0].Block.Header, Height: 1}),
	} {
		if !errors.Is(err, store.ErrWrite) {
			fmt.Printf("after false %v\n", err)
		}
	}
	fmt.Println("after true")
	if hdrErr != nil {
		return hdrErr
	}
	fmt.Printf("close %v\n", s.Close())
	return nil
}

func childCmd(mode, path string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestChildProcess$")
	cmd.Env = append(os.Environ(), childEnv+"="+mode, childPathEnv+"="+path)
	cmd.Stderr = os.Stderr
	return cmd
}

// reopenCheck opens the file as a restarted node would, checks its invariants and returns
// the tip height.
func reopenCheck(t *testing.T, path string) uint32 {
	t.Helper()
	s, err := store.Open(path, store.Options{Params: mvs.RegTest()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	_, h, err := s.Tip()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestCrashRecovery kills an importing child with SIGKILL at random moments, some right as
// it starts a flush. After each kill the reopened file passes Check; resuming reaches the
// digest of an uninterrupted import.
func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary many times")
	}
	p := mvs.RegTest()
	c := genChain(t, p, crashBlocks, crashSeed)
	ref, _ := openTemp(t, store.Options{Params: p})
	if err := ref.BeginBatch(); err != nil {
		t.Fatal(err)
	}
	for _, u := range c.updates {
		if err := ref.ConnectBlock(u); err != nil {
			t.Fatal(err)
		}
	}
	if err := ref.Flush(); err != nil {
		t.Fatal(err)
	}
	want := digest(t, ref)

	seed := uint64(time.Now().UnixNano())
	t.Logf("kill schedule seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	dir := t.TempDir()
	path := filepath.Join(dir, "chain.db")
	const wantKills = 22
	// atFlush counts kills sent as a flush began; inFlush those that landed before the
	// flush returned (how many do depends on timing, so it is reported, not required).
	kills, atFlush, inFlush, imports := 0, 0, 0, 0
	for round := 0; kills < wantKills; round++ {
		if round > 10*wantKills {
			t.Fatalf("only %d kills in %d rounds", kills, round)
		}
		cmd := childCmd("import", path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		atNextFlush := rng.IntN(3) == 0
		target := 1 + rng.IntN(30)
		blocks, killed, done := 0, false, false
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "block "):
				blocks++
				if !atNextFlush && blocks == target {
					killed = true
				}
			case line == "flush" && atNextFlush:
				time.Sleep(time.Duration(rng.IntN(3000)) * time.Microsecond)
				killed = true
				atFlush++
			case line == "done":
				done = true
			case strings.HasPrefix(line, "fail "):
				t.Fatalf("child: %s", line)
			}
			if killed {
				if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
					killed = false // it had already exited
				}
				break
			}
		}
		flushing := atNextFlush && killed
		for sc.Scan() { // what the child printed before the signal landed
			if sc.Text() == "flushed" {
				flushing = false
			}
		}
		if flushing {
			inFlush++
		}
		werr := cmd.Wait()
		if killed {
			kills++
		} else if werr != nil {
			t.Fatalf("child: %v", werr)
		}
		h := reopenCheck(t, path)
		if done || h == crashBlocks {
			// The import finished before this round's kill: check it and start another.
			checkDigest(t, path, want)
			imports++
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := childCmd("import", path).Run(); err != nil {
		t.Fatalf("final child: %v", err)
	}
	if h := reopenCheck(t, path); h != crashBlocks {
		t.Fatalf("final tip %d, want %d", h, crashBlocks)
	}
	checkDigest(t, path, want)
	t.Logf("%d kills (%d as a flush began, %d of them before it returned), %d completed imports before the last",
		kills, atFlush, inFlush, imports)
}

func checkDigest(t *testing.T, path string, want mvs.Hash) {
	t.Helper()
	s, err := store.Open(path, store.Options{Params: mvs.RegTest()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if digest(t, s) != want {
		t.Fatal("the resumed import differs from an uninterrupted one")
	}
}

// TestFullDisk: a child under RLIMIT_FSIZE imports until a write fails. The failure wraps
// ErrWrite, every later write is refused with ErrWrite, and the reopened file is at the
// last committed flush and passes Check.
func TestFullDisk(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	for _, mode := range []string{"fulldisk", "fulldisk-unbatched"} {
		t.Run(mode, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "chain.db")
			out, err := childCmd(mode, path).Output()
			if err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			committed := uint32(0)
			var failed, after string
			for _, line := range strings.Split(string(out), "\n") {
				switch f := strings.Fields(line); {
				case len(f) == 2 && f[0] == "committed":
					n, err := strconv.ParseUint(f[1], 10, 32)
					if err != nil {
						t.Fatal(err)
					}
					committed = uint32(n)
				case len(f) > 1 && f[0] == "failed":
					failed = line
				case len(f) >= 2 && f[0] == "after" && after != "false":
					after = f[1]
					if f[1] == "false" {
						t.Errorf("a write after the failure: %s", line)
					}
				}
			}
			t.Logf("%s (last commit at height %d)", failed, committed)
			if !strings.HasPrefix(failed, "failed true ") {
				t.Fatalf("the failure does not wrap ErrWrite: %q", failed)
			}
			if after != "true" {
				t.Fatalf("the write after the failure was not refused with ErrWrite: %q", after)
			}
			if committed == 0 {
				t.Fatal("nothing was committed before the limit: the test does not test much")
			}
			if h := reopenCheck(t, path); h != committed {
				t.Fatalf("reopened at height %d, last commit was %d", h, committed)
			}
		})
	}
}

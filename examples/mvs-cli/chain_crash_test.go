package main

import (
	"bytes"
	"encoding/hex"
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
	"github.com/mvsgo/mvs/chain/regtest"
	"github.com/mvsgo/mvs/store"
)

// childEnv makes the test binary run mvs-cli itself (TestMain), so that a test can kill a
// real import process.
const childEnv = "MVS_CLI_TEST_CHILD"

// fsizeEnv sets the child's RLIMIT_FSIZE: a disk that fills up at that many bytes.
const fsizeEnv = "MVS_CLI_TEST_FSIZE"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		if n, err := strconv.ParseUint(os.Getenv(fsizeEnv), 10, 64); err == nil {
			signal.Ignore(syscall.SIGXFSZ) // EFBIG from write(2) instead of dying
			if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: n}); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(9)
			}
		}
		os.Exit(run(&env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}, os.Args[1:]))
	}
	os.Exit(m.Run())
}

// cliChild is mvs-cli with args in a child process.
func cliChild(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	return cmd
}

// crashChainFile writes a RegTest chain of coinbases and payments as hex lines.
func crashChainFile(t *testing.T, blocks int) string {
	t.Helper()
	net := regtest.New(t)
	net.Mine(8)
	for net.Height() < uint32(blocks) {
		// A payment in every tenth block, so the batches hold spends and address entries.
		net.Fund(net.Address(uint32(net.Height()%7)+1), mvs.SatoshiPerETP/100)
		net.Mine(9)
	}
	var lines strings.Builder
	for h := uint32(1); h <= net.Height(); h++ {
		lines.WriteString(hex.EncodeToString(net.BlockAt(h).Bytes()) + "\n")
	}
	file := filepath.Join(t.TempDir(), "blocks.hex")
	if err := os.WriteFile(file, []byte(lines.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

func storeDigest(t *testing.T, datadir string) (mvs.Hash, uint32) {
	t.Helper()
	st, err := store.Open(filepath.Join(datadir, storeFile), store.Options{Params: mvs.RegTest()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Check(); err != nil {
		t.Fatalf("store check: %v", err)
	}
	d, err := st.Digest()
	if err != nil {
		t.Fatal(err)
	}
	_, tip, err := st.Tip()
	if err != nil {
		t.Fatal(err)
	}
	return d, tip
}

// TestChainImportCrash kills `mvs-cli chain import` with SIGKILL at 20 or more random
// moments (--commit-blocks makes it commit every few blocks, with fsync, so many kills land
// in a commit); after each kill `chain verify` passes on the store left behind, and rerunning the
// import resumes to the digest of an uninterrupted import.
func TestChainImportCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("imports a chain about 25 times in child processes")
	}
	file := crashChainFile(t, 600)
	importArgs := func(dir string) []string {
		return chainArgs("import", dir, "--commit-blocks", "15", file)
	}

	ref := t.TempDir()
	start := time.Now()
	if out, err := cliChild(t, importArgs(ref)...).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted import: %v\n%s", err, out)
	}
	full := time.Since(start)
	want, wantTip := storeDigest(t, ref)

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 9))
	dir := t.TempDir()
	kills, rounds, progressed := 0, 0, 0
	var lastTip uint32
	for kills < 20 {
		rounds++
		if rounds > 200 {
			t.Fatalf("only %d kills in %d runs", kills, rounds)
		}
		cmd := cliChild(t, importArgs(dir)...)
		var stderr bytes.Buffer
		// finished checks a run that ended by itself and starts over from an empty datadir.
		finished := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatalf("import: %v\n%s", err, stderr.String())
			}
			if got, _ := storeDigest(t, dir); got != want {
				t.Fatal("a resumed import ended with another digest than an uninterrupted one")
			}
			dir, lastTip = t.TempDir(), 0
		}
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			finished(err)
			continue
		case <-time.After(time.Duration(rng.Int64N(int64(full)))):
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); errors.Is(err, os.ErrProcessDone) {
			finished(<-done) // it ended just before the kill
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		if err := <-done; err == nil {
			finished(nil) // the exit won the race with the signal
			continue
		}
		kills++
		// What the kill left: a whole store that verify accepts, at or past the last tip.
		if _, err := os.Stat(filepath.Join(dir, storeFile)); err != nil {
			continue // killed before it created the store
		}
		var out, errb strings.Builder
		if code := run(&env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb}, chainArgs("verify", dir)); code != 0 {
			t.Fatalf("kill %d: chain verify exit %d: %s%s", kills, code, out.String(), errb.String())
		}
		_, tip := storeDigest(t, dir)
		if tip < lastTip {
			t.Fatalf("kill %d: the store went back from %d to %d", kills, lastTip, tip)
		}
		if tip > lastTip {
			progressed++
		}
		lastTip = tip
	}
	if out, err := cliChild(t, importArgs(dir)...).CombinedOutput(); err != nil {
		t.Fatalf("resuming: %v\n%s", err, out)
	}
	if got, tip := storeDigest(t, dir); got != want || tip != wantTip {
		t.Fatalf("resumed import at %d, want %d; digests equal: %v", tip, wantTip, got == want)
	}
	t.Logf("%d kills in %d runs (uninterrupted import %v); %d kills left the store further on", kills, rounds, full.Round(time.Millisecond), progressed)
}

// TestChainImportFullDisk: an import whose disk fills up (RLIMIT_FSIZE in the child) stops
// with one plain error line naming the failed write and exit 1; the store left behind is at
// a commit boundary, passes verify, and a rerun with room resumes to the full digest.
func TestChainImportFullDisk(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the import in a child process")
	}
	file := crashChainFile(t, 600)
	ref := t.TempDir()
	if out, err := cliChild(t, chainArgs("import", ref, file)...).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted import: %v\n%s", err, out)
	}
	want, wantTip := storeDigest(t, ref)
	fi, err := os.Stat(filepath.Join(ref, storeFile))
	if err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	cmd := cliChild(t, chainArgs("import", dir, "--commit-blocks", "10", file)...)
	cmd.Env = append(cmd.Env, fmt.Sprintf("%s=%d", fsizeEnv, fi.Size()/2))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		if !strings.HasPrefix(l, "import: ") {
			lines = append(lines, l)
		}
	}
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitFailure || len(lines) != 1 ||
		!strings.HasPrefix(lines[0], "mvs-cli: ") || !strings.Contains(lines[0], "write") {
		t.Fatalf("full disk: %v, stderr %q", err, lines)
	}
	t.Logf("the import said: %s", lines[0])
	var out, errb strings.Builder
	if code := run(&env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb}, chainArgs("verify", dir)); code != 0 {
		t.Fatalf("chain verify after the full disk: exit %d: %s%s", code, out.String(), errb.String())
	}
	if _, tip := storeDigest(t, dir); tip == 0 || tip%10 != 0 {
		t.Fatalf("left at height %d, not at a commit boundary past 0", tip)
	}
	if out, err := cliChild(t, chainArgs("import", dir, file)...).CombinedOutput(); err != nil {
		t.Fatalf("resuming: %v\n%s", err, out)
	}
	if got, tip := storeDigest(t, dir); got != want || tip != wantTip {
		t.Fatalf("resumed to %d, want %d; digests equal: %v", tip, wantTip, got == want)
	}
}

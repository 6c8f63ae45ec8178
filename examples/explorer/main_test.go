package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRunRefuses(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--listen", "0.0.0.0:8830"}, 2, "needs --user"},
		{[]string{"--network", "moon"}, 2, "unknown network"},
		{[]string{"extra"}, 2, "unexpected argument"},
		{[]string{"--node", "ftp://x"}, 2, "scheme"},
		{[]string{"--bogus"}, 2, "flag provided but not defined"},
		{[]string{"-h"}, 0, "--demo"},
	}
	for _, tc := range tests {
		var out, errb bytes.Buffer
		code := run(context.Background(), tc.args, &out, &errb)
		if code != tc.code || !strings.Contains(errb.String(), tc.want) {
			t.Errorf("run %q: exit %d, stderr %q; want %d and %q", tc.args, code, errb.String(), tc.code, tc.want)
		}
	}
}

// syncBuffer is a bytes.Buffer safe to read while run writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runProgram runs the program against nodeURL on a free port until the returned stop is
// called, and returns its URL.
func runProgram(t *testing.T, args ...string) (string, func() int) {
	t.Helper()
	return runProgramOut(t, new(syncBuffer), args...)
}

// runProgramOut is runProgram writing the program's output to out.
func runProgramOut(t *testing.T, out *syncBuffer, args ...string) (string, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, append([]string{"--listen", "127.0.0.1:0", "--data-dir", t.TempDir()}, args...), out, io.Discard)
	}()
	deadline := time.After(60 * time.Second)
	for !strings.Contains(out.String(), "explorer: http://") {
		select {
		case c := <-code:
			cancel()
			t.Fatalf("the program exited %d: %s", c, out.String())
		case <-deadline:
			cancel()
			t.Fatalf("the program did not start: %q", out.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	line := out.String()
	u := line[strings.Index(line, "http://"):]
	u = strings.TrimRight(u[:strings.IndexAny(u, " \n")], "/")
	return u, func() int { cancel(); return <-code }
}

func getURL(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil && !errors.Is(err, io.EOF) {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// TestDemo runs the README's command: a private chain with every kind of transaction,
// mining on a timer, explored.
func TestDemo(t *testing.T) {
	// The default --demo-every (3 s), as the README runs it: a faster timer on top of
	// Populate's burst of blocks would run the regtest timestamps ahead of the clock.
	u, stop := runProgram(t, "--demo", "--demo-dir", t.TempDir())
	defer func() {
		if code := stop(); code != 0 {
			t.Errorf("exit %d", code)
		}
	}()
	for _, p := range []string{"/", "/asset/ALICE.COIN", "/did/alice", "/mit/ALICE.MIT", "/search?q=bob"} {
		if code, body := getURL(t, u+p); code != 200 {
			t.Errorf("GET %s: %d\n%s", p, code, body)
		}
	}
}

// TestRunRefusesIndexFile: an index file that is not one, or one another explorer has
// open, stops the program with the reason, before it serves anything.
func TestRunRefusesIndexFile(t *testing.T) {
	garbage := t.TempDir()
	if err := os.WriteFile(filepath.Join(garbage, "index.db"), bytes.Repeat([]byte("not a bbolt file "), 500), 0o600); err != nil {
		t.Fatal(err)
	}
	busy := t.TempDir()
	x, err := OpenIndex(busy)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	for _, tc := range []struct{ dir, want string }{{garbage, "invalid"}, {busy, "in use by another explorer"}} {
		var out, errb bytes.Buffer
		code := run(context.Background(), []string{"--data-dir", tc.dir, "--listen", "127.0.0.1:0"}, &out, &errb)
		if code != 1 || !strings.Contains(errb.String(), tc.want) || strings.Contains(out.String(), "http://") {
			t.Errorf("--data-dir %s: exit %d, stderr %q; want 1 and %q", tc.dir, code, errb.String(), tc.want)
		}
	}
}

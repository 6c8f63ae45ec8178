package main

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
)

// TestProgramRuns runs the README's program and checks what it prints.
func TestProgramRuns(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = w
	done := make(chan []byte)
	go func() { b, _ := io.ReadAll(r); done <- b }()
	main()
	os.Stdout = stdout
	w.Close()
	got := string(<-done)
	want := `block 2200000 credits 2.44351875 ETP to pool payouts; spendable at height 2201000
deposit address m/7: MMBCQtt1EXxoRQB8smxmwu5QJxwnZzVxPM
withdrawal 4eeddf539bb1a8f96a65e840df7836ed45229e37804b2c36bb212225f937426d pays 2 ETP, fee 0.0001 ETP, 242 bytes to broadcast
`
	if got != want {
		t.Fatalf("the program printed\n%s\nwant\n%s", got, want)
	}
}

// TestREADMEShowsThisProgram: the README's Go block is this file, byte for byte, so what a
// user copies is what this test compiles and runs.
func TestREADMEShowsThisProgram(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := bytes.Cut(readme, []byte("\n```go\n"))
	if !ok {
		t.Fatal("README has no ```go block")
	}
	block, _, ok = bytes.Cut(block, []byte("\n```\n"))
	if !ok {
		t.Fatal("README's ```go block is not closed")
	}
	if strings.TrimSpace(string(block)) != strings.TrimSpace(string(src)) {
		t.Fatal("README's Go program differs from examples/readme/main.go: copy the file into the README")
	}
}

// Command mvs-cli is an offline tool for the Metaverse (MVS) chain in the spirit of
// libbitcoin's bx: it decodes and encodes transactions, blocks, addresses and scripts,
// checks Ethash seals, and derives and signs with wallet keys. It never opens a socket.
//
// Every subcommand prints its result on stdout (JSON where the result is structured) and,
// on failure, exactly one line "mvs-cli: <what is wrong>" on stderr with a non-zero exit.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// env is what a subcommand may touch: the process's streams and nothing global.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// command is one top-level group ("tx", "block", ...) with its own sub-verbs.
type command struct {
	summary string
	run     func(e *env, args []string) error
}

// commands is built per call so that tests can run the CLI in-process without shared state.
func commands() map[string]command {
	return map[string]command{
		"tx":      {"decode, encode, sighash, verify and sign transactions", cmdTx},
		"block":   {"decode and verify blocks", cmdBlock},
		"address": {"decode and encode addresses", cmdAddress},
		"ethash":  {"compute Ethash hashes and build cache/DAG files", cmdEthash},
		"wallet":  {"mnemonics, HD addresses and keystores", cmdWallet},
		"script":  {"decode and encode scripts (hex <-> ASM)", cmdScript},
		"asset":   {"attenuation locks: expand a model, see what a lock releases", cmdAsset},
	}
}

// verb is one sub-command of a group ("decode" of "tx", ...).
type verb func(e *env, args []string) error

// runVerb dispatches a group's command line to its verb, or shows the group's usage.
func runVerb(e *env, args []string, group, usageText string, verbs map[string]verb) error {
	if len(args) == 0 || wantsHelp(args[:1]) {
		return usage(usageText, len(args) > 0)
	}
	if v, ok := verbs[args[0]]; ok {
		return v(e, args[1:])
	}
	return fmt.Errorf("%s: unknown verb %q (try mvs-cli %s --help)", group, args[0], group)
}

// usageError carries a help text. With help set (the user asked with --help) it goes to
// stdout with exit status 0; otherwise it is a usage mistake: stderr, exit status 2.
type usageError struct {
	text string
	help bool
}

func (u *usageError) Error() string { return u.text }

// usage builds the error a command returns to show its usage text.
func usage(text string, help bool) error { return &usageError{text: text, help: help} }

// exitError carries an exit status with no message (a verify that found the block invalid
// has already printed its JSON verdict).
type exitError struct{ code int }

func (x *exitError) Error() string { return fmt.Sprintf("exit status %d", x.code) }

func main() {
	os.Exit(run(&env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}, os.Args[1:]))
}

// run executes one command line and returns the process exit status.
func run(e *env, args []string) int {
	err := dispatch(e, args)
	if err == nil {
		return 0
	}
	var x *exitError
	if errors.As(err, &x) {
		return x.code
	}
	var u *usageError
	if errors.As(err, &u) {
		if u.help {
			fmt.Fprintln(e.stdout, strings.TrimRight(u.text, "\n"))
			return 0
		}
		fmt.Fprintln(e.stderr, strings.TrimRight(u.text, "\n"))
		return 2
	}
	fmt.Fprintf(e.stderr, "mvs-cli: %s\n", oneLine(err.Error()))
	return 1
}

func dispatch(e *env, args []string) error {
	cmds := commands()
	if len(args) == 0 || wantsHelp(args[:1]) || args[0] == "help" {
		return usage(topUsage(cmds), len(args) > 0)
	}
	c, ok := cmds[args[0]]
	if !ok {
		return fmt.Errorf("unknown command %q (try mvs-cli --help)", args[0])
	}
	return c.run(e, args[1:])
}

func topUsage(cmds map[string]command) string {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("Usage: mvs-cli COMMAND VERB [options] [args]\n\nCommands:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  %-8s %s\n", n, cmds[n].summary)
	}
	b.WriteString("\nRun mvs-cli COMMAND --help for the verbs of a command.\n")
	return b.String()
}

// wantsHelp reports whether args ask for help.
func wantsHelp(args []string) bool {
	for _, a := range args {
		if a == "--help" || a == "-h" {
			return true
		}
	}
	return false
}

// oneLine folds a multi-line error into one line so that scripts can parse stderr.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

package main

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/mvsgo/mvs"
)

// newFlags returns a FlagSet that reports errors to the caller instead of printing them.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseInterspersed parses flags that may come before, between or after positional
// arguments, and returns the positionals. "--" ends flag parsing.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%s: %v", fs.Name(), err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// parseArgs is parseInterspersed for a verb: --help becomes the verb's usage text.
func parseArgs(fs *flag.FlagSet, args []string, help string) ([]string, error) {
	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil, usage(help, true)
	}
	return pos, err
}

// netFlag registers --net and returns a function that resolves it.
func netFlag(fs *flag.FlagSet) func() (*mvs.Params, error) {
	name := fs.String("net", "mainnet", "network: mainnet, testnet or regtest")
	return func() (*mvs.Params, error) { return mvs.ParamsByName(*name) }
}

// decodeHexArg decodes a hex argument, naming it in the error.
func decodeHexArg(what, s string) ([]byte, error) {
	s = strings.TrimSpace(strings.TrimPrefix(s, "0x"))
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%s is not hex: %v", what, err)
	}
	return b, nil
}

// hexFromArgsOrStdin returns the single positional hex argument, or reads it from stdin when
// the argument is "-" or absent.
func hexFromArgsOrStdin(e *env, what string, pos []string) ([]byte, error) {
	switch len(pos) {
	case 0:
		return readHexStdin(e, what)
	case 1:
		if pos[0] == "-" {
			return readHexStdin(e, what)
		}
		return decodeHexArg(what, pos[0])
	}
	return nil, fmt.Errorf("expected one %s argument, got %d", what, len(pos))
}

func readHexStdin(e *env, what string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(e.stdin, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("reading %s from stdin: %v", what, err)
	}
	if len(strings.TrimSpace(string(b))) == 0 {
		return nil, fmt.Errorf("no %s given (pass it as an argument or on stdin)", what)
	}
	return decodeHexArg(what, string(b))
}

// printJSON writes v as indented JSON.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

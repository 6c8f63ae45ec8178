package main

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
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
			return nil, flagError(fs.Name(), err)
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

// flagError rewrites the flag package's messages ("flag provided but not defined: -x")
// in the CLI's words, naming the flag with its two dashes.
func flagError(verbName string, err error) error {
	s := err.Error()
	flagUndefined := regexp.MustCompile(`^flag provided but not defined: -+(.*)$`)
	flagNoValue := regexp.MustCompile(`^flag needs an argument: -+(.*)$`)
	flagBadValue := regexp.MustCompile(`^invalid (?:boolean )?value "(.*)" for (?:flag )?-+([^:]*): (.*)$`)
	if m := flagUndefined.FindStringSubmatch(s); m != nil {
		return fmt.Errorf("%s has no flag --%s (see mvs-cli %s --help)", verbName, m[1], verbName)
	}
	if m := flagNoValue.FindStringSubmatch(s); m != nil {
		return fmt.Errorf("--%s needs a value", m[1])
	}
	if m := flagBadValue.FindStringSubmatch(s); m != nil {
		why := m[3]
		switch why {
		case "parse error":
			why = "not a number"
		case "value out of range":
			why = "out of range"
		}
		return fmt.Errorf("--%s %q: %s", m[2], m[1], why)
	}
	return errors.New(strings.TrimPrefix(s, "bad flag syntax: ")) // the rest are rare; keep their words
}

// parseArgs is parseInterspersed for a verb: --help becomes the verb's usage text.
func parseArgs(fs *flag.FlagSet, args []string, help string) ([]string, error) {
	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil, &usageError{text: help, help: true, flags: flagNames(fs)}
	}
	return pos, err
}

// isSet reports whether the command line gave flag name.
func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// requireFlags names every flag of names the command line did not give.
func requireFlags(fs *flag.FlagSet, names ...string) error {
	var miss []string
	for _, n := range names {
		if !isSet(fs, n) {
			miss = append(miss, "--"+n)
		}
	}
	if len(miss) > 0 {
		return missing(miss...)
	}
	return nil
}

// noArgs refuses positional arguments where a verb takes none.
func noArgs(pos []string) error {
	if len(pos) > 0 {
		return fmt.Errorf("unexpected argument %q", pos[0])
	}
	return nil
}

// netFlag registers --net and returns a function that resolves it.
func netFlag(fs *flag.FlagSet) func() (*mvs.Params, error) {
	name := fs.String("net", "mainnet", "network: mainnet, testnet or regtest")
	return func() (*mvs.Params, error) {
		p, err := mvs.ParamsByName(*name)
		if err != nil {
			return nil, fmt.Errorf("--net %q: want mainnet, testnet or regtest", *name)
		}
		return p, nil
	}
}

// decodeHexArg decodes a hex argument, naming it in the error.
func decodeHexArg(what, s string) ([]byte, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "0x"))
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, hexError(what, err)
	}
	return b, nil
}

// hexFromArgsOrStdin returns the single positional hex argument, or reads it from stdin when
// the argument is "-" or absent. name is the argument's name in the usage ("HEX").
func hexFromArgsOrStdin(e *env, what, name string, pos []string) ([]byte, error) {
	switch len(pos) {
	case 0:
		return readHexStdin(e, what, name)
	case 1:
		if pos[0] == "-" {
			return readHexStdin(e, what, name)
		}
		return decodeHexArg(what, pos[0])
	}
	return nil, fmt.Errorf("unexpected argument %q (one %s only)", pos[1], name)
}

func readHexStdin(e *env, what, name string) ([]byte, error) {
	b, err := readStdin(e, what)
	if err != nil {
		return nil, err
	}
	if len(strings.TrimSpace(string(b))) == 0 {
		return nil, fmt.Errorf("missing %s (the %s, as an argument or on stdin)", name, what)
	}
	return decodeHexArg(what, string(b))
}

// readStdin reads all of stdin (at most 64 MiB) once, for what.
func readStdin(e *env, what string) ([]byte, error) {
	if e.stdinUsedFor != "" {
		return nil, fmt.Errorf("%w for the %s: give the %s in a file", errStdinTaken, e.stdinUsedFor, what)
	}
	e.stdinUsedFor = what
	b, err := io.ReadAll(io.LimitReader(e.stdin, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("reading the %s from stdin: %v", what, err)
	}
	return b, nil
}

// readInput reads the file a flag names; "-" is stdin.
func readInput(e *env, flagName, path, what string) ([]byte, error) {
	if path == "-" {
		return readStdin(e, what)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("%s %s: %v", flagName, path, err)
	}
	return b, nil
}

// readSecret reads a secret's file ("-" for stdin), or, with no file given, asks on the
// terminal without echo. flagName names the file flag in the error when neither works.
func readSecret(e *env, flagName, path, what string) (string, error) {
	if path != "" {
		b, err := readInput(e, flagName, path, what)
		if err != nil {
			return "", err
		}
		return string(b), nil
	}
	var s string
	err := errNoTerminal
	if e.prompt != nil {
		s, err = e.prompt(strings.ToUpper(what[:1]) + what[1:] + ": ")
	}
	if errors.Is(err, errNoTerminal) {
		return "", fmt.Errorf("cannot ask for the %s: %w; give %s F (- for stdin)", what, errNoTerminal, flagName)
	}
	return s, err
}

// refuseSecretFlags rejects removed flags that took a secret as their value, without
// echoing the value.
func refuseSecretFlags(args []string, removed map[string]string) error {
	for _, a := range args {
		if a == "--" {
			return nil
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") {
			continue
		}
		if instead, ok := removed[name]; ok {
			return fmt.Errorf("--%s was removed: a %w stays in shell history and the process list; use %s", name, errSecretFlag, instead)
		}
	}
	return nil
}

// printJSON writes v as indented JSON.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

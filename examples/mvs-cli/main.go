// Command mvs-cli is an offline tool for the Metaverse (MVS) chain in the spirit of
// libbitcoin's bx: it decodes and encodes transactions, blocks, addresses and scripts,
// checks Ethash seals, and derives and signs with wallet keys; chain keeps a local chain
// state imported from block files and answers queries on it. It opens no socket unless a
// proof or did verb is given --rpc URL.
//
//	mvs-cli tx decode HEX                      # JSON: hash, inputs, outputs, attachments
//	mvs-cli tx verify HEX --prevouts prev.json # exit 0 only when every input verifies
//	mvs-cli tx sign-raw HEX --prevout TXID:0:SCRIPT:VALUE --keystore K
//	mvs-cli block verify HEX                   # context-free checks and the Ethash seal
//	mvs-cli block header HEX                   # a 148-byte header alone
//	mvs-cli address decode ADDRESS             # the network comes from the version byte
//	mvs-cli wallet address --mnemonic-file F --count 5
//	mvs-cli chain import --datadir D blocks.hex  # validate and store blocks; rerun resumes
//	mvs-cli chain balance --datadir D ADDRESS    # JSON, split by lock state
//	mvs-cli chain check-tx --datadir D HEX       # a withdrawal judged against the tip
//	mvs-cli chain verify --datadir D             # rebuild from the blocks, compare digests
//	mvs-cli wire decode HEX                    # a framed P2P message as JSON; wire encode reverses it
//	mvs-cli proof make --datadir D --txid TXID FILE  # a proof that TXID holds FILE's SHA-256
//	mvs-cli proof verify --rpc URL FILE PROOF  # offline, then the header against a node
//	mvs-cli did verify --domain D --challenge F --signature SIG --datadir D alice  # a DID login
//	mvs-cli COMMAND VERB --help                # arguments, flags, output, exit statuses
//
// Every verb prints its result on stdout (JSON where the result is structured) and, on
// failure, exactly one line "mvs-cli: <what is wrong>" on stderr with a non-zero exit
// status (chain import also writes progress lines there, each starting "import: "). Secrets (mnemonics, WIF keys, passwords) are never taken on the command line,
// where shell history and the process list would keep them: they come from a file ("-" for
// stdin) or a prompt on the terminal without echo.
//
// Exit statuses, the same for every verb:
//
//	0  done (for a verify: valid, every input checked against a known previous output)
//	1  an error, or a verify or check-tx that found the transaction, block or store invalid
//	2  a command or verb is missing: the usage is printed on stderr
//	3  done but incomplete: a signature still missing (tx sign, tx sign-raw), or a
//	   transaction whose scripts hold against previous outputs that were assumed, not
//	   given (tx verify without --prevouts), or blocks an import could not store because
//	   their parent never came (chain import)
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// env is what a verb may touch: the process's streams, the terminal prompt, and nothing
// global.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// prompt asks for a secret on the terminal without echo; nil when there is no terminal
	// (tests, pipelines).
	prompt func(question string) (string, error)
	// stdinUsedFor names what has already been read from stdin, so that a second reader
	// (a transaction on stdin and a mnemonic file "-", say) is refused instead of reading
	// nothing.
	stdinUsedFor string
}

// group is one top-level command ("tx", "block", ...) with its own verbs.
type group struct {
	summary string
	usage   string
	verbs   map[string]verb
}

// verb is one sub-command of a group ("decode" of "tx", ...).
type verb func(e *env, args []string) error

// commands is built per call so that tests can run the CLI in-process without shared state.
func commands() map[string]group {
	return map[string]group{
		"tx": {"decode, encode, sighash, verify and sign transactions", txUsage, map[string]verb{
			"decode": txDecode, "encode": txEncode, "sighash": txSighash, "verify": txVerify,
			"sign": txSign, "sign-raw": txSignRaw}},
		"block": {"decode and verify blocks and headers", blockUsage, map[string]verb{
			"decode": blockDecode, "header": blockHeader, "verify": blockVerify}},
		"address": {"decode and encode addresses", addressUsage, map[string]verb{
			"decode": addressDecode, "encode": addressEncode}},
		"ethash": {"compute Ethash hashes and build cache/DAG files", ethashUsage, map[string]verb{
			"hash": ethashHash, "gen": ethashGen}},
		"wallet": {"mnemonics, HD addresses and keystores", walletUsage, map[string]verb{
			"new": walletNew, "address": walletAddress, "import-keystore": walletImport}},
		"script": {"decode and encode scripts (hex <-> ASM)", scriptUsage, map[string]verb{
			"decode": scriptDecode, "encode": scriptEncode}},
		"chain": {"import blocks into a local store and query it", chainUsage, map[string]verb{
			"import": chainImport, "info": chainInfo, "balance": chainBalance, "utxos": chainUTXOs,
			"history": chainHistory, "tx": chainTx, "asset": chainAsset, "did": chainDID, "mit": chainMIT,
			"check-tx": chainCheckTx, "verify": chainVerify}},
		"asset": {"attenuation locks: expand a model, see what a lock releases", assetUsage, map[string]verb{
			"expand": assetExpand, "unlock": assetUnlock}},
		"wire": {"decode and encode framed P2P messages", wireUsage, map[string]verb{
			"decode": wireDecode, "encode": wireEncode}},
		"proof": {"proofs of existence: a file's digest in a message, proven by its block", proofUsage, map[string]verb{
			"digest": proofDigest, "tx": proofTx, "make": proofMake, "verify": proofVerify}},
		"did": {"log in with a DID: challenges, message signatures, verification", didUsage, map[string]verb{
			"challenge": didChallenge, "sign": didSign, "verify": didVerify}},
	}
}

// usageError carries a help text. With help set (the user asked with --help) it goes to
// stdout with exit status 0; otherwise (no verb given) to stderr with exit status 2.
type usageError struct {
	text string
	help bool
	// flags are the verb's flag names, so that a test can check the text names them all.
	flags []string
}

func (u *usageError) Error() string { return u.text }

// usage builds the error a command returns to show its usage text.
func usage(text string, help bool) error { return &usageError{text: text, help: help} }

// exitError carries an exit status and an optional stderr line, for verbs that have
// already printed their result (a verify verdict, the JSON for the next signer).
type exitError struct {
	code int
	msg  string
}

func (x *exitError) Error() string {
	if x.msg != "" {
		return x.msg
	}
	return fmt.Sprintf("exit status %d", x.code)
}

// Exit statuses; see the package comment.
const (
	exitOK         = 0
	exitFailure    = 1
	exitUsage      = 2
	exitIncomplete = 3
)

func main() {
	os.Exit(run(&env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, prompt: promptTerminal}, os.Args[1:]))
}

// run executes one command line and returns the process exit status.
func run(e *env, args []string) int {
	err := dispatch(e, args)
	if err == nil {
		return exitOK
	}
	var x *exitError
	if errors.As(err, &x) {
		if x.msg != "" {
			fmt.Fprintf(e.stderr, "mvs-cli: %s\n", plainMessage(x.msg))
		}
		return x.code
	}
	var u *usageError
	if errors.As(err, &u) {
		if u.help {
			fmt.Fprintln(e.stdout, strings.TrimRight(u.text, "\n"))
			return exitOK
		}
		fmt.Fprintln(e.stderr, strings.TrimRight(u.text, "\n"))
		return exitUsage
	}
	fmt.Fprintf(e.stderr, "mvs-cli: %s\n", plainError(err))
	return exitFailure
}

func dispatch(e *env, args []string) error {
	cmds := commands()
	if len(args) == 0 || wantsHelp(args[:1]) || args[0] == "help" {
		return usage(topUsage(cmds), len(args) > 0)
	}
	name := args[0]
	g, ok := cmds[name]
	if !ok {
		return fmt.Errorf("unknown command %q (see mvs-cli --help)", name)
	}
	args = args[1:]
	if len(args) == 0 || wantsHelp(args[:1]) {
		return usage(g.usage, len(args) > 0)
	}
	v, ok := g.verbs[args[0]]
	if !ok {
		return fmt.Errorf("%s has no verb %q (see mvs-cli %s --help)", name, args[0], name)
	}
	return v(e, args[1:])
}

func topUsage(cmds map[string]group) string {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("Usage: mvs-cli COMMAND VERB [flags] [arguments]\n\n" +
		"A tool for the Metaverse (MVS) chain: it opens no socket unless given --rpc URL.\n\nCommands:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  %-8s %s\n", n, cmds[n].summary)
	}
	b.WriteString(`
Run mvs-cli COMMAND --help for the verbs of a command, mvs-cli COMMAND VERB --help for one
verb. Results go to stdout (JSON where structured); an error is one line "mvs-cli: ..." on
stderr. Secrets (mnemonics, keys, passwords) are read from files ("-" for stdin) or asked
on the terminal without echo, never taken as flag values.

Exit status:
  0  done (a verify: valid, every input checked against a known previous output)
  1  an error, or a verify or check-tx that found the transaction, block or store invalid
  2  no command or verb given: the usage is printed on stderr
  3  done but incomplete: signatures still missing, a verify that had to assume a
     previous output, or an import that left blocks whose parent never came
`)
	return b.String()
}

// wantsHelp reports whether args ask for help.
func wantsHelp(args []string) bool {
	for _, a := range args {
		if a == "--help" || a == "-h" || a == "-help" {
			return true
		}
	}
	return false
}

// flagNames lists the flags a FlagSet defines, for usageError.flags.
func flagNames(fs *flag.FlagSet) []string {
	var n []string
	fs.VisitAll(func(f *flag.Flag) { n = append(n, f.Name) })
	return n
}

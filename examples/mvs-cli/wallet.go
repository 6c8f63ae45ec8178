package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/wallet"
)

const walletUsage = `Usage: mvs-cli wallet VERB [flags]

Verbs:
  new [--words 24] [--net N]
        print a fresh mnemonic (from the OS's CSPRNG) and its first address, as JSON
  address [--mnemonic-file F] [--index N] [--count K] [--net N]
        print the addresses m/N … m/(N+K−1), one per line; the mnemonic comes from F
        ("-" for stdin) or is asked on the terminal without echo
  import-keystore FILE [--password-file F] [--show-mnemonic] [--net N]
        open a keystore (the node's/light wallet's JSON backup, or mvsgo's own) and print
        its addresses as JSON

Run mvs-cli wallet VERB --help for one verb's flags, output and exit statuses.
`

const walletNewUsage = `Usage: mvs-cli wallet new [--words 24] [--net mainnet|testnet|regtest]

Prints a fresh BIP39 mnemonic, drawn from the operating system's CSPRNG, and the address of
its first key m/0 as JSON: {"mnemonic", "first_address", "network"}. Whoever sees stdout
sees the mnemonic: redirect it to a file only you can read.

Flags:
  --words N   mnemonic length: 12, 15, 18, 21 or 24 (default 24)
  --net N     network of the address: mainnet (default), testnet or regtest

Exit status: 0 printed; 1 error (one line on stderr).`

const walletAddressUsage = `Usage: mvs-cli wallet address [--mnemonic-file F] [--index N] [--count K] [--net mainnet|testnet|regtest]

Prints the P2PKH addresses of the keys m/N … m/(N+K−1) of a mnemonic (the node's and the
light wallet's derivation), one per line.

The mnemonic is read from F ("-" for stdin); without --mnemonic-file it is asked on the
terminal without echo. It is never taken on the command line (shell history and the
process list would keep it): the old --mnemonic flag is refused.

Flags:
  --mnemonic-file F   file holding the mnemonic; - reads it from stdin
  --index N           first index (default 0); non-hardened, below 2^31
  --count K           how many addresses (default 1, at most 1,000,000)
  --net N             network of the addresses: mainnet (default), testnet or regtest

Exit status: 0 printed; 1 error (a bad mnemonic, no terminal to ask on: one line on stderr).`

const walletImportUsage = `Usage: mvs-cli wallet import-keystore FILE [--password-file F] [--show-mnemonic] [--net mainnet|testnet|regtest]

Opens a keystore FILE (the node's or light wallet's JSON backup, or mvsgo's own) and prints
{"network", "first_address", "addresses": [...]} with as many addresses as the keystore
records, plus "mnemonic" with --show-mnemonic. A keystore that names its network overrides
--net.

The password is read from the first line of F ("-" for stdin); without --password-file it is
asked on the terminal without echo.

Flags:
  --password-file F   file whose first line is the password; - reads it from stdin
  --show-mnemonic     also print the mnemonic (whoever sees stdout sees it)
  --net N             network of the addresses: mainnet (default), testnet or regtest

Exit status: 0 printed; 1 error (wrong password, unknown format: one line on stderr).`

func walletNew(e *env, args []string) error {
	fs := newFlags("wallet new")
	net := netFlag(fs)
	words := fs.Int("words", wallet.DefaultWords, "mnemonic length: 12, 15, 18, 21 or 24")
	pos, err := parseArgs(fs, args, walletNewUsage)
	if err != nil {
		return err
	}
	if err := noArgs(pos); err != nil {
		return err
	}
	p, err := net()
	if err != nil {
		return err
	}
	m, err := wallet.NewMnemonic(*words)
	if err != nil {
		return fmt.Errorf("--words %d: %w", *words, err)
	}
	a, err := wallet.NewAccountFromMnemonic(m, p)
	if err != nil {
		return err
	}
	first, err := a.Address(0)
	if err != nil {
		return err
	}
	return printJSON(e.stdout, map[string]string{"mnemonic": m, "first_address": first.String(), "network": p.Name})
}

// removedSecretFlags are flags that once took, or could be guessed to take, a secret as
// their value, with what to use instead.
func removedSecretFlags() map[string]string {
	return map[string]string{
		"mnemonic": "--mnemonic-file F (- for stdin) or answer the prompt",
		"password": "--password-file F (- for stdin) or answer the prompt",
		"wif":      "--wif-file F (- for stdin)",
		"seed":     "--mnemonic-file F (- for stdin)",
	}
}

func walletAddress(e *env, args []string) error {
	if err := refuseSecretFlags(args, removedSecretFlags()); err != nil {
		return err
	}
	fs := newFlags("wallet address")
	net := netFlag(fs)
	mnemonicFile := fs.String("mnemonic-file", "", "file holding the mnemonic (- for stdin)")
	index := fs.Uint("index", 0, "first index i of m/i")
	count := fs.Uint("count", 1, "how many addresses")
	pos, err := parseArgs(fs, args, walletAddressUsage)
	if err != nil {
		return err
	}
	if err := noArgs(pos); err != nil {
		return err
	}
	if *index >= 1<<31 || *count > 1<<31-uint(*index) || *count > 1_000_000 {
		return fmt.Errorf("--index %d --count %d leaves the non-hardened range or asks for more than 1,000,000", *index, *count)
	}
	p, err := net()
	if err != nil {
		return err
	}
	m, err := readSecret(e, "--mnemonic-file", *mnemonicFile, "mnemonic")
	if err != nil {
		return err
	}
	a, err := wallet.NewAccountFromMnemonic(strings.TrimSpace(m), p)
	if err != nil {
		return mnemonicError("the mnemonic", err)
	}
	addrs, err := a.Addresses(uint32(*index), uint32(*count))
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, addr := range addrs {
		b.WriteString(addr.String())
		b.WriteByte('\n')
	}
	_, err = fmt.Fprint(e.stdout, b.String())
	return err
}

func walletImport(e *env, args []string) error {
	if err := refuseSecretFlags(args, removedSecretFlags()); err != nil {
		return err
	}
	fs := newFlags("wallet import-keystore")
	net := netFlag(fs)
	pwFile := fs.String("password-file", "", "file whose first line is the password (- for stdin)")
	show := fs.Bool("show-mnemonic", false, "also print the mnemonic")
	pos, err := parseArgs(fs, args, walletImportUsage)
	if err != nil {
		return err
	}
	switch len(pos) {
	case 0:
		return missing("FILE (the keystore)")
	case 1:
	default:
		return fmt.Errorf("unexpected argument %q (one keystore FILE only)", pos[1])
	}
	p, err := net()
	if err != nil {
		return err
	}
	data, err := readInput(e, "keystore", pos[0], "keystore")
	if err != nil {
		return err
	}
	password, err := readPassword(e, *pwFile)
	if err != nil {
		return err
	}
	b, err := wallet.ReadAnyKeystore(data, password)
	if err != nil {
		if errors.Is(err, wallet.ErrWrongPassword) {
			return fmt.Errorf("wrong password for %s", pos[0])
		}
		return fmt.Errorf("keystore %s: %w", pos[0], err)
	}
	if b.Network != "" && b.Network != p.Name {
		if p, err = mvs.ParamsByName(b.Network); err != nil {
			return fmt.Errorf("keystore %s names the network %q, which is not mainnet, testnet or regtest", pos[0], b.Network)
		}
	}
	a, err := wallet.NewAccountFromMnemonic(b.Mnemonic, p)
	if err != nil {
		return err
	}
	n := max(b.Addresses, 1)
	addrs, err := a.Addresses(0, n)
	if err != nil {
		return err
	}
	out := struct {
		Network      string   `json:"network"`
		FirstAddress string   `json:"first_address"`
		Addresses    []string `json:"addresses"`
		Mnemonic     string   `json:"mnemonic,omitempty"`
	}{Network: p.Name, FirstAddress: addrs[0].String()}
	for _, ad := range addrs {
		out.Addresses = append(out.Addresses, ad.String())
	}
	if *show {
		out.Mnemonic = b.Mnemonic
	}
	return printJSON(e.stdout, out)
}

// readPassword reads the first line of file ("-" for stdin), or asks on the terminal
// without echo.
func readPassword(e *env, file string) (string, error) {
	s, err := readSecret(e, "--password-file", file, "password")
	if err != nil {
		return "", err
	}
	if file == "" {
		return s, nil
	}
	return strings.TrimRight(strings.SplitN(s, "\n", 2)[0], "\r"), nil
}

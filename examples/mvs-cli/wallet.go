package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/wallet"
)

const walletUsage = `Usage: mvs-cli wallet VERB [options]

Verbs:
  new [--net mainnet|testnet] [--words 24]
        print a fresh mnemonic (from the OS's CSPRNG) and its first address, as JSON
  address --mnemonic "…" --index N [--count K] [--net mainnet|testnet]
        print the addresses m/N … m/(N+K−1), one per line
  import-keystore FILE [--password-file F] [--show-mnemonic] [--net mainnet|testnet]
        open a keystore (the node's/light wallet's JSON backup, or mvsgo's own) and print
        {"first_address", "addresses": [...], "mnemonic" (only with --show-mnemonic)}
        The password is asked on the terminal without echo unless --password-file is given.
`

func cmdWallet(e *env, args []string) error {
	return runVerb(e, args, "wallet", walletUsage, map[string]verb{
		"new":             walletNew,
		"address":         walletAddress,
		"import-keystore": walletImport,
	})
}

func walletNew(e *env, args []string) error {
	fs := newFlags("wallet new")
	net := netFlag(fs)
	words := fs.Int("words", wallet.DefaultWords, "mnemonic length: 12, 15, 18, 21 or 24")
	pos, err := parseArgs(fs, args, "Usage: mvs-cli wallet new [--net mainnet|testnet] [--words 24]")
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return fmt.Errorf("wallet new takes no arguments")
	}
	p, err := net()
	if err != nil {
		return err
	}
	m, err := wallet.NewMnemonic(*words)
	if err != nil {
		return err
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

func walletAddress(e *env, args []string) error {
	fs := newFlags("wallet address")
	net := netFlag(fs)
	mnemonic := fs.String("mnemonic", "", "the mnemonic, quoted")
	index := fs.Uint("index", 0, "first index i of m/i")
	count := fs.Uint("count", 1, "how many addresses")
	pos, err := parseArgs(fs, args, "Usage: mvs-cli wallet address --mnemonic \"…\" --index N [--count K] [--net mainnet|testnet]")
	if err != nil {
		return err
	}
	if len(pos) != 0 || *mnemonic == "" {
		return fmt.Errorf("wallet address needs --mnemonic and no positional arguments")
	}
	if *index >= 1<<31 || *count > 1<<31-uint(*index) || *count > 1_000_000 {
		return fmt.Errorf("--index %d --count %d leaves the non-hardened range or asks for more than 1,000,000", *index, *count)
	}
	p, err := net()
	if err != nil {
		return err
	}
	a, err := wallet.NewAccountFromMnemonic(*mnemonic, p)
	if err != nil {
		return err
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
	fs := newFlags("wallet import-keystore")
	net := netFlag(fs)
	pwFile := fs.String("password-file", "", "file whose first line is the password")
	show := fs.Bool("show-mnemonic", false, "also print the mnemonic")
	pos, err := parseArgs(fs, args, "Usage: mvs-cli wallet import-keystore FILE [--password-file F] [--show-mnemonic] [--net mainnet|testnet]")
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("wallet import-keystore takes one keystore file")
	}
	p, err := net()
	if err != nil {
		return err
	}
	data, err := os.ReadFile(pos[0])
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
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	if b.Network != "" && b.Network != p.Name {
		if p, err = mvs.ParamsByName(b.Network); err != nil {
			return err
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

// readPassword reads the first line of file, or asks on the terminal without echo.
func readPassword(e *env, file string) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", err
		}
		return strings.TrimRight(strings.SplitN(string(b), "\n", 2)[0], "\r"), nil
	}
	return promptPassword(e, "Password: ")
}

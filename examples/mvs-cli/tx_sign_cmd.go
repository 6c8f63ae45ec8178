package main

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/wallet"
)

const txSignUsage = `Usage: mvs-cli tx sign [--unsigned FILE] KEYS [--net mainnet|testnet]

Signs the offline-signing object (JSON, from the wallet builders; FILE or stdin) with keys
from one of:
  --wif-file F                         one WIF private key per line
  --mnemonic-file F [--addresses N]    the keys of m/0 … m/(N−1) (default 100)
  --keystore K [--password-file F]     a keystore (the node's/light wallet's, or mvsgo's)
Every input it completes is verified. When all inputs are signed it prints the
transaction hex; when multisig signatures are still missing it prints the updated JSON
for the next signer, says so on stderr, and exits with status 3.

  --prev-txs F     previous transactions (hex, one per line) proving what the inputs
                   spend; the signature hash does not cover spent values, so without them
                   the fee shown by whoever built the JSON is taken on trust
  --require-proven refuse to sign unless every input is proven (by --prev-txs or the
                   JSON's own prev_txs)`

func txSign(e *env, args []string) error {
	fs := newFlags("tx sign")
	net := netFlag(fs)
	unsignedFile := fs.String("unsigned", "", "offline-signing JSON (default stdin)")
	wifFile := fs.String("wif-file", "", "file of WIF keys")
	mnemonicFile := fs.String("mnemonic-file", "", "file holding the mnemonic")
	count := fs.Uint("addresses", 100, "how many m/i keys to try")
	keystore := fs.String("keystore", "", "keystore file")
	pwFile := fs.String("password-file", "", "keystore password file")
	prevTxs := fs.String("prev-txs", "", "file of previous transactions (hex lines)")
	requireProven := fs.Bool("require-proven", false, "sign only inputs proven by previous transactions")
	pos, err := parseArgs(fs, args, txSignUsage)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return fmt.Errorf("tx sign takes no positional arguments (use --unsigned FILE or stdin)")
	}
	p, err := net()
	if err != nil {
		return err
	}
	var raw []byte
	if *unsignedFile != "" {
		raw, err = os.ReadFile(*unsignedFile)
	} else {
		raw, err = io.ReadAll(io.LimitReader(e.stdin, 64<<20))
	}
	if err != nil {
		return err
	}
	var u wallet.Unsigned
	if err := json.Unmarshal(raw, &u); err != nil {
		return err
	}
	if *prevTxs != "" {
		b, err := os.ReadFile(*prevTxs)
		if err != nil {
			return err
		}
		for n, line := range strings.Fields(string(b)) {
			raw, err := decodeHexArg(fmt.Sprintf("previous transaction %d", n+1), line)
			if err != nil {
				return err
			}
			pt, err := tx.Decode(raw)
			if err != nil {
				return fmt.Errorf("previous transaction %d: %w", n+1, err)
			}
			if err := u.AddPrevTxs(pt); err != nil {
				return err
			}
		}
	}
	if *requireProven {
		if err := u.ProvenInputs(); err != nil {
			return err
		}
	}
	keys, err := loadKeys(e, p, *wifFile, *mnemonicFile, uint32(min(*count, 100_000)), *keystore, *pwFile)
	if err != nil {
		return err
	}
	left, err := u.Sign(keys, tx.SignOptions{})
	if err != nil {
		return err
	}
	if left > 0 {
		if err := printJSON(e.stdout, &u); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "mvs-cli: %d input(s) still need signatures; pass this JSON to the next signer\n", left)
		return &exitError{code: 3}
	}
	signed, err := u.Final()
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(e.stdout, hex.EncodeToString(signed.Bytes()))
	return err
}

func loadKeys(e *env, p *mvs.Params, wifFile, mnemonicFile string, count uint32, keystore, pwFile string) (wallet.KeySource, error) {
	given := 0
	for _, s := range []string{wifFile, mnemonicFile, keystore} {
		if s != "" {
			given++
		}
	}
	if given != 1 {
		return nil, fmt.Errorf("give exactly one of --wif-file, --mnemonic-file, --keystore")
	}
	switch {
	case wifFile != "":
		b, err := os.ReadFile(wifFile)
		if err != nil {
			return nil, err
		}
		var privs []*btcec.PrivateKey
		for n, line := range strings.Split(string(b), "\n") {
			if line = strings.TrimSpace(line); line == "" {
				continue
			}
			k, _, err := wallet.DecodeWIF(line, p)
			if err != nil {
				return nil, fmt.Errorf("%s line %d: %w", wifFile, n+1, err)
			}
			privs = append(privs, k)
		}
		return wallet.NewKeyList(privs...), nil
	case mnemonicFile != "":
		b, err := os.ReadFile(mnemonicFile)
		if err != nil {
			return nil, err
		}
		a, err := wallet.NewAccountFromMnemonic(strings.TrimSpace(string(b)), p)
		if err != nil {
			return nil, err
		}
		return a.Keys(count)
	}
	data, err := os.ReadFile(keystore)
	if err != nil {
		return nil, err
	}
	pw, err := readPassword(e, pwFile)
	if err != nil {
		return nil, err
	}
	bk, err := wallet.ReadAnyKeystore(data, pw)
	if err != nil {
		if errors.Is(err, wallet.ErrWrongPassword) {
			return nil, fmt.Errorf("wrong password for %s", keystore)
		}
		return nil, err
	}
	a, err := wallet.NewAccountFromMnemonic(bk.Mnemonic, p)
	if err != nil {
		return nil, err
	}
	return a.Keys(max(count, bk.Addresses))
}

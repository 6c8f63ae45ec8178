package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/wallet"
)

// keyFlagsHelp is the key part of tx sign's and tx sign-raw's usage.
const keyFlagsHelp = `Keys, exactly one of:
  --wif-file F          one WIF private key per line
  --mnemonic-file F     a mnemonic: the keys m/0 … m/(N−1), N from --addresses
  --keystore K          a keystore (the node's/light wallet's, or mvsgo's): its mnemonic's
                        keys; the password comes from --password-file F or is asked on
                        the terminal without echo
  --addresses N         how many m/i keys to try (default 100; a keystore's own count
                        when larger)
  --password-file F     the keystore's password, first line
A file F may be - for stdin (when stdin carries nothing else). Keys are never taken on
the command line.`

const txSignUsage = `Usage: mvs-cli tx sign [--unsigned FILE] KEYS [--prev-txs F] [--require-proven] [--net mainnet|testnet|regtest]

Signs the offline-signing object (JSON, from the wallet builders: the unsigned transaction,
the outputs it spends, redeem scripts, partial multisig signatures) with the keys given.
Every input it completes is verified with the consensus interpreter.

When every input is signed it prints the signed transaction's hex. When multisig
signatures are still missing it prints the updated JSON for the next signer and says so on
stderr.

Flags:
  --unsigned F       the offline-signing JSON (default: stdin)
  --prev-txs F       previous transactions (hex, one per line) proving what the inputs
                     spend; the signature hash does not cover spent values, so without
                     them the fee shown by whoever built the JSON is taken on trust
  --require-proven   refuse to sign unless every input is proven (by --prev-txs or the
                     JSON's own prev_txs)
  --net N            network of the WIF keys: mainnet (default), testnet or regtest

` + keyFlagsHelp + `

Exit status: 0 signed, the hex printed; 1 error (one line on stderr), nothing signed;
3 signatures still missing, the JSON for the next signer printed.`

// keyFlags are the key-source flags tx sign and tx sign-raw share.
type keyFlags struct {
	wifFile, mnemonicFile, keystore, pwFile *string
	count                                   *uint
}

func addKeyFlags(fs *flag.FlagSet) keyFlags {
	return keyFlags{
		wifFile:      fs.String("wif-file", "", "file of WIF keys (- for stdin)"),
		mnemonicFile: fs.String("mnemonic-file", "", "file holding the mnemonic (- for stdin)"),
		count:        fs.Uint("addresses", 100, "how many m/i keys to try"),
		keystore:     fs.String("keystore", "", "keystore file"),
		pwFile:       fs.String("password-file", "", "keystore password file (- for stdin)"),
	}
}

// signFlags are the proof flags tx sign and tx sign-raw share.
type signFlags struct {
	prevTxs       *string
	requireProven *bool
}

func addSignFlags(fs *flag.FlagSet) signFlags {
	return signFlags{
		prevTxs:       fs.String("prev-txs", "", "file of previous transactions (hex lines)"),
		requireProven: fs.Bool("require-proven", false, "sign only inputs proven by previous transactions"),
	}
}

func txSign(e *env, args []string) error {
	if err := refuseSecretFlags(args, removedSecretFlags()); err != nil {
		return err
	}
	fs := newFlags("tx sign")
	net := netFlag(fs)
	unsignedFile := fs.String("unsigned", "", "offline-signing JSON (default stdin)")
	kf := addKeyFlags(fs)
	sf := addSignFlags(fs)
	pos, err := parseArgs(fs, args, txSignUsage)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return fmt.Errorf("unexpected argument %q (give the JSON with --unsigned FILE or on stdin)", pos[0])
	}
	p, err := net()
	if err != nil {
		return err
	}
	if err := kf.check(); err != nil {
		return err
	}
	var raw []byte
	if *unsignedFile != "" {
		raw, err = readInput(e, "--unsigned", *unsignedFile, "offline-signing JSON")
	} else {
		raw, err = readStdin(e, "offline-signing JSON")
	}
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return missing("the offline-signing JSON (--unsigned FILE or stdin)")
	}
	var u wallet.Unsigned
	if err := json.Unmarshal(raw, &u); err != nil {
		return jsonError("offline-signing JSON", err)
	}
	prev, err := readPrevTxs(e, *sf.prevTxs)
	if err != nil {
		return err
	}
	return signAndPrint(e, &u, p, kf, sf, prev)
}

// check refuses a command line with no key source or more than one, before any input is
// read.
func (kf keyFlags) check() error {
	given := 0
	for _, s := range []string{*kf.wifFile, *kf.mnemonicFile, *kf.keystore} {
		if s != "" {
			given++
		}
	}
	switch {
	case given == 0:
		return missing("--wif-file, --mnemonic-file or --keystore")
	case given > 1:
		return fmt.Errorf("give only one of --wif-file, --mnemonic-file and --keystore")
	case *kf.pwFile != "" && *kf.keystore == "":
		return fmt.Errorf("--password-file goes with --keystore only")
	}
	return nil
}

// readPrevTxs reads the previous transactions of --prev-txs (hex, one per line or
// whitespace-separated).
func readPrevTxs(e *env, path string) ([]*tx.Tx, error) {
	if path == "" {
		return nil, nil
	}
	b, err := readInput(e, "--prev-txs", path, "previous transactions")
	if err != nil {
		return nil, err
	}
	var txs []*tx.Tx
	for n, line := range strings.Fields(string(b)) {
		raw, err := decodeHexArg(fmt.Sprintf("--prev-txs %s: transaction %d", path, n+1), line)
		if err != nil {
			return nil, err
		}
		pt, err := tx.Decode(raw)
		if err != nil {
			return nil, fmt.Errorf("--prev-txs %s: transaction %d: %w", path, n+1, err)
		}
		txs = append(txs, pt)
	}
	return txs, nil
}

// signAndPrint attaches the previous transactions, checks the proof as asked, loads the
// keys, signs, and prints the signed hex (or the JSON for the next signer, exit status 3).
func signAndPrint(e *env, u *wallet.Unsigned, p *mvs.Params, kf keyFlags, sf signFlags, prev []*tx.Tx) error {
	if len(prev) > 0 {
		if err := u.AddPrevTxs(prev...); err != nil {
			return err
		}
	}
	if *sf.requireProven {
		if err := u.ProvenInputs(); err != nil {
			return err
		}
	}
	keys, err := kf.load(e, p)
	if err != nil {
		return err
	}
	left, err := u.Sign(keys, tx.SignOptions{})
	if err != nil {
		return err
	}
	if left > 0 {
		if err := printJSON(e.stdout, u); err != nil {
			return err
		}
		return &exitError{code: exitIncomplete, msg: fmt.Sprintf("%d input(s) still need signatures; pass this JSON to the next signer", left)}
	}
	signed, err := u.Final()
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(e.stdout, hex.EncodeToString(signed.Bytes()))
	return err
}

// load reads the keys of the one key source given.
func (kf keyFlags) load(e *env, p *mvs.Params) (wallet.KeySource, error) {
	count := uint32(min(*kf.count, 100_000))
	switch {
	case *kf.wifFile != "":
		b, err := readInput(e, "--wif-file", *kf.wifFile, "WIF keys")
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
				return nil, wifError(*kf.wifFile, n+1, err, p)
			}
			privs = append(privs, k)
		}
		if len(privs) == 0 {
			return nil, fmt.Errorf("--wif-file %s holds no keys", *kf.wifFile)
		}
		return wallet.NewKeyList(privs...), nil
	case *kf.mnemonicFile != "":
		m, err := readSecret(e, "--mnemonic-file", *kf.mnemonicFile, "mnemonic")
		if err != nil {
			return nil, err
		}
		a, err := wallet.NewAccountFromMnemonic(strings.TrimSpace(m), p)
		if err != nil {
			return nil, mnemonicError("--mnemonic-file "+*kf.mnemonicFile, err)
		}
		return a.Keys(count)
	}
	data, err := readInput(e, "--keystore", *kf.keystore, "keystore")
	if err != nil {
		return nil, err
	}
	pw, err := readPassword(e, *kf.pwFile)
	if err != nil {
		return nil, err
	}
	bk, err := wallet.ReadAnyKeystore(data, pw)
	if err != nil {
		if errors.Is(err, wallet.ErrWrongPassword) {
			return nil, fmt.Errorf("wrong password for %s", *kf.keystore)
		}
		return nil, fmt.Errorf("--keystore %s: %w", *kf.keystore, err)
	}
	a, err := wallet.NewAccountFromMnemonic(bk.Mnemonic, p)
	if err != nil {
		return nil, mnemonicError("--keystore "+*kf.keystore, err)
	}
	return a.Keys(max(count, bk.Addresses))
}

// wifError says why line n of a WIF file is not a key without repeating the line: the
// library's base58 errors quote their input, and a WIF with one wrong character is still
// nearly the whole key.
func wifError(file string, n int, err error, p *mvs.Params) error {
	why := "not a WIF private key"
	switch {
	case errors.Is(err, mvs.ErrChecksum):
		why = "not a WIF private key (bad checksum: a character is wrong)"
	case errors.Is(err, mvs.ErrBase58):
		why = "not a WIF private key (a character outside base58)"
	case strings.Contains(err.Error(), "prefix"):
		why = fmt.Sprintf("a WIF key of another network (%s keys start with version 0x%02x)", p.Name, p.WIFPrefix)
	}
	return fmt.Errorf("--wif-file %s line %d: %s", file, n, why)
}

// mnemonicError says what is wrong with a mnemonic without repeating its words.
func mnemonicError(what string, err error) error {
	var we *wallet.MnemonicWordError
	if errors.As(err, &we) {
		return fmt.Errorf("%s: word %d of the mnemonic is not in the BIP39 English list", what, we.Position)
	}
	return fmt.Errorf("%s: %w", what, err)
}

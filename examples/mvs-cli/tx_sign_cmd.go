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

const txSignUsage = `Usage: mvs-cli tx sign [--unsigned FILE] KEYS [--prev-txs F] [--allow-unproven] [--net mainnet|testnet|regtest]

Signs the offline-signing object (JSON, from the wallet builders: the unsigned transaction,
the outputs it spends, redeem scripts, partial multisig signatures) with the keys given.
Every input it completes is verified with the consensus interpreter.

When every input is signed it prints the signed transaction's hex. When multisig
signatures are still missing it prints the updated JSON for the next signer and says so on
stderr.

Flags:
  --unsigned F       the offline-signing JSON (default: stdin)
  --prev-txs F       previous transactions (hex, one per line) proving what the inputs
                     spend, in addition to the JSON's own prev_txs. Every input must be
                     proven: the signature hash does not cover spent values, so an
                     unproven value could hide a fee of everything spent
  --allow-unproven   sign inputs no previous transaction proves, trusting the values
                     given (what hides a large fee; use only for outputs you made)
  --net N            network of the WIF keys: mainnet (default), testnet or regtest

` + keyFlagsHelp + `

With a mnemonic or keystore, inputs whose JSON records their key origin (fingerprint/m/i)
are signed with exactly those keys, derived on the spot; --addresses bounds the search only
for inputs without one.

Exit status: 0 signed, the hex printed; 1 error (one line on stderr), nothing signed, or
a single-key input whose key the signer does not hold (named with its address and
origin); 3 multisig signatures still missing, the JSON for the next signer printed.`

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
	allowUnproven *bool
}

func addSignFlags(fs *flag.FlagSet) signFlags {
	return signFlags{
		prevTxs:       fs.String("prev-txs", "", "file of previous transactions (hex lines)"),
		allowUnproven: fs.Bool("allow-unproven", false, "sign inputs no previous transaction proves"),
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
	u.AllowUnprovenPrevOuts = *sf.allowUnproven
	if err := u.ProvenInputs(); err != nil && !u.AllowUnprovenPrevOuts {
		return fmt.Errorf("%w (attach the previous transactions with --prev-txs, or pass --allow-unproven to trust the values given)", err)
	}
	keys, acct, err := kf.load(e, p, everyInputHasOrigin(u))
	if err != nil {
		return err
	}
	var left int
	if acct != nil {
		left, err = u.SignWithAccount(acct, tx.SignOptions{})
	} else {
		left, err = u.Sign(keys, tx.SignOptions{})
	}
	if err != nil {
		return signError(err)
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

// everyInputHasOrigin reports whether each input records the key that signs it, so an
// account can derive exactly those.
func everyInputHasOrigin(u *wallet.Unsigned) bool {
	for _, in := range u.Inputs {
		if in.Origin == nil {
			return false
		}
	}
	return len(u.Inputs) > 0
}

// signError names the missing keys in one sentence.
func signError(err error) error {
	var me *wallet.MissingKeyError
	if errors.As(err, &me) {
		return fmt.Errorf("no key for input %d: %v", me.Input, me)
	}
	return err
}

// load reads the keys of the one key source given: a key list, or with byOrigin and a
// mnemonic or keystore, the account itself (so that exactly the recorded keys are derived).
func (kf keyFlags) load(e *env, p *mvs.Params, byOrigin bool) (wallet.KeySource, *wallet.Account, error) {
	count := uint32(min(*kf.count, 100_000))
	switch {
	case *kf.wifFile != "":
		b, err := readInput(e, "--wif-file", *kf.wifFile, "WIF keys")
		if err != nil {
			return nil, nil, err
		}
		var privs []*btcec.PrivateKey
		for n, line := range strings.Split(string(b), "\n") {
			if line = strings.TrimSpace(line); line == "" {
				continue
			}
			k, _, err := wallet.DecodeWIF(line, p)
			if err != nil {
				return nil, nil, wifError(*kf.wifFile, n+1, err, p)
			}
			privs = append(privs, k)
		}
		if len(privs) == 0 {
			return nil, nil, fmt.Errorf("--wif-file %s holds no keys", *kf.wifFile)
		}
		return wallet.NewKeyList(privs...), nil, nil
	case *kf.mnemonicFile != "":
		m, err := readSecret(e, "--mnemonic-file", *kf.mnemonicFile, "mnemonic")
		if err != nil {
			return nil, nil, err
		}
		a, err := wallet.NewAccountFromMnemonic(strings.TrimSpace(m), p)
		if err != nil {
			return nil, nil, mnemonicError("--mnemonic-file "+*kf.mnemonicFile, err)
		}
		return accountKeys(a, count, byOrigin)
	}
	data, err := readInput(e, "--keystore", *kf.keystore, "keystore")
	if err != nil {
		return nil, nil, err
	}
	pw, err := readPassword(e, *kf.pwFile)
	if err != nil {
		return nil, nil, err
	}
	bk, err := wallet.ReadAnyKeystore(data, pw)
	if err != nil {
		if errors.Is(err, wallet.ErrWrongPassword) {
			return nil, nil, fmt.Errorf("wrong password for %s", *kf.keystore)
		}
		return nil, nil, fmt.Errorf("--keystore %s: %w", *kf.keystore, err)
	}
	a, err := wallet.NewAccountFromMnemonic(bk.Mnemonic, p)
	if err != nil {
		return nil, nil, mnemonicError("--keystore "+*kf.keystore, err)
	}
	return accountKeys(a, max(count, bk.Addresses), byOrigin)
}

// accountKeys is the account itself when every input names its key's origin, else its
// first count keys.
func accountKeys(a *wallet.Account, count uint32, byOrigin bool) (wallet.KeySource, *wallet.Account, error) {
	if byOrigin {
		return nil, a, nil
	}
	keys, err := a.Keys(count)
	return keys, nil, err
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

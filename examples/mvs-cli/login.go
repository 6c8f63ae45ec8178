package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/did"
	"github.com/mvsgo/mvs/did/resolvers"
	"github.com/mvsgo/mvs/wallet"
)

const didUsage = `Usage: mvs-cli did VERB [flags]

Log in with a DID: a service issues a challenge, the DID's holder signs its text with the
key of the address the DID is bound to now (a wallet message signature, as libbitcoin's
message-sign makes), and the service checks the signature against the chain.

Verbs:
  challenge --domain D                       a fresh challenge for the service at D
  sign --challenge F --address ADDRESS KEYS  sign a challenge's text (base64 signature)
  verify --domain D --challenge F --signature SIG (--datadir D | --rpc URL) DID
                                             check a login against the chain

Run mvs-cli did VERB --help for one verb's arguments, flags, output and exit statuses.
`

const didChallengeUsage = `Usage: mvs-cli did challenge --domain D

Prints a new login challenge for the service at domain D: its text, to be signed as it is
(five lines: the version, the domain, a random nonce from the OS's CSPRNG, the issue time
and the expiry, five minutes later). A service must remember the nonce and accept it once;
mvs-cli, which keeps no state, cannot (the did package's Logins does).

Flags:
  --domain D    the service's domain, printable ASCII without spaces

Exit status: 0 printed; 1 error (one line on stderr).`

const didSignUsage = `Usage: mvs-cli did sign --challenge F --address ADDRESS KEYS [--net N]

Signs the challenge's text with the key of ADDRESS (the address the DID is bound to now)
and prints the signature in base64: 65 bytes, libbitcoin's message signature format. An
expired challenge, or one that is not a login challenge, is refused.

Flags:
  --challenge F      the challenge's text ("-" for stdin)
  --address ADDRESS  the address whose key signs (may be left out with a single WIF key)
  --net N            the network of the address and the keys: mainnet (default), testnet
                     or regtest

` + keyFlagsHelp + `

Exit status: 0 printed; 1 error (one line on stderr: no key for ADDRESS among those given).`

const didVerifyUsage = `Usage: mvs-cli did verify --domain D --challenge F --signature SIG (--datadir D | --rpc URL) [--net N] DID

Checks a login: the challenge was made for --domain and has not expired, and SIG is a
signature of its text by the key of the address the DID is bound to NOW (a key the DID had
before a transfer is refused), as the chain store or the node says. Prints JSON:
{"valid", "did", "address", "domain", "expires"} or {"valid": false, "error"}. mvs-cli
keeps no state: it cannot tell whether the challenge was already used (a service must).

Arguments:
  DID                the DID symbol

Flags:
  --domain D         this service's domain
  --challenge F      the challenge's text ("-" for stdin)
  --signature SIG    the signature, base64 (not a secret)
  --datadir D        resolve the DID in this chain store
  --rpc URL          resolve the DID through this node (getdid)
  --rpc-user U       the node's RPC user
  --rpc-password-file F
                     the node's RPC password, first line
  --net N            the network: mainnet (default), testnet or regtest

Exit status: 0 the login holds; 1 it does not, or an error (one line on stderr).`

func didChallenge(e *env, args []string) error {
	fs := newFlags("did challenge")
	domain := fs.String("domain", "", "the service's domain")
	pos, err := parseArgs(fs, args, didChallengeUsage)
	if err != nil {
		return err
	}
	if err := noArgs(pos); err != nil {
		return err
	}
	if err := requireFlags(fs, "domain"); err != nil {
		return err
	}
	c, err := did.NewLoginChallenge(*domain, rand.Reader, time.Now())
	if err != nil {
		return err
	}
	_, err = fmt.Fprint(e.stdout, c.Text())
	return err
}

// readChallenge reads and parses --challenge F.
func readChallenge(e *env, path string) (did.LoginChallenge, error) {
	b, err := readInput(e, "--challenge", path, "challenge")
	if err != nil {
		return did.LoginChallenge{}, err
	}
	c, err := did.ParseLoginChallenge(string(b))
	if err != nil {
		return did.LoginChallenge{}, (fmt.Errorf("--challenge %s: %w", path, err))
	}
	return c, nil
}

func didSign(e *env, args []string) error {
	if err := refuseSecretFlags(args, removedSecretFlags()); err != nil {
		return err
	}
	fs := newFlags("did sign")
	net := netFlag(fs)
	chFile := fs.String("challenge", "", "the challenge's text")
	address := fs.String("address", "", "the address whose key signs")
	kf := addKeyFlags(fs)
	pos, err := parseArgs(fs, args, didSignUsage)
	if err != nil {
		return err
	}
	if err := noArgs(pos); err != nil {
		return err
	}
	if err := requireFlags(fs, "challenge"); err != nil {
		return err
	}
	p, err := net()
	if err != nil {
		return err
	}
	if err := kf.check(); err != nil {
		return err
	}
	var addr mvs.Address
	if *address != "" {
		if addr, err = addressOf(*address, p); err != nil {
			return fmt.Errorf("--address: %w", err)
		}
		if addr.Kind != mvs.PubKeyHash {
			return fmt.Errorf("--address %s: %w", addr, did.ErrUnsupportedAddress)
		}
	} else if *kf.wifFile == "" {
		return missing("--address (which of the keys signs)")
	}
	c, err := readChallenge(e, *chFile)
	if err != nil {
		return err
	}
	if now := time.Now(); !now.Before(c.Expires) {
		return fmt.Errorf("--challenge %s: %w at %s", *chFile, did.ErrExpired, c.Expires.Format(time.RFC3339))
	}
	keys, _, err := kf.load(e, p, false)
	if err != nil {
		return err
	}
	if *address == "" {
		list, ok := keys.(wallet.KeyList)
		if !ok || len(list) != 1 {
			return missing("--address (the WIF file holds more than one key)")
		}
		for h := range list {
			addr = mvs.NewPubKeyHashAddress(h, p)
		}
	}
	key, ok := keys.PrivateKeyFor(addr.Hash)
	if !ok {
		return fmt.Errorf("no key for %s among those given (with a mnemonic or keystore, raise --addresses)", addr)
	}
	sig, err := did.SignLogin(key, c)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(e.stdout, did.EncodeLoginSignature(sig))
	return err
}

// loginVerdict is did verify's result.
type loginVerdict struct {
	Valid   bool   `json:"valid"`
	Error   string `json:"error,omitempty"`
	DID     string `json:"did"`
	Address string `json:"address,omitempty"`
	Domain  string `json:"domain,omitempty"`
	Expires string `json:"expires,omitempty"`
}

func didVerify(e *env, args []string) error {
	fs := newFlags("did verify")
	cf := newChainFlags(fs)
	rf := addRPCFlags(fs)
	domain := fs.String("domain", "", "this service's domain")
	chFile := fs.String("challenge", "", "the challenge's text")
	sigText := fs.String("signature", "", "the signature, base64")
	pos, err := parseArgs(fs, args, didVerifyUsage)
	if err != nil {
		return err
	}
	if err := requireFlags(fs, "domain", "challenge", "signature"); err != nil {
		return err
	}
	switch {
	case len(pos) == 0:
		return missing("DID")
	case len(pos) > 1:
		return fmt.Errorf("unexpected argument %q (one DID only)", pos[1])
	case (*cf.datadir == "") == (*rf.url == ""):
		return errors.New("give exactly one of --datadir and --rpc: the DID's address comes from the chain")
	}
	symbol := pos[0]
	c, err := readChallenge(e, *chFile)
	if err != nil {
		return err
	}
	sig, err := did.DecodeLoginSignature(strings.TrimSpace(*sigText))
	if err != nil {
		return fmt.Errorf("--signature: %w", err)
	}
	p, err := cf.net()
	if err != nil {
		return err
	}
	var r did.Resolver
	if *cf.datadir != "" {
		st, _, err := cf.open(fs, false)
		if err != nil {
			return err
		}
		defer st.Close()
		r = resolvers.Chain{Queries: chain.NewQueries(st, p), Params: p}
	} else {
		client, err := rf.client(e)
		if err != nil {
			return err
		}
		r = resolvers.Node{Client: client, Params: p}
	}
	v := loginVerdict{DID: symbol, Domain: c.Domain}
	var addr mvs.Address
	if c.Domain != *domain {
		err = fmt.Errorf("%w: made for %q, this is %q", did.ErrDomain, c.Domain, *domain)
	} else {
		addr, err = did.VerifyLogin(r, symbol, c, sig, time.Now())
	}
	if err != nil {
		v.Error = plainMessage(err.Error())
		if perr := printJSON(e.stdout, v); perr != nil {
			return perr
		}
		return &exitError{code: exitFailure, msg: "the login does not hold: " + v.Error}
	}
	v.Valid, v.Address, v.Expires = true, addr.String(), c.Expires.Format(time.RFC3339)
	return printJSON(e.stdout, v)
}

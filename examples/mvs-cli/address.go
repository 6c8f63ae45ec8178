package main

import (
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx/script"
)

const addressUsage = `Usage: mvs-cli address VERB [flags]

Verbs:
  decode [--net N] ADDRESS
        print the address's network, kind, version, hash160 and output script as JSON
  encode [--net N] (--hash160 HEX [--kind p2pkh|p2sh] | --pubkey HEX | --redeem-script HEX)
        print the address of a key hash, a public key, or a P2SH redeem script

Run mvs-cli address VERB --help for one verb's flags, output and exit statuses.
`

const addressDecodeUsage = `Usage: mvs-cli address decode [--net mainnet|testnet|regtest] ADDRESS

Decodes a base58check ADDRESS and prints {"address", "network", "valid_on", "kind"
(p2pkh, p2sh or blackhole), "version", "hash160", "script"} as JSON.

The network comes from the version byte where only one network uses it (an "M..." address
is mainnet's). Where several do ("t..." is testnet's and regtest's, P2SH "3..." is every
network's), --net decides, else the first of mainnet, testnet, regtest that accepts it;
"valid_on" lists them all. An address that --net, when given, does not accept is refused.

Flags:
  --net N   the network the address must belong to: mainnet, testnet or regtest

Exit status: 0 decoded; 1 error (bad checksum, length or version: one line on stderr).`

const addressEncodeUsage = `Usage: mvs-cli address encode [--net mainnet|testnet|regtest] (--hash160 HEX [--kind p2pkh|p2sh] | --pubkey HEX | --redeem-script HEX)

Prints the address of a key hash, a public key or a P2SH redeem script (give exactly one)
as JSON, with the fields of address decode.

Flags:
  --hash160 HEX         a 20-byte key or script hash
  --kind K              what --hash160 is: p2pkh (default) or p2sh
  --pubkey HEX          a public key (33 or 65 bytes): its P2PKH address
  --redeem-script HEX   a P2SH redeem script: its P2SH address
  --net N               network: mainnet (default), testnet or regtest

Exit status: 0 printed; 1 error (one line on stderr).`

type addressJSON struct {
	Address string   `json:"address"`
	Network string   `json:"network"`
	ValidOn []string `json:"valid_on,omitempty"`
	Kind    string   `json:"kind"`
	Version int      `json:"version"`
	Hash160 string   `json:"hash160"`
	Script  string   `json:"script"`
}

func describeAddress(a mvs.Address, p *mvs.Params) addressJSON {
	return addressJSON{Address: a.String(), Network: p.Name, Kind: a.Kind.String(), Version: int(a.Version),
		Hash160: hex.EncodeToString(a.Hash[:]), Script: script.PayToAddress(a).String()}
}

func addressDecode(e *env, args []string) error {
	fs := newFlags("address decode")
	net := netFlag(fs)
	pos, err := parseArgs(fs, args, addressDecodeUsage)
	if err != nil {
		return err
	}
	switch len(pos) {
	case 0:
		return missing("ADDRESS")
	case 1:
	default:
		return fmt.Errorf("unexpected argument %q (one ADDRESS only)", pos[1])
	}
	a, p, validOn, err := decodeAnyAddress(pos[0], net, isSet(fs, "net"))
	if err != nil {
		return err
	}
	j := describeAddress(a, p)
	j.ValidOn = validOn
	return printJSON(e.stdout, j)
}

// decodeAnyAddress decodes s on whichever networks accept its version byte, and picks the
// one --net names (when given) or the first of mainnet, testnet, regtest.
func decodeAnyAddress(s string, net func() (*mvs.Params, error), explicit bool) (mvs.Address, *mvs.Params, []string, error) {
	want, err := net()
	if err != nil {
		return mvs.Address{}, nil, nil, err
	}
	var (
		first   *mvs.Params
		chosen  *mvs.Params
		addr    mvs.Address
		validOn []string
		lastErr error
	)
	for _, p := range []*mvs.Params{mvs.MainNet(), mvs.TestNet(), mvs.RegTest()} {
		a, err := mvs.DecodeAddress(s, p)
		if err != nil {
			if !errors.Is(err, mvs.ErrAddressNetwork) {
				return mvs.Address{}, nil, nil, addressError(s, err)
			}
			lastErr = err
			continue
		}
		validOn = append(validOn, p.Name)
		if first == nil {
			first, addr = p, a
		}
		if p.Name == want.Name {
			chosen, addr = p, a
		}
	}
	switch {
	case first == nil:
		return mvs.Address{}, nil, nil, addressError(s, lastErr)
	case chosen == nil && explicit:
		return mvs.Address{}, nil, nil, fmt.Errorf("%s is an %w: %s, not %s (drop --net or pass --net %s)",
			s, errAddressNetwork, joinAnd(validOn, "or"), want.Name, validOn[0])
	case chosen == nil:
		chosen = first
	}
	return addr, chosen, validOn, nil
}

// addressError says in one sentence why s is not an address.
func addressError(s string, err error) error {
	switch {
	case errors.Is(err, mvs.ErrChecksum):
		return fmt.Errorf("%s is not an address: its checksum does not match (a character is wrong)", s)
	case errors.Is(err, mvs.ErrBase58):
		return fmt.Errorf("%s is not an address: it has characters outside base58", s)
	case errors.Is(err, mvs.ErrAddressLength):
		return fmt.Errorf("%s is not an address: it does not hold a version byte and a 20-byte hash", s)
	case errors.Is(err, mvs.ErrAddressNetwork):
		return fmt.Errorf("%s is not an address of any MVS network (unknown version byte)", s)
	}
	return fmt.Errorf("%s is not an address: %w", s, err)
}

func addressEncode(e *env, args []string) error {
	fs := newFlags("address encode")
	net := netFlag(fs)
	h160 := fs.String("hash160", "", "20-byte hash, hex")
	kind := fs.String("kind", "p2pkh", "p2pkh or p2sh, with --hash160")
	pub := fs.String("pubkey", "", "public key, hex (33 or 65 bytes)")
	redeem := fs.String("redeem-script", "", "P2SH redeem script, hex")
	pos, err := parseArgs(fs, args, addressEncodeUsage)
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
	given := 0
	for _, s := range []string{"hash160", "pubkey", "redeem-script"} {
		if isSet(fs, s) {
			given++
		}
	}
	switch {
	case given == 0:
		return missing("--hash160, --pubkey or --redeem-script")
	case given > 1:
		return fmt.Errorf("give only one of --hash160, --pubkey and --redeem-script")
	case isSet(fs, "kind") && !isSet(fs, "hash160"):
		return fmt.Errorf("--kind goes with --hash160 only")
	}
	var a mvs.Address
	switch {
	case isSet(fs, "hash160"):
		b, err := decodeHexArg("--hash160", *h160)
		if err != nil {
			return err
		}
		if len(b) != 20 {
			return fmt.Errorf("--hash160 must be 20 bytes, got %d", len(b))
		}
		switch *kind {
		case "p2pkh":
			a = mvs.NewPubKeyHashAddress([20]byte(b), p)
		case "p2sh":
			a = mvs.NewScriptHashAddress([20]byte(b), p)
		default:
			return fmt.Errorf("--kind must be p2pkh or p2sh, not %q", *kind)
		}
	case isSet(fs, "pubkey"):
		b, err := decodeHexArg("--pubkey", *pub)
		if err != nil {
			return err
		}
		if len(b) != 33 && len(b) != 65 {
			return fmt.Errorf("--pubkey must be 33 or 65 bytes, got %d", len(b))
		}
		a = mvs.NewPubKeyAddress(b, p)
	default:
		b, err := decodeHexArg("--redeem-script", *redeem)
		if err != nil {
			return err
		}
		a = mvs.NewScriptHashAddress(mvs.Hash160(b), p)
	}
	return printJSON(e.stdout, describeAddress(a, p))
}

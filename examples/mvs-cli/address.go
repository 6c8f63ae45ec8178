package main

import (
	"encoding/hex"
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx/script"
)

const addressUsage = `Usage: mvs-cli address VERB [options]

Verbs:
  decode [--net mainnet|testnet] ADDRESS
        print the address's kind, version, hash160 and output script as JSON
  encode [--net mainnet|testnet] (--hash160 HEX [--kind p2pkh|p2sh] | --pubkey HEX | --redeem-script HEX)
        print the address of a key hash, a public key, or a P2SH redeem script
`

func cmdAddress(e *env, args []string) error {
	return runVerb(e, args, "address", addressUsage, map[string]verb{
		"decode": addressDecode,
		"encode": addressEncode,
	})
}

type addressJSON struct {
	Address string `json:"address"`
	Network string `json:"network"`
	Kind    string `json:"kind"`
	Version int    `json:"version"`
	Hash160 string `json:"hash160"`
	Script  string `json:"script"`
}

func describeAddress(a mvs.Address, p *mvs.Params) addressJSON {
	return addressJSON{Address: a.String(), Network: p.Name, Kind: a.Kind.String(), Version: int(a.Version),
		Hash160: hex.EncodeToString(a.Hash[:]), Script: script.PayToAddress(a).String()}
}

func addressDecode(e *env, args []string) error {
	fs := newFlags("address decode")
	net := netFlag(fs)
	pos, err := parseArgs(fs, args, "Usage: mvs-cli address decode [--net mainnet|testnet] ADDRESS")
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("address decode takes one address, got %d arguments", len(pos))
	}
	p, err := net()
	if err != nil {
		return err
	}
	a, err := mvs.DecodeAddress(pos[0], p)
	if err != nil {
		return err
	}
	return printJSON(e.stdout, describeAddress(a, p))
}

func addressEncode(e *env, args []string) error {
	fs := newFlags("address encode")
	net := netFlag(fs)
	h160 := fs.String("hash160", "", "20-byte hash, hex")
	kind := fs.String("kind", "p2pkh", "p2pkh or p2sh, with --hash160")
	pub := fs.String("pubkey", "", "public key, hex (33 or 65 bytes)")
	redeem := fs.String("redeem-script", "", "P2SH redeem script, hex")
	pos, err := parseArgs(fs, args, addressUsage)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return fmt.Errorf("address encode takes no positional arguments (got %q)", pos[0])
	}
	p, err := net()
	if err != nil {
		return err
	}
	given := 0
	for _, s := range []string{*h160, *pub, *redeem} {
		if s != "" {
			given++
		}
	}
	if given != 1 {
		return fmt.Errorf("give exactly one of --hash160, --pubkey, --redeem-script")
	}
	var a mvs.Address
	switch {
	case *h160 != "":
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
	case *pub != "":
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

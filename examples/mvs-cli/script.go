package main

import (
	"fmt"
	"strings"

	"github.com/mvsgo/mvs/tx/script"
)

const scriptUsage = `Usage: mvs-cli script VERB [flags]

Verbs:
  decode [--net N] [HEX]
        print the script's ASM, pattern, address and MVS lock details as JSON
        (HEX may also come on stdin)
  encode ASM...
        print the hex of a script written in the node's ASM, e.g.
        mvs-cli script encode "dup hash160 [ 61fde3bd4e6955c99b16de2d71e2a369888a1c0b ] equalverify checksig"
        (one quoted argument or several words; stdin when none)

Run mvs-cli script VERB --help for one verb's arguments, flags, output and exit statuses.
`

const scriptDecodeUsage = `Usage: mvs-cli script decode [--net mainnet|testnet|regtest] [HEX]

Decodes a script and prints, as JSON: "hex", "asm" (mvsgo's), "node_asm" (the node's),
"type" (its standard pattern), "standard", "address" (when it pays to one), "sigops", and
where they apply "lock_height", "sequence", "attenuation_model_param",
"attenuation_outpoint" and "multisig" {"required", "keys"}. A push that runs past the end
is kept as raw bytes and "parse_error" says why.

Arguments:
  HEX       the script in hex ("" for the empty script); read from stdin when absent or "-"

Flags:
  --net N   network of the address shown: mainnet (default), testnet or regtest

Exit status: 0 decoded; 1 error (not hex: one line on stderr).`

const scriptEncodeUsage = `Usage: mvs-cli script encode ASM...

Prints the hex of a script written in the node's ASM (or mvsgo's: OP_ names and
[ hex ] pushes are both read), e.g.
  mvs-cli script encode "dup hash160 [ 61fde3bd4e6955c99b16de2d71e2a369888a1c0b ] equalverify checksig"

Arguments:
  ASM...    one quoted argument or several words; read from stdin when none. Words such as
            -1 are ASM, not flags; "--" before them is also accepted.

Exit status: 0 printed; 1 error (an unknown word, a bad push: one line on stderr).`

type scriptOutPointJSON struct {
	Hash  string `json:"hash"`
	Index uint32 `json:"index"`
}

type scriptMultisigJSON struct {
	Required int      `json:"required"`
	Keys     []string `json:"keys"`
}

type scriptDecodeJSON struct {
	Hex      string `json:"hex"`
	ASM      string `json:"asm"`
	NodeASM  string `json:"node_asm"`
	Type     string `json:"type"`
	Standard bool   `json:"standard"`
	Address  string `json:"address,omitempty"`
	SigOps   int    `json:"sigops"`
	// ParseError is set when a push runs past the end (the script is kept as raw bytes).
	ParseError            string              `json:"parse_error,omitempty"`
	LockHeight            *int64              `json:"lock_height,omitempty"`
	Sequence              *uint32             `json:"sequence,omitempty"`
	AttenuationModelParam *string             `json:"attenuation_model_param,omitempty"`
	AttenuationOutPoint   *scriptOutPointJSON `json:"attenuation_outpoint,omitempty"`
	Multisig              *scriptMultisigJSON `json:"multisig,omitempty"`
}

func scriptDecode(e *env, args []string) error {
	fs := newFlags("script decode")
	net := netFlag(fs)
	pos, err := parseArgs(fs, args, scriptDecodeUsage)
	if err != nil {
		return err
	}
	p, err := net()
	if err != nil {
		return err
	}
	var b []byte
	if len(pos) == 1 && pos[0] == "" {
		b = []byte{} // an empty script, given as ""
	} else if b, err = hexFromArgsOrStdin(e, "script", "HEX", pos); err != nil {
		return err
	}
	s, perr := script.Parse(b)
	class := script.Classify(s)
	out := scriptDecodeJSON{
		Hex: s.Hex(), ASM: s.ASM(), NodeASM: s.NodeASM(), Type: class.String(),
		Standard: script.IsStandardOutput(s), SigOps: script.SigOpCount(s, true),
	}
	if perr != nil {
		out.ParseError = perr.Error()
	}
	if a, ok := s.Address(p); ok {
		out.Address = a.String()
	}
	if h, ok := script.DepositLockHeight(s); ok {
		out.LockHeight = &h
	} else if h, ok := script.SignatureScriptLockHeight(s); ok {
		out.LockHeight = &h
	}
	if v, ok := script.SequenceLockValue(s); ok {
		out.Sequence = &v
	}
	if m, op, ok := script.AttenuationParams(s); ok {
		ms := string(m)
		out.AttenuationModelParam = &ms
		out.AttenuationOutPoint = &scriptOutPointJSON{Hash: op.Hash.String(), Index: op.Index}
	}
	if m, keys, ok := script.MultisigKeys(s); ok {
		j := &scriptMultisigJSON{Required: m}
		for _, k := range keys {
			j.Keys = append(j.Keys, fmt.Sprintf("%x", k))
		}
		out.Multisig = j
	}
	return printJSON(e.stdout, out)
}

func scriptEncode(e *env, args []string) error {
	// ASM words such as "-1" look like flags, so only a leading --help is taken as one.
	if len(args) > 0 && wantsHelp(args[:1]) {
		return usage(scriptEncodeUsage, true)
	}
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	text := strings.Join(args, " ")
	if len(args) == 0 {
		b, err := readStdin(e, "script ASM")
		if err != nil {
			return err
		}
		if len(strings.TrimSpace(string(b))) == 0 {
			return missing("ASM (the script, as arguments or on stdin)")
		}
		text = string(b)
	}
	s, err := script.ParseASM(text)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(e.stdout, s.Hex())
	return err
}

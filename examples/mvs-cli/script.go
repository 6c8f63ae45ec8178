package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/mvsgo/mvs/tx/script"
)

const scriptUsage = `Usage: mvs-cli script VERB [options]

Verbs:
  decode [--net mainnet|testnet] HEX
        print the script's ASM, pattern, address and MVS lock details as JSON
        (HEX may also come on stdin)
  encode ASM...
        print the hex of a script written in the node's ASM, e.g.
        mvs-cli script encode "dup hash160 [ 61fde3bd4e6955c99b16de2d71e2a369888a1c0b ] equalverify checksig"
        (one quoted argument or several words; stdin when none)
`

func cmdScript(e *env, args []string) error {
	return runVerb(e, args, "script", scriptUsage, map[string]verb{
		"decode": scriptDecode,
		"encode": scriptEncode,
	})
}

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
	pos, err := parseArgs(fs, args, "Usage: mvs-cli script decode [--net mainnet|testnet] HEX")
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
	} else if b, err = hexFromArgsOrStdin(e, "script", pos); err != nil {
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
		return usage("Usage: mvs-cli script encode ASM...", true)
	}
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	text := strings.Join(args, " ")
	if len(args) == 0 {
		b, err := io.ReadAll(io.LimitReader(e.stdin, 64<<20))
		if err != nil {
			return fmt.Errorf("reading ASM from stdin: %v", err)
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

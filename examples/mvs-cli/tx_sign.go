package main

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// parseHashType reads "all", "none", "single", optionally joined with "|anyonecanpay" (or
// "+acp"), or a number.
func parseHashType(s string) (script.SigHashType, error) {
	var ht script.SigHashType
	for i, part := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == '|' || r == '+' || r == ',' }) {
		switch part {
		case "all":
			ht |= script.SigHashAll
		case "none":
			ht |= script.SigHashNone
		case "single":
			ht |= script.SigHashSingle
		case "anyonecanpay", "acp":
			ht |= script.SigHashAnyoneCanPay
		default:
			var n uint8
			if _, err := fmt.Sscan(part, &n); err != nil || i > 0 {
				return 0, fmt.Errorf("--type %q: want all, none or single, optionally |anyonecanpay", s)
			}
			ht |= script.SigHashType(n)
		}
	}
	if ht&script.SigHashMask == 0 {
		return 0, fmt.Errorf("--type %q names no base type (all, none or single)", s)
	}
	return ht, nil
}

const sighashUsage = `Usage: mvs-cli tx sighash HEX --input I --script HEX [--type all|none|single[|anyonecanpay]]

Prints the 32-byte signature hash of input I in hex, in the order it is signed (not
reversed). --script is the previous output's script (the redeem script for P2SH).`

func txSighash(e *env, args []string) error {
	fs := newFlags("tx sighash")
	input := fs.Int("input", -1, "input index")
	scriptHex := fs.String("script", "", "previous output script, hex")
	typ := fs.String("type", "all", "hash type")
	pos, err := parseArgs(fs, args, sighashUsage)
	if err != nil {
		return err
	}
	t, err := decodeTxArg(e, pos)
	if err != nil {
		return err
	}
	if *input < 0 {
		return fmt.Errorf("--input is required (0 to %d)", len(t.Inputs)-1)
	}
	if *scriptHex == "" {
		return fmt.Errorf("--script (the previous output script, hex) is required")
	}
	code, err := decodeHexArg("--script", *scriptHex)
	if err != nil {
		return err
	}
	ht, err := parseHashType(*typ)
	if err != nil {
		return err
	}
	d, err := t.SignatureHash(*input, code, ht)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(e.stdout, hex.EncodeToString(d[:]))
	return err
}

const verifyUsage = `Usage: mvs-cli tx verify HEX [--prevouts FILE]

Verifies every input with the consensus interpreter and prints
{"valid": bool, "inputs": [{"index", "valid", "error"}]}; exit status 0 only when every
input holds. FILE is JSON: an array with one previous output per input
({"script_hex": "...", "value": N} or {"script": "ASM"}), or an object with such a
"prevouts" array (the offline-signing object). Without --prevouts, an input of the P2PKH
spend shape is checked against the script its public key implies.`

type inputVerdict struct {
	Index int    `json:"index"`
	Valid bool   `json:"valid"`
	Error string `json:"error,omitempty"`
}

func txVerify(e *env, args []string) error {
	fs := newFlags("tx verify")
	prevFile := fs.String("prevouts", "", "JSON file of previous outputs")
	pos, err := parseArgs(fs, args, verifyUsage)
	if err != nil {
		return err
	}
	t, err := decodeTxArg(e, pos)
	if err != nil {
		return err
	}
	prevScripts := make([][]byte, len(t.Inputs))
	if *prevFile != "" {
		prevs, err := readPrevOuts(*prevFile)
		if err != nil {
			return err
		}
		if len(prevs) != len(t.Inputs) {
			return fmt.Errorf("%s has %d previous outputs for %d inputs", *prevFile, len(prevs), len(t.Inputs))
		}
		for i := range prevs {
			prevScripts[i] = prevs[i].Script
		}
	}
	verdict := struct {
		Valid  bool           `json:"valid"`
		Inputs []inputVerdict `json:"inputs"`
	}{Valid: true}
	for i := range t.Inputs {
		v := inputVerdict{Index: i}
		prev := prevScripts[i]
		if prev == nil {
			if p, ok := tx.ImpliedPrevScript(t.Inputs[i].Script); ok {
				prev = p
			}
		}
		if prev == nil {
			v.Error = "previous output script unknown: not a P2PKH spend; pass --prevouts"
		} else if err := t.VerifyInput(i, prev); err != nil {
			v.Error = err.Error()
		} else {
			v.Valid = true
		}
		verdict.Valid = verdict.Valid && v.Valid
		verdict.Inputs = append(verdict.Inputs, v)
	}
	if err := printJSON(e.stdout, verdict); err != nil {
		return err
	}
	if !verdict.Valid {
		return &exitError{code: 1}
	}
	return nil
}

// readPrevOuts reads a JSON array of previous outputs, or an object with a "prevouts" array.
func readPrevOuts(path string) ([]tx.PrevOut, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var list []tx.PrevOut
	if err := json.Unmarshal(b, &list); err == nil {
		return list, nil
	}
	var obj struct {
		PrevOuts []tx.PrevOut `json:"prevouts"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if obj.PrevOuts == nil {
		return nil, fmt.Errorf("%s: no \"prevouts\" array", path)
	}
	return obj.PrevOuts, nil
}

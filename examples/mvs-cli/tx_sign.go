package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
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

const sighashUsage = `Usage: mvs-cli tx sighash [HEX] --input I --script HEX [--type all|none|single[|anyonecanpay]]

Prints the 32-byte signature hash of input I of the transaction HEX, in hex, in the order it
is signed (not reversed).

Arguments:
  HEX          the transaction in hex; read from stdin when absent or "-"

Flags:
  --input I    the input's index (required)
  --script H   the previous output's script in hex, the redeem script for P2SH (required)
  --type T     hash type: all (default), none or single, optionally |anyonecanpay, or a
               number

Exit status: 0 printed; 1 error (one line on stderr), e.g. SIGHASH_SINGLE past the outputs.`

func txSighash(e *env, args []string) error {
	fs := newFlags("tx sighash")
	input := fs.Int("input", -1, "input index")
	scriptHex := fs.String("script", "", "previous output script, hex")
	typ := fs.String("type", "all", "hash type")
	pos, err := parseArgs(fs, args, sighashUsage)
	if err != nil {
		return err
	}
	if err := requireFlags(fs, "input", "script"); err != nil {
		return err
	}
	t, err := decodeTxArg(e, pos)
	if err != nil {
		return err
	}
	if *input < 0 || *input >= len(t.Inputs) {
		return fmt.Errorf("--input %d: the transaction has inputs 0 to %d", *input, len(t.Inputs)-1)
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
		return fmt.Errorf("input %d: %w", *input, err)
	}
	_, err = fmt.Fprintln(e.stdout, hex.EncodeToString(d[:]))
	return err
}

const verifyUsage = `Usage: mvs-cli tx verify [HEX] [--prevouts FILE]

Verifies every input of the transaction HEX with the consensus interpreter against the
script of the output it spends, and prints
  {"valid": bool, "prevouts_assumed": [indexes], "inputs": [{"index", "valid",
   "prevout_assumed", "error"}]}
"valid" says every input's script holds.

Arguments:
  HEX             the transaction in hex; read from stdin when absent or "-"

Flags:
  --prevouts F    JSON file of the outputs the inputs spend, one per input in order: an
                  array of {"previous_output": {"hash", "index"}, "script_hex": "...",
                  "value": N} (or "script": "ASM"; previous_output optional, checked when
                  given), or an object with such a "prevouts" array (the offline-signing
                  object of tx sign); - reads it from stdin

Without --prevouts, an input of the P2PKH spend shape (<signature> <public key>) is checked
against the P2PKH script its own public key implies: the signature is real, but nothing
says that key's output is what the input spends. Such inputs are marked
"prevout_assumed": true, and the verdict is incomplete (exit status 3).

Exit status: 0 every input verified against a given previous output; 1 an input fails (or
an error: one line on stderr); 3 every script holds but a previous output was assumed,
said on stderr.`

type inputVerdict struct {
	Index          int    `json:"index"`
	Valid          bool   `json:"valid"`
	PrevOutAssumed bool   `json:"prevout_assumed,omitempty"`
	Error          string `json:"error,omitempty"`
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
		prevs, err := readPrevOuts(e, *prevFile)
		if err != nil {
			return err
		}
		if len(prevs) != len(t.Inputs) {
			return fmt.Errorf("--prevouts %s has %d previous outputs for %d inputs", *prevFile, len(prevs), len(t.Inputs))
		}
		for i := range prevs {
			if op := prevs[i].OutPoint; op != (tx.OutPoint{}) && op != t.Inputs[i].PreviousOutput {
				return fmt.Errorf("--prevouts %s: entry %d is %s:%d but input %d spends %s:%d", *prevFile, i,
					op.Hash, op.Index, i, t.Inputs[i].PreviousOutput.Hash, t.Inputs[i].PreviousOutput.Index)
			}
			prevScripts[i] = prevs[i].Script
		}
	}
	verdict := struct {
		Valid          bool           `json:"valid"`
		PrevOutAssumed []int          `json:"prevouts_assumed,omitempty"`
		Inputs         []inputVerdict `json:"inputs"`
	}{Valid: true}
	for i := range t.Inputs {
		v := inputVerdict{Index: i}
		prev := prevScripts[i]
		if prev == nil && *prevFile == "" {
			if p, ok := tx.ImpliedPrevScript(t.Inputs[i].Script); ok {
				prev, v.PrevOutAssumed = p, true
				verdict.PrevOutAssumed = append(verdict.PrevOutAssumed, i)
			}
		}
		switch {
		case prev == nil && *prevFile != "":
			v.Error = "the previous output given has no script"
		case prev == nil:
			v.Error = "previous output script unknown: not a P2PKH spend; pass --prevouts"
		default:
			if err := t.VerifyInput(i, prev); err != nil {
				v.Error = plainMessage(err.Error())
			} else {
				v.Valid = true
			}
		}
		verdict.Valid = verdict.Valid && v.Valid
		verdict.Inputs = append(verdict.Inputs, v)
	}
	if err := printJSON(e.stdout, verdict); err != nil {
		return err
	}
	if !verdict.Valid {
		return &exitError{code: exitFailure}
	}
	if n := verdict.PrevOutAssumed; len(n) > 0 {
		idx := make([]string, len(n))
		for i, x := range n {
			idx[i] = fmt.Sprint(x)
		}
		what := "input " + idx[0] + " was"
		if len(n) > 1 {
			what = "inputs " + joinAnd(idx, "and") + " were"
		}
		return &exitError{code: exitIncomplete, msg: fmt.Sprintf(
			"the scripts hold, but the previous outputs of %s assumed from their public keys, not given: pass --prevouts FILE to verify against them", what)}
	}
	return nil
}

// readPrevOuts reads a JSON array of previous outputs, or an object with a "prevouts" array.
func readPrevOuts(e *env, path string) ([]tx.PrevOut, error) {
	b, err := readInput(e, "--prevouts", path, "previous outputs")
	if err != nil {
		return nil, err
	}
	what := "--prevouts " + path
	switch t := bytes.TrimSpace(b); {
	case len(t) == 0:
		return nil, fmt.Errorf("%s is empty", what)
	case t[0] == '[':
		var list []tx.PrevOut
		if err := json.Unmarshal(t, &list); err != nil {
			return nil, jsonError(what, err)
		}
		return list, nil
	case t[0] == '{':
		var obj struct {
			PrevOuts []tx.PrevOut `json:"prevouts"`
		}
		if err := json.Unmarshal(t, &obj); err != nil {
			return nil, jsonError(what, err)
		}
		if obj.PrevOuts == nil {
			return nil, fmt.Errorf("%s: no \"prevouts\" array", what)
		}
		return obj.PrevOuts, nil
	}
	return nil, fmt.Errorf("%s: want a JSON array of previous outputs or an object with \"prevouts\"", what)
}

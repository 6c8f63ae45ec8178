package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"

	"github.com/mvsgo/mvs/tx"
)

const txUsage = `Usage: mvs-cli tx VERB [options]

Verbs:
  decode [--net mainnet|testnet] HEX   print the transaction as JSON (HEX or stdin)
  encode                               read that JSON on stdin, print the hex
  sighash HEX --input I --script HEX [--type all|none|single[|anyonecanpay]]
                                       print the 32-byte signature hash (signing order)
  verify HEX [--prevouts FILE]         verify every input's script; JSON verdict
  sign [options]                       sign an unsigned transaction with its previous outputs
`

func cmdTx(e *env, args []string) error {
	return runVerb(e, args, "tx", txUsage, map[string]verb{
		"decode":  txDecode,
		"encode":  txEncode,
		"sighash": txSighash,
		"verify":  txVerify,
		"sign":    txSign,
	})
}

func txDecode(e *env, args []string) error {
	fs := newFlags("tx decode")
	net := netFlag(fs)
	pos, err := parseArgs(fs, args, "Usage: mvs-cli tx decode [--net mainnet|testnet] HEX\n\nPrints the transaction as JSON; HEX may also come on stdin.")
	if err != nil {
		return err
	}
	p, err := net()
	if err != nil {
		return err
	}
	t, err := decodeTxArg(e, pos)
	if err != nil {
		return err
	}
	return printJSON(e.stdout, t.ToJSON(p))
}

func txEncode(e *env, args []string) error {
	fs := newFlags("tx encode")
	pos, err := parseArgs(fs, args, "Usage: mvs-cli tx encode < tx.json\n\nReads the JSON that tx decode prints and prints the transaction hex.\nRemove \"hash\" after editing fields, or the mismatch is reported.")
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return fmt.Errorf("tx encode reads JSON on stdin and takes no arguments")
	}
	b, err := io.ReadAll(io.LimitReader(e.stdin, 64<<20))
	if err != nil {
		return fmt.Errorf("reading stdin: %v", err)
	}
	var j tx.JSONTx
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return fmt.Errorf("transaction JSON: %v", err)
	}
	t, err := tx.FromJSON(&j)
	if err != nil {
		return err
	}
	raw, err := t.MarshalBinary()
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(e.stdout, hex.EncodeToString(raw))
	return err
}

// decodeTxArg decodes the transaction given as the one positional hex argument or on stdin.
func decodeTxArg(e *env, pos []string) (*tx.Tx, error) {
	raw, err := hexFromArgsOrStdin(e, "transaction hex", pos)
	if err != nil {
		return nil, err
	}
	t, err := tx.Decode(raw)
	if err != nil {
		return nil, fmt.Errorf("decoding transaction: %w", err)
	}
	return t, nil
}

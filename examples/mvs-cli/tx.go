package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/mvsgo/mvs/tx"
)

const txUsage = `Usage: mvs-cli tx VERB [flags]

Verbs:
  decode [--net N] [HEX]               print the transaction as JSON (HEX or stdin)
  encode < tx.json                     read that JSON on stdin, print the hex
  sighash [HEX] --input I --script HEX [--type all|none|single[|anyonecanpay]]
                                       print the 32-byte signature hash (signing order)
  verify [HEX] [--prevouts FILE]       verify every input's script; JSON verdict
  sign [--unsigned FILE] KEYS          sign the offline-signing JSON of the wallet builders
  sign-raw [HEX] --prevout ... KEYS    sign a raw unsigned transaction (the node's
                                       createrawtx) given the outputs it spends

Run mvs-cli tx VERB --help for one verb's arguments, flags, output and exit statuses.
`

const txDecodeUsage = `Usage: mvs-cli tx decode [--net mainnet|testnet|regtest] [HEX]

Decodes a raw transaction and prints it as JSON: "hash", "version", "lock_time", "inputs"
(previous output, script, sequence) and "outputs" (value, script, address, attachment).
tx encode reads the same JSON back.

Arguments:
  HEX       the transaction in hex; read from stdin when absent or "-"

Flags:
  --net N   network whose address versions the output addresses use: mainnet (default),
            testnet or regtest

Exit status: 0 decoded; 1 error (not hex, not a transaction: one line on stderr).`

const txEncodeUsage = `Usage: mvs-cli tx encode < tx.json

Reads, on stdin, the JSON that tx decode prints and prints the transaction's hex. Unknown
fields are refused. Remove "hash" after editing other fields, or the mismatch between the
fields and the hash is reported.

Exit status: 0 encoded; 1 error (bad JSON, a field out of range: one line on stderr).`

func txDecode(e *env, args []string) error {
	fs := newFlags("tx decode")
	net := netFlag(fs)
	pos, err := parseArgs(fs, args, txDecodeUsage)
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
	pos, err := parseArgs(fs, args, txEncodeUsage)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return fmt.Errorf("unexpected argument %q (tx encode reads the JSON on stdin)", pos[0])
	}
	b, err := readStdin(e, "transaction JSON")
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return missing("the transaction JSON on stdin")
	}
	var j tx.JSONTx
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return jsonError("transaction JSON", err)
	}
	t, err := tx.FromJSON(&j)
	if err != nil {
		return fmt.Errorf("transaction JSON: %w", err)
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
	raw, err := hexFromArgsOrStdin(e, "transaction hex", "HEX", pos)
	if err != nil {
		return nil, err
	}
	t, err := tx.Decode(raw)
	if err != nil {
		return nil, fmt.Errorf("not a transaction: %w", err)
	}
	return t, nil
}

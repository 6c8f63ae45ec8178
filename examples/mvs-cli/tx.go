package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

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
fields are refused, and so is a readable field that contradicts its exact twin (an "etp"
that is not "value", a script text that is not "script_hex"). Remove "hash" after editing
other fields, or the mismatch between the fields and the hash is reported.

It also reads what the reference node prints for a transaction (decoderawtx, gettx, the
answer of send and the other wallet commands; bare, inside "transaction", or in a JSON-RPC
envelope), recognised by its attachments carrying no "version". The node's JSON leaves out
a few bytes (push opcodes of non-minimal pushes, a certificate's status); while its "hash"
is present they are recovered by matching it, and after an edit (drop "hash") the node's
usual choices are assumed.

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
	var t *tx.Tx
	if isNodeTxJSON(b) {
		if t, err = tx.FromNodeJSON(b); err != nil {
			return fmt.Errorf("node transaction JSON: %w", err)
		}
	} else {
		var j tx.JSONTx
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&j); err != nil {
			return jsonError("transaction JSON", err)
		}
		if t, err = tx.FromJSON(&j); err != nil {
			return fmt.Errorf("transaction JSON: %w", err)
		}
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

// isNodeTxJSON tells the reference node's transaction JSON from tx decode's: the node wraps
// it in "transaction" or a JSON-RPC "result", prints the version as a string, and gives
// attachments no "version".
func isNodeTxJSON(b []byte) bool {
	var top map[string]json.RawMessage
	if json.Unmarshal(b, &top) != nil {
		return false
	}
	if top["transaction"] != nil || top["result"] != nil {
		return true
	}
	var version string // the node prints it as a string of digits
	if json.Unmarshal(top["version"], &version) == nil && version != "" && strings.Trim(version, "0123456789") == "" {
		return true
	}
	var outs struct {
		Outputs []struct {
			Attachment map[string]json.RawMessage `json:"attachment"`
		} `json:"outputs"`
	}
	if json.Unmarshal(b, &outs) != nil {
		return false
	}
	for _, o := range outs.Outputs {
		if o.Attachment != nil && o.Attachment["version"] == nil {
			return true
		}
	}
	return false
}

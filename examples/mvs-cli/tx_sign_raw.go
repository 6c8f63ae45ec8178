package main

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
	"github.com/mvsgo/mvs/wallet"
)

const txSignRawUsage = `Usage: mvs-cli tx sign-raw [HEX] (--prevout TXID:INDEX:SCRIPT:VALUE ... | --prevouts F | --prev-txs F) KEYS [--net mainnet|testnet|regtest]

Signs a raw unsigned transaction, such as the node's createrawtx makes, without
hand-writing the offline-signing JSON: it is built from HEX and the outputs the inputs
spend, then signed as tx sign signs it (every completed input verified).

When every input is signed it prints the signed transaction's hex. When multisig
signatures are still missing it prints the offline-signing JSON for the next signer (who
uses tx sign) and says so on stderr.

Arguments:
  HEX                 the unsigned transaction in hex; read from stdin when absent or "-"

Flags:
  --prevout O         an output an input spends, TXID:INDEX:SCRIPT:VALUE: the previous
                      transaction's id (as the node shows it), the output's index, its
                      script in hex, and its value in satoshi (an integer; 1 ETP is
                      100000000). Repeat it, one per input, in any order
  --prevouts F        the outputs the inputs spend as JSON, as tx verify reads them
  --redeem-script R   INDEX:HEX, the redeem script of P2SH input INDEX (repeat per input)
  --prev-txs F        previous transactions (hex, one per line). They prove what the inputs
                      spend: an input whose output they hold needs no --prevout, and a
                      --prevout they contradict is refused. Every input must be proven
                      unless --allow-unproven (the signature hash does not cover values)
  --allow-unproven    sign inputs no previous transaction proves, trusting the values given
  --net N             network of the WIF keys: mainnet (default), testnet or regtest

` + keyFlagsHelp + `

Exit status: 0 signed, the hex printed; 1 error (one line on stderr), nothing signed;
3 signatures still missing, the JSON for the next signer printed.`

// listFlag collects a repeatable flag's values.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, " ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func txSignRaw(e *env, args []string) error {
	if err := refuseSecretFlags(args, removedSecretFlags()); err != nil {
		return err
	}
	fs := newFlags("tx sign-raw")
	net := netFlag(fs)
	var prevoutArgs, redeemArgs listFlag
	fs.Var(&prevoutArgs, "prevout", "TXID:INDEX:SCRIPT:VALUE (repeat)")
	prevoutsFile := fs.String("prevouts", "", "JSON file of previous outputs")
	fs.Var(&redeemArgs, "redeem-script", "INDEX:HEX (repeat)")
	kf := addKeyFlags(fs)
	sf := addSignFlags(fs)
	pos, err := parseArgs(fs, args, txSignRawUsage)
	if err != nil {
		return err
	}
	p, err := net()
	if err != nil {
		return err
	}
	if len(prevoutArgs) == 0 && *prevoutsFile == "" && *sf.prevTxs == "" {
		return missing("--prevout, --prevouts or --prev-txs (the outputs the inputs spend)")
	}
	if err := kf.check(); err != nil {
		return err
	}
	t, err := decodeTxArg(e, pos)
	if err != nil {
		return err
	}
	given, err := parsePrevOutFlags(prevoutArgs)
	if err != nil {
		return err
	}
	if *prevoutsFile != "" {
		list, err := readPrevOuts(e, *prevoutsFile)
		if err != nil {
			return err
		}
		if err := addPrevOutsFile(given, list, t, *prevoutsFile); err != nil {
			return err
		}
	}
	prevTxs, err := readPrevTxs(e, *sf.prevTxs)
	if err != nil {
		return err
	}
	prevOuts, err := resolvePrevOuts(t, given, prevTxs)
	if err != nil {
		return err
	}
	redeem, err := parseRedeemFlags(redeemArgs, len(t.Inputs))
	if err != nil {
		return err
	}
	for i := range prevOuts {
		// Nobody can sign a P2SH input without its redeem script, and the JSON a partial
		// signing prints would not carry it to the next signer either.
		if script.Script(prevOuts[i].Script).Class() == script.PayScriptHash && (i >= len(redeem) || redeem[i] == nil) {
			return missing(fmt.Sprintf("--redeem-script %d:HEX (input %d spends a P2SH output)", i, i))
		}
	}
	u, err := wallet.NewUnsigned(t, prevOuts, redeem, p)
	if err != nil {
		return err
	}
	return signAndPrint(e, u, p, kf, sf, prevTxs)
}

// parsePrevOutFlags reads the --prevout values, keyed by outpoint.
func parsePrevOutFlags(args []string) (map[tx.OutPoint]tx.PrevOut, error) {
	m := make(map[tx.OutPoint]tx.PrevOut, len(args))
	for _, a := range args {
		f := strings.Split(a, ":")
		if len(f) != 4 {
			return nil, fmt.Errorf("--prevout %q: want TXID:INDEX:SCRIPT:VALUE", a)
		}
		h, err := mvs.ParseHash(f[0])
		if err != nil {
			return nil, fmt.Errorf("--prevout %q: TXID is not 64 hex digits", a)
		}
		idx, err := strconv.ParseUint(f[1], 10, 32)
		if err != nil {
			return nil, fmt.Errorf("--prevout %q: INDEX is not an output index", a)
		}
		code, err := decodeHexArg(fmt.Sprintf("--prevout %q: SCRIPT", a), f[2])
		if err != nil {
			return nil, err
		}
		if len(code) == 0 {
			return nil, fmt.Errorf("--prevout %q: SCRIPT is empty", a)
		}
		if strings.ContainsAny(f[3], ".,eE") {
			return nil, fmt.Errorf("--prevout %q: VALUE is in satoshi, an integer (1 ETP is 100000000)", a)
		}
		v, err := strconv.ParseUint(f[3], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("--prevout %q: VALUE is not a number of satoshi", a)
		}
		op := tx.OutPoint{Hash: h, Index: uint32(idx)}
		if _, dup := m[op]; dup {
			return nil, fmt.Errorf("--prevout %s:%d is given twice", h, idx)
		}
		// A bare value is plain ETP, as the previous-output JSON without an attachment is.
		m[op] = tx.PrevOut{OutPoint: op, Value: mvs.Amount(v), Script: code, Attachment: tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeETP}}
	}
	return m, nil
}

// addPrevOutsFile merges the --prevouts list (one per input, in order) into given.
func addPrevOutsFile(given map[tx.OutPoint]tx.PrevOut, list []tx.PrevOut, t *tx.Tx, path string) error {
	if len(list) != len(t.Inputs) {
		return fmt.Errorf("--prevouts %s has %d previous outputs for %d inputs", path, len(list), len(t.Inputs))
	}
	for i, po := range list {
		op := t.Inputs[i].PreviousOutput
		if po.OutPoint != (tx.OutPoint{}) && po.OutPoint != op {
			return fmt.Errorf("--prevouts %s: entry %d is %s:%d but input %d spends %s:%d", path, i,
				po.OutPoint.Hash, po.OutPoint.Index, i, op.Hash, op.Index)
		}
		if _, dup := given[op]; dup {
			return fmt.Errorf("%s:%d is given both by --prevout and by --prevouts", op.Hash, op.Index)
		}
		po.OutPoint = op
		given[op] = po
	}
	return nil
}

// resolvePrevOuts lists the output each input spends: from a previous transaction when one
// holds it (a --prevout must then agree on value and script), else from what was given.
func resolvePrevOuts(t *tx.Tx, given map[tx.OutPoint]tx.PrevOut, prevTxs []*tx.Tx) ([]tx.PrevOut, error) {
	byHash := make(map[mvs.Hash]*tx.Tx, len(prevTxs))
	for _, pt := range prevTxs {
		byHash[pt.Hash()] = pt
	}
	out := make([]tx.PrevOut, len(t.Inputs))
	used := make(map[tx.OutPoint]bool, len(given))
	for i, in := range t.Inputs {
		op := in.PreviousOutput
		g, haveGiven := given[op]
		used[op] = haveGiven
		pt, haveTx := byHash[op.Hash]
		switch {
		case haveTx:
			if int(op.Index) >= len(pt.Outputs) {
				return nil, fmt.Errorf("input %d spends %s:%d, but that transaction in --prev-txs has %d outputs", i, op.Hash, op.Index, len(pt.Outputs))
			}
			o := pt.Outputs[op.Index]
			if haveGiven && (g.Value != o.Value || !bytes.Equal(g.Script, o.Script)) {
				return nil, fmt.Errorf("input %d: the previous output given is %d satoshi with script %x, but the transaction in --prev-txs says %d satoshi with script %x",
					i, g.Value, g.Script, o.Value, o.Script)
			}
			out[i] = tx.PrevOut{OutPoint: op, Value: o.Value, Script: o.Script, Attachment: o.Attachment}
		case haveGiven:
			out[i] = g
		default:
			return nil, missing(fmt.Sprintf("--prevout for input %d (%s:%d)", i, op.Hash, op.Index))
		}
	}
	for op := range given {
		if !used[op] {
			return nil, fmt.Errorf("--prevout %s:%d is not spent by the transaction", op.Hash, op.Index)
		}
	}
	return out, nil
}

// parseRedeemFlags reads --redeem-script INDEX:HEX values into a per-input list.
func parseRedeemFlags(args []string, inputs int) ([][]byte, error) {
	if len(args) == 0 {
		return nil, nil
	}
	redeem := make([][]byte, inputs)
	for _, a := range args {
		is, h, ok := strings.Cut(a, ":")
		i, err := strconv.Atoi(is)
		if !ok || err != nil {
			return nil, fmt.Errorf("--redeem-script %q: want INDEX:HEX", a)
		}
		if i < 0 || i >= inputs {
			return nil, fmt.Errorf("--redeem-script %q: the transaction has inputs 0 to %d", a, inputs-1)
		}
		if redeem[i] != nil {
			return nil, fmt.Errorf("--redeem-script for input %d is given twice", i)
		}
		b, err := decodeHexArg(fmt.Sprintf("--redeem-script %q", a), h)
		if err != nil {
			return nil, err
		}
		redeem[i] = b
	}
	return redeem, nil
}

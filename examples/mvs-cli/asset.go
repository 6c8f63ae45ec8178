package main

import (
	"flag"
	"fmt"

	"github.com/mvsgo/mvs/asset"
)

const assetUsage = `Usage: mvs-cli asset VERB [flags]

Verbs:
  expand --amount N MODEL
        check an attenuation model for a new lock of N units, as the node's wallet does, and
        print the param that goes on chain, e.g.
        mvs-cli asset expand --amount 10000 "TYPE=1;LQ=9000;LP=60000;UN=3"
  unlock --amount N --blocks B PARAM
        print, as JSON, how much of N units locked under PARAM is spendable B blocks after
        the locked output was confirmed, how much stays locked, and the param it continues
        with (none once the lock has matured)

Run mvs-cli asset VERB --help for one verb's arguments, flags, output and exit statuses.
`

const assetExpandUsage = `Usage: mvs-cli asset expand --amount N MODEL

Checks an attenuation MODEL (the node's "TYPE=...;LQ=...;LP=...;UN=..." text) for a new
lock of N units, as the node's wallet does, and prints the full param that goes on chain
(with PN and LH filled in), e.g.
  mvs-cli asset expand --amount 10000 "TYPE=1;LQ=9000;LP=60000;UN=3"
  PN=0;LH=20000;TYPE=1;LQ=9000;LP=60000;UN=3

Arguments:
  MODEL        the attenuation model

Flags:
  --amount N   units of the asset the lock holds (required)

Exit status: 0 printed; 1 error (a model the node would refuse: one line on stderr).`

const assetUnlockUsage = `Usage: mvs-cli asset unlock --amount N --blocks B PARAM

Prints, as JSON {"available", "locked", "next_param"}, how much of N units locked under the
on-chain PARAM is spendable B blocks after the locked output was confirmed, how much stays
locked, and the param the rest continues under (null once the lock has matured).

Arguments:
  PARAM        the attenuation param of the locked output (PN=...;LH=...;TYPE=...)

Flags:
  --amount N   units the locked output holds (required)
  --blocks B   blocks since the locked output was confirmed (required)

Exit status: 0 printed; 1 error (a param that does not fit the amount: one line on stderr).`

// oneModelArg parses the verb's flags and its single MODEL/PARAM argument, and names the
// required flags and the argument the command line lacks.
func oneModelArg(fs *flag.FlagSet, args []string, help, name string, required ...string) (string, error) {
	pos, err := parseArgs(fs, args, help)
	if err != nil {
		return "", err
	}
	var miss []string
	for _, f := range required {
		if !isSet(fs, f) {
			miss = append(miss, "--"+f)
		}
	}
	if len(pos) == 0 {
		miss = append(miss, name)
	}
	if len(miss) > 0 {
		return "", missing(miss...)
	}
	if len(pos) > 1 {
		return "", fmt.Errorf("unexpected argument %q (one %s only; quote it)", pos[1], name)
	}
	return pos[0], nil
}

func assetExpand(e *env, args []string) error {
	fs := newFlags("asset expand")
	amount := fs.Uint64("amount", 0, "units the lock holds")
	model, err := oneModelArg(fs, args, assetExpandUsage, "MODEL", "amount")
	if err != nil {
		return err
	}
	param, err := asset.ExpandModel(model, *amount)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(e.stdout, param)
	return err
}

type assetUnlockJSON struct {
	Available uint64  `json:"available"`
	Locked    uint64  `json:"locked"`
	NextParam *string `json:"next_param"`
}

func assetUnlock(e *env, args []string) error {
	fs := newFlags("asset unlock")
	amount := fs.Uint64("amount", 0, "units the locked output holds")
	blocks := fs.Uint64("blocks", 0, "blocks since the locked output was confirmed")
	param, err := oneModelArg(fs, args, assetUnlockUsage, "PARAM", "amount", "blocks")
	if err != nil {
		return err
	}
	if err := asset.ValidateModel([]byte(param), *amount); err != nil {
		return err
	}
	free, next := asset.Unlock(*amount, *blocks, []byte(param))
	out := assetUnlockJSON{Available: free}
	if free < *amount {
		out.Locked = *amount - free
	}
	if next != nil {
		s := string(next)
		out.NextParam = &s
	}
	return printJSON(e.stdout, out)
}

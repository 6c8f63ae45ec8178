package main

import (
	"flag"
	"fmt"

	"github.com/mvsgo/mvs/asset"
)

const assetUsage = `Usage: mvs-cli asset VERB [options]

Verbs:
  expand --amount N MODEL
        check an attenuation model for a new lock of N units, as the node's wallet does, and
        print the param that goes on chain, e.g.
        mvs-cli asset expand --amount 10000 "TYPE=1;LQ=9000;LP=60000;UN=3"
  unlock --amount N --blocks B PARAM
        print, as JSON, how much of N units locked under PARAM is spendable B blocks after
        the locked output was confirmed, how much stays locked, and the param it continues
        with (none once the lock has matured)
`

func cmdAsset(e *env, args []string) error {
	return runVerb(e, args, "asset", assetUsage, map[string]verb{
		"expand": assetExpand,
		"unlock": assetUnlock,
	})
}

// oneModelArg parses the verb's flags and its single MODEL/PARAM argument.
func oneModelArg(fs *flag.FlagSet, args []string, help string) (string, error) {
	pos, err := parseArgs(fs, args, help)
	if err != nil {
		return "", err
	}
	if len(pos) != 1 {
		return "", usage(help, false)
	}
	return pos[0], nil
}

func assetExpand(e *env, args []string) error {
	fs := newFlags("asset expand")
	amount := fs.Uint64("amount", 0, "units the lock holds")
	model, err := oneModelArg(fs, args, "Usage: mvs-cli asset expand --amount N MODEL")
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
	param, err := oneModelArg(fs, args, "Usage: mvs-cli asset unlock --amount N --blocks B PARAM")
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

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
)

const chainCheckTxUsage = `Usage: mvs-cli chain check-tx --datadir D [--net N] [HEX]

Judges a transaction against the state at the tip as the next block would: every consensus
rule of a non-coinbase transaction (sanity, lock times and sequence locks at the tip's
height plus one and its median time past, deposits, the asset, certificate, MIT and DID
rules against the stored registries, each input's existence, maturity, value and script,
the fee), and no memory-pool policy. What an exchange runs on a withdrawal before
broadcasting it. Only stored outputs count: spending one that a stored transaction already
spent, or an output of a transaction not yet in a block, is refused as ErrMissingInput.

Prints {"valid":true,"fee":N,"txid":...} or {"valid":false,"code":N,"rule":"ErrX",
"error":"..."}, the rule being chain's error code name; "tip_hash" and "tip_height" say
which state it was judged against.

Arguments:
  HEX           the signed transaction in hex; read from stdin when absent or "-"

Flags:
` + chainFlagsHelp + `

Exit status: 0 valid; 1 invalid (the JSON names the rule), or an error: the transaction
could not be judged (one line on stderr, no JSON).`

const chainVerifyUsage = `Usage: mvs-cli chain verify --datadir D [--net N] [--tmpdir T] [--ethash-dir D] [--ethash-test-sizes]

Checks the store in D against its own blocks: first the store's internal consistency
(store.Check: indexes, undo data, bodies), then it rebuilds the whole state (the UTXO set,
the indexes, the asset, certificate, MIT and DID registries) by validating every stored
main-chain block again into a temporary store, and compares the two digests. A mismatch
means the stored state is not what its blocks make: do not trust the store. The temporary
store needs about the space of D/chain.db and is removed at the end.

A store that has seen side chains or headers ahead of their bodies keeps those headers,
which a rebuild from the main chain does not: its digest then differs.

Prints JSON: "valid", "check" ("ok" or the inconsistency), "blocks" (rebuilt),
"tip_hash", "tip_height", "digest", "rebuilt_digest", and "invalid" when a stored block
no longer validates ("hash", "height", "code", "rule", "error").

Flags:
` + chainFlagsHelp + `
  --tmpdir T    where the temporary store goes; default the system's temporary directory
` + ethashFlagsHelp + `

Exit status: 0 the store matches its blocks; 1 it does not (the JSON says how), or an error.`

// checkTxJSON is chain check-tx's result.
type checkTxJSON struct {
	Valid bool   `json:"valid"`
	TxID  string `json:"txid"`
	Fee   *int64 `json:"fee,omitempty"`
	*ruleJSON
	TipHash   string `json:"tip_hash"`
	TipHeight uint32 `json:"tip_height"`
}

func chainCheckTx(e *env, args []string) error {
	fs := newFlags("chain check-tx")
	cf := newChainFlags(fs)
	pos, err := parseArgs(fs, args, chainCheckTxUsage)
	if err != nil {
		return err
	}
	raw, err := hexFromArgsOrStdin(e, "transaction", "HEX", pos)
	if err != nil {
		return err
	}
	t, err := tx.Decode(raw)
	if err != nil {
		return err
	}
	st, p, err := cf.open(fs, false)
	if err != nil {
		return err
	}
	defer st.Close()
	fee, at, err := chain.CheckTxAtTip(t, st, p)
	var re *chain.RuleError
	if err != nil && !errors.As(err, &re) {
		return fmt.Errorf("the transaction could not be judged: %w", err)
	}
	tip, height := at.TipHash, at.TipHeight
	out := checkTxJSON{TxID: t.Hash().String(), TipHash: tip.String(), TipHeight: height}
	if re != nil {
		out.ruleJSON = toRuleJSON(re)
	} else {
		out.Valid = true
		f := int64(fee)
		out.Fee = &f
	}
	if err := printJSON(e.stdout, out); err != nil {
		return err
	}
	if !out.Valid {
		return &exitError{code: exitFailure}
	}
	return nil
}

// verifyJSON is chain verify's result.
type verifyJSON struct {
	Valid         bool         `json:"valid"`
	Check         string       `json:"check"`
	Blocks        int          `json:"blocks"`
	TipHash       string       `json:"tip_hash"`
	TipHeight     uint32       `json:"tip_height"`
	Digest        string       `json:"digest"`
	RebuiltDigest string       `json:"rebuilt_digest,omitempty"`
	Invalid       *invalidJSON `json:"invalid,omitempty"`
}

func chainVerify(e *env, args []string) error {
	fs := newFlags("chain verify")
	cf := newChainFlags(fs)
	ef := newEthashFlags(fs)
	tmp := fs.String("tmpdir", "", "where the temporary store goes")
	pos, err := parseArgs(fs, args, chainVerifyUsage)
	if err != nil {
		return err
	}
	if err := noArgs(pos); err != nil {
		return err
	}
	st, p, v, err := openSealed(fs, cf, ef, false)
	if err != nil {
		return err
	}
	defer st.Close()
	defer v.Close()

	out := verifyJSON{Check: "ok"}
	tip, height, err := st.Tip()
	if err != nil {
		return err
	}
	out.TipHash, out.TipHeight = tip.String(), height
	digest, err := st.Digest()
	if err != nil {
		return err
	}
	out.Digest = digest.String()
	if err := st.Check(); err != nil {
		if !errors.Is(err, store.ErrCorrupt) {
			return err
		}
		out.Check = plainMessage(err.Error())
	}

	dir, err := os.MkdirTemp(*tmp, "mvs-cli-verify-")
	if err != nil {
		return fmt.Errorf("--tmpdir: %v", unwrapPath(err))
	}
	defer os.RemoveAll(dir)
	rebuilt, err := store.Open(filepath.Join(dir, storeFile), store.Options{Params: p, NoSync: true})
	if err != nil {
		return fmt.Errorf("the temporary store: %w", err)
	}
	defer rebuilt.Close()
	c, err := chain.New(chain.Config{Params: p, Store: rebuilt, State: chain.NewStoreState(rebuilt, p), Seal: v})
	if err != nil {
		return err
	}
	defer c.Close()
	err = st.View(func(sn *store.Snapshot) error {
		for h := uint32(1); h <= height; h++ {
			hash, err := sn.HashAt(h)
			if err != nil {
				return fmt.Errorf("the stored main chain at height %d: %w", h, err)
			}
			raw, err := sn.RawBlock(hash)
			if err != nil {
				return fmt.Errorf("the stored block %d %s: %w", h, hash, err)
			}
			blk, err := block.Decode(raw)
			if err != nil {
				out.Invalid = &invalidJSON{Hash: hash.String(), Height: h, ruleJSON: ruleJSON{Error: "the stored block does not decode: " + plainMessage(err.Error())}}
				return nil
			}
			res, err := c.ProcessBlock(context.Background(), blk, raw)
			var re *chain.RuleError
			switch {
			case errors.As(err, &re):
				out.Invalid = &invalidJSON{Hash: hash.String(), Height: h, ruleJSON: *toRuleJSON(re)}
				return nil
			case err != nil:
				return fmt.Errorf("block %d %s: %w", h, hash, err)
			case res.Verdict != chain.MainChain:
				out.Invalid = &invalidJSON{Hash: hash.String(), Height: h, ruleJSON: ruleJSON{
					Error: fmt.Sprintf("the stored main-chain block rebuilds as %s", res.Verdict)}}
				return nil
			}
			out.Blocks++
		}
		return nil
	})
	if err != nil {
		return err
	}
	if out.Invalid == nil {
		d, err := rebuilt.Digest()
		if err != nil {
			return err
		}
		out.RebuiltDigest = d.String()
	}
	out.Valid = out.Check == "ok" && out.Invalid == nil && out.RebuiltDigest == out.Digest
	if err := printJSON(e.stdout, out); err != nil {
		return err
	}
	if !out.Valid {
		return &exitError{code: exitFailure, msg: verifyFailure(out)}
	}
	return nil
}

// verifyFailure says in one line why verify failed.
func verifyFailure(out verifyJSON) string {
	switch {
	case out.Check != "ok":
		return "the store is inconsistent: " + out.Check
	case out.Invalid != nil:
		return fmt.Sprintf("the stored block %d %s no longer validates: %s", out.Invalid.Height, out.Invalid.Hash, out.Invalid.Error)
	}
	return fmt.Sprintf("the store's digest %s differs from the rebuilt state's %s: the stored state is not what its blocks make",
		out.Digest, out.RebuiltDigest)
}

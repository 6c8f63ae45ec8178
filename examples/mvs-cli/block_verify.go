package main

import (
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/ethash"
)

const blockVerifyUsage = `Usage: mvs-cli block verify [--ethash-dir D] [--net mainnet|testnet] HEX

Runs every context-free check and, for PoW blocks, the Ethash seal (light mode; the
epoch's cache is kept in D when given, else built in memory: about 1 s). Prints
{"valid", "hash", "checks": {name: {"ok", "error"}}, "seal": {...}}; exit status 0 only
when the block is valid.`

type checkJSON struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

type sealJSON struct {
	checkJSON
	SealHash string `json:"seal_hash"`
	Mix      string `json:"mix,omitempty"`
	Result   string `json:"result,omitempty"`
	Boundary string `json:"boundary"`
}

func toCheck(err error) checkJSON {
	if err != nil {
		return checkJSON{Error: err.Error()}
	}
	return checkJSON{OK: true}
}

func blockVerify(e *env, args []string) error {
	fs := newFlags("block verify")
	dir := fs.String("ethash-dir", "", "directory for Ethash cache files")
	net := netFlag(fs)
	pos, err := parseArgs(fs, args, blockVerifyUsage)
	if err != nil {
		return err
	}
	if _, err := net(); err != nil {
		return err
	}
	b, err := decodeBlockArg(e, pos)
	if err != nil {
		return err
	}
	c := b.Check()
	checks := map[string]checkJSON{
		"version": toCheck(c.Version), "size": toCheck(c.Size), "coinbase": toCheck(c.Coinbase),
		"merkle": toCheck(c.Merkle), "transactions": toCheck(c.Transaction), "sigops": toCheck(c.SigOps),
	}
	valid := c.Err() == nil
	if b.Header.Version == block.VersionPoS || b.Header.Version == block.VersionDPoS {
		checks["signature"] = toCheck(c.Signature)
	}
	out := struct {
		Valid  bool                 `json:"valid"`
		Hash   string               `json:"hash"`
		Height uint32               `json:"height"`
		Checks map[string]checkJSON `json:"checks"`
		Seal   *sealJSON            `json:"seal,omitempty"`
	}{Hash: b.Hash().String(), Height: b.Header.Height, Checks: checks}
	if b.Header.Version == block.VersionPoW {
		v := ethash.New(ethash.Config{Dir: *dir})
		defer v.Close()
		sh := b.Header.SealHash()
		s := &sealJSON{SealHash: hex.EncodeToString(sh[:]), Boundary: fmt.Sprintf("%064x", block.Boundary(b.Header.Bits))}
		mix, result, err := v.Hash(uint64(b.Header.Height), sh, b.Header.Nonce)
		if err == nil {
			s.Mix, s.Result = hex.EncodeToString(mix[:]), hex.EncodeToString(result[:])
			err = ethash.CheckSeal(mix, result, b.Header.MixHash, block.Boundary(b.Header.Bits))
			var se *ethash.SealError
			if errors.As(err, &se) {
				err = se.Check // mix and result are printed beside it
			}
		}
		s.checkJSON = toCheck(err)
		valid = valid && err == nil
		out.Seal = s
	}
	out.Valid = valid
	if err := printJSON(e.stdout, out); err != nil {
		return err
	}
	if !valid {
		return &exitError{code: 1}
	}
	return nil
}

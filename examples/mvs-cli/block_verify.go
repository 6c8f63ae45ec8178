package main

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/ethash"
)

const blockVerifyUsage = `Usage: mvs-cli block verify [--ethash-dir D] [--net mainnet|testnet|regtest] [HEX]

Runs every context-free check of the block HEX and, for PoW blocks, the Ethash seal (light
mode), and prints
  {"valid", "hash", "height", "checks": {name: {"ok", "error"}},
   "seal": {"ok", "error", "seal_hash", "mix", "result", "boundary"}}
The network's genesis block is valid by definition (it carries no real seal): it is
recognised byte for byte and reported as {"valid": true, "genesis": NETWORK, "note"}
without checks.

Arguments:
  HEX              the block in hex; read from stdin when absent or "-"

Flags:
  --ethash-dir D   keep the epoch's Ethash cache file in D (built there when absent);
                   without it the cache is built in memory (about 1 s per epoch)
  --net N          network: mainnet (default), testnet or regtest; decides which genesis
                   block is valid by definition

Exit status: 0 valid; 1 invalid (the JSON says which check failed) or an error (one line on
stderr).`

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
		return checkJSON{Error: plainMessage(err.Error())}
	}
	return checkJSON{OK: true}
}

type blockVerdict struct {
	Valid   bool                 `json:"valid"`
	Hash    string               `json:"hash"`
	Height  uint32               `json:"height"`
	Genesis string               `json:"genesis,omitempty"`
	Note    string               `json:"note,omitempty"`
	Checks  map[string]checkJSON `json:"checks,omitempty"`
	Seal    *sealJSON            `json:"seal,omitempty"`
}

func blockVerify(e *env, args []string) error {
	fs := newFlags("block verify")
	dir := fs.String("ethash-dir", "", "directory for Ethash cache files")
	net := netFlag(fs)
	pos, err := parseArgs(fs, args, blockVerifyUsage)
	if err != nil {
		return err
	}
	p, err := net()
	if err != nil {
		return err
	}
	b, err := decodeBlockArg(e, pos)
	if err != nil {
		return err
	}
	if name, err := genesisOf(b, p); err != nil {
		return err
	} else if name != "" {
		return printJSON(e.stdout, blockVerdict{Valid: true, Hash: b.Hash().String(), Genesis: name,
			Note: "the " + name + " genesis block: valid by definition (it carries no real seal)"})
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
	out := blockVerdict{Hash: b.Hash().String(), Height: b.Header.Height, Checks: checks}
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
		return &exitError{code: exitFailure}
	}
	return nil
}

// genesisOf returns p's name when b is p's genesis block, byte for byte. The genesis of
// another network is refused with the --net that accepts it: it is valid there only.
func genesisOf(b *block.Block, p *mvs.Params) (string, error) {
	if b.Header.Height != 0 {
		return "", nil
	}
	raw := b.Bytes()
	for _, q := range []*mvs.Params{p, mvs.MainNet(), mvs.TestNet(), mvs.RegTest()} {
		g, err := block.Genesis(q)
		if err != nil {
			return "", err
		}
		if g.Hash() != b.Hash() || !bytes.Equal(g.Bytes(), raw) {
			continue
		}
		if q.Name != p.Name {
			return "", fmt.Errorf("this is the %s genesis block, not %s's: pass --net %s", q.Name, p.Name, q.Name)
		}
		return q.Name, nil
	}
	return "", nil
}

package main

import (
	"encoding/hex"
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/tx"
)

const blockUsage = `Usage: mvs-cli block VERB [options]

Verbs:
  decode [--net mainnet|testnet] HEX     print the block as JSON (HEX or stdin)
  verify [--ethash-dir D] [--net N] HEX  run every context-free check and the Ethash seal;
                                         JSON verdict, exit status 0 only when valid
`

func cmdBlock(e *env, args []string) error {
	return runVerb(e, args, "block", blockUsage, map[string]verb{
		"decode": blockDecode,
		"verify": blockVerify,
	})
}

// blockJSON is the JSON shape mvs-cli prints for a block.
type blockJSON struct {
	Hash              string       `json:"hash"`
	SealHash          string       `json:"seal_hash,omitempty"`
	Version           uint32       `json:"version"`
	Height            uint32       `json:"height"`
	PreviousBlockHash mvs.Hash     `json:"previous_block_hash"`
	MerkleRoot        mvs.Hash     `json:"merkle_root"`
	Timestamp         uint32       `json:"timestamp"`
	Bits              string       `json:"bits"`
	Nonce             string       `json:"nonce"`
	MixHash           string       `json:"mixhash"`
	TxCount           int          `json:"transaction_count"`
	Transactions      []*tx.JSONTx `json:"transactions"`
	Signature         string       `json:"signature,omitempty"`
	PublicKey         string       `json:"public_key,omitempty"`
}

func toBlockJSON(b *block.Block, p *mvs.Params) *blockJSON {
	h := &b.Header
	j := &blockJSON{Hash: b.Hash().String(), Version: h.Version, Height: h.Height,
		PreviousBlockHash: h.PreviousBlockHash, MerkleRoot: h.MerkleRoot, Timestamp: h.Timestamp,
		Bits: h.Bits.String(), Nonce: fmt.Sprint(h.Nonce), MixHash: hex.EncodeToString(h.MixHash[:]),
		TxCount: len(b.Transactions), Transactions: make([]*tx.JSONTx, len(b.Transactions))}
	if h.Version == block.VersionPoW {
		s := h.SealHash()
		j.SealHash = hex.EncodeToString(s[:])
	}
	for i := range b.Transactions {
		j.Transactions[i] = b.Transactions[i].ToJSON(p)
	}
	if h.Version == block.VersionPoS || h.Version == block.VersionDPoS {
		j.Signature = hex.EncodeToString(b.Signature[:])
	}
	if h.Version == block.VersionDPoS {
		j.PublicKey = hex.EncodeToString(b.PublicKey[:])
	}
	return j
}

func blockDecode(e *env, args []string) error {
	fs := newFlags("block decode")
	net := netFlag(fs)
	pos, err := parseArgs(fs, args, "Usage: mvs-cli block decode [--net mainnet|testnet] HEX\n\nPrints the block as JSON; HEX may also come on stdin.")
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
	return printJSON(e.stdout, toBlockJSON(b, p))
}

// decodeBlockArg decodes the block given as the one positional hex argument or on stdin.
func decodeBlockArg(e *env, pos []string) (*block.Block, error) {
	raw, err := hexFromArgsOrStdin(e, "block hex", pos)
	if err != nil {
		return nil, err
	}
	b, err := block.Decode(raw)
	if err != nil {
		return nil, fmt.Errorf("decoding block: %w", err)
	}
	return b, nil
}

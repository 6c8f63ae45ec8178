package main

import (
	"encoding/hex"
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/tx"
)

const blockUsage = `Usage: mvs-cli block VERB [flags]

Verbs:
  decode [--net N] [HEX]                 print the block as JSON (HEX or stdin)
  header [--net N] [HEX]                 print a 148-byte header alone as JSON
  verify [--ethash-dir D] [--net N] [HEX]
                                         run every context-free check and the Ethash
                                         seal; JSON verdict, exit status 0 only when valid

Run mvs-cli block VERB --help for one verb's arguments, flags, output and exit statuses.
`

const blockDecodeUsage = `Usage: mvs-cli block decode [--net mainnet|testnet|regtest] [HEX]

Decodes a whole block and prints it as JSON: the header ("hash", "seal_hash" for PoW,
"version", "height", "previous_block_hash", "merkle_root", "timestamp", "bits", "nonce",
"mixhash"), "transaction_count", "transactions" (as tx decode prints them), and for PoS and
DPoS blocks "signature" (and "public_key").

Arguments:
  HEX       the block in hex; read from stdin when absent or "-"

Flags:
  --net N   network whose address versions the output addresses use: mainnet (default),
            testnet or regtest

Exit status: 0 decoded; 1 error (not hex, not a block: one line on stderr).`

const blockHeaderUsage = `Usage: mvs-cli block header [--net mainnet|testnet|regtest] [HEX]

Decodes a 148-byte block header alone (PoW, PoS or DPoS) and prints it as JSON with the
field names of block decode: "hash", "seal_hash" (PoW only: the hash Ethash seals),
"version", "height", "previous_block_hash", "merkle_root", "timestamp", "bits", "nonce",
"mixhash".

Arguments:
  HEX       the header in hex, exactly 148 bytes; read from stdin when absent or "-"

Flags:
  --net N   accepted for symmetry with block decode (a header holds no addresses)

Exit status: 0 decoded; 1 error (not hex, not 148 bytes: one line on stderr).`

// headerJSON is the JSON shape mvs-cli prints for a header, alone or inside a block.
type headerJSON struct {
	Hash              string   `json:"hash"`
	SealHash          string   `json:"seal_hash,omitempty"`
	Version           uint32   `json:"version"`
	Height            uint32   `json:"height"`
	PreviousBlockHash mvs.Hash `json:"previous_block_hash"`
	MerkleRoot        mvs.Hash `json:"merkle_root"`
	Timestamp         uint32   `json:"timestamp"`
	Bits              string   `json:"bits"`
	Nonce             string   `json:"nonce"`
	MixHash           string   `json:"mixhash"`
}

// blockJSON is the JSON shape mvs-cli prints for a block: the header's fields, then the
// transactions and the PoS/DPoS trailer.
type blockJSON struct {
	headerJSON
	TxCount      int          `json:"transaction_count"`
	Transactions []*tx.JSONTx `json:"transactions"`
	Signature    string       `json:"signature,omitempty"`
	PublicKey    string       `json:"public_key,omitempty"`
}

func toHeaderJSON(h *block.Header) headerJSON {
	j := headerJSON{Hash: h.Hash().String(), Version: h.Version, Height: h.Height,
		PreviousBlockHash: h.PreviousBlockHash, MerkleRoot: h.MerkleRoot, Timestamp: h.Timestamp,
		Bits: h.Bits.String(), Nonce: fmt.Sprint(h.Nonce), MixHash: hex.EncodeToString(h.MixHash[:])}
	if h.Version == block.VersionPoW {
		s := h.SealHash()
		j.SealHash = hex.EncodeToString(s[:])
	}
	return j
}

func toBlockJSON(b *block.Block, p *mvs.Params) *blockJSON {
	h := &b.Header
	j := &blockJSON{headerJSON: toHeaderJSON(h), TxCount: len(b.Transactions), Transactions: make([]*tx.JSONTx, len(b.Transactions))}
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
	pos, err := parseArgs(fs, args, blockDecodeUsage)
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

func blockHeader(e *env, args []string) error {
	fs := newFlags("block header")
	net := netFlag(fs)
	pos, err := parseArgs(fs, args, blockHeaderUsage)
	if err != nil {
		return err
	}
	if _, err := net(); err != nil {
		return err
	}
	raw, err := hexFromArgsOrStdin(e, "header hex", "HEX", pos)
	if err != nil {
		return err
	}
	if len(raw) != mvs.HeaderSize {
		hint := ""
		if len(raw) > mvs.HeaderSize {
			hint = " (for a whole block use block decode)"
		}
		return fmt.Errorf("a block header is %d bytes, got %d%s", mvs.HeaderSize, len(raw), hint)
	}
	h, err := block.DecodeHeader(raw)
	if err != nil {
		return fmt.Errorf("not a block header: %w", err)
	}
	return printJSON(e.stdout, toHeaderJSON(h))
}

// decodeBlockArg decodes the block given as the one positional hex argument or on stdin.
func decodeBlockArg(e *env, pos []string) (*block.Block, error) {
	raw, err := hexFromArgsOrStdin(e, "block hex", "HEX", pos)
	if err != nil {
		return nil, err
	}
	b, err := block.Decode(raw)
	if err != nil {
		return nil, fmt.Errorf("not a block: %w", err)
	}
	return b, nil
}

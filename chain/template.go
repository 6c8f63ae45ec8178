package chain

import (
	"errors"
	"fmt"
	"math"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// Candidate is a transaction for a block template with the fee it pays (a memory pool
// knows it from judging it).
type Candidate struct {
	Tx  *tx.Tx
	Fee mvs.Amount
}

// TemplateConfig is what NewPoWTemplate needs.
type TemplateConfig struct {
	Params *mvs.Params
	// Parent is the block the template extends; Branch reads Parent's branch by height
	// (the difficulty is computed from its earlier PoW blocks, as the rules check it).
	Parent *block.Header
	Branch HeaderChain
	// Txs go in this order after the coinbase and the deposit-interest coinbases: parents
	// before children.
	Txs []Candidate
	// PayTo is the coinbase output script (script.PayToAddress of the miner's address).
	PayTo []byte
	// Tag goes in the coinbase input after the height (BIP34), telling miners' blocks apart;
	// at most 75 bytes (one direct push).
	Tag []byte
	// Timestamp is the header's time; it must be above the median time past and not ahead
	// of the clock by more than the rules allow. Zero is Parent's plus one second.
	Timestamp uint32
}

// ErrTemplate: NewPoWTemplate was given an unusable config.
var ErrTemplate = errors.New("chain: invalid block template config")

// NewPoWTemplate builds an unsealed PoW block on cfg.Parent, as the reference node's miner
// does: a coinbase paying the subsidy plus the fees to PayTo with the height first in its
// script (BIP34), then one deposit-interest coinbase per lock-height deposit output of the
// transactions, in order (create_coinage_reward_tx: CoinageReward paid to the depositor,
// locked as long), then the transactions. The header has the merkle root and the required
// difficulty; sealing it (Nonce, MixHash: ethash over SealHash) is the caller's. The
// block is what ProcessBlock accepts when the transactions are valid in that order.
func NewPoWTemplate(cfg TemplateConfig) (*block.Block, error) {
	switch {
	case cfg.Params == nil || cfg.Parent == nil || cfg.Branch == nil:
		return nil, fmt.Errorf("%w: Params, Parent and Branch are required", ErrTemplate)
	case len(cfg.PayTo) == 0:
		return nil, fmt.Errorf("%w: no coinbase script", ErrTemplate)
	case len(cfg.Tag) > 75:
		return nil, fmt.Errorf("%w: a %d-byte tag", ErrTemplate, len(cfg.Tag))
	}
	p := cfg.Params
	height := cfg.Parent.Height + 1
	fees := mvs.Amount(0)
	for _, c := range cfg.Txs {
		var ok bool
		if fees, ok = fees.Add(c.Fee); !ok {
			return nil, fmt.Errorf("%w: fees overflow", ErrTemplate)
		}
	}
	value, ok := block.Subsidy(height, block.VersionPoW, p).Add(fees)
	if !ok {
		return nil, fmt.Errorf("%w: subsidy plus fees overflow", ErrTemplate)
	}
	sig := heightScript(height)
	if len(cfg.Tag) > 0 {
		sig = append(append(sig, byte(len(cfg.Tag))), cfg.Tag...) // a direct push
	}
	sig = sig[:len(sig):len(sig)] // the interest coinbases append to copies
	blk := &block.Block{Transactions: []tx.Tx{{Version: 1,
		Inputs:  []tx.Input{{PreviousOutput: tx.OutPoint{Index: math.MaxUint32}, Script: sig, Sequence: math.MaxUint32}},
		Outputs: []tx.Output{{Value: value, Script: cfg.PayTo, Attachment: tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeETP}}}}}}
	n := 0
	for _, c := range cfg.Txs {
		if c.Tx == nil || c.Tx.IsCoinbase() {
			return nil, fmt.Errorf("%w: a nil or coinbase transaction", ErrTemplate)
		}
		for _, o := range c.Tx.Outputs {
			s := script.NodeForm(o.Script)
			lock, ok := script.DepositLockHeight(s)
			addr, addrOK := s.Address(p)
			if s.Class() != script.PayKeyHashWithLockHeight || !ok || !addrOK || lock < 0 || lock > math.MaxUint32 {
				continue
			}
			// The height, the tag and the coinbase's place make its txid unique.
			n++
			isig := append(sig, 2, byte(n), byte(n>>8))
			blk.Transactions = append(blk.Transactions, tx.Tx{Version: 1,
				Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Index: math.MaxUint32}, Script: isig, Sequence: math.MaxUint32}},
				Outputs: []tx.Output{{Value: CoinageReward(lock, o.Value, p), Script: script.LockHeightDeposit(addr.Hash, uint32(lock)),
					Attachment: tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeETP}}}})
		}
	}
	for _, c := range cfg.Txs {
		blk.Transactions = append(blk.Transactions, *c.Tx)
	}
	ts := cfg.Timestamp
	if ts == 0 {
		ts = cfg.Parent.Timestamp + 1
	}
	h := &blk.Header
	*h = block.Header{Version: block.VersionPoW, PreviousBlockHash: cfg.Parent.Hash(), Timestamp: ts, Height: height,
		MerkleRoot: block.MerkleRoot(blk.TxHashes())}
	h.Bits = RequiredBits(h, cfg.Branch, p)
	return blk, nil
}

// heightScript is the coinbase script's first push: the height, as BIP34 requires.
func heightScript(height uint32) []byte {
	hb := script.NumBytes(int64(height))
	return append([]byte{byte(len(hb))}, hb...)
}

package main

import (
	"context"
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/rpcclient"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// Catch-up reads blocks serialized (getblock's raw form) when the follower knows the
// network: the node only copies bytes it has stored, where getblock's JSON has it render
// every transaction, and the explorer decodes them with the SDK's block and tx packages.
// rawBlock keeps what the index uses, in the shape the node's JSON has, with each
// output's address read from its script as the node's JSON reads it (tx.Tx.ToJSON).

// rawBlock fetches block height serialized and decodes it for the index.
func rawBlock(ctx context.Context, n Node, p *mvs.Params, height uint64) (*rpcclient.Block, error) {
	raw, err := n.GetRawBlock(ctx, rpcclient.ByHeight(height))
	if err != nil {
		return nil, err
	}
	blk, err := block.Decode(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: block %d does not decode: %v", ErrBadBlock, height, err)
	}
	if uint64(blk.Header.Height) != height {
		return nil, fmt.Errorf("%w: asked for block %d, the node sent block %d", ErrBadBlock, height, blk.Header.Height)
	}
	return blockForIndex(blk, p)
}

// blockForIndex is blk as the index reads it.
func blockForIndex(blk *block.Block, p *mvs.Params) (*rpcclient.Block, error) {
	bits, err := rpcclient.NewUint256String(blk.Header.Bits.Big())
	if err != nil {
		return nil, fmt.Errorf("%w: block %d's bits: %v", ErrBadBlock, blk.Header.Height, err)
	}
	out := &rpcclient.Block{BlockHeader: rpcclient.BlockHeader{Hash: blk.Header.Hash(), PreviousBlockHash: blk.Header.PreviousBlockHash,
		Number: rpcclient.Uint64(blk.Header.Height), Timestamp: rpcclient.Uint64(blk.Header.Timestamp), Bits: bits},
		Transactions: make([]rpcclient.Tx, len(blk.Transactions))}
	for i := range blk.Transactions {
		t := &blk.Transactions[i]
		jt := rpcclient.Tx{Hash: t.Hash(), Outputs: make([]rpcclient.TxOutput, len(t.Outputs))}
		if !t.IsCoinbase() {
			jt.Inputs = make([]rpcclient.TxInput, len(t.Inputs))
			for j, in := range t.Inputs {
				jt.Inputs[j].PreviousOutput = rpcclient.OutPoint{Hash: in.PreviousOutput.Hash, Index: rpcclient.Uint64(in.PreviousOutput.Index)}
			}
		}
		for j := range t.Outputs {
			o := &t.Outputs[j]
			jo := rpcclient.TxOutput{Index: rpcclient.Uint64(j), Value: rpcclient.Uint64(o.Value)}
			switch a := o.Attachment.Payload.(type) {
			case *tx.AssetDetail:
				jo.Attachment = rpcclient.Attachment{Type: rpcclient.AttachmentAssetIssue, Symbol: a.Symbol, Quantity: u64ptr(a.MaximumSupply)}
			case *tx.AssetTransfer:
				jo.Attachment = rpcclient.Attachment{Type: rpcclient.AttachmentAssetTransfer, Symbol: a.Symbol, Quantity: u64ptr(a.Quantity)}
			default:
				jt.Outputs[j] = jo // only asset outputs' addresses are read
				continue
			}
			if addr, ok := script.Script(o.Script).Address(p); ok {
				jo.Address = addr.String()
			}
			jt.Outputs[j] = jo
		}
		out.Transactions[i] = jt
	}
	return out, nil
}

func u64ptr(v uint64) *rpcclient.Uint64 { u := rpcclient.Uint64(v); return &u }

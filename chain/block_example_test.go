package chain_test

import (
	"errors"
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// utxos is a UTXOView held in a map: the unspent set before the block.
type utxos map[tx.OutPoint]chain.UTXO

func (u utxos) UTXO(op tx.OutPoint) (chain.UTXO, bool, error) {
	x, ok := u[op]
	return x, ok, nil
}

func ExampleCheckBlockContext() {
	p := mvs.RegTest()
	const height = 1
	// The coinbase: the height push (BIP34), then the subsidy plus the fees CheckTx returned
	// for the block's other transactions (none here).
	var fees mvs.Amount
	payout := tx.Output{Value: block.Subsidy(height, block.VersionPoW, p) + fees,
		Script:     script.PayToPubKeyHash([20]byte{1}),
		Attachment: tx.Attachment{Type: tx.TypeETP}}
	coinbase := tx.Tx{Version: 1, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Index: 0xffffffff},
		Script: []byte{1, height}}}, Outputs: []tx.Output{payout}}
	blk := &block.Block{Header: block.Header{Version: block.VersionPoW, Height: height}, Transactions: []tx.Tx{coinbase}}

	bc := chain.BlockContext{Params: p, Height: height}
	// A PoW block without an MST reward needs neither lookup.
	err := chain.CheckBlockContext(blk, bc, utxos{}, fees, chain.BlockLookups{})
	fmt.Println("valid:", err == nil)

	blk.Transactions[0].Outputs[0].Value++
	err = chain.CheckBlockContext(blk, bc, utxos{}, fees, chain.BlockLookups{})
	fmt.Println("a satoshi more:", errors.Is(err, chain.ErrCoinbaseTooLarge))
	// Output:
	// valid: true
	// a satoshi more: true
}

package regtest

import (
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
	"github.com/mvsgo/mvs/wallet"
)

// MineSpends mines the Net up to height blocks, each block after the first dozen holding
// perBlock one-input P2PKH spends: perBlock chains of payments at Address(0), each spending
// its previous output (one split transaction funds them). It returns the Net's main chain
// from height 1. This is the bulk chain of import benchmarks and crash tests: real
// signatures, a growing UTXO history, every block valid.
func (n *Net) MineSpends(blocks, perBlock int) []*block.Block {
	n.t.Helper()
	n.Mine(10) // coinbases for the split
	a0 := n.Address(0)
	pay := script.PayToAddress(a0)
	per := mvs.Amount(blocks+1) * n.p.MinTxFee
	payments := make([]wallet.Payment, perBlock)
	for i := range payments {
		payments[i] = wallet.Payment{To: a0, Amount: per}
	}
	split := n.Build(n.Builder().Send(payments...))
	n.Mine(1, split)
	var prev []tx.OutPoint
	var values []mvs.Amount
	for i, o := range split.Outputs {
		if o.Value == per && len(prev) < perBlock {
			prev, values = append(prev, tx.OutPoint{Hash: split.Hash(), Index: uint32(i)}), append(values, per)
		}
	}
	key := n.Key(0)
	for n.Height() < uint32(blocks) {
		txs := make([]*tx.Tx, perBlock)
		for i := range txs {
			values[i] -= n.p.MinTxFee
			x := &tx.Tx{Version: 1, Inputs: []tx.Input{{PreviousOutput: prev[i], Sequence: script.SequenceFinal}},
				Outputs: []tx.Output{{Value: values[i], Script: pay, Attachment: tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeETP}}}}
			if err := x.SignInput(0, pay, key, tx.SignOptions{}); err != nil {
				n.t.Fatal(err)
			}
			txs[i], prev[i] = x, tx.OutPoint{Hash: x.Hash()}
		}
		n.Mine(1, txs...)
	}
	out := make([]*block.Block, 0, n.Height())
	for h := uint32(1); h <= n.Height(); h++ {
		out = append(out, n.BlockAt(h))
	}
	return out
}

package mempool_test

import (
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/chain/regtest"
	"github.com/mvsgo/mvs/examples/node/mempool"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
	"github.com/mvsgo/mvs/wallet"
)

// BenchmarkAccept: 1,000 one-input P2PKH payments, each spending its own confirmed output,
// accepted into an empty pool (every consensus rule and the input script; signing untimed).
func BenchmarkAccept(b *testing.B) {
	const n = 1000
	net := regtest.New(b)
	net.Mine(10)
	a0 := net.Address(0)
	amount := mvs.Amount(1_000_000)
	payments := make([]wallet.Payment, n/4)
	for i := range payments {
		payments[i] = wallet.Payment{To: a0, Amount: amount}
	}
	var txs []*tx.Tx
	for range 4 {
		split := net.Build(net.Builder().Send(payments...))
		net.Mine(1, split)
		txs = spendEach(b, net, split, amount, txs)
	}
	b.ResetTimer()
	runAccept(b, net, txs)
}

// spendEach appends a signed spend of each of split's outputs of amount.
func spendEach(b *testing.B, net *regtest.Net, split *tx.Tx, amount mvs.Amount, txs []*tx.Tx) []*tx.Tx {
	pay := script.PayToAddress(net.Address(0))
	for i, o := range split.Outputs {
		if o.Value != amount {
			continue
		}
		x := &tx.Tx{Version: 1, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Hash: split.Hash(), Index: uint32(i)}, Sequence: script.SequenceFinal}},
			Outputs: []tx.Output{{Value: amount - net.Params().MinTxFee, Script: pay, Attachment: tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeETP}}}}
		if err := x.SignInput(0, pay, net.Key(0), tx.SignOptions{}); err != nil {
			b.Fatal(err)
		}
		txs = append(txs, x)
	}
	return txs
}

func runAccept(b *testing.B, net *regtest.Net, txs []*tx.Tx) {
	for range b.N {
		b.StopTimer()
		pool, err := mempool.New(mempool.Config{Params: net.Params(), Store: net.Store()})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for _, x := range txs {
			if _, err := pool.Accept(x); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(txs))/b.Elapsed().Seconds(), "tx/s")
}

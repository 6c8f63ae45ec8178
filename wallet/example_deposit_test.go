package wallet_test

import (
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
	"github.com/mvsgo/mvs/wallet"
)

// An exchange's deposit service holds only the xpub. It has handed out m/0 … m/9; a block
// pays m/3 twice, once in a 7-day deposit that cannot be spent for 25,200 blocks.
func ExampleDepositScanner() {
	p := mvs.MainNet()
	acct, _ := wallet.NewAccountFromMnemonic("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", p)
	watch, _ := wallet.NewWatchOnlyAccount(acct.ExtendedPublicKey(), p)
	scanner, err := wallet.NewAccountDepositScanner(watch, 10, wallet.DefaultGapLimit)
	if err != nil {
		panic(err)
	}

	m3, _ := acct.Address(3)
	payment := tx.Tx{Version: 4,
		Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Hash: mvs.Hash{7}}, Sequence: 0xffffffff}},
		Outputs: []tx.Output{
			{Value: 150_000_000, Script: script.PayToAddress(m3), Attachment: tx.Attachment{Version: tx.AttachVersion}},
			{Value: 200_000_000, Script: script.LockHeightDeposit(m3.Hash, 25200), Attachment: tx.Attachment{Version: tx.AttachVersion}},
		}}
	blk := &block.Block{Header: block.Header{Height: 1_500_000}, Transactions: []tx.Tx{payment}}

	credits, err := scanner.ScanBlock(blk)
	if err != nil {
		panic(err)
	}
	for _, c := range credits {
		fmt.Printf("output %d pays m/%d %s ETP", c.Index, c.To.Index, c.Value)
		if c.Lock.Kind != wallet.LockNone {
			fmt.Printf(", %s-locked until tip %d", c.Lock.Kind, c.Lock.UnlockHeight)
		}
		fmt.Printf("; spendable at tip 1500010: %v\n", c.SpendableAt(1_500_010, 0))
	}
	// Output:
	// output 0 pays m/3 1.5 ETP; spendable at tip 1500010: true
	// output 1 pays m/3 2 ETP, deposit-locked until tip 1525200; spendable at tip 1500010: false
}

package chain_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx/script"
)

// An exchange reads balances, history and coins through Queries; each answer names the
// tip it was read at.
func ExampleQueries() {
	dir, _ := os.MkdirTemp("", "queries")
	defer os.RemoveAll(dir)
	p := mvs.RegTest()
	s, err := store.Open(filepath.Join(dir, "chain.db"), store.Options{Params: p})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	q := chain.NewQueries(s, p)

	// RegTest's genesis pays the hash of private key 1's public key.
	gen, _ := block.Genesis(p)
	addr, _ := script.Script(gen.Transactions[0].Outputs[0].Script).Address(p)
	b, err := q.Balance(addr)
	if err != nil {
		fmt.Println(err)
		return
	}
	// At tip 0 the genesis coinbase is still immature: spendable once the tip is past it.
	fmt.Println("tip", b.TipHeight, "total", mvs.Amount(b.ETP.Total), "immature", mvs.Amount(b.ETP.Immature),
		"spendable", mvs.Amount(b.ETP.Spendable))
	page, _ := q.History(addr, "", 50)
	fmt.Println("history", len(page.Txs), "confirmations", page.Txs[0].Confirmations)
	coins, tip, _ := q.Coins(addr)
	fmt.Println("coins", len(coins), "at tip", tip, "proven", coins[0].PrevTx.Hash() == coins[0].OutPoint.Hash)
	// An address with many outputs is read a page at a time: pass Next until it is "".
	for cursor := ""; ; {
		page, err := q.UTXOsPage(addr, cursor, chain.MaxPage)
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, u := range page.UTXOs {
			fmt.Println("utxo", mvs.Amount(u.Value), u.Lock, "confirmations", u.Confirmations)
		}
		if cursor = page.Next; cursor == "" {
			break
		}
	}
	// Output:
	// tip 0 total 50000000 immature 50000000 spendable 0
	// history 1 confirmations 1
	// coins 1 at tip 0 proven true
	// utxo 50000000 immature confirmations 1
}

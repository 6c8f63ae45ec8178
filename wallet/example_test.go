package wallet_test

import (
	"encoding/json"
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
	"github.com/mvsgo/mvs/wallet"
)

// Derive deposit addresses, then build a withdrawal, sign it offline and check it.
func Example() {
	p := mvs.MainNet()
	acct, err := wallet.NewAccountFromMnemonic("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", p)
	if err != nil {
		panic(err)
	}
	addrs, _ := acct.Addresses(0, 2)
	fmt.Println(addrs[0], addrs[1])

	// A watch-only copy (the xpub) derives the same addresses.
	watch, _ := wallet.NewWatchOnlyAccount(acct.ExtendedPublicKey(), p)
	w0, _ := watch.Address(0)
	fmt.Println(w0 == addrs[0])

	b := &wallet.Builder{Params: p, TipHeight: 3_000_000, Coins: []wallet.Coin{{PrevOut: tx.PrevOut{
		OutPoint: tx.OutPoint{Hash: mvs.Hash{1}}, Value: 5 * uint64(mvs.SatoshiPerETP),
		Script: script.PayToAddress(addrs[0]), Attachment: tx.Attachment{Version: 1}, Height: 2_900_000}}}}
	u, err := b.Send(wallet.Payment{To: addrs[1], Amount: 2 * mvs.SatoshiPerETP})
	if err != nil {
		panic(err)
	}
	js, _ := json.Marshal(u) // to the signing machine

	var offline wallet.Unsigned
	if err := json.Unmarshal(js, &offline); err != nil {
		panic(err)
	}
	keys, _ := acct.Keys(10)
	left, err := offline.Sign(keys, tx.SignOptions{})
	signed, _ := offline.Final()
	fmt.Println(left, err, len(signed.Outputs), signed.VerifyInput(0, offline.PrevOuts[0].Script))
	// Output:
	// MFfP34AnvByBNkepVoZLZqrBbJdgr49PFC MSA2oTCwbSfDnRQF73JjGXtPZSZNoqNkY8
	// true
	// 0 <nil> 2 <nil>
}

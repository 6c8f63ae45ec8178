package wallet_test

import (
	"encoding/json"
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
	"github.com/mvsgo/mvs/wallet"
)

// The safe withdrawal path: the online side holds only the xpub, builds from a coin that
// carries its previous transaction and key origin, and hands JSON to the cold signer, which
// checks the readable part and the proofs, derives exactly the key it needs and signs.
func Example() {
	p := mvs.MainNet()
	// Cold machine: the account with private keys. Online: only its xpub.
	acct, err := wallet.NewAccountFromMnemonic("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", p)
	if err != nil {
		fmt.Println(err)
		return
	}
	watch, err := wallet.NewWatchOnlyAccount(acct.ExtendedPublicKey(), p)
	if err != nil {
		fmt.Println(err)
		return
	}
	deposit, err := watch.Address(0)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("deposit address", deposit)

	// A deposit arrives: the transaction (decoded from a block) paying 5 ETP to m/0.
	funding := &tx.Tx{Version: 4,
		Inputs:  []tx.Input{{PreviousOutput: tx.OutPoint{Hash: mvs.Hash{1}}, Script: []byte{0x51}, Sequence: 0xffffffff}},
		Outputs: []tx.Output{{Value: 5 * mvs.SatoshiPerETP, Script: script.PayToAddress(deposit), Attachment: tx.Attachment{Version: 1, Type: tx.TypeETP}}}}
	coin, err := wallet.CoinFromTx(funding, 0, 2_900_000) // the coin carries its proof
	if err != nil {
		fmt.Println(err)
		return
	}
	origin := watch.Origin(0) // and which key spends it
	coin.Origin = &origin

	// The withdrawal: the payee's address is decoded for the builder's network.
	payee, err := mvs.DecodeAddress("MSA2oTCwbSfDnRQF73JjGXtPZSZNoqNkY8", p)
	if err != nil {
		fmt.Println(err)
		return
	}
	b := &wallet.Builder{Params: p, TipHeight: 3_000_000, Coins: []wallet.Coin{coin}}
	u, err := b.Send(wallet.Payment{To: payee, Amount: 2 * mvs.SatoshiPerETP})
	if err != nil {
		fmt.Println(err)
		return
	}
	js, err := json.Marshal(u) // to the signing machine
	if err != nil {
		fmt.Println(err)
		return
	}

	// Cold machine: loading checks every readable field against the raw transaction; Fee
	// and SignWithAccount require the previous outputs proven.
	var offline wallet.Unsigned
	if err := json.Unmarshal(js, &offline); err != nil {
		fmt.Println(err)
		return
	}
	fee, err := offline.Fee()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("fee", fee, "ETP, input 0 signed by", offline.Inputs[0].Origin)
	left, err := offline.SignWithAccount(acct, tx.SignOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	signed, err := offline.Final()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(left, "inputs left,", len(signed.Outputs), "outputs, verifies:", signed.VerifyInput(0, offline.PrevOuts[0].Script) == nil)
	// Output:
	// deposit address MFfP34AnvByBNkepVoZLZqrBbJdgr49PFC
	// fee 0.0001 ETP, input 0 signed by 73c5da0a/m/0
	// 0 inputs left, 2 outputs, verifies: true
}

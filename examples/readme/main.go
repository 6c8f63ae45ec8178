// Command readme is the program the repository README shows: an exchange's deposit and
// withdrawal flow on the SDK, offline, end to end. Its test runs it and checks that the
// README still shows exactly this file.
package main

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
	"github.com/mvsgo/mvs/wallet"
)

// Mainnet block 2,200,000: one coinbase paying 2.44351875 ETP to MAXwUSQKHWxVYvpg4Cs3epPQTLKg14WjaB.
const rawBlock = "01000000921e76e1a8a9ee32c026dd2dafa71c9cea9c653deee966fd78815f66f0120d97090eac8ad6cfc5e1aad41ec72c120af3853ebfa39d70d4d7ea369b9b64061503a3e3d15c0000000000000000000000000000000000000000000000000000096a069fad4f3440601f66682062e3a309cc023001e9d4f7f0247a0ea02513c83d587c8963fa9dcfd95f677b5982c09121000101000000010000000000000000000000000000000000000000000000000000000000000000ffffffff0403c0912100000000018383900e000000001976a9141ce4fdee49d444ec5ee28b4f417a18b7d4d5fc7988ac000000000000000000000000"

func main() {
	p := mvs.MainNet()

	// 1. Decode a block and find the deposits to the addresses you watch. The credit says
	// what it holds and whether it is spendable yet (this one is an immature coinbase).
	raw, err := hex.DecodeString(rawBlock)
	check(err)
	blk, err := block.Decode(raw)
	check(err)
	miner, err := mvs.DecodeAddress("MAXwUSQKHWxVYvpg4Cs3epPQTLKg14WjaB", p)
	check(err)
	watched, err := wallet.NewDepositScanner(p, []wallet.DepositAddress{{Address: miner, Label: "pool payouts"}})
	check(err)
	credits, err := watched.ScanBlock(blk)
	check(err)
	for _, c := range credits {
		fmt.Printf("block %d credits %s ETP to %s; spendable at height %d\n", c.Height, c.Value, c.To.Label, c.MatureHeight)
	}

	// 2. Deposit addresses from an extended public key: the hot service holds no private key.
	cold, err := wallet.NewAccountFromMnemonic("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", p)
	check(err)
	hot, err := wallet.NewWatchOnlyAccount(cold.ExtendedPublicKey(), p)
	check(err)
	deposit, err := hot.Address(7)
	check(err)
	fmt.Println("deposit address m/7:", deposit)

	// A customer pays 5 ETP to it (here a made-up funding transaction); the coin carries
	// that transaction as its proof, and the origin of the key that spends it.
	funding := &tx.Tx{Version: 4,
		Inputs:  []tx.Input{{PreviousOutput: tx.OutPoint{Hash: mvs.Hash{1}}, Script: []byte{0x51}, Sequence: 0xffffffff}},
		Outputs: []tx.Output{{Value: 5 * mvs.SatoshiPerETP, Script: script.PayToAddress(deposit), Attachment: tx.Attachment{Version: 1, Type: tx.TypeETP}}}}
	coin, err := wallet.CoinFromTx(funding, 0, 3_000_000)
	check(err)
	origin := hot.Origin(7)
	coin.Origin = &origin

	// 3. A withdrawal, built online. The builder refuses the burn address, another network's
	// address and a fee outside [0.0001 ETP, MaxFee].
	payee, err := mvs.DecodeAddress("MSA2oTCwbSfDnRQF73JjGXtPZSZNoqNkY8", p)
	check(err)
	b := &wallet.Builder{Params: p, TipHeight: 3_000_010, Coins: []wallet.Coin{coin}}
	unsigned, err := b.Send(wallet.Payment{To: payee, Amount: 2 * mvs.SatoshiPerETP})
	check(err)
	offline, err := json.Marshal(unsigned) // carried to the signing machine
	check(err)

	// 4. The cold signer: loading checks the readable JSON against the raw transaction, the
	// previous transactions prove every input's value, and only the recorded keys are derived.
	var toSign wallet.Unsigned
	check(json.Unmarshal(offline, &toSign))
	fee, err := toSign.Fee()
	check(err)
	if _, err := toSign.SignWithAccount(cold, tx.SignOptions{}); err != nil {
		log.Fatal(err)
	}
	signed, err := toSign.Final()
	check(err)
	fmt.Printf("withdrawal %s pays 2 ETP, fee %s ETP, %d bytes to broadcast\n", signed.Hash(), fee, len(signed.Bytes()))
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

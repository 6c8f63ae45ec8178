package tx_test

import (
	"encoding/hex"
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx"
)

// Decode a real mainnet MST transfer and read its attachment.
func Example() {
	raw, _ := hex.DecodeString("0400000002f0e73a7b0676dda7d20f6b01b10e66a1c2e7cf11aeb50df6bdd90a61b25f3ffd020000006a4730440220302d9c22c2c9d1f21a5799dd4fd52c2203f1976edec36f46b403c6fa90aae5bb0220535a4cd9c2bb78c02a9149d0505b8c15c12b1775d6d76a019e6747082c8706d1012102fd2bfb8e744f2b568d7f9d7f9b234ac1da015e87e139884b9fabc401896a8720fffffffff0e73a7b0676dda7d20f6b01b10e66a1c2e7cf11aeb50df6bdd90a61b25f3ffd010000006a47304402205943c365341a51ce6b6a3318d7a429eb7c5317f6d543707d0c90287d084d7e96022027a34d2d2f046725b74b68efe73830fac8b25e2771894b0abbe9f9581ade091f012102fd2bfb8e744f2b568d7f9d7f9b234ac1da015e87e139884b9fabc401896a8720ffffffff0300000000000000001976a9140fc3b69f9c3111e5ade9850326bacd3a42b821e688ac01000000020000000200000003444e4160243e4101000000d05c830e000000001976a914a146498458042bede92dab626dbc5d0ea030694088ac010000000000000000000000000000001976a914a146498458042bede92dab626dbc5d0ea030694088ac01000000020000000200000003444e412c0c4f2f0700000000000000")
	t, err := tx.Decode(raw)
	if err != nil {
		panic(err)
	}
	fmt.Println(t.Hash())
	j := t.ToJSON(mvs.MainNet())
	out := j.Outputs[0]
	if transfer, ok := t.Outputs[0].Attachment.Payload.(*tx.AssetTransfer); ok {
		fmt.Println(out.Address, transfer.Symbol, transfer.Quantity)
	}
	fmt.Println(t.CheckSanity() == nil)
	// Output:
	// 87099c9fec50647959713fdfc2b4b9adeffe4dd868fe9e86130c3d68cb7aead0
	// M9LWpiCi2PZ5Yfb9z7Sp8xbCW6upAJsiM9 DNA 5389558880
	// true
}

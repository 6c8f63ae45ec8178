package asset_test

import (
	"errors"
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/asset"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// Check an asset transfer against a registry held in maps: spending 600 units as 400 and
// 200 passes; creating a unit from nothing does not.
func ExampleCheckTx() {
	p := mvs.MainNet()
	alice := mvs.NewPubKeyHashAddress([20]byte{1}, p)
	bob := mvs.NewPubKeyHashAddress([20]byte{2}, p)
	reg := &asset.MemRegistry{}
	reg.RegisterAsset(tx.AssetDetail{Symbol: "GOLD", MaximumSupply: 1000, Address: alice.String()})

	assetOut := func(to mvs.Address, q uint64) tx.Output {
		return tx.Output{Script: script.PayToAddress(to), Attachment: tx.Attachment{Version: tx.AttachVersion,
			Type: tx.TypeAsset, Payload: &tx.AssetTransfer{Symbol: "GOLD", Quantity: q}}}
	}
	etpOut := func(to mvs.Address, v mvs.Amount) tx.Output {
		return tx.Output{Value: v, Script: script.PayToAddress(to), Attachment: tx.Attachment{Version: tx.AttachVersion}}
	}
	spent := []tx.Output{assetOut(alice, 600), etpOut(alice, 1_000_000)}
	t := &tx.Tx{Version: tx.VersionNova, Outputs: []tx.Output{assetOut(bob, 400), assetOut(alice, 200), etpOut(alice, 990_000)}}
	var prev []tx.PrevOut
	for i, o := range spent {
		op := tx.OutPoint{Hash: mvs.Hash{0xee}, Index: uint32(i)}
		t.Inputs = append(t.Inputs, tx.Input{PreviousOutput: op, Sequence: 0xffffffff})
		prev = append(prev, tx.PrevOut{OutPoint: op, Value: o.Value, Script: o.Script, Attachment: o.Attachment})
	}
	height := p.PoSHeight + 1000 // the block the transaction goes in
	fmt.Println(asset.CheckTx(t, prev, height, p, reg))

	t.Outputs[1].Attachment.Payload.(*tx.AssetTransfer).Quantity = 201
	err := asset.CheckTx(t, prev, height, p, reg)
	fmt.Println(errors.Is(err, asset.ErrAssetAmount), err)
	// Output:
	// <nil>
	// true asset: asset outputs do not equal asset inputs: outputs 601, inputs 600
}

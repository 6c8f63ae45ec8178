package did_test

import (
	"errors"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/asset"
	"github.com/mvsgo/mvs/tx"
)

// TestRegisterFee: the miner's fee policy for DID registrations, which lives with the issue
// fee in asset.CheckSpecialFees (one implementation for the wallet, asset and did).
func TestRegisterFee(t *testing.T) {
	p := mvs.MainNet()
	dev, err := mvs.DecodeAddress(p.DeveloperAddress, p)
	if err != nil {
		t.Fatal(err)
	}
	w := newWorld(t, p)
	reg := func(extra ...tx.Output) *tx.Tx {
		t := w.register()
		t.Outputs = append(t.Outputs, extra...)
		return t
	}
	cases := []struct {
		name string
		tx   *tx.Tx
		fee  mvs.Amount
		want error
	}{
		{"whole fee to the miner", reg(), ETP, nil},
		{"fee too low", reg(), ETP - 1, asset.ErrSpecialFee},
		{"20% to the miner, 80% to the developers", reg(etpOut(dev, 80_000_000)), 20_000_000, nil},
		{"19% to the miner", reg(etpOut(dev, 81_000_000)), 19_000_000, asset.ErrSpecialFee},
		{"19.5% rounds up to 20%", reg(etpOut(dev, 80_500_000)), 19_500_000, nil},
		{"split below 1 ETP", reg(etpOut(dev, 70_000_000)), 20_000_000, asset.ErrSpecialFee},
		{"no registration", &tx.Tx{Outputs: []tx.Output{etpOut(w.A, 1)}}, 0, nil},
		{"registration for the developer address", &tx.Tx{Outputs: []tx.Output{didOut(dev, tx.DIDStatusRegister, "dev")}}, 0, nil},
		{"an asset issue after the registration decides: 10 ETP", reg(tx.Output{Script: p2pkh(w.B), Attachment: tx.Attachment{
			Version: 1, Type: tx.TypeAsset, Payload: &tx.AssetDetail{Symbol: "X", MaximumSupply: 1}}}), ETP, asset.ErrSpecialFee},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := asset.CheckSpecialFees(c.tx, c.fee, p)
			if c.want == nil && err != nil || !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}
	if err := asset.CheckSpecialFees(w.register(), ETP, nil); !errors.Is(err, mvs.ErrNoParams) {
		t.Fatal(err)
	}
}

package asset_test

import (
	"errors"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/asset"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/wallet"
)

func TestCheckSpecialFees(t *testing.T) {
	const etpUnit = mvs.SatoshiPerETP
	dev, err := mvs.DecodeAddress(net.DeveloperAddress, net)
	if err != nil {
		t.Fatal(err)
	}
	withDev := func(s *scenario, v mvs.Amount) *tx.Tx {
		s.t.Outputs = append(s.t.Outputs, etp(dev, v))
		return s.t
	}
	didReg := func(to mvs.Address) *tx.Tx {
		return &tx.Tx{Version: tx.VersionNova, Outputs: []tx.Output{
			pay(to, 0, &tx.DID{Status: tx.DIDStatusRegister, Symbol: "bob", Address: to.String()})}}
	}
	cases := []struct {
		name string
		t    *tx.Tx
		fee  mvs.Amount
		ok   bool
	}{
		{"issue, all to the miner", issueTx().t, 10 * etpUnit, true},
		{"issue, minimum fee", issueTx().t, fee, false},
		{"issue, 20% to the miner", withDev(issueTx(), 8*etpUnit), 2 * etpUnit, true},
		{"issue, 10% to the miner", withDev(issueTx(), 9*etpUnit), 1 * etpUnit, false},
		{"issue, 9 ETP in all", withDev(issueTx(), 7*etpUnit), 2 * etpUnit, false},
		{"issue to the developer address", func() *tx.Tx {
			s := issueTx()
			s.t.Outputs[0] = pay(dev, 0, detail("FOO.BAR", 1000, 50, dev))
			return s.t
		}(), fee, true},
		{"DID, 20% of 1 ETP", func() *tx.Tx { x := didReg(addrB); x.Outputs = append(x.Outputs, etp(dev, 80_000_000)); return x }(), 20_000_000, true},
		{"DID, minimum fee", didReg(addrB), fee, false},
		{"transfer", transferTx().t, fee, true},
		{"mit register", mitRegisterTx().t, fee, true},
	}
	for _, c := range cases {
		err := asset.CheckSpecialFees(c.t, c.fee, net)
		if c.ok && err != nil || !c.ok && !errors.Is(err, asset.ErrSpecialFee) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if err := asset.CheckSpecialFees(transferTx().t, fee, nil); !errors.Is(err, mvs.ErrNoParams) {
		t.Errorf("nil params: %v", err)
	}
	// What wallet.IssueAsset builds meets the policy.
	b := &wallet.Builder{Params: net, TipHeight: height - 1, Coins: []wallet.Coin{coin(1, etp(addrA, funds))}}
	u, err := b.IssueAsset(addrA, wallet.AssetIssue{Symbol: "NEW.ONE", MaximumSupply: 1e9, IssuerDID: "alice", DomainCert: true})
	if err != nil {
		t.Fatal(err)
	}
	var in, out mvs.Amount
	for _, p := range u.PrevOuts {
		in += p.Value
	}
	for _, o := range u.Tx.Outputs {
		out += o.Value
	}
	if err := asset.CheckSpecialFees(u.Tx, in-out, net); err != nil {
		t.Errorf("wallet.IssueAsset: %v", err)
	}
}

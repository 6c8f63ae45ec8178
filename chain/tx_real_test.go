package chain_test

import (
	"encoding/hex"
	"errors"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/asset"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/did"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// Real mainnet transactions (tx/testdata/mvs-chain.json): an ETP transfer and an MST (DNA)
// transfer, both version 4 with two P2PKH inputs signed with SIGHASH_ALL.
var realTxs = []struct{ name, txid, raw string }{
	{"etp transfer, tx v4, 2 in 2 out", "edc0fcc62298971afcab5cba1531bec7ab077e3328316edc29d5c59eee59278a",
		"0400000002b876d698a8b5c86d2008a0df4abce7d219b038307b8d0f18a5240461d7f8e52c010000006a473044022069b331762136a4be093d46869758e0c5ff352529ad68a1f90a4188e33e6004df0220667a8c18bb9800fecbfa6a6c7a21ac5677778b7729ae56e94c913b2312a43da9012103afa153f4c9ba1bd19ef2f1d765c51e30a4a0705cb61b4efee3c72fc3a11c0e5fffffffffb1b951f88475661a31df3b5879bb0920012bea4df914e42aeb7da0d579ab1563000000006a4730440220664e4deb69ba6de51269aa26ac83e22ad2bc132f28613fccd0c7a09130b1830102204129045f4788635e3eec6cdd324aa66f24db033a62927613d1f5bd1852a10410012103afa153f4c9ba1bd19ef2f1d765c51e30a4a0705cb61b4efee3c72fc3a11c0e5fffffffff02fc28090e000000001976a91486c84a82fd58727b4215e619215d4596325c69fb88ac010000000000000016bc4606000000001976a914e7da370944c15306b3809580110b0a6c653ac5a988ac010000000000000000000000"},
	{"mst transfer (DNA), tx v4", "87099c9fec50647959713fdfc2b4b9adeffe4dd868fe9e86130c3d68cb7aead0",
		"0400000002f0e73a7b0676dda7d20f6b01b10e66a1c2e7cf11aeb50df6bdd90a61b25f3ffd020000006a4730440220302d9c22c2c9d1f21a5799dd4fd52c2203f1976edec36f46b403c6fa90aae5bb0220535a4cd9c2bb78c02a9149d0505b8c15c12b1775d6d76a019e6747082c8706d1012102fd2bfb8e744f2b568d7f9d7f9b234ac1da015e87e139884b9fabc401896a8720fffffffff0e73a7b0676dda7d20f6b01b10e66a1c2e7cf11aeb50df6bdd90a61b25f3ffd010000006a47304402205943c365341a51ce6b6a3318d7a429eb7c5317f6d543707d0c90287d084d7e96022027a34d2d2f046725b74b68efe73830fac8b25e2771894b0abbe9f9581ade091f012102fd2bfb8e744f2b568d7f9d7f9b234ac1da015e87e139884b9fabc401896a8720ffffffff0300000000000000001976a9140fc3b69f9c3111e5ade9850326bacd3a42b821e688ac01000000020000000200000003444e4160243e4101000000d05c830e000000001976a914a146498458042bede92dab626dbc5d0ea030694088ac010000000000000000000000000000001976a914a146498458042bede92dab626dbc5d0ea030694088ac01000000020000000200000003444e412c0c4f2f0700000000000000"},
}

func decodeReal(t testing.TB, i int) *tx.Tx {
	t.Helper()
	raw, err := hex.DecodeString(realTxs[i].raw)
	if err != nil {
		t.Fatal(err)
	}
	x, err := tx.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	if x.Hash().String() != realTxs[i].txid {
		t.Fatalf("%s hashes to %s", realTxs[i].name, x.Hash())
	}
	return x
}

const realHeight = 2_000_000 // mainnet, past the PoS fork

// realView rebuilds the outputs a real transaction spends. The previous transactions are
// not in the test data. The scripts are the true ones: P2PKH of the key each input pushes
// (the signatures verify against nothing else). Values and attachments are what the
// chain's acceptance implies: the ETP inputs cover the outputs plus the minimum fee, and
// the asset input holds exactly the asset outputs.
func realView(t testing.TB, x *tx.Tx, assetIn *tx.AssetTransfer) utxoMap {
	t.Helper()
	var out mvs.Amount
	for i := range x.Outputs {
		out += x.Outputs[i].Value
	}
	view := utxoMap{}
	for i, in := range x.Inputs {
		s, ok := tx.ImpliedPrevScript(in.Script)
		if !ok {
			t.Fatalf("input %d is not a P2PKH spend", i)
		}
		u := chain.UTXO{Output: tx.Output{Script: s, Attachment: tx.Attachment{Version: 1, Type: tx.TypeETP}}, Height: realHeight - 1000}
		switch {
		case i == 0 && assetIn != nil:
			u.Output.Attachment = tx.Attachment{Version: 1, Type: tx.TypeAsset, Payload: assetIn}
		case i == len(x.Inputs)-1:
			u.Output.Value = out + 10_000
		}
		view[in.PreviousOutput] = u
	}
	return view
}

// TestCheckTxRealMainnet: real mainnet transfers pass against views that hold what they
// spend, with the minimum fee, and VerifyScripts accepts their signatures; a wrong previous
// script, an asset input one unit short or one satoshi less in the ETP input is refused.
func TestCheckTxRealMainnet(t *testing.T) {
	bc := chain.BlockContext{Params: mvs.MainNet(), Height: realHeight, MedianTimePast: 1_570_000_000}
	assets := &asset.MemRegistry{}
	assets.RegisterAsset(tx.AssetDetail{Symbol: "DNA", MaximumSupply: 1e16, Address: "MNbuDxFiLY349YgDxpoe7uEWwYnyNKQHEP"})
	reg := chain.Registries{Assets: assets, DIDs: did.NewMemory()}

	etp := decodeReal(t, 0)
	mst := decodeReal(t, 1)
	dna := asset.AssetAmount(&mst.Outputs[0]) + asset.AssetAmount(&mst.Outputs[2])
	views := []utxoMap{realView(t, etp, nil), realView(t, mst, &tx.AssetTransfer{Symbol: "DNA", Quantity: dna})}

	var spent []chain.Spent
	for i, x := range []*tx.Tx{etp, mst} {
		fee, err := chain.CheckTx(x, bc, views[i], reg)
		if err != nil || fee != 10_000 {
			t.Fatalf("%s: fee %d, %v", realTxs[i].name, fee, err)
		}
		_, s, err := chain.CheckTxDeferScripts(x, bc, views[i], reg)
		if err != nil {
			t.Fatal(err)
		}
		spent = append(spent, s)
	}
	if err := chain.VerifyScripts(t.Context(), realHeight, spent, chain.ScriptOptions{}); err != nil {
		t.Fatal(err)
	}

	// The other transaction's key: the signature no longer verifies.
	wrong := utxoMap{}
	for op, u := range views[0] {
		u.Output.Script = views[1][mst.Inputs[1].PreviousOutput].Output.Script
		wrong[op] = u
	}
	_, err := chain.CheckTx(etp, bc, wrong, reg)
	checkTxCode(t, err, chain.ErrScript)

	short := realView(t, mst, &tx.AssetTransfer{Symbol: "DNA", Quantity: dna - 1})
	_, err = chain.CheckTx(mst, bc, short, reg)
	checkTxCode(t, err, chain.ErrAssetRule)
	if !errors.Is(err, asset.ErrAssetAmount) {
		t.Fatalf("%v is not asset.ErrAssetAmount", err)
	}

	poorer := realView(t, etp, nil)
	last := etp.Inputs[len(etp.Inputs)-1].PreviousOutput
	u := poorer[last]
	u.Output.Value--
	poorer[last] = u
	_, err = chain.CheckTx(etp, bc, poorer, reg)
	checkTxCode(t, err, chain.ErrFeeTooLow)

	// The same previous-output scripts as one would rebuild them from the addresses.
	if a, _ := script.Script(views[1][mst.Inputs[0].PreviousOutput].Output.Script).Address(bc.Params); a.String() != "MNbuDxFiLY349YgDxpoe7uEWwYnyNKQHEP" {
		t.Fatalf("DNA sender %s", a)
	}
}

// anyView answers every outpoint with the same output, so fuzzed transactions reach every rule.
type anyView struct{ u chain.UTXO }

func (v anyView) UTXO(tx.OutPoint) (chain.UTXO, bool, error) { return v.u, true, nil }

// FuzzCheckTx: no transaction, however malformed, makes CheckTx panic, and every error is a
// refusal (the view and registries never fail here).
func FuzzCheckTx(f *testing.F) {
	for i := range realTxs {
		raw, _ := hex.DecodeString(realTxs[i].raw)
		f.Add(raw, uint32(realHeight), uint32(0))
	}
	p := mvs.MainNet()
	f.Fuzz(func(t *testing.T, raw []byte, height, prevHeight uint32) {
		x, err := tx.Decode(raw)
		if err != nil || height == 0 {
			return
		}
		prevScript := p2pkh(keyA)
		if len(x.Inputs) > 0 {
			if s, ok := tx.ImpliedPrevScript(x.Inputs[0].Script); ok {
				prevScript = s
			}
		}
		view := anyView{chain.UTXO{Output: tx.Output{Value: coin, Script: prevScript,
			Attachment: tx.Attachment{Version: 1, Type: tx.TypeETP}}, Height: prevHeight}}
		bc := chain.BlockContext{Params: p, Height: height, MedianTimePast: 1_570_000_000, Branch: txBranch{tip: height - 1}}
		reg := chain.Registries{Assets: &asset.MemRegistry{}, DIDs: did.NewMemory()}
		_, err = chain.CheckTx(x, bc, view, reg)
		var re *chain.RuleError
		if err != nil && !errors.As(err, &re) {
			t.Fatalf("not a refusal: %v", err)
		}
	})
}

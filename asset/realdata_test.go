package asset_test

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/asset"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

func realTx(t *testing.T, name string) *tx.Tx {
	t.Helper()
	b, err := os.ReadFile("testdata/real-asset-txs.json")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Transactions []struct{ Name, TxID, Raw string }
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	for _, x := range d.Transactions {
		if x.Name != name {
			continue
		}
		raw, err := hex.DecodeString(x.Raw)
		if err != nil {
			t.Fatal(err)
		}
		got, err := tx.Decode(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got.Hash().String() != x.TxID {
			t.Fatalf("%s hashes to %v", name, got.Hash())
		}
		return got
	}
	t.Fatalf("no transaction %q", name)
	return nil
}

func mustAddr(t *testing.T, s string) mvs.Address {
	t.Helper()
	a, err := mvs.DecodeAddress(s, net)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// realPrev is the output an input spends as the chain holds it. The previous transactions
// are not in the test data; these are rebuilt from what the chain's acceptance implies
// (e.g. the asset inputs of a transfer add up to its asset outputs).
func realPrev(in tx.Input, a mvs.Address, value mvs.Amount, p tx.Payload) tx.PrevOut {
	return tx.PrevOut{OutPoint: in.PreviousOutput, Value: value, Script: script.PayToAddress(a), Attachment: att(p)}
}

// TestRealTransactions: real mainnet asset and MIT transactions pass against a registry
// filled as the chain was before them, and the registry's answer matters.
func TestRealTransactions(t *testing.T) {
	t.Run("MST issue 888, v2", func(t *testing.T) {
		x := realTx(t, "mst issue (888, decimals 6, issuer bitking), tx v2")
		issuer := mustAddr(t, "MMkJjWCYFBRX7aXf9HsP5BqvUitVA8uyNk")
		prev := []tx.PrevOut{realPrev(x.Inputs[0], issuer, x.Outputs[1].Value+10*100_000_000, nil)}
		reg := &asset.MemRegistry{}
		const h = 1_000_000 // before SuperNova: a version-2 issue needs no certificate
		if err := asset.CheckTx(x, prev, h, net, reg); err != nil {
			t.Fatal(err)
		}
		var b asset.BlockRegistrations
		if err := b.Add(x); err != nil {
			t.Fatal(err)
		}
		reg.RegisterAsset(*x.Outputs[0].Attachment.Payload.(*tx.AssetDetail))
		if err := asset.CheckTx(x, prev, h, net, reg); !errors.Is(err, asset.ErrAssetExists) {
			t.Fatalf("issued again: %v", err)
		}
	})
	t.Run("MST transfer DNA, v4", func(t *testing.T) {
		x := realTx(t, "mst transfer (DNA), tx v4")
		from := mustAddr(t, "MNbuDxFiLY349YgDxpoe7uEWwYnyNKQHEP")
		total := asset.AssetAmount(&x.Outputs[0]) + asset.AssetAmount(&x.Outputs[2])
		prev := []tx.PrevOut{
			realPrev(x.Inputs[0], from, 0, xfer("DNA", total)),
			realPrev(x.Inputs[1], from, x.Outputs[1].Value+10_000, nil),
		}
		reg := &asset.MemRegistry{}
		reg.RegisterAsset(tx.AssetDetail{Symbol: "DNA", MaximumSupply: 1e16, Address: from.String()})
		if err := asset.CheckTx(x, prev, height, net, reg); err != nil {
			t.Fatal(err)
		}
		prev[0].Attachment.Payload = xfer("DNA", total-1)
		if err := asset.CheckTx(x, prev, height, net, reg); !errors.Is(err, asset.ErrAssetAmount) {
			t.Fatalf("one unit short: %v", err)
		}
	})
	t.Run("MIT register, version-207 attachment", func(t *testing.T) {
		x := realTx(t, "mit register with attachment version 207 (to_did/from_did)")
		owner := mustAddr(t, "M9EKLDaTvhyZXmEsmXmDPCKhwApEwiwvYT")
		prev := []tx.PrevOut{realPrev(x.Inputs[0], owner, x.Outputs[1].Value+10_000, nil)}
		reg := &asset.MemRegistry{}
		reg.RegisterDID("ZZm18676433594", owner.String())
		if err := asset.CheckTx(x, prev, height, net, reg); err != nil {
			t.Fatal(err)
		}
		other := []tx.PrevOut{realPrev(x.Inputs[0], addrB, prev[0].Value, nil)}
		if err := asset.CheckTx(x, other, height, net, reg); !errors.Is(err, asset.ErrMITInput) {
			t.Fatalf("paid from another address: %v", err)
		}
		reg.RegisterMIT("Zj1314", owner.String(), "")
		if err := asset.CheckTx(x, prev, height, net, reg); !errors.Is(err, asset.ErrMITExists) {
			t.Fatalf("registered again: %v", err)
		}
	})
}

package asset_test

import (
	"testing"

	"github.com/mvsgo/mvs/asset"
	"github.com/mvsgo/mvs/tx"
)

// Transactions and the outputs they spend come from the network: whatever the bytes,
// CheckTx and BlockRegistrations answer without panicking, and a transaction CheckTx
// accepts that moves an asset creates none of it.
func FuzzCheckTx(f *testing.F) {
	for _, mk := range valid {
		s := mk()
		prev := &tx.Tx{Version: tx.VersionNova, Inputs: s.t.Inputs[:1], Outputs: prevOutputs(s)}
		f.Add(s.t.Bytes(), prev.Bytes())
	}
	f.Fuzz(func(t *testing.T, txBytes, prevBytes []byte) {
		x, err := tx.Decode(txBytes)
		if err != nil {
			return
		}
		p, err := tx.Decode(prevBytes)
		if err != nil || len(p.Outputs) == 0 {
			return
		}
		prevs := make([]tx.PrevOut, len(x.Inputs))
		for i, in := range x.Inputs {
			o := p.Outputs[i%len(p.Outputs)]
			prevs[i] = tx.PrevOut{OutPoint: in.PreviousOutput, Value: o.Value, Script: o.Script, Attachment: o.Attachment}
		}
		reg := newScenario(nil).reg
		reg.RegisterAsset(*detail("FOO.BAR", 1000, 50, addrA))
		reg.RegisterCert("FOO", tx.CertDomain, "alice", addrA.String())
		err = asset.CheckTx(x, prevs, height, net, reg)
		var b asset.BlockRegistrations
		_ = b.Add(x)
		_ = b.Add(x)
		if err != nil || x.IsCoinbase() {
			return
		}
		var in, out uint64
		transfer := false
		for i := range prevs {
			if prevs[i].Attachment.Type == tx.TypeAsset {
				in += asset.AssetAmount(&tx.Output{Attachment: prevs[i].Attachment})
			}
		}
		for i := range x.Outputs {
			a := &x.Outputs[i].Attachment
			if tr, ok := a.Payload.(*tx.AssetTransfer); ok && a.Type == tx.TypeAsset && tr.Quantity > 0 {
				transfer = true
			}
			if d, ok := a.Payload.(*tx.AssetDetail); !ok || !d.IsSecondaryIssue() {
				out += asset.AssetAmount(&x.Outputs[i])
			}
		}
		if transfer && in != out {
			t.Fatalf("accepted with asset inputs %d and outputs %d", in, out)
		}
	})
}

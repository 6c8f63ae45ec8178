package asset

import (
	"errors"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

func transfer(q uint64) tx.Attachment {
	return tx.Attachment{Version: 1, Type: tx.TypeAsset, Payload: &tx.AssetTransfer{Symbol: "DNA", Quantity: q}}
}

func lockScript(t *testing.T, param string, from script.OutPoint) []byte {
	t.Helper()
	s, err := script.Attenuation([20]byte{1}, param, from)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A lock of 10000 DNA under fixedParam confirmed at height 100, spent one period later:
// 4000 released, 6000 relocked as PN=1;LH=20000.
func TestCheckSpend(t *testing.T) {
	src := tx.OutPoint{Hash: mvs.Hash{7}, Index: 2}
	from := script.OutPoint{Hash: src.Hash, Index: src.Index}
	locked := []LockedInput{{OutPoint: src, Height: 100,
		Output: tx.Output{Script: lockScript(t, fixedParam, script.NullOutPoint()), Attachment: transfer(10000)}}}
	const next = "PN=1;LH=20000;TYPE=1;LQ=9000;LP=60000;UN=3"
	pay := script.PayToPubKeyHash([20]byte{2})
	good := func() *tx.Tx {
		return &tx.Tx{Version: tx.VersionNova,
			Inputs: []tx.Input{{PreviousOutput: src}, {PreviousOutput: tx.OutPoint{Hash: mvs.Hash{8}}}},
			Outputs: []tx.Output{
				{Script: pay, Attachment: transfer(4000)},
				{Script: lockScript(t, next, from), Attachment: transfer(6000)},
			}}
	}
	const tip = 100 + 20000
	if err := CheckSpend(good(), locked, tip); err != nil {
		t.Fatalf("the valid spend: %v", err)
	}
	for name, c := range map[string]struct {
		mutate func(*tx.Tx)
		tip    uint64
	}{
		"relocks one unit too many": {func(t *tx.Tx) { t.Outputs[1].Attachment = transfer(6001) }, tip},
		"relocks one unit too few":  {func(t *tx.Tx) { t.Outputs[1].Attachment = transfer(5999) }, tip},
		"a block too early":         {func(*tx.Tx) {}, tip - 1},
		"changes the immutable part": {func(tr *tx.Tx) {
			tr.Outputs[1].Script = lockScript(t, "PN=1;LH=20000;TYPE=1;LQ=9000;LP=60003;UN=3", from)
		}, tip},
		"advances PN without LH": {func(tr *tx.Tx) {
			tr.Outputs[1].Script = lockScript(t, "PN=1;LH=19999;TYPE=1;LQ=9000;LP=60000;UN=3", from)
		}, tip},
		"relocks an outpoint it does not spend": {func(tr *tx.Tx) {
			tr.Outputs[1].Script = lockScript(t, next, script.OutPoint{Hash: mvs.Hash{9}})
		}, tip},
		"drops the relock before maturity": {func(tr *tx.Tx) { tr.Outputs = tr.Outputs[:1] }, tip},
		"a new lock whose LQ exceeds its amount": {func(tr *tx.Tx) {
			tr.Outputs = append(tr.Outputs, tx.Output{Script: lockScript(t, "PN=0;LH=10;TYPE=1;LQ=30;LP=30;UN=3", script.NullOutPoint()), Attachment: transfer(29)})
		}, tip},
	} {
		tr := good()
		c.mutate(tr)
		err := CheckSpend(tr, locked, c.tip)
		var me *ModelError
		if !errors.Is(err, ErrModel) || (name != "drops the relock before maturity" && !errors.As(err, &me)) {
			t.Errorf("%s: %v, want an attenuation model error", name, err)
		}
	}
	// After maturity the whole amount may leave without a relock.
	matured := good()
	matured.Outputs = []tx.Output{{Script: pay, Attachment: transfer(10000)}}
	if err := CheckSpend(matured, locked, 100+60000); err != nil {
		t.Errorf("spending a matured lock: %v", err)
	}
	// A new, valid lock beside the relock is fine; before SuperNova nothing is checked.
	withNew := good()
	withNew.Outputs = append(withNew.Outputs, tx.Output{Script: lockScript(t, "PN=0;LH=10;TYPE=1;LQ=30;LP=30;UN=3", script.NullOutPoint()), Attachment: transfer(30)})
	if err := CheckSpend(withNew, locked, tip); err != nil {
		t.Errorf("a new lock beside the relock: %v", err)
	}
	old := good()
	old.Version = 2
	old.Outputs = old.Outputs[:1]
	if err := CheckSpend(old, locked, tip); err != nil {
		t.Errorf("version 2: %v", err)
	}
}

// The node takes any direct push as the lock's outpoint and reads its first 36 bytes: a
// relock (or a spent lock) whose push is longer is valid as long as those bytes match.
func TestCheckSpendLongOutpointPush(t *testing.T) {
	long := func(param string, from script.OutPoint) []byte {
		op := append(from.Bytes(), 0xee, 0xee, 0xee, 0xee) // 40 bytes
		s, err := script.NewBuilder().AddPush(script.OP_PUSHDATA2, []byte(param)).AddData(op).
			AddOp(script.OP_CHECKATTENUATIONVERIFY).AddOp(script.OP_DUP).AddOp(script.OP_HASH160).
			AddData(make([]byte, 20)).AddOp(script.OP_EQUALVERIFY).AddOp(script.OP_CHECKSIG).Script()
		if err != nil {
			t.Fatal(err)
		}
		if script.Classify(s) != script.PayKeyHashWithAttenuationModel {
			t.Fatal("not the attenuation pattern")
		}
		return s
	}
	src := tx.OutPoint{Hash: mvs.Hash{7}, Index: 2}
	from := script.OutPoint{Hash: src.Hash, Index: src.Index}
	locked := []LockedInput{{OutPoint: src, Height: 100,
		Output: tx.Output{Script: long(fixedParam, script.NullOutPoint()), Attachment: transfer(10000)}}}
	relock := &tx.Tx{Version: tx.VersionNova, Inputs: []tx.Input{{PreviousOutput: src}},
		Outputs: []tx.Output{{Script: script.PayToPubKeyHash([20]byte{2}), Attachment: transfer(4000)},
			{Script: long("PN=1;LH=20000;TYPE=1;LQ=9000;LP=60000;UN=3", from), Attachment: transfer(6000)}}}
	if err := CheckSpend(relock, locked, 100+20000); err != nil {
		t.Errorf("relock through a 40-byte outpoint push: %v", err)
	}
	matured := &tx.Tx{Version: tx.VersionNova, Inputs: []tx.Input{{PreviousOutput: src}},
		Outputs: []tx.Output{{Script: script.PayToPubKeyHash([20]byte{2}), Attachment: transfer(10000)}}}
	if err := CheckSpend(matured, locked, 100+60000); err != nil {
		t.Errorf("a matured lock made with a 40-byte push: %v", err)
	}
}

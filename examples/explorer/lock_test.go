package main

import (
	"context"
	"strings"
	"testing"

	"github.com/mvsgo/mvs/rpcclient"
	"github.com/mvsgo/mvs/tx/script"
)

// p2pkhTail is OP_DUP OP_HASH160 <h> OP_EQUALVERIFY OP_CHECKSIG.
func p2pkhTail(b *script.Builder) *script.Builder {
	return b.AddOp(script.OP_DUP).AddOp(script.OP_HASH160).AddData(hashA[:]).AddOp(script.OP_EQUALVERIFY).AddOp(script.OP_CHECKSIG)
}

func mustScript(t *testing.T, b *script.Builder) script.Script {
	t.Helper()
	s, err := b.Script()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestBuildLock: locks read from the output script as consensus reads them, at tip 150 for
// an output confirmed at height 100.
func TestBuildLock(t *testing.T) {
	fx := newFixture(t)
	s, _ := newTestServer(t, fx)
	att, err := script.Attenuation(hashA, "PN=0;LH=20;TYPE=1;LQ=9000;LP=60;UN=3", script.NullOutPoint())
	if err != nil {
		t.Fatal(err)
	}
	far, err := script.Attenuation(hashA, "PN=0;LH=1;TYPE=2;LQ=9000;LP=18446744073709551615;UN=2;UC=1,18446744073709551614;UQ=1000,8000", script.NullOutPoint())
	if err != nil {
		t.Fatal(err)
	}
	var outpoint [36]byte
	tests := []struct {
		name     string
		sc       script.Script
		json     rpcclient.TxOutput
		kind     string
		released bool
		text     []string
	}{
		{"deposit", script.LockHeightDeposit(hashA, 10), rpcclient.TxOutput{}, "deposit", true, []string{"locked for 10 blocks", "height 110 (released)"}},
		{"deposit still locked", script.LockHeightDeposit(hashA, 500), rpcclient.TxOutput{}, "deposit", false, []string{"height 600 (locked)"}},
		// A non-minimal operand: consensus accepts it, so it is still a lock.
		{"deposit non-minimal", mustScript(t, p2pkhTail(script.NewBuilder().AddData([]byte{0x00, 0x02}).AddOp(script.OP_NUMEQUALVERIFY))), rpcclient.TxOutput{}, "deposit", false, []string{"locked for 512 blocks"}},
		{"deposit negative", mustScript(t, p2pkhTail(script.NewBuilder().AddData([]byte{0x81}).AddOp(script.OP_NUMEQUALVERIFY))), rpcclient.TxOutput{}, "unspendable", false, []string{"never be spent"}},
		{"sequence", script.SequenceLock(hashA, 30), rpcclient.TxOutput{}, "sequence", true, []string{"30 blocks", "height 130"}},
		{"sequence disabled", script.SequenceLock(hashA, 1<<31), rpcclient.TxOutput{}, "sequence", true, []string{"disabled"}},
		{"attenuation", att, rpcclient.TxOutput{Attachment: rpcclient.Attachment{Type: "asset-transfer", Symbol: "FOO", Quantity: u64(10000)}}, "attenuation", false,
			[]string{"0.9 FOO of 1 FOO", "model 1, 3 periods"}},
		{"attenuation unreadable", mustScript(t, p2pkhTail(script.NewBuilder().AddPush(script.OP_PUSHDATA2, []byte("garbage")).AddData(outpoint[:]).AddOp(script.OP_CHECKATTENUATIONVERIFY))),
			rpcclient.TxOutput{Attachment: rpcclient.Attachment{Type: "asset-transfer", Symbol: "FOO", Quantity: u64(10000)}}, "unspendable", false, []string{"never be spent"}},
		// A period that ends past 2^64: the heights saturate, never wrap to "released".
		{"attenuation beyond any height", far, rpcclient.TxOutput{Attachment: rpcclient.Attachment{Type: "asset-transfer", Symbol: "FOO", Quantity: u64(10000)}}, "attenuation", false, []string{"18446744073709551615"}},
		{"JSON only: deposit", nil, rpcclient.TxOutput{LockedHeightRange: 20}, "deposit", true, []string{"locked for 20 blocks"}},
		{"plain", script.PayToPubKeyHash(hashA), rpcclient.TxOutput{}, "", false, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.json
			lv := s.buildLock(context.Background(), &o, tc.sc, 100, false, 150)
			if tc.kind == "" {
				if lv != nil {
					t.Fatalf("a lock on a plain output: %+v", lv)
				}
				return
			}
			if lv == nil || lv.Kind != tc.kind || lv.Released != tc.released {
				t.Fatalf("got %+v, want kind %s released %v", lv, tc.kind, tc.released)
			}
			all := lv.Text + lv.More
			for _, r := range lv.Schedule {
				all += " " + itoa(r.Height) + " " + r.Quantity
			}
			for _, w := range tc.text {
				if !strings.Contains(all, w) {
					t.Errorf("%q lacks %q", all, w)
				}
			}
		})
	}
}

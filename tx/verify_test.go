package tx

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx/script"
)

// realSignedTxs returns every real transaction with signed inputs: the vectors plus the
// coinstake of the real PoS block (its null-type output is hashed as its 8-byte envelope).
func realSignedTxs(t *testing.T) map[string]*Tx {
	out := map[string]*Tx{}
	for _, v := range loadVectors(t).Transactions {
		tx, err := Decode(mustHex(t, v.Raw))
		if err != nil {
			t.Fatal(err)
		}
		out[v.Name] = tx
	}
	b, err := os.ReadFile("testdata/real-blocks.json")
	if err != nil {
		t.Fatal(err)
	}
	var blocks struct{ Blocks []struct{ Name, Raw string } }
	if err := json.Unmarshal(b, &blocks); err != nil {
		t.Fatal(err)
	}
	raw := mustHex(t, blocks.Blocks[1].Raw)
	// PoS block: header (148), count (1), coinbase, coinstake, signature (64).
	var coinbase Tx
	n, err := coinbase.DecodePrefix(raw[149:])
	if err != nil {
		t.Fatal(err)
	}
	var coinstake Tx
	if _, err := coinstake.DecodePrefix(raw[149+n:]); err != nil {
		t.Fatal(err)
	}
	if !coinstake.IsCoinstake() {
		t.Fatal("second transaction of the PoS block is not a coinstake")
	}
	out["coinstake of block 3588504"] = &coinstake
	return out
}

// TestRealSignaturesVerify: every input of every real transaction verifies with the
// consensus interpreter against the P2PKH script its public key implies; changing one byte
// of the signed data makes it fail.
func TestRealSignaturesVerify(t *testing.T) {
	for name, tx := range realSignedTxs(t) {
		t.Run(name, func(t *testing.T) {
			for i := range tx.Inputs {
				prev, ok := ImpliedPrevScript(tx.Inputs[i].Script)
				if !ok {
					t.Fatalf("input %d: not a P2PKH spend", i)
				}
				if err := tx.VerifyInput(i, prev); err != nil {
					t.Fatalf("input %d: %v", i, err)
				}
				// One byte of signed data changed: the lock time, then an output value.
				mut := *tx
				mut.LockTime ^= 1
				if err := mut.VerifyInput(i, prev); err == nil {
					t.Fatalf("input %d verifies with a changed lock time", i)
				}
				mut = *tx
				mut.Outputs = append([]Output(nil), tx.Outputs...)
				mut.Outputs[len(mut.Outputs)-1].Value ^= 1
				if err := mut.VerifyInput(i, prev); !errors.Is(err, script.ErrEvalFalse) {
					t.Fatalf("input %d verifies with a changed output", i)
				}
				// The attachment is signed too.
				mut = *tx
				mut.Outputs = append([]Output(nil), tx.Outputs...)
				mut.Outputs[0].Attachment.Version ^= 1
				if err := mut.VerifyInput(i, prev); err == nil {
					t.Fatalf("input %d verifies with a changed attachment", i)
				}
			}
		})
	}
}

func TestSignInputRoundTrip(t *testing.T) {
	priv, _ := btcec.PrivKeyFromBytes(bytes.Repeat([]byte{7}, 32))
	pub := priv.PubKey().SerializeCompressed()
	h := mvs.Hash160(pub)
	attn, err := script.Attenuation(h, "PN=0;LH=20000;TYPE=1;LQ=9000;LP=60000;UN=3", script.NullOutPoint())
	if err != nil {
		t.Fatal(err)
	}
	prevs := map[string][]byte{
		"p2pkh":       script.PayToPubKeyHash(h),
		"deposit":     script.LockHeightDeposit(h, 25200),
		"attenuation": attn,
	}
	for name, prev := range prevs {
		t.Run(name, func(t *testing.T) {
			tx := &Tx{Version: VersionNova, Inputs: []Input{{PreviousOutput: OutPoint{Hash: mvs.Hash{1}, Index: 0}, Sequence: 0xffffffff}},
				Outputs: []Output{{Value: 5, Script: script.PayToPubKeyHash(h), Attachment: Attachment{Version: 1, Type: TypeETP}}}}
			if err := tx.SignInput(0, prev, priv, SignOptions{}); err != nil {
				t.Fatal(err)
			}
			again, err := Decode(tx.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if err := again.VerifyInput(0, prev); err != nil {
				t.Fatalf("verify: %v", err)
			}
			other, _ := btcec.NewPrivateKey()
			if err := tx.SignInput(0, prev, other, SignOptions{}); err != nil {
				t.Fatal(err)
			}
			if err := tx.VerifyInput(0, prev); err == nil {
				t.Fatal("a signature by the wrong key verified")
			}
		})
	}
}

func TestSigHashPolicy(t *testing.T) {
	priv, _ := btcec.NewPrivateKey()
	prev := script.PayToPubKeyHash(mvs.Hash160(priv.PubKey().SerializeCompressed()))
	two := &Tx{Version: 4, Inputs: []Input{{PreviousOutput: OutPoint{Index: 0}}, {PreviousOutput: OutPoint{Index: 1}}},
		Outputs: []Output{{Script: prev}, {Script: prev}}}
	one := &Tx{Version: 4, Inputs: []Input{{PreviousOutput: OutPoint{Index: 0}}}, Outputs: []Output{{Script: prev}}}
	single := script.SigHashSingle
	singleACP := script.SigHashSingle | script.SigHashAnyoneCanPay
	tests := []struct {
		name string
		tx   *Tx
		o    SignOptions
		ok   bool
	}{
		{"default all", two, SignOptions{}, true},
		{"none", two, SignOptions{HashType: script.SigHashNone}, true},
		{"all|acp", two, SignOptions{HashType: script.SigHashAll | script.SigHashAnyoneCanPay}, true},
		{"single refused", two, SignOptions{HashType: single}, false},
		{"single forced but unsafe shape", two, SignOptions{HashType: singleACP, AllowSingle: true}, false},
		{"single|acp not forced", one, SignOptions{HashType: singleACP}, false},
		{"single|acp forced, 1 in 1 out", one, SignOptions{HashType: singleACP, AllowSingle: true}, true},
		{"undefined bits", one, SignOptions{HashType: 0x41}, false},
	}
	for _, tc := range tests {
		err := tc.tx.SignInput(0, prev, priv, tc.o)
		if (err == nil) != tc.ok || (!tc.ok && !errors.Is(err, ErrUnsafeSigHash)) {
			t.Errorf("%s: %v", tc.name, err)
		}
		if tc.ok {
			if err := tc.tx.VerifyInput(0, prev); err != nil {
				t.Errorf("%s: signed input does not verify: %v", tc.name, err)
			}
		}
	}
	if _, err := two.SignatureHash(1, prev, single); !errors.Is(err, ErrSigHashSingleUndefined) {
		t.Errorf("single at input 1: %v", err)
	}
	if d, err := one.SignatureHash(0, prev, single); err != nil || d == sigHashOne {
		t.Errorf("single at input 0 must be defined: %x %v", d, err)
	}
	three := &Tx{Version: 4, Inputs: []Input{{}, {}, {}}, Outputs: []Output{{}}}
	if d, _ := three.SignatureHash(2, prev, single); d != sigHashOne {
		t.Errorf("single past the outputs: %x", d)
	}
}

func BenchmarkSigHash(b *testing.B) {
	tx, err := Decode(benchTx(b))
	if err != nil {
		b.Fatal(err)
	}
	prev, _ := ImpliedPrevScript(tx.Inputs[0].Script)
	buf := make([]byte, 0, tx.SerializeSize()+64)
	code := script.RemoveCodeSeparators(prev)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tx.signatureHash(buf, 0, code, script.SigHashAll); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyP2PKH(b *testing.B) {
	tx, err := Decode(benchTx(b))
	if err != nil {
		b.Fatal(err)
	}
	prev, _ := ImpliedPrevScript(tx.Inputs[0].Script)
	c := NewInputChecker(tx, 0)
	b.ReportAllocs()
	for b.Loop() {
		if err := script.Verify(tx.Inputs[0].Script, prev, script.ConsensusFlags, c); err != nil {
			b.Fatal(err)
		}
	}
}

package chain_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"testing"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcec/v2/ecdsa"
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/asset"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/did"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// batch is n signed transactions of ins P2PKH inputs each, as CheckTxDeferScripts returns
// them.
func batch(t testing.TB, n, ins int) []chain.Spent {
	t.Helper()
	out := make([]chain.Spent, n)
	for i := range out {
		x := &tx.Tx{Version: tx.VersionNova, Outputs: []tx.Output{payTo(keyB, coin)}}
		prev := make([]chain.UTXO, ins)
		for j := range prev {
			prev[j] = chain.UTXO{Output: payTo(keyA, coin), Height: 100}
			x.Inputs = append(x.Inputs, tx.Input{PreviousOutput: tx.OutPoint{Hash: mvs.Hash{byte(i), byte(i >> 8), byte(j)}, Index: uint32(j)},
				Sequence: script.SequenceFinal})
		}
		for j := range prev {
			if err := x.SignInput(j, prev[j].Output.Script, keyA, tx.SignOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		out[i] = chain.Spent{Tx: x, Prev: prev}
	}
	return out
}

// spoil makes input in of transaction ti fail: it now claims to spend B's output.
func spoil(b []chain.Spent, ti, in int) {
	prev := append([]chain.UTXO(nil), b[ti].Prev...)
	prev[in].Output.Script = p2pkh(keyB)
	b[ti].Prev = prev
}

// TestVerifyScripts: a good batch passes with any number of workers; with several bad inputs
// the first in block order is reported, whatever the workers; AssumeValid skips the checks;
// a cancelled context is not a refusal.
func TestVerifyScripts(t *testing.T) {
	good := batch(t, 40, 3)
	bad := append([]chain.Spent(nil), good...)
	spoil(bad, 31, 2)
	spoil(bad, 25, 1)
	spoil(bad, 39, 0)
	for _, w := range []int{0, 1, 2, 7, 1000} {
		t.Run(fmt.Sprintf("workers %d", w), func(t *testing.T) {
			o := chain.ScriptOptions{Workers: w}
			if err := chain.VerifyScripts(t.Context(), 200, good, o); err != nil {
				t.Fatal(err)
			}
			err := chain.VerifyScripts(t.Context(), 200, bad, o)
			checkTxCode(t, err, chain.ErrScript)
			var se *chain.ScriptError
			var ie *script.Error
			if !errors.As(err, &se) || se.TxIndex != 25 || se.Input != 1 || se.TxHash != bad[25].Tx.Hash() || !errors.As(err, &ie) {
				t.Fatalf("reported %+v (%v), want tx 25 input 1", se, err)
			}
		})
	}
	if err := chain.VerifyScripts(t.Context(), 200, bad, chain.ScriptOptions{AssumeValid: true}); err != nil {
		t.Fatalf("assumed valid: %v", err)
	}
	if err := chain.VerifyScripts(t.Context(), 200, nil, chain.ScriptOptions{}); err != nil {
		t.Fatalf("empty batch: %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := chain.VerifyScripts(ctx, 200, bad, chain.ScriptOptions{})
	var re *chain.RuleError
	if !errors.Is(err, context.Canceled) || errors.As(err, &re) {
		t.Fatalf("cancelled: %v", err)
	}
}

// TestCheckTxScriptError: CheckTx names the failing input too.
func TestCheckTxScriptError(t *testing.T) {
	f := newFixture(200)
	a, b := f.fund(keyA, coin, 150), f.fund(keyA, coin, 150)
	x := f.sign(t, spend([]tx.OutPoint{a, b}, payTo(keyB, coin)))
	x.Inputs[1].Script = x.Inputs[0].Script // input 0's signature: wrong digest for input 1
	_, err := chain.CheckTx(x, f.ctx(), f.view, f.regs())
	var se *chain.ScriptError
	if !errors.As(err, &se) || se.Input != 1 || se.TxIndex != -1 || !errors.Is(err, chain.ErrScript) {
		t.Fatalf("%v", err)
	}
}

func BenchmarkCheckTx(b *testing.B) {
	f := newFixture(200)
	x, _ := f.simple()
	f.sign(b, x)
	bc, regs := f.ctx(), f.regs()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := chain.CheckTx(x, bc, f.view, regs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyScripts: 2,000 P2PKH spends (1,000 transactions of 2 inputs) on one core
// and on all; compare sigs/s with BenchmarkECDSAVerify, btcec's raw rate.
func BenchmarkVerifyScripts(b *testing.B) {
	const txs, ins = 1000, 2
	spent := batch(b, txs, ins)
	for _, w := range []int{1, runtime.GOMAXPROCS(0)} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := chain.VerifyScripts(context.Background(), 200, spent, chain.ScriptOptions{Workers: w}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(txs*ins*b.N)/b.Elapsed().Seconds(), "sigs/s")
		})
	}
}

// BenchmarkECDSAVerify is btcec's signature check alone, the floor under VerifyScripts.
func BenchmarkECDSAVerify(b *testing.B) {
	digest := mvs.DoubleSHA256([]byte("mvs"))
	sig := ecdsa.Sign(keyA, digest[:])
	pub := keyA.PubKey()
	for b.Loop() {
		if !sig.Verify(digest[:], pub) {
			b.Fatal("does not verify")
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sigs/s")
}

// Connecting a block: every transaction's rules in order against the view, the scripts of
// all of them at once over all cores (or none, below an assumed-valid block).
func ExampleVerifyScripts() {
	p := mvs.MainNet()
	k, _ := btcec.PrivKeyFromBytes([]byte{31: 7})
	pay := script.PayToPubKeyHash(mvs.Hash160(k.PubKey().SerializeCompressed()))
	view := utxoMap{}
	var block []*tx.Tx
	for i := range 3 {
		prev := tx.OutPoint{Hash: mvs.Hash{byte(i + 1)}}
		view[prev] = chain.UTXO{Output: tx.Output{Value: mvs.SatoshiPerETP, Script: pay, Attachment: tx.Attachment{Version: 1}}, Height: 2_000_000}
		t := &tx.Tx{Version: tx.VersionNova,
			Inputs:  []tx.Input{{PreviousOutput: prev, Sequence: script.SequenceFinal}},
			Outputs: []tx.Output{{Value: mvs.SatoshiPerETP - 10_000, Script: pay, Attachment: tx.Attachment{Version: 1}}}}
		_ = t.SignInput(0, pay, k, tx.SignOptions{})
		block = append(block, t)
	}

	bc := chain.BlockContext{Params: p, Height: 2_000_100, MedianTimePast: 1_570_000_000}
	reg := chain.Registries{Assets: &asset.MemRegistry{}, DIDs: did.NewMemory()}
	var spent []chain.Spent
	var fees mvs.Amount
	for _, t := range block {
		fee, s, err := chain.CheckTxDeferScripts(t, bc, view, reg)
		if err != nil {
			fmt.Println(err)
			return
		}
		fees += fee
		spent = append(spent, s)
		// A real connector now removes the spent outputs from the view and adds t's.
	}
	assumeValid := false // e.g. true below a block the operator trusts
	err := chain.VerifyScripts(context.Background(), bc.Height, spent, chain.ScriptOptions{AssumeValid: assumeValid})
	fmt.Println(fees, err)
	// Output: 0.0003 <nil>
}

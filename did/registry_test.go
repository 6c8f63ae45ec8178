package did_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/did"
	"github.com/mvsgo/mvs/tx"
)

// memWorld has alice registered to A at 10, moved to C at 20 and back to A at 30.
func memWorld(t *testing.T) (*world, *did.Memory) {
	w := newWorld(t, mvs.TestNet())
	m := w.reg
	if err := m.Apply(w.transfer(), 20); err != nil {
		t.Fatal(err)
	}
	back := &tx.Tx{Version: 4, Inputs: spend(op(40), op(41)), Outputs: []tx.Output{didOut(w.A, tx.DIDStatusTransfer, "alice")}}
	if err := m.Apply(back, 30); err != nil {
		t.Fatal(err)
	}
	return w, m
}

func TestMemoryResolve(t *testing.T) {
	w, m := memWorld(t)
	cases := []struct {
		symbol string
		height uint64
		want   string // address, "" for none
	}{
		{"alice", 9, ""},
		{"alice", 10, w.A.String()},
		{"alice", 19, w.A.String()},
		{"alice", 20, w.C.String()},
		{"alice", 29, w.C.String()},
		{"alice", 30, w.A.String()},
		{"bob", 30, ""},
		{did.BlackholeSymbol, 0, mvs.BlackholeAddress},
		{did.BlackholeSymbol, 1 << 40, mvs.BlackholeAddress},
	}
	for _, c := range cases {
		b, ok, err := m.Resolve(c.symbol, c.height)
		if err != nil || ok != (c.want != "") || b.Address != c.want {
			t.Errorf("Resolve(%q, %d) = %+v, %v, %v; want %q", c.symbol, c.height, b, ok, err, c.want)
		}
	}
}

func TestMemorySymbolOf(t *testing.T) {
	w, m := memWorld(t)
	cases := []struct {
		address string
		height  uint64
		want    string
	}{
		{w.A.String(), 9, ""},
		{w.A.String(), 10, "alice"},
		{w.A.String(), 20, ""}, // passed on
		{w.C.String(), 19, ""},
		{w.C.String(), 20, "alice"},
		{w.C.String(), 30, ""},
		{w.A.String(), 30, "alice"}, // back again
		{w.B.String(), 30, ""},
		{mvs.BlackholeAddress, 0, did.BlackholeSymbol},
	}
	for _, c := range cases {
		s, ok, err := m.SymbolOf(c.address, c.height)
		if err != nil || ok != (c.want != "") || s != c.want {
			t.Errorf("SymbolOf(%s, %d) = %q, %v, %v; want %q", c.address, c.height, s, ok, err, c.want)
		}
	}
}

func TestMemoryHistoryAndRewind(t *testing.T) {
	w, m := memWorld(t)
	hs, err := m.History("alice", 25)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range hs {
		got = append(got, h.Address)
	}
	if want := []string{w.A.String(), w.C.String()}; !reflect.DeepEqual(got, want) {
		t.Fatalf("history %v, want %v", got, want)
	}
	if hs[0].Status != tx.DIDStatusRegister || hs[1].Status != tx.DIDStatusTransfer || hs[0].Height != 10 || hs[1].Height != 20 {
		t.Fatalf("history %+v", hs)
	}
	if hs[1].OutPoint != (tx.OutPoint{Hash: w.transfer().Hash(), Index: 0}) {
		t.Fatalf("outpoint %v", hs[1].OutPoint)
	}
	// A reorganisation disconnects blocks 20 and 30.
	m.Rewind(19)
	if b, _, _ := m.Resolve("alice", 100); b.Address != w.A.String() {
		t.Fatalf("after rewind: %+v", b)
	}
	if s, _, _ := m.SymbolOf(w.C.String(), 100); s != "" {
		t.Fatalf("C still has %q", s)
	}
	if err := m.Apply(w.transfer(), 18); !errors.Is(err, did.ErrHeight) {
		// 19 is the tip after the rewind; 18 is below it.
		t.Fatalf("apply below tip: %v", err)
	}
	m.Rewind(5)
	if _, ok, _ := m.Resolve("alice", 100); ok {
		t.Fatal("alice survived a rewind below her registration")
	}
	if _, ok, _ := m.Resolve(did.BlackholeSymbol, 100); !ok {
		t.Fatal("the seeded BLACKHOLE was rewound")
	}
}

func TestResolveHelpers(t *testing.T) {
	w, m := memWorld(t)
	if a, err := did.AddressOf(m, "alice", 25); err != nil || a != w.C.String() {
		t.Fatalf("AddressOf: %q, %v", a, err)
	}
	if s, err := did.SymbolOf(m, w.C.String(), 25); err != nil || s != "alice" {
		t.Fatalf("SymbolOf: %q, %v", s, err)
	}
	if hs, err := did.History(m, "alice", 100); err != nil || len(hs) != 3 {
		t.Fatalf("History: %v, %v", hs, err)
	}
	notFound := []error{
		func() error { _, err := did.Resolve(m, "bob", 100); return err }(),
		func() error { _, err := did.Resolve(m, "not a symbol", 100); return err }(),
		func() error { _, err := did.AddressOf(m, "alice", 9); return err }(),
		func() error { _, err := did.SymbolOf(m, w.B.String(), 100); return err }(),
		func() error { _, err := did.History(m, "bob", 100); return err }(),
		func() error { _, err := did.History(m, "", 100); return err }(),
	}
	for i, err := range notFound {
		if !errors.Is(err, did.ErrNotFound) {
			t.Errorf("case %d: %v, want ErrNotFound", i, err)
		}
	}
	failed := []error{
		func() error { _, err := did.Resolve(failing{}, "alice", 1); return err }(),
		func() error { _, err := did.SymbolOf(failing{}, w.A.String(), 1); return err }(),
		func() error { _, err := did.History(failing{}, "alice", 1); return err }(),
	}
	for i, err := range failed {
		if !errors.Is(err, did.ErrRegistry) || !errors.Is(err, errDisk) {
			t.Errorf("case %d: %v, want ErrRegistry wrapping the cause", i, err)
		}
	}
}

func TestOutputs(t *testing.T) {
	w := newWorld(t, mvs.TestNet())
	if bs := did.Outputs(&tx.Tx{Outputs: []tx.Output{etpOut(w.A, 1)}}, 5); bs != nil {
		t.Fatalf("ETP-only tx gave %v", bs)
	}
	tr := w.transfer()
	bs := did.Outputs(tr, 7)
	want := []did.Binding{{Symbol: "alice", Address: w.C.String(), Status: tx.DIDStatusTransfer, Height: 7,
		OutPoint: tx.OutPoint{Hash: tr.Hash(), Index: 0}}}
	if !reflect.DeepEqual(bs, want) {
		t.Fatalf("got %+v", bs)
	}
}

// CheckTx over a Memory fed with the chain: a DID can be registered, moved, and then not
// registered again; the old address is free for another.
func TestCheckTxFollowsRegistry(t *testing.T) {
	w := newWorld(t, mvs.TestNet())
	tr := w.transfer()
	if err := w.check(tr); err != nil {
		t.Fatal(err)
	}
	if err := w.reg.Apply(tr, 100); err != nil {
		t.Fatal(err)
	}
	w.height = 101
	again := &tx.Tx{Version: 4, Inputs: spend(op(10)), Outputs: []tx.Output{didOut(w.A, tx.DIDStatusRegister, "alice2")}}
	if err := w.check(again); err != nil {
		t.Fatalf("A is free again: %v", err)
	}
	again.Outputs[0].Attachment.Payload.(*tx.DID).Symbol = "alice"
	if err := w.check(again); !errors.Is(err, did.ErrSymbolExists) {
		t.Fatalf("alice re-registered: %v", err)
	}
	// to_did follows the move.
	pay := w.register()
	pay.Inputs = spend(op(11), op(12))
	pay.Outputs = append(pay.Outputs, with207(etpOut(w.C, ETP), "alice", ""))
	if err := w.check(pay); err != nil {
		t.Fatalf("to_did alice at C: %v", err)
	}
	pay.Outputs[2] = with207(etpOut(w.A, ETP), "alice", "")
	if err := w.check(pay); !errors.Is(err, did.ErrToDID) {
		t.Fatalf("to_did alice at A: %v", err)
	}
}

// Memory serves readers while it is fed (run with -race).
func TestMemoryConcurrent(t *testing.T) {
	w := newWorld(t, mvs.TestNet())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for h := uint64(11); h < 200; h++ {
			tr := &tx.Tx{Outputs: []tx.Output{didOut(w.B, tx.DIDStatusRegister, "b"+string(rune('a'+h%26)))}}
			if err := w.reg.Apply(tr, h); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for i := 0; i < 200; i++ {
		if _, err := did.AddressOf(w.reg, "alice", uint64(i)+10); err != nil {
			t.Fatal(err)
		}
		_, _, _ = w.reg.SymbolOf(w.B.String(), uint64(i))
		_, _ = w.reg.History("ba", uint64(i))
	}
	<-done
}

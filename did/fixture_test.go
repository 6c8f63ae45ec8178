package did_test

import (
	"errors"
	"testing"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/did"
	"github.com/mvsgo/mvs/tx"
)

// key returns a fixed private key whose 32 bytes are all b.
func key(b byte) *btcec.PrivateKey {
	var k [32]byte
	for i := range k {
		k[i] = b
	}
	priv, _ := btcec.PrivKeyFromBytes(k[:])
	return priv
}

func addrOf(k *btcec.PrivateKey, p *mvs.Params) mvs.Address {
	return mvs.NewPubKeyAddress(k.PubKey().SerializeCompressed(), p)
}

// p2pkh is the pay-to-key-hash script of a.
func p2pkh(a mvs.Address) []byte {
	s := []byte{0x76, 0xa9, 0x14}
	s = append(s, a.Hash[:]...)
	return append(s, 0x88, 0xac)
}

func p2sh(a mvs.Address) []byte {
	s := []byte{0xa9, 0x14}
	s = append(s, a.Hash[:]...)
	return append(s, 0x87)
}

func op(n byte) tx.OutPoint {
	var h mvs.Hash
	h[0], h[31] = n, 0x5a
	return tx.OutPoint{Hash: h, Index: uint32(n)}
}

func etpOut(a mvs.Address, v mvs.Amount) tx.Output {
	return tx.Output{Value: v, Script: p2pkh(a), Attachment: tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeETP}}
}

func didOut(a mvs.Address, status uint32, symbol string) tx.Output {
	return tx.Output{Script: p2pkh(a), Attachment: tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeDID,
		Payload: &tx.DID{Status: status, Symbol: symbol, Address: a.String()}}}
}

func msgOut(a mvs.Address, text string) tx.Output {
	return tx.Output{Script: p2pkh(a), Attachment: tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeMessage,
		Payload: &tx.Message{Content: text}}}
}

func assetOut(a mvs.Address, symbol string, q uint64) tx.Output {
	return tx.Output{Script: p2pkh(a), Attachment: tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeAsset,
		Payload: &tx.AssetTransfer{Symbol: symbol, Quantity: q}}}
}

func spend(ops ...tx.OutPoint) []tx.Input {
	in := make([]tx.Input, len(ops))
	for i, o := range ops {
		in[i] = tx.Input{PreviousOutput: o, Sequence: 0xffffffff}
	}
	return in
}

// world is a chain where alice was registered to A at height 10 by the output aliceOut,
// and B and C hold plain ETP; transactions are checked as of block 100.
type world struct {
	p        *mvs.Params
	A, B, C  mvs.Address
	reg      *did.Memory
	prev     did.PrevOutMap
	aliceOut tx.OutPoint
	height   uint64
}

const ETP = mvs.SatoshiPerETP

func newWorld(t testing.TB, p *mvs.Params) *world {
	t.Helper()
	w := &world{p: p, A: addrOf(key(1), p), B: addrOf(key(2), p), C: addrOf(key(3), p), reg: did.NewMemory(), height: 100}
	reg := &tx.Tx{Version: 4, Inputs: spend(op(1)), Outputs: []tx.Output{didOut(w.A, tx.DIDStatusRegister, "alice"), etpOut(w.A, ETP)}}
	if err := w.reg.Apply(reg, 10); err != nil {
		t.Fatal(err)
	}
	w.aliceOut = tx.OutPoint{Hash: reg.Hash(), Index: 0}
	w.prev = did.PrevOutMap{
		w.aliceOut: reg.Outputs[0],
		op(10):     etpOut(w.A, 5*ETP),
		op(11):     etpOut(w.B, 5*ETP),
		op(12):     etpOut(w.C, 5*ETP),
		op(13):     msgOut(w.B, "hello"),
		op(14):     assetOut(w.B, "FOO", 7),
	}
	return w
}

// register is a valid registration of bob to B.
func (w *world) register() *tx.Tx {
	return &tx.Tx{Version: 4, Inputs: spend(op(11)), Outputs: []tx.Output{
		didOut(w.B, tx.DIDStatusRegister, "bob"), etpOut(w.B, 3*ETP)}}
}

// transfer is a valid transfer of alice from A to C.
func (w *world) transfer() *tx.Tx {
	return &tx.Tx{Version: 4, Inputs: spend(w.aliceOut, op(12)), Outputs: []tx.Output{
		didOut(w.C, tx.DIDStatusTransfer, "alice"), etpOut(w.C, 4*ETP)}}
}

func (w *world) check(t *tx.Tx) error { return did.CheckTx(t, w.prev, w.height, w.p, w.reg) }

// failing is a Registry whose every call fails.
type failing struct{}

var errDisk = errors.New("disk on fire")

func (failing) Resolve(string, uint64) (did.Binding, bool, error) {
	return did.Binding{}, false, errDisk
}
func (failing) History(string, uint64) ([]did.Binding, error) { return nil, errDisk }
func (failing) SymbolOf(string, uint64) (string, bool, error) { return "", false, errDisk }

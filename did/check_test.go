package did_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/did"
	"github.com/mvsgo/mvs/tx"
)

func with207(o tx.Output, to, from string) tx.Output {
	o.Attachment.Version = tx.AttachVersionDID
	o.Attachment.ToDID, o.Attachment.FromDID = to, from
	return o
}

func TestCheckTx(t *testing.T) {
	cases := []struct {
		name string
		net  func() *mvs.Params
		tx   func(w *world) *tx.Tx
		want error
	}{
		{"register", nil, (*world).register, nil},
		{"transfer", nil, (*world).transfer, nil},
		{"transfer with a message", nil, func(w *world) *tx.Tx {
			t := w.transfer()
			t.Outputs = append(t.Outputs, msgOut(w.C, "moved"))
			return t
		}, nil},
		{"to_did names the output's DID", nil, func(w *world) *tx.Tx {
			t := w.register()
			t.Inputs = spend(op(11), op(10))
			t.Outputs = append(t.Outputs, with207(etpOut(w.A, ETP), "alice", ""))
			return t
		}, nil},
		{"from_did names an input's DID", nil, func(w *world) *tx.Tx {
			t := w.transfer()
			t.Outputs[1] = with207(t.Outputs[1], "", "alice")
			return t
		}, nil},
		{"invalid symbol", nil, func(w *world) *tx.Tx {
			t := w.register()
			t.Outputs[0].Attachment.Payload.(*tx.DID).Symbol = "bob!"
			return t
		}, did.ErrInvalidSymbol},
		{"banned word on mainnet", mvs.MainNet, func(w *world) *tx.Tx {
			t := w.register()
			t.Outputs[0].Attachment.Payload.(*tx.DID).Symbol = "my.did"
			return t
		}, did.ErrInvalidSymbol},
		{"banned word allowed on testnet", mvs.TestNet, func(w *world) *tx.Tx {
			t := w.register()
			t.Outputs[0].Attachment.Payload.(*tx.DID).Symbol = "my.did"
			return t
		}, nil},
		{"symbol is an address", nil, func(w *world) *tx.Tx {
			t := w.register()
			t.Outputs[0].Attachment.Payload.(*tx.DID).Symbol = w.C.String()
			return t
		}, did.ErrSymbolIsAddress},
		{"symbol is a P2SH address", nil, func(w *world) *tx.Tx {
			t := w.register()
			t.Outputs[0].Attachment.Payload.(*tx.DID).Symbol = mvs.NewScriptHashAddress(w.C.Hash, w.p).String()
			return t
		}, did.ErrSymbolIsAddress},
		{"symbol is the burn address", nil, func(w *world) *tx.Tx {
			t := w.register()
			t.Outputs[0].Attachment.Payload.(*tx.DID).Symbol = mvs.BlackholeAddress
			return t
		}, did.ErrSymbolIsAddress},
		{"symbol is a stealth address", nil, func(w *world) *tx.Tx {
			t := w.register()
			t.Outputs[0].Attachment.Payload.(*tx.DID).Symbol = stealthAddress()
			return t
		}, did.ErrSymbolIsAddress},
		{"stealth-like but options above 1", nil, func(w *world) *tx.Tx {
			t := w.register()
			t.Outputs[0].Attachment.Payload.(*tx.DID).Symbol = stealthWith(func(b []byte) []byte { b[1] = 2; return b })
			return t
		}, nil},
		{"stealth-like but a 33-bit prefix", nil, func(w *world) *tx.Tx {
			t := w.register()
			t.Outputs[0].Attachment.Payload.(*tx.DID).Symbol = stealthWith(func(b []byte) []byte { b[37] = 33; return append(b, 0, 0, 0, 0, 0) })
			return t
		}, nil},
		{"stealth-like but a byte too long", nil, func(w *world) *tx.Tx {
			t := w.register()
			t.Outputs[0].Attachment.Payload.(*tx.DID).Symbol = stealthWith(func(b []byte) []byte { return append(b, 0) })
			return t
		}, nil},
		{"stealth with an 8-bit prefix", nil, func(w *world) *tx.Tx {
			t := w.register()
			t.Outputs[0].Attachment.Payload.(*tx.DID).Symbol = stealthWith(func(b []byte) []byte { b[37] = 8; return append(b, 0xab) })
			return t
		}, did.ErrSymbolIsAddress},
		{"symbol is another network's address", nil, func(w *world) *tx.Tx {
			t := w.register()
			t.Outputs[0].Attachment.Payload.(*tx.DID).Symbol = addrOf(key(3), mvs.MainNet()).String()
			return t
		}, nil},
		{"attachment address is not the script's", nil, func(w *world) *tx.Tx {
			t := w.register()
			t.Outputs[0].Attachment.Payload.(*tx.DID).Address = w.C.String()
			return t
		}, did.ErrAddressMismatch},
		{"to_did not the output address's DID", nil, func(w *world) *tx.Tx {
			t := w.register()
			t.Outputs[1] = with207(t.Outputs[1], "alice", "")
			return t
		}, did.ErrToDID},
		{"from_did of no input", nil, func(w *world) *tx.Tx {
			t := w.register()
			t.Outputs[1] = with207(t.Outputs[1], "", "alice")
			return t
		}, did.ErrFromDID},
		{"to_did ignored below version 207", nil, func(w *world) *tx.Tx {
			t := w.register()
			t.Outputs[1].Attachment.ToDID = "alice" // not on the wire at version 1
			return t
		}, nil},
		{"asset issuer is not to_did", nil, func(w *world) *tx.Tx {
			t := w.register()
			t.Outputs = append(t.Outputs, tx.Output{Script: p2pkh(w.B), Attachment: tx.Attachment{
				Version: tx.AttachVersionDID, Type: tx.TypeAsset,
				Payload: &tx.AssetDetail{Symbol: "BOBCOIN", MaximumSupply: 1, Issuer: "bob", Address: w.B.String()}}})
			return t
		}, did.ErrIssuerNotToDID},
		{"certificate owner is not to_did", nil, func(w *world) *tx.Tx {
			t := w.register()
			t.Outputs = append(t.Outputs, tx.Output{Script: p2pkh(w.B), Attachment: tx.Attachment{
				Version: tx.AttachVersionDID, Type: tx.TypeAssetCert,
				Payload: &tx.AssetCert{Symbol: "BOBCOIN", Owner: "bob", Address: w.B.String(), CertType: tx.CertIssue}}})
			return t
		}, did.ErrIssuerNotToDID},
		{"symbol already registered", nil, func(w *world) *tx.Tx {
			t := w.register()
			t.Outputs[0].Attachment.Payload.(*tx.DID).Symbol = "alice"
			return t
		}, did.ErrSymbolExists},
		{"registered in the same block is not yet registered", nil, func(w *world) *tx.Tx {
			w.height = 10 // alice's own block: the state before it has no alice
			t := w.register()
			t.Outputs[0].Attachment.Payload.(*tx.DID).Symbol = "alice"
			return t
		}, nil},
		{"BLACKHOLE's seeded height counts as unregistered in a block", nil, func(w *world) *tx.Tx {
			t := w.register()
			t.Outputs[0].Attachment.Payload.(*tx.DID).Symbol = did.BlackholeSymbol
			return t
		}, nil},
		{"register to an address with a DID", nil, func(w *world) *tx.Tx {
			return &tx.Tx{Version: 4, Inputs: spend(op(10)), Outputs: []tx.Output{
				didOut(w.A, tx.DIDStatusRegister, "bob"), etpOut(w.A, 3*ETP)}}
		}, did.ErrAddressHasDID},
		{"transfer to an address with a DID", nil, func(w *world) *tx.Tx {
			return &tx.Tx{Version: 4, Inputs: spend(w.aliceOut, op(10)), Outputs: []tx.Output{
				didOut(w.A, tx.DIDStatusTransfer, "alice"), etpOut(w.A, 4*ETP)}}
		}, did.ErrAddressHasDID},
		{"two DID outputs", nil, func(w *world) *tx.Tx {
			t := w.register()
			t.Outputs = append(t.Outputs, didOut(w.B, tx.DIDStatusRegister, "bob2"))
			return t
		}, did.ErrMultipleDIDOutputs},
		{"registration spends nothing of its address", nil, func(w *world) *tx.Tx {
			t := w.register()
			t.Inputs = spend(op(12))
			return t
		}, did.ErrRegisterInput},
		{"registration spends a message output of its address", nil, func(w *world) *tx.Tx {
			t := w.register()
			t.Inputs = spend(op(13))
			return t
		}, did.ErrRegisterInput},
		{"transfer with three inputs", nil, func(w *world) *tx.Tx {
			t := w.transfer()
			t.Inputs = spend(w.aliceOut, op(12), op(10))
			return t
		}, did.ErrTransferInputs},
		{"transfer without the DID's output", nil, func(w *world) *tx.Tx {
			t := w.transfer()
			t.Inputs = spend(op(10), op(12))
			return t
		}, did.ErrTransferInputs},
		{"transfer without ETP of the new address", nil, func(w *world) *tx.Tx {
			t := w.transfer()
			t.Inputs = spend(w.aliceOut, op(11))
			return t
		}, did.ErrTransferInputs},
		{"spent DID and asset of different symbols", nil, func(w *world) *tx.Tx {
			t := w.register()
			t.Inputs = spend(op(11), w.aliceOut, op(14))
			return t
		}, did.ErrInputSymbols},
		{"transfer carrying an asset", nil, func(w *world) *tx.Tx {
			t := w.transfer()
			t.Outputs = append(t.Outputs, assetOut(w.C, "FOO", 1))
			return t
		}, did.ErrTransferOutputs},
		{"script without an address reads as the burn address, which has BLACKHOLE", nil, func(w *world) *tx.Tx {
			t := w.register()
			t.Outputs[0].Script = []byte{0x6a, 0x01, 0x01} // null data: the node's empty address
			t.Outputs[0].Attachment.Payload.(*tx.DID).Address = mvs.BlackholeAddress
			return t
		}, did.ErrAddressHasDID},
		{"spending a DID output without a DID output is allowed (the DID stays put)", nil, func(w *world) *tx.Tx {
			return &tx.Tx{Version: 4, Inputs: spend(w.aliceOut, op(10)), Outputs: []tx.Output{etpOut(w.A, 4*ETP)}}
		}, nil},
		{"spent output unknown", nil, func(w *world) *tx.Tx {
			t := w.register()
			t.Inputs = spend(op(99))
			return t
		}, did.ErrNoPrevOut},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			net := mvs.TestNet
			if c.net != nil {
				net = c.net
			}
			w := newWorld(t, net())
			err := w.check(c.tx(w))
			if c.want == nil && err != nil || !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}
}

func TestCheckTxRegistryFailure(t *testing.T) {
	w := newWorld(t, mvs.TestNet())
	err := did.CheckTx(w.register(), w.prev, w.height, w.p, failing{})
	if !errors.Is(err, did.ErrRegistry) || !errors.Is(err, errDisk) {
		t.Fatalf("got %v", err)
	}
	if err := did.CheckTx(w.register(), w.prev, w.height, nil, w.reg); !errors.Is(err, mvs.ErrNoParams) {
		t.Fatalf("nil params: %v", err)
	}
	if err := did.CheckTx(w.register(), w.prev, w.height, w.p, nil); !errors.Is(err, did.ErrRegistry) {
		t.Fatalf("nil registry: %v", err)
	}
	if err := did.CheckTx(w.register(), nil, w.height, w.p, w.reg); !errors.Is(err, did.ErrNoPrevOut) {
		t.Fatalf("nil prevouts: %v", err)
	}
	if _, err := did.Resolve(nil, "alice", 1); !errors.Is(err, did.ErrRegistry) {
		t.Fatalf("nil registry: %v", err)
	}
}

// A coinbase cannot register a DID: it spends nothing the registration could use.
func TestCheckTxCoinbase(t *testing.T) {
	w := newWorld(t, mvs.TestNet())
	cb := &tx.Tx{Version: 1, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Index: 0xffffffff}, Script: []byte{1, 2}}},
		Outputs: []tx.Output{etpOut(w.A, ETP)}}
	if err := w.check(cb); err != nil {
		t.Fatalf("plain coinbase: %v", err)
	}
	cb.Outputs = append(cb.Outputs, didOut(w.B, tx.DIDStatusRegister, "bob"))
	if err := w.check(cb); !errors.Is(err, did.ErrNoPrevOut) {
		t.Fatalf("coinbase registration: %v", err)
	}
}

// The prevouts may come as the tx package's signing records.
func TestPrevOutList(t *testing.T) {
	w := newWorld(t, mvs.TestNet())
	o := w.prev[op(11)]
	list := did.PrevOutList{{OutPoint: op(11), Value: o.Value, Script: o.Script, Attachment: o.Attachment}}
	if err := did.CheckTx(w.register(), list, w.height, w.p, w.reg); err != nil {
		t.Fatal(err)
	}
	if _, err := list.PrevOut(op(12)); !errors.Is(err, did.ErrNoPrevOut) {
		t.Fatal(err)
	}
}

func TestBlock(t *testing.T) {
	w := newWorld(t, mvs.TestNet())
	cases := []struct {
		name string
		txs  []*tx.Tx
		want error
	}{
		{"distinct", []*tx.Tx{w.register(), w.transfer()}, nil},
		{"one symbol twice", []*tx.Tx{w.transfer(), {Outputs: []tx.Output{didOut(w.B, tx.DIDStatusTransfer, "alice")}}},
			did.ErrDuplicateSymbol},
		{"one address twice", []*tx.Tx{w.register(), {Outputs: []tx.Output{didOut(w.B, tx.DIDStatusRegister, "carol")}}},
			did.ErrDuplicateAddress},
		{"two in one transaction", []*tx.Tx{{Outputs: []tx.Output{didOut(w.B, tx.DIDStatusRegister, "x"), didOut(w.C, tx.DIDStatusRegister, "x")}}},
			did.ErrDuplicateSymbol},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b did.Block
			var err error
			for _, tr := range c.txs {
				if err = b.Add(tr); err != nil {
					break
				}
			}
			if c.want == nil && err != nil || !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}
}

// stealthWith builds a stealth address's payload, lets edit change it, and encodes it.
func stealthWith(edit func([]byte) []byte) string {
	b := []byte{0x2a, 0, 0x02}
	b = append(b, make([]byte, 32)...)
	b = append(b, 0, 1, 0)
	return mvs.Base58CheckEncode(edit(b))
}

// stealthAddress builds a DarkWallet stealth address with no spend keys and no prefix: 42
// bytes, short enough to pass as a DID symbol.
func stealthAddress() string {
	b := []byte{0x2a, 0}
	b = append(b, 0x02)
	b = append(b, make([]byte, 32)...)
	b = append(b, 0, 1, 0) // N=0, one signature, no prefix bits
	s := mvs.Base58CheckEncode(b)
	if len(s) > 64 || strings.ContainsAny(s, "0OIl") {
		panic("stealth fixture")
	}
	return s
}

func TestPool(t *testing.T) {
	w := newWorld(t, mvs.TestNet())
	payAlice := &tx.Tx{Outputs: []tx.Output{with207(etpOut(w.A, 1), "alice", "")}}
	fromAlice := &tx.Tx{Outputs: []tx.Output{with207(etpOut(w.B, 1), "", "alice")}}
	cases := []struct {
		name string
		txs  []*tx.Tx
		want error
	}{
		{"distinct", []*tx.Tx{w.register(), w.transfer(), {Outputs: []tx.Output{with207(etpOut(w.A, 1), "carol", "dave")}}}, nil},
		{"payment to a DID after its move", []*tx.Tx{w.transfer(), payAlice}, did.ErrPoolDIDInUse},
		{"payment from a DID after its move", []*tx.Tx{w.transfer(), fromAlice}, did.ErrPoolDIDInUse},
		{"move after a payment to the DID", []*tx.Tx{payAlice, w.transfer()}, did.ErrPoolDIDInUse},
		{"one symbol twice", []*tx.Tx{w.transfer(), {Outputs: []tx.Output{didOut(w.B, tx.DIDStatusTransfer, "alice")}}},
			did.ErrDuplicateSymbol},
		{"one address twice", []*tx.Tx{w.register(), {Outputs: []tx.Output{didOut(w.B, tx.DIDStatusRegister, "carol")}}},
			did.ErrDuplicateAddress},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var p did.Pool
			var err error
			for _, tr := range c.txs {
				if err = p.Add(tr); err != nil {
					break
				}
			}
			if c.want == nil && err != nil || !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}
	// A block has no such rule.
	var b did.Block
	if err := b.Add(w.transfer()); err != nil {
		t.Fatal(err)
	}
	if err := b.Add(payAlice); err != nil {
		t.Fatalf("block: %v", err)
	}
}

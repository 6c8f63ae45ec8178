package asset_test

import (
	"errors"
	"math"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/asset"
	"github.com/mvsgo/mvs/tx"
)

var errDisk = errors.New("disk on fire")

// failing is a registry whose every lookup fails.
type failing struct{}

func (failing) Asset(string) (asset.AssetRecord, bool, error) {
	return asset.AssetRecord{}, false, errDisk
}
func (failing) Cert(string, uint32) (asset.CertRecord, bool, error) {
	return asset.CertRecord{}, false, errDisk
}
func (failing) MIT(string) (asset.MITRecord, bool, error)         { return asset.MITRecord{}, false, errDisk }
func (failing) DIDAddress(string) (string, bool, error)           { return "", false, errDisk }
func (failing) SecondaryWitnessCerts(string, uint32) (int, error) { return 0, errDisk }

// TestCheckTxRegistryFails: a lookup that fails refuses the transaction with ErrRegistry and
// the cause, for every lookup the rules make.
func TestCheckTxRegistryFails(t *testing.T) {
	for name, mk := range map[string]func() *scenario{
		"asset": issueTx, "volume": secondaryTx, "cert": namingTx, "witness": witnessTx, "mit": mitRegisterTx,
	} {
		t.Run(name, func(t *testing.T) {
			s := mk()
			if name == "witness" {
				// the DID lookup comes first; let it answer
				err := asset.CheckTx(s.t, s.prev, s.h, net, witnessOnlyFails{s.reg})
				if !errors.Is(err, asset.ErrRegistry) || !errors.Is(err, errDisk) {
					t.Fatalf("got %v", err)
				}
				return
			}
			err := asset.CheckTx(s.t, s.prev, s.h, net, failing{})
			if !errors.Is(err, asset.ErrRegistry) || !errors.Is(err, errDisk) {
				t.Fatalf("got %v", err)
			}
		})
	}
}

type witnessOnlyFails struct{ *asset.MemRegistry }

func (witnessOnlyFails) SecondaryWitnessCerts(string, uint32) (int, error) { return 0, errDisk }

func TestCheckTxCallerErrors(t *testing.T) {
	s := transferTx()
	if err := asset.CheckTx(s.t, s.prev, s.h, nil, s.reg); !errors.Is(err, mvs.ErrNoParams) {
		t.Errorf("nil params: %v", err)
	}
	if err := asset.CheckTx(s.t, s.prev, s.h, net, nil); !errors.Is(err, asset.ErrRegistry) {
		t.Errorf("nil registry: %v", err)
	}
	s.prev[0].Attachment.Payload = &tx.Message{Content: "x"} // type asset, payload a message
	if err := s.check(); !errors.Is(err, tx.ErrPayloadMismatch) {
		t.Errorf("mismatched previous output: %v", err)
	}
	s = transferTx()
	s.t.Version = tx.VersionCheckOutputScript // CheckSanity leaves payloads alone before v4
	s.t.Outputs[0].Attachment.Payload = &tx.Message{Content: "x"}
	if err := s.check(); !errors.Is(err, tx.ErrPayloadMismatch) {
		t.Errorf("mismatched output: %v", err)
	}
	s = certTransferTx()
	s.t.Version = tx.VersionCheckOutputScript
	s.t.Outputs[0].Attachment.Type = tx.TypeETP // a certificate payload under the ETP type
	if err := s.check(); !errors.Is(err, tx.ErrPayloadMismatch) {
		t.Errorf("certificate typed as ETP: %v", err)
	}
	s = issueTx()
	detailOfOut(s, 0).Symbol = "FOO.bar" // CheckSanity's symbol rule comes first
	if err := s.check(); !errors.Is(err, tx.ErrInvalidSymbol) {
		t.Errorf("lower-case symbol: %v", err)
	}
}

// TestCheckTxNodeQuirks pins what the node accepts that a reader might expect refused.
func TestCheckTxNodeQuirks(t *testing.T) {
	cases := []struct {
		name string
		make func() *scenario
	}{
		{"asset inputs vanish without a transfer output", func() *scenario {
			s := transferTx()
			s.t.Outputs = s.t.Outputs[2:]
			return s
		}},
		{"certificate inputs vanish without a certificate output", func() *scenario {
			s := certTransferTx()
			s.t.Outputs = s.t.Outputs[1:]
			return s
		}},
		{"a domain certificate before the issue is not matched to its domain", func() *scenario {
			s := issueTx()
			o := s.t.Outputs
			certOfOut(s, 2).Symbol = "QUX"
			s.t.Outputs = []tx.Output{o[2], o[0], o[1], o[3]}
			return s
		}},
		{"version 2 issues need no certificate", func() *scenario {
			s := issueTx()
			s.t.Version = tx.VersionCheckOutputScript
			s.t.Outputs = []tx.Output{s.t.Outputs[0], s.t.Outputs[3]}
			return s
		}},
		{"a secondary issue of an unknown symbol meets a supply of 0", func() *scenario {
			s := secondaryTx()
			delete(s.reg.Assets, "FOO.BAR")
			return s
		}},
		{"anyone may issue the free issue certificate of an asset issued with threshold 0", func() *scenario {
			s := newScenario([]tx.Output{etp(addrC, funds)},
				pay(addrC, 0, cert("FOO.BAR", "mallory", addrC, tx.CertIssue, tx.CertStatusIssue)),
				etp(addrC, funds-fee))
			s.reg.RegisterAsset(*detail("FOO.BAR", 1000, 0, addrA))
			return s
		}},
		{"...and with it issue more, declaring threshold 127", func() *scenario {
			s := newScenario([]tx.Output{
				pay(addrC, 0, cert("FOO.BAR", "mallory", addrC, tx.CertIssue, tx.CertStatusNormal)),
				etp(addrC, funds),
			},
				pay(addrC, 0, &tx.AssetDetail{Symbol: "FOO.BAR", MaximumSupply: 1e9, SecondaryIssueThreshold: 127 | 128, Address: addrC.String()}),
				pay(addrC, 0, cert("FOO.BAR", "mallory", addrC, tx.CertIssue, tx.CertStatusNormal)),
				etp(addrC, funds-fee))
			s.reg.RegisterAsset(*detail("FOO.BAR", 1000, 0, addrA))
			s.reg.RegisterCert("FOO.BAR", tx.CertIssue, "mallory", addrC.String())
			return s
		}},
		{"an auto-issued domain certificate is not checked against the chain", func() *scenario {
			s := issueTx()                                                    // issues FOO.BAR with a new FOO domain certificate...
			s.reg.RegisterCert("FOO", tx.CertDomain, "carol", addrC.String()) // ...while carol holds FOO's
			return s
		}},
		{"a share one unit short passes", func() *scenario {
			s := secondaryTx()
			s.reg.Assets["FOO.BAR"] = asset.AssetRecord{Volume: 1202} // needs 601
			return s
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := c.make().check(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestOwnsEnough(t *testing.T) {
	cases := []struct {
		own, total uint64
		threshold  uint8
		want       bool
	}{
		{0, 1000, 127, true},
		{1 << 60, 1000, 0, false},
		{1 << 60, 1000, 101, false},
		{499, 1000, 50, true}, // one unit short is accepted
		{498, 1000, 50, false},
		{0, 1, 50, true},  // a share of 0.5 truncates to 0: nothing needed
		{0, 199, 1, true}, // 1.99 truncates to 1, and one unit less is 0
		{0, 200, 1, false},
		{1, 200, 1, true},
		{0, math.MaxUint64, 100, true}, // 2^64 converts to 0 on the node's x86-64 build
		{math.MaxUint64 / 2, math.MaxUint64, 50, true},
		{math.MaxUint64/2 - 1, math.MaxUint64, 50, false},
	}
	for _, c := range cases {
		if got := asset.OwnsEnough(c.own, c.total, c.threshold); got != c.want {
			t.Errorf("OwnsEnough(%d, %d, %d) = %v", c.own, c.total, c.threshold, got)
		}
	}
	for th, want := range map[uint8]bool{0: true, 1: true, 100: true, 101: false, 126: false, 127: true, 128: false} {
		if asset.ThresholdOK(th) != want {
			t.Errorf("ThresholdOK(%d) != %v", th, want)
		}
	}
}

func TestValidMiningParam(t *testing.T) {
	for param, want := range map[string]bool{
		"initial:500,interval:1000,base:0.95":                                 true,
		" initial:500,interval:1000,base:0.95 ":                               true, // the whole is trimmed
		"initial:500,,interval:1000,base:0.95":                                true, // runs of commas are one
		"base:1e2,initial:+5,interval:7,other:x":                              true,
		"initial:500,interval:1000,base:nan":                                  true, // NaN is not <= 0
		"":                                                                    false,
		"initial:500,interval:1000":                                           false,
		"initial:500,interval:1000,other:1":                                   false,
		"initial:0,interval:1000,base:0.95":                                   false,
		"initial:500,interval:-1,base:0.95":                                   false,
		"initial:500,interval:1000,base:0":                                    false,
		"initial:5000000000,interval:1000,base:0.95":                          false, // not an int32
		"initial: 500,interval:1000,base:0.95":                                false,
		"initial:500,interval:1000,base:0x1p-1":                               false,
		"initial:500:1,interval:1000,base:0.95":                               false,
		",initial:500,interval:1000,base:0.95":                                false, // a leading empty item
		"initial:500,interval:1000,base:0.95,xxxxxxxxxxx":                     false, // item without ':'
		"initial:500,interval:1000,base:0.95,pad:" + string(make([]byte, 30)): false, // over 64 bytes
	} {
		if got := asset.ValidMiningParam(param); got != want {
			t.Errorf("ValidMiningParam(%q) = %v", param, got)
		}
	}
}

func TestDomainAndPrimaryWitness(t *testing.T) {
	for sym, want := range map[string]string{"FOO.BAR.BAZ": "FOO", "FOO": "FOO", ".FOO": "", "": "", "A..B": "A"} {
		if got := asset.Domain(sym); got != want {
			t.Errorf("Domain(%q) = %q", sym, got)
		}
	}
	for sym, want := range map[string]string{
		"MVS.WITNESS.1": "MVS.WITNESS.1", "MVS.WITNESS.12.X": "MVS.WITNESS.12", "MVS.WITNESS.": "MVS.WITNESS.",
		"MVS.WITNES.1": "", "FOO": "",
	} {
		if got := asset.PrimaryWitness(sym); got != want {
			t.Errorf("PrimaryWitness(%q) = %q", sym, got)
		}
	}
}

func TestBlockRegistrations(t *testing.T) {
	did := func(sym string, a mvs.Address) tx.Output {
		return pay(a, 0, &tx.DID{Status: tx.DIDStatusRegister, Symbol: sym, Address: a.String()})
	}
	txOf := func(outs ...tx.Output) *tx.Tx { return &tx.Tx{Version: tx.VersionNova, Outputs: outs} }
	cases := []struct {
		name   string
		first  *tx.Tx
		second *tx.Tx
		kind   string
	}{
		{"asset", issueTx().t, txOf(pay(addrB, 0, detail("FOO.BAR", 5, 0, addrB))), "asset"},
		{"certificate", issueTx().t, txOf(pay(addrB, 0, cert("FOO", "bob", addrB, tx.CertDomain, tx.CertStatusTransfer))), "certificate"},
		{"MIT transfer after register", mitRegisterTx().t, mitTransferTx().t, "MIT"},
		{"DID", txOf(did("bob", addrB)), txOf(did("bob", addrC)), "DID"},
		{"DID address", txOf(did("bob", addrB)), txOf(did("carol", addrB)), "DID address"},
		{"within one transaction", txOf(), txOf(pay(addrA, 0, mit(tx.MITStatusRegister, "X", addrA)), pay(addrA, 0, mit(tx.MITStatusRegister, "X", addrA))), "MIT"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b asset.BlockRegistrations
			if err := b.Add(c.first); err != nil {
				t.Fatal(err)
			}
			err := b.Add(c.second)
			var d *asset.DuplicateError
			if !errors.Is(err, asset.ErrBlockDuplicate) || !errors.As(err, &d) || d.Kind != c.kind {
				t.Fatalf("got %v", err)
			}
		})
	}
	t.Run("distinct registrations pass; a refused transaction records nothing", func(t *testing.T) {
		var b asset.BlockRegistrations
		for _, x := range []*tx.Tx{issueTx().t, transferTx().t, witnessTx().t, mitRegisterTx().t} {
			if err := b.Add(x); err != nil {
				t.Fatal(err)
			}
		}
		bad := txOf(pay(addrA, 0, mit(tx.MITStatusRegister, "NEW", addrA)), pay(addrA, 0, detail("FOO.BAR", 1, 0, addrA)))
		if err := b.Add(bad); !errors.Is(err, asset.ErrBlockDuplicate) {
			t.Fatal(err)
		}
		if err := b.Add(txOf(pay(addrA, 0, mit(tx.MITStatusRegister, "NEW", addrA)))); err != nil {
			t.Fatalf("NEW was recorded by the refused transaction: %v", err)
		}
	})
	t.Run("a secondary issue is not a registration of the symbol", func(t *testing.T) {
		var b asset.BlockRegistrations
		if err := b.Add(secondaryTx().t); err != nil {
			t.Fatal(err)
		}
		if err := b.Add(txOf(pay(addrA, 0, detail("FOO.BAR", 1, 0, addrA)))); err != nil {
			t.Fatal(err)
		}
	})
}

// TestCheckTxCoinbase: a coinbase spends nothing, so only the output rules apply; an MST
// mining reward (a transfer) passes, a registration that must show inputs does not.
func TestCheckTxCoinbase(t *testing.T) {
	cb := &tx.Tx{Version: tx.VersionFirst,
		Inputs:  []tx.Input{{PreviousOutput: tx.OutPoint{Index: 0xffffffff}, Script: []byte{1, 2, 3}, Sequence: 0xffffffff}},
		Outputs: []tx.Output{etp(addrA, 1e8), pay(addrA, 0, xfer("FOO.BAR", 50))}}
	reg := &asset.MemRegistry{}
	if err := asset.CheckTx(cb, nil, height, net, reg); err != nil {
		t.Fatal(err)
	}
	cb.Outputs[1] = pay(addrA, 0, mit(tx.MITStatusRegister, "MYMIT", addrA))
	if err := asset.CheckTx(cb, nil, height, net, reg); !errors.Is(err, asset.ErrMITInput) {
		t.Fatalf("MIT registered by a coinbase: %v", err)
	}
}

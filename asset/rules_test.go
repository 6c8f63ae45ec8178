package asset_test

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/asset"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// Fixtures: mainnet after the PoS fork, three addresses, alice's DID bound to A.
var (
	net    = mvs.MainNet()
	height = net.PoSHeight + 100
	addrA  = mvs.NewPubKeyHashAddress([20]byte{0xa}, net)
	addrB  = mvs.NewPubKeyHashAddress([20]byte{0xb}, net)
	addrC  = mvs.NewPubKeyHashAddress([20]byte{0xc}, net)
	burn   = mvs.Address{Kind: mvs.Blackhole}
)

const fee = 10_000

func att(p tx.Payload) tx.Attachment {
	if p == nil {
		return tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeETP}
	}
	return tx.Attachment{Version: tx.AttachVersion, Type: p.AttachmentType(), Payload: p}
}

func pay(to mvs.Address, value mvs.Amount, p tx.Payload) tx.Output {
	return tx.Output{Value: value, Script: script.PayToAddress(to), Attachment: att(p)}
}

func etp(to mvs.Address, value mvs.Amount) tx.Output { return pay(to, value, nil) }

func detail(symbol string, supply uint64, threshold uint8, to mvs.Address) *tx.AssetDetail {
	return &tx.AssetDetail{Symbol: symbol, MaximumSupply: supply, SecondaryIssueThreshold: threshold,
		Issuer: "alice", Address: to.String(), Description: "test"}
}

func xfer(symbol string, q uint64) *tx.AssetTransfer {
	return &tx.AssetTransfer{Symbol: symbol, Quantity: q}
}

func cert(symbol, owner string, to mvs.Address, typ uint32, status uint8) *tx.AssetCert {
	return &tx.AssetCert{Symbol: symbol, Owner: owner, Address: to.String(), CertType: typ, Status: status}
}

func mit(status uint8, symbol string, to mvs.Address) *tx.MIT {
	return &tx.MIT{Status: status, Symbol: symbol, Address: to.String(), Content: ""}
}

// spend makes previous outputs (and the inputs spending them) from outputs.
func spend(outs ...tx.Output) ([]tx.Input, []tx.PrevOut) {
	ins := make([]tx.Input, len(outs))
	prev := make([]tx.PrevOut, len(outs))
	for i, o := range outs {
		op := tx.OutPoint{Hash: mvs.Hash{byte(i + 1), 0x77}, Index: uint32(i)}
		ins[i] = tx.Input{PreviousOutput: op, Sequence: 0xffffffff}
		prev[i] = tx.PrevOut{OutPoint: op, Value: o.Value, Script: o.Script, Attachment: o.Attachment, Height: 100}
	}
	return ins, prev
}

// scenario is a transaction with the outputs it spends and the registry it meets.
type scenario struct {
	t    *tx.Tx
	prev []tx.PrevOut
	reg  *asset.MemRegistry
	h    uint32
}

func newScenario(spent []tx.Output, outs ...tx.Output) *scenario {
	ins, prev := spend(spent...)
	reg := &asset.MemRegistry{}
	reg.RegisterDID("alice", addrA.String())
	reg.RegisterDID("bob", addrB.String())
	return &scenario{t: &tx.Tx{Version: tx.VersionNova, Inputs: ins, Outputs: outs}, prev: prev, reg: reg, h: height}
}

func (s *scenario) check() error { return asset.CheckTx(s.t, s.prev, s.h, net, s.reg) }

// Valid transactions, one per kind; each negative case breaks one rule of one of them.

const funds = 100 * 100_000_000

func issueTx() *scenario {
	return newScenario([]tx.Output{etp(addrA, funds)},
		pay(addrA, 0, detail("FOO.BAR", 1000, 50, addrA)),
		pay(addrA, 0, cert("FOO.BAR", "alice", addrA, tx.CertIssue, tx.CertStatusAutoIssue)),
		pay(addrA, 0, cert("FOO", "alice", addrA, tx.CertDomain, tx.CertStatusAutoIssue)),
		etp(addrA, funds-fee))
}

const miningParam = "initial:500,interval:1000,base:0.95"

func miningIssueTx() *scenario {
	s := issueTx()
	m := cert("FOO.BAR", "alice", addrA, tx.CertMining, tx.CertStatusAutoIssue)
	m.Content = miningParam
	s.t.Outputs = append(s.t.Outputs, pay(addrA, 0, m))
	return s
}

func secondaryTx() *scenario {
	sd := detail("FOO.BAR", 500, 50|128, addrA)
	s := newScenario([]tx.Output{
		pay(addrA, 0, cert("FOO.BAR", "alice", addrA, tx.CertIssue, tx.CertStatusNormal)),
		pay(addrA, 0, xfer("FOO.BAR", 600)),
		etp(addrA, funds),
	},
		pay(addrA, 0, sd),
		pay(addrA, 0, cert("FOO.BAR", "alice", addrA, tx.CertIssue, tx.CertStatusNormal)),
		pay(addrA, 0, xfer("FOO.BAR", 600)),
		etp(addrA, funds-fee))
	s.reg.RegisterAsset(*detail("FOO.BAR", 1000, 50, addrA))
	return s
}

func transferTx() *scenario {
	s := newScenario([]tx.Output{pay(addrA, 0, xfer("FOO.BAR", 600)), etp(addrA, funds)},
		pay(addrB, 0, xfer("FOO.BAR", 400)),
		pay(addrA, 0, xfer("FOO.BAR", 200)),
		etp(addrA, funds-fee))
	s.reg.RegisterAsset(*detail("FOO.BAR", 1000, 50, addrA))
	return s
}

func burnTx() *scenario {
	s := transferTx()
	s.t.Outputs[0] = pay(burn, 0, xfer("FOO.BAR", 400))
	return s
}

func certTransferTx() *scenario {
	s := newScenario([]tx.Output{pay(addrA, 0, cert("FOO", "alice", addrA, tx.CertDomain, tx.CertStatusNormal)), etp(addrA, funds)},
		pay(addrB, 0, cert("FOO", "bob", addrB, tx.CertDomain, tx.CertStatusTransfer)),
		etp(addrA, funds-fee))
	s.reg.RegisterCert("FOO", tx.CertDomain, "alice", addrA.String())
	return s
}

func namingTx() *scenario {
	s := newScenario([]tx.Output{pay(addrA, 0, cert("FOO", "alice", addrA, tx.CertDomain, tx.CertStatusNormal)), etp(addrA, funds)},
		pay(addrB, 0, cert("FOO.BAZ", "bob", addrB, tx.CertNaming, tx.CertStatusIssue)),
		pay(addrA, 0, cert("FOO", "alice", addrA, tx.CertDomain, tx.CertStatusNormal)),
		etp(addrA, funds-fee))
	s.reg.RegisterCert("FOO", tx.CertDomain, "alice", addrA.String())
	return s
}

func witnessTx() *scenario {
	s := newScenario([]tx.Output{pay(addrA, 0, cert("MVS.WITNESS.1", "alice", addrA, tx.CertWitness, tx.CertStatusNormal)), etp(addrA, funds)},
		pay(addrB, 0, cert("MVS.WITNESS.1.X", "bob", addrB, tx.CertWitness, tx.CertStatusIssue)),
		pay(addrA, 0, cert("MVS.WITNESS.1", "alice", addrA, tx.CertWitness, tx.CertStatusNormal)),
		etp(addrA, funds-fee))
	s.reg.RegisterCert("MVS.WITNESS.1", tx.CertWitness, "alice", addrA.String())
	return s
}

func mitRegisterTx() *scenario {
	return newScenario([]tx.Output{etp(addrA, funds)},
		pay(addrA, 0, mit(tx.MITStatusRegister, "MYMIT", addrA)),
		pay(addrA, 0, mit(tx.MITStatusRegister, "MYMIT2", addrA)),
		etp(addrA, funds-fee))
}

func mitTransferTx() *scenario {
	s := newScenario([]tx.Output{pay(addrA, 0, mit(tx.MITStatusRegister, "MYMIT", addrA)), etp(addrA, funds)},
		pay(addrB, 0, mit(tx.MITStatusTransfer, "MYMIT", addrB)),
		etp(addrA, funds-fee))
	s.reg.RegisterMIT("MYMIT", addrA.String(), "")
	return s
}

func lockedIssueTx() *scenario {
	s := issueTx()
	s.t.Outputs[0] = lockTo(s.t.Outputs[0], [20]byte{0xa}, "PN=0;LH=100;TYPE=1;LQ=900;LP=300;UN=3")
	return s
}

var valid = map[string]func() *scenario{
	"issue": issueTx, "locked issue": lockedIssueTx, "issue with mining cert": miningIssueTx, "secondary issue": secondaryTx,
	"transfer": transferTx, "burn": burnTx, "cert transfer": certTransferTx, "naming cert issue": namingTx,
	"secondary witness cert issue": witnessTx, "mit register": mitRegisterTx, "mit transfer": mitTransferTx,
}

func TestCheckTxValid(t *testing.T) {
	for name, mk := range valid {
		t.Run(name, func(t *testing.T) {
			s := mk()
			if err := s.t.CheckSanity(); err != nil {
				t.Fatalf("fixture fails CheckSanity: %v", err)
			}
			if err := s.check(); err != nil {
				t.Fatalf("CheckTx: %v", err)
			}
		})
	}
}

func lockTo(o tx.Output, h [20]byte, param string) tx.Output {
	s, err := script.Attenuation(h, param, script.NullOutPoint())
	if err != nil {
		panic(err)
	}
	o.Script = s
	return o
}

// TestCheckTxRules: each case is a valid transaction broken in one way, refused with that
// rule's error.
func TestCheckTxRules(t *testing.T) {
	cases := []struct {
		name    string
		base    func() *scenario
		breakIt func(s *scenario)
		want    error
	}{
		{"prevouts short", transferTx, func(s *scenario) { s.prev = s.prev[:1] }, asset.ErrPrevOuts},
		{"prevouts out of order", transferTx, func(s *scenario) { s.prev[0], s.prev[1] = s.prev[1], s.prev[0] }, asset.ErrPrevOuts},
		{"cert address not the output's", certTransferTx, func(s *scenario) {
			certOfOut(s, 0).Address = addrC.String()
		}, asset.ErrAttachmentAddress},
		{"cert owner not to_did", certTransferTx, func(s *scenario) {
			a := &s.t.Outputs[0].Attachment
			a.Version, a.ToDID = tx.AttachVersionDID, "carol"
		}, asset.ErrToDID},
		{"issuer not to_did", issueTx, func(s *scenario) {
			a := &s.t.Outputs[0].Attachment
			a.Version, a.ToDID = tx.AttachVersionDID, "bob"
		}, asset.ErrToDID},
		{"issue threshold 101", issueTx, func(s *scenario) { detailOfOut(s, 0).SecondaryIssueThreshold = 101 }, asset.ErrThreshold},
		{"two issues", issueTx, func(s *scenario) {
			s.t.Outputs = append(s.t.Outputs, pay(addrA, 0, detail("FOO.QUX", 1, 0, addrA)))
		}, asset.ErrIssueCount},
		{"two issue certs", issueTx, func(s *scenario) { s.t.Outputs = append(s.t.Outputs, s.t.Outputs[1]) }, asset.ErrIssueCount},
		{"issue cert of another symbol", issueTx, func(s *scenario) { certOfOut(s, 1).Symbol = "FOO.QUX" }, asset.ErrIssueMismatch},
		{"issue cert to another address", issueTx, func(s *scenario) {
			s.t.Outputs[1] = pay(addrB, 0, cert("FOO.BAR", "alice", addrB, tx.CertIssue, tx.CertStatusAutoIssue))
		}, asset.ErrIssueMismatch},
		{"domain cert of another domain", issueTx, func(s *scenario) { certOfOut(s, 2).Symbol = "QUX" }, asset.ErrIssueMismatch},
		{"issue beside a MIT", issueTx, func(s *scenario) {
			s.t.Outputs = append(s.t.Outputs, pay(addrA, 0, mit(tx.MITStatusRegister, "MYMIT", addrA)))
		}, asset.ErrIssueOutput},
		{"issue beside a witness cert", issueTx, func(s *scenario) {
			s.t.Outputs = append(s.t.Outputs, pay(addrA, 0, cert("FOO.BAR", "alice", addrA, tx.CertWitness, tx.CertStatusAutoIssue)))
		}, asset.ErrIssueOutput},
		{"symbol already issued", issueTx, func(s *scenario) { s.reg.RegisterAsset(*detail("FOO.BAR", 1, 0, addrB)) }, asset.ErrAssetExists},
		{"mining cert before PoS", miningIssueTx, func(s *scenario) { s.h = net.PoSHeight }, asset.ErrMiningCertEarly},
		{"mining param zero initial", miningIssueTx, func(s *scenario) {
			certOfOut(s, 4).Content = "initial:0,interval:1000,base:0.95"
		}, asset.ErrMiningParam},
		{"no issue cert, v4", issueTx, func(s *scenario) { s.t.Outputs = append(s.t.Outputs[:1], s.t.Outputs[2:]...) }, asset.ErrIssueCertMissing},
		{"no domain cert, v4", issueTx, func(s *scenario) { s.t.Outputs = append(s.t.Outputs[:2], s.t.Outputs[3:]...) }, asset.ErrDomainCertMissing},
		{"locked issue, LQ above supply", issueTx, func(s *scenario) {
			s.t.Outputs[0] = lockTo(s.t.Outputs[0], [20]byte{0xa}, "PN=0;LH=100;TYPE=1;LQ=2000;LP=300;UN=3")
		}, asset.ErrModel},
		{"secondary issue threshold 101", secondaryTx, func(s *scenario) {
			detailOfOut(s, 0).SecondaryIssueThreshold = 101 | 128
		}, asset.ErrThreshold},
		{"secondary issue share to another address", secondaryTx, func(s *scenario) {
			s.t.Outputs[2] = pay(addrB, 0, xfer("FOO.BAR", 600))
		}, asset.ErrSecondaryIssue},
		{"secondary issue beside a domain cert", secondaryTx, func(s *scenario) {
			s.t.Outputs[1] = pay(addrA, 0, cert("FOO.BAR", "alice", addrA, tx.CertDomain, tx.CertStatusNormal))
		}, asset.ErrSecondaryIssue},
		{"secondary issue without issue cert", secondaryTx, func(s *scenario) {
			s.t.Outputs = append(s.t.Outputs[:1], s.t.Outputs[2:]...)
		}, asset.ErrIssueCertMissing},
		{"secondary issue overflows", secondaryTx, func(s *scenario) {
			s.reg.Assets["FOO.BAR"] = asset.AssetRecord{Volume: math.MaxUint64 - 100}
		}, asset.ErrSupplyOverflow},
		{"secondary issue share too small", secondaryTx, func(s *scenario) {
			s.reg.Assets["FOO.BAR"] = asset.AssetRecord{Volume: 10000}
		}, asset.ErrShareNotEnough},
		{"secondary issue spends asset of another address", secondaryTx, func(s *scenario) {
			ins, prev := spend(append(prevOutputs(s), pay(addrB, 0, xfer("FOO.BAR", 100)))...)
			s.t.Inputs, s.prev = ins, prev
			transferOfOut(s, 2).Quantity = 700
		}, asset.ErrSecondaryIssueInput},
		{"secondary issue, locked, bad model", secondaryTx, func(s *scenario) {
			s.t.Outputs[0] = lockTo(s.t.Outputs[0], [20]byte{0xa}, "PN=0;LH=100;TYPE=1;LQ=2000;LP=300;UN=3")
		}, asset.ErrModel},
		{"two issued certs", namingTx, func(s *scenario) {
			s.t.Outputs = append(s.t.Outputs, pay(addrB, 0, cert("FOO.BAZ", "bob", addrB, tx.CertNaming, tx.CertStatusIssue)))
		}, asset.ErrCertIssue},
		{"domain cert before the naming cert it allows", namingTx, func(s *scenario) {
			s.t.Outputs[0], s.t.Outputs[1] = s.t.Outputs[1], s.t.Outputs[0]
		}, asset.ErrCertIssue},
		{"cert issue beside a DID", namingTx, func(s *scenario) {
			s.t.Outputs = append(s.t.Outputs, pay(addrB, 0, &tx.DID{Status: tx.DIDStatusRegister, Symbol: "bobby", Address: addrB.String()}))
		}, asset.ErrCertIssue},
		{"naming cert exists", namingTx, func(s *scenario) {
			s.reg.RegisterCert("FOO.BAZ", tx.CertNaming, "carol", addrC.String())
		}, asset.ErrCertExists},
		{"two cert transfers", certTransferTx, func(s *scenario) {
			s.t.Outputs = append(s.t.Outputs, pay(addrB, 0, cert("FOO", "bob", addrB, tx.CertIssue, tx.CertStatusTransfer)))
		}, asset.ErrCertTransfer},
		{"cert issue and transfer together", namingTx, func(s *scenario) {
			s.t.Outputs[1] = pay(addrB, 0, cert("FOO.BAZ", "bob", addrB, tx.CertIssue, tx.CertStatusTransfer))
		}, asset.ErrCertTransfer},
		{"domain owner bound elsewhere", namingTx, func(s *scenario) { s.reg.RegisterDID("alice", addrC.String()) }, asset.ErrCertOwner},
		{"domain owner unregistered", namingTx, func(s *scenario) { delete(s.reg.DIDs, "alice") }, asset.ErrCertOwner},
		{"naming outside the domain", namingTx, func(s *scenario) { certOfOut(s, 0).Symbol = "QUX.BAZ" }, asset.ErrNamingNeedsDomain},
		{"witness under another primary", witnessTx, func(s *scenario) { certOfOut(s, 0).Symbol = "MVS.WITNESS.2.X" }, asset.ErrWitnessNeedsPrimary},
		{"primary witness full", witnessTx, func(s *scenario) {
			for i := range asset.SecondaryWitnessCertMax {
				s.reg.Witness = append(s.reg.Witness, fmt.Sprintf("MVS.WITNESS.1.%d", i))
			}
		}, asset.ErrWitnessFull},
		{"two domain certs out of one", certTransferTx, func(s *scenario) {
			s.t.Outputs = []tx.Output{
				pay(addrA, 0, cert("FOO", "alice", addrA, tx.CertDomain, tx.CertStatusNormal)),
				pay(addrA, 0, cert("FOO", "alice", addrA, tx.CertDomain, tx.CertStatusNormal)),
				etp(addrA, funds-fee)}
		}, asset.ErrCertDuplicate},
		{"cert from nothing", transferTx, func(s *scenario) {
			s.t.Outputs = append(s.t.Outputs, pay(addrA, 0, cert("FOO", "alice", addrA, tx.CertDomain, tx.CertStatusNormal)))
		}, asset.ErrCertSymbol},
		{"naming under a domain not spent", namingTx, func(s *scenario) {
			// Issued with status normal the naming cert skips checkCertTx and must come from the inputs.
			s.t.Outputs[0] = pay(addrB, 0, cert("QUX.BAZ", "bob", addrB, tx.CertNaming, tx.CertStatusNormal))
		}, asset.ErrCertSymbol},
		{"cert of a type not spent", certTransferTx, func(s *scenario) {
			s.t.Outputs = []tx.Output{
				pay(addrA, 0, cert("FOO", "alice", addrA, tx.CertDomain, tx.CertStatusNormal)),
				pay(addrA, 0, cert("FOO", "alice", addrA, tx.CertIssue, tx.CertStatusNormal)),
				etp(addrA, funds-fee)}
		}, asset.ErrCertNotSpent},
		{"spent cert dropped", certTransferTx, func(s *scenario) {
			ins, prev := spend(append(prevOutputs(s), pay(addrA, 0, cert("FOO", "alice", addrA, tx.CertIssue, tx.CertStatusNormal)))...)
			s.t.Inputs, s.prev = ins, prev
			s.t.Outputs[0] = pay(addrA, 0, cert("FOO", "alice", addrA, tx.CertDomain, tx.CertStatusNormal))
		}, asset.ErrCertLost},
		{"cert beside a DID", certTransferTx, func(s *scenario) {
			s.t.Outputs[0] = pay(addrA, 0, cert("FOO", "alice", addrA, tx.CertDomain, tx.CertStatusNormal))
			s.t.Outputs = append(s.t.Outputs, pay(addrB, 0, &tx.DID{Status: tx.DIDStatusRegister, Symbol: "bobby", Address: addrB.String()}))
		}, asset.ErrCertOutput},
		{"auto-issued cert without an issue", certTransferTx, func(s *scenario) {
			s.t.Outputs[0] = pay(addrA, 0, cert("FOO", "alice", addrA, tx.CertDomain, tx.CertStatusNormal))
			s.t.Outputs = append(s.t.Outputs, pay(addrA, 0, cert("FOO.X", "alice", addrA, tx.CertIssue, tx.CertStatusAutoIssue)))
		}, asset.ErrCertAutoIssue},
		{"cert transfer spending two", certTransferTx, func(s *scenario) {
			ins, prev := spend(append(prevOutputs(s), pay(addrA, 0, cert("FOO", "alice", addrA, tx.CertIssue, tx.CertStatusNormal)))...)
			s.t.Inputs, s.prev = ins, prev
		}, asset.ErrCertTransferCount},
		{"inputs of two assets", transferTx, func(s *scenario) {
			ins, prev := spend(append(prevOutputs(s), pay(addrA, 0, xfer("QUX", 1)))...)
			s.t.Inputs, s.prev = ins, prev
		}, asset.ErrInputSymbols},
		{"inputs of two certs", certTransferTx, func(s *scenario) {
			ins, prev := spend(append(prevOutputs(s), pay(addrA, 0, cert("QUX", "alice", addrA, tx.CertDomain, tx.CertStatusNormal)))...)
			s.t.Inputs, s.prev = ins, prev
		}, asset.ErrInputSymbols},
		{"asset and MIT inputs", transferTx, func(s *scenario) {
			ins, prev := spend(append(prevOutputs(s), pay(addrA, 0, mit(tx.MITStatusRegister, "MYMIT", addrA)))...)
			s.t.Inputs, s.prev = ins, prev
		}, asset.ErrInputSymbols},
		{"spending ETP the asset", transferTx, func(s *scenario) {
			s.prev[0].Attachment.Payload = xfer("ETP", 600)
			for i := range 2 {
				transferOfOut(s, i).Symbol = "ETP"
			}
		}, asset.ErrForbiddenSymbol},
		{"one unit from nothing", transferTx, func(s *scenario) { transferOfOut(s, 1).Quantity++ }, asset.ErrAssetAmount},
		{"transfer from no asset input", transferTx, func(s *scenario) {
			s.prev[0].Attachment = att(nil)
		}, asset.ErrAssetAmount},
		{"transfer renames the asset", transferTx, func(s *scenario) { transferOfOut(s, 1).Symbol = "QUX" }, asset.ErrAssetSymbol},
		{"transfer beside a DID", transferTx, func(s *scenario) {
			s.t.Outputs = append(s.t.Outputs, pay(addrB, 0, &tx.DID{Status: tx.DIDStatusRegister, Symbol: "bobby", Address: addrB.String()}))
		}, asset.ErrAssetSymbol},
		{"MITs to two addresses", mitRegisterTx, func(s *scenario) {
			s.t.Outputs[1] = pay(addrB, 0, mit(tx.MITStatusRegister, "MYMIT2", addrB))
		}, asset.ErrMITAddress},
		{"MIT change elsewhere", mitRegisterTx, func(s *scenario) { s.t.Outputs[2] = etp(addrB, funds-fee) }, asset.ErrMITAddress},
		{"MIT exists", mitRegisterTx, func(s *scenario) { s.reg.RegisterMIT("MYMIT2", addrC.String(), "") }, asset.ErrMITExists},
		{"MIT register and transfer", mitTransferTx, func(s *scenario) {
			s.t.Outputs = append(s.t.Outputs, pay(addrA, 0, mit(tx.MITStatusRegister, "MYMIT3", addrA)))
		}, asset.ErrMITShape},
		{"two MIT transfers", mitTransferTx, func(s *scenario) {
			s.t.Outputs = append(s.t.Outputs, s.t.Outputs[0])
		}, asset.ErrMITShape},
		{"MIT beside an asset", mitRegisterTx, func(s *scenario) {
			s.t.Outputs = append(s.t.Outputs, pay(addrA, 0, xfer("FOO.BAR", 1)))
		}, asset.ErrMITShape},
		{"MIT fee paid from another address", mitRegisterTx, func(s *scenario) {
			s.prev[0].Script = script.PayToAddress(addrB)
		}, asset.ErrMITInput},
		{"MIT transfer without the MIT", mitTransferTx, func(s *scenario) { s.prev[0].Attachment = att(nil) }, asset.ErrMITInput},
		{"MIT transfer of another MIT", mitTransferTx, func(s *scenario) { s.prev[0].Attachment.Payload = mit(tx.MITStatusRegister, "OTHER", addrA) }, asset.ErrMITInput},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := c.base()
			if err := s.check(); err != nil {
				t.Fatalf("base transaction refused: %v", err)
			}
			s = c.base()
			c.breakIt(s)
			err := s.check()
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}
}

func prevOutputs(s *scenario) []tx.Output {
	outs := make([]tx.Output, len(s.prev))
	for i, p := range s.prev {
		outs[i] = tx.Output{Value: p.Value, Script: p.Script, Attachment: p.Attachment}
	}
	return outs
}

func certOfOut(s *scenario, i int) *tx.AssetCert {
	return s.t.Outputs[i].Attachment.Payload.(*tx.AssetCert)
}

func detailOfOut(s *scenario, i int) *tx.AssetDetail {
	return s.t.Outputs[i].Attachment.Payload.(*tx.AssetDetail)
}

func transferOfOut(s *scenario, i int) *tx.AssetTransfer {
	return s.t.Outputs[i].Attachment.Payload.(*tx.AssetTransfer)
}

package asset_test

import (
	"errors"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/asset"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
	"github.com/mvsgo/mvs/wallet"
)

func coin(n byte, o tx.Output) wallet.Coin {
	return wallet.Coin{PrevOut: tx.PrevOut{OutPoint: tx.OutPoint{Hash: mvs.Hash{n, 0x55}, Index: 0},
		Value: o.Value, Script: o.Script, Attachment: o.Attachment, Height: 100}}
}

// TestWalletBuildsPass: what package wallet builds passes the chain's asset rules.
func TestWalletBuildsPass(t *testing.T) {
	funding := coin(1, etp(addrA, funds))
	domain := coin(2, pay(addrA, 0, cert("FOO", "alice", addrA, tx.CertDomain, tx.CertStatusNormal)))
	issueCert := coin(3, pay(addrA, 0, cert("FOO.BAR", "alice", addrA, tx.CertIssue, tx.CertStatusNormal)))
	held := coin(4, pay(addrA, 0, xfer("FOO.BAR", 600)))
	token := coin(5, pay(addrA, 0, mit(tx.MITStatusRegister, "MYMIT", addrA)))

	reg := &asset.MemRegistry{}
	reg.RegisterDID("alice", addrA.String())
	reg.RegisterDID("bob", addrB.String())
	reg.RegisterAsset(*detail("FOO.BAR", 1000, 50, addrA))
	reg.RegisterCert("FOO", tx.CertDomain, "alice", addrA.String())
	reg.RegisterCert("FOO.BAR", tx.CertIssue, "alice", addrA.String())
	reg.RegisterMIT("MYMIT", addrA.String(), "")

	b := &wallet.Builder{Params: net, TipHeight: height - 1, Coins: []wallet.Coin{funding, held, token}}
	builds := map[string]func() (*wallet.Unsigned, error){
		"IssueAsset with a new domain": func() (*wallet.Unsigned, error) {
			return b.IssueAsset(addrA, wallet.AssetIssue{Symbol: "NEW.ONE", MaximumSupply: 1e9, Threshold: 50,
				IssuerDID: "alice", DomainCert: true})
		},
		"SendAsset": func() (*wallet.Unsigned, error) { return b.SendAsset(addrB, "FOO.BAR", 400, "", "") },
		"SecondaryIssue": func() (*wallet.Unsigned, error) {
			return b.SecondaryIssue(addrA, wallet.SecondaryIssue{Detail: *detail("FOO.BAR", 1000, 50, addrA),
				TotalSupply: 1000, Volume: 500, IssueCert: issueCert})
		},
		"RegisterMIT":  func() (*wallet.Unsigned, error) { return b.RegisterMIT(addrA, "OTHERMIT", "content") },
		"TransferMIT":  func() (*wallet.Unsigned, error) { return b.TransferMIT(token, addrB) },
		"TransferCert": func() (*wallet.Unsigned, error) { return b.TransferCert(domain, addrB, "bob") },
	}
	for name, build := range builds {
		t.Run(name, func(t *testing.T) {
			u, err := build()
			if err != nil {
				t.Fatal(err)
			}
			if err := asset.CheckTx(u.Tx, u.PrevOuts, height, net, reg); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestWalletIssueWithNamingCert: wallet.IssueAsset spends a naming certificate and returns
// it in status normal, as the node's wallet does; in status transfer the node's
// check_asset_cert_transaction refuses it beside an asset issue.
func TestWalletIssueWithNamingCert(t *testing.T) {
	naming := coin(2, pay(addrA, 0, cert("FOO.BAR", "alice", addrA, tx.CertNaming, tx.CertStatusNormal)))
	b := &wallet.Builder{Params: net, TipHeight: height - 1, Coins: []wallet.Coin{coin(1, etp(addrA, funds))}}
	u, err := b.IssueAsset(addrA, wallet.AssetIssue{Symbol: "FOO.BAR", MaximumSupply: 1e9, IssuerDID: "alice", NamingCert: &naming})
	if err != nil {
		t.Fatal(err)
	}
	reg := &asset.MemRegistry{}
	reg.RegisterDID("alice", addrA.String())
	reg.RegisterCert("FOO.BAR", tx.CertNaming, "alice", addrA.String())
	if err := asset.CheckTx(u.Tx, u.PrevOuts, height, net, reg); err != nil {
		t.Fatal(err)
	}
	// The same transaction with the certificate returned in status transfer is refused.
	for i := range u.Tx.Outputs {
		if c, ok := u.Tx.Outputs[i].Attachment.Payload.(*tx.AssetCert); ok && c.CertType == tx.CertNaming {
			c.Status = tx.CertStatusTransfer
		}
	}
	if err := asset.CheckTx(u.Tx, u.PrevOuts, height, net, reg); !errors.Is(err, asset.ErrCertIssue) {
		t.Fatalf("got %v", err)
	}
}

// TestWalletIssueCertOrder: wallet.IssueCert lists the naming certificate it issues before
// the domain certificate it returns, as the node's issuecert does; the other order
// check_asset_cert_transaction refuses.
func TestWalletIssueCertOrder(t *testing.T) {
	domain := coin(2, pay(addrA, 0, cert("FOO", "alice", addrA, tx.CertDomain, tx.CertStatusNormal)))
	b := &wallet.Builder{Params: net, TipHeight: height - 1, Coins: []wallet.Coin{coin(1, etp(addrA, funds))}}
	u, err := b.IssueCert(domain, "FOO.BAZ", addrB, "bob")
	if err != nil {
		t.Fatal(err)
	}
	reg := &asset.MemRegistry{}
	reg.RegisterDID("alice", addrA.String())
	reg.RegisterDID("bob", addrB.String())
	reg.RegisterCert("FOO", tx.CertDomain, "alice", addrA.String())
	if err := asset.CheckTx(u.Tx, u.PrevOuts, height, net, reg); err != nil {
		t.Fatal(err)
	}
	o := u.Tx.Outputs
	o[0], o[1] = o[1], o[0] // domain certificate first
	if err := asset.CheckTx(u.Tx, u.PrevOuts, height, net, reg); !errors.Is(err, asset.ErrCertIssue) {
		t.Fatalf("got %v", err)
	}
}

// TestWalletSpendLocked: CheckTx applies CheckSpend to the locks spent, at the chain height
// before the block, with the locked outputs' heights.
func TestWalletSpendLocked(t *testing.T) {
	lock, err := script.Attenuation([20]byte{0xa}, "PN=0;LH=20000;TYPE=1;LQ=9000;LP=60000;UN=3", script.NullOutPoint())
	if err != nil {
		t.Fatal(err)
	}
	lockedAt := height - 30000
	locked := wallet.Coin{PrevOut: tx.PrevOut{OutPoint: tx.OutPoint{Hash: mvs.Hash{9}, Index: 1}, Script: lock,
		Attachment: att(xfer("FOO.BAR", 10000)), Height: lockedAt}}
	tip := lockedAt + 25000 // 4,000 released
	b := &wallet.Builder{Params: net, TipHeight: tip, Coins: []wallet.Coin{coin(1, etp(addrA, funds))}}
	u, err := b.SpendLocked(locked, addrB, 4000)
	if err != nil {
		t.Fatal(err)
	}
	reg := &asset.MemRegistry{}
	reg.RegisterAsset(*detail("FOO.BAR", 10000, 0, addrA))
	if err := asset.CheckTx(u.Tx, u.PrevOuts, tip+1, net, reg); err != nil {
		t.Fatal(err)
	}
	if err := asset.CheckTx(u.Tx, u.PrevOuts, tip, net, reg); !errors.Is(err, asset.ErrModel) {
		t.Fatalf("one block early: %v", err)
	}
	prev := append([]tx.PrevOut(nil), u.PrevOuts...)
	for i := range prev {
		if prev[i].OutPoint == locked.OutPoint {
			prev[i].Height = 0
		}
	}
	if err := asset.CheckTx(u.Tx, prev, tip+1, net, reg); !errors.Is(err, asset.ErrPrevOuts) {
		t.Fatalf("lock height unknown: %v", err)
	}
}

package regtest_test

import (
	"errors"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/chain/regtest"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/wallet"
)

// coinWith is the first coin at addr whose attachment matches.
func coinWith(t *testing.T, net *regtest.Net, addr mvs.Address, match func(tx.Attachment) bool) wallet.Coin {
	t.Helper()
	for _, c := range net.Coins(addr) {
		if match(c.Attachment) {
			return c
		}
	}
	t.Fatalf("no such coin at %s", addr)
	return wallet.Coin{}
}

func certOf(typ uint32) func(tx.Attachment) bool {
	return func(a tx.Attachment) bool {
		c, ok := a.Payload.(*tx.AssetCert)
		return ok && c.CertType == typ
	}
}

// TestEveryKind submits a transaction of every kind the wallet builds, each in its own
// block, through the real chain: each must be accepted.
func TestEveryKind(t *testing.T) {
	net := regtest.New(t)
	net.Mine(8)
	alice, bob, carol := net.Address(0), net.Address(1), net.Address(4)
	const etp = mvs.SatoshiPerETP
	var redeem []byte
	var p2sh mvs.Address
	steps := []struct {
		name  string
		build func() *tx.Tx
	}{
		{"send", func() *tx.Tx { return net.Build(net.Builder().Send(wallet.Payment{To: bob, Amount: 3 * etp})) }},
		{"message", func() *tx.Tx { return net.Build(net.Builder().SendMessage(bob, 10_000, "hello")) }},
		{"burn", func() *tx.Tx { return net.Build(net.Builder().Burn(100_000)) }},
		{"deposit", func() *tx.Tx { return net.Build(net.Builder().Deposit(alice, etp, 10)) }},
		{"register DID alice", func() *tx.Tx { return net.Build(net.Builder().RegisterDID(alice, "alice")) }},
		{"register DID bob", func() *tx.Tx { return net.Build(net.Builder().RegisterDID(bob, "bob")) }},
		{"issue asset", func() *tx.Tx {
			return net.Build(net.Builder().IssueAsset(alice, wallet.AssetIssue{Symbol: "ALICE.COIN", MaximumSupply: 1000,
				Threshold: 127, IssuerDID: "alice", DomainCert: true}))
		}},
		{"secondary issue", func() *tx.Tx {
			a, ok, err := net.State().Asset("ALICE.COIN")
			if err != nil || !ok {
				t.Fatalf("asset: %v %v", ok, err)
			}
			return net.Build(net.Builder().SecondaryIssue(alice, wallet.SecondaryIssue{Detail: a.Detail, TotalSupply: a.Volume,
				Volume: 500, ToDID: "alice", IssueCert: coinWith(t, net, alice, certOf(tx.CertIssue))}))
		}},
		{"send asset", func() *tx.Tx { return net.Build(net.Builder().SendAsset(bob, "ALICE.COIN", 100, "bob", "alice")) }},
		{"send asset locked", func() *tx.Tx {
			return net.Build(net.Builder().SendAssetLocked(bob, "ALICE.COIN", 900, "PN=0;LH=20000;TYPE=1;LQ=900;LP=60000;UN=3"))
		}},
		{"issue naming certificate", func() *tx.Tx {
			return net.Build(net.Builder().IssueCert(coinWith(t, net, alice, certOf(tx.CertDomain)), "ALICE.NAME", alice, "alice"))
		}},
		{"transfer certificate", func() *tx.Tx {
			return net.Build(net.Builder().TransferCert(coinWith(t, net, alice, certOf(tx.CertNaming)), bob, "bob"))
		}},
		{"register MIT", func() *tx.Tx { return net.Build(net.Builder().RegisterMIT(alice, "ALICE.MIT", "content")) }},
		{"transfer MIT", func() *tx.Tx {
			mit := coinWith(t, net, alice, func(a tx.Attachment) bool { return a.Type == tx.TypeMIT })
			return net.Build(net.Builder().TransferMIT(mit, bob))
		}},
		{"fund multisig", func() *tx.Tx {
			var pubs [][]byte
			for _, i := range []uint32{2, 3} {
				pubs = append(pubs, net.Key(i).PubKey().SerializeCompressed())
			}
			var err error
			if redeem, p2sh, err = wallet.NewMultisig(2, pubs, net.Params()); err != nil {
				t.Fatal(err)
			}
			return net.Build(net.Builder().Send(wallet.Payment{To: p2sh, Amount: 2 * etp}))
		}},
		{"spend multisig", func() *tx.Tx {
			u, err := net.Builder().SpendMultisig(net.Coins(p2sh), redeem, wallet.Payment{To: alice, Amount: etp})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := u.Sign(wallet.NewKeyList(net.Key(2), net.Key(3)), tx.SignOptions{}); err != nil {
				t.Fatal(err)
			}
			final, err := u.Final()
			if err != nil {
				t.Fatal(err)
			}
			return final
		}},
		{"fund carol", func() *tx.Tx { return net.Build(net.Builder().Send(wallet.Payment{To: carol, Amount: etp})) }},
		{"transfer DID", func() *tx.Tx {
			d := coinWith(t, net, bob, func(a tx.Attachment) bool { return a.Type == tx.TypeDID })
			funding := coinWith(t, net, carol, func(a tx.Attachment) bool { return a.Type == tx.TypeETP })
			u, err := net.Builder().TransferDID(d, funding, carol)
			if err != nil {
				t.Fatal(err)
			}
			return net.Sign(u) // as built: the chain accepts it
		}},
	}
	for _, s := range steps {
		if _, err := net.Submit(s.build()); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
	}
	b, ok, err := net.State().DID("bob")
	if err != nil || !ok || b.Address != carol.String() {
		t.Fatalf("bob's DID: %+v %v %v", b, ok, err)
	}
	if q, err := net.State().Holding("ALICE.COIN", bob.String()); err != nil || q != 1000 {
		t.Fatalf("bob holds %d ALICE.COIN (%v), want 1000", q, err)
	}
	// Each issue is listed, as the node's getasset prints them: the issue, then the
	// secondary issue with the supply it added, marked by the threshold's high bit.
	issues, err := chain.NewQueries(net.Store(), net.Params()).AssetIssues("ALICE.COIN")
	if err != nil || len(issues) != 2 {
		t.Fatalf("AssetIssues: %+v %v, want 2", issues, err)
	}
	if i := issues[0]; i.MaximumSupply != 1000 || i.Threshold != 127 || i.Volume != 1500 || i.Issuer != "alice" {
		t.Fatalf("the first issue: %+v", i)
	}
	if i := issues[1]; i.MaximumSupply != 500 || i.Threshold != 127|128 || i.Height <= issues[0].Height {
		t.Fatalf("the secondary issue: %+v", i)
	}
	if _, err := chain.NewQueries(net.Store(), net.Params()).AssetIssues("NO.SUCH"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("an unknown asset: %v", err)
	}
}

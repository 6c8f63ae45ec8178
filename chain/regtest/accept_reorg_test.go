package regtest_test

import (
	"fmt"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/chain/regtest"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/wallet"
)

// TestAcceptReorgUnwindsEveryKind: reorganisations of 1, 10 and 100 blocks whose losing
// side issued, re-issued and transferred an asset, locked some, issued and transferred a
// certificate, registered and transferred a MIT and registered and transferred DIDs.
// Afterwards the store's digest must equal that of a fresh Net that imported the winning
// chain only, given the losing blocks' header records (Digest covers header records, and
// headers stay known: store/doc.go); the registries must hold nothing of the losing side.
func TestAcceptReorgUnwindsEveryKind(t *testing.T) {
	for _, depth := range []int{1, 10, 100} {
		t.Run(fmt.Sprintf("depth %d", depth), func(t *testing.T) {
			net := regtest.New(t)
			net.Mine(12)
			a0, a1, a2, a3, a4 := net.Address(0), net.Address(1), net.Address(2), net.Address(3), net.Address(4)
			const etp = mvs.SatoshiPerETP
			only := func(addrs ...mvs.Address) *wallet.Builder {
				b := net.Builder()
				b.Coins = nil
				for _, a := range addrs {
					b.Coins = append(b.Coins, net.Coins(a)...)
				}
				return b
			}
			for _, a := range []mvs.Address{a1, a2, a3, a4} {
				net.Mine(1, net.Build(only(a0).Send(wallet.Payment{To: a, Amount: 3 * etp})))
			}
			// Before the fork: alice's DID and asset, which the losing side uses.
			net.Mine(1, net.Build(only(a0).RegisterDID(a0, "alice")))
			net.Mine(1, net.Build(only(a0).IssueAsset(a0, wallet.AssetIssue{Symbol: "ALICE.COIN", MaximumSupply: 1000,
				Threshold: 127, IssuerDID: "alice", DomainCert: true})))
			fork := net.Height()
			before := net.Digest()

			// The losing side: each step is one block built on the state the steps before
			// left (the builders read the store).
			steps := []func() []*tx.Tx{
				func() []*tx.Tx {
					return []*tx.Tx{
						net.Build(only(a1).RegisterDID(a1, "bob")),
						net.Build(only(a2).RegisterMIT(a2, "ALICE.MIT", "content")),
						net.Build(only(a0).SendAssetLocked(a3, "ALICE.COIN", 300, "PN=0;LH=20000;TYPE=1;LQ=300;LP=60000;UN=3")),
					}
				},
				func() []*tx.Tx {
					a, ok, err := net.State().Asset("ALICE.COIN")
					if err != nil || !ok {
						t.Fatalf("asset: %v %v", ok, err)
					}
					return []*tx.Tx{net.Build(only(a0).SecondaryIssue(a0, wallet.SecondaryIssue{Detail: a.Detail, TotalSupply: a.Volume,
						Volume: 500, ToDID: "alice", IssueCert: coinWith(t, net, a0, certOf(tx.CertIssue))}))}
				},
				func() []*tx.Tx {
					return []*tx.Tx{net.Build(only(a0).IssueCert(coinWith(t, net, a0, certOf(tx.CertDomain)), "ALICE.NAME", a0, "alice"))}
				},
				func() []*tx.Tx {
					return []*tx.Tx{net.Build(only(a0).TransferCert(coinWith(t, net, a0, certOf(tx.CertNaming)), a1, "bob"))}
				},
				func() []*tx.Tx {
					mit := coinWith(t, net, a2, func(a tx.Attachment) bool { return a.Type == tx.TypeMIT })
					return []*tx.Tx{net.Build(only(a2).TransferMIT(mit, a1))}
				},
				func() []*tx.Tx { return []*tx.Tx{net.Build(only(a0).SendAsset(a1, "ALICE.COIN", 100, "bob", "alice"))} },
				func() []*tx.Tx {
					d := coinWith(t, net, a1, func(a tx.Attachment) bool { return a.Type == tx.TypeDID })
					funding := coinWith(t, net, a4, func(a tx.Attachment) bool { return a.Type == tx.TypeETP })
					u, err := only(a1, a4).TransferDID(d, funding, a4)
					if err != nil {
						t.Fatal(err)
					}
					return []*tx.Tx{net.Sign(u)}
				},
			}
			if depth == 1 {
				steps = steps[:1] // the independent kinds, in one block
			}
			var lose []*block.Block
			for i := range depth {
				var txs []*tx.Tx
				if i < len(steps) {
					txs = steps[i]()
				}
				lose = append(lose, net.Mine(1, txs...)...)
			}
			if depth > 1 {
				if d, ok, err := net.State().DID("bob"); err != nil || !ok || d.Address != a4.String() {
					t.Fatalf("the losing side did not run: bob %+v %v %v", d, ok, err)
				}
			}

			br := net.Fork(fork)
			win, res := br.Mine(depth + 1)
			if res.Verdict != chain.MainChain || net.Tip().Hash() != win[depth].Hash() {
				t.Fatalf("the heavier branch: %v", res.Verdict)
			}
			if err := net.Store().Check(); err != nil {
				t.Fatal(err)
			}
			for _, sym := range []string{"bob"} {
				if _, ok, err := net.State().DID(sym); err != nil || ok {
					t.Fatalf("DID %s survived the reorganisation (%v)", sym, err)
				}
			}
			if a, ok, err := net.State().Asset("ALICE.COIN"); err != nil || !ok || a.Volume != 1000 {
				t.Fatalf("ALICE.COIN after the reorganisation: %+v %v %v", a, ok, err)
			}
			if q, err := net.State().Holding("ALICE.COIN", a0.String()); err != nil || q != 1000 {
				t.Fatalf("m/0 holds %d ALICE.COIN (%v), want 1000", q, err)
			}

			fresh := regtest.New(t)
			for h := uint32(1); h <= fork; h++ {
				if _, err := fresh.Process(net.BlockAt(h)); err != nil {
					t.Fatal(err)
				}
			}
			if fresh.Digest() != before {
				t.Fatal("the fresh import differs before the fork")
			}
			for _, b := range win {
				if res, err := fresh.Process(b); err != nil || res.Verdict != chain.MainChain {
					t.Fatalf("fresh import of block %d: %v %v", b.Header.Height, res.Verdict, err)
				}
			}
			for _, b := range lose {
				rec, err := net.Store().Header(b.Hash())
				if err != nil {
					t.Fatal(err)
				}
				if err := fresh.Store().PutHeader(rec); err != nil {
					t.Fatal(err)
				}
			}
			if net.Digest() != fresh.Digest() {
				t.Fatal("the store after the reorganisation differs from a fresh import of the winning chain")
			}
		})
	}
}

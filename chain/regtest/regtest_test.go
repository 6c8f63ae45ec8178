package regtest_test

import (
	"errors"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/chain/regtest"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/wallet"
)

// registries is what the registry state says of the scenario's DID and asset, read
// through a StoreState of its own over the Net's store.
type registries struct {
	did        bool
	asset      bool
	volume     uint64
	held0      uint64 // ALICE.COIN at m/0
	held1      uint64 // ALICE.COIN at m/1
	unspentAt1 int    // coins at m/1 (the transfer's output)
}

func readRegistries(t *testing.T, net *regtest.Net) registries {
	t.Helper()
	st := chain.NewStoreState(net.Store(), net.Params())
	var r registries
	var err error
	if _, r.did, err = st.DID("alice"); err != nil {
		t.Fatal(err)
	}
	a, ok, err := st.Asset("ALICE.COIN")
	if err != nil {
		t.Fatal(err)
	}
	r.asset, r.volume = ok, a.Volume
	if r.held0, err = st.Holding("ALICE.COIN", net.Address(0).String()); err != nil {
		t.Fatal(err)
	}
	if r.held1, err = st.Holding("ALICE.COIN", net.Address(1).String()); err != nil {
		t.Fatal(err)
	}
	r.unspentAt1 = len(net.Coins(net.Address(1)))
	return r
}

// TestScenario registers a DID, issues an asset and transfers part of it, each through
// the wallet builders and a mined block, checks the registries after each step, then mines
// a heavier branch from before the DID: the 3-block reorganisation unwinds all three.
func TestScenario(t *testing.T) {
	net := regtest.New(t)
	net.Mine(5) // 15 ETP of coinbases: the DID fee (1 ETP) and the issue fee (10 ETP)
	alice, bob := net.Address(0), net.Address(1)
	before := net.Digest()

	register := net.Build(net.Builder().RegisterDID(alice, "alice"))
	steps := []struct {
		name string
		tx   func() *tx.Tx
		want registries
	}{
		{"register the DID", func() *tx.Tx { return register },
			registries{did: true}},
		{"issue the asset", func() *tx.Tx {
			return net.Build(net.Builder().IssueAsset(alice, wallet.AssetIssue{Symbol: "ALICE.COIN", MaximumSupply: 1000,
				IssuerDID: "alice", DomainCert: true}))
		}, registries{did: true, asset: true, volume: 1000, held0: 1000}},
		{"transfer 400", func() *tx.Tx {
			return net.Build(net.Builder().SendAsset(bob, "ALICE.COIN", 400, "", ""))
		}, registries{did: true, asset: true, volume: 1000, held0: 600, held1: 400, unspentAt1: 1}},
	}
	for _, s := range steps {
		blk, err := net.Submit(s.tx())
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if net.Tip().Hash() != blk.Hash() {
			t.Fatalf("%s: not the tip", s.name)
		}
		if got := readRegistries(t, net); got != s.want {
			t.Fatalf("%s: registries %+v, want %+v", s.name, got, s.want)
		}
	}
	if net.Height() != 8 {
		t.Fatalf("height %d", net.Height())
	}

	// A branch from height 5 as long as the main chain's 3 blocks has equal work: a side
	// chain. One more block makes it heavier, and the chain reorganises to it.
	b := net.Fork(5)
	blks, res := b.Mine(3)
	if res.Verdict != chain.SideChain || net.Height() != 8 {
		t.Fatalf("equal work: %v, height %d", res.Verdict, net.Height())
	}
	if got, want := readRegistries(t, net), steps[len(steps)-1].want; got != want {
		t.Fatalf("a side chain changed the registries: %+v, want %+v", got, want)
	}
	blks2, res := b.Mine(1)
	if res.Verdict != chain.MainChain || net.Tip().Hash() != blks2[0].Hash() || b.Tip() != blks2[0].Hash() {
		t.Fatalf("heavier branch: %v, tip %d", res.Verdict, net.Height())
	}
	if got := readRegistries(t, net); got != (registries{}) {
		t.Fatalf("after the reorganisation: %+v, want nothing registered", got)
	}
	if err := net.Store().Check(); err != nil {
		t.Fatal(err)
	}
	if len(blks) != 3 || net.Digest() == before {
		t.Fatal("the branch left no trace")
	}

	// The unwound registration spends coins mined before the fork: it is valid again.
	if _, err := net.Submit(register); err != nil {
		t.Fatal(err)
	}
	if got := readRegistries(t, net); got != (registries{did: true}) {
		t.Fatalf("registered again: %+v", got)
	}
}

// TestSubmitRefusals: Submit returns the chain's rule, so a test of a rule checks the
// error, and a refused block leaves the tip as it was (its header stays known, marked
// invalid).
func TestSubmitRefusals(t *testing.T) {
	net := regtest.New(t)
	net.Mine(3)
	register := net.Build(net.Builder().RegisterDID(net.Address(0), "alice"))
	net.Mine(1, register)
	again := net.Build(net.Builder().RegisterDID(net.Address(0), "alice"))
	send := net.Build(net.Builder().Send(wallet.Payment{To: net.Address(1), Amount: 1}))
	for _, tc := range []struct {
		name string
		txs  []*tx.Tx
		want error
	}{
		{"spent input", []*tx.Tx{register}, chain.ErrMissingInput},
		{"DID registered twice", []*tx.Tx{again}, chain.ErrDIDRule},
		{"double spend in the block", []*tx.Tx{send, send}, chain.ErrBlockSanity},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tip := net.Tip().Hash()
			_, err := net.Submit(tc.txs...)
			var re *chain.RuleError
			if !errors.As(err, &re) || !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if net.Tip().Hash() != tip {
				t.Fatal("a refused block changed the tip")
			}
		})
	}
	if _, err := net.Submit(send); err != nil {
		t.Fatal(err)
	}
}

// TestDeterministic: two Nets with the same seed mine the same blocks; another seed
// mines others. Blocks of one Net are accepted by another (Process).
func TestDeterministic(t *testing.T) {
	a, b := regtest.New(t), regtest.New(t)
	c := regtest.New(t, regtest.WithSeed([]byte("another seed, 32 bytes long.....")))
	for _, n := range []*regtest.Net{a, b, c} {
		n.Mine(2)
	}
	if a.Digest() != b.Digest() || a.Tip().Hash() != b.Tip().Hash() {
		t.Fatal("same seed, different chains")
	}
	if a.Digest() == c.Digest() {
		t.Fatal("another seed, the same chain")
	}
	// c's heavier chain replaces a's.
	c.Mine(1)
	var last chain.Result
	for h := uint32(1); h <= c.Height(); h++ {
		res, err := a.Process(c.BlockAt(h))
		if err != nil {
			t.Fatal(err)
		}
		last = res
	}
	if last.Verdict != chain.MainChain || a.Tip().Hash() != c.Tip().Hash() {
		t.Fatalf("relayed chain: %v", last.Verdict)
	}
}

// TestBranchRefused: a branch block spending an output that only the main chain has is
// refused when its branch becomes heavier (side-chain blocks are judged in full only
// then); the main chain stays, and the branch, mined on without it, wins later and unwinds
// the main chain's payment.
func TestBranchRefused(t *testing.T) {
	net := regtest.New(t)
	net.Mine(3)
	bob := net.Address(1)
	net.Fund(bob, mvs.SatoshiPerETP) // height 4, main chain only
	b := net.Builder()
	b.Coins = net.Coins(bob)
	spend := net.Build(b.Send(wallet.Payment{To: net.Address(2), Amount: mvs.SatoshiPerETP / 2}))
	tip := net.Tip().Hash()

	br := net.Fork(3)
	br.Mine(1) // equal work: side chain
	blk, res, err := br.Submit(spend)
	if res.Verdict != chain.Invalid || !errors.Is(err, chain.ErrMissingInput) || blk.Header.Height != 5 {
		t.Fatalf("branch block spending a main-chain output: %v, %v", res.Verdict, err)
	}
	if net.Tip().Hash() != tip || br.Tip() == blk.Hash() {
		t.Fatal("the refused branch moved a tip")
	}
	blks, res := br.Mine(2)
	if res.Verdict != chain.MainChain || net.Tip().Hash() != blks[1].Hash() || net.Height() != 6 {
		t.Fatalf("branch without the refused block: %v", res.Verdict)
	}
	if c := net.Coins(bob); len(c) != 0 {
		t.Fatalf("the unwound payment left %d coins", len(c))
	}
}

// TestWithParams: a Net judges by the parameters it was given. With a coinbase maturity
// of 3, a spend in block 3 of block 1's coinbase (built by a wallet that believes
// RegTest's maturity of 1) is refused as ErrImmature, and passes in block 5.
func TestWithParams(t *testing.T) {
	net := regtest.New(t, regtest.WithParams(func(p *mvs.Params) { p.CoinbaseMaturity = 3 }))
	net.Mine(2)
	b := net.Builder()
	b.Params = mvs.RegTest()
	for _, c := range net.Coins(net.Address(0)) {
		if c.Height == 1 {
			b.Coins = append(b.Coins, c) // the coinbase of block 1
		}
	}
	spend := net.Build(b.Send(wallet.Payment{To: net.Address(1), Amount: mvs.SatoshiPerETP}))
	if _, err := net.Submit(spend); !errors.Is(err, chain.ErrImmature) {
		t.Fatalf("spend of a 1-block-old coinbase: %v, want ErrImmature", err)
	}
	net.Mine(2)
	if _, err := net.Submit(spend); err != nil {
		t.Fatalf("spend of a 3-block-old coinbase: %v", err)
	}
}

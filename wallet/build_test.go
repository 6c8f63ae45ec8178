package wallet

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/asset"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// fixture: an account whose first addresses hold coins at various heights.
type fixture struct {
	p    *mvs.Params
	acct *Account
	keys KeyList
	addr []mvs.Address
	b    *Builder
}

func newFixture(t *testing.T) *fixture {
	p := mvs.MainNet()
	acct, err := NewAccountFromMnemonic(vectorMnemonic, p)
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := acct.Keys(5)
	addrs, _ := acct.Addresses(0, 5)
	f := &fixture{p: p, acct: acct, keys: keys, addr: addrs, b: &Builder{Params: p, TipHeight: 3_000_000}}
	for i, v := range []mvs.Amount{5 * mvs.SatoshiPerETP, 2 * mvs.SatoshiPerETP, 30 * mvs.SatoshiPerETP, 1234} {
		f.b.Coins = append(f.b.Coins, f.coin(byte(i+1), addrs[i%2], v, tx.Attachment{Version: 1, Type: tx.TypeETP}))
	}
	return f
}

// coin is a proven coin (see prove) of v to an address, mined at 2,000,000.
func (f *fixture) coin(id byte, to mvs.Address, v mvs.Amount, a tx.Attachment) Coin {
	return prove(Coin{PrevOut: tx.PrevOut{OutPoint: tx.OutPoint{Hash: mvs.Hash{id}, Index: uint32(id)}, Value: v,
		Script: script.PayToAddress(to), Attachment: a, Height: 2_000_000}})
}

// prove gives c the previous transaction a chain would have: one spending c's outpoint (so
// each coin's differs) whose only output is c's; the coin's outpoint becomes that output.
func prove(c Coin) Coin {
	prev := &tx.Tx{Version: 4, Inputs: []tx.Input{{PreviousOutput: c.OutPoint, Script: []byte{0x51}, Sequence: 0xffffffff}},
		Outputs: []tx.Output{{Value: c.Value, Script: c.Script, Attachment: c.Attachment}}}
	c.OutPoint, c.PrevTx = tx.OutPoint{Hash: prev.Hash()}, prev
	return c
}

// signRoundTrip serialises the object, signs it on "another machine", encodes, decodes and
// verifies every input.
func (f *fixture) signRoundTrip(t *testing.T, u *Unsigned) *tx.Tx {
	t.Helper()
	js, err := json.Marshal(u)
	if err != nil {
		t.Fatal(err)
	}
	var offline Unsigned
	if err := json.Unmarshal(js, &offline); err != nil {
		t.Fatalf("%v\n%s", err, js)
	}
	if left, err := offline.Sign(f.keys, tx.SignOptions{}); err != nil || left != 0 {
		t.Fatalf("sign: %d left, %v", left, err)
	}
	signed, err := offline.Final()
	if err != nil {
		t.Fatal(err)
	}
	back, err := tx.Decode(signed.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if err := back.CheckSanity(); err != nil {
		t.Fatal(err)
	}
	for i := range back.Inputs {
		if err := back.VerifyInput(i, offline.PrevOuts[i].Script); err != nil {
			t.Fatalf("input %d: %v", i, err)
		}
	}
	return back
}

func TestBuildersRoundTrip(t *testing.T) {
	f := newFixture(t)
	dest := mvs.NewPubKeyHashAddress([20]byte{9}, f.p)
	mst := f.coin(20, f.addr[1], 0, tx.Attachment{Version: 1, Type: tx.TypeAsset, Payload: &tx.AssetTransfer{Symbol: "DNA", Quantity: 1000}})
	did := f.coin(21, f.addr[0], 0, tx.Attachment{Version: 1, Type: tx.TypeDID, Payload: &tx.DID{Status: 1, Symbol: "alice", Address: f.addr[0].String()}})
	mit := f.coin(22, f.addr[0], 0, tx.Attachment{Version: 1, Type: tx.TypeMIT, Payload: &tx.MIT{Status: 1, Symbol: "TOKEN1", Address: f.addr[0].String()}})
	cert := f.coin(23, f.addr[0], 0, tx.Attachment{Version: 1, Type: tx.TypeAssetCert, Payload: &tx.AssetCert{Symbol: "ALICE", Owner: "alice", Address: f.addr[0].String(), CertType: tx.CertDomain}})
	newAddrFunding := f.coin(24, f.addr[2], 3*mvs.SatoshiPerETP, tx.Attachment{Version: 1, Type: tx.TypeETP})
	f.b.Coins = append(f.b.Coins, mst, did, mit, cert, newAddrFunding)
	pre := *f.b
	pre.TipHeight = 1_500_000 // before PoS, deposits are still valid
	pre.Coins = nil
	for _, c := range f.b.Coins {
		c.Height = 1_000_000
		pre.Coins = append(pre.Coins, c)
	}
	cases := map[string]func() (*Unsigned, error){
		"send": func() (*Unsigned, error) {
			return f.b.Send(Payment{dest, 3 * mvs.SatoshiPerETP}, Payment{f.addr[3], 1000})
		},
		"message":        func() (*Unsigned, error) { return f.b.SendMessage(dest, 0, "invoice 42") },
		"burn":           func() (*Unsigned, error) { return f.b.Burn(mvs.SatoshiPerETP) },
		"deposit":        func() (*Unsigned, error) { return pre.Deposit(f.addr[0], mvs.SatoshiPerETP, 25200) },
		"send asset":     func() (*Unsigned, error) { return f.b.SendAsset(dest, "DNA", 400, "", "") },
		"send asset did": func() (*Unsigned, error) { return f.b.SendAsset(dest, "DNA", 1000, "bob", "alice") },
		"issue asset": func() (*Unsigned, error) {
			return f.b.IssueAsset(f.addr[0], AssetIssue{Symbol: "ALICE.COIN", MaximumSupply: 1e9, Decimals: 4, Threshold: 51, IssuerDID: "alice", DomainCert: true})
		},
		"register did": func() (*Unsigned, error) { return f.b.RegisterDID(f.addr[1], "bob") },
		"send asset locked": func() (*Unsigned, error) {
			return f.b.SendAssetLocked(dest, "DNA", 900, "PN=0;LH=20000;TYPE=1;LQ=900;LP=60000;UN=3")
		},
		"transfer did":  func() (*Unsigned, error) { return f.b.TransferDID(did, newAddrFunding, f.addr[2]) },
		"register mit":  func() (*Unsigned, error) { return f.b.RegisterMIT(f.addr[0], "ART2", "a unique thing") },
		"transfer mit":  func() (*Unsigned, error) { return f.b.TransferMIT(mit, dest) },
		"transfer cert": func() (*Unsigned, error) { return f.b.TransferCert(cert, dest, "bob") },
		"issue cert":    func() (*Unsigned, error) { return f.b.IssueCert(cert, "ALICE.SUB", dest, "bob") },
		"secondary issue": func() (*Unsigned, error) {
			return f.b.SecondaryIssue(f.addr[1], dnaSecondaryIssue(f, 700))
		},
	}
	for name, build := range cases {
		t.Run(name, func(t *testing.T) {
			u, err := build()
			if err != nil {
				t.Fatal(err)
			}
			signed := f.signRoundTrip(t, u)
			var in, out mvs.Amount
			for _, p := range u.PrevOuts {
				in += p.Value
			}
			for _, o := range signed.Outputs {
				out += o.Value
			}
			if in < out || in-out < f.p.MinTxFee {
				t.Fatalf("fee %d below the consensus minimum", in-out)
			}
		})
	}
	// The issue pays 10 ETP: 20% to the miner, 8 ETP to the developer community address.
	u, _ := f.b.IssueAsset(f.addr[0], AssetIssue{Symbol: "ALICE.COIN", MaximumSupply: 1, IssuerDID: "alice", DomainCert: true})
	dev := false
	for _, o := range u.Tx.Outputs {
		if a, _ := script.Script(o.Script).Address(f.p); a.String() == f.p.DeveloperAddress && o.Value == 8*mvs.SatoshiPerETP {
			dev = true
		}
	}
	if !dev {
		t.Error("issue fee not split to the developer address")
	}
	if _, err := f.b.Deposit(f.addr[0], 1, 25200); !errors.Is(err, ErrBuild) {
		t.Errorf("deposit after PoS: %v", err)
	}
}

func TestMultisigPartialSignatures(t *testing.T) {
	f, privs, pubs, redeem, u, c := multisigFixture(t)
	if a := mvs.NewScriptHashAddress(mvs.Hash160(redeem), f.p); a.Kind != mvs.ScriptHash {
		t.Fatal("not a P2SH address")
	}
	js, _ := json.Marshal(u)
	// Two signers on two machines, each with one key.
	var a, b Unsigned
	json.Unmarshal(js, &a)
	json.Unmarshal(js, &b)
	if left, err := a.Sign(NewKeyList(privs[0]), tx.SignOptions{}); err != nil || left != 1 {
		t.Fatalf("first signer: %d %v", left, err)
	}
	if left, err := b.Sign(NewKeyList(privs[2]), tx.SignOptions{}); err != nil || left != 1 {
		t.Fatalf("second signer: %d %v", left, err)
	}
	if _, err := a.Final(); !errors.Is(err, ErrIncomplete) {
		t.Fatalf("one of two signatures: %v", err)
	}
	bj, _ := json.Marshal(&b)
	var b2 Unsigned
	if err := json.Unmarshal(bj, &b2); err != nil {
		t.Fatal(err)
	}
	if err := a.Combine(&b2); err != nil {
		t.Fatal(err)
	}
	signed, err := a.Final()
	if err != nil {
		t.Fatal(err)
	}
	if err := signed.VerifyInput(0, c.Script); err != nil {
		t.Fatal(err)
	}
	// A partial signature by a key that is not in the script is rejected.
	var c3 Unsigned
	json.Unmarshal(js, &c3)
	c3.Inputs[0].Partial = map[string][]byte{string(hexOf(pubs[1])): mustSig(t, c3.Tx, redeem, privs[0])}
	if err := c3.Combine(&c3); !errors.Is(err, ErrBadPartial) {
		t.Fatalf("forged partial: %v", err)
	}
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 2*len(b))
	for i, c := range b {
		out[2*i], out[2*i+1] = digits[c>>4], digits[c&15]
	}
	return string(out)
}

func mustSig(t *testing.T, tr *tx.Tx, redeem []byte, k *btcec.PrivateKey) []byte {
	s, err := tr.SignatureFor(0, redeem, k, tx.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSpendabilityRules(t *testing.T) {
	f := newFixture(t)
	sp := Spendability{TipHeight: 3_000_000, Params: f.p}
	base := f.coin(1, f.addr[0], 1, tx.Attachment{Type: tx.TypeETP})
	cases := []struct {
		name string
		mod  func(*Coin)
		ok   bool
	}{
		{"mature p2pkh", func(*Coin) {}, true},
		{"two confirmations", func(c *Coin) { c.Height = 2_999_999 }, false},
		{"three confirmations", func(c *Coin) { c.Height = 2_999_998 }, true},
		{"immature coinbase", func(c *Coin) { c.Coinbase = true; c.Height = 2_999_500 }, false},
		{"mature coinbase", func(c *Coin) { c.Coinbase = true; c.Height = 2_999_000 }, true},
		{"locked deposit", func(c *Coin) { c.Script = script.LockHeightDeposit(f.addr[0].Hash, 25200); c.Height = 2_990_000 }, false},
		{"expired deposit", func(c *Coin) { c.Script = script.LockHeightDeposit(f.addr[0].Hash, 25200); c.Height = 2_900_000 }, true},
		{"p2sh needs its redeem script", func(c *Coin) { c.Script = script.PayToScriptHash([20]byte{1}) }, false},
	}
	for _, tc := range cases {
		c := base
		tc.mod(&c)
		if err := sp.Why(&c); (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

// firstFit is the reference wallet's selection: coins in stored order until covered.
func firstFit(coins []Coin, need mvs.Amount) (n int, change mvs.Amount) {
	var sum mvs.Amount
	for _, c := range coins {
		sum += c.Value
		n++
		if sum >= need {
			return n, sum - need
		}
	}
	return -1, 0
}

// TestSelectionAgainstFirstFit: on random wallets, our selection never uses more inputs
// than first-fit, never leaves dust change, funds with plain ETP only, and stays within the
// input limit where first-fit does not.
func TestSelectionAgainstFirstFit(t *testing.T) {
	f := newFixture(t)
	r := rand.New(rand.NewPCG(1, 2))
	sp := Spendability{TipHeight: 3_000_000, Params: f.p}
	var oursTotal, theirsTotal, theirsDust, exact int
	for trial := 0; trial < 300; trial++ {
		var coins []Coin
		for i := 0; i < 200; i++ {
			v := mvs.Amount(r.Uint64N(uint64(5*mvs.SatoshiPerETP))) + 1
			if r.IntN(10) == 0 {
				v *= 40
			}
			coins = append(coins, f.coin(byte(i), f.addr[0], v, tx.Attachment{Type: tx.TypeETP}))
			coins[len(coins)-1].OutPoint.Index = uint32(i)
		}
		// An asset output with a huge value must never fund ETP.
		coins = append(coins, f.coin(250, f.addr[0], 1e9, tx.Attachment{Type: tx.TypeAsset, Payload: &tx.AssetTransfer{Symbol: "X", Quantity: 1}}))
		target := mvs.Amount(r.Uint64N(uint64(100 * mvs.SatoshiPerETP)))
		sel, err := SelectCoins(coins, SelectRequest{Target: target, Fee: f.p.MinTxFee, Spendability: sp})
		if errors.Is(err, ErrInsufficientFunds) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		need := target + f.p.MinTxFee
		n, change := firstFit(coins[:200], need)
		if len(sel.Coins) > n {
			t.Fatalf("trial %d: %d inputs, first-fit %d", trial, len(sel.Coins), n)
		}
		if sel.Change > 0 && sel.Change < f.p.MinTxFee {
			t.Fatalf("dust change %d", sel.Change)
		}
		for _, c := range sel.Coins {
			if c.Attachment.Type != tx.TypeETP {
				t.Fatal("asset output funded ETP")
			}
		}
		if sel.Total != need+sel.Change+sel.Fee-f.p.MinTxFee {
			t.Fatal("selection does not balance")
		}
		if sel.Change == 0 {
			exact++
		}
		if change > 0 && change < f.p.MinTxFee {
			theirsDust++
		}
		oursTotal += len(sel.Coins)
		theirsTotal += n
	}
	t.Logf("inputs used: ours %d, first-fit %d; first-fit dust change %d times; change-free selections %d", oursTotal, theirsTotal, theirsDust, exact)
	if oursTotal >= theirsTotal {
		t.Fatal("no fewer inputs than first-fit overall")
	}
	// Many small coins: first-fit needs more than 677 inputs, ours uses the big ones.
	var coins []Coin
	for i := 0; i < 1000; i++ {
		c := f.coin(1, f.addr[0], 20_000, tx.Attachment{Type: tx.TypeETP})
		c.OutPoint.Index = uint32(i)
		coins = append(coins, c)
	}
	big := f.coin(2, f.addr[0], 20*mvs.SatoshiPerETP, tx.Attachment{Type: tx.TypeETP})
	coins = append(coins, big)
	if n, _ := firstFit(coins, 15_000_000); n <= MaxInputs {
		t.Fatalf("setup: first-fit uses %d", n)
	}
	sel, err := SelectCoins(coins, SelectRequest{Target: 15_000_000 - f.p.MinTxFee, Fee: f.p.MinTxFee, Spendability: sp})
	if err != nil || len(sel.Coins) != 1 {
		t.Fatalf("%v %v", sel, err)
	}
	var ie *InsufficientFundsError
	if _, err := SelectCoins(coins[:10], SelectRequest{Target: mvs.SatoshiPerETP, Fee: f.p.MinTxFee, Spendability: sp}); !errors.As(err, &ie) || ie.Spendable != 200_000 {
		t.Fatalf("insufficient: %v", err)
	}
	if _, err := SelectCoins(coins[:1000], SelectRequest{Target: 15_000_000, Fee: f.p.MinTxFee, Spendability: sp}); !errors.Is(err, ErrTooManyInputs) {
		t.Fatalf("cap: %v", err)
	}
}

// dnaSecondaryIssue: DNA (supply 1000, 51% threshold) whose issue certificate alice holds
// at addr[0]; the fixture's 1000 DNA sit at addr[1].
func dnaSecondaryIssue(f *fixture, volume uint64) SecondaryIssue {
	return SecondaryIssue{
		Detail: tx.AssetDetail{Symbol: "DNA", MaximumSupply: 1000, SecondaryIssueThreshold: 51, Issuer: "alice",
			Address: f.addr[1].String(), Description: "double helix"},
		TotalSupply: 1000, Volume: volume, ToDID: "alice",
		IssueCert: f.coin(25, f.addr[0], 0, tx.Attachment{Version: 1, Type: tx.TypeAssetCert,
			Payload: &tx.AssetCert{Symbol: "DNA", Owner: "alice", Address: f.addr[0].String(), CertType: tx.CertIssue}}),
	}
}

func TestSecondaryIssue(t *testing.T) {
	f := newFixture(t)
	dna := f.coin(20, f.addr[1], 0, tx.Attachment{Version: 1, Type: tx.TypeAsset, Payload: &tx.AssetTransfer{Symbol: "DNA", Quantity: 1000}})
	elsewhere := f.coin(26, f.addr[2], 0, tx.Attachment{Version: 1, Type: tx.TypeAsset, Payload: &tx.AssetTransfer{Symbol: "DNA", Quantity: 5000}})
	f.b.Coins = append(f.b.Coins, dna, elsewhere)

	u, err := f.b.SecondaryIssue(f.addr[1], dnaSecondaryIssue(f, 700))
	if err != nil {
		t.Fatal(err)
	}
	signed := f.signRoundTrip(t, u)
	// What consensus checks (validate_transaction's secondary-issue rule): one detail with
	// the marker bit and the new volume, one certificate and it is the issue certificate,
	// transfers of the symbol only to the detail's address and together at least the share.
	var details, certs int
	var shown uint64
	for _, o := range signed.Outputs {
		addr, _ := script.Script(o.Script).Address(f.p)
		switch p := o.Attachment.Payload.(type) {
		case *tx.AssetDetail:
			details++
			if !p.IsSecondaryIssue() || p.Threshold() != 51 || p.MaximumSupply != 700 || p.Address != f.addr[1].String() ||
				p.Issuer != o.Attachment.ToDID || p.Description != "double helix" || addr != f.addr[1] {
				t.Errorf("detail output %+v to %s", p, addr)
			}
		case *tx.AssetCert:
			certs++
			if p.CertType != tx.CertIssue || p.Symbol != "DNA" || addr != f.addr[0] {
				t.Errorf("certificate output %+v to %s", p, addr)
			}
		case *tx.AssetTransfer:
			if addr != f.addr[1] {
				t.Errorf("transfer of %d %s to %s, not the issuing address", p.Quantity, p.Symbol, addr)
			}
			shown += p.Quantity
		}
	}
	if details != 1 || certs != 1 || shown != 1000 {
		t.Errorf("%d details, %d certificates, %d DNA shown (want 1, 1, 1000)", details, certs, shown)
	}
	for i, in := range signed.Inputs {
		if in.PreviousOutput == elsewhere.OutPoint {
			t.Errorf("input %d spends DNA of another address", i)
		}
	}

	locked := dnaSecondaryIssue(f, 700)
	locked.ModelParam = "PN=0;LH=20000;TYPE=1;LQ=700;LP=60000;UN=3"
	u, err = f.b.SecondaryIssue(f.addr[1], locked)
	if err != nil {
		t.Fatal(err)
	}
	if c := script.Classify(u.Tx.Outputs[0].Script); c != script.PayKeyHashWithAttenuationModel {
		t.Errorf("locked secondary issue pays to a %v script", c)
	}
	f.signRoundTrip(t, u)

	free := dnaSecondaryIssue(f, 1)
	free.Detail.SecondaryIssueThreshold = 127
	if u, err := f.b.SecondaryIssue(f.addr[3], free); err != nil {
		t.Errorf("threshold 127: %v", err)
	} else {
		for _, o := range u.Tx.Outputs {
			if _, ok := o.Attachment.Payload.(*tx.AssetTransfer); ok {
				t.Error("threshold 127 needs no share, yet the asset is spent")
			}
		}
	}

	bad := map[string]func(*SecondaryIssue){
		"never re-issuable":  func(s *SecondaryIssue) { s.Detail.SecondaryIssueThreshold = 0 },
		"illegal threshold":  func(s *SecondaryIssue) { s.Detail.SecondaryIssueThreshold = 101 },
		"overflow":           func(s *SecondaryIssue) { s.TotalSupply, s.Volume = 1, ^uint64(0) },
		"zero volume":        func(s *SecondaryIssue) { s.Volume = 0 },
		"not the issue cert": func(s *SecondaryIssue) { s.IssueCert.Attachment.Payload.(*tx.AssetCert).CertType = tx.CertDomain },
		"share held elsewhere": func(s *SecondaryIssue) {
			s.TotalSupply = 4000 // 51% is 2040: addr[1] has 1000; addr[2]'s 5000 do not count
		},
	}
	for name, mutate := range bad {
		s := dnaSecondaryIssue(f, 10)
		mutate(&s)
		if _, err := f.b.SecondaryIssue(f.addr[1], s); !errors.Is(err, ErrBuild) {
			t.Errorf("%s: %v, want ErrBuild", name, err)
		}
	}
	s := dnaSecondaryIssue(f, 10)
	s.TotalSupply = 4000
	_, err = f.b.SecondaryIssue(f.addr[1], s)
	var short *InsufficientFundsError
	if !errors.As(err, &short) || short.Need != 2040 || short.Spendable != 1000 {
		t.Errorf("share held elsewhere: %v", err)
	}
}

// The share is the node's double-precision figure, truncated, not exact integer arithmetic.
func TestSecondaryIssueShare(t *testing.T) {
	for _, c := range []struct {
		total     uint64
		threshold uint8
		want      uint64
	}{
		{1000, 51, 510},
		{3, 33, 0},                      // 0.99 truncates to 0
		{1 << 60, 1, 11529215046068470}, // (2⁶⁰/100)·1 in float64
		{^uint64(0), 100, 0},            // rounds to 2⁶⁴, which the node's x86-64 build converts to 0
		{12345, 127, 0},
	} {
		if got := asset.SecondaryIssueShare(c.total, c.threshold); got != c.want {
			t.Errorf("SecondaryIssueShare(%d, %d) = %d, want %d", c.total, c.threshold, got, c.want)
		}
	}
}

func TestSpendLocked(t *testing.T) {
	f := newFixture(t)
	const param = "PN=0;LH=20000;TYPE=1;LQ=9000;LP=60000;UN=3" // 1000 free, then 3000 per 20000 blocks
	lock, err := script.Attenuation(f.addr[1].Hash, param, script.NullOutPoint())
	if err != nil {
		t.Fatal(err)
	}
	locked := prove(Coin{PrevOut: tx.PrevOut{OutPoint: tx.OutPoint{Hash: mvs.Hash{77}, Index: 1}, Script: lock, Height: 2_000_000,
		Attachment: tx.Attachment{Version: 1, Type: tx.TypeAsset, Payload: &tx.AssetTransfer{Symbol: "DNA", Quantity: 10000}}}})
	dest := mvs.NewPubKeyHashAddress([20]byte{9}, f.p)

	b := *f.b
	b.TipHeight = 2_020_000 // one period passed: 4000 released
	u, err := b.SpendLocked(locked, dest, 3000)
	if err != nil {
		t.Fatal(err)
	}
	signed := f.signRoundTrip(t, u)
	in := []asset.LockedInput{{OutPoint: locked.OutPoint, Output: tx.Output{Script: locked.Script, Attachment: locked.Attachment}, Height: 2_000_000}}
	if err := asset.CheckSpend(signed, in, uint64(b.TipHeight)); err != nil {
		t.Fatalf("the chain's rule rejects the spend: %v", err)
	}
	var toDest, relocked, back uint64
	for _, o := range signed.Outputs {
		q := asset.AssetAmount(&o)
		switch {
		case script.Classify(o.Script) == script.PayKeyHashWithAttenuationModel:
			p, from, _ := script.AttenuationParams(o.Script)
			if string(p) != "PN=1;LH=20000;TYPE=1;LQ=9000;LP=60000;UN=3" || from.Hash != locked.OutPoint.Hash || from.Index != locked.OutPoint.Index {
				t.Errorf("relock %q from %v", p, from)
			}
			relocked += q
		default:
			a, _ := script.Script(o.Script).Address(f.p)
			if a == dest {
				toDest += q
			} else if a == f.addr[1] {
				back += q
			}
		}
	}
	if toDest != 3000 || relocked != 6000 || back != 1000 {
		t.Errorf("3000 out, 6000 relocked, 1000 back expected; got %d, %d, %d", toDest, relocked, back)
	}

	var short *InsufficientFundsError
	if _, err := b.SpendLocked(locked, dest, 4001); !errors.As(err, &short) || short.Spendable != 4000 {
		t.Errorf("spending beyond the released amount: %v", err)
	}
	b.TipHeight = 2_060_000 // matured: no relock
	u, err = b.SpendLocked(locked, dest, 10000)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range f.signRoundTrip(t, u).Outputs {
		if script.Classify(o.Script) == script.PayKeyHashWithAttenuationModel {
			t.Error("a matured lock was relocked")
		}
	}
	if _, err := b.SpendLocked(f.b.Coins[0], dest, 1); !errors.Is(err, ErrBuild) {
		t.Errorf("a plain coin: %v", err)
	}

	// Coin selection leaves a lock alone until it has matured, then spends it like any coin.
	b.Coins = append(b.Coins, locked)
	b.TipHeight = 2_059_999
	if err := b.spend().Why(&locked); err == nil {
		t.Error("a lock one block short of maturity is spendable")
	}
	if _, err := b.SendAsset(dest, "DNA", 10000, "", ""); err == nil {
		t.Error("SendAsset spent an immature lock")
	}
	b.TipHeight = 2_060_000
	u, err = b.SendAsset(dest, "DNA", 10000, "", "")
	if err != nil {
		t.Fatal(err)
	}
	signed = f.signRoundTrip(t, u)
	if err := asset.CheckSpend(signed, in, uint64(b.TipHeight)); err != nil {
		t.Errorf("spending the matured lock: %v", err)
	}
}

// A new lock is checked as the node's wallet checks it: a model locking more than is sent
// is refused, and one without its PN/LH prefix gets it.
func TestSendAssetLockedChecksTheModel(t *testing.T) {
	f := newFixture(t)
	f.b.Coins = append(f.b.Coins, f.coin(20, f.addr[1], 0, tx.Attachment{Version: 1, Type: tx.TypeAsset, Payload: &tx.AssetTransfer{Symbol: "DNA", Quantity: 1000}}))
	dest := mvs.NewPubKeyHashAddress([20]byte{9}, f.p)
	if _, err := f.b.SendAssetLocked(dest, "DNA", 800, "TYPE=1;LQ=900;LP=60000;UN=3"); !errors.Is(err, ErrBuild) || !errors.Is(err, asset.ErrModel) {
		t.Errorf("LQ above the amount: %v", err)
	}
	u, err := f.b.SendAssetLocked(dest, "DNA", 900, "TYPE=1;LQ=900;LP=60000;UN=3")
	if err != nil {
		t.Fatal(err)
	}
	if p, _, _ := script.AttenuationParams(u.Tx.Outputs[0].Script); string(p) != "PN=0;LH=20000;TYPE=1;LQ=900;LP=60000;UN=3" {
		t.Errorf("lock param %q", p)
	}
}

// Review findings: an inflation model that expands to a zero period is refused when built
// (the chain would refuse the lock), and a secondary issue's certificate output carries no
// DIDs, so a DID that has since moved cannot make the node reject it.
func TestLockAndCertificateFindings(t *testing.T) {
	f := newFixture(t)
	f.b.Coins = append(f.b.Coins, f.coin(20, f.addr[1], 0, tx.Attachment{Version: 1, Type: tx.TypeAsset, Payload: &tx.AssetTransfer{Symbol: "DNA", Quantity: 1000}}))
	if p, err := asset.ExpandModel("TYPE=3;LQ=10;LP=100;UN=10;IR=8", 10); err != nil || !strings.Contains(p, "UQ=5,0,") {
		t.Fatalf("expected the node wallet's zero-period expansion, got %q, %v", p, err)
	}
	if _, err := f.b.SendAssetLocked(mvs.NewPubKeyHashAddress([20]byte{9}, f.p), "DNA", 10, "TYPE=3;LQ=10;LP=100;UN=10;IR=8"); !errors.Is(err, asset.ErrModel) {
		t.Errorf("a lock the chain refuses was built: %v", err)
	}
	s := dnaSecondaryIssue(f, 700)
	s.ModelParam = "TYPE=3;LQ=10;LP=100;UN=10;IR=8"
	s.Volume = 10
	if _, err := f.b.SecondaryIssue(f.addr[1], s); !errors.Is(err, asset.ErrModel) {
		t.Errorf("a secondary issue with a lock the chain refuses was built: %v", err)
	}
	u, err := f.b.SecondaryIssue(f.addr[1], dnaSecondaryIssue(f, 700))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range u.Tx.Outputs {
		if _, ok := o.Attachment.Payload.(*tx.AssetCert); ok && (o.Attachment.Version != tx.AttachVersion || o.Attachment.ToDID != "") {
			t.Errorf("certificate output with attachment version %d, to DID %q", o.Attachment.Version, o.Attachment.ToDID)
		}
	}
	pre := *f.b
	pre.TipHeight = f.p.NovaHeight
	if _, err := pre.SendAssetLocked(mvs.NewPubKeyHashAddress([20]byte{9}, f.p), "DNA", 900, "TYPE=1;LQ=900;LP=60000;UN=3"); !errors.Is(err, ErrBuild) {
		t.Errorf("a lock before SuperNova: %v", err)
	}
}

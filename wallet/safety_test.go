package wallet

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// Findings of an exchange's integration (deposit and withdrawal flows through the public
// API); each test failed before its fix.

// signed reports whether input i has a script that verifies.
func signed(u *Unsigned, i int) bool {
	return len(u.Tx.Inputs[i].Script) > 0 && u.Tx.VerifyInput(i, u.PrevOuts[i].Script) == nil
}

// payCalls is every Builder method that pays someone, paying to. The fixture's coins
// fund each (with to a good address, each builds).
func payCalls(f *fixture) map[string]func(b *Builder, to mvs.Address) (*Unsigned, error) {
	mst := f.coin(20, f.addr[1], 0, tx.Attachment{Version: 1, Type: tx.TypeAsset, Payload: &tx.AssetTransfer{Symbol: "DNA", Quantity: 1000}})
	did := f.coin(21, f.addr[0], 0, tx.Attachment{Version: 1, Type: tx.TypeDID, Payload: &tx.DID{Status: 1, Symbol: "alice", Address: f.addr[0].String()}})
	mit := f.coin(22, f.addr[0], 0, tx.Attachment{Version: 1, Type: tx.TypeMIT, Payload: &tx.MIT{Status: 1, Symbol: "TOKEN1", Address: f.addr[0].String()}})
	cert := f.coin(23, f.addr[0], 0, tx.Attachment{Version: 1, Type: tx.TypeAssetCert, Payload: &tx.AssetCert{Symbol: "ALICE", Owner: "alice", Address: f.addr[0].String(), CertType: tx.CertDomain}})
	lock, _ := script.Attenuation(f.addr[1].Hash, "PN=0;LH=20000;TYPE=1;LQ=9000;LP=60000;UN=3", script.NullOutPoint())
	locked := prove(Coin{PrevOut: tx.PrevOut{OutPoint: tx.OutPoint{Hash: mvs.Hash{77}}, Script: lock, Height: 2_000_000,
		Attachment: tx.Attachment{Version: 1, Type: tx.TypeAsset, Payload: &tx.AssetTransfer{Symbol: "DNA", Quantity: 10000}}}})
	f.b.Coins = append(f.b.Coins, mst, did, mit, cert)
	var pubs [][]byte
	for i := uint32(10); i < 13; i++ {
		k, _ := f.acct.PrivateKey(i)
		pubs = append(pubs, k.PubKey().SerializeCompressed())
	}
	redeem, msAddr, _ := NewMultisig(2, pubs, f.p)
	ms := f.coin(30, msAddr, 10*mvs.SatoshiPerETP, tx.Attachment{Version: 1, Type: tx.TypeETP})
	return map[string]func(*Builder, mvs.Address) (*Unsigned, error){
		"Send":        func(b *Builder, to mvs.Address) (*Unsigned, error) { return b.Send(Payment{to, mvs.SatoshiPerETP}) },
		"SendMessage": func(b *Builder, to mvs.Address) (*Unsigned, error) { return b.SendMessage(to, 1, "hi") },
		"Deposit": func(b *Builder, to mvs.Address) (*Unsigned, error) {
			pre := *b
			pre.TipHeight = 1_500_000
			pre.Coins = nil
			for _, c := range b.Coins {
				c.Height = 1_000_000
				pre.Coins = append(pre.Coins, c)
			}
			return pre.Deposit(to, mvs.SatoshiPerETP, 25200)
		},
		"IssueAsset": func(b *Builder, to mvs.Address) (*Unsigned, error) {
			return b.IssueAsset(to, AssetIssue{Symbol: "ALICE.COIN", MaximumSupply: 1e9, IssuerDID: "alice", DomainCert: true})
		},
		"SendAsset":   func(b *Builder, to mvs.Address) (*Unsigned, error) { return b.SendAsset(to, "DNA", 400, "", "") },
		"RegisterDID": func(b *Builder, to mvs.Address) (*Unsigned, error) { return b.RegisterDID(to, "bob") },
		"TransferDID": func(b *Builder, to mvs.Address) (*Unsigned, error) {
			return b.TransferDID(did, f.coin(24, to, 3*mvs.SatoshiPerETP, tx.Attachment{Version: 1, Type: tx.TypeETP}), to)
		},
		"RegisterMIT":  func(b *Builder, to mvs.Address) (*Unsigned, error) { return b.RegisterMIT(to, "ART2", "thing") },
		"TransferMIT":  func(b *Builder, to mvs.Address) (*Unsigned, error) { return b.TransferMIT(mit, to) },
		"TransferCert": func(b *Builder, to mvs.Address) (*Unsigned, error) { return b.TransferCert(cert, to, "bob") },
		"IssueCert": func(b *Builder, to mvs.Address) (*Unsigned, error) {
			return b.IssueCert(cert, "ALICE.SUB", to, "bob")
		},
		"SpendMultisig": func(b *Builder, to mvs.Address) (*Unsigned, error) {
			return b.SpendMultisig([]Coin{ms}, redeem, Payment{to, mvs.SatoshiPerETP})
		},
		"SendAssetLocked": func(b *Builder, to mvs.Address) (*Unsigned, error) {
			return b.SendAssetLocked(to, "DNA", 900, "TYPE=1;LQ=900;LP=60000;UN=3")
		},
		"SecondaryIssue": func(b *Builder, to mvs.Address) (*Unsigned, error) {
			s := dnaSecondaryIssue(f, 700)
			s.Detail.SecondaryIssueThreshold = 127 // no share needed: to may hold nothing
			return b.SecondaryIssue(to, s)
		},
		"SpendLocked": func(b *Builder, to mvs.Address) (*Unsigned, error) {
			c := *b
			c.TipHeight = 2_020_000
			return c.SpendLocked(locked, to, 3000)
		},
		"change": func(b *Builder, to mvs.Address) (*Unsigned, error) {
			c := *b
			c.ChangeAddress = to
			return c.Send(Payment{f.addr[3], mvs.SatoshiPerETP})
		},
	}
}

// Every paying method refuses the blackhole, a zero address and another network's address,
// naming both networks; only Burn burns.
func TestBuildersRefuseBadAddresses(t *testing.T) {
	f := newFixture(t)
	calls := payCalls(f)
	testnetAddr := mvs.NewPubKeyHashAddress([20]byte{9}, mvs.TestNet())
	bh, err := mvs.DecodeAddress(mvs.BlackholeAddress, f.p)
	if err != nil {
		t.Fatal(err)
	}
	for name, call := range calls {
		to := f.addr[2]
		if name == "RegisterDID" {
			to = f.addr[1] // the address must own an ETP coin
		}
		if _, err := call(f.b, to); err != nil {
			t.Fatalf("%s to a good address: %v", name, err)
		}
		for _, c := range []struct {
			what string
			to   mvs.Address
			want error
		}{
			{"blackhole", bh, ErrBlackholeAddress},
			{"half-built", mvs.Address{Version: f.p.PubKeyHashAddrID, Hash: [20]byte{9}}, ErrZeroAddress}, // no Kind
			{"testnet", testnetAddr, mvs.ErrAddressNetwork},
		} {
			_, err := call(f.b, c.to)
			if !errors.Is(err, c.want) {
				t.Errorf("%s to the %s address: %v, want %v", name, c.what, err, c.want)
				continue
			}
			var ne *AddressNetworkError
			if c.want == mvs.ErrAddressNetwork && (!errors.As(err, &ne) || !strings.Contains(err.Error(), "testnet") || !strings.Contains(err.Error(), "mainnet")) {
				t.Errorf("%s: the network error does not name both networks: %v", name, err)
			}
		}
	}
	if _, err := f.b.Burn(mvs.SatoshiPerETP); err != nil {
		t.Errorf("Burn: %v", err)
	}
	// The reverse: a testnet builder refuses a mainnet address, naming both.
	tb := &Builder{Params: mvs.TestNet(), TipHeight: 3_000_000, Coins: f.b.Coins}
	if _, err := tb.Send(Payment{f.addr[0], 1}); !errors.Is(err, mvs.ErrAddressNetwork) ||
		!strings.Contains(err.Error(), "is a mainnet address (version 0x32), not a testnet one") {
		t.Errorf("mainnet address on testnet: %v", err)
	}
}

// A Builder without Params (or without a tip height) returns an error from every method
// instead of panicking, and a zero tip height is its own error, not "insufficient funds".
func TestZeroBuilder(t *testing.T) {
	f := newFixture(t)
	calls := payCalls(f)
	calls["Burn"] = func(b *Builder, _ mvs.Address) (*Unsigned, error) { return b.Burn(1) }
	for name, call := range calls {
		for _, c := range []struct {
			b    *Builder
			want error
		}{
			{&Builder{}, ErrNoParams},
			{nil, ErrNoParams},
			{&Builder{Params: f.p, Coins: f.b.Coins}, ErrNoTipHeight},
		} {
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("%s on %+v panics: %v", name, c.b, r)
					}
				}()
				if name == "Deposit" || name == "SpendLocked" || name == "change" {
					if c.b == nil || c.want == ErrNoTipHeight {
						return // these copy the Builder and set their own tip height
					}
				}
				if _, err := call(c.b, f.addr[2]); !errors.Is(err, c.want) {
					t.Errorf("%s: %v, want %v", name, err, c.want)
				}
			}()
		}
	}
	if _, err := SelectCoins(f.b.Coins, SelectRequest{Target: 1}); !errors.Is(err, ErrNoParams) {
		t.Errorf("SelectCoins without Params: %v", err)
	}
	if _, err := SelectCoins(f.b.Coins, SelectRequest{Target: 1, Spendability: Spendability{Params: f.p}}); !errors.Is(err, ErrNoTipHeight) || errors.Is(err, ErrInsufficientFunds) {
		t.Errorf("SelectCoins without a tip: %v", err)
	}
}

// Fees below the consensus minimum or the miner's special fees, and fees above the cap,
// are refused; AllowHighFee pays a large fee on purpose.
func TestBuilderFees(t *testing.T) {
	f := newFixture(t)
	calls := payCalls(f)
	dest := f.addr[2]
	for _, c := range []struct {
		name  string
		setup func(b *Builder)
		call  string
		want  error
	}{
		{"below the minimum", func(b *Builder) { b.Fee = 9_999 }, "Send", ErrFeeTooLow},
		{"50 ETP", func(b *Builder) { b.Fee = 50 * mvs.SatoshiPerETP }, "Send", ErrFeeTooHigh},
		{"50 ETP on a MIT transfer", func(b *Builder) { b.Fee = 50 * mvs.SatoshiPerETP }, "TransferMIT", ErrFeeTooHigh},
		{"above a caller's cap", func(b *Builder) { b.Fee, b.MaxFee = 60_000, 50_000 }, "Send", ErrFeeTooHigh},
		{"allowed on purpose", func(b *Builder) { b.Fee, b.AllowHighFee = 2*mvs.SatoshiPerETP, true }, "Send", nil},
		{"the default cap", func(b *Builder) { b.Fee = DefaultMaxFee }, "Send", nil},
		{"issue fee lowered", func(b *Builder) { b.Params.IssueFee = 5 * mvs.SatoshiPerETP }, "IssueAsset", ErrFeeTooLow},
		{"issue fee mostly to the developer", func(b *Builder) { b.Params.MinerFeePercent = 10 }, "IssueAsset", ErrFeeTooLow},
		{"DID fee lowered", func(b *Builder) { b.Params.DIDFee = mvs.SatoshiPerETP / 2 }, "RegisterDID", ErrFeeTooLow},
		{"issue fee raised", func(b *Builder) { b.Params.IssueFee = 12 * mvs.SatoshiPerETP }, "IssueAsset", nil},
	} {
		b := *f.b
		p := *f.p
		b.Params = &p
		c.setup(&b)
		to := dest
		if c.call == "RegisterDID" {
			to = f.addr[1]
		}
		u, err := calls[c.call](&b, to)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
			continue
		}
		if err == nil && c.name == "allowed on purpose" {
			if fee, err := u.Fee(); err != nil || fee != 2*mvs.SatoshiPerETP {
				t.Errorf("%s: fee %v, %v", c.name, fee, err)
			}
		}
	}
}

// An InsufficientFundsError says why coins were left out, and names the main reason.
func TestInsufficientFundsSaysWhy(t *testing.T) {
	f := newFixture(t)
	young := f.b.Coins[:3]
	for i := range young {
		young[i].Height = f.b.TipHeight // one confirmation
	}
	cb := f.coin(40, f.addr[0], 100*mvs.SatoshiPerETP, tx.Attachment{Version: 1, Type: tx.TypeETP})
	cb.Coinbase, cb.Height = true, f.b.TipHeight-10
	b := *f.b
	b.Coins = append(append([]Coin(nil), young...), cb)
	_, err := b.Send(Payment{f.addr[2], 200 * mvs.SatoshiPerETP})
	var ie *InsufficientFundsError
	if !errors.As(err, &ie) {
		t.Fatalf("%v", err)
	}
	if ie.Main() != ReasonCoinbaseMaturity || len(ie.LeftOut) != 2 ||
		ie.LeftOut[0] != (LeftOut{ReasonCoinbaseMaturity, 1, uint64(100 * mvs.SatoshiPerETP)}) ||
		ie.LeftOut[1] != (LeftOut{ReasonConfirmations, 3, uint64(37 * mvs.SatoshiPerETP)}) ||
		!strings.Contains(err.Error(), "mainly immature coinbase") {
		t.Errorf("%+v: %v", ie.LeftOut, err)
	}
	b.Coins = young
	if _, err := b.Send(Payment{f.addr[2], mvs.SatoshiPerETP}); !errors.As(err, &ie) || ie.Main() != ReasonConfirmations ||
		!strings.Contains(err.Error(), "mainly too few confirmations: 3 coin(s)") {
		t.Errorf("all coins too young: %v", err)
	}
	b.TipHeight = 0
	if _, err := b.Send(Payment{f.addr[2], mvs.SatoshiPerETP}); !errors.Is(err, ErrNoTipHeight) || errors.Is(err, ErrInsufficientFunds) {
		t.Errorf("no tip height: %v", err)
	}
	// Asset selection says why too: the only DNA is still locked.
	lock, _ := script.Attenuation(f.addr[1].Hash, "PN=0;LH=20000;TYPE=1;LQ=9000;LP=60000;UN=3", script.NullOutPoint())
	locked := prove(Coin{PrevOut: tx.PrevOut{OutPoint: tx.OutPoint{Hash: mvs.Hash{77}}, Script: lock, Height: 2_000_000,
		Attachment: tx.Attachment{Version: 1, Type: tx.TypeAsset, Payload: &tx.AssetTransfer{Symbol: "DNA", Quantity: 10000}}}})
	b = *f.b
	b.Coins = append(b.Coins, locked)
	b.TipHeight = 2_010_000
	if _, err := b.SpendLocked(locked, f.addr[2], 9000); !errors.As(err, &ie) || ie.Main() != ReasonAttenuationLock || ie.Spendable != 1000 {
		t.Errorf("SpendLocked beyond the released amount: %v", err)
	}
	if _, err := b.SendAsset(f.addr[2], "DNA", 10, "", ""); !errors.As(err, &ie) || ie.Symbol != "DNA" ||
		ie.Main() != ReasonAttenuationLock || ie.LeftOut[0].Amount != 10000 {
		t.Errorf("locked asset: %v", err)
	}
	var ue *UnspendableError
	if err := (Spendability{TipHeight: b.TipHeight, Params: b.Params}).Why(&locked); !errors.As(err, &ue) || ue.Reason != ReasonAttenuationLock || !errors.Is(err, ErrUnspendable) {
		t.Errorf("Why: %v", err)
	}
}

// An unsigned single-key input whose key the signer lacks is a *MissingKeyError naming the
// input, the address and the origin; a multisig input waiting for a co-signer is not.
func TestMissingKeyIsAnError(t *testing.T) {
	f := newFixture(t)
	o := f.acct.Origin(0)
	c0 := f.coin(1, f.addr[0], 30*mvs.SatoshiPerETP, tx.Attachment{Version: 1, Type: tx.TypeETP})
	c0.Origin = &o
	f.b.Coins = []Coin{c0, f.coin(2, f.addr[1], 5*mvs.SatoshiPerETP, tx.Attachment{Version: 1, Type: tx.TypeETP})}
	u, err := f.b.Send(Payment{f.addr[2], 34 * mvs.SatoshiPerETP}) // needs both coins
	if err != nil {
		t.Fatal(err)
	}
	k1, _ := f.acct.PrivateKey(1)
	left, err := u.Sign(NewKeyList(k1), tx.SignOptions{})
	var mk *MissingKeyError
	if !errors.Is(err, ErrMissingKey) || !errors.As(err, &mk) || mk.Address != f.addr[0] || mk.Origin == nil || *mk.Origin != o || left != 1 {
		t.Fatalf("%d left, %v", left, err)
	}
	if !strings.Contains(err.Error(), "no key for "+f.addr[0].String()+" (origin "+o.String()+")") {
		t.Errorf("message: %v", err)
	}
	if signed(u, mk.Input) || !signed(u, 1-mk.Input) {
		t.Error("the input whose key was held is not signed")
	}
	_, privs, _, _, ms, _ := multisigFixture(t)
	if left, err := ms.Sign(NewKeyList(privs[0]), tx.SignOptions{}); err != nil || left != 1 {
		t.Errorf("multisig waiting for a co-signer: %d, %v", left, err)
	}
}

// Sign refuses previous outputs no attached transaction proves, unless the signer opts
// out; the opt-out never travels in the JSON; the builder attaches coins' proofs and
// refuses a coin whose PrevTx does not hold it.
func TestProvenByDefault(t *testing.T) {
	f := newFixture(t)
	bare := f.b.Coins[2]
	bare.PrevTx = nil
	b := *f.b
	b.Coins = []Coin{bare}
	u, err := b.Send(Payment{f.addr[2], mvs.SatoshiPerETP})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.Sign(f.keys, tx.SignOptions{}); !errors.Is(err, ErrUnprovenPrevOut) || !errors.Is(err, ErrPrevOutMismatch) || signed(u, 0) {
		t.Fatalf("unproven input signed: %v", err)
	}
	if _, err := u.Fee(); !errors.Is(err, ErrUnprovenPrevOut) {
		t.Errorf("Fee of unproven inputs: %v", err)
	}
	u.AllowUnprovenPrevOuts = true
	js, _ := json.Marshal(u)
	if strings.Contains(strings.ToLower(string(js)), "unproven") {
		t.Error("the opt-out is serialised")
	}
	if left, err := u.Sign(f.keys, tx.SignOptions{}); err != nil || left != 0 {
		t.Errorf("explicit opt-out: %d, %v", left, err)
	}
	var back Unsigned
	injected := strings.Replace(string(js), `"format"`, `"allow_unproven_prevouts": true, "format"`, 1)
	if err := json.Unmarshal([]byte(injected), &back); !errors.Is(err, ErrReadableMismatch) {
		t.Errorf("an injected opt-out loads: %v", err)
	}

	// The builder attaches what coins carry, and refuses a coin its PrevTx does not hold.
	u, err = f.b.Send(Payment{f.addr[2], mvs.SatoshiPerETP})
	if err != nil {
		t.Fatal(err)
	}
	if err := u.ProvenInputs(); err != nil {
		t.Errorf("built from proven coins: %v", err)
	}
	for name, mutate := range map[string]func(c *Coin){
		"value":   func(c *Coin) { c.Value++ },
		"another": func(c *Coin) { c.PrevTx = f.b.Coins[0].PrevTx },
	} {
		c := f.b.Coins[2]
		mutate(&c)
		b.Coins = []Coin{c}
		if _, err := b.Send(Payment{f.addr[2], mvs.SatoshiPerETP}); !errors.Is(err, ErrPrevOutMismatch) {
			t.Errorf("%s: %v", name, err)
		}
	}
	c, err := CoinFromTx(f.b.Coins[2].PrevTx, 0, 2_000_000)
	if err != nil || c.OutPoint != f.b.Coins[2].OutPoint || c.Value != f.b.Coins[2].Value || c.PrevTx == nil {
		t.Errorf("CoinFromTx: %+v, %v", c, err)
	}
	if _, err := CoinFromTx(f.b.Coins[2].PrevTx, 1, 0); !errors.Is(err, ErrCoin) {
		t.Errorf("CoinFromTx past the outputs: %v", err)
	}
}

// Every readable field of a real offline JSON is checked on load: an edited address,
// amount, script or hash is refused, naming the field.
func TestReadableJSONIsChecked(t *testing.T) {
	f := newFixture(t)
	o := f.acct.Origin(2)
	f.b.Coins[2].Origin = &o
	u, err := f.b.SendMessage(mvs.NewPubKeyHashAddress([20]byte{9}, f.p), 3*mvs.SatoshiPerETP, "invoice 42")
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(u)
	if err != nil {
		t.Fatal(err)
	}
	var v Unsigned
	if err := json.Unmarshal(js, &v); err != nil {
		t.Fatalf("the untouched JSON: %v", err)
	}
	var tree map[string]any
	if err := json.Unmarshal(js, &tree); err != nil {
		t.Fatal(err)
	}
	// Every leaf of tx_readable, and each previous output's ASM.
	var paths [][]any
	var walk func(v any, path []any)
	walk = func(v any, path []any) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				walk(c, append(append([]any(nil), path...), k))
			}
		case []any:
			for i, c := range x {
				walk(c, append(append([]any(nil), path...), i))
			}
		default:
			paths = append(paths, path)
		}
	}
	walk(tree["tx_readable"], []any{"tx_readable"})
	for i := range tree["prevouts"].([]any) {
		paths = append(paths, []any{"prevouts", i, "script"})
	}
	if len(paths) < 20 {
		t.Fatalf("only %d readable fields", len(paths))
	}
	for _, path := range paths {
		var edited map[string]any
		json.Unmarshal(js, &edited)
		var parent any = edited
		for _, k := range path[:len(path)-1] {
			if s, ok := k.(string); ok {
				parent = parent.(map[string]any)[s]
			} else {
				parent = parent.([]any)[k.(int)]
			}
		}
		last := path[len(path)-1]
		get := func() any {
			if s, ok := last.(string); ok {
				return parent.(map[string]any)[s]
			}
			return parent.([]any)[last.(int)]
		}
		var nv any
		switch x := get().(type) {
		case string:
			nv = x + "0"
			if x == "" {
				nv = "x"
			}
		case float64:
			nv = x + 1
		case bool:
			nv = !x
		default:
			t.Fatalf("%v: %T", path, x)
		}
		if s, ok := last.(string); ok {
			parent.(map[string]any)[s] = nv
		} else {
			parent.([]any)[last.(int)] = nv
		}
		b, _ := json.Marshal(edited)
		if err := json.Unmarshal(b, &v); !errors.Is(err, ErrReadableMismatch) {
			t.Errorf("%v edited to %v: %v", path, nv, err)
		}
	}
	// The address a person reads, swapped for theirs: refused with the field named.
	other := mvs.NewPubKeyHashAddress([20]byte{8}, f.p).String()
	swapped := strings.Replace(string(js), mvs.NewPubKeyHashAddress([20]byte{9}, f.p).String(), other, 1)
	if err := json.Unmarshal([]byte(swapped), &v); !errors.Is(err, ErrReadableMismatch) || !strings.Contains(err.Error(), "tx_readable.outputs[0].address") {
		t.Errorf("swapped address: %v", err)
	}
	// Fields left out are fine: the raw data is authoritative.
	delete(tree, "tx_readable")
	b, _ := json.Marshal(tree)
	if err := json.Unmarshal(b, &v); err != nil {
		t.Errorf("without tx_readable: %v", err)
	}
}

// A signer with the account derives exactly the keys the inputs' origins name, checks them
// against the outputs they spend and the account's fingerprint, and signs.
func TestSignWithAccount(t *testing.T) {
	f := newFixture(t)
	watch, err := NewWatchOnlyAccount(f.acct.ExtendedPublicKey(), f.p)
	if err != nil || watch.Fingerprint() != f.acct.Fingerprint() {
		t.Fatalf("watch-only fingerprint differs: %v", err)
	}
	far := uint32(99_999) // a deposit index far beyond any Keys(count) a signer would try
	farAddr, _ := watch.Address(far)
	c1 := f.coin(50, farAddr, 7*mvs.SatoshiPerETP, tx.Attachment{Version: 1, Type: tx.TypeETP})
	c2 := f.coin(51, f.addr[1], 7*mvs.SatoshiPerETP, tx.Attachment{Version: 1, Type: tx.TypeETP})
	o1, o2 := watch.Origin(far), watch.Origin(1)
	c1.Origin, c2.Origin = &o1, &o2
	b := *f.b
	b.Coins = []Coin{c1, c2}
	u, err := b.Send(Payment{f.addr[2], 10 * mvs.SatoshiPerETP})
	if err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(u)
	if !strings.Contains(string(js), `"origin":"`+o1.String()+`"`) {
		t.Fatalf("origin not in the JSON:\n%s", js)
	}
	load := func(s string) *Unsigned {
		var v Unsigned
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			t.Fatal(err)
		}
		return &v
	}
	v := load(string(js))
	if left, err := v.SignWithAccount(f.acct, tx.SignOptions{}); err != nil || left != 0 {
		t.Fatalf("%d left, %v", left, err)
	}
	if _, err := v.Final(); err != nil {
		t.Fatal(err)
	}

	// An origin pointing at another key of the account: refused, nothing signed.
	wrong := strings.Replace(string(js), o2.String(), watch.Origin(3).String(), 1)
	v = load(wrong)
	if _, err := v.SignWithAccount(f.acct, tx.SignOptions{}); !errors.Is(err, ErrOriginKeyMismatch) || signed(v, 0) || signed(v, 1) {
		t.Errorf("wrong index: %v", err)
	}
	// Another account's origin, or none: a missing key, the other input signed.
	other, _ := NewAccountFromMnemonic("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", f.p)
	v = load(string(js))
	var mk *MissingKeyError
	if left, err := v.SignWithAccount(other, tx.SignOptions{}); !errors.Is(err, ErrOriginFingerprint) || !errors.Is(err, ErrMissingKey) || !errors.As(err, &mk) || left != 2 {
		t.Errorf("another account: %d, %v", left, err)
	}
	v = load(string(js))
	v.Inputs[0].Origin = nil
	if left, err := v.SignWithAccount(f.acct, tx.SignOptions{}); !errors.Is(err, ErrMissingKey) || left != 1 || !strings.Contains(err.Error(), "no key origin recorded") {
		t.Errorf("no origin: %d, %v", left, err)
	}
	if _, err := load(string(js)).SignWithAccount(watch, tx.SignOptions{}); !errors.Is(err, ErrWatchOnly) {
		t.Errorf("watch-only: %v", err)
	}
	// A multisig input's origin names this signer's key among the redeem script's.
	_, _, _, redeem, _, msCoin := multisigFixture(t)
	for _, c := range []struct {
		index uint32
		want  error
	}{{10, nil}, {5, ErrOriginKeyMismatch}} {
		o := f.acct.Origin(c.index)
		msCoin.Origin = &o
		ms, err := f.b.SpendMultisig([]Coin{msCoin}, redeem, Payment{f.addr[0], mvs.SatoshiPerETP})
		if err != nil {
			t.Fatal(err)
		}
		left, err := ms.SignWithAccount(f.acct, tx.SignOptions{})
		if !errors.Is(err, c.want) || (c.want == nil && (left != 1 || len(ms.Inputs[0].Partial) != 1)) {
			t.Errorf("multisig origin m/%d: %d left, %d partials, %v", c.index, left, len(ms.Inputs[0].Partial), err)
		}
	}
	// The KeyList path still signs.
	k1, _ := f.acct.PrivateKey(1)
	kf, _ := f.acct.PrivateKey(far)
	if left, err := load(string(js)).Sign(NewKeyList(k1, kf), tx.SignOptions{}); err != nil || left != 0 {
		t.Errorf("KeyList: %d, %v", left, err)
	}
}

func TestKeyOriginText(t *testing.T) {
	o := KeyOrigin{Fingerprint: [4]byte{0x73, 0xc5, 0xda, 0x0a}, Index: 42}
	if o.String() != "73c5da0a/m/42" {
		t.Errorf("%s", o)
	}
	if back, err := ParseKeyOrigin(o.String()); err != nil || back != o {
		t.Errorf("%v %v", back, err)
	}
	for _, bad := range []string{"", "73c5da0a/42", "73C5DA0A/m/42", "73c5da/m/42", "73c5da0g/m/1", "73c5da0a/m/-1", "73c5da0a/m/2147483648", "73c5da0a/m/01", "73c5da0a/m/1'"} {
		if _, err := ParseKeyOrigin(bad); !errors.Is(err, ErrKeyOrigin) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	// BIP32's well-known master fingerprint of the "abandon … about" seed.
	a, _ := NewAccountFromMnemonic("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", mvs.MainNet())
	if a.Fingerprint() != o.Fingerprint {
		t.Errorf("fingerprint %x", a.Fingerprint())
	}
}

// BenchmarkSignWithAccount signs a two-input withdrawal whose keys sit at m/1 and m/99999:
// the cost is two derivations, whatever the deposit index.
func BenchmarkSignWithAccount(b *testing.B) {
	p := mvs.MainNet()
	acct, err := NewAccountFromMnemonic(vectorMnemonic, p)
	if err != nil {
		b.Fatal(err)
	}
	var coins []Coin
	for n, i := range []uint32{1, 99_999} {
		a, _ := acct.Address(i)
		c := prove(Coin{PrevOut: tx.PrevOut{OutPoint: tx.OutPoint{Hash: mvs.Hash{byte(n + 1)}}, Value: 5 * mvs.SatoshiPerETP,
			Script: script.PayToAddress(a), Attachment: tx.Attachment{Version: 1, Type: tx.TypeETP}, Height: 2_000_000}})
		o := acct.Origin(i)
		c.Origin = &o
		coins = append(coins, c)
	}
	bl := &Builder{Params: p, TipHeight: 3_000_000, Coins: coins}
	to, _ := acct.Address(2)
	u, err := bl.Send(Payment{to, 9 * mvs.SatoshiPerETP})
	if err != nil {
		b.Fatal(err)
	}
	js, _ := json.Marshal(u)
	b.ResetTimer()
	for b.Loop() {
		var v Unsigned
		if err := json.Unmarshal(js, &v); err != nil {
			b.Fatal(err)
		}
		if left, err := v.SignWithAccount(acct, tx.SignOptions{}); err != nil || left != 0 {
			b.Fatal(left, err)
		}
	}
}

// Builder methods do not modify the Builder: concurrent builds from one Builder are safe
// (run with -race: RegisterMIT used to swap ChangeAddress for the call).
func TestBuilderSharedAcrossGoroutines(t *testing.T) {
	f := newFixture(t)
	done := make(chan error, 8)
	for i := 0; i < 4; i++ {
		go func() { _, err := f.b.RegisterMIT(f.addr[0], "ART2", "x"); done <- err }()
		go func() { _, err := f.b.Send(Payment{f.addr[2], mvs.SatoshiPerETP}); done <- err }()
	}
	for i := 0; i < 8; i++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
	if f.b.ChangeAddress.IsValid() {
		t.Error("a method left ChangeAddress set")
	}
}

// Errors never repeat secrets: a WIF key with one wrong character, or a mnemonic with a
// misspelled word, is reported by rule and position, not by its text.
func TestErrorsDoNotQuoteSecrets(t *testing.T) {
	p := mvs.MainNet()
	k, _ := btcec.NewPrivateKey()
	wif := EncodeWIF(k, true, p)
	c := byte('z')
	if wif[10] == c {
		c = 'y'
	}
	bad := wif[:10] + string(c) + wif[11:]
	for _, in := range []string{bad, wif[:20] + "0" + wif[21:]} {
		_, _, err := DecodeWIF(in, p)
		if !errors.Is(err, ErrWIF) || strings.Contains(err.Error(), in[:20]) || strings.Contains(err.Error(), in[30:]) {
			t.Errorf("DecodeWIF error quotes the key: %v", err)
		}
	}
	words := strings.Fields(vectorMnemonic)
	words[3] = words[3] + "x"
	err := ValidateMnemonic(strings.Join(words, " "))
	var we *MnemonicWordError
	if !errors.As(err, &we) || we.Position != 4 || strings.Contains(err.Error(), words[3]) {
		t.Errorf("mnemonic error: %v", err)
	}
}

// A sequence lock is read as consensus reads it: bit 31 (a 5-byte number) disables it.
func TestSpendabilityReadsSequenceLocksAsConsensus(t *testing.T) {
	p := mvs.MainNet()
	sp := Spendability{TipHeight: 3_000_002, MinConfirmations: 1, Params: p}
	for _, c := range []struct {
		seq  uint32
		want bool
	}{{1<<31 | 5, true}, {5, false}, {2, true}} {
		coin := Coin{PrevOut: tx.PrevOut{Script: script.SequenceLock([20]byte{1}, c.seq), Value: 1e8,
			Attachment: tx.Attachment{Version: 1, Type: tx.TypeETP}, Height: 3_000_000}}
		if err := sp.Why(&coin); (err == nil) != c.want {
			t.Errorf("sequence %#x: %v", c.seq, err)
		}
	}
}

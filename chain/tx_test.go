package chain_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/asset"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/did"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// utxoMap is a UTXOView over a map.
type utxoMap map[tx.OutPoint]chain.UTXO

func (m utxoMap) UTXO(op tx.OutPoint) (chain.UTXO, bool, error) {
	u, ok := m[op]
	return u, ok, nil
}

// failingView is a store that cannot read.
type failingView struct{}

var errDisk = errors.New("disk on fire")

func (failingView) UTXO(tx.OutPoint) (chain.UTXO, bool, error) { return chain.UTXO{}, false, errDisk }

// txBranch is a HeaderChain whose header at height h has timestamp tsAt(h).
type txBranch struct{ tip uint32 }

const baseTime = 1_600_000_000

func tsAt(h uint32) uint32 { return baseTime + 20*h }

func (b txBranch) HeaderAt(h uint32) *block.Header {
	if h > b.tip {
		return nil
	}
	return &block.Header{Version: block.VersionPoW, Height: h, Timestamp: tsAt(h)}
}

// txParams are mainnet's (so the mainnet-only rules apply) with the forks brought low:
// SuperNova above 10, PoS from 100, coinbase maturity 5.
func txParams() *mvs.Params {
	p := mvs.MainNet()
	p.NovaHeight = 10
	p.PoSHeight = 100
	p.CoinbaseMaturity = 5
	return p
}

func key(b byte) *btcec.PrivateKey {
	var k [32]byte
	k[31] = b
	priv, _ := btcec.PrivKeyFromBytes(k[:])
	return priv
}

var keyA, keyB = key(1), key(2)

func keyHash(k *btcec.PrivateKey) [20]byte { return mvs.Hash160(k.PubKey().SerializeCompressed()) }
func p2pkh(k *btcec.PrivateKey) []byte     { return script.PayToPubKeyHash(keyHash(k)) }
func addrOf(k *btcec.PrivateKey, p *mvs.Params) string {
	a, _ := script.Script(p2pkh(k)).Address(p)
	return a.String()
}

// fixture is the chain a test transaction goes into: a block at height, the UTXOs it may
// spend, and empty registries.
type fixture struct {
	p      *mvs.Params
	height uint32
	view   utxoMap
	keys   map[tx.OutPoint]*btcec.PrivateKey
	assets *asset.MemRegistry
	dids   *did.Memory
	mtp    int64
	n      byte
}

func newFixture(height uint32) *fixture {
	return &fixture{p: txParams(), height: height, view: utxoMap{}, keys: map[tx.OutPoint]*btcec.PrivateKey{},
		assets: &asset.MemRegistry{}, dids: did.NewMemory(), mtp: int64(tsAt(height - 6))}
}

func (f *fixture) ctx() chain.BlockContext {
	return chain.BlockContext{Params: f.p, Height: f.height, MedianTimePast: f.mtp, Branch: txBranch{tip: f.height - 1}}
}

func (f *fixture) regs() chain.Registries { return chain.Registries{Assets: f.assets, DIDs: f.dids} }

// add puts an output of k's (signed for with k) in the view.
func (f *fixture) add(k *btcec.PrivateKey, u chain.UTXO) tx.OutPoint {
	f.n++
	op := tx.OutPoint{Hash: mvs.Hash{0xaa, f.n}, Index: uint32(f.n % 3)}
	f.view[op] = u
	f.keys[op] = k
	return op
}

// fund adds a plain ETP output paying k, created at height.
func (f *fixture) fund(k *btcec.PrivateKey, v mvs.Amount, height uint32) tx.OutPoint {
	return f.add(k, chain.UTXO{Output: tx.Output{Value: v, Script: p2pkh(k), Attachment: etp()}, Height: height})
}

func etp() tx.Attachment { return tx.Attachment{Version: 1, Type: tx.TypeETP} }

func payTo(k *btcec.PrivateKey, v mvs.Amount) tx.Output {
	return tx.Output{Value: v, Script: p2pkh(k), Attachment: etp()}
}

// spend builds a version-4 transaction of final inputs.
func spend(ins []tx.OutPoint, outs ...tx.Output) *tx.Tx {
	t := &tx.Tx{Version: tx.VersionNova, Outputs: outs}
	for _, op := range ins {
		t.Inputs = append(t.Inputs, tx.Input{PreviousOutput: op, Sequence: script.SequenceFinal})
	}
	return t
}

// sign signs every input with the key of the output it spends.
func (f *fixture) sign(t testing.TB, x *tx.Tx) *tx.Tx {
	t.Helper()
	for i := range x.Inputs {
		op := x.Inputs[i].PreviousOutput
		u, ok := f.view[op]
		if !ok {
			continue // a missing input stays unsigned
		}
		if err := x.SignInput(i, u.Output.Script, f.keys[op], tx.SignOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	return x
}

const coin = mvs.SatoshiPerETP

// simple is the base case: 1 ETP of A's from 50 blocks back, paid to B less the minimum fee.
func (f *fixture) simple() (*tx.Tx, tx.OutPoint) {
	op := f.fund(keyA, coin, f.height-min(50, f.height/2))
	return spend([]tx.OutPoint{op}, payTo(keyB, coin-f.p.MinTxFee)), op
}

func checkTxCode(t *testing.T, err error, want chain.ErrorCode) {
	t.Helper()
	if want == 0 {
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		return
	}
	var re *chain.RuleError
	if !errors.As(err, &re) || re.Code != want || !errors.Is(err, want) {
		t.Fatalf("got %v, want %v", err, want)
	}
}

const lockedModel = "PN=0;LH=20000;TYPE=1;LQ=9000;LP=60000;UN=3"

// TestCheckTxRules: a transaction valid in its block passes, and one valid but for one rule
// is refused with that rule's code (and, where another package judged, its error).
func TestCheckTxRules(t *testing.T) {
	type tc struct {
		name    string
		height  uint32 // 0: 200, past the PoS fork
		build   func(t *testing.T, f *fixture) *tx.Tx
		want    chain.ErrorCode
		is      error // also matched with errors.Is
		fee     mvs.Amount
		testnet bool // testnet rules (TestnetRules), same fork heights
	}
	simple := func(edit func(f *fixture, x *tx.Tx)) func(*testing.T, *fixture) *tx.Tx {
		return func(t *testing.T, f *fixture) *tx.Tx {
			x, _ := f.simple()
			if edit != nil {
				edit(f, x)
			}
			return f.sign(t, x)
		}
	}
	version := func(v uint32) func(*testing.T, *fixture) *tx.Tx {
		return simple(func(_ *fixture, x *tx.Tx) { x.Version = v })
	}
	coinstake := func(fee mvs.Amount) func(*testing.T, *fixture) *tx.Tx {
		return func(t *testing.T, f *fixture) *tx.Tx {
			op := f.fund(keyA, 1000*coin, f.height/2)
			x := spend([]tx.OutPoint{op},
				tx.Output{Attachment: tx.Attachment{Type: tx.TypeCoinstakeNull}},
				payTo(keyA, 1000*coin-fee))
			x.Version = tx.VersionCheckOutputScript
			return f.sign(t, x)
		}
	}
	deposit := func(lockAge uint32) func(*testing.T, *fixture) *tx.Tx {
		return func(t *testing.T, f *fixture) *tx.Tx {
			op := f.add(keyA, chain.UTXO{Output: tx.Output{Value: coin, Script: script.LockHeightDeposit(keyHash(keyA), 25200),
				Attachment: etp()}, Height: f.height - 1 - lockAge})
			return f.sign(t, spend([]tx.OutPoint{op}, payTo(keyB, coin-f.p.MinTxFee)))
		}
	}
	// depositPush spends a deposit locked for 25200 blocks, created 25200 blocks before the
	// tip, with the lock height pushed as the given bytes.
	depositPush := func(lock []byte) func(*testing.T, *fixture) *tx.Tx {
		return func(t *testing.T, f *fixture) *tx.Tx {
			prev := script.LockHeightDeposit(keyHash(keyA), 25200)
			op := f.add(keyA, chain.UTXO{Output: tx.Output{Value: coin, Script: prev, Attachment: etp()}, Height: f.height - 1 - 25200})
			x := spend([]tx.OutPoint{op}, payTo(keyB, coin-f.p.MinTxFee))
			sig, err := x.SignatureFor(0, prev, keyA, tx.SignOptions{})
			if err != nil {
				t.Fatal(err)
			}
			x.Inputs[0].Script, err = script.NewBuilder().AddData(sig).AddData(keyA.PubKey().SerializeCompressed()).AddData(lock).Script()
			if err != nil {
				t.Fatal(err)
			}
			return x
		}
	}
	// p2shDepositShape spends a P2SH output whose redeem script is OP_1 with the deposit
	// spend's shape, the "lock height" being that redeem script (81), 10 blocks after it.
	p2shDepositShape := func(t *testing.T, f *fixture) *tx.Tx {
		redeem := []byte{byte(script.OP_1)}
		op := f.add(keyA, chain.UTXO{Output: tx.Output{Value: coin, Script: script.PayToScriptHash(mvs.Hash160(redeem)), Attachment: etp()},
			Height: f.height - 1 - 10})
		x := spend([]tx.OutPoint{op}, payTo(keyB, coin-f.p.MinTxFee))
		x.Inputs[0].Script, _ = script.NewBuilder().AddData(make([]byte, 70)).AddData(keyA.PubKey().SerializeCompressed()).AddData(redeem).Script()
		return x
	}
	withOutput := func(o tx.Output) func(*testing.T, *fixture) *tx.Tx {
		return simple(func(f *fixture, x *tx.Tx) {
			x.Outputs[0].Value -= o.Value
			x.Outputs = append(x.Outputs, o)
		})
	}
	depositOut := func(lock uint32) tx.Output {
		return tx.Output{Value: coin / 2, Script: script.LockHeightDeposit(keyHash(keyB), lock), Attachment: etp()}
	}
	seqLockOut := tx.Output{Value: coin / 2, Script: script.SequenceLock(keyHash(keyB), 24000), Attachment: etp()}
	lockTime := func(lt uint32, seq uint32) func(*testing.T, *fixture) *tx.Tx {
		return simple(func(_ *fixture, x *tx.Tx) { x.LockTime, x.Inputs[0].Sequence = lt, seq })
	}
	sequence := func(seq uint32) func(*testing.T, *fixture) *tx.Tx {
		return simple(func(_ *fixture, x *tx.Tx) { x.Inputs[0].Sequence = seq })
	}
	coinbaseInput := func(age uint32) func(*testing.T, *fixture) *tx.Tx {
		return func(t *testing.T, f *fixture) *tx.Tx {
			op := f.add(keyA, chain.UTXO{Output: payTo(keyA, coin), Height: f.height - age, Coinbase: true})
			return f.sign(t, spend([]tx.OutPoint{op}, payTo(keyB, coin-f.p.MinTxFee)))
		}
	}
	// locked spends FOO locked under lockedModel since lockedAt, with an ETP input for the fee,
	// releasing it all to B.
	locked := func(lockedAt uint32) func(*testing.T, *fixture) *tx.Tx {
		return func(t *testing.T, f *fixture) *tx.Tx {
			f.assets.RegisterAsset(tx.AssetDetail{Symbol: "FOO", MaximumSupply: 9000, Address: addrOf(keyA, f.p)})
			s, err := script.Attenuation(keyHash(keyA), lockedModel, script.NullOutPoint())
			if err != nil {
				t.Fatal(err)
			}
			lop := f.add(keyA, chain.UTXO{Output: tx.Output{Script: s, Attachment: fooTransfer(9000)}, Height: lockedAt})
			eop := f.fund(keyA, coin, f.height-50)
			return f.sign(t, spend([]tx.OutPoint{lop, eop},
				tx.Output{Script: p2pkh(keyB), Attachment: fooTransfer(9000)}, payTo(keyA, coin-f.p.MinTxFee)))
		}
	}
	register := func(symbol string) func(*testing.T, *fixture) *tx.Tx {
		return func(t *testing.T, f *fixture) *tx.Tx {
			// alice already belongs to B.
			reg := spend(nil, tx.Output{Script: p2pkh(keyB), Attachment: tx.Attachment{Version: 1, Type: tx.TypeDID,
				Payload: &tx.DID{Status: tx.DIDStatusRegister, Symbol: "alice", Address: addrOf(keyB, f.p)}}})
			if err := f.dids.Apply(reg, 20); err != nil {
				t.Fatal(err)
			}
			op := f.fund(keyA, coin, f.height-50)
			return f.sign(t, spend([]tx.OutPoint{op},
				tx.Output{Script: p2pkh(keyA), Attachment: tx.Attachment{Version: 1, Type: tx.TypeDID,
					Payload: &tx.DID{Status: tx.DIDStatusRegister, Symbol: symbol, Address: addrOf(keyA, f.p)}}},
				payTo(keyA, coin-f.p.MinTxFee)))
		}
	}

	cases := []tc{
		{name: "valid, the minimum fee", build: simple(nil), fee: 10_000},
		{name: "coinbase", build: func(*testing.T, *fixture) *tx.Tx {
			return &tx.Tx{Version: 1, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Index: 0xffffffff}, Script: []byte{1, 200}}},
				Outputs: []tx.Output{payTo(keyA, coin)}}
		}, want: chain.ErrCoinbaseTx},

		{name: "version 5", build: version(5), want: chain.ErrTxVersion},
		{name: "version 4 with the tip at SuperNova", height: 11, build: version(4), want: chain.ErrNovaNotActive},
		{name: "version 4 with the tip above SuperNova", height: 12, build: version(4), fee: 10_000},
		{name: "version 3 on mainnet", height: 50, build: version(3), want: chain.ErrTxVersion3},
		{name: "version 2 from the PoS fork", height: 101, build: version(2), want: chain.ErrTxVersionPoS},
		{name: "version 2 before the PoS fork", height: 100, build: version(2), fee: 10_000},
		{name: "coinstake version 2 from the PoS fork", build: coinstake(0)},
		{name: "testnet: version 3", height: 50, build: version(3), fee: 10_000, testnet: true},
		{name: "testnet: version 2 from the PoS fork", height: 101, build: version(2), fee: 10_000, testnet: true},
		{name: "testnet: version 4 below SuperNova's mainnet height", height: 5, build: version(4), fee: 10_000, testnet: true},

		{name: "duplicate input", build: simple(func(_ *fixture, x *tx.Tx) { x.Inputs = append(x.Inputs, x.Inputs[0]) }),
			want: chain.ErrTxSanity, is: tx.ErrDuplicateInput},
		{name: "missing input", build: simple(func(_ *fixture, x *tx.Tx) { x.Inputs[0].PreviousOutput.Index = 7 }),
			want: chain.ErrMissingInput},

		{name: "deposit spent at its lock height", height: 30_000, build: deposit(25200), fee: 10_000},
		{name: "deposit spent a block early", height: 30_000, build: deposit(25199), want: chain.ErrDepositLocked},
		{name: "deposit lock pushed non-minimally", height: 30_000, build: depositPush([]byte{0x70, 0x62, 0x00}), want: chain.ErrDepositLocked},
		{name: "deposit lock pushed minimally by hand", height: 30_000, build: depositPush([]byte{0x70, 0x62}), fee: 10_000},
		{name: "deposit-shaped spend of a P2SH output", build: p2shDepositShape, fee: 10_000},
		{name: "deposit before the PoS fork", height: 100, build: withOutput(depositOut(25200)), fee: 10_000},
		{name: "deposit from the PoS fork", height: 101, build: withOutput(depositOut(25200)), want: chain.ErrDepositAfterPoS},
		{name: "deposit lock height not in the table", height: 100, build: withOutput(depositOut(25201)), want: chain.ErrDepositLockHeight},
		{name: "sequence-lock output from the PoS fork", height: 101, build: withOutput(seqLockOut), fee: 10_000},
		{name: "sequence-lock output before the PoS fork", height: 100, build: withOutput(seqLockOut), want: chain.ErrSequenceLockEarly},
		{name: "testnet: sequence-lock output before the PoS fork", height: 100, build: withOutput(seqLockOut), fee: 10_000, testnet: true},

		{name: "lock time below the height", build: lockTime(199, 0), fee: 10_000},
		{name: "lock time at the height", build: lockTime(200, script.SequenceFinal-1), want: chain.ErrNonFinal},
		{name: "lock time at the height, inputs final", build: lockTime(200, script.SequenceFinal), fee: 10_000},
		{name: "lock time at the height before the PoS fork", height: 99, build: lockTime(99, script.SequenceFinal-1), fee: 10_000},
		{name: "time lock time at the median", build: lockTime(uint32(tsAt(194)), script.SequenceLockTimeDisableFlag), want: chain.ErrNonFinal},
		{name: "time lock time below the median", build: lockTime(uint32(tsAt(194))-1, script.SequenceLockTimeDisableFlag), fee: 10_000},

		{name: "relative lock of 50 blocks passed", build: sequence(50), fee: 10_000},
		{name: "relative lock of 51 blocks", build: sequence(51), want: chain.ErrSequenceLocked},
		{name: "relative time lock passed", build: sequence(script.SequenceLockTimeTypeFlag | (20*44)>>5), fee: 10_000},
		{name: "relative time lock to the median", build: sequence(script.SequenceLockTimeTypeFlag | (20*44+32)>>5), want: chain.ErrSequenceLocked},

		{name: "asset out of nothing", build: withOutput(tx.Output{Script: p2pkh(keyB), Attachment: fooTransfer(5)}),
			want: chain.ErrAssetRule, is: asset.ErrAssetAmount},
		{name: "DID registration", build: register("bob"), fee: 10_000},
		{name: "DID registration of a taken symbol", build: register("alice"), want: chain.ErrDIDRule, is: did.ErrSymbolExists},
		{name: "locked asset released after its lock", height: 70_000, build: locked(100), fee: 10_000},
		{name: "locked asset released early", build: locked(150), want: chain.ErrAttenuation, is: asset.ErrModel},

		{name: "input above the money supply", build: simple(func(f *fixture, x *tx.Tx) {
			u := f.view[x.Inputs[0].PreviousOutput]
			u.Output.Value = mvs.MaxMoney + 1
			f.view[x.Inputs[0].PreviousOutput] = u
		}), want: chain.ErrInputValue},
		{name: "coinbase output mature", build: coinbaseInput(5), fee: 10_000},
		{name: "coinbase output immature", build: coinbaseInput(4), want: chain.ErrImmature},
		{name: "signed by another key", build: func(t *testing.T, f *fixture) *tx.Tx {
			x, op := f.simple()
			f.keys[op] = keyB
			return f.sign(t, x)
		}, want: chain.ErrScript},
		{name: "inputs above the money supply", build: func(t *testing.T, f *fixture) *tx.Tx {
			a, b := f.fund(keyA, mvs.MaxMoney, 100), f.fund(keyA, 1, 100)
			return f.sign(t, spend([]tx.OutPoint{a, b}, payTo(keyB, coin)))
		}, want: chain.ErrInputsOverflow},
		{name: "spends more than it has", build: simple(func(f *fixture, x *tx.Tx) { x.Outputs[0].Value = coin + 1 }),
			want: chain.ErrSpendsMore},
		{name: "fee a satoshi short", build: simple(func(f *fixture, x *tx.Tx) { x.Outputs[0].Value++ }), want: chain.ErrFeeTooLow},
		{name: "coinstake with a fee", build: coinstake(1), want: chain.ErrCoinstakeFee},
	}
	// Every transaction code has a case.
	covered := map[chain.ErrorCode]bool{}
	for _, c := range cases {
		covered[c.want] = true
	}
	for code := chain.ErrCoinbaseTx; code <= chain.ErrCoinstakeFee; code++ {
		if !covered[code] {
			t.Errorf("no case refused with %v", code)
		}
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := c.height
			if h == 0 {
				h = 200
			}
			f := newFixture(h)
			if c.testnet {
				f.p.Name, f.p.TestnetRules, f.p.PubKeyHashAddrID = "testnet", true, mvs.TestNet().PubKeyHashAddrID
			}
			x := c.build(t, f)
			fee, err := chain.CheckTx(x, f.ctx(), f.view, f.regs())
			if testing.Verbose() && err != nil {
				t.Log(err)
			}
			checkTxCode(t, err, c.want)
			if c.is != nil && !errors.Is(err, c.is) {
				t.Fatalf("%v does not match %v", err, c.is)
			}
			if err == nil && fee != c.fee {
				t.Fatalf("fee %d, want %d", fee, c.fee)
			}
			// Deferring the scripts changes nothing but the script rule.
			dfee, spent, derr := chain.CheckTxDeferScripts(x, f.ctx(), f.view, f.regs())
			if c.want == chain.ErrScript {
				checkTxCode(t, derr, 0)
				checkTxCode(t, chain.VerifyScripts(t.Context(), h, []chain.Spent{spent}, chain.ScriptOptions{}), chain.ErrScript)
				return
			}
			checkTxCode(t, derr, c.want)
			if derr == nil && (dfee != fee || len(spent.Prev) != len(x.Inputs)) {
				t.Fatalf("deferred: fee %d, %d spent", dfee, len(spent.Prev))
			}
		})
	}
}

func fooTransfer(q uint64) tx.Attachment {
	return tx.Attachment{Version: 1, Type: tx.TypeAsset, Payload: &tx.AssetTransfer{Symbol: "FOO", Quantity: q}}
}

// TestCheckTxFailures: a store, context or registry fault is an error, never a refusal, so a
// block is not marked invalid for it.
func TestCheckTxFailures(t *testing.T) {
	f := newFixture(200)
	x, _ := f.simple()
	f.sign(t, x)
	bc := f.ctx()
	for _, c := range []struct {
		name string
		run  func() error
		is   error
	}{
		{"view fails", func() error { _, err := chain.CheckTx(x, bc, failingView{}, f.regs()); return err }, errDisk},
		{"no params", func() error {
			b := bc
			b.Params = nil
			_, err := chain.CheckTx(x, b, f.view, f.regs())
			return err
		}, chain.ErrTxContext},
		{"no DID registry", func() error {
			_, err := chain.CheckTx(x, bc, f.view, chain.Registries{Assets: f.assets})
			return err
		}, chain.ErrTxContext},
		{"no header for a time lock", func() error {
			y, _ := f.simple()
			y.Inputs[0].Sequence = script.SequenceLockTimeTypeFlag | 1
			f.sign(t, y)
			b := bc
			b.Branch = txBranch{tip: 100} // the spent output is at 150
			_, err := chain.CheckTx(y, b, f.view, f.regs())
			return err
		}, chain.ErrNoAncestor},
		{"Spent without its outputs", func() error {
			return chain.VerifyScripts(t.Context(), 200, []chain.Spent{{Tx: x}}, chain.ScriptOptions{})
		}, chain.ErrTxContext},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.run()
			var re *chain.RuleError
			if err == nil || errors.As(err, &re) || !errors.Is(err, c.is) {
				t.Fatalf("got %v, want a non-refusal matching %v", err, c.is)
			}
		})
	}
	if _, err := chain.CheckTx(x, bc, failingView{}, f.regs()); !errors.Is(err, chain.ErrLookup) {
		t.Fatalf("view failure %v does not match ErrLookup", err)
	}
}

// TestCheckTxSameBlockTimeLock: a time lock on an output of the same block is refused, as the
// node finds no header at that height on its main chain; a height lock of 1 block is too.
func TestCheckTxSameBlockTimeLock(t *testing.T) {
	for _, seq := range []uint32{script.SequenceLockTimeTypeFlag, 1} {
		f := newFixture(200)
		op := f.fund(keyA, coin, 200)
		x := f.sign(t, spend([]tx.OutPoint{op}, payTo(keyB, coin-f.p.MinTxFee)))
		x.Inputs[0].Sequence = seq
		f.sign(t, x)
		_, err := chain.CheckTx(x, f.ctx(), f.view, f.regs())
		checkTxCode(t, err, chain.ErrSequenceLocked)
	}
}

func ExampleCheckTx() {
	p := mvs.MainNet()
	k, _ := btcec.PrivKeyFromBytes([]byte{31: 1})
	pay := script.PayToPubKeyHash(mvs.Hash160(k.PubKey().SerializeCompressed()))
	prev := tx.OutPoint{Hash: mvs.Hash{1}, Index: 0}
	view := utxoMap{prev: {Output: tx.Output{Value: mvs.SatoshiPerETP, Script: pay, Attachment: tx.Attachment{Version: 1}}, Height: 2_000_000}}

	t := &tx.Tx{Version: tx.VersionNova,
		Inputs:  []tx.Input{{PreviousOutput: prev, Sequence: script.SequenceFinal}},
		Outputs: []tx.Output{{Value: mvs.SatoshiPerETP - 20_000, Script: pay, Attachment: tx.Attachment{Version: 1}}}}
	_ = t.SignInput(0, pay, k, tx.SignOptions{})

	bc := chain.BlockContext{Params: p, Height: 2_000_100, MedianTimePast: 1_570_000_000}
	reg := chain.Registries{Assets: &asset.MemRegistry{}, DIDs: did.NewMemory()}
	fee, err := chain.CheckTx(t, bc, view, reg)
	fmt.Println(fee, err)

	t.Outputs[0].Value = mvs.SatoshiPerETP // no fee left
	_ = t.SignInput(0, pay, k, tx.SignOptions{})
	_, err = chain.CheckTx(t, bc, view, reg)
	fmt.Println(errors.Is(err, chain.ErrFeeTooLow))
	// Output:
	// 0.0002 <nil>
	// true
}

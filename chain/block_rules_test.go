package chain

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"testing"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// mapView is a UTXOView held in a map.
type mapView map[tx.OutPoint]UTXO

func (m mapView) UTXO(op tx.OutPoint) (UTXO, bool, error) {
	u, ok := m[op]
	return u, ok, nil
}

// stakeMap is a StakeIndex held in a map.
type stakeMap map[mvs.Address][]UTXO

func (m stakeMap) StakeLocks(a mvs.Address) ([]UTXO, error) { return m[a], nil }

// miningMap is a MiningRegistry held in maps.
type miningMap struct {
	heights map[string]uint32
	params  map[string]string
}

func (m miningMap) AssetHeight(s string) (uint32, bool, error) {
	h, ok := m.heights[s]
	return h, ok, nil
}

func (m miningMap) MiningParam(s string) (string, bool, error) {
	p, ok := m.params[s]
	return p, ok, nil
}

var errDisk = errors.New("disk on fire")

type failingView struct{}

func (failingView) UTXO(tx.OutPoint) (UTXO, bool, error) { return UTXO{}, false, errDisk }

// blockParams are RegTest's with the PoS fork at 30, so one test chain has pre-PoS deposits
// and PoS blocks.
func blockParams() *mvs.Params {
	p := mvs.RegTest()
	p.PoSHeight = 30
	return p
}

// fixture is what the block tests share: a staker's key and address, and a view and stake
// index under which its PoS block at posHeight is valid.
type fixture struct {
	p      *mvs.Params
	pub    []byte
	hash   [20]byte
	addr   mvs.Address
	stake  tx.OutPoint
	view   mapView
	stakes stakeMap
	mining miningMap
}

const (
	posHeight = 30000
	powHeight = 20 // below blockParams' PoS fork
)

func newFixture(t testing.TB) *fixture {
	t.Helper()
	p := blockParams()
	priv, _ := btcec.PrivKeyFromBytes([]byte("chain block rules test key 32 by"))
	f := &fixture{p: p, pub: priv.PubKey().SerializeCompressed()}
	f.hash = mvs.Hash160(f.pub)
	f.addr = mvs.NewPubKeyHashAddress(f.hash, p)
	f.stake = tx.OutPoint{Hash: mvs.Hash{0x5a}, Index: 1}
	f.view = mapView{f.stake: {Output: etp(1024*mvs.SatoshiPerETP, script.PayToPubKeyHash(f.hash)), Height: posHeight - 1000}}
	f.stakes = stakeMap{f.addr: {{Output: etp(MinStakeValue, script.SequenceLock(f.hash, 30000)), Height: posHeight - 200}}}
	f.mining = miningMap{heights: map[string]uint32{"MST.GOLD": 100}, params: map[string]string{"MST.GOLD": "initial:500,interval:1000,base:0.95"}}
	return f
}

func etp(v mvs.Amount, s []byte) tx.Output {
	return tx.Output{Value: v, Script: s, Attachment: tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeETP}}
}

func coinbaseTx(height uint32, outs ...tx.Output) tx.Tx {
	n := script.NumBytes(int64(height))
	return tx.Tx{Version: 1, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Index: 0xffffffff},
		Script: append([]byte{byte(len(n))}, n...)}}, Outputs: outs}
}

func (f *fixture) coinstake(value mvs.Amount) tx.Tx {
	sig := make([]byte, 71)
	sig[0] = 0x30
	in := script.NewBuilder().AddData(sig).AddData(f.pub)
	s, _ := in.Script()
	return tx.Tx{Version: 2, Inputs: []tx.Input{{PreviousOutput: f.stake, Script: s, Sequence: 0xffffffff}},
		Outputs: []tx.Output{{Attachment: tx.Attachment{Type: tx.TypeCoinstakeNull}}, etp(value, script.PayToPubKeyHash(f.hash))}}
}

// spend is an ordinary transaction with the given outputs.
func spend(seed byte, outs ...tx.Output) tx.Tx {
	return tx.Tx{Version: 4, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Hash: mvs.Hash{seed}}, Sequence: 0xffffffff}}, Outputs: outs}
}

// powBlock is a valid PoW block at powHeight paying exactly the subsidy plus fees.
func (f *fixture) powBlock(fees mvs.Amount, txs ...tx.Tx) *block.Block {
	cb := coinbaseTx(powHeight, etp(block.Subsidy(powHeight, block.VersionPoW, f.p)+fees, script.PayToPubKeyHash(f.hash)))
	return &block.Block{Header: block.Header{Version: block.VersionPoW, Height: powHeight, Bits: block.DifficultyFromUint64(1)},
		Transactions: append([]tx.Tx{cb}, txs...)}
}

// posBlock is a valid PoS block at posHeight.
func (f *fixture) posBlock(txs ...tx.Tx) *block.Block {
	cb := coinbaseTx(posHeight, etp(block.Subsidy(posHeight, block.VersionPoS, f.p), script.PayToPubKeyHash(f.hash)))
	return &block.Block{Header: block.Header{Version: block.VersionPoS, Height: posHeight, Bits: block.DifficultyFromUint64(1)},
		Transactions: append([]tx.Tx{cb, f.coinstake(1024 * mvs.SatoshiPerETP)}, txs...)}
}

// laterPoS is a branch whose block PoSHeight+1 is PoS, so blocks above it are not the first.
func laterPoS(p *mvs.Params) HeaderChain {
	b := make(branch, posHeight)
	for i := range b {
		b[i] = &block.Header{Version: block.VersionPoW, Height: uint32(i)}
	}
	b[p.PoSHeight+1].Version = block.VersionPoS
	return b
}

func deposit(h [20]byte, lock uint32, v mvs.Amount) tx.Output {
	return etp(v, script.LockHeightDeposit(h, lock))
}

func assetOut(p tx.Payload, typ tx.AttachmentType) tx.Output {
	return tx.Output{Script: script.PayToPubKeyHash([20]byte{1}), Attachment: tx.Attachment{Version: 1, Type: typ, Payload: p}}
}

func mstReward(f *fixture, symbol string, q uint64) tx.Output {
	o := assetOut(&tx.AssetTransfer{Symbol: symbol, Quantity: q}, tx.TypeAsset)
	o.Script = script.PayToPubKeyHash(f.hash)
	return o
}

func posGenesisTx(p *mvs.Params) tx.Tx {
	a, _ := mvs.DecodeAddress(p.FoundationAddress, p)
	pay := script.PayToAddress(a)
	t := tx.Tx{Version: 0, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Index: 0xffffffff}, Script: []byte("MVS start POS at 2019-08-14 10:00:00")}},
		Outputs: []tx.Output{{Value: 0x1076F8E * mvs.SatoshiPerETP, Script: pay, Attachment: tx.Attachment{Type: tx.TypeETP}}}}
	for i := 1; i <= 23; i++ {
		t.Outputs = append(t.Outputs, tx.Output{Script: pay, Attachment: tx.Attachment{Version: 1, Type: tx.TypeAssetCert,
			Payload: &tx.AssetCert{Symbol: fmt.Sprintf("MVS.WITNESS.%d", i), Address: p.FoundationAddress, CertType: tx.CertWitness, Status: tx.CertStatusAutoIssue}}})
	}
	return t
}

// TestCheckBlockContextRules: a block valid in its context passes, and one valid but for one
// rule is refused with that rule's code.
func TestCheckBlockContextRules(t *testing.T) {
	f := newFixture(t)
	p := f.p
	other := [20]byte{0xee}
	// A deposit of 100 ETP for 10 blocks (rate 0.0009589) earns 9,589,000 satoshi; for 20
	// blocks the doubles give 66,666,599, not 66,666,600.
	dep := deposit(f.hash, 10, 100*mvs.SatoshiPerETP)
	reward := coinbaseTx(powHeight, deposit(f.hash, 10, 9_589_000))
	dep20 := deposit(f.hash, 20, 100*mvs.SatoshiPerETP)
	reward20 := coinbaseTx(powHeight, deposit(f.hash, 20, 66_666_599))
	issue := func(sym string) tx.Output {
		return assetOut(&tx.AssetDetail{Symbol: sym, MaximumSupply: 10}, tx.TypeAsset)
	}
	cert := func(sym string, typ uint32) tx.Output {
		return assetOut(&tx.AssetCert{Symbol: sym, CertType: typ, Status: tx.CertStatusIssue}, tx.TypeAssetCert)
	}
	mit := func(sym string) tx.Output {
		return assetOut(&tx.MIT{Status: tx.MITStatusRegister, Symbol: sym}, tx.TypeMIT)
	}
	didOut := func(sym, addr string) tx.Output {
		return assetOut(&tx.DID{Status: tx.DIDStatusRegister, Symbol: sym, Address: addr}, tx.TypeDID)
	}

	type tc struct {
		name   string
		blk    func() *block.Block
		fees   mvs.Amount
		edit   func(bc *BlockContext, lk *BlockLookups, v mapView)
		want   ErrorCode // 0: valid
		wantIs error     // a non-rule error
	}
	cases := []tc{
		{name: "valid PoW", blk: func() *block.Block { return f.powBlock(0) }},
		{name: "valid PoW with fees", fees: 12345, blk: func() *block.Block { return f.powBlock(12345, spend(1, etp(1, script.PayToPubKeyHash(other)))) }},
		{name: "coinbase one satoshi over", fees: 12344, blk: func() *block.Block { return f.powBlock(12345) }, want: ErrCoinbaseTooLarge},
		{name: "coinbase second output's value counts", blk: func() *block.Block {
			b := f.powBlock(0)
			o := mstReward(f, "MST.GOLD", 1)
			o.Value = 1
			b.Transactions[0].Outputs = append(b.Transactions[0].Outputs, o)
			return b
		}, want: ErrCoinbaseTooLarge},
		{name: "height differs from the context", blk: func() *block.Block { return f.powBlock(0) },
			edit: func(bc *BlockContext, _ *BlockLookups, _ mapView) { bc.Height++ }, want: ErrHeightMismatch},

		// MST mining reward: issued at 100, interval 1000, base 0.95.
		{name: "MST reward at most the certificate's", blk: func() *block.Block {
			b := f.posBlock()
			b.Transactions[0].Outputs = append(b.Transactions[0].Outputs, mstReward(f, "MST.GOLD", MSTSubsidy("initial:500,interval:1000,base:0.95", 100, posHeight)))
			return b
		}},
		{name: "MST reward one over", blk: func() *block.Block {
			b := f.posBlock()
			b.Transactions[0].Outputs = append(b.Transactions[0].Outputs, mstReward(f, "MST.GOLD", MSTSubsidy("initial:500,interval:1000,base:0.95", 100, posHeight)+1))
			return b
		}, want: ErrMSTRewardTooLarge},
		{name: "MST never issued", blk: func() *block.Block {
			b := f.posBlock()
			b.Transactions[0].Outputs = append(b.Transactions[0].Outputs, mstReward(f, "MST.LEAD", 1))
			return b
		}, want: ErrMSTRewardInvalid},
		{name: "MST without a mining certificate", blk: func() *block.Block {
			b := f.posBlock()
			b.Transactions[0].Outputs = append(b.Transactions[0].Outputs, mstReward(f, "MST.GOLD", 1))
			return b
		}, edit: func(_ *BlockContext, lk *BlockLookups, _ mapView) {
			lk.Mining = miningMap{heights: map[string]uint32{"MST.GOLD": 100}}
		}, want: ErrMSTRewardInvalid},
		{name: "MST reward without a MiningRegistry", blk: func() *block.Block {
			b := f.posBlock()
			b.Transactions[0].Outputs = append(b.Transactions[0].Outputs, mstReward(f, "MST.GOLD", 1))
			return b
		}, edit: func(_ *BlockContext, lk *BlockLookups, _ mapView) { lk.Mining = nil }, wantIs: ErrNoLookup},

		// Deposit interest, pre-PoS.
		{name: "deposit matched", blk: func() *block.Block { return f.powBlock(0, reward, spend(1, dep)) }},
		{name: "two deposits matched in order", blk: func() *block.Block { return f.powBlock(0, reward, reward20, spend(1, dep, dep20)) }},
		{name: "deposits matched out of order", blk: func() *block.Block { return f.powBlock(0, reward20, reward, spend(1, dep, dep20)) }, want: ErrCoinageReward},
		{name: "interest one satoshi high", blk: func() *block.Block {
			return f.powBlock(0, coinbaseTx(powHeight, deposit(f.hash, 20, 66_666_600)), spend(1, dep20))
		}, want: ErrCoinageReward},
		{name: "interest to another address", blk: func() *block.Block {
			return f.powBlock(0, coinbaseTx(powHeight, deposit(other, 10, 9_589_000)), spend(1, dep))
		}, want: ErrCoinageReward},
		{name: "interest under another lock height", blk: func() *block.Block {
			return f.powBlock(0, coinbaseTx(powHeight, deposit(f.hash, 20, 9_589_000)), spend(1, dep))
		}, want: ErrCoinageReward},
		{name: "interest as plain P2PKH", blk: func() *block.Block {
			return f.powBlock(0, coinbaseTx(powHeight, etp(9_589_000, script.PayToPubKeyHash(f.hash))), spend(1, dep))
		}, want: ErrCoinageReward},
		{name: "deposit without interest coinbase", blk: func() *block.Block { return f.powBlock(0, spend(1, dep)) }, want: ErrCoinageReward},
		{name: "deposit, no transaction to match", blk: func() *block.Block { return f.powBlock(0, spend(1, dep, dep20)) }, want: ErrCoinageReward},
		// The node's quirk, followed: an interest coinbase with no deposit, paying anything, passes.
		{name: "interest coinbase without deposit (valid, as in the node)", blk: func() *block.Block { return f.powBlock(0, reward) }},
		{name: "PoS: extra coinbase after the coinstake (valid, as in the node)", blk: func() *block.Block {
			return f.posBlock(coinbaseTx(posHeight, etp(mvs.MaxMoney, script.PayToPubKeyHash(f.hash))))
		}, edit: func(bc *BlockContext, _ *BlockLookups, _ mapView) { bc.Branch = laterPoS(p) }},

		// PoS.
		{name: "valid PoS", blk: func() *block.Block { return f.posBlock() }},
		{name: "PoS: tx[1] not a coinstake", blk: func() *block.Block {
			b := f.posBlock()
			b.Transactions[1] = spend(2, etp(1, script.PayToPubKeyHash(other)))
			return b
		}, want: ErrCoinstakeMissing},
		{name: "PoS: no capability lock", blk: func() *block.Block { return f.posBlock() },
			edit: func(_ *BlockContext, lk *BlockLookups, _ mapView) { lk.Stakes = stakeMap{} }, want: ErrStakeCapability},
		{name: "PoS: capability lock 23,999 blocks", blk: func() *block.Block { return f.posBlock() },
			edit: func(_ *BlockContext, lk *BlockLookups, _ mapView) {
				lk.Stakes = stakeMap{f.addr: {{Output: etp(MinStakeValue, script.SequenceLock(f.hash, 23999)), Height: posHeight - 200}}}
			}, want: ErrStakeCapability},
		{name: "PoS: capability lock 24,000 blocks", blk: func() *block.Block { return f.posBlock() },
			edit: func(_ *BlockContext, lk *BlockLookups, _ mapView) {
				lk.Stakes = stakeMap{f.addr: {{Output: etp(MinStakeValue, script.SequenceLock(f.hash, 24000)), Height: posHeight - 200}}}
			}},
		{name: "PoS: capability lock of 999.99999999 ETP", blk: func() *block.Block { return f.posBlock() },
			edit: func(_ *BlockContext, lk *BlockLookups, _ mapView) {
				lk.Stakes = stakeMap{f.addr: {{Output: etp(MinStakeValue-1, script.SequenceLock(f.hash, 30000)), Height: posHeight - 200}}}
			}, want: ErrStakeCapability},
		{name: "PoS: capability lock 22 blocks old (testnet rules: 23)", blk: func() *block.Block { return f.posBlock() },
			edit: func(_ *BlockContext, lk *BlockLookups, _ mapView) {
				lk.Stakes = stakeMap{f.addr: {{Output: etp(MinStakeValue, script.SequenceLock(f.hash, 30000)), Height: posHeight - 1 - 22}}}
			}, want: ErrStakeCapability},
		{name: "PoS: capability lock 23 blocks old", blk: func() *block.Block { return f.posBlock() },
			edit: func(_ *BlockContext, lk *BlockLookups, _ mapView) {
				lk.Stakes = stakeMap{f.addr: {{Output: etp(MinStakeValue, script.SequenceLock(f.hash, 30000)), Height: posHeight - 1 - 23}}}
			}},
		{name: "PoS: capability lock with 1000 blocks left", blk: func() *block.Block { return f.posBlock() },
			edit: func(_ *BlockContext, lk *BlockLookups, _ mapView) {
				// ends at posHeight-1 + 1000: lock height + 24000 − 1000 = best, not above it
				lk.Stakes = stakeMap{f.addr: {{Output: etp(MinStakeValue, script.SequenceLock(f.hash, 24000)), Height: posHeight - 1 - 23000}}}
			}, want: ErrStakeCapability},
		{name: "PoS: capability lock with 1001 blocks left", blk: func() *block.Block { return f.posBlock() },
			edit: func(_ *BlockContext, lk *BlockLookups, _ mapView) {
				lk.Stakes = stakeMap{f.addr: {{Output: etp(MinStakeValue, script.SequenceLock(f.hash, 24000)), Height: posHeight - 23000}}}
			}},
		{name: "PoS: capability lock by time", blk: func() *block.Block { return f.posBlock() },
			edit: func(_ *BlockContext, lk *BlockLookups, _ mapView) {
				lk.Stakes = stakeMap{f.addr: {{Output: etp(MinStakeValue, script.SequenceLock(f.hash, 1<<22|30000)), Height: posHeight - 200}}}
			}, want: ErrStakeCapability},
		{name: "PoS: capability lock of another address", blk: func() *block.Block { return f.posBlock() },
			edit: func(_ *BlockContext, lk *BlockLookups, _ mapView) {
				lk.Stakes = stakeMap{f.addr: {{Output: etp(MinStakeValue, script.SequenceLock(other, 30000)), Height: posHeight - 200}}}
			}, want: ErrStakeCapability},
		{name: "PoS: no StakeIndex", blk: func() *block.Block { return f.posBlock() },
			edit: func(_ *BlockContext, lk *BlockLookups, _ mapView) { lk.Stakes = nil }, wantIs: ErrNoLookup},
		{name: "PoS: stake not in view", blk: func() *block.Block { return f.posBlock() },
			edit: func(_ *BlockContext, _ *BlockLookups, v mapView) { delete(v, f.stake) }, want: ErrStakeNotFound},
		{name: "PoS: stake below 1000 ETP", blk: func() *block.Block {
			b := f.posBlock()
			b.Transactions[1] = f.coinstake(MinStakeValue - 1)
			return b
		}, edit: func(_ *BlockContext, _ *BlockLookups, v mapView) {
			u := v[f.stake]
			u.Output.Value = MinStakeValue - 1
			v[f.stake] = u
		}, want: ErrStakeValue},
		{name: "PoS: stake 249 blocks old at bits 1", blk: func() *block.Block { return f.posBlock() },
			edit: func(_ *BlockContext, _ *BlockLookups, v mapView) {
				u := v[f.stake]
				u.Height = posHeight - 249
				v[f.stake] = u
			}, want: ErrStakeImmature},
		{name: "PoS: stake 250 blocks old at bits 1", blk: func() *block.Block { return f.posBlock() },
			edit: func(_ *BlockContext, _ *BlockLookups, v mapView) {
				u := v[f.stake]
				u.Height = posHeight - 250
				v[f.stake] = u
			}},
		{name: "PoS: stake under a deposit lock", blk: func() *block.Block { return f.posBlock() },
			edit: func(_ *BlockContext, _ *BlockLookups, v mapView) {
				u := v[f.stake]
				u.Output.Script = script.LockHeightDeposit(f.hash, 1001)
				v[f.stake] = u
			}, want: ErrStakeLocked},
		{name: "PoS: stake's deposit lock over", blk: func() *block.Block { return f.posBlock() },
			edit: func(_ *BlockContext, _ *BlockLookups, v mapView) {
				u := v[f.stake]
				u.Output.Script = script.LockHeightDeposit(f.hash, 1000)
				v[f.stake] = u
			}},
		{name: "PoS: stake under a time-based sequence lock", blk: func() *block.Block { return f.posBlock() },
			edit: func(_ *BlockContext, _ *BlockLookups, v mapView) {
				u := v[f.stake]
				u.Output.Script = script.SequenceLock(f.hash, 1<<22|1)
				v[f.stake] = u
			}, want: ErrStakeLocked},
		{name: "PoS: immature coinbase stake", blk: func() *block.Block { return f.posBlock() },
			edit: func(bc *BlockContext, _ *BlockLookups, v mapView) {
				bc.Params.CoinbaseMaturity = 1001
				u := v[f.stake]
				u.Coinbase = true
				v[f.stake] = u
			}, want: ErrStakeLocked},
		{name: "PoS: kernel above the target", blk: func() *block.Block {
			b := f.posBlock()
			b.Header.Bits, _ = block.DifficultyFromBig(new(big.Int).Lsh(big.NewInt(1), 255))
			return b
		}, want: ErrStakeKernel},
		{name: "PoS: coinstake pays a satoshi less", blk: func() *block.Block {
			b := f.posBlock()
			b.Transactions[1] = f.coinstake(1024*mvs.SatoshiPerETP - 1)
			return b
		}, want: ErrCoinstakeFee},
		{name: "PoS: coinstake pays a satoshi more", blk: func() *block.Block {
			b := f.posBlock()
			b.Transactions[1] = f.coinstake(1024*mvs.SatoshiPerETP + 1)
			return b
		}, want: ErrCoinstakeFee},

		// The first PoS block.
		{name: "first PoS block with the genesis transaction", blk: func() *block.Block { return f.posBlock(posGenesisTx(p)) }},
		{name: "first PoS block, genesis paying a satoshi more", blk: func() *block.Block {
			g := posGenesisTx(p)
			g.Outputs[0].Value++
			return f.posBlock(g)
		}, want: ErrPoSGenesis},
		{name: "first PoS block, a certificate not primary", blk: func() *block.Block {
			g := posGenesisTx(p)
			g.Outputs[5].Attachment.Payload.(*tx.AssetCert).Symbol = "MVS.WITNESS.24"
			return f.posBlock(g)
		}, want: ErrPoSGenesis},
		{name: "first PoS block, a plain coinbase at index 2", blk: func() *block.Block {
			return f.posBlock(coinbaseTx(posHeight, etp(1, script.PayToPubKeyHash(f.hash))))
		}, want: ErrPoSGenesis},

		// Registrations within the block.
		{name: "distinct registrations", blk: func() *block.Block {
			return f.powBlock(0, spend(1, issue("A"), cert("A", tx.CertIssue), mit("M"), didOut("alice", "addr1")),
				spend(2, issue("B"), cert("A", tx.CertDomain), mit("N"), didOut("bob", "addr2")))
		}},
		{name: "asset issued twice", blk: func() *block.Block { return f.powBlock(0, spend(1, issue("A")), spend(2, issue("A"))) }, want: ErrDuplicateAsset},
		{name: "asset issued twice in one transaction", blk: func() *block.Block { return f.powBlock(0, spend(1, issue("A"), issue("A"))) }, want: ErrDuplicateAsset},
		{name: "certificate twice", blk: func() *block.Block {
			return f.powBlock(0, spend(1, cert("A", tx.CertIssue)), spend(2, cert("A", tx.CertIssue)))
		}, want: ErrDuplicateCert},
		{name: "MIT twice", blk: func() *block.Block { return f.powBlock(0, spend(1, mit("M")), spend(2, mit("M"))) }, want: ErrDuplicateMIT},
		{name: "DID symbol twice", blk: func() *block.Block {
			return f.powBlock(0, spend(1, didOut("alice", "addr1")), spend(2, didOut("alice", "addr2")))
		}, want: ErrDuplicateDID},
		{name: "DID address twice", blk: func() *block.Block {
			return f.powBlock(0, spend(1, didOut("alice", "addr1")), spend(2, didOut("bob", "addr1")))
		}, want: ErrDuplicateDIDAddress},
		{name: "first duplicate by output order", blk: func() *block.Block {
			return f.powBlock(0, spend(1, mit("M"), didOut("alice", "addr1")), spend(2, didOut("alice", "addr2"), mit("M")))
		}, want: ErrDuplicateDID},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			blk := c.blk()
			bc := BlockContext{Params: blockParams(), Height: blk.Header.Height}
			lk := BlockLookups{Stakes: f.stakes, Mining: f.mining}
			v := f.view
			if c.edit != nil {
				c.edit(&bc, &lk, v)
			}
			err := CheckBlockContext(blk, bc, v, c.fees, lk)
			if c.wantIs != nil {
				var re *RuleError
				if !errors.Is(err, c.wantIs) || errors.As(err, &re) {
					t.Fatalf("got %v, want %v", err, c.wantIs)
				}
				return
			}
			checkCode(t, err, c.want)
		})
	}
}

// TestCheckBlockContextStoreFault: a view that fails to read gives its error, not a rule.
func TestCheckBlockContextStoreFault(t *testing.T) {
	f := newFixture(t)
	blk := f.posBlock()
	err := CheckBlockContext(blk, BlockContext{Params: f.p, Height: posHeight}, failingView{}, 0, BlockLookups{Stakes: f.stakes})
	var re *RuleError
	if !errors.Is(err, errDisk) || errors.As(err, &re) {
		t.Fatalf("got %v", err)
	}
	empty := &block.Block{Header: block.Header{Height: 1}}
	if err := CheckBlockContext(empty, BlockContext{Params: f.p, Height: 1}, mapView{}, 0, BlockLookups{}); !errors.Is(err, block.ErrFirstNotCoinbase) {
		t.Fatalf("empty block: %v", err)
	}
}

func TestStakeMaturity(t *testing.T) {
	for _, c := range []struct {
		v    int64 // bits / 1e8
		want uint32
	}{
		{0, 250}, {1, 500}, {2, 667}, {3, 750}, {15, 938}, {59, 983}, {79, 987}, {399, 998}, {1999, 999}, {2000, 1000},
		{1 << 40, 1000},
	} {
		bits, _ := block.DifficultyFromBig(new(big.Int).Mul(big.NewInt(c.v), big.NewInt(100_000_000)))
		if got := StakeMaturity(bits); got != c.want {
			t.Errorf("v=%d: %d, want %d", c.v, got, c.want)
		}
		bits, _ = block.DifficultyFromBig(new(big.Int).Add(bits.Big(), big.NewInt(99_999_999)))
		if got := StakeMaturity(bits); got != c.want {
			t.Errorf("v=%d (+99,999,999): %d, want %d", c.v, got, c.want)
		}
	}
	var top block.Difficulty
	for i := range top {
		top[i] = 0xff
	}
	if got := StakeMaturity(top); got != 1000 {
		t.Errorf("2^256-1: %d", got)
	}
}

// TestCoinageReward: the node's double arithmetic (values from C with glibc), not exact
// rationals: 100 ETP for 20 blocks (rate 0.00666666) earns 66,666,599.
func TestCoinageReward(t *testing.T) {
	p := mvs.MainNet()
	for _, c := range []struct {
		lock  int64
		value mvs.Amount
		want  mvs.Amount
	}{
		{25200, 10_000_000_000, 9_589_000},
		{25200, 123_456_789, 118_382},
		{25200, 99_999_999_999, 95_889_999},
		{108000, 10_000_000_000, 66_666_599},
		{108000, 314_159_265_358, 2_094_393_007},
		{331200, 123_456_789, 3_950_617},
		{655200, 314_159_265_358, 25_132_741_228},
		{1314000, 2_100_000_000_000_000, 420_000_000_000_000},
		{1314000, 99_999_999_999, 19_999_999_999},
		{1314000, 1, 0},
		{25201, 10_000_000_000, 0},
		{-25200, 10_000_000_000, 0},
	} {
		if got := CoinageReward(c.lock, c.value, p); got != c.want {
			t.Errorf("%d blocks, %d: %d, want %d", c.lock, c.value, got, c.want)
		}
	}
}

// TestMSTSubsidy: values from C with glibc (round(initial × pow(base, rate))).
func TestMSTSubsidy(t *testing.T) {
	for _, c := range []struct {
		param          string
		issued, height uint32
		want           uint64
	}{
		{"initial:500,interval:1000,base:0.95", 100, 5100, 387},
		{"initial:500,interval:1000,base:0.95", 100, 5000, 407},
		{"initial:2000000000,interval:7,base:0.5", 1, 1000, 0},
		{"initial:1234567,interval:10,base:1.08", 10, 1000, 2514585792},
		{"initial:3,interval:1,base:0.5", 10, 11, 2},            // 1.5 rounds away from zero
		{"initial:3,,interval:1,base:0.5,base:0.25", 10, 11, 1}, // runs of commas, the last base
		{"initial:500,interval:1000,base:0.95", 0, 5000, 0},     // issued at 0
		{"initial:500,interval:1000,base:0.95", 5000, 5000, 0},  // not before the block
		{"initial:500,interval:1000", 100, 5000, 0},             // not a subsidy parameter
		// Extreme bases pass asset.ValidMiningParam; the node's conversions (GCC, x86-64):
		// ∞ converts to 0, NaN to 2^63, so a NaN base allows any reward after one interval.
		{"initial:1,interval:1,base:1e308", 10, 15, 0},
		{"initial:1,interval:1,base:inf", 10, 15, 0},
		{"initial:1,interval:1,base:nan", 10, 15, 1 << 63},
		{"initial:3,interval:10,base:nan", 10, 15, 3}, // NaN^0 = 1
		{"initial:1,interval:1,base:1e-308", 10, 15, 0},
		{"initial:1,interval:1,base:2", 10, 15, 32},
	} {
		if got := MSTSubsidy(c.param, c.issued, c.height); got != c.want {
			t.Errorf("%q %d..%d: %d, want %d", c.param, c.issued, c.height, got, c.want)
		}
	}
}

func TestPrimaryWitness(t *testing.T) {
	for s, want := range map[string]bool{
		"MVS.WITNESS.1": true, "MVS.WITNESS.23": true, "MVS.WITNESS.01": true, "MVS.WITNESS.1a": true,
		"MVS.WITNESS.0": false, "MVS.WITNESS.24": false, "MVS.WITNESS.": false, "MVS.WITNESS.a1": false,
		"MVS.WITNESS.1.2": false, "MVS.WITNESS.99999999999": false, "MVS.WITNES.1": false,
	} {
		if primaryWitness(s) != want {
			t.Errorf("%q: want %v", s, want)
		}
	}
}

// realBlock decodes one of the mainnet blocks in testdata.
func realBlock(t testing.TB, name string) *block.Block {
	t.Helper()
	var d struct{ Blocks []struct{ Name, Raw string } }
	b, err := os.ReadFile("testdata/block-real-blocks.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	for _, v := range d.Blocks {
		if v.Name == name {
			raw, err := hex.DecodeString(v.Raw)
			if err != nil {
				t.Fatal(err)
			}
			blk, err := block.Decode(raw)
			if err != nil {
				t.Fatal(err)
			}
			if err := blk.CheckSanity(); err != nil {
				t.Fatal(err)
			}
			return blk
		}
	}
	t.Fatalf("no block %q", name)
	return nil
}

// TestRealPoWBlock: mainnet block 2,200,000's coinbase pays exactly its subsidy, so it
// passes with no fees and a satoshi more would not.
func TestRealPoWBlock(t *testing.T) {
	blk := realBlock(t, "pow block 2200000")
	bc := BlockContext{Params: mvs.MainNet(), Height: 2_200_000}
	if err := CheckBlockContext(blk, bc, mapView{}, 0, BlockLookups{}); err != nil {
		t.Fatal(err)
	}
	blk.Transactions[0].Outputs[0].Value++
	checkCode(t, CheckBlockContext(blk, bc, mapView{}, 0, BlockLookups{}), ErrCoinbaseTooLarge)
	checkCode(t, CheckBlockContext(blk, bc, mapView{}, 1, BlockLookups{}), 0)
}

// TestRealPoSBlock: mainnet block 3,588,504 with what the chain would have to hold for it:
// its stake of 1007.68973305 ETP (the coinstake pays it back with fee 0) at least 983
// blocks old (bits 5,945,640,322: v = 59), and a capability lock of its staker. The kernel,
// the subsidy (20,950,119) and the coinstake's shape are the block's own.
func TestRealPoSBlock(t *testing.T) {
	blk, bc, view, lk := realPoS(t)
	if err := CheckBlockContext(blk, bc, view, 0, lk); err != nil {
		t.Fatal(err)
	}
	cs := &blk.Transactions[1]
	stake, out := cs.Inputs[0].PreviousOutput, cs.Outputs[1]
	view[stake] = UTXO{Output: view[stake].Output, Height: 3_588_504 - 982}
	checkCode(t, CheckBlockContext(blk, bc, view, 0, lk), ErrStakeImmature)
	view[stake] = UTXO{Output: etp(out.Value+1, out.Script), Height: 3_000_000}
	checkCode(t, CheckBlockContext(blk, bc, view, 0, lk), ErrCoinstakeFee)
	view[stake] = UTXO{Output: etp(out.Value, out.Script), Height: 3_000_000}
	checkCode(t, CheckBlockContext(blk, bc, view, 0, BlockLookups{Stakes: stakeMap{}}), ErrStakeCapability)
	// Mainnet's first PoS block is known by its height, whatever the branch.
	if !posExistsBefore(3_588_504, bc) || posExistsBefore(bc.Params.PoSGenesisHeight, bc) {
		t.Fatal("pos_exist_before")
	}
}

// realPoS is block 3,588,504 with what the chain would have to hold for it: its stake of
// 1007.68973305 ETP (the coinstake pays it back with fee 0) 983 blocks old, the least its
// bits 5,945,640,322 allow (v = 59), and a capability lock of its staker. The kernel, the
// subsidy (20,950,119) and the coinstake's shape are the block's own.
func realPoS(t testing.TB) (*block.Block, BlockContext, mapView, BlockLookups) {
	blk := realBlock(t, "pos block 3588504")
	p := mvs.MainNet()
	cs := &blk.Transactions[1]
	addr, _ := script.Script(cs.Inputs[0].Script).Address(p)
	if addr.String() != "MQWyTasDiEsAUqHy6fHuvzA2vozcVCVizQ" {
		t.Fatalf("staker %s", addr)
	}
	if m := StakeMaturity(blk.Header.Bits); m != 983 {
		t.Fatalf("maturity %d", m)
	}
	view := mapView{cs.Inputs[0].PreviousOutput: {Output: etp(cs.Outputs[1].Value, script.PayToAddress(addr)), Height: 3_588_504 - 983}}
	stakes := stakeMap{addr: {{Output: etp(MinStakeValue, script.SequenceLock(addr.Hash, 100_000)), Height: 3_500_000}}}
	return blk, BlockContext{Params: p, Height: 3_588_504}, view, BlockLookups{Stakes: stakes}
}

// TestExtraCoinbases: the coinbases the node lets through unmatched are counted for a
// monitor, while CheckBlockContext accepts them as the node does.
func TestExtraCoinbases(t *testing.T) {
	f := newFixture(t)
	p := blockParams()
	reward := coinbaseTx(powHeight, deposit(f.hash, 10, 9_589_000))
	dep := deposit(f.hash, 10, 1e10)
	for _, c := range []struct {
		name string
		blk  *block.Block
		want int
	}{
		{"plain block", f.powBlock(0), 0},
		{"interest matching a deposit", f.powBlock(0, reward, spend(1, dep)), 0},
		{"interest without a deposit", f.powBlock(0, reward), 1},
		{"two without", f.powBlock(0, reward, reward), 2},
	} {
		bc := BlockContext{Params: p, Height: c.blk.Header.Height}
		if got := ExtraCoinbases(c.blk, bc); got != c.want {
			t.Errorf("%s: %d extra, want %d", c.name, got, c.want)
		}
	}
}

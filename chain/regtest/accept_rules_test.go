package regtest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/chain/regtest"
	"github.com/mvsgo/mvs/ethash"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
	"github.com/mvsgo/mvs/wallet"
)

// The acceptance tests of the chain-state issue, end to end through regtest: each block or
// transaction is valid but for one rule, is refused with that rule's code, and leaves the
// tip and the store's digest as they were (btcd's fullblocktests are the model).

// acceptClock is the Net's fixed clock (regtest's clockUnix): blocks are judged against it.
const acceptClock = 1_800_000_000

// etpCoin is a mature ETP coin at addr that is neither a deposit nor locked: plain P2PKH.
func etpCoin(t *testing.T, net *regtest.Net, addr mvs.Address, skip int) wallet.Coin {
	t.Helper()
	for _, c := range net.Coins(addr) {
		if c.Attachment.Type != tx.TypeETP || script.Script(c.Script).Class() != script.PayKeyHash || c.Height+net.Params().CoinbaseMaturity > net.Height() {
			continue
		}
		if skip == 0 {
			return c
		}
		skip--
	}
	t.Fatalf("no plain ETP coin at %s", addr)
	return wallet.Coin{}
}

// spendSigned is a version-1 transaction spending coin (locked by key) to outs, signed by
// key: what the wallet refuses to build, hand made.
func spendSigned(t *testing.T, c tx.PrevOut, key int, net *regtest.Net, edit func(*tx.Tx), outs ...tx.Output) *tx.Tx {
	t.Helper()
	x := &tx.Tx{Version: 1, Inputs: []tx.Input{{PreviousOutput: c.OutPoint, Sequence: 0xffffffff}}, Outputs: outs}
	if edit != nil {
		edit(x)
	}
	if err := x.SignInput(0, c.Script, net.Key(uint32(key)), tx.SignOptions{}); err != nil {
		t.Fatal(err)
	}
	return x
}

func payETP(to mvs.Address, v mvs.Amount) tx.Output {
	return tx.Output{Value: v, Script: script.PayToAddress(to), Attachment: tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeETP}}
}

// twinBlock is the block net would mine next holding txs, mined by a twin Net (same seed,
// same blocks) so that net does not see it, for a test to alter and reseal.
func twinBlock(t *testing.T, net *regtest.Net, opts []regtest.Option, txs ...*tx.Tx) *block.Block {
	t.Helper()
	twin := regtest.New(t, opts...)
	for h := uint32(1); h <= net.Height(); h++ {
		if _, err := twin.Process(net.BlockAt(h)); err != nil {
			t.Fatal(err)
		}
	}
	if twin.Tip().Hash() != net.Tip().Hash() {
		t.Fatal("the twin is not at net's tip")
	}
	blk := twin.Mine(1, txs...)[0]
	// A deep copy: the test alters it.
	cp, err := block.Decode(blk.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return cp
}

// reseal recomputes the merkle root (unless keepRoot) and seals h anew with v.
func reseal(t *testing.T, v *ethash.Verifier, blk *block.Block, keepRoot bool) {
	t.Helper()
	h := &blk.Header
	if !keepRoot {
		h.MerkleRoot = block.MerkleRoot(blk.TxHashes())
	}
	res, err := v.Search(context.Background(), uint64(h.Height), h.SealHash(), h.Bits.Big(), 0, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	h.Nonce, h.MixHash = res.Nonce, res.Mix
}

// TestAcceptEveryRuleRefused is the negative table: each row builds a block or a
// transaction valid but for one rule and submits it through the regtest chain. The
// refusal must be a *chain.RuleError with that rule's code, and the tip and the digest of
// the whole store must be what they were.
func TestAcceptEveryRuleRefused(t *testing.T) {
	// A coinbase maturity of 3 makes the immature-coinbase row reachable; the wallet
	// builders honour it for every other row.
	opts := []regtest.Option{regtest.WithParams(func(p *mvs.Params) { p.CoinbaseMaturity = 3 })}
	net := regtest.New(t, opts...)
	p := net.Params()
	const etp = mvs.SatoshiPerETP
	a0, a1, a2, a3 := net.Address(0), net.Address(1), net.Address(2), net.Address(3)
	net.Mine(60)
	only := func(addr mvs.Address) *wallet.Builder {
		b := net.Builder()
		b.Coins = net.Coins(addr)
		return b
	}
	// Paid from m/0's coins only (net.Fund may pick the payee's own coins, largest first).
	fund := func(to mvs.Address, v mvs.Amount) {
		net.Mine(1, net.Build(only(a0).Send(wallet.Payment{To: to, Amount: v})))
	}
	fund(a1, 30*etp)
	fund(a2, 30*etp)
	fund(a3, 2*etp)
	net.Mine(1, net.Build(only(a1).RegisterDID(a1, "d1")))
	net.Mine(1, net.Build(only(a2).RegisterDID(a2, "d2")))
	// A DID registration leaves its input's value on the DID output: fund again.
	fund(a1, 30*etp)
	fund(a2, 30*etp)
	net.Mine(1, net.Build(only(a1).IssueAsset(a1, wallet.AssetIssue{Symbol: "ONE.COIN", MaximumSupply: 1000,
		IssuerDID: "d1", DomainCert: true})))
	net.Mine(1, net.Build(only(a0).Deposit(a3, etp, p.DepositLockHeights[0])))
	net.Mine(3) // every coin so far mature

	// ref is net without the refused blocks: the same main chain, and each refused
	// block's header record copied from net. The chain stores the header of a block whose
	// header passed and marks it invalid (so it is never judged again), and Digest covers
	// header records: net's digest after a refusal must equal ref's, which differs from the
	// digest before by exactly that record; a block refused on its header leaves the
	// digest as it was.
	ref := regtest.New(t, opts...)
	for h := uint32(1); h <= net.Height(); h++ {
		if _, err := ref.Process(net.BlockAt(h)); err != nil {
			t.Fatal(err)
		}
	}
	if ref.Digest() != net.Digest() {
		t.Fatal("the reference differs before any refusal")
	}

	verifier := ethash.New(ethash.Config{Sizes: ethash.SmallSizes})
	t.Cleanup(func() { verifier.Close() })

	type row struct {
		name string
		want chain.ErrorCode
		// txs are submitted in a block net mines; blk, when set, is processed instead.
		txs func() []*tx.Tx
		blk func() *block.Block
	}
	tip := func() block.Header { return net.Tip().Header }
	// timed is net's next block at timestamp ts with the bits that timestamp calls for.
	timed := func(ts uint32) *block.Block {
		blk := twinBlock(t, net, opts)
		prev := tip()
		pprev := net.BlockAt(prev.Height - 1).Header
		blk.Header.Timestamp = ts
		blk.Header.Bits = block.NextDifficulty(block.VersionPoW, blk.Header.Height, ts, &prev, &pprev, p)
		reseal(t, verifier, blk, false)
		return blk
	}
	rows := []row{
		{name: "fee below the minimum", want: chain.ErrFeeTooLow, txs: func() []*tx.Tx {
			c := etpCoin(t, net, a0, 0)
			return []*tx.Tx{spendSigned(t, c.PrevOut, 0, net, nil, payETP(a2, c.Value-p.MinTxFee+1))}
		}},
		{name: "outputs exceed the inputs", want: chain.ErrSpendsMore, txs: func() []*tx.Tx {
			c := etpCoin(t, net, a0, 0)
			return []*tx.Tx{spendSigned(t, c.PrevOut, 0, net, nil, payETP(a2, c.Value+1))}
		}},
		{name: "missing input", want: chain.ErrMissingInput, txs: func() []*tx.Tx {
			c := etpCoin(t, net, a0, 0)
			c.OutPoint.Hash[0] ^= 1
			return []*tx.Tx{spendSigned(t, c.PrevOut, 0, net, nil, payETP(a2, c.Value-p.MinTxFee))}
		}},
		{name: "one output spent twice in the block", want: chain.ErrMissingInput, txs: func() []*tx.Tx {
			c := etpCoin(t, net, a0, 0)
			return []*tx.Tx{spendSigned(t, c.PrevOut, 0, net, nil, payETP(a2, c.Value-p.MinTxFee)),
				spendSigned(t, c.PrevOut, 0, net, nil, payETP(a1, c.Value-p.MinTxFee))}
		}},
		{name: "one transaction twice in the block", want: chain.ErrBlockSanity, txs: func() []*tx.Tx {
			c := etpCoin(t, net, a0, 0)
			x := spendSigned(t, c.PrevOut, 0, net, nil, payETP(a2, c.Value-p.MinTxFee))
			return []*tx.Tx{x, x}
		}},
		{name: "immature coinbase", want: chain.ErrImmature, txs: func() []*tx.Tx {
			cb := &net.Tip().Transactions[0]
			c := tx.PrevOut{OutPoint: tx.OutPoint{Hash: cb.Hash()}, Value: cb.Outputs[0].Value, Script: cb.Outputs[0].Script}
			return []*tx.Tx{spendSigned(t, c, 0, net, nil, payETP(a2, c.Value-p.MinTxFee))}
		}},
		{name: "signature by another key", want: chain.ErrScript, txs: func() []*tx.Tx {
			c := etpCoin(t, net, a0, 0)
			return []*tx.Tx{spendSigned(t, c.PrevOut, 1, net, nil, payETP(a2, c.Value-p.MinTxFee))}
		}},
		// No "lock time ahead" row: as in the node, finality (ErrNonFinal) is checked only
		// from the PoS fork, which RegTest never reaches.
		{name: "deposit spent before its lock height", want: chain.ErrDepositLocked, txs: func() []*tx.Tx {
			for _, c := range net.Coins(a3) {
				if script.Script(c.Script).Class() == script.PayKeyHashWithLockHeight {
					return []*tx.Tx{spendSigned(t, c.PrevOut, 3, net, nil, payETP(a2, c.Value-p.MinTxFee))}
				}
			}
			t.Fatal("no deposit")
			return nil
		}},
		{name: "DID registered again", want: chain.ErrDIDRule, txs: func() []*tx.Tx {
			return []*tx.Tx{net.Build(only(a0).RegisterDID(a0, "d1"))}
		}},
		{name: "asset issued again", want: chain.ErrAssetRule, txs: func() []*tx.Tx {
			return []*tx.Tx{net.Build(only(a2).IssueAsset(a2, wallet.AssetIssue{Symbol: "ONE.COIN", MaximumSupply: 5,
				IssuerDID: "d2", DomainCert: true}))}
		}},
		{name: "one DID registered twice in the block", want: chain.ErrDuplicateDID, txs: func() []*tx.Tx {
			return []*tx.Tx{net.Build(only(a0).RegisterDID(a0, "twice")), net.Build(only(a3).RegisterDID(a3, "twice"))}
		}},
		{name: "one address given two DIDs in the block", want: chain.ErrDuplicateDIDAddress, txs: func() []*tx.Tx {
			first := etpCoin(t, net, a0, 0)
			b1, b2 := net.Builder(), net.Builder()
			b1.Coins = []wallet.Coin{first}
			b2.Coins = []wallet.Coin{etpCoin(t, net, a0, 1)}
			return []*tx.Tx{net.Build(b1.RegisterDID(a0, "first")), net.Build(b2.RegisterDID(a0, "second"))}
		}},
		{name: "one asset issued twice in the block", want: chain.ErrDuplicateAsset, txs: func() []*tx.Tx {
			return []*tx.Tx{
				net.Build(only(a1).IssueAsset(a1, wallet.AssetIssue{Symbol: "TWO.COIN", MaximumSupply: 5, IssuerDID: "d1", DomainCert: true})),
				net.Build(only(a2).IssueAsset(a2, wallet.AssetIssue{Symbol: "TWO.COIN", MaximumSupply: 5, IssuerDID: "d2", DomainCert: true}))}
		}},
		{name: "one MIT registered twice in the block", want: chain.ErrDuplicateMIT, txs: func() []*tx.Tx {
			return []*tx.Tx{net.Build(only(a1).RegisterMIT(a1, "SAME.MIT", "one")), net.Build(only(a2).RegisterMIT(a2, "SAME.MIT", "two"))}
		}},
		// tx.CheckSanity, within block.Check, refuses version 5 before CheckTx's ErrTxVersion.
		{name: "transaction version 5", want: chain.ErrBlockSanity, txs: func() []*tx.Tx {
			c := etpCoin(t, net, a0, 0)
			return []*tx.Tx{spendSigned(t, c.PrevOut, 0, net, func(x *tx.Tx) { x.Version = 5 }, payETP(a2, c.Value-p.MinTxFee))}
		}},
		{name: "deposit for a lock height not offered", want: chain.ErrDepositLockHeight, txs: func() []*tx.Tx {
			c := etpCoin(t, net, a0, 0)
			dep := tx.Output{Value: etp, Script: script.LockHeightDeposit(a0.Hash, p.DepositLockHeights[0]+1),
				Attachment: tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeETP}}
			return []*tx.Tx{spendSigned(t, c.PrevOut, 0, net, nil, dep, payETP(a0, c.Value-etp-p.MinTxFee))}
		}},
		{name: "relative lock of 100 blocks not passed", want: chain.ErrSequenceLocked, txs: func() []*tx.Tx {
			c := etpCoin(t, net, a0, 0)
			return []*tx.Tx{spendSigned(t, c.PrevOut, 0, net, func(x *tx.Tx) {
				x.Version, x.Inputs[0].Sequence = 2, 100
			}, payETP(a2, c.Value-p.MinTxFee))}
		}},
		{name: "one input twice in a transaction", want: chain.ErrBlockSanity, txs: func() []*tx.Tx {
			c := etpCoin(t, net, a0, 0)
			return []*tx.Tx{spendSigned(t, c.PrevOut, 0, net, func(x *tx.Tx) {
				x.Inputs = append(x.Inputs, x.Inputs[0])
			}, payETP(a2, c.Value-p.MinTxFee))}
		}},
		// The coinbase must start with its height (BIP34, in block.Check), so a repeated
		// coinbase never reaches the store's ErrOverwriteUnspent on RegTest.
		{name: "coinbase repeating an unspent one", want: chain.ErrBlockSanity, blk: func() *block.Block {
			blk := twinBlock(t, net, opts)
			for h := uint32(1); h < net.Height(); h++ {
				cb := net.BlockAt(h).Transactions[0]
				if _, err := net.Store().UTXO(tx.OutPoint{Hash: cb.Hash()}); err == nil && cb.Outputs[0].Value == blk.Transactions[0].Outputs[0].Value {
					blk.Transactions[0] = cb
					reseal(t, verifier, blk, false)
					return blk
				}
			}
			t.Fatal("no unspent coinbase of the same value")
			return nil
		}},
		{name: "coinbase pays one satoshi too much", want: chain.ErrCoinbaseTooLarge, blk: func() *block.Block {
			blk := twinBlock(t, net, opts)
			blk.Transactions[0].Outputs[0].Value++
			reseal(t, verifier, blk, false)
			return blk
		}},
		{name: "deposit interest one satoshi too much", want: chain.ErrCoinageReward, blk: func() *block.Block {
			dep := net.Build(net.Builder().Deposit(a0, etp, p.DepositLockHeights[0]))
			blk := twinBlock(t, net, opts, dep)
			blk.Transactions[1].Outputs[0].Value++
			reseal(t, verifier, blk, false)
			return blk
		}},
		{name: "bits one above the required", want: chain.ErrBadBits, blk: func() *block.Block {
			blk := twinBlock(t, net, opts)
			blk.Header.Bits = block.DifficultyFromUint64(2)
			reseal(t, verifier, blk, false)
			return blk
		}},
		{name: "timestamp 3 h ahead of the clock", want: chain.ErrFutureTimestamp, blk: func() *block.Block {
			return timed(acceptClock + uint32(3*time.Hour/time.Second))
		}},
		{name: "timestamp before the parent's", want: chain.ErrTimestampTooEarly, blk: func() *block.Block {
			return timed(tip().Timestamp - 1)
		}},
		{name: "seal of another header", want: chain.ErrBadSeal, blk: func() *block.Block {
			blk := twinBlock(t, net, opts)
			blk.Header.MixHash[0] ^= 1
			return blk
		}},
		// block.Check refuses DPoS before the header rules (ErrBlockVersion) see it.
		{name: "version 3 (DPoS)", want: chain.ErrBlockSanity, blk: func() *block.Block {
			blk := twinBlock(t, net, opts)
			blk.Header.Version = 3
			reseal(t, verifier, blk, false)
			return blk
		}},
		{name: "merkle root of other transactions", want: chain.ErrBlockSanity, blk: func() *block.Block {
			blk := twinBlock(t, net, opts)
			blk.Transactions[0].Outputs[0].Value--
			reseal(t, verifier, blk, true)
			return blk
		}},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			tipBefore, digestBefore := net.Tip().Hash(), net.Digest()
			var err error
			var blk *block.Block
			if r.blk != nil {
				var res chain.Result
				blk = r.blk()
				res, err = net.Process(blk)
				if res.Verdict != chain.Invalid {
					t.Fatalf("verdict %v, want invalid", res.Verdict)
				}
			} else {
				blk, err = net.Submit(r.txs()...)
			}
			var re *chain.RuleError
			if !errors.As(err, &re) || re.Code != r.want {
				t.Fatalf("refusal %v, want %v", err, r.want)
			}
			if net.Tip().Hash() != tipBefore {
				t.Fatal("the refused block moved the tip")
			}
			rec, herr := net.Store().Header(blk.Hash())
			switch {
			case errors.Is(herr, store.ErrNotFound):
				if net.Digest() != digestBefore {
					t.Fatal("a block refused on its header changed the store's digest")
				}
			case herr != nil:
				t.Fatal(herr)
			case rec.Status&store.StatusInvalid == 0:
				t.Fatalf("the refused block's header is stored with status %v", rec.Status)
			default:
				if err := ref.Store().PutHeader(rec); err != nil {
					t.Fatal(err)
				}
				if net.Digest() != ref.Digest() {
					t.Fatal("the refused block changed the store beyond its header record")
				}
			}
		})
	}
	// The Net is still usable: the refusals left nothing behind.
	net.Fund(a2, etp)

	// Not a refusal, pinned: a new attenuation lock whose model breaks PN < UN (UN=0) is
	// accepted when the transaction spends no locked output, as the node's
	// attenuation_model::check_model_param(tx, chain) returns true before looking at the
	// outputs when no input is locked. The wallet refuses to build it.
	u, err := only(a1).SendAssetLocked(a2, "ONE.COIN", 300, "PN=0;LH=20000;TYPE=1;LQ=300;LP=60000;UN=3")
	if err != nil {
		t.Fatal(err)
	}
	replaced := false
	for i := range u.Tx.Outputs {
		o := &u.Tx.Outputs[i]
		if _, prev, ok := script.AttenuationParams(o.Script); ok {
			if o.Script, err = script.Attenuation(a2.Hash, "PN=0;LH=20000;TYPE=1;LQ=300;LP=60000;UN=0", prev); err != nil {
				t.Fatal(err)
			}
			replaced = true
		}
	}
	if !replaced {
		t.Fatal("no attenuation output")
	}
	if _, err := net.Submit(net.Sign(u)); err != nil {
		t.Fatalf("a new lock with UN=0 and no locked input: %v (the node accepts it)", err)
	}
	// Such an output is on chain now: the queries and the wallet read it without failing
	// (its model divides by UN).
	q := chain.NewQueries(net.Store(), p)
	if _, err := q.Balance(a2); err != nil {
		t.Fatalf("balance of the address holding the UN=0 lock: %v", err)
	}
	if _, err := q.UTXOs(a2); err != nil {
		t.Fatalf("UTXOs of the address holding the UN=0 lock: %v", err)
	}
	if _, err := net.Builder().SendAsset(a1, "ONE.COIN", 1, "", ""); err != nil {
		t.Logf("the wallet with the UN=0 lock among its coins: %v", err)
	}

}

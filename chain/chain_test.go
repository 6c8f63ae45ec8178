package chain_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
)

// TestChainExtend: blocks extending the tip join the main chain, spends of matured
// coinbases included, and the store ends as a direct import's.
func TestChainExtend(t *testing.T) {
	m := newCCMiner(t)
	n := m.node(nil)
	a := m.branch(m.genesis, 3, 'a')
	a4 := m.mine(a[2], 'a', m.p.MinTxFee, 0, m.spendCoinbase(a[0], 0))
	a5 := m.mine(a4, 'a', 2*m.p.MinTxFee, 0, m.spendCoinbase(a[1], 0), m.spendCoinbase(a4, 0))
	for _, b := range ccCat(a, []*block.Block{a4, a5}) {
		res := n.process(b, chain.MainChain)
		if res.Hash != b.Hash() || res.Height != b.Header.Height {
			t.Fatalf("result %+v", res)
		}
	}
	n.wantTip(a5)
	if err := n.st.Check(); err != nil {
		t.Fatal(err)
	}
	if st := n.status(a5); st != store.StatusHasBody|store.StatusValid {
		t.Fatalf("status %v", st)
	}
	// The spent coinbase is gone, its spend's output is there.
	if _, err := n.st.UTXO(tx.OutPoint{Hash: a[0].Transactions[0].Hash()}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("spent coinbase: %v", err)
	}
	if _, err := n.st.UTXO(tx.OutPoint{Hash: a4.Transactions[1].Hash()}); err != nil {
		t.Fatal(err)
	}
}

// TestChainSideChain: a branch with less or equal work stays a side chain; the main chain
// and its store do not change but for the branch's headers.
func TestChainSideChain(t *testing.T) {
	m := newCCMiner(t)
	n := m.node(nil)
	a := m.branch(m.genesis, 3, 'a')
	n.processAll(a, chain.MainChain)
	for _, tc := range []struct {
		name string
		from *block.Block
		len  int
	}{
		{"less work", m.genesis, 2},
		{"equal work", m.genesis, 3},
		{"equal work from 1", a[0], 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := m.branch(tc.from, tc.len, byte('b'+tc.len)+tc.from.Transactions[0].Inputs[0].Script[1])
			n.t = t
			n.processAll(b, chain.SideChain)
			n.wantTip(a[2])
			for _, x := range b {
				if st := n.status(x); st != 0 {
					t.Fatalf("side block status %v", st)
				}
			}
		})
	}
}

// TestChainReorg: a branch with more work replaces 1 and then 10 main-chain blocks; the
// store is then byte for byte a store that imported the winning chain directly (plus the
// losing branch's headers, which stay known).
func TestChainReorg(t *testing.T) {
	for _, depth := range []int{1, 10} {
		t.Run(fmt.Sprintf("depth %d", depth), func(t *testing.T) {
			m := newCCMiner(t)
			base := m.branch(m.genesis, 2, 'x')
			// The branch spends a coinbase of the common part and one of its own.
			lose := m.branch(base[1], depth, 'a')
			win := []*block.Block{m.mine(base[1], 'b', m.p.MinTxFee, 0, m.spendCoinbase(base[0], 0))}
			win = append(win, m.mine(win[0], 'b', m.p.MinTxFee, 0, m.spendCoinbase(win[0], 0)))
			win = append(win, m.branch(win[1], depth-1, 'b')...)

			n := m.node(nil)
			n.processAll(base, chain.MainChain)
			n.processAll(lose, chain.MainChain)
			n.processAll(win[:depth], chain.SideChain)
			n.process(win[depth], chain.MainChain)
			n.wantTip(win[depth])
			for _, b := range lose {
				// Valid, and its body kept as a side-chain body by the store.
				if st := n.status(b); st != store.StatusHasBody|store.StatusValid {
					t.Fatalf("losing block %d status %v, want valid with its body", b.Header.Height, st)
				}
			}
			if err := n.st.Check(); err != nil {
				t.Fatal(err)
			}

			fresh := m.node(nil)
			fresh.processAll(ccCat(base, win), chain.MainChain)
			fresh.copyHeaders(n, lose)
			if n.digest() != fresh.digest() {
				t.Fatal("store after the reorganisation differs from a direct import")
			}
			// The losing blocks are held: a reorganisation back needs no download.
			for _, b := range lose {
				n.process(b, chain.Duplicate)
			}
			back := m.branch(lose[depth-1], 2, 'a')
			n.process(back[0], chain.SideChain) // equal work
			n.process(back[1], chain.MainChain)
			n.wantTip(back[1])
			again := m.node(nil)
			again.processAll(ccCat(base, lose, back), chain.MainChain)
			again.copyHeaders(n, win)
			if n.digest() != again.digest() {
				t.Fatal("store after reorganising back differs from a direct import")
			}
		})
	}
}

// TestChainOrphans: blocks arriving child first are held and connected when their parent
// arrives, ending as an in-order import; a flood of orphans stays within both caps.
func TestChainOrphans(t *testing.T) {
	m := newCCMiner(t)
	a := m.branch(m.genesis, 2, 'a')
	a = append(a, m.mine(a[1], 'a', m.p.MinTxFee, 0, m.spendCoinbase(a[0], 0)))
	a = append(a, m.branch(a[2], 5, 'a')...)

	n := m.node(nil)
	for i := len(a) - 1; i > 0; i-- {
		n.process(a[i], chain.Orphan)
	}
	if got := n.c.Orphans(); got != len(a)-1 {
		t.Fatalf("%d orphans held, want %d", got, len(a)-1)
	}
	n.process(a[len(a)-1], chain.Duplicate)
	n.process(a[0], chain.MainChain)
	n.wantTip(a[len(a)-1])
	if got := n.c.Orphans(); got != 0 {
		t.Fatalf("%d orphans left", got)
	}
	inOrder := m.node(nil)
	inOrder.processAll(a, chain.MainChain)
	if n.digest() != inOrder.digest() {
		t.Fatal("orphans connected in reverse differ from an in-order import")
	}

	size := len(a[1].Bytes())
	for _, tc := range []struct {
		name          string
		count, bytes  int
		wantAtMostNum int
	}{
		{"count cap", 3, 1 << 20, 3},
		{"byte cap", 100, 2*size + size/2, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := m.node(func(c *chain.Config) { c.MaxOrphans, c.MaxOrphanBytes = tc.count, tc.bytes })
			f.t = t
			flood := m.branch(a[0], 12, 'f')
			for _, b := range flood[1:] {
				f.process(b, chain.Orphan)
				if got := f.c.Orphans(); got > tc.wantAtMostNum {
					t.Fatalf("%d orphans held, cap %d", got, tc.wantAtMostNum)
				}
			}
		})
	}
}

// TestChainInvalidBranch: a heavier branch with an invalid block in its middle is refused
// while being connected; the old main chain is restored (the store as before but for the
// branch's headers), the invalid block and its descendants are remembered, and
// subscribers see nothing, as the main chain did not change.
func TestChainInvalidBranch(t *testing.T) {
	m := newCCMiner(t)
	a := m.branch(m.genesis, 3, 'a')
	b := m.branch(m.genesis, 2, 'b')
	b = append(b, m.mine(b[1], 'b', 0, 1)) // the coinbase pays one satoshi too much
	b = append(b, m.branch(b[2], 2, 'b')...)

	n := m.node(nil)
	n.processAll(a, chain.MainChain)
	n.processAll(b[:3], chain.SideChain) // equal work: not validated yet
	sub := n.c.Subscribe(16)
	res, err := n.c.ProcessBlock(context.Background(), b[3], nil)
	var re *chain.RuleError
	if res.Verdict != chain.Invalid || !errors.As(err, &re) || res.Err != re || !errors.Is(err, chain.ErrInvalidAncestor) {
		t.Fatalf("heavier branch: %+v, %v", res, err)
	}
	n.wantTip(a[2])
	if err := n.st.Check(); err != nil {
		t.Fatal(err)
	}
	for i, want := range []store.Status{store.StatusHasBody | store.StatusValid, store.StatusHasBody | store.StatusValid, store.StatusInvalid, store.StatusInvalid} {
		if st := n.status(b[i]); st != want {
			t.Fatalf("branch block %d status %v, want %v", i+1, st, want)
		}
	}
	want := m.node(nil)
	want.processAll(a, chain.MainChain)
	want.copyHeaders(n, b[:4])
	if n.digest() != want.digest() {
		t.Fatal("the store was not restored")
	}
	select {
	case ev := <-sub.Events():
		t.Fatalf("event %+v for a rolled-back reorganisation", ev)
	default:
	}
	// Remembered: the invalid block, a descendant, and the block itself again.
	for _, tc := range []struct {
		blk  *block.Block
		code chain.ErrorCode
	}{
		{b[2], chain.ErrCoinbaseTooLarge},
		{b[4], chain.ErrInvalidAncestor},
		{b[3], chain.ErrInvalidAncestor},
	} {
		res, err := n.c.ProcessBlock(context.Background(), tc.blk, nil)
		if res.Verdict != chain.Invalid || !errors.Is(err, tc.code) {
			t.Fatalf("block %d again: %v %v, want %v", tc.blk.Header.Height, res.Verdict, err, tc.code)
		}
	}
	// The valid start of the branch can still win with a valid continuation.
	c := m.branch(b[1], 2, 'c')
	n.process(c[0], chain.SideChain)
	n.process(c[1], chain.MainChain)
	n.wantTip(c[1])
}

// TestChainDuplicates: a block seen before is reported as a duplicate, wherever it is.
func TestChainDuplicates(t *testing.T) {
	m := newCCMiner(t)
	a := m.branch(m.genesis, 2, 'a')
	side := m.branch(m.genesis, 1, 's')
	orphan := m.branch(m.branch(m.genesis, 1, 'o')[0], 1, 'o')
	n := m.node(nil)
	n.processAll(a, chain.MainChain)
	n.process(side[0], chain.SideChain)
	n.process(orphan[0], chain.Orphan)
	for _, tc := range []struct {
		name string
		blk  *block.Block
	}{{"main", a[1]}, {"side", side[0]}, {"orphan", orphan[0]}, {"genesis", m.genesis}} {
		t.Run(tc.name, func(t *testing.T) {
			n.t = t
			n.process(tc.blk, chain.Duplicate)
		})
	}
}

// TestChainBlockRefusals: blocks refused in context leave the tip where it was.
func TestChainBlockRefusals(t *testing.T) {
	m := newCCMiner(t)
	a := m.branch(m.genesis, 2, 'a')
	bad := func(name string, code chain.ErrorCode, is error, blk func() *block.Block) struct {
		name string
		code chain.ErrorCode
		is   error
		blk  func() *block.Block
	} {
		return struct {
			name string
			code chain.ErrorCode
			is   error
			blk  func() *block.Block
		}{name, code, is, blk}
	}
	for _, tc := range []struct {
		name string
		code chain.ErrorCode
		is   error
		blk  func() *block.Block
	}{
		bad("a UTXO spent twice across the block", chain.ErrMissingInput, nil, func() *block.Block {
			return m.mine(a[1], 'd', 2*m.p.MinTxFee, 0, m.spendCoinbase(a[0], 0), m.spendCoinbase(a[0], 1))
		}),
		bad("an immature coinbase", chain.ErrImmature, nil, func() *block.Block {
			// The coinbase of x is the block's own: same height, salt and value.
			x := m.mine(a[1], 'i', m.p.MinTxFee, 0)
			return m.mine(a[1], 'i', m.p.MinTxFee, 0, m.spendCoinbase(x, 0))
		}),
		bad("a bad signature", chain.ErrScript, nil, func() *block.Block {
			s := m.spendCoinbase(a[0], 0)
			s.Inputs[0].Script = m.spendCoinbase(a[1], 0).Inputs[0].Script
			return m.mine(a[1], 's', m.p.MinTxFee, 0, s)
		}),
		bad("a bad seal", chain.ErrBadSeal, nil, func() *block.Block {
			x := m.mine(a[1], 'e', 0, 0)
			x.Header.MixHash[0] ^= 1
			return x
		}),
		bad("a merkle mismatch", chain.ErrBlockSanity, block.ErrMerkleMismatch, func() *block.Block {
			x := m.mine(a[1], 'm', 0, 0)
			x.Transactions[0].Outputs[0].Value--
			return x
		}),
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := m.node(nil)
			n.processAll(a, chain.MainChain)
			res, err := n.c.ProcessBlock(context.Background(), tc.blk(), nil)
			var re *chain.RuleError
			if res.Verdict != chain.Invalid || !errors.As(err, &re) || re.Code != tc.code || (tc.is != nil && !errors.Is(err, tc.is)) {
				t.Fatalf("%v %v, want %v", res.Verdict, err, tc.code)
			}
			n.wantTip(a[1])
		})
	}
}

// TestChainMutatedMerkle: a block whose last transaction is repeated keeps the merkle root
// and the hash of the valid block (CVE-2012-2459); it is refused by block.Check without
// marking the hash, so the valid block is then accepted.
func TestChainMutatedMerkle(t *testing.T) {
	m := newCCMiner(t)
	a := m.branch(m.genesis, 2, 'a')
	good := m.mine(a[1], 'a', 2*m.p.MinTxFee, 0, m.spendCoinbase(a[0], 0), m.spendCoinbase(a[1], 0))
	mutated := *good
	mutated.Transactions = append(slices.Clone(good.Transactions), good.Transactions[2])
	if mutated.Hash() != good.Hash() || block.MerkleRoot(mutated.TxHashes()) != good.Header.MerkleRoot {
		t.Fatal("the mutation should keep hash and merkle root")
	}
	n := m.node(nil)
	n.processAll(a, chain.MainChain)
	res, err := n.c.ProcessBlock(context.Background(), &mutated, nil)
	if res.Verdict != chain.Invalid || !errors.Is(err, chain.ErrBlockSanity) || !errors.Is(err, block.ErrDuplicateTx) {
		t.Fatalf("mutated: %v %v", res.Verdict, err)
	}
	n.process(good, chain.MainChain)
	n.wantTip(good)
}

// TestChainEvents: subscribers see a reorganisation as its disconnections, tip first, then
// its connections; one whose buffer fills is closed and told it lagged; Unsubscribe and
// Close end the others.
func TestChainEvents(t *testing.T) {
	m := newCCMiner(t)
	a := m.branch(m.genesis, 3, 'a')
	b := m.branch(a[0], 3, 'b')
	n := m.node(nil)
	n.process(a[0], chain.MainChain)
	all := n.c.Subscribe(32)
	lag := n.c.Subscribe(2)
	gone := n.c.Subscribe(32)
	n.c.Unsubscribe(gone)
	n.processAll(a[1:], chain.MainChain)
	n.processAll(b[:2], chain.SideChain)
	n.process(b[2], chain.MainChain)

	type ev struct {
		kind chain.EventKind
		blk  *block.Block
	}
	want := []ev{{chain.Connected, a[1]}, {chain.Connected, a[2]},
		{chain.Disconnected, a[2]}, {chain.Disconnected, a[1]},
		{chain.Connected, b[0]}, {chain.Connected, b[1]}, {chain.Connected, b[2]}}
	for i, w := range want {
		got := <-all.Events()
		if got.Kind != w.kind || got.Hash != w.blk.Hash() || got.Height != w.blk.Header.Height || got.Block.Hash() != got.Hash {
			t.Fatalf("event %d: %v %d %s, want %v %d %s", i, got.Kind, got.Height, got.Hash, w.kind, w.blk.Header.Height, w.blk.Hash())
		}
	}
	// The lagging subscriber got the first two, then its channel closed.
	var got []mvs.Hash
	for e := range lag.Events() {
		got = append(got, e.Hash)
	}
	if len(got) != 2 || got[0] != a[1].Hash() || !errors.Is(lag.Err(), chain.ErrSubscriberLagged) {
		t.Fatalf("lagging subscriber: %d events, %v", len(got), lag.Err())
	}
	if _, open := <-gone.Events(); open || gone.Err() != nil {
		t.Fatalf("unsubscribed: %v", gone.Err())
	}
	n.c.Close()
	if _, open := <-all.Events(); open || !errors.Is(all.Err(), chain.ErrClosed) {
		t.Fatalf("after Close: %v", all.Err())
	}
	if _, err := n.c.ProcessBlock(context.Background(), b[0], nil); !errors.Is(err, chain.ErrClosed) {
		t.Fatalf("ProcessBlock after Close: %v", err)
	}
	if s := n.c.Subscribe(1); s.Err() != chain.ErrClosed {
		t.Fatalf("Subscribe after Close: %v", s.Err())
	}
}

// TestChainCheckpoint: a branch leaving the main chain below a checkpoint it has passed is
// refused, however long.
func TestChainCheckpoint(t *testing.T) {
	m := newCCMiner(t)
	a := m.branch(m.genesis, 4, 'a')
	m.p.Checkpoints = append(m.p.Checkpoints, mvs.Checkpoint{Height: 2, Hash: a[1].Hash()})
	b := m.branch(a[0], 6, 'b')
	n := m.node(nil)
	n.processAll(a, chain.MainChain)
	res, err := n.c.ProcessBlock(context.Background(), b[0], nil)
	if res.Verdict != chain.Invalid || !errors.Is(err, chain.ErrForkBelowCheckpoint) {
		t.Fatalf("%v %v", res.Verdict, err)
	}
	for _, x := range b[1:] {
		if res, _ := n.c.ProcessBlock(context.Background(), x, nil); res.Verdict == chain.MainChain {
			t.Fatalf("block %d of the branch joined the main chain", x.Header.Height)
		}
	}
	n.wantTip(a[3])
	// A branch above the checkpoint may still win.
	c := m.branch(a[1], 3, 'c')
	n.processAll(c[:2], chain.SideChain)
	n.process(c[2], chain.MainChain)
}

// TestChainAssumeValid: the scripts of a block at or below the assumed-valid block are not
// checked; without it the same block is refused for its script.
func TestChainAssumeValid(t *testing.T) {
	m := newCCMiner(t)
	a := m.branch(m.genesis, 2, 'a')
	s := m.spendCoinbase(a[0], 0)
	s.Inputs[0].Script = m.spendCoinbase(a[1], 0).Inputs[0].Script // a signature of another tx
	bad := m.mine(a[1], 's', m.p.MinTxFee, 0, s)
	top := m.mine(bad, 's', 0, 0)
	for _, tc := range []struct {
		name string
		av   mvs.Hash
		want chain.Verdict
	}{
		{"verified", mvs.Hash{}, chain.Invalid},
		{"assumed valid", bad.Hash(), chain.MainChain},
		{"another block assumed valid", a[0].Hash(), chain.Invalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := m.node(func(c *chain.Config) { c.AssumeValid = tc.av })
			n.t = t
			n.processAll(a, chain.MainChain)
			res := n.process(bad, tc.want)
			if tc.want == chain.Invalid && !errors.Is(res.Err, chain.ErrScript) {
				t.Fatal(res.Err)
			}
			if tc.want == chain.MainChain {
				n.process(top, chain.MainChain)
			}
		})
	}
}

// TestChainNew: a Config missing what the chain needs is refused.
func TestChainNew(t *testing.T) {
	m := newCCMiner(t)
	n := m.node(nil)
	for _, tc := range []struct {
		name string
		edit func(*chain.Config)
	}{
		{"no params", func(c *chain.Config) { c.Params = nil }},
		{"no store", func(c *chain.Config) { c.Store = nil }},
		{"no state", func(c *chain.Config) { c.State = nil }},
		{"no seal verifier", func(c *chain.Config) { c.Seal = nil }},
		{"another network", func(c *chain.Config) { c.Params = mvs.TestNet() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := chain.Config{Params: m.p, Store: n.st, State: chain.NewStoreState(n.st, m.p), Seal: m.v}
			tc.edit(&cfg)
			if _, err := chain.New(cfg); !errors.Is(err, chain.ErrConfig) {
				t.Fatalf("%v", err)
			}
		})
	}
	if _, err := chain.New(chain.Config{Params: m.p, Store: n.st, State: chain.NewStoreState(n.st, m.p), NoSealCheck: true}); err != nil {
		t.Fatalf("seals checked elsewhere: %v", err)
	}
	if _, err := n.c.ProcessBlock(context.Background(), m.genesis, []byte{1, 2, 3}); !errors.Is(err, chain.ErrRawMismatch) {
		t.Fatalf("raw mismatch: %v", err)
	}
}

// TestChainHeadersFirst: headers checked and stored ahead of their bodies (header-first
// sync); the bodies then connect, and the ancestors of an assumed-valid block known by its
// header skip their scripts, across more than one stride of the ancestry index. Headers
// with an unknown parent or a bad seal are refused.
func TestChainHeadersFirst(t *testing.T) {
	m := newCCMiner(t)
	a := m.branch(m.genesis, 2, 'a')
	s := m.spendCoinbase(a[0], 0)
	s.Inputs[0].Script = m.spendCoinbase(a[1], 0).Inputs[0].Script // a signature of another tx
	bad := m.mine(a[1], 'a', m.p.MinTxFee, 0, s)
	blocks := ccCat(a, []*block.Block{bad})
	blocks = append(blocks, m.branch(bad, 1100, 'a')...)
	headers := func(bs []*block.Block) []block.Header {
		var hs []block.Header
		for _, b := range bs {
			hs = append(hs, b.Header)
		}
		return hs
	}
	av := blocks[len(blocks)-5]
	for _, tc := range []struct {
		name      string
		av        mvs.Hash
		headers   bool
		wantValid bool
	}{
		{"headers first, assumed valid", av.Hash(), true, true},
		{"headers first, verified", mvs.Hash{}, true, false},
		{"assumed-valid header unknown", av.Hash(), false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := m.node(func(c *chain.Config) { c.AssumeValid = tc.av })
			n.t = t
			if tc.headers {
				stored, err := n.c.ProcessHeaders(headers(blocks))
				if err != nil || stored != len(blocks) {
					t.Fatalf("stored %d of %d: %v", stored, len(blocks), err)
				}
				if stored, err := n.c.ProcessHeaders(headers(blocks[:3])); err != nil || stored != 0 {
					t.Fatalf("again: %d %v", stored, err)
				}
			}
			n.processAll(a, chain.MainChain)
			if !tc.wantValid {
				res := n.process(bad, chain.Invalid)
				if !errors.Is(res.Err, chain.ErrScript) {
					t.Fatal(res.Err)
				}
				return
			}
			n.processAll(blocks[2:], chain.MainChain)
			n.wantTip(blocks[len(blocks)-1])
		})
	}
	n := m.node(nil)
	if _, err := n.c.ProcessHeaders(headers(blocks[1:2])); !errors.Is(err, chain.ErrUnknownParent) {
		t.Fatalf("unknown parent: %v", err)
	}
	h := headers(blocks[:1])
	h[0].MixHash[0] ^= 1
	for range 2 { // refused, then remembered
		if stored, err := n.c.ProcessHeaders(h); stored != 0 || !errors.Is(err, chain.ErrBadSeal) {
			t.Fatalf("bad seal: %d %v", stored, err)
		}
	}
}

// TestChainMissingBodies: a heavier branch whose bodies the chain lacks (known by header
// only) is reported in Result.Missing and changes nothing; once the bodies arrive the chain
// switches. Bodies evicted from memory are read back from the store.
func TestChainMissingBodies(t *testing.T) {
	m := newCCMiner(t)
	a := m.branch(m.genesis, 4, 'a')
	b := m.branch(m.genesis, 5, 'b')
	hs := make([]block.Header, len(b))
	for i := range b {
		hs[i] = b[i].Header
	}

	t.Run("evicted from memory, kept by the store", func(t *testing.T) {
		n := m.node(func(c *chain.Config) { c.MaxSideBlocks = 4 })
		n.t = t
		n.processAll(a, chain.MainChain)
		n.processAll(b[:4], chain.SideChain)
		if res := n.process(b[4], chain.MainChain); len(res.Missing) != 0 {
			t.Fatalf("missing %v", res.Missing)
		}
		n.wantTip(b[4])
	})
	t.Run("headers first, bodies in reverse", func(t *testing.T) {
		n := m.node(nil)
		n.t = t
		n.processAll(a, chain.MainChain)
		if _, err := n.c.ProcessHeaders(hs); err != nil {
			t.Fatal(err)
		}
		for i := len(b) - 1; i > 0; i-- {
			res := n.process(b[i], chain.SideChain)
			if i == len(b)-1 && !slices.Equal(res.Missing, []mvs.Hash{b[0].Hash(), b[1].Hash(), b[2].Hash(), b[3].Hash()}) {
				t.Fatalf("missing %d bodies", len(res.Missing))
			}
		}
		n.wantTip(a[3])
		n.process(b[0], chain.MainChain)
		n.wantTip(b[4])
	})
}

// TestChainConcurrent: two branches fed from two goroutines while a subscriber follows;
// replaying the events (connect pushes, disconnect pops the top) gives the final main
// chain, whichever order the blocks were processed in.
func TestChainConcurrent(t *testing.T) {
	m := newCCMiner(t)
	a := m.branch(m.genesis, 6, 'a')
	b := m.branch(m.genesis, 8, 'b')
	n := m.node(nil)
	sub := n.c.Subscribe(256)
	done := make(chan error, 2)
	for _, br := range [][]*block.Block{a, b} {
		go func() {
			for _, x := range br {
				if _, err := n.c.ProcessBlock(context.Background(), x, nil); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	n.wantTip(b[7])
	n.c.Close()
	var replay []mvs.Hash
	for ev := range sub.Events() {
		switch ev.Kind {
		case chain.Connected:
			replay = append(replay, ev.Hash)
		case chain.Disconnected:
			if len(replay) == 0 || replay[len(replay)-1] != ev.Hash {
				t.Fatalf("disconnected %s, not the tip", ev.Hash)
			}
			replay = replay[:len(replay)-1]
		}
	}
	if !errors.Is(sub.Err(), chain.ErrClosed) || len(replay) != len(b) {
		t.Fatalf("%v, %d blocks replayed", sub.Err(), len(replay))
	}
	for i := range b {
		if replay[i] != b[i].Hash() {
			t.Fatalf("replayed block %d is %s", i+1, replay[i])
		}
	}
}

// TestChainFutureBlock: a block ahead of the local clock is refused but not remembered, and
// the orphan waiting for it stays: both connect once the clock has caught up.
func TestChainFutureBlock(t *testing.T) {
	m := newCCMiner(t)
	a := m.branch(m.genesis, 2, 'a')
	now := time.Unix(int64(m.genesis.Header.Timestamp), 0) // block 1 is 30 s ahead
	n := m.node(func(c *chain.Config) { c.Now = func() time.Time { return now } })
	n.process(a[1], chain.Orphan)
	res, err := n.c.ProcessBlock(context.Background(), a[0], nil)
	if res.Verdict != chain.Invalid || !errors.Is(err, chain.ErrFutureTimestamp) {
		t.Fatalf("%v %v", res.Verdict, err)
	}
	now = ccClock()
	n.process(a[0], chain.MainChain) // and the orphan with it
	n.wantTip(a[1])
}

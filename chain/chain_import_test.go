package chain_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/store"
)

// committedChain is the main chain the store has committed, genesis excluded.
func committedChain(t *testing.T, st *store.Store) []mvs.Hash {
	t.Helper()
	var out []mvs.Hash
	err := st.View(func(sn *store.Snapshot) error {
		_, tip, err := sn.Tip()
		if err != nil {
			return err
		}
		for h := uint32(1); h <= tip; h++ {
			hash, err := sn.HashAt(h)
			if err != nil {
				return err
			}
			out = append(out, hash)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestChainImport: inside an import batch, at every cache size (a commit per block, a few
// blocks per commit, one commit at the end), blocks connect and reorganise as without one,
// the events reach subscribers only once their blocks are committed (replaying the events
// received gives exactly the committed main chain whenever nothing is pending), and the
// final store equals a direct import's.
func TestChainImport(t *testing.T) {
	m := newCCMiner(t)
	base := m.branch(m.genesis, 3, 'x')
	base = append(base, m.mine(base[2], 'x', m.p.MinTxFee, 0, m.spendCoinbase(base[0], 0)))
	lose := m.branch(base[3], 4, 'a')
	win := []*block.Block{m.mine(base[3], 'b', m.p.MinTxFee, 0, m.spendCoinbase(base[1], 0))}
	win = append(win, m.branch(win[0], 4, 'b')...)
	after := m.branch(win[4], 6, 'b')
	blocks := ccCat(base, lose, win, after)

	for _, tc := range []struct {
		name  string
		cache int
	}{{"commit per block", 1}, {"a few blocks per commit", 12 << 10}, {"one commit", 1 << 30}} {
		t.Run(tc.name, func(t *testing.T) {
			st, err := store.Open(filepath.Join(t.TempDir(), "chain.db"), store.Options{Params: m.p, NoSync: true, CacheBytes: tc.cache})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			c, err := chain.New(chain.Config{Params: m.p, Store: st, State: chain.NewStoreState(st, m.p), Seal: m.v, Now: ccClock})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			sub := c.Subscribe(len(blocks) * 3)
			if err := c.EndImport(); err != nil {
				t.Fatalf("EndImport without an import: %v", err)
			}
			if err := c.BeginImport(); err != nil {
				t.Fatal(err)
			}
			if err := c.BeginImport(); !errors.Is(err, chain.ErrImporting) {
				t.Fatalf("second BeginImport: %v, want ErrImporting", err)
			}
			var replay []mvs.Hash
			drain := func() {
				for {
					select {
					case ev := <-sub.Events():
						if ev.Block == nil || ev.Block.Hash() != ev.Hash {
							t.Fatalf("%v event %d without its block", ev.Kind, ev.Height)
						}
						switch ev.Kind {
						case chain.Connected:
							if int(ev.Height) != len(replay)+1 {
								t.Fatalf("connected %d on a replayed chain of %d", ev.Height, len(replay))
							}
							replay = append(replay, ev.Hash)
						case chain.Disconnected:
							if len(replay) == 0 || replay[len(replay)-1] != ev.Hash {
								t.Fatalf("disconnected %d %s, not the replayed tip", ev.Height, ev.Hash)
							}
							replay = replay[:len(replay)-1]
						}
					default:
						return
					}
				}
			}
			checkDurable := func(when string) {
				t.Helper()
				drain()
				if st.Pending() > 0 {
					return
				}
				want := committedChain(t, st)
				if len(replay) != len(want) {
					t.Fatalf("%s: events replay %d blocks, the store committed %d", when, len(replay), len(want))
				}
				for i := range want {
					if replay[i] != want[i] {
						t.Fatalf("%s: replayed block %d differs from the committed one", when, i+1)
					}
				}
			}
			flushedEarly := false
			for _, b := range blocks {
				res, err := c.ProcessBlock(context.Background(), b, nil)
				if err != nil || res.Verdict == chain.Invalid || res.Verdict == chain.Orphan {
					t.Fatalf("block %d: %v %v", b.Header.Height, res.Verdict, err)
				}
				if st.Pending() == 0 {
					flushedEarly = true
				}
				checkDurable("block " + b.Hash().String())
			}
			if !c.Importing() {
				t.Fatal("not importing before EndImport")
			}
			if flushedEarly != (tc.cache < 1<<20) {
				t.Fatalf("committed before EndImport: %v", flushedEarly)
			}
			if err := c.EndImport(); err != nil {
				t.Fatal(err)
			}
			checkDurable("EndImport")
			if len(replay) != len(base)+len(win)+len(after) {
				t.Fatalf("events replay %d blocks", len(replay))
			}
			if _, tip, _ := st.Tip(); tip != after[len(after)-1].Header.Height {
				t.Fatalf("tip %d", tip)
			}
			if err := st.Check(); err != nil {
				t.Fatal(err)
			}
			// Header records of the losing branch are in both: compare whole stores.
			d, err := st.Digest()
			if err != nil {
				t.Fatal(err)
			}
			want := m.node(nil)
			want.processAll(ccCat(base, lose), chain.MainChain)
			want.processAll(win[:len(lose)], chain.SideChain)
			want.processAll(ccCat(win[len(lose):], after), chain.MainChain)
			if d != want.digest() {
				t.Fatal("the imported store differs from one built block by block")
			}
		})
	}
}

// TestChainImportClose: Close commits an open import, so a reopened store holds every block
// processed.
func TestChainImportClose(t *testing.T) {
	m := newCCMiner(t)
	blks := m.branch(m.genesis, 5, 'c')
	path := filepath.Join(t.TempDir(), "chain.db")
	st, err := store.Open(path, store.Options{Params: m.p, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	c, err := chain.New(chain.Config{Params: m.p, Store: st, State: chain.NewStoreState(st, m.p), Seal: m.v, Now: ccClock})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.BeginImport(); err != nil {
		t.Fatal(err)
	}
	for _, b := range blks {
		if res, err := c.ProcessBlock(context.Background(), b, nil); err != nil || res.Verdict != chain.MainChain {
			t.Fatalf("block %d: %v %v", b.Header.Height, res.Verdict, err)
		}
	}
	if got := st.Pending(); got != len(blks) {
		t.Fatalf("pending %d, want %d", got, len(blks))
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.BeginImport(); !errors.Is(err, chain.ErrClosed) {
		t.Fatalf("BeginImport after Close: %v", err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st, err = store.Open(path, store.Options{Params: m.p})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if h, tip, _ := st.Tip(); h != blks[4].Hash() || tip != 5 {
		t.Fatalf("reopened at %d %s", tip, h)
	}
}

// TestChainSidePrune: side-chain bodies kept on disk are bounded by depth below the tip and
// by count (the lowest go first), so a long low-work branch costs bounded disk.
func TestChainSidePrune(t *testing.T) {
	m := newCCMiner(t)
	main := m.branch(m.genesis, 12, 'a')
	var side []*block.Block
	for i := range 8 { // one sibling at each of heights 2..9
		side = append(side, m.mine(main[i], byte('b'+i), 0, 0))
	}
	n := m.node(nil)
	n.processAll(main, chain.MainChain)
	n.processAll(side, chain.SideChain)
	stored := func() map[mvs.Hash]bool {
		t.Helper()
		list, err := n.st.SideBlocks()
		if err != nil {
			t.Fatal(err)
		}
		out := map[mvs.Hash]bool{}
		for _, s := range list {
			out[s.Hash] = true
		}
		return out
	}
	if got := stored(); len(got) != 8 {
		t.Fatalf("%d side bodies stored, want 8", len(got))
	}
	for _, tc := range []struct {
		name  string
		depth uint32
		max   int
		keep  []*block.Block
	}{
		{"by depth: heights above tip-5 stay", 5, 100, side[5:]},
		{"by count: the two highest stay", 100, 2, side[6:]},
	} {
		c, err := chain.New(chain.Config{Params: m.p, Store: n.st, State: chain.NewStoreState(n.st, m.p), Seal: m.v, Now: ccClock,
			SideKeepDepth: tc.depth, MaxStoredSide: tc.max})
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
		got := stored()
		if len(got) != len(tc.keep) {
			t.Fatalf("%s: %d bodies kept, want %d", tc.name, len(got), len(tc.keep))
		}
		for _, b := range tc.keep {
			if !got[b.Hash()] {
				t.Fatalf("%s: the body at height %d was dropped", tc.name, b.Header.Height)
			}
		}
	}
}

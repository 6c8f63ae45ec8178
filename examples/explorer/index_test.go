package main

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/rpcclient"
)

func holderMap(x *Index, sym string) map[string]uint64 {
	m := map[string]uint64{}
	for _, h := range x.Holders(sym) {
		m[h.Address] = h.Quantity
	}
	return m
}

// TestIndexHolders: issue, transfer with change, and a reorganization that undoes the
// transfer; then a follower that catches up onto the other branch.
func TestIndexHolders(t *testing.T) {
	fx := newFixture(t)
	idx := NewIndex()
	f := &Follower{Node: fx.node, Index: idx}
	if err := f.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := holderMap(idx, "FOO"); len(got) != 1 || got[addrA] != 10000 {
		// The issue of 10,000,000 went to addrA; the lock tx spent it and made 10,000.
		t.Fatalf("holders %v", got)
	}
	// A block spending the locked output to addrB (9,000) and back to addrA (1,000).
	b5 := &rpcclient.Block{BlockHeader: rpcclient.BlockHeader{Hash: mvs.Hash{5, 5}, PreviousBlockHash: fx.node.blocks[4].Hash, Number: 5},
		Transactions: []rpcclient.Tx{{Hash: mvs.Hash{5, 1}, Inputs: []rpcclient.TxInput{{PreviousOutput: rpcclient.OutPoint{Hash: fx.lock}}},
			Outputs: []rpcclient.TxOutput{
				{Address: addrB, Attachment: rpcclient.Attachment{Type: "asset-transfer", Symbol: "FOO", Quantity: u64(9000)}, Index: 0},
				{Address: addrA, Attachment: rpcclient.Attachment{Type: "asset-transfer", Symbol: "FOO", Quantity: u64(1000)}, Index: 1},
			}}}}
	if err := idx.Apply(b5); err != nil {
		t.Fatal(err)
	}
	if got := holderMap(idx, "FOO"); got[addrA] != 1000 || got[addrB] != 9000 || len(got) != 2 {
		t.Fatalf("after transfer: %v", got)
	}
	if h := idx.Holders("FOO"); h[0].Address != addrB {
		t.Errorf("largest first: %v", h)
	}
	// Not the next block: refused.
	if err := idx.Apply(b5); !errors.Is(err, ErrNotNext) {
		t.Errorf("applying twice: %v", err)
	}
	other := *b5
	other.Number, other.PreviousBlockHash = 6, mvs.Hash{9}
	if err := idx.Apply(&other); !errors.Is(err, ErrNotNext) {
		t.Errorf("wrong parent: %v", err)
	}
	// The node's chain is back at 4 blocks: the follower reverts block 5.
	if err := f.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := holderMap(idx, "FOO"); len(got) != 1 || got[addrA] != 10000 {
		t.Fatalf("after reorganization: %v", got)
	}
	if idx.Next() != 5 {
		t.Errorf("next %d", idx.Next())
	}
	// A competing block 4 on the node: the follower replaces ours.
	alt := *fx.node.blocks[4]
	alt.Hash = mvs.Hash{4, 4, 4}
	fx.node.blocks[4] = &alt
	if err := f.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	if l := idx.Latest(1); l[0].Hash != alt.Hash {
		t.Errorf("tip %s, want %s", l[0].Hash, alt.Hash)
	}
	// A longer branch from block 2: blocks 3 and 4 replaced, 5 added. Block 3 held the
	// attenuation lock, so the holders go back to the issue.
	b3 := &rpcclient.Block{BlockHeader: rpcclient.BlockHeader{Hash: mvs.Hash{3, 3, 3}, PreviousBlockHash: fx.node.blocks[2].Hash, Number: 3}}
	b4 := &rpcclient.Block{BlockHeader: rpcclient.BlockHeader{Hash: mvs.Hash{4, 4, 5}, PreviousBlockHash: b3.Hash, Number: 4}}
	fx.node.blocks = fx.node.blocks[:3]
	fx.node.blocks = append(fx.node.blocks, b3, b4)
	tip5 := fx.node.mine()
	if err := f.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	if l := idx.Latest(3); l[0].Hash != tip5.Hash || l[1].Hash != b4.Hash || l[2].Hash != b3.Hash {
		t.Errorf("after the longer branch: %v", l)
	}
	if got := holderMap(idx, "FOO"); len(got) != 1 || got[addrA] != 10000000 {
		t.Errorf("holders after the longer branch: %v", got)
	}
}

func TestIndexRevertTooDeep(t *testing.T) {
	idx := NewIndex()
	if err := idx.Revert(); !errors.Is(err, ErrReorgTooDeep) {
		t.Fatalf("%v", err)
	}
}

// TestIndexKeepsBoundedStats: the figures of old blocks are dropped, the height is kept.
func TestIndexKeepsBoundedStats(t *testing.T) {
	idx := NewIndex()
	var prev mvs.Hash
	n := 2*keepStats + 10
	for i := 0; i < n; i++ {
		h := mvs.Hash{byte(i), byte(i >> 8), 1}
		if err := idx.Apply(&rpcclient.Block{BlockHeader: rpcclient.BlockHeader{Hash: h, PreviousBlockHash: prev, Number: rpcclient.Uint64(i)}}); err != nil {
			t.Fatal(err)
		}
		prev = h
	}
	if idx.Next() != uint64(n) || len(idx.blocks) > 2*keepStats || len(idx.undos) > maxUndo {
		t.Fatalf("next %d, %d stats, %d undos", idx.Next(), len(idx.blocks), len(idx.undos))
	}
	if r := idx.Range(10); r[9].Height != uint64(n-1) {
		t.Errorf("range ends at %d", r[9].Height)
	}
}

func TestReleaseSchedule(t *testing.T) {
	tests := []struct {
		name   string
		param  string
		amount uint64
		want   []release
	}{
		// Fixed quantity: 9000 of 10000 locked over 6 blocks in 3 periods of 2 blocks.
		{"fixed quantity", "PN=0;LH=2;TYPE=1;LQ=9000;LP=6;UN=3", 10000, []release{{0, 1000}, {2, 3000}, {4, 3000}, {6, 3000}}},
		// Custom: periods of 1, 3 and 5 blocks releasing 100, 200 and 700.
		{"custom", "PN=0;LH=1;TYPE=2;LQ=1000;LP=9;UN=3;UC=1,3,5;UQ=100,200,700", 1000, []release{{1, 100}, {4, 200}, {9, 700}}},
		{"no model", "TYPE=0", 50, []release{{0, 50}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _, more := releaseSchedule(tc.amount, []byte(tc.param))
			if more || len(got) != len(tc.want) {
				t.Fatalf("got %v (more %v), want %v", got, more, tc.want)
			}
			var sum uint64
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("step %d: %v, want %v", i, got[i], tc.want[i])
				}
				sum += got[i].qty
			}
			if sum != tc.amount {
				t.Errorf("releases add up to %d, not %d", sum, tc.amount)
			}
		})
	}
}

// TestReleaseScheduleLong: a model of more steps than a page shows stops with its end.
func TestReleaseScheduleLong(t *testing.T) {
	got, end, more := releaseSchedule(1000, []byte("PN=0;LH=1;TYPE=1;LQ=1000;LP=1000;UN=1000"))
	if !more || len(got) != maxScheduleRows || end != 1000 {
		t.Fatalf("%d rows, end %d, more %v", len(got), end, more)
	}
}

// TestFollowerPolls: without a push subscription the follower polls the node and picks
// up new blocks.
func TestFollowerPolls(t *testing.T) {
	fx := newFixture(t)
	idx := NewIndex()
	f := &Follower{Node: fx.node, Index: idx, Poll: time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Run: %v", err)
		}
	}()
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.After(30 * time.Second)
		for !cond() {
			select {
			case <-deadline:
				t.Fatalf("waiting for %s", what)
			case <-time.After(time.Millisecond):
			}
		}
	}
	waitFor("the fixture's 5 blocks", func() bool { return idx.Next() == 5 })
	b := fx.node.mine()
	waitFor("a mined block", func() bool { l := idx.Latest(1); return len(l) == 1 && l[0].Hash == b.Hash })
}

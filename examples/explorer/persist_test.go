package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math/big"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/rpcclient"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// genChain is a deterministic chain of n blocks (fork picks a branch: blocks from
// forkAt on differ between forks) in which assets are issued, moved between a few
// addresses with change, and spent: enough traffic for the holders, issues and undo data
// to matter.
func genChain(n, forkAt int, fork byte) []*rpcclient.Block {
	rng := rand.New(rand.NewPCG(7, 11))
	addrs := []string{addrA, addrB, "MFakeAddressC", "MFakeAddressD"}
	type utxo struct {
		k outKey
		h holding
	}
	var live []utxo
	var prev mvs.Hash
	bits, _ := rpcclient.NewUint256String(big.NewInt(1000))
	blocks := make([]*rpcclient.Block, 0, n)
	for i := range n {
		br := byte(0)
		if i >= forkAt {
			br = fork
		}
		hash := func(tag byte, j int) mvs.Hash {
			var h mvs.Hash
			binary.BigEndian.PutUint64(h[:], uint64(i))
			h[8], h[9], h[10] = tag, byte(j), br
			return h
		}
		b := &rpcclient.Block{BlockHeader: rpcclient.BlockHeader{Hash: hash(1, 0), PreviousBlockHash: prev, Number: rpcclient.Uint64(i),
			Timestamp: rpcclient.Uint64(1700000000 + 3*i), Bits: bits}}
		b.Transactions = append(b.Transactions, rpcclient.Tx{Hash: hash(2, 0)})
		r := rng.IntN(10) // drawn on every branch, so that the branches stay aligned
		if i >= forkAt && fork != 0 {
			r = (r + int(fork)) % 10
		}
		switch {
		case r == 0 || len(live) == 0: // an issue
			sym := fmt.Sprintf("SYM%d", rng.IntN(5))
			q := uint64(1000 + rng.IntN(1000))
			t := rpcclient.Tx{Hash: hash(3, 0), Outputs: []rpcclient.TxOutput{{Index: 0, Address: addrs[rng.IntN(len(addrs))],
				Attachment: rpcclient.Attachment{Type: rpcclient.AttachmentAssetIssue, Symbol: sym, Quantity: u64(q)}}}}
			b.Transactions = append(b.Transactions, t)
			live = append(live, utxo{outKey{t.Hash, 0}, holding{sym, t.Outputs[0].Address, q}})
		case r < 8: // a transfer with change
			j := rng.IntN(len(live))
			u := live[j]
			live = append(live[:j], live[j+1:]...)
			pay := u.h.qty / 2
			t := rpcclient.Tx{Hash: hash(4, 0), Inputs: []rpcclient.TxInput{{PreviousOutput: rpcclient.OutPoint{Hash: u.k.hash, Index: rpcclient.Uint64(u.k.index)}}}}
			to := addrs[rng.IntN(len(addrs))]
			for k, o := range []holding{{u.h.symbol, to, pay}, {u.h.symbol, u.h.address, u.h.qty - pay}} {
				if o.qty == 0 {
					continue
				}
				t.Outputs = append(t.Outputs, rpcclient.TxOutput{Index: rpcclient.Uint64(k), Address: o.address,
					Attachment: rpcclient.Attachment{Type: rpcclient.AttachmentAssetTransfer, Symbol: o.symbol, Quantity: u64(o.qty)}})
				live = append(live, utxo{outKey{t.Hash, uint32(k)}, o})
			}
			b.Transactions = append(b.Transactions, t)
			if rng.IntN(4) == 0 { // the payment paid on in the same block
				j := len(live) - len(t.Outputs)
				u := live[j]
				live = append(live[:j], live[j+1:]...)
				o := holding{u.h.symbol, addrs[rng.IntN(len(addrs))], u.h.qty}
				t2 := rpcclient.Tx{Hash: hash(6, 0), Inputs: []rpcclient.TxInput{{PreviousOutput: rpcclient.OutPoint{Hash: u.k.hash, Index: rpcclient.Uint64(u.k.index)}}},
					Outputs: []rpcclient.TxOutput{{Index: 0, Address: o.address, Attachment: rpcclient.Attachment{Type: rpcclient.AttachmentAssetTransfer, Symbol: o.symbol, Quantity: u64(o.qty)}}}}
				b.Transactions = append(b.Transactions, t2)
				live = append(live, utxo{outKey{t2.Hash, 0}, o})
			}
		default: // a burn: spent, nothing made
			j := rng.IntN(len(live))
			u := live[j]
			live = append(live[:j], live[j+1:]...)
			b.Transactions = append(b.Transactions, rpcclient.Tx{Hash: hash(5, 0),
				Inputs: []rpcclient.TxInput{{PreviousOutput: rpcclient.OutPoint{Hash: u.k.hash, Index: rpcclient.Uint64(u.k.index)}}}})
		}
		prev = b.Hash
		blocks = append(blocks, b)
	}
	return blocks
}

// indexState is what an index answers, to compare two indexes.
type indexState struct {
	Next    uint64
	Stats   []BlockStat
	Undos   int
	Outs    map[outKey]holding
	Holders map[string]map[string]uint64
	Issued  map[string]Issued
	Genesis mvs.Hash
}

func stateOf(x *Index) indexState {
	x.mu.RLock()
	defer x.mu.RUnlock()
	s := indexState{Next: x.base + uint64(len(x.blocks)), Undos: len(x.undos), Outs: maps.Clone(x.outs), Issued: maps.Clone(x.issued),
		Holders: map[string]map[string]uint64{}, Genesis: x.genesis}
	lo := max(0, len(x.blocks)-keepStats)
	s.Stats = append([]BlockStat(nil), x.blocks[lo:]...)
	for sym, m := range x.holders {
		if len(m) > 0 {
			s.Holders[sym] = maps.Clone(m)
		}
	}
	return s
}

// reference is the index built in memory, without a file, from blocks.
func reference(t testing.TB, blocks []*rpcclient.Block) indexState {
	t.Helper()
	x := NewIndex()
	for _, b := range blocks {
		if err := x.Apply(b); err != nil {
			t.Fatal(err)
		}
	}
	return stateOf(x)
}

func sameState(t *testing.T, what string, got, want indexState) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: the index differs from one built in memory:\nnext %d/%d, undos %d/%d, %d/%d stats, %d/%d outs, issued %v / %v",
			what, got.Next, want.Next, got.Undos, want.Undos, len(got.Stats), len(want.Stats), len(got.Outs), len(want.Outs), got.Issued, want.Issued)
	}
}

func openIndex(t testing.TB, dir string) *Index {
	t.Helper()
	x, err := OpenIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// TestIndexPersists: an index caught up, closed and reopened equals one built in memory;
// a reorganization made while the explorer was down (within the undo depth) is undone
// from the file's undo data; one deeper than it rebuilds from genesis, and says so.
func TestIndexPersists(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	const n = maxUndo + 300
	chainA := genChain(n, n, 0)
	node := &fakeNode{blocks: chainA}
	x := openIndex(t, dir)
	if err := (&Follower{Node: node, Index: x}).CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	x = openIndex(t, dir)
	sameState(t, "reopened", stateOf(x), reference(t, chainA))
	if _, _, synced, _ := x.Progress(); synced {
		t.Error("a reopened index says it is synced before it has asked the node")
	}

	tests := []struct {
		name   string
		forkAt int
		len    int
		fork   byte
		reset  bool
		cut    int // blocks cut off the branch's end
	}{
		{"shallow reorganization, longer branch", n - 5, n + 3, 1, false, 0},
		{"reorganization at the undo depth", n + 3 - maxUndo, n + 10, 2, false, 0},
		{"deeper than the undo data", 20, n + 10, 3, true, 0},
		{"back to a shorter chain", 20, n + 10, 3, false, 7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x.Close()
			x = openIndex(t, dir)
			chain := genChain(tc.len, tc.forkAt, tc.fork)
			chain = chain[:len(chain)-tc.cut]
			node.mu.Lock()
			node.blocks = chain
			node.mu.Unlock()
			var logs strings.Builder
			f := &Follower{Node: node, Index: x, Logger: newTextLogger(&logs)}
			if err := f.CatchUp(ctx); err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(logs.String(), "rebuilding the index from genesis"); got != tc.reset {
				t.Errorf("rebuilt %v, want %v: %s", got, tc.reset, logs.String())
			}
			want := reference(t, chain)
			// Reverted blocks' undo data is gone: a built-from-scratch index has more.
			want.Undos -= tc.cut
			sameState(t, "followed", stateOf(x), want)
			x.Close()
			x = openIndex(t, dir)
			sameState(t, "reopened", stateOf(x), want)
		})
	}
	x.Close()
}

// TestIndexFileRefused: a file the explorer did not write, or in use, or of another
// chain, is refused with an error naming the problem; nothing is overwritten.
func TestIndexFileRefused(t *testing.T) {
	write := func(t *testing.T, dir string, f func(*bolt.Tx) error) {
		db, err := bolt.Open(filepath.Join(dir, "index.db"), 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.Update(f); err != nil {
			t.Fatal(err)
		}
	}
	built := func(t *testing.T) string {
		dir := t.TempDir()
		x := openIndex(t, dir)
		if err := (&Follower{Node: &fakeNode{blocks: genChain(50, 50, 0)}, Index: x}).CatchUp(context.Background()); err != nil {
			t.Fatal(err)
		}
		x.Close()
		return dir
	}
	tests := []struct {
		name string
		edit func(*bolt.Tx) error
		want error
	}{
		{"another format", func(t *bolt.Tx) error { return t.Bucket(bMeta).Put(kFormat, u64b(99)) }, ErrIndexFormat},
		{"not an index", func(t *bolt.Tx) error {
			if err := t.DeleteBucket(bMeta); err != nil {
				return err
			}
			return nil
		}, ErrIndexFormat},
		{"tip not the newest block", func(t *bolt.Tx) error { return t.Bucket(bMeta).Put(kTip, append(u64b(49), make([]byte, 32)...)) }, ErrIndexCorrupt},
		{"tip missing", func(t *bolt.Tx) error { return t.Bucket(bMeta).Delete(kTip) }, ErrIndexCorrupt},
		{"bad output record", func(t *bolt.Tx) error {
			return t.Bucket(bOuts).Put(keyBytes(outKey{index: 1}), []byte{1, 2})
		}, ErrIndexCorrupt},
		{"bad undo record", func(t *bolt.Tx) error { return t.Bucket(bUndo).Put(u64b(49), []byte{0, 0, 0, 9}) }, ErrIndexCorrupt},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := built(t)
			write(t, dir, tc.edit)
			if x, err := OpenIndex(dir); !errors.Is(err, tc.want) {
				if x != nil {
					x.Close()
				}
				t.Fatalf("OpenIndex: %v, want %v", err, tc.want)
			}
		})
	}
	t.Run("in use", func(t *testing.T) {
		dir := built(t)
		x := openIndex(t, dir)
		defer x.Close()
		if _, err := OpenIndex(dir); !errors.Is(err, berrors.ErrTimeout) {
			t.Fatalf("a second OpenIndex: %v", err)
		}
	})
	t.Run("another chain", func(t *testing.T) {
		dir := built(t)
		x := openIndex(t, dir)
		defer x.Close()
		other := genChain(60, 0, 9) // every block differs, block 0 included
		before := stateOf(x)
		err := (&Follower{Node: &fakeNode{blocks: other}, Index: x}).CatchUp(context.Background())
		if !errors.Is(err, ErrOtherChain) {
			t.Fatalf("CatchUp: %v", err)
		}
		sameState(t, "after the refusal", stateOf(x), before)
	})
	t.Run("node swapped for another chain's", func(t *testing.T) {
		dir := built(t)
		x := openIndex(t, dir)
		defer x.Close()
		node := &fakeNode{blocks: genChain(50, 50, 0)}
		f := &Follower{Node: node, Index: x}
		if err := f.CatchUp(context.Background()); err != nil {
			t.Fatal(err)
		}
		before := stateOf(x)
		node.mu.Lock()
		node.blocks = genChain(60, 0, 9) // what looks like a reorganization of every block
		node.mu.Unlock()
		if err := f.CatchUp(context.Background()); !errors.Is(err, ErrOtherChain) {
			t.Fatalf("CatchUp: %v", err)
		}
		sameState(t, "after the refusal", stateOf(x), before)
		x.Close()
		y := openIndex(t, dir)
		defer y.Close()
		sameState(t, "reopened", stateOf(y), before)
	})
}

// TestApplyRefusesOversizedOutput: a node answer no valid block has (a symbol longer
// than the file's records hold) is refused and leaves the index as it was.
func TestApplyRefusesOversizedOutput(t *testing.T) {
	x := NewIndex()
	b := genChain(1, 1, 0)[0]
	b.Transactions = append(b.Transactions, rpcclient.Tx{Outputs: []rpcclient.TxOutput{{Address: addrA,
		Attachment: rpcclient.Attachment{Type: rpcclient.AttachmentAssetTransfer, Symbol: strings.Repeat("A", 300), Quantity: u64(1)}}}})
	if err := x.Apply(b); !errors.Is(err, ErrBadBlock) {
		t.Fatalf("Apply: %v", err)
	}
	if x.Next() != 0 || len(x.Holders(strings.Repeat("A", 300))) != 0 {
		t.Fatal("the refused block changed the index")
	}
}

// crashChild is the env var that makes the test binary the crash test's indexer.
const crashChild = "EXPLORER_CRASH_CHILD"

// crashBlocks is the crash test's chain length: several commits' worth.
const crashBlocks = 40 * commitEvery

// crashReport is how often the child says which block it is fetching.
const crashReport = 256

// slowReporter is the child's node: it says on stdout each time it is asked for a block
// at a multiple of crashReport, so that the parent kills it while it is indexing.
type slowReporter struct{ *fakeNode }

func (s slowReporter) GetBlock(ctx context.Context, id rpcclient.BlockID) (*rpcclient.Block, error) {
	if h, err := strconv.ParseUint(id.String(), 10, 64); err == nil && h%crashReport == 0 {
		fmt.Printf("fetching %d\n", h)
	}
	return s.fakeNode.GetBlock(ctx, id)
}

// crashChildMain indexes the crash test's chain into $EXPLORER_CRASH_DIR.
func crashChildMain() int {
	x, err := OpenIndex(os.Getenv("EXPLORER_CRASH_DIR"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("opened at %d\n", x.Next())
	f := &Follower{Node: slowReporter{&fakeNode{blocks: genChain(crashBlocks, crashBlocks, 0)}}, Index: x}
	if err := f.CatchUp(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("done")
	return 0
}

// TestIndexKilledWhileIndexing: the indexer is killed with SIGKILL at random points of a
// catch-up; after each kill the file opens and equals the in-memory index of the chain up
// to the height it holds (a commit is all or nothing); the file never goes back; and after
// the last restart the index equals one built without a crash.
func TestIndexKilledWhileIndexing(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes a chain in child processes")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	chain := genChain(crashBlocks, crashBlocks, 0)
	rng := rand.New(rand.NewPCG(rand.Uint64(), 5))
	var last uint64
	for kill := range 5 {
		cmd := exec.Command(exe, "-test.run", "^$")
		cmd.Env = append(os.Environ(), crashChild+"=1", "EXPLORER_CRASH_DIR="+dir)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill after the k-th "fetching" line: mid catch-up, at a point of the commit
		// cycle that varies.
		left := int(crashBlocks-last) / crashReport
		if left < 3 {
			break
		}
		k := 1 + rng.IntN(left-2)
		sc := bufio.NewScanner(out)
		seen := 0
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "fetching") {
				if seen++; seen == k {
					break
				}
			}
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		x, err := OpenIndex(dir)
		if err != nil {
			t.Fatalf("kill %d: reopening: %v", kill, err)
		}
		got := stateOf(x)
		x.Close()
		if got.Next < last {
			t.Fatalf("kill %d: the index went back from %d to %d", kill, last, got.Next)
		}
		sameState(t, fmt.Sprintf("kill %d at %d", kill, got.Next), got, reference(t, chain[:got.Next]))
		t.Logf("kill %d after %d reports left the index at %d", kill, k, got.Next)
		last = got.Next
	}
	x := openIndex(t, dir)
	defer x.Close()
	if err := (&Follower{Node: &fakeNode{blocks: chain}, Index: x}).CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	sameState(t, "after the restarts", stateOf(x), reference(t, chain))
	// The file is bounded as the memory is: figures and undo data of the newest blocks only.
	err = x.db.View(func(tx *bolt.Tx) error {
		if n := tx.Bucket(bStats).Stats().KeyN; n > 2*keepStats {
			t.Errorf("%d blocks' figures in the file", n)
		}
		if n := tx.Bucket(bUndo).Stats().KeyN; n != maxUndo {
			t.Errorf("%d blocks' undo data in the file, want %d", n, maxUndo)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestMain(m *testing.M) {
	if os.Getenv(crashChild) == "1" {
		os.Exit(crashChildMain())
	}
	os.Exit(m.Run())
}

func newTextLogger(w *strings.Builder) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }

// rawNode answers GetRawBlock with fixed bytes.
type rawNode struct {
	*fakeNode
	raw []byte
}

func (r rawNode) GetRawBlock(ctx context.Context, id rpcclient.BlockID) ([]byte, error) {
	return r.raw, nil
}

// TestRawCatchUpRefuses: serialized blocks that do not decode, or are not the block asked
// for, are refused (ErrBadBlock), the index unchanged.
func TestRawCatchUpRefuses(t *testing.T) {
	g, err := block.Genesis(regtest)
	if err != nil {
		t.Fatal(err)
	}
	genesis, err := g.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	node := &fakeNode{blocks: genChain(3, 3, 0)}
	for _, tc := range []struct {
		name string
		raw  []byte
	}{
		{"garbage", []byte{1, 2, 3}},
		{"truncated", genesis[:len(genesis)-1]},
		{"block 0 for block 1", genesis},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := NewIndex()
			if err := x.Apply(node.blocks[0]); err != nil {
				t.Fatal(err)
			}
			err := (&Follower{Node: rawNode{node, tc.raw}, Index: x, Params: regtest}).CatchUp(context.Background())
			if !errors.Is(err, ErrBadBlock) {
				t.Fatalf("CatchUp: %v", err)
			}
			if x.Next() != 1 {
				t.Errorf("next %d", x.Next())
			}
		})
	}
}

// An index kept in a file resumes where it stopped: the program opens it in --data-dir,
// follows the node, and closes it on exit.
func ExampleOpenIndex() {
	dir, err := os.MkdirTemp("", "explorer-example-")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	node := &fakeNode{blocks: genChain(100, 100, 0)} // a node's chain; the program passes an *rpcclient.Client
	x, err := OpenIndex(dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	// CatchUp applies the node's blocks and commits them to the file.
	if err := (&Follower{Node: node, Index: x}).CatchUp(context.Background()); err != nil {
		fmt.Println(err)
	}
	x.Close()

	x, err = OpenIndex(dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer x.Close()
	fmt.Println("resumes at block", x.Next())
	// Output: resumes at block 100
}

// TestSpentInItsOwnBlock: an output made and spent in the same block (one transaction
// paying the next) is gone after the block, in memory and in the file, and stays gone
// when the block is reverted.
func TestSpentInItsOwnBlock(t *testing.T) {
	base := genChain(1, 1, 0)
	issue := rpcclient.Tx{Hash: mvs.Hash{0xa1}, Outputs: []rpcclient.TxOutput{{Index: 0, Address: addrA,
		Attachment: rpcclient.Attachment{Type: rpcclient.AttachmentAssetIssue, Symbol: "SAME", Quantity: u64(100)}}}}
	pay := rpcclient.Tx{Hash: mvs.Hash{0xa2}, Inputs: []rpcclient.TxInput{{PreviousOutput: rpcclient.OutPoint{Hash: issue.Hash}}},
		Outputs: []rpcclient.TxOutput{{Index: 0, Address: addrB, Attachment: rpcclient.Attachment{Type: rpcclient.AttachmentAssetTransfer, Symbol: "SAME", Quantity: u64(100)}}}}
	b1 := &rpcclient.Block{BlockHeader: rpcclient.BlockHeader{Hash: mvs.Hash{0xb1}, PreviousBlockHash: base[0].Hash, Number: 1, Bits: base[0].Bits},
		Transactions: []rpcclient.Tx{{Hash: mvs.Hash{0xc1}}, issue, pay}}
	dir := t.TempDir()
	x := openIndex(t, dir)
	defer func() { x.Close() }()
	for _, b := range []*rpcclient.Block{base[0], b1} {
		if err := x.Apply(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.Commit(); err != nil {
		t.Fatal(err)
	}
	want := reference(t, []*rpcclient.Block{base[0], b1})
	if _, ok := want.Outs[outKey{issue.Hash, 0}]; ok || len(want.Holders["SAME"]) != 1 || want.Holders["SAME"][addrB] != 100 {
		t.Fatalf("reference: %v", want.Holders)
	}
	sameState(t, "applied", stateOf(x), want)
	x.Close()
	x = openIndex(t, dir)
	sameState(t, "applied, reopened", stateOf(x), want)
	if err := x.Revert(); err != nil {
		t.Fatal(err)
	}
	if err := x.Commit(); err != nil {
		t.Fatal(err)
	}
	want = reference(t, base)
	sameState(t, "reverted", stateOf(x), want)
	x.Close()
	x = openIndex(t, dir)
	sameState(t, "reverted, reopened", stateOf(x), want)
}

package regtest_test

import (
	"errors"
	"math"
	"runtime"
	"slices"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/chain/regtest"
	"github.com/mvsgo/mvs/ethash"
	"github.com/mvsgo/mvs/wallet"
)

// heapBound is the growth of the live heap a hostile stream may cause: generous (the
// caps are tens of MiB by default), yet far below what holding every block would take
// once the stream is long enough.
const heapBound = 96 << 20

// liveHeap is the live heap after a collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestAcceptMutatedMerkle: a block repeating its last transaction keeps the merkle root
// and the hash of the valid block (CVE-2012-2459). It is refused without the hash being
// remembered invalid or the store changing, and the valid block is then accepted.
func TestAcceptMutatedMerkle(t *testing.T) {
	net := regtest.New(t)
	net.Mine(4)
	b1, b2 := net.Builder(), net.Builder()
	b1.Coins = []wallet.Coin{etpCoin(t, net, net.Address(0), 0)}
	b2.Coins = []wallet.Coin{etpCoin(t, net, net.Address(0), 1)}
	s1 := net.Build(b1.Send(wallet.Payment{To: net.Address(1), Amount: mvs.SatoshiPerETP}))
	s2 := net.Build(b2.Send(wallet.Payment{To: net.Address(2), Amount: mvs.SatoshiPerETP}))
	good := twinBlock(t, net, nil, s1, s2)
	if len(good.Transactions) != 3 {
		t.Fatalf("%d transactions, want 3 (an odd count, which the mutation needs)", len(good.Transactions))
	}
	mutated := *good
	mutated.Transactions = append(slices.Clone(good.Transactions), good.Transactions[2])
	if mutated.Hash() != good.Hash() || block.MerkleRoot(mutated.TxHashes()) != good.Header.MerkleRoot {
		t.Fatal("the mutation should keep the hash and the merkle root")
	}
	tip, digest := net.Tip().Hash(), net.Digest()
	for range 2 { // twice: the first refusal must not be remembered as the hash's
		res, err := net.Process(&mutated)
		if res.Verdict != chain.Invalid || !errors.Is(err, chain.ErrBlockSanity) || !errors.Is(err, block.ErrDuplicateTx) {
			t.Fatalf("mutated block: %v %v", res.Verdict, err)
		}
		if net.Tip().Hash() != tip || net.Digest() != digest {
			t.Fatal("the mutated block changed the chain")
		}
	}
	if res, err := net.Process(good); err != nil || res.Verdict != chain.MainChain {
		t.Fatalf("the valid block after its mutation: %v %v", res.Verdict, err)
	}
}

// TestAcceptFutureTimestamps: blocks stamped past the clock's window, up to the largest
// timestamp a header holds, are refused without their header being stored (the digest is
// unchanged), and are not remembered: one passed again is judged again.
func TestAcceptFutureTimestamps(t *testing.T) {
	net := regtest.New(t)
	net.Mine(2)
	v := ethash.New(ethash.Config{Sizes: ethash.SmallSizes})
	t.Cleanup(func() { v.Close() })
	tip, digest := net.Tip().Hash(), net.Digest()
	prev := net.Tip().Header
	pprev := net.BlockAt(prev.Height - 1).Header
	for _, ts := range []uint32{acceptClock + 2*60*60 + 1, acceptClock + 86400*365, math.MaxUint32} {
		blk := twinBlock(t, net, nil)
		blk.Header.Timestamp = ts
		blk.Header.Bits = block.NextDifficulty(block.VersionPoW, blk.Header.Height, ts, &prev, &pprev, net.Params())
		reseal(t, v, blk, false)
		for range 2 {
			res, err := net.Process(blk)
			if res.Verdict != chain.Invalid || !errors.Is(err, chain.ErrFutureTimestamp) {
				t.Fatalf("timestamp %d: %v %v", ts, res.Verdict, err)
			}
		}
		if net.Tip().Hash() != tip || net.Digest() != digest {
			t.Fatalf("timestamp %d changed the chain", ts)
		}
	}
}

// TestAcceptLongLowWorkSideChain: a side chain from the genesis one block shorter than the
// main chain (so with less work) is held as side chain block after block: the tip stays,
// the in-memory bodies stay within MaxSideBlocks, and the heap within heapBound.
func TestAcceptLongLowWorkSideChain(t *testing.T) {
	const length = 400
	net := regtest.New(t, regtest.WithChainConfig(func(c *chain.Config) { c.MaxSideBlocks = 32 }))
	net.Mine(length + 1)
	tip := net.Tip().Hash()
	before := liveHeap()
	br := net.Fork(0)
	_, res := br.Mine(length)
	if res.Verdict != chain.SideChain || net.Tip().Hash() != tip {
		t.Fatalf("a lighter side chain: %v", res.Verdict)
	}
	after := liveHeap()
	t.Logf("live heap %d -> %d bytes", before, after)
	if after > before && after-before > heapBound {
		t.Fatalf("a %d-block side chain grew the heap by %d bytes", length, after-before)
	}
	// One more block each: equal work keeps the main chain (first seen wins).
	if _, res, err := br.Submit(); err != nil || res.Verdict != chain.SideChain || net.Tip().Hash() != tip {
		t.Fatalf("equal work: %v %v", res.Verdict, err)
	}
	if err := net.Store().Check(); err != nil {
		t.Fatal(err)
	}
	// The store keeps every side-chain body on disk (it cannot tell a dead fork), so the
	// disk, unlike memory, grows with the branch: logged, for the operator's figures.
	st, err := net.Store().Stats()
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range st.Buckets {
		if b.Name == "side" {
			t.Logf("side bodies on disk: %d blocks, %d bytes", b.Keys, b.Bytes)
		}
	}
}

// TestAcceptOrphanFlood: a stream of blocks whose parents are unknown is held within
// MaxOrphans (oldest evicted) and the heap within heapBound; the store is untouched, and
// the chain still takes the blocks once they come in order.
func TestAcceptOrphanFlood(t *testing.T) {
	const flood, maxOrphans = 600, 64
	src := regtest.New(t)
	src.Mine(flood + 1)
	blks := make([]*block.Block, 0, flood)
	for h := uint32(2); h <= flood+1; h++ {
		blks = append(blks, src.BlockAt(h))
	}
	net := regtest.New(t, regtest.WithChainConfig(func(c *chain.Config) { c.MaxOrphans = maxOrphans }))
	digest := net.Digest()
	before := liveHeap()
	for i, b := range slices.Backward(blks) { // children first: every one an orphan
		res, err := net.Process(b)
		if err != nil || res.Verdict != chain.Orphan {
			t.Fatalf("block %d: %v %v", i, res.Verdict, err)
		}
		if n := net.Chain().Orphans(); n > maxOrphans {
			t.Fatalf("%d orphans held, cap %d", n, maxOrphans)
		}
	}
	after := liveHeap()
	t.Logf("live heap %d -> %d bytes", before, after)
	if after > before && after-before > heapBound {
		t.Fatalf("%d orphans grew the heap by %d bytes", flood, after-before)
	}
	if net.Digest() != digest || net.Height() != 0 {
		t.Fatal("orphans changed the store")
	}
	// In order, everything connects: the evicted ones are simply passed again.
	for h := uint32(1); h <= src.Height(); h++ {
		if _, err := net.Process(src.BlockAt(h)); err != nil {
			t.Fatal(err)
		}
	}
	if net.Tip().Hash() != src.Tip().Hash() || net.Digest() != src.Digest() {
		t.Fatal("after the flood, the in-order chain does not import as the source's")
	}
}

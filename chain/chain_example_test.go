package chain_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/ethash"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
)

// ExampleChain connects a block to a store and follows the main chain's events, as an
// exchange's deposit feed would.
func ExampleChain() {
	p := mvs.RegTest()
	dir, err := os.MkdirTemp("", "chain-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	st, err := store.Open(filepath.Join(dir, "chain.db"), store.Options{Params: p})
	if err != nil {
		panic(err)
	}
	defer st.Close()
	v := ethash.New(ethash.Config{Sizes: ethash.SmallSizes}) // ethash.Config{} on a real network
	defer v.Close()

	c, err := chain.New(chain.Config{Params: p, Store: st, Seal: v,
		State: chain.NewStoreState(st, p),
	})
	if err != nil {
		panic(err)
	}
	defer c.Close()
	sub := c.Subscribe(64)

	res, err := c.ProcessBlock(context.Background(), exampleBlock(p, v), nil)
	if err != nil {
		panic(err) // a *chain.RuleError when the block is invalid
	}
	fmt.Println(res.Verdict, res.Height)
	ev := <-sub.Events()
	fmt.Println(ev.Kind, ev.Height, ev.Hash == res.Hash)
	// A subscriber that falls behind is closed: for range sub.Events() { ... }, then
	// errors.Is(sub.Err(), chain.ErrSubscriberLagged) says to resync from the store.

	// Output:
	// main chain 1
	// connected 1 true
}

// exampleBlock mines a coinbase-only RegTest block on the genesis block.
func exampleBlock(p *mvs.Params, v *ethash.Verifier) *block.Block {
	g, err := block.Genesis(p)
	if err != nil {
		panic(err)
	}
	blk := &block.Block{Transactions: []tx.Tx{ccCoinbase(1, 0, block.Subsidy(1, block.VersionPoW, p))}}
	blk.Header = block.Header{Version: block.VersionPoW, PreviousBlockHash: g.Hash(), Timestamp: g.Header.Timestamp + 30,
		Height: 1, MerkleRoot: block.MerkleRoot(blk.TxHashes())}
	blk.Header.Bits = block.NextDifficulty(block.VersionPoW, 1, blk.Header.Timestamp, &g.Header, nil, p)
	seal, err := v.Search(context.Background(), 1, blk.Header.SealHash(), blk.Header.Bits.Big(), 0, 0, 1)
	if err != nil {
		panic(err)
	}
	blk.Header.Nonce, blk.Header.MixHash = seal.Nonce, seal.Mix
	return blk
}

package chain_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
)

// TestAcceptGenesisConnects: a store opened with each network's parameters holds its
// genesis block connected, and a Chain over it has the genesis as its tip; the genesis
// passed again is a duplicate, not a block to judge.
func TestAcceptGenesisConnects(t *testing.T) {
	for _, p := range []*mvs.Params{mvs.MainNet(), mvs.TestNet(), mvs.RegTest()} {
		t.Run(p.Name, func(t *testing.T) {
			st, err := store.Open(filepath.Join(t.TempDir(), "chain.db"), store.Options{Params: p, NoSync: true})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			// No seal is checked: the genesis is the store's own, and a mainnet-size
			// verifier is gigabytes.
			c, err := chain.New(chain.Config{Params: p, Store: st, State: chain.NewStoreState(st, p), NoSealCheck: true})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			h, height, err := c.Tip()
			if err != nil || h != p.GenesisHash || height != 0 {
				t.Fatalf("tip %s at %d (%v), want the genesis %s", h, height, err, p.GenesisHash)
			}
			g, err := block.Genesis(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := g.Check().Err(); err != nil {
				t.Fatalf("the genesis fails block.Check: %v", err)
			}
			if err := chain.CheckBlockRegistrations(g); err != nil {
				t.Fatal(err)
			}
			res, err := c.ProcessBlock(context.Background(), g, nil)
			if err != nil || res.Verdict != chain.Duplicate {
				t.Fatalf("the genesis again: %v %v", res.Verdict, err)
			}
			if err := st.Check(); err != nil {
				t.Fatal(err)
			}
			// Its outputs are unspent entries (MVS spends its genesis coins).
			for i := range g.Transactions[0].Outputs {
				if _, err := st.UTXO(tx.OutPoint{Hash: g.Transactions[0].Hash(), Index: uint32(i)}); err != nil {
					t.Fatalf("genesis output %d: %v", i, err)
				}
			}
		})
	}
}

// emptyView holds no outputs: the real blocks are checked without their history.
type emptyView struct{}

func (emptyView) UTXO(tx.OutPoint) (chain.UTXO, bool, error) { return chain.UTXO{}, false, nil }

// TestAcceptRealBlocks: the mainnet blocks in testdata pass every rule checkable without
// their history: block.Check, the in-block registrations, no unmatched coinbases, and for
// the PoW block (a coinbase alone) the coinbase's amount. A mainnet chain at its genesis
// holds them as orphans, bounded, never as judged.
func TestAcceptRealBlocks(t *testing.T) {
	var d struct {
		Blocks []struct {
			Name, Raw, Hash string
			Height          uint32
		}
	}
	b, err := os.ReadFile("testdata/block-real-blocks.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Blocks) == 0 {
		t.Fatal("no blocks in testdata")
	}
	p := mvs.MainNet()
	st, err := store.Open(filepath.Join(t.TempDir(), "chain.db"), store.Options{Params: p, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := chain.New(chain.Config{Params: p, Store: st, State: chain.NewStoreState(st, p), NoSealCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	digest, err := st.Digest()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range d.Blocks {
		t.Run(v.Name, func(t *testing.T) {
			raw, err := hex.DecodeString(v.Raw)
			if err != nil {
				t.Fatal(err)
			}
			blk, err := block.Decode(raw)
			if err != nil {
				t.Fatal(err)
			}
			if blk.Hash().String() != v.Hash || blk.Header.Height != v.Height {
				t.Fatalf("block %d %s, want %d %s", blk.Header.Height, blk.Hash(), v.Height, v.Hash)
			}
			if err := blk.Check().Err(); err != nil {
				t.Fatalf("block.Check: %v", err)
			}
			if err := chain.CheckBlockRegistrations(blk); err != nil {
				t.Fatal(err)
			}
			bc := chain.BlockContext{Params: p, Height: blk.Header.Height}
			if n := chain.ExtraCoinbases(blk, bc); n != 0 {
				t.Fatalf("%d unmatched coinbases", n)
			}
			if blk.Header.Version == block.VersionPoW {
				if len(blk.Transactions) != 1 {
					t.Fatalf("the PoW block holds %d transactions: its fees need history", len(blk.Transactions))
				}
				if err := chain.CheckBlockContext(blk, bc, emptyView{}, 0, chain.BlockLookups{}); err != nil {
					t.Fatalf("CheckBlockContext: %v", err)
				}
			}
			res, err := c.ProcessBlock(context.Background(), blk, raw)
			if err != nil || res.Verdict != chain.Orphan {
				t.Fatalf("on a chain at its genesis: %v %v, want orphan", res.Verdict, err)
			}
		})
	}
	if after, err := st.Digest(); err != nil || after != digest {
		t.Fatalf("orphans changed the store (%v)", err)
	}
}

package store_test

import (
	"sync"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
)

// TestViewDuringImport: snapshots taken while a batched import flushes are each
// consistent: the tip's block, main-chain entry and coinbase outputs are all there.
func TestViewDuringImport(t *testing.T) {
	p := mvs.RegTest()
	c := genChain(t, p, 120, 12)
	s, _ := openTemp(t, store.Options{Params: p, CacheBytes: 8 << 10})
	byHash := map[mvs.Hash]*store.BlockUpdate{}
	for _, u := range c.updates {
		byHash[u.Hash] = u
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-done:
				return
			default:
			}
			err := s.View(func(sn *store.Snapshot) error {
				hash, height, err := sn.Tip()
				if err != nil {
					return err
				}
				if at, err := sn.HashAt(height); err != nil || at != hash {
					t.Errorf("tip %v at %d, main chain has %v (%v)", hash, height, at, err)
				}
				if _, err := sn.HashAt(height + 1); err == nil {
					t.Errorf("main chain goes past the tip %d", height)
				}
				if u := byHash[hash]; u != nil {
					cb := u.Block.Transactions[0]
					if _, err := sn.UTXO(tx.OutPoint{Hash: cb.Hash()}); err != nil {
						// The coinbase output may have been spent by a later block, but
						// not in a snapshot whose tip is this block.
						t.Errorf("tip %d: coinbase output missing: %v", height, err)
					}
				}
				return nil
			})
			if err != nil {
				t.Error(err)
				return
			}
		}
	}()
	if err := s.BeginBatch(); err != nil {
		t.Fatal(err)
	}
	for _, u := range c.updates {
		if err := s.ConnectBlock(u); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	close(done)
	wg.Wait()
	mustCheck(t, s)
}

package store_test

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
)

// addrBenchTxs is how many transactions pay the benchmark address; it has one unspent
// output more (the last transaction's second).
const (
	addrBenchTxs     = 100_000
	addrBenchOutputs = addrBenchTxs + 1
)

// addrBenchStore is a store where addrBenchTxs transactions, 1,000 a block, pay one P2PKH
// address: each paying it two outputs and spending the previous one's
// second, among other addresses' coinbases.
func addrBenchStore(b *testing.B) (*store.Store, mvs.Address) {
	b.Helper()
	p := mvs.RegTest()
	s, _ := openTemp(b, store.Options{Params: p})
	key := mvs.Hash160([]byte("hot"))
	addr := mvs.NewPubKeyHashAddress(key, p)
	pay := p2pkh(key)
	etp := tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeETP}
	if err := s.BeginBatch(); err != nil {
		b.Fatal(err)
	}
	const perBlock = 1000
	var prev tx.OutPoint
	tip := p.GenesisHash
	for h := uint32(1); h <= addrBenchTxs/perBlock; h++ {
		cb := tx.Tx{Version: tx.VersionFirst, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Index: 0xffffffff},
			Script: binary.LittleEndian.AppendUint32([]byte{4}, h), Sequence: 0xffffffff}},
			Outputs: []tx.Output{{Value: 1e8, Script: p2pkh(mvs.Hash160([]byte{byte(h)})), Attachment: etp}}}
		txs := []tx.Tx{cb}
		for i := range perBlock {
			t := tx.Tx{Version: tx.VersionNova, Outputs: []tx.Output{{Value: 1000, Script: pay, Attachment: etp},
				{Value: mvs.Amount(i), Script: pay, Attachment: etp}}}
			in := prev
			if in == (tx.OutPoint{}) {
				in = tx.OutPoint{Hash: cb.Hash()}
			}
			t.Inputs = []tx.Input{{PreviousOutput: in, Sequence: 0xffffffff}}
			prev = tx.OutPoint{Hash: t.Hash(), Index: 1}
			txs = append(txs, t)
		}
		u := makeUpdate(tip, h, txs, nil)
		tip = u.Hash
		if err := s.ConnectBlock(u); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.Flush(); err != nil {
		b.Fatal(err)
	}
	return s, addr
}

// BenchmarkUnspent reads an address of 100,000 unspent outputs: all of them as a list
// (UnspentByAddress), summed in place (ForEachUnspent), and one page of 1,000.
func BenchmarkUnspent(b *testing.B) {
	s, addr := addrBenchStore(b)
	var total mvs.Amount
	b.Run("UnspentByAddress", func(b *testing.B) {
		for b.Loop() {
			err := s.View(func(sn *store.Snapshot) error {
				us, err := sn.UnspentByAddress(addr)
				if err == nil && len(us) != addrBenchOutputs {
					b.Fatalf("%d outputs", len(us))
				}
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ForEachUnspent", func(b *testing.B) {
		for b.Loop() {
			n := 0
			err := s.View(func(sn *store.Snapshot) error {
				_, err := sn.ForEachUnspent(addr, nil, math.MaxInt, func(u *store.UnspentView) error {
					total += u.Value
					n++
					return nil
				})
				return err
			})
			if err != nil || n != addrBenchOutputs {
				b.Fatal(n, err)
			}
		}
	})
	b.Run("UnspentPage1000", func(b *testing.B) {
		var mid store.Cursor
		err := s.View(func(sn *store.Snapshot) error {
			var err error
			_, mid, err = sn.UnspentPage(addr, nil, addrBenchTxs/2)
			return err
		})
		if err != nil || mid == nil {
			b.Fatal(err)
		}
		for b.Loop() {
			err := s.View(func(sn *store.Snapshot) error {
				page, _, err := sn.UnspentPage(addr, mid, 1000)
				if err == nil && len(page) != 1000 {
					b.Fatalf("%d outputs", len(page))
				}
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

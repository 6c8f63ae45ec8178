package store_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/store"
	bolt "go.etcd.io/bbolt"
)

// TestCheckFindsDamage damages a closed store's file directly and expects Check to name it.
func TestCheckFindsDamage(t *testing.T) {
	p := mvs.RegTest()
	c := genChain(t, p, 10, 11)
	tipKey := func(tx *bolt.Tx) []byte { return tx.Bucket([]byte("meta")).Get([]byte("tip"))[:32] }
	firstKey := func(tx *bolt.Tx, bucket string) []byte {
		k, _ := tx.Bucket([]byte(bucket)).Cursor().First()
		return append([]byte{}, k...)
	}
	for _, tc := range []struct {
		name   string
		damage func(*bolt.Tx) error
	}{
		{"undo-missing", func(tx *bolt.Tx) error { return tx.Bucket([]byte("undo")).Delete(tipKey(tx)) }},
		{"undo-garbage", func(tx *bolt.Tx) error { return tx.Bucket([]byte("undo")).Put(tipKey(tx), []byte{1}) }},
		{"main-gap", func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("main")).Delete(binary.BigEndian.AppendUint32(nil, 3))
		}},
		{"stray-body", func(tx *bolt.Tx) error { return tx.Bucket([]byte("blocks")).Put(make([]byte, 32), []byte{1}) }},
		{"side-garbage", func(tx *bolt.Tx) error { return tx.Bucket([]byte("side")).Put(make([]byte, 32), []byte{1}) }},
		{"side-other-block", func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("side")).Put(make([]byte, 32), bytes.Clone(tx.Bucket([]byte("blocks")).Get(tipKey(tx))))
		}},
		{"side-short-key", func(tx *bolt.Tx) error { return tx.Bucket([]byte("side")).Put([]byte{1}, []byte{1}) }},
		{"side-also-main", func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("side")).Put(tipKey(tx), bytes.Clone(tx.Bucket([]byte("blocks")).Get(tipKey(tx))))
		}},
		{"addr-index-missing", func(tx *bolt.Tx) error { return tx.Bucket([]byte("addrutxo")).Delete(firstKey(tx, "addrutxo")) }},
		{"addr-index-extra", func(tx *bolt.Tx) error { return tx.Bucket([]byte("addrutxo")).Put(make([]byte, 57), []byte{}) }},
		{"utxo-garbage", func(tx *bolt.Tx) error { return tx.Bucket([]byte("utxo")).Put(firstKey(tx, "utxo"), []byte{0xff}) }},
		{"txindex-missing", func(tx *bolt.Tx) error { return tx.Bucket([]byte("txindex")).Delete(firstKey(tx, "txindex")) }},
		{"txindex-extra", func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("txindex")).Put(make([]byte, 32), make([]byte, 16))
		}},
		{"tip-behind", func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("meta")).Put([]byte("tip"), binary.BigEndian.AppendUint32(append([]byte{}, c.updates[4].Hash[:]...), 5))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, path := openTemp(t, store.Options{Params: p})
			for _, u := range c.updates {
				if err := s.ConnectBlock(u); err != nil {
					t.Fatal(err)
				}
			}
			mustCheck(t, s)
			s.Close()
			db, err := bolt.Open(path, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			err = db.Update(tc.damage)
			db.Close()
			if err != nil {
				t.Fatal(err)
			}
			s, err = store.Open(path, store.Options{Params: p})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.Check(); !errors.Is(err, store.ErrCorrupt) {
				t.Fatalf("Check: %v, want ErrCorrupt", err)
			}
			if tc.name == "undo-garbage" {
				// Disconnecting refuses the bad undo record, writes nothing, and the
				// store stays usable.
				before := digest(t, s)
				if _, err := s.DisconnectTip(); !errors.Is(err, store.ErrCorrupt) {
					t.Fatalf("DisconnectTip: %v, want ErrCorrupt", err)
				}
				if digest(t, s) != before {
					t.Fatal("a refused disconnect changed the store")
				}
				if err := s.PutHeader(store.HeaderRecord{Header: c.updates[0].Block.Header, Height: 1}); err != nil {
					t.Fatalf("store unusable after a refused disconnect: %v", err)
				}
			}
		})
	}
}

package store_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/store"
	bolt "go.etcd.io/bbolt"
)

func TestOpenRefusals(t *testing.T) {
	// created makes a store file and closes it.
	created := func(t *testing.T, opts store.Options) string {
		t.Helper()
		s, path := openTemp(t, opts)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		return path
	}
	t.Run("no-params", func(t *testing.T) {
		if _, err := store.Open(filepath.Join(t.TempDir(), "x.db"), store.Options{}); !errors.Is(err, store.ErrNoParams) {
			t.Fatalf("%v, want ErrNoParams", err)
		}
	})
	t.Run("wrong-network", func(t *testing.T) {
		path := created(t, store.Options{Params: mvs.RegTest()})
		_, err := store.Open(path, store.Options{Params: mvs.TestNet()})
		if !errors.Is(err, store.ErrWrongNetwork) {
			t.Fatalf("%v, want ErrWrongNetwork", err)
		}
		// Same name and magic, another genesis: still another network.
		p := mvs.RegTest()
		p.GenesisHash[0] ^= 1
		if _, err := store.Open(path, store.Options{Params: p}); !errors.Is(err, store.ErrWrongNetwork) {
			t.Fatalf("other genesis: %v, want ErrWrongNetwork", err)
		}
	})
	t.Run("address-index", func(t *testing.T) {
		path := created(t, store.Options{})
		if _, err := store.Open(path, store.Options{Params: mvs.RegTest(), NoAddressIndex: true}); !errors.Is(err, store.ErrAddressIndexMismatch) {
			t.Fatalf("%v, want ErrAddressIndexMismatch", err)
		}
	})
	t.Run("schema-version", func(t *testing.T) {
		path := created(t, store.Options{})
		db, err := bolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		err = db.Update(func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("meta")).Put([]byte("schema"), binary.BigEndian.AppendUint32(nil, store.SchemaVersion+1))
		})
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.Open(path, store.Options{Params: mvs.RegTest()}); !errors.Is(err, store.ErrSchemaVersion) {
			t.Fatalf("%v, want ErrSchemaVersion", err)
		}
	})
	t.Run("schema-1", func(t *testing.T) {
		// A file of the first layout (no side bucket) is another version, not damage.
		path := created(t, store.Options{})
		db, err := bolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		err = db.Update(func(tx *bolt.Tx) error {
			if err := tx.DeleteBucket([]byte("side")); err != nil {
				return err
			}
			return tx.Bucket([]byte("meta")).Put([]byte("schema"), binary.BigEndian.AppendUint32(nil, 1))
		})
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.Open(path, store.Options{Params: mvs.RegTest()}); !errors.Is(err, store.ErrSchemaVersion) {
			t.Fatalf("%v, want ErrSchemaVersion", err)
		}
	})
	t.Run("not-a-store", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "other.db")
		db, err := bolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		err = db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("something")); return err })
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.Open(path, store.Options{Params: mvs.RegTest()}); !errors.Is(err, store.ErrCorrupt) {
			t.Fatalf("%v, want ErrCorrupt", err)
		}
	})
	t.Run("locked", func(t *testing.T) {
		_, path := openTemp(t, store.Options{})
		if _, err := store.Open(path, store.Options{Params: mvs.RegTest()}); !errors.Is(err, store.ErrLocked) {
			t.Fatalf("%v, want ErrLocked", err)
		}
	})
	t.Run("closed", func(t *testing.T) {
		s, _ := openTemp(t, store.Options{})
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatalf("second Close: %v", err)
		}
		if err := s.ConnectBlock(nil); !errors.Is(err, store.ErrClosed) {
			t.Errorf("ConnectBlock after Close: %v", err)
		}
		if _, _, err := s.Tip(); !errors.Is(err, store.ErrClosed) {
			t.Errorf("Tip after Close: %v", err)
		}
		if err := s.View(func(*store.Snapshot) error { return nil }); !errors.Is(err, store.ErrClosed) {
			t.Errorf("View after Close: %v", err)
		}
	})
	t.Run("reopen", func(t *testing.T) {
		c := genChain(t, mvs.RegTest(), 3, 9)
		s, path := openTemp(t, store.Options{})
		for _, u := range c.updates {
			if err := s.ConnectBlock(u); err != nil {
				t.Fatal(err)
			}
		}
		want := digest(t, s)
		s.Close()
		before, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		s2, err := store.Open(path, store.Options{Params: mvs.RegTest()})
		if err != nil {
			t.Fatal(err)
		}
		if digest(t, s2) != want {
			t.Fatal("digest changed across reopen")
		}
		if err := s2.Close(); err != nil {
			t.Fatal(err)
		}
		after, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(before, after) {
			t.Fatal("opening and closing an existing store wrote to it")
		}
	})
}

// TestOpenBadGenesis: params whose genesis block does not decode are refused, not reported
// as a write failure.
func TestOpenBadGenesis(t *testing.T) {
	p := mvs.RegTest()
	p.GenesisBlock = p.GenesisBlock[:100]
	_, err := store.Open(filepath.Join(t.TempDir(), "x.db"), store.Options{Params: p})
	if !errors.Is(err, store.ErrBadUpdate) || errors.Is(err, store.ErrWrite) {
		t.Fatalf("%v, want ErrBadUpdate", err)
	}
}

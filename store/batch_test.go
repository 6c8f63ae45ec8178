package store_test

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/store"
)

// TestAutoFlush: passing CacheBytes commits the batch without a Flush call, and says so in
// the log.
func TestAutoFlush(t *testing.T) {
	p := mvs.RegTest()
	c := genChain(t, p, 20, 13)
	var logged bytes.Buffer
	s, _ := openTemp(t, store.Options{Params: p, CacheBytes: 4096, Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	if err := s.BeginBatch(); err != nil {
		t.Fatal(err)
	}
	for _, u := range c.updates {
		if err := s.ConnectBlock(u); err != nil {
			t.Fatal(err)
		}
	}
	var committed uint32
	err := s.View(func(sn *store.Snapshot) error {
		_, h, err := sn.Tip()
		committed = h
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if committed == 0 {
		t.Fatal("nothing was committed although the batch passed CacheBytes")
	}
	if !strings.Contains(logged.String(), "store flushed") {
		t.Fatalf("no flush in the log:\n%s", logged.String())
	}
	mustCheck(t, s)
}

// TestCloseFlushes: Close commits an open batch.
func TestCloseFlushes(t *testing.T) {
	p := mvs.RegTest()
	c := genChain(t, p, 5, 14)
	s, path := openTemp(t, store.Options{Params: p})
	if err := s.BeginBatch(); err != nil {
		t.Fatal(err)
	}
	for _, u := range c.updates {
		if err := s.ConnectBlock(u); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if h := reopenCheck(t, path); h != 5 {
		t.Fatalf("reopened at %d, want 5", h)
	}
}

// TestReorg switches between two chains from genesis: each time a chain is reconnected the
// digest is the one it had the first time.
func TestReorg(t *testing.T) {
	p := mvs.RegTest()
	a, b := genChain(t, p, 25, 21), genChain(t, p, 30, 22)
	s, _ := openTemp(t, store.Options{Params: p})
	genesis := digest(t, s)
	want := map[*chain]mvs.Hash{}
	for _, ch := range []*chain{a, b, a, b} {
		for _, u := range ch.updates {
			if err := s.ConnectBlock(u); err != nil {
				t.Fatal(err)
			}
		}
		d := digest(t, s)
		if w, ok := want[ch]; ok && w != d {
			t.Fatal("a reconnected chain has another digest")
		}
		want[ch] = d
		mustCheck(t, s)
		for range ch.updates {
			if _, err := s.DisconnectTip(); err != nil {
				t.Fatal(err)
			}
		}
		if digest(t, s) != genesis {
			t.Fatal("disconnecting a whole chain does not restore the genesis state")
		}
	}
}

// TestBatchHeaders: inside a batch, PutHeader and SetStatus join it (the store's reads see
// them, snapshots do not until Flush), and Pending counts the uncommitted blocks.
func TestBatchHeaders(t *testing.T) {
	p := mvs.RegTest()
	c := genChain(t, p, 3, 15)
	s, _ := openTemp(t, store.Options{Params: p})
	if s.Pending() != 0 || s.Batching() {
		t.Fatal("pending or batching before BeginBatch")
	}
	if err := s.BeginBatch(); err != nil {
		t.Fatal(err)
	}
	u := c.updates[0]
	hash := u.Block.Header.Hash()
	if err := s.PutHeader(store.HeaderRecord{Header: u.Block.Header, Height: 1}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStatus(hash, store.StatusInvalid); err != nil {
		t.Fatal(err)
	}
	if rec, err := s.Header(hash); err != nil || rec.Status != store.StatusInvalid {
		t.Fatalf("Header inside the batch: %+v %v", rec.Status, err)
	}
	snapshotHas := func() bool {
		var ok bool
		if err := s.View(func(sn *store.Snapshot) error {
			_, err := sn.Header(hash)
			ok = err == nil
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if snapshotHas() {
		t.Fatal("a header of the open batch is committed")
	}
	if err := s.ConnectBlock(u); err != nil {
		t.Fatal(err)
	}
	if !s.Batching() || s.Pending() != 1 {
		t.Fatalf("batching %v, pending %d, want a batch with 1 block", s.Batching(), s.Pending())
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if !snapshotHas() || s.Pending() != 0 || s.Batching() {
		t.Fatal("after Flush: header not committed, or a batch still pending")
	}
	if err := s.SetStatus(mvs.Hash{9}, store.StatusValid); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("SetStatus of an unknown header: %v", err)
	}
	mustCheck(t, s)
}

// TestBatchCountsCommitPages: the batch cap counts the file pages its commit will dirty
// (a page per entry, at most the file), not only the overlay: with a 16 KiB cap, a block of
// a dozen entries (an overlay of a few KiB) fills it, so every block commits.
func TestBatchCountsCommitPages(t *testing.T) {
	p := mvs.RegTest()
	c := genChain(t, p, 10, 16)
	s, _ := openTemp(t, store.Options{Params: p, CacheBytes: 16 << 10})
	if err := s.BeginBatch(); err != nil {
		t.Fatal(err)
	}
	for _, u := range c.updates {
		if err := s.ConnectBlock(u); err != nil {
			t.Fatal(err)
		}
		if n := s.Pending(); n != 0 {
			t.Fatalf("block %d: %d blocks pending under a 16 KiB cap", u.Height, n)
		}
	}
	mustCheck(t, s)
}

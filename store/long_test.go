package store_test

import (
	"flag"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/store"
)

var long = flag.Bool("store.long", false, "run the long store tests (thousands of blocks)")

// TestLongImport imports a long generated chain batched with a small cache and unbatched,
// compares them, and disconnects a stretch of it against digests taken on the way up.
// Run with -store.long.
func TestLongImport(t *testing.T) {
	if !*long {
		t.Skip("needs -store.long")
	}
	const n, back = 3000, 400
	p := mvs.RegTest()
	c := genChain(t, p, n, 99)
	batched, _ := openTemp(t, store.Options{Params: p, CacheBytes: 256 << 10})
	if err := batched.BeginBatch(); err != nil {
		t.Fatal(err)
	}
	for _, u := range c.updates {
		if err := batched.ConnectBlock(u); err != nil {
			t.Fatal(err)
		}
	}
	if err := batched.Flush(); err != nil {
		t.Fatal(err)
	}
	mustCheck(t, batched)

	s, _ := openTemp(t, store.Options{Params: p})
	want := map[uint32]mvs.Hash{}
	for _, u := range c.updates {
		if err := s.ConnectBlock(u); err != nil {
			t.Fatal(err)
		}
		if u.Height >= n-back-1 {
			want[u.Height] = digest(t, s)
		}
	}
	if digest(t, s) != digest(t, batched) {
		t.Fatal("batched and unbatched imports differ")
	}
	for h := uint32(n); h > n-back; h-- {
		if _, err := s.DisconnectTip(); err != nil {
			t.Fatal(err)
		}
		if digest(t, s) != want[h-1] {
			t.Fatalf("after disconnecting %d the digest is not the one at %d", h, h-1)
		}
	}
	mustCheck(t, s)
	st, err := s.Stats()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d blocks: %d key+value bytes, file %d bytes", n-back, st.Bytes(), st.FileSize)
}

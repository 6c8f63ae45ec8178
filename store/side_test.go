package store_test

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

func sideBody(tb testing.TB, s *store.Store, h mvs.Hash) ([]byte, bool) {
	tb.Helper()
	raw, ok, err := s.SideBlock(h)
	if err != nil {
		tb.Fatal(err)
	}
	return raw, ok
}

func mainBody(tb testing.TB, s *store.Store, h mvs.Hash) ([]byte, bool) {
	tb.Helper()
	var raw []byte
	err := s.View(func(sn *store.Snapshot) error {
		var err error
		raw, err = sn.RawBlock(h)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, false
	}
	if err != nil {
		tb.Fatal(err)
	}
	return raw, true
}

// TestSideBlocks: side bodies are kept, read back, forgotten, left out of Digest; a
// disconnected block's body moves to them and connecting it moves it back.
func TestSideBlocks(t *testing.T) {
	p := mvs.RegTest()
	a, b := genChain(t, p, 6, 31), genChain(t, p, 4, 32)
	s, _ := openTemp(t, store.Options{Params: p})
	genesis := digest(t, s)
	for _, u := range b.updates {
		if err := s.PutSideBlock(u.Hash, u.Raw); err != nil {
			t.Fatal(err)
		}
		if raw, ok := sideBody(t, s, u.Hash); !ok || !bytes.Equal(raw, u.Raw) {
			t.Fatalf("side body of %v: %v", u.Hash, ok)
		}
	}
	if digest(t, s) != genesis {
		t.Fatal("side bodies changed the digest")
	}
	mustCheck(t, s)

	var digests []mvs.Hash
	for _, u := range a.updates {
		digests = append(digests, digest(t, s))
		if err := s.ConnectBlock(u); err != nil {
			t.Fatal(err)
		}
	}
	for i := len(a.updates) - 1; i >= 3; i-- {
		u := a.updates[i]
		if _, err := s.DisconnectTip(); err != nil {
			t.Fatal(err)
		}
		if raw, ok := sideBody(t, s, u.Hash); !ok || !bytes.Equal(raw, u.Raw) {
			t.Fatalf("the disconnected block %d's body is not kept", u.Height)
		}
		if _, ok := mainBody(t, s, u.Hash); ok {
			t.Fatalf("the disconnected block %d is still a main-chain body", u.Height)
		}
		if digest(t, s) != digests[i] {
			t.Fatalf("digest after disconnecting block %d differs from before it was connected", u.Height)
		}
		mustCheck(t, s)
	}
	// Connecting a block back takes its body out of the side bodies.
	u := a.updates[3]
	if err := s.ConnectBlock(u); err != nil {
		t.Fatal(err)
	}
	if _, ok := sideBody(t, s, u.Hash); ok {
		t.Fatal("a connected block's body is also a side body")
	}
	mustCheck(t, s)

	if err := s.DeleteSideBlock(b.updates[0].Hash); err != nil {
		t.Fatal(err)
	}
	if _, ok := sideBody(t, s, b.updates[0].Hash); ok {
		t.Fatal("DeleteSideBlock left the body")
	}
	if err := s.DeleteSideBlock(b.updates[0].Hash); err != nil {
		t.Fatalf("deleting a body that is not kept: %v", err)
	}

	// In a batch: a block connected in it is no longer a side block for the writer, and
	// cannot be put as one.
	if err := s.BeginBatch(); err != nil {
		t.Fatal(err)
	}
	u = a.updates[4]
	if err := s.ConnectBlock(u); err != nil {
		t.Fatal(err)
	}
	if _, ok := sideBody(t, s, u.Hash); ok {
		t.Fatal("the writer sees a side body of a block its batch connected")
	}
	if err := s.PutSideBlock(u.Hash, u.Raw); !errors.Is(err, store.ErrBadUpdate) {
		t.Fatalf("putting a block of the batch's main chain as a side body: %v, want ErrBadUpdate", err)
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if _, ok := sideBody(t, s, u.Hash); ok {
		t.Fatal("the flush left the side body of a connected block")
	}
	mustCheck(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.PutSideBlock(b.updates[1].Hash, b.updates[1].Raw); !errors.Is(err, store.ErrClosed) {
		t.Fatalf("PutSideBlock after Close: %v", err)
	}
	if _, _, err := s.SideBlock(b.updates[1].Hash); !errors.Is(err, store.ErrClosed) {
		t.Fatalf("SideBlock after Close: %v", err)
	}
}

// TestPutSideBlockRefusals: a body that is not the named block, or a main-chain block, is
// refused with ErrBadUpdate and nothing is kept.
func TestPutSideBlockRefusals(t *testing.T) {
	p := mvs.RegTest()
	c := genChain(t, p, 2, 33)
	s, _ := openTemp(t, store.Options{Params: p})
	if err := s.ConnectBlock(c.updates[0]); err != nil {
		t.Fatal(err)
	}
	u := c.updates[1]
	trailing := append(bytes.Clone(u.Raw), 0)
	for _, tc := range []struct {
		name string
		hash mvs.Hash
		raw  []byte
	}{
		{"garbage", u.Hash, []byte{1, 2, 3}},
		{"empty", u.Hash, nil},
		{"truncated", u.Hash, u.Raw[:len(u.Raw)-1]},
		{"trailing byte", u.Hash, trailing},
		{"other hash", mvs.Hash{1}, u.Raw},
		{"main chain", c.updates[0].Hash, c.updates[0].Raw},
		{"genesis", p.GenesisHash, p.GenesisBlock},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := s.PutSideBlock(tc.hash, tc.raw); !errors.Is(err, store.ErrBadUpdate) {
				t.Fatalf("%v, want ErrBadUpdate", err)
			}
			if _, ok := sideBody(t, s, tc.hash); ok {
				t.Fatal("a refused body was kept")
			}
		})
	}
	mustCheck(t, s)
}

// TestStatusWithBlock: BlockUpdate.Status and DisconnectTipStatus set the header's status
// in the block's own transaction (in a batch, its flush); a missing header or unknown bits
// refuse the whole update.
func TestStatusWithBlock(t *testing.T) {
	p := mvs.RegTest()
	c := genChain(t, p, 4, 34)
	putHeaders := func(t *testing.T, s *store.Store) {
		for _, u := range c.updates {
			h := u.Block.Header
			if err := s.PutHeader(store.HeaderRecord{Header: h, Height: h.Height, Work: [32]byte{31: byte(h.Height)}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	status := func(t *testing.T, s *store.Store, h mvs.Hash, committed bool) store.Status {
		t.Helper()
		var rec store.HeaderRecord
		var err error
		if committed {
			err = s.View(func(sn *store.Snapshot) error {
				rec, err = sn.Header(h)
				return err
			})
		} else {
			rec, err = s.Header(h)
		}
		if err != nil {
			t.Fatal(err)
		}
		return rec.Status
	}
	const connected = store.StatusHasBody | store.StatusValid

	t.Run("unbatched", func(t *testing.T) {
		s, _ := openTemp(t, store.Options{Params: p})
		putHeaders(t, s)
		u := *c.updates[0]
		u.Status = connected
		if err := s.ConnectBlock(&u); err != nil {
			t.Fatal(err)
		}
		if st := status(t, s, u.Hash, true); st != connected {
			t.Fatalf("status %v, want %v", st, connected)
		}
		// Zero leaves the header alone.
		if err := s.ConnectBlock(c.updates[1]); err != nil {
			t.Fatal(err)
		}
		if st := status(t, s, c.updates[1].Hash, true); st != 0 {
			t.Fatalf("status %v after an update without one", st)
		}
		if _, err := s.DisconnectTipStatus(store.StatusValid); err != nil {
			t.Fatal(err)
		}
		if st := status(t, s, c.updates[1].Hash, true); st != store.StatusValid {
			t.Fatalf("status %v after DisconnectTipStatus, want valid", st)
		}
		if _, h, _ := s.Tip(); h != 1 {
			t.Fatalf("tip %d, want 1", h)
		}
		mustCheck(t, s)
	})

	t.Run("refused", func(t *testing.T) {
		s, _ := openTemp(t, store.Options{Params: p})
		before := digest(t, s)
		u := *c.updates[0]
		u.Status = connected
		if err := s.ConnectBlock(&u); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("status for a header not stored: %v, want ErrNotFound", err)
		}
		if digest(t, s) != before {
			t.Fatal("a refused update changed the store")
		}
		putHeaders(t, s)
		before = digest(t, s)
		u.Status = 0x80
		if err := s.ConnectBlock(&u); !errors.Is(err, store.ErrBadUpdate) {
			t.Fatalf("unknown status bits: %v, want ErrBadUpdate", err)
		}
		if digest(t, s) != before {
			t.Fatal("a refused update changed the store")
		}
		// A block connected without its header stored cannot take a status when it goes.
		s2, _ := openTemp(t, store.Options{Params: p})
		if err := s2.ConnectBlock(c.updates[0]); err != nil {
			t.Fatal(err)
		}
		before = digest(t, s2)
		if _, err := s2.DisconnectTipStatus(store.StatusValid); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("DisconnectTipStatus without the header: %v, want ErrNotFound", err)
		}
		if _, err := s2.DisconnectTipStatus(0x80); !errors.Is(err, store.ErrBadUpdate) {
			t.Fatalf("DisconnectTipStatus with unknown bits: %v, want ErrBadUpdate", err)
		}
		if _, h, _ := s2.Tip(); h != 1 || digest(t, s2) != before {
			t.Fatalf("a refused disconnect changed the store (tip %d)", h)
		}
		if _, ok := sideBody(t, s2, c.updates[0].Hash); ok {
			t.Fatal("a refused disconnect kept the body aside")
		}
	})

	t.Run("batched", func(t *testing.T) {
		s, _ := openTemp(t, store.Options{Params: p})
		putHeaders(t, s)
		if err := s.BeginBatch(); err != nil {
			t.Fatal(err)
		}
		for _, cu := range c.updates {
			u := *cu
			u.Status = connected
			if err := s.ConnectBlock(&u); err != nil {
				t.Fatal(err)
			}
		}
		h1, h2 := c.updates[0].Hash, c.updates[1].Hash
		// The status lands with the block: not committed before the flush.
		if st := status(t, s, h1, true); st != 0 {
			t.Fatalf("committed status %v before the flush", st)
		}
		if st := status(t, s, h1, false); st != connected {
			t.Fatalf("writer sees status %v, want %v", st, connected)
		}
		// A status or header written at once while the batch holds the block's record is
		// not put back by the flush.
		if err := s.SetStatus(h1, store.StatusInvalid); err != nil {
			t.Fatal(err)
		}
		rec, err := s.Header(h2)
		if err != nil {
			t.Fatal(err)
		}
		rec.Work = [32]byte{31: 0x77}
		if err := s.PutHeader(rec); err != nil {
			t.Fatal(err)
		}
		if err := s.Flush(); err != nil {
			t.Fatal(err)
		}
		if st := status(t, s, h1, true); st != store.StatusInvalid {
			t.Fatalf("status %v after the flush, want the one SetStatus wrote", st)
		}
		got, err := s.Header(h2)
		if err != nil || got.Work != rec.Work || got.Status != connected {
			t.Fatalf("header after the flush %+v %v, want PutHeader's work and the connect's status", got, err)
		}
		if st := status(t, s, c.updates[3].Hash, true); st != connected {
			t.Fatalf("status %v after the flush, want %v", st, connected)
		}
		mustCheck(t, s)
	})
}

// TestBatchAddressReads: the writer's HashAt and UnspentByAddress see an open batch and
// agree with a store that committed the same blocks; a snapshot sees committed state.
func TestBatchAddressReads(t *testing.T) {
	p := mvs.RegTest()
	c := genChain(t, p, 40, 35)
	ref, _ := openTemp(t, store.Options{Params: p})
	s, _ := openTemp(t, store.Options{Params: p})
	addrs := map[mvs.Address]bool{}
	gen, _ := block.Genesis(p)
	for _, tr := range append([]tx.Tx{gen.Transactions[0]}, func() (all []tx.Tx) {
		for _, u := range c.updates {
			all = append(all, u.Block.Transactions...)
		}
		return all
	}()...) {
		for _, o := range tr.Outputs {
			if a, ok := script.Script(o.Script).Address(p); ok {
				addrs[a] = true
			}
		}
	}
	half := c.updates[:20]
	for _, u := range half {
		if err := s.ConnectBlock(u); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.BeginBatch(); err != nil {
		t.Fatal(err)
	}
	for _, u := range c.updates[20:] {
		if err := s.ConnectBlock(u); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range c.updates {
		if err := ref.ConnectBlock(u); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range c.updates {
		if h, err := s.HashAt(u.Height); err != nil || h != u.Hash {
			t.Fatalf("HashAt(%d) %v %v, want %v", u.Height, h, err, u.Hash)
		}
	}
	if h, err := s.HashAt(0); err != nil || h != p.GenesisHash {
		t.Fatalf("HashAt(0) %v %v", h, err)
	}
	if _, err := s.HashAt(41); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("HashAt above the tip: %v, want ErrNotFound", err)
	}
	err := s.View(func(sn *store.Snapshot) error {
		if _, err := sn.HashAt(21); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("snapshot HashAt(21) of an unflushed block: %v, want ErrNotFound", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	changed := 0
	for a := range addrs {
		got, err := s.UnspentByAddress(a)
		if err != nil {
			t.Fatal(err)
		}
		var want, committed []store.Unspent
		err = ref.View(func(sn *store.Snapshot) error {
			want, err = sn.UnspentByAddress(a)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if !unspentEqual(got, want) {
			t.Fatalf("%v: writer's unspent in a batch: %d outputs, committed store %d", a, len(got), len(want))
		}
		err = s.View(func(sn *store.Snapshot) error {
			committed, err = sn.UnspentByAddress(a)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if !unspentEqual(committed, want) {
			changed++
		}
	}
	if changed == 0 {
		t.Fatal("the batch changed no address's outputs: the test tests nothing")
	}
	for _, tc := range []struct {
		name string
		addr mvs.Address
		opts store.Options
		want error
	}{
		{"invalid address", mvs.Address{}, store.Options{}, store.ErrBadRequest},
		{"no index", mvs.NewPubKeyHashAddress([20]byte{1}, p), store.Options{NoAddressIndex: true}, store.ErrNoAddressIndex},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, _ := openTemp(t, tc.opts)
			if _, err := st.UnspentByAddress(tc.addr); !errors.Is(err, tc.want) {
				t.Fatalf("%v, want %v", err, tc.want)
			}
		})
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if digest(t, s) != digest(t, ref) {
		t.Fatal("the flushed store differs from the reference")
	}
}

func unspentEqual(a, b []store.Unspent) bool {
	return slices.EqualFunc(a, b, func(x, y store.Unspent) bool {
		return x.OutPoint == y.OutPoint && x.Entry.Value == y.Entry.Value && x.Entry.Height == y.Entry.Height &&
			bytes.Equal(x.Entry.Script, y.Entry.Script) && bytes.Equal(x.Entry.Attachment, y.Entry.Attachment)
	})
}

// TestBody: a main-chain body, a side body and an unknown hash.
func TestBody(t *testing.T) {
	p := mvs.RegTest()
	c := genChain(t, p, 2, 21)
	s, _ := openTemp(t, store.Options{Params: p})
	for _, u := range c.updates {
		if err := s.ConnectBlock(u); err != nil {
			t.Fatal(err)
		}
	}
	main := c.updates[1]
	if raw, err := s.Body(main.Hash); err != nil || !bytes.Equal(raw, main.Raw) {
		t.Fatalf("main-chain body: %v", err)
	}
	if _, err := s.DisconnectTip(); err != nil {
		t.Fatal(err)
	}
	if raw, err := s.Body(main.Hash); err != nil || !bytes.Equal(raw, main.Raw) {
		t.Fatalf("the disconnected block's side body: %v", err)
	}
	if _, err := s.Body(mvs.Hash{7}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown block: %v, want ErrNotFound", err)
	}
}

package store_test

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
	bolt "go.etcd.io/bbolt"
)

// addrsOf is every address paid by an output of c or of the genesis block.
func addrsOf(t *testing.T, c *chain) []mvs.Address {
	t.Helper()
	seen := map[mvs.Address]bool{}
	for _, scr := range c.scripts {
		if a, ok := script.Script(scr).Address(c.params); ok {
			seen[a] = true
		}
	}
	var out []mvs.Address
	for a := range seen {
		out = append(out, a)
	}
	slices.SortFunc(out, func(x, y mvs.Address) int {
		return bytes.Compare(append([]byte{x.Version}, x.Hash[:]...), append([]byte{y.Version}, y.Hash[:]...))
	})
	if len(out) < 3 {
		t.Fatalf("the chain pays %d addresses: the test tests little", len(out))
	}
	return out
}

// pages reads all of addr's outputs in pages of size, by UnspentPage and by
// ForEachUnspent, checking that both agree page by page and that only the last page
// has no next cursor.
func pages(t *testing.T, sn *store.Snapshot, addr mvs.Address, size int) []store.Unspent {
	t.Helper()
	var all []store.Unspent
	var cur store.Cursor
	for n := 0; ; n++ {
		page, next, err := sn.UnspentPage(addr, cur, size)
		if err != nil {
			t.Fatalf("%v: page %d of %d: %v", addr, n, size, err)
		}
		var streamed []store.Unspent
		next2, err := sn.ForEachUnspent(addr, cur, size, func(u *store.UnspentView) error {
			streamed = append(streamed, store.Unspent{OutPoint: u.OutPoint, Entry: u.Entry()})
			if !bytes.Equal(u.Cursor(), next) && len(streamed) == size && next != nil {
				t.Errorf("%v: the last output's cursor is not the page's next", addr)
			}
			return nil
		})
		if err != nil || !bytes.Equal(next, next2) || !unspentEqual(page, streamed) {
			t.Fatalf("%v: page %d of %d: UnspentPage %d outputs next %x, ForEachUnspent %d next %x, %v",
				addr, n, size, len(page), next, len(streamed), next2, err)
		}
		if len(page) > size || next != nil && len(page) != size {
			t.Fatalf("%v: page %d of %d has %d outputs, next %x", addr, n, size, len(page), next)
		}
		all = append(all, page...)
		if next == nil {
			return all
		}
		if n > 1000 {
			t.Fatal("paging does not end")
		}
		cur = next
	}
}

func TestUnspentPaging(t *testing.T) {
	p := mvs.RegTest()
	c := genChain(t, p, 80, 4)
	s, _ := openTemp(t, store.Options{Params: p})
	for _, u := range c.updates {
		if err := s.ConnectBlock(u); err != nil {
			t.Fatal(err)
		}
	}
	addrs := addrsOf(t, c)
	nobody := mvs.NewPubKeyHashAddress([20]byte{0xee}, p)
	err := s.View(func(sn *store.Snapshot) error {
		multi := 0
		for _, a := range addrs {
			want, err := sn.UnspentByAddress(a)
			if err != nil {
				return err
			}
			if cap(want) != len(want) {
				t.Errorf("%v: UnspentByAddress of %d outputs has capacity %d, not pre-sized", a, len(want), cap(want))
			}
			n := len(want)
			if n > 1 {
				multi++
			}
			for _, size := range []int{1, 2, 3, max(1, n-1), max(1, n), n + 1, math.MaxInt} {
				if got := pages(t, sn, a, size); !unspentEqual(got, want) {
					t.Fatalf("%v: pages of %d: %d outputs, want %d", a, size, len(got), n)
				}
			}
			if n == 0 {
				continue
			}
			// Exactly one page: no next cursor (not an empty second page).
			page, next, err := sn.UnspentPage(a, nil, n)
			if err != nil || len(page) != n || next != nil {
				t.Fatalf("%v: one page of %d: %d outputs, next %x, %v", a, n, len(page), next, err)
			}
			// The last output's cursor, and one past every outpoint, end the walk.
			var last store.Cursor
			if _, err := sn.ForEachUnspent(a, nil, math.MaxInt, func(u *store.UnspentView) error {
				last = u.Cursor()
				return nil
			}); err != nil {
				return err
			}
			past := bytes.Clone(last)
			for i := len(past) - 36; i < len(past); i++ {
				past[i] = 0xff
			}
			for name, cur := range map[string]store.Cursor{"last output": last, "past the end": past} {
				page, next, err := sn.UnspentPage(a, cur, 10)
				if err != nil || len(page) != 0 || next != nil {
					t.Errorf("%v: cursor %s: %d outputs, next %x, %v", a, name, len(page), next, err)
				}
			}
		}
		if multi == 0 {
			t.Fatal("no address has two outputs: the test tests little")
		}
		// An address without outputs: an empty page, no cursor, fn never called.
		page, next, err := sn.UnspentPage(nobody, nil, 5)
		if err != nil || len(page) != 0 || next != nil {
			t.Errorf("address without outputs: %d, %x, %v", len(page), next, err)
		}
		calls := 0
		if next, err := sn.ForEachUnspent(nobody, nil, 5, func(*store.UnspentView) error { calls++; return nil }); err != nil || next != nil || calls != 0 {
			t.Errorf("address without outputs: %d calls, %x, %v", calls, next, err)
		}
		if us, err := sn.UnspentByAddress(nobody); err != nil || us != nil {
			t.Errorf("UnspentByAddress of an address without outputs: %v %v", us, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestUnspentPagingRefuses(t *testing.T) {
	p := mvs.RegTest()
	c := genChain(t, p, 40, 4)
	s, _ := openTemp(t, store.Options{Params: p})
	for _, u := range c.updates {
		if err := s.ConnectBlock(u); err != nil {
			t.Fatal(err)
		}
	}
	addrs := addrsOf(t, c)
	var a, b mvs.Address // two addresses with outputs
	var curA store.Cursor
	err := s.View(func(sn *store.Snapshot) error {
		for _, x := range addrs {
			_, next, err := sn.UnspentPage(x, nil, 1)
			if err != nil {
				return err
			}
			if next == nil {
				continue
			}
			if curA == nil {
				a, curA = x, next
			} else {
				b = x
				break
			}
		}
		if !b.IsValid() {
			t.Fatal("fewer than two addresses with two outputs")
		}
		_, history, err := sn.History(a, nil, 1)
		if err != nil || history == nil {
			t.Fatalf("history cursor %x %v", history, err)
		}
		stop := errors.New("stop")
		cases := []struct {
			name  string
			addr  mvs.Address
			after store.Cursor
			limit int
			want  error
		}{
			{"cursor of another address", b, curA, 5, store.ErrBadRequest},
			{"a history cursor", a, history, 5, store.ErrBadRequest},
			{"cursor one byte short", a, curA[:len(curA)-1], 5, store.ErrBadRequest},
			{"empty cursor", a, store.Cursor{}, 5, store.ErrBadRequest},
			{"limit 0", a, nil, 0, store.ErrBadRequest},
			{"negative limit", a, nil, -1, store.ErrBadRequest},
			{"invalid address", mvs.Address{}, nil, 5, store.ErrBadRequest},
		}
		for _, tc := range cases {
			if _, _, err := sn.UnspentPage(tc.addr, tc.after, tc.limit); !errors.Is(err, tc.want) {
				t.Errorf("UnspentPage: %s: %v, want %v", tc.name, err, tc.want)
			}
			calls := 0
			if _, err := sn.ForEachUnspent(tc.addr, tc.after, tc.limit, func(*store.UnspentView) error { calls++; return nil }); !errors.Is(err, tc.want) || calls != 0 {
				t.Errorf("ForEachUnspent: %s: %v after %d calls, want %v", tc.name, err, calls, tc.want)
			}
		}
		if _, _, err := sn.History(a, curA, 5); !errors.Is(err, store.ErrBadRequest) {
			t.Errorf("History with an unspent cursor: %v, want ErrBadRequest", err)
		}
		// fn's error stops the walk at once and comes back as is.
		calls := 0
		next, err := sn.ForEachUnspent(a, nil, math.MaxInt, func(*store.UnspentView) error { calls++; return stop })
		if err != stop || calls != 1 || next != nil {
			t.Errorf("fn's error: %v after %d calls, next %x", err, calls, next)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := openTemp(t, store.Options{Params: p, NoAddressIndex: true})
	err = s2.View(func(sn *store.Snapshot) error {
		if _, _, err := sn.UnspentPage(a, nil, 1); !errors.Is(err, store.ErrNoAddressIndex) {
			t.Errorf("UnspentPage without the index: %v", err)
		}
		if _, err := sn.ForEachUnspent(a, nil, 1, func(*store.UnspentView) error { return nil }); !errors.Is(err, store.ErrNoAddressIndex) {
			t.Errorf("ForEachUnspent without the index: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestUnspentCursorAcrossBlocks: a cursor taken at one tip continues at a later one, even
// when its own output has been spent since, with the outputs after it at that tip.
func TestUnspentCursorAcrossBlocks(t *testing.T) {
	p := mvs.RegTest()
	c := genChain(t, p, 80, 9)
	s, _ := openTemp(t, store.Options{Params: p})
	for _, u := range c.updates[:40] {
		if err := s.ConnectBlock(u); err != nil {
			t.Fatal(err)
		}
	}
	addrs := addrsOf(t, c)
	cursors := map[mvs.Address]store.Cursor{}
	ops := map[mvs.Address]tx.OutPoint{}
	err := s.View(func(sn *store.Snapshot) error {
		for _, a := range addrs {
			page, next, err := sn.UnspentPage(a, nil, 2)
			if err != nil {
				return err
			}
			if next != nil {
				cursors[a], ops[a] = next, page[1].OutPoint
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range c.updates[40:] {
		if err := s.ConnectBlock(u); err != nil {
			t.Fatal(err)
		}
	}
	key := func(op tx.OutPoint) []byte {
		return append(op.Hash[:], byte(op.Index>>24), byte(op.Index>>16), byte(op.Index>>8), byte(op.Index))
	}
	spent := 0
	err = s.View(func(sn *store.Snapshot) error {
		for a, cur := range cursors {
			all, err := sn.UnspentByAddress(a)
			if err != nil {
				return err
			}
			var want []store.Unspent
			for _, u := range all {
				if bytes.Compare(key(u.OutPoint), key(ops[a])) > 0 {
					want = append(want, u)
				}
			}
			if _, err := sn.UTXO(ops[a]); errors.Is(err, store.ErrNotFound) {
				spent++
			}
			var got []store.Unspent
			for cur != nil {
				var page []store.Unspent
				if page, cur, err = sn.UnspentPage(a, cur, 3); err != nil {
					return err
				}
				got = append(got, page...)
			}
			if !unspentEqual(got, want) {
				t.Errorf("%v: %d outputs after the cursor, want %d", a, len(got), len(want))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if spent == 0 {
		t.Fatal("no cursor's output was spent: the test tests little")
	}
}

// TestUnspentInBatch is store/doc.go's rule for an open batch: the Store's own
// UnspentByAddress sees the batch, a snapshot's UnspentPage and ForEachUnspent only what
// was committed, until the flush.
func TestUnspentInBatch(t *testing.T) {
	p := mvs.RegTest()
	c := genChain(t, p, 60, 11)
	s, _ := openTemp(t, store.Options{Params: p})
	ref, _ := openTemp(t, store.Options{Params: p})
	for _, u := range c.updates[:30] {
		if err := s.ConnectBlock(u); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range c.updates {
		if err := ref.ConnectBlock(u); err != nil {
			t.Fatal(err)
		}
	}
	addrs := addrsOf(t, c)
	read := func(st *store.Store) map[mvs.Address][]store.Unspent {
		m := map[mvs.Address][]store.Unspent{}
		err := st.View(func(sn *store.Snapshot) error {
			for _, a := range addrs {
				m[a] = pages(t, sn, a, 2)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	before, final := read(s), read(ref)
	if err := s.BeginBatch(); err != nil {
		t.Fatal(err)
	}
	for _, u := range c.updates[30:] {
		if err := s.ConnectBlock(u); err != nil {
			t.Fatal(err)
		}
	}
	during := read(s)
	changed := 0
	for _, a := range addrs {
		if !unspentEqual(during[a], before[a]) {
			t.Errorf("%v: a snapshot's pages in a batch show the batch", a)
		}
		got, err := s.UnspentByAddress(a)
		if err != nil {
			t.Fatal(err)
		}
		if !unspentEqual(got, final[a]) {
			t.Errorf("%v: the Store's UnspentByAddress in a batch: %d outputs, want %d", a, len(got), len(final[a]))
		}
		if cap(got) != len(got) {
			t.Errorf("%v: UnspentByAddress in a batch: capacity %d for %d outputs", a, cap(got), len(got))
		}
		if !unspentEqual(before[a], final[a]) {
			changed++
		}
	}
	if changed == 0 {
		t.Fatal("the batch changed no address's outputs: the test tests nothing")
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	after := read(s)
	for _, a := range addrs {
		if !unspentEqual(after[a], final[a]) {
			t.Errorf("%v: after the flush, %d outputs, want %d", a, len(after[a]), len(final[a]))
		}
	}
}

// TestUnspentCopiesAreOwn: the entries UnspentByAddress and UnspentPage return share
// buffers; growing one entry's script must not write into the next one's.
func TestUnspentCopiesAreOwn(t *testing.T) {
	p := mvs.RegTest()
	c := genChain(t, p, 40, 4)
	s, _ := openTemp(t, store.Options{Params: p})
	for _, u := range c.updates {
		if err := s.ConnectBlock(u); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range addrsOf(t, c) {
		var listed, paged, again []store.Unspent
		err := s.View(func(sn *store.Snapshot) error {
			var err error
			if listed, err = sn.UnspentByAddress(a); err != nil {
				return err
			}
			if paged, _, err = sn.UnspentPage(a, nil, math.MaxInt); err != nil {
				return err
			}
			again, err = sn.UnspentByAddress(a)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, us := range [][]store.Unspent{listed, paged} {
			for i := range us {
				_ = append(us[i].Entry.Script, 0xaa, 0xaa, 0xaa)
				_ = append(us[i].Entry.Attachment, 0xbb, 0xbb, 0xbb)
			}
			if !unspentEqual(us, again) {
				t.Fatalf("%v: appending to an entry changed another", a)
			}
		}
	}
}

// TestUnspentCorrupt: a damaged entry or index key under an address is ErrCorrupt from
// every address read, never a wrong output.
func TestUnspentCorrupt(t *testing.T) {
	p := mvs.RegTest()
	c := genChain(t, p, 30, 4)
	addrs := addrsOf(t, c)
	a := addrs[0]
	prefix := append([]byte{a.Version}, a.Hash[:]...)
	// firstOf is a's first index key and the utxo key it names.
	firstOf := func(btx *bolt.Tx) (idx, utxo []byte) {
		k, _ := btx.Bucket([]byte("addrutxo")).Cursor().Seek(prefix)
		if !bytes.HasPrefix(k, prefix) {
			t.Fatal("the address has no outputs")
		}
		return bytes.Clone(k), bytes.Clone(k[len(prefix):])
	}
	for _, tc := range []struct {
		name   string
		damage func(btx *bolt.Tx) error
	}{
		{"entry garbage", func(btx *bolt.Tx) error {
			_, k := firstOf(btx)
			return btx.Bucket([]byte("utxo")).Put(k, []byte{0xff})
		}},
		{"entry trailing byte", func(btx *bolt.Tx) error {
			_, k := firstOf(btx)
			v := btx.Bucket([]byte("utxo")).Get(k)
			return btx.Bucket([]byte("utxo")).Put(k, append(bytes.Clone(v), 0))
		}},
		{"entry truncated", func(btx *bolt.Tx) error {
			_, k := firstOf(btx)
			v := btx.Bucket([]byte("utxo")).Get(k)
			return btx.Bucket([]byte("utxo")).Put(k, bytes.Clone(v[:len(v)-1]))
		}},
		{"entry missing", func(btx *bolt.Tx) error {
			_, k := firstOf(btx)
			return btx.Bucket([]byte("utxo")).Delete(k)
		}},
		{"index key short", func(btx *bolt.Tx) error {
			return btx.Bucket([]byte("addrutxo")).Put(append(bytes.Clone(prefix), 1, 2, 3), []byte{})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, path := openTemp(t, store.Options{Params: p})
			for _, u := range c.updates {
				if err := s.ConnectBlock(u); err != nil {
					t.Fatal(err)
				}
			}
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
			if _, err := s.UnspentByAddress(a); !errors.Is(err, store.ErrCorrupt) {
				t.Errorf("Store.UnspentByAddress: %v, want ErrCorrupt", err)
			}
			err = s.View(func(sn *store.Snapshot) error {
				if _, err := sn.UnspentByAddress(a); !errors.Is(err, store.ErrCorrupt) {
					t.Errorf("UnspentByAddress: %v, want ErrCorrupt", err)
				}
				if _, _, err := sn.UnspentPage(a, nil, 1000); !errors.Is(err, store.ErrCorrupt) {
					t.Errorf("UnspentPage: %v, want ErrCorrupt", err)
				}
				if _, err := sn.ForEachUnspent(a, nil, math.MaxInt, func(*store.UnspentView) error { return nil }); !errors.Is(err, store.ErrCorrupt) {
					t.Errorf("ForEachUnspent: %v, want ErrCorrupt", err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestPlainETP: PlainETP is true exactly for the attachments that decode to ETP with no
// payload and no DIDs.
func TestPlainETP(t *testing.T) {
	p := mvs.RegTest()
	gen, _ := block.Genesis(p)
	A := mvs.NewPubKeyHashAddress([20]byte{7}, p)
	atts := []tx.Attachment{
		{Version: tx.AttachVersion, Type: tx.TypeETP},
		{Version: tx.AttachVersionCoinbase, Type: tx.TypeETP},
		{Version: 5, Type: tx.TypeETP},
		{Version: tx.AttachVersionDID, Type: tx.TypeETP, ToDID: "to"},
		{Version: tx.AttachVersionDID, Type: tx.TypeETP},
		{Version: tx.AttachVersion, Type: tx.TypeCoinstakeNull},
		{Version: tx.AttachVersion, Type: tx.TypeAsset, Payload: &tx.AssetTransfer{Symbol: "X", Quantity: 1}},
		{Version: tx.AttachVersion, Type: tx.TypeETPAward, Payload: &tx.ETPAward{Height: 3}},
	}
	cb := tx.Tx{Version: tx.VersionFirst, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Index: 0xffffffff},
		Script: []byte{4, 1, 0, 0, 0}, Sequence: 0xffffffff}}}
	for i, att := range atts {
		cb.Outputs = append(cb.Outputs, tx.Output{Value: mvs.Amount(i + 1), Script: script.PayToAddress(A), Attachment: att})
	}
	s, _ := openTemp(t, store.Options{Params: p})
	if err := s.ConnectBlock(makeUpdate(gen.Hash(), 1, []tx.Tx{cb}, nil)); err != nil {
		t.Fatal(err)
	}
	seen := 0
	err := s.View(func(sn *store.Snapshot) error {
		_, err := sn.ForEachUnspent(A, nil, math.MaxInt, func(u *store.UnspentView) error {
			seen++
			a, err := store.DecodeAttachment(u.Attachment)
			if err != nil {
				return err
			}
			want := a.Type == tx.TypeETP && a.Payload == nil && a.Version != tx.AttachVersionDID
			if u.PlainETP() != want {
				t.Errorf("%+v: PlainETP %v", a, u.PlainETP())
			}
			if want && a != (tx.Attachment{Version: a.Version, Type: tx.TypeETP}) {
				t.Errorf("%+v is not plain", a)
			}
			return nil
		})
		return err
	})
	if err != nil || seen != len(atts) {
		t.Fatalf("%d outputs, %v", seen, err)
	}
}

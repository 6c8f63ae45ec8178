package store_test

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

func openTemp(tb testing.TB, opts store.Options) (*store.Store, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "chain.db")
	if opts.Params == nil {
		opts.Params = mvs.RegTest()
	}
	opts.NoSync = true
	s, err := store.Open(path, opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s, path
}

func digest(tb testing.TB, s *store.Store) mvs.Hash {
	tb.Helper()
	d, err := s.Digest()
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

func mustCheck(tb testing.TB, s *store.Store) {
	tb.Helper()
	if err := s.Check(); err != nil {
		tb.Fatal(err)
	}
}

func TestOpenNewHasGenesis(t *testing.T) {
	p := mvs.RegTest()
	s, _ := openTemp(t, store.Options{Params: p})
	mustCheck(t, s)
	gen, err := block.Genesis(p)
	if err != nil {
		t.Fatal(err)
	}
	hash, height, err := s.Tip()
	if err != nil || hash != p.GenesisHash || height != 0 {
		t.Fatalf("tip %v %d %v, want genesis at 0", hash, height, err)
	}
	cb := gen.Transactions[0].Hash()
	e, err := s.UTXO(tx.OutPoint{Hash: cb, Index: 0})
	if err != nil || e.Value != 50_000_000*mvs.SatoshiPerETP || !e.Coinbase || e.Height != 0 {
		t.Fatalf("genesis output %+v, %v", e, err)
	}
	got, loc, err := s.Tx(cb)
	if err != nil || got.Hash() != cb || loc.Height != 0 || loc.Index != 0 {
		t.Fatalf("genesis tx: %v %+v %v", got, loc, err)
	}
	rec, err := s.Header(p.GenesisHash)
	if err != nil || rec.Height != 0 || rec.Status != store.StatusHasBody|store.StatusValid || rec.Header != gen.Header {
		t.Fatalf("genesis header record %+v, %v", rec, err)
	}
	if _, err := s.DisconnectTip(); !errors.Is(err, store.ErrGenesis) {
		t.Fatalf("disconnecting genesis: %v, want ErrGenesis", err)
	}
}

// TestConnectDisconnect connects a generated chain and disconnects it block by block: after
// each disconnect the digest equals the one recorded after connecting up to that height.
func TestConnectDisconnect(t *testing.T) {
	const n = 60
	p := mvs.RegTest()
	c := genChain(t, p, n, 1)
	var finals []mvs.Hash
	for _, tc := range []struct {
		name    string
		opts    store.Options
		batched bool
	}{
		{"indexed", store.Options{}, false},
		{"no-address-index", store.Options{NoAddressIndex: true}, false},
		{"batched", store.Options{}, true},
		{"batched-small-cache", store.Options{CacheBytes: 4096}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := openTemp(t, tc.opts)
			digests := []mvs.Hash{digest(t, s)}
			if tc.batched {
				if err := s.BeginBatch(); err != nil {
					t.Fatal(err)
				}
			}
			for i, u := range c.updates {
				if err := s.ConnectBlock(u); err != nil {
					t.Fatalf("block %d: %v", i+1, err)
				}
				if tc.batched {
					continue
				}
				digests = append(digests, digest(t, s))
				if i%10 == 0 {
					mustCheck(t, s)
				}
			}
			if tc.batched {
				if err := s.Flush(); err != nil {
					t.Fatal(err)
				}
				digests = append(digests, digest(t, s))
				if !tc.opts.NoAddressIndex {
					finals = append(finals, digests[len(digests)-1])
				}
				mustCheck(t, s)
				return
			}
			if !tc.opts.NoAddressIndex {
				finals = append(finals, digests[len(digests)-1])
			}
			mustCheck(t, s)
			for k := n; k > 0; k-- {
				blk, err := s.DisconnectTip()
				if err != nil {
					t.Fatalf("disconnect %d: %v", k, err)
				}
				if blk.Hash() != c.updates[k-1].Hash {
					t.Fatalf("disconnect %d returned block %v", k, blk.Hash())
				}
				if got := digest(t, s); got != digests[k-1] {
					t.Fatalf("after disconnecting block %d the digest is not the one after connecting %d", k, k-1)
				}
			}
			mustCheck(t, s)
		})
	}
	for i := range finals {
		if finals[i] != finals[0] {
			t.Fatalf("batched and unbatched imports differ")
		}
	}
}

// TestBatchReads: the writer sees its batch; View sees only what was committed.
func TestBatchReads(t *testing.T) {
	p := mvs.RegTest()
	c := genChain(t, p, 7, 2)
	s, _ := openTemp(t, store.Options{})
	if err := s.BeginBatch(); err != nil {
		t.Fatal(err)
	}
	if err := s.BeginBatch(); !errors.Is(err, store.ErrBatch) {
		t.Fatalf("second BeginBatch: %v, want ErrBatch", err)
	}
	before := digest(t, s)
	for _, u := range c.updates[:5] {
		if err := s.ConnectBlock(u); err != nil {
			t.Fatal(err)
		}
	}
	last := c.updates[4]
	cb := tx.OutPoint{Hash: last.Block.Transactions[0].Hash()}
	if _, err := s.UTXO(cb); err != nil {
		t.Fatalf("writer does not see its batch: %v", err)
	}
	if _, h, _ := s.Tip(); h != 5 {
		t.Fatalf("writer's tip %d, want 5", h)
	}
	if _, _, err := s.Tx(cb.Hash); err != nil {
		t.Fatalf("writer's Tx: %v", err)
	}
	err := s.View(func(sn *store.Snapshot) error {
		if _, err := sn.UTXO(cb); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("snapshot sees an unflushed output: %v", err)
		}
		if _, h, _ := sn.Tip(); h != 0 {
			t.Errorf("snapshot tip %d, want 0", h)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if digest(t, s) != before {
		t.Fatal("digest changed before Flush")
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	err = s.View(func(sn *store.Snapshot) error {
		if _, err := sn.UTXO(cb); err != nil {
			t.Errorf("snapshot after flush: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// DisconnectTip inside a batch flushes first, then undoes.
	at6 := digest(t, s)
	if err := s.BeginBatch(); err != nil {
		t.Fatal(err)
	}
	for _, u := range c.updates[5:] {
		if err := s.ConnectBlock(u); err != nil {
			t.Fatal(err)
		}
	}
	blk, err := s.DisconnectTip()
	if err != nil || blk.Hash() != c.updates[6].Hash {
		t.Fatalf("DisconnectTip in a batch: %v", err)
	}
	if _, err := s.DisconnectTip(); err != nil {
		t.Fatal(err)
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if _, h, _ := s.Tip(); h != 5 || digest(t, s) != at6 {
		t.Fatalf("tip %d after two disconnects, want 5 with the digest it had", h)
	}
	mustCheck(t, s)
}

// TestRefusedUpdates: each refused update names its reason and leaves the store as it was,
// batched or not.
func TestRefusedUpdates(t *testing.T) {
	p := mvs.RegTest()
	c := genChain(t, p, 6, 3)
	const base = 3
	tip := c.updates[base-1]
	next := c.updates[base]

	coinbase := func(h uint32) tx.Tx {
		return tx.Tx{Version: 1, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Index: 0xffffffff}, Script: []byte{1, byte(h)}}},
			Outputs: []tx.Output{{Value: 1, Script: p2pkh([20]byte{9})}}}
	}
	missing := tx.OutPoint{Hash: mvs.Hash{1, 2, 3}, Index: 7}
	spendMissing := tx.Tx{Version: 4, Inputs: []tx.Input{{PreviousOutput: missing}}, Outputs: []tx.Output{{Value: 1, Script: p2pkh([20]byte{8})}}}
	// A coinbase identical to the tip's creates outputs that are already unspent.
	dupCoinbase := makeUpdate(tip.Hash, base+1, []tx.Tx{tip.Block.Transactions[0]}, nil)
	withRecords := func(w ...store.RecordWrite) *store.BlockUpdate {
		return makeUpdate(tip.Hash, base+1, []tx.Tx{coinbase(base + 1)}, w)
	}
	badHash := *next
	badHash.Hash[0] ^= 1
	badRaw := *next
	badRaw.Raw = append([]byte{}, next.Raw...)
	badRaw.Raw[4] ^= 1
	// Raw that is not canonical and holds another transaction than Block.
	otherRaw := *next
	{
		o := makeUpdate(tip.Hash, base+1, []tx.Tx{coinbase(base + 1)}, nil)
		n := len(o.Block.Transactions)
		r := append([]byte{}, next.Raw[:block.HeaderSize]...)
		r = append(r, 0xfd, byte(n), byte(n>>8))
		otherRaw.Raw = append(r, o.Raw[block.HeaderSize+1:]...)
	}
	badHeight := *next
	badHeight.Height++
	twice := makeUpdate(tip.Hash, base+1, []tx.Tx{coinbase(base + 1), spendMissing, spendMissing}, nil)

	cases := []struct {
		name string
		u    *store.BlockUpdate
		want error
	}{
		{"not-tip-parent", c.updates[base+1], store.ErrNotTip},
		{"not-tip-height", makeUpdate(tip.Hash, base+2, []tx.Tx{coinbase(base + 2)}, nil), store.ErrNotTip},
		{"already-connected", tip, store.ErrNotTip},
		{"missing-output", makeUpdate(tip.Hash, base+1, []tx.Tx{coinbase(base + 1), spendMissing}, nil), store.ErrMissingOutput},
		{"duplicate-output", dupCoinbase, store.ErrDuplicateOutput},
		{"nil", nil, store.ErrBadUpdate},
		{"hash", &badHash, store.ErrBadUpdate},
		{"raw", &badRaw, store.ErrBadUpdate},
		{"height", &badHeight, store.ErrBadUpdate},
		{"raw-other-block", &otherRaw, store.ErrBadUpdate},
		{"tx-twice", twice, store.ErrBadUpdate},
		{"kind", withRecords(store.RecordWrite{Kind: 99, Key: []byte("k"), Value: []byte("v")}), store.ErrBadUpdate},
		{"empty-key", withRecords(store.RecordWrite{Kind: store.KindDID, Value: []byte("v")}), store.ErrBadUpdate},
		{"long-key", withRecords(store.RecordWrite{Kind: store.KindDID, Key: make([]byte, 40000), Value: []byte("v")}), store.ErrBadUpdate},
	}
	for _, batched := range []bool{false, true} {
		s, _ := openTemp(t, store.Options{})
		for _, u := range c.updates[:base] {
			if err := s.ConnectBlock(u); err != nil {
				t.Fatal(err)
			}
		}
		before := digest(t, s)
		if batched {
			if err := s.BeginBatch(); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range cases {
			err := s.ConnectBlock(tc.u)
			if !errors.Is(err, tc.want) {
				t.Errorf("batched=%v %s: %v, want %v", batched, tc.name, err, tc.want)
			}
			if tc.name == "duplicate-output" {
				var de *store.OutPointError
				want := tx.OutPoint{Hash: tip.Block.Transactions[0].Hash()}
				if !errors.As(err, &de) || de.OutPoint != want || de.TxIndex != 0 || de.Index != 0 {
					t.Errorf("duplicate output error %#v does not name %v", de, want)
				}
			}
			if tc.name == "missing-output" {
				var me *store.OutPointError
				if !errors.As(err, &me) || me.OutPoint != missing || me.TxIndex != 1 || me.Index != 0 {
					t.Errorf("missing output error %#v does not name %v", me, missing)
				}
			}
		}
		if err := s.Flush(); err != nil {
			t.Fatal(err)
		}
		if digest(t, s) != before {
			t.Fatalf("batched=%v: a refused update changed the store", batched)
		}
		// And the store still takes the right block.
		if err := s.ConnectBlock(next); err != nil {
			t.Fatal(err)
		}
		mustCheck(t, s)
	}
}

func TestRecords(t *testing.T) {
	p := mvs.RegTest()
	s, _ := openTemp(t, store.Options{Params: p})
	gen, _ := block.Genesis(p)
	var writes []store.RecordWrite
	for _, k := range []string{"A.1", "A.2", "A.3", "B.1", "A.4", "A"} {
		writes = append(writes, store.RecordWrite{Kind: store.KindAsset, Key: []byte(k), Value: []byte("v" + k)})
	}
	writes = append(writes,
		store.RecordWrite{Kind: store.KindAsset, Key: []byte("A.2")}, // deleted in the same block
		store.RecordWrite{Kind: store.KindHolder, Key: []byte("empty"), Value: []byte{}})
	cb := tx.Tx{Version: 1, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Index: 0xffffffff}, Script: []byte{1, 1}}},
		Outputs: []tx.Output{{Value: 1, Script: p2pkh([20]byte{9})}}}
	if err := s.ConnectBlock(makeUpdate(gen.Hash(), 1, []tx.Tx{cb}, writes)); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Record(store.KindAsset, []byte("A.1")); err != nil || string(v) != "vA.1" {
		t.Fatalf("Record A.1: %q %v", v, err)
	}
	if _, err := s.Record(store.KindAsset, []byte("A.2")); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("deleted record: %v", err)
	}
	if v, err := s.Record(store.KindHolder, []byte("empty")); err != nil || v == nil || len(v) != 0 {
		t.Fatalf("empty record: %q %v (an empty value is not a deletion)", v, err)
	}
	err := s.View(func(sn *store.Snapshot) error {
		var keys []string
		var after []byte
		for {
			page, err := sn.Records(store.KindAsset, []byte("A."), after, 2)
			if err != nil {
				return err
			}
			for _, r := range page {
				keys = append(keys, string(r.Key))
			}
			if len(page) < 2 {
				break
			}
			after = page[len(page)-1].Key
		}
		if want := []string{"A.1", "A.3", "A.4"}; !slices.Equal(keys, want) {
			t.Errorf("pages %q, want %q", keys, want)
		}
		for _, bad := range []struct {
			kind         store.Kind
			prefix, afte []byte
			limit        int
		}{{0, nil, nil, 1}, {store.KindAsset, nil, nil, 0}, {store.KindAsset, []byte("A."), []byte("B"), 1}} {
			if _, err := sn.Records(bad.kind, bad.prefix, bad.afte, bad.limit); !errors.Is(err, store.ErrBadRequest) {
				t.Errorf("Records(%v, %q, %q, %d): %v, want ErrBadRequest", bad.kind, bad.prefix, bad.afte, bad.limit, err)
			}
		}
		if _, err := sn.Record(store.Kind(42), []byte("x")); !errors.Is(err, store.ErrBadRequest) {
			t.Errorf("unknown kind: %v", err)
		}
		if _, err := sn.Record(store.KindAsset, nil); !errors.Is(err, store.ErrBadRequest) {
			t.Errorf("empty key: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DisconnectTip(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Record(store.KindAsset, []byte("A.1")); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("record after disconnect: %v", err)
	}
}

// TestAddressIndex compares History and UnspentByAddress with a brute-force walk of the
// generated chain.
func TestAddressIndex(t *testing.T) {
	p := mvs.RegTest()
	c := genChain(t, p, 80, 4)
	s, _ := openTemp(t, store.Options{Params: p})
	type hist = store.HistoryEntry
	wantHist := map[mvs.Address][]hist{}
	wantUnspent := map[mvs.Address]map[tx.OutPoint]bool{}
	gen, _ := block.Genesis(p)
	addrOf := func(scr []byte) (mvs.Address, bool) { return script.Script(scr).Address(p) }
	if a, ok := addrOf(gen.Transactions[0].Outputs[0].Script); ok {
		wantUnspent[a] = map[tx.OutPoint]bool{{Hash: gen.Transactions[0].Hash()}: true}
		wantHist[a] = []hist{{Height: 0, Index: 0, TxID: gen.Transactions[0].Hash()}}
	}
	for _, u := range c.updates {
		if err := s.ConnectBlock(u); err != nil {
			t.Fatal(err)
		}
		for i, tr := range u.Block.Transactions {
			txid := tr.Hash()
			touched := map[mvs.Address]bool{}
			if !tr.IsCoinbase() {
				for _, in := range tr.Inputs {
					if a, ok := addrOf(c.scripts[in.PreviousOutput]); ok {
						delete(wantUnspent[a], in.PreviousOutput)
						touched[a] = true
					}
				}
			}
			for j, o := range tr.Outputs {
				if a, ok := addrOf(o.Script); ok {
					if wantUnspent[a] == nil {
						wantUnspent[a] = map[tx.OutPoint]bool{}
					}
					wantUnspent[a][tx.OutPoint{Hash: txid, Index: uint32(j)}] = true
					touched[a] = true
				}
			}
			for a := range touched {
				wantHist[a] = append(wantHist[a], hist{Height: u.Height, Index: uint32(i), TxID: txid})
			}
		}
	}
	mustCheck(t, s)
	err := s.View(func(sn *store.Snapshot) error {
		for a, want := range wantHist {
			var got []hist
			var cur store.Cursor
			for pages := 0; ; pages++ {
				page, next, err := sn.History(a, cur, 7)
				if err != nil {
					return err
				}
				got = append(got, page...)
				if next == nil {
					break
				}
				cur = next
			}
			if !slices.Equal(got, want) {
				t.Errorf("%v: history %d entries, want %d", a, len(got), len(want))
			}
			us, err := sn.UnspentByAddress(a)
			if err != nil {
				return err
			}
			if len(us) != len(wantUnspent[a]) {
				t.Errorf("%v: %d unspent, want %d", a, len(us), len(wantUnspent[a]))
			}
			for _, u := range us {
				if !wantUnspent[a][u.OutPoint] || !bytes.Equal(u.Entry.Script, c.scripts[u.OutPoint]) && u.OutPoint.Hash != gen.Transactions[0].Hash() {
					t.Errorf("%v: unexpected unspent %v", a, u.OutPoint)
				}
			}
		}
		some := mvs.NewPubKeyHashAddress([20]byte{1}, p)
		if _, _, err := sn.History(some, store.Cursor{1, 2}, 1); !errors.Is(err, store.ErrBadRequest) {
			t.Errorf("bad cursor: %v", err)
		}
		if _, _, err := sn.History(some, nil, 0); !errors.Is(err, store.ErrBadRequest) {
			t.Errorf("zero limit: %v", err)
		}
		if _, err := sn.UnspentByAddress(mvs.Address{}); !errors.Is(err, store.ErrBadRequest) {
			t.Errorf("zero address: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	s2, _ := openTemp(t, store.Options{Params: p, NoAddressIndex: true})
	err = s2.View(func(sn *store.Snapshot) error {
		if _, _, err := sn.History(mvs.NewPubKeyHashAddress([20]byte{1}, p), nil, 1); !errors.Is(err, store.ErrNoAddressIndex) {
			t.Errorf("History without index: %v", err)
		}
		if _, err := sn.UnspentByAddress(mvs.NewPubKeyHashAddress([20]byte{1}, p)); !errors.Is(err, store.ErrNoAddressIndex) {
			t.Errorf("UnspentByAddress without index: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestTxNonCanonicalRaw: a block received with a non-canonical transaction count still
// indexes its transactions at their true offsets.
func TestTxNonCanonicalRaw(t *testing.T) {
	p := mvs.RegTest()
	c := genChain(t, p, 3, 5)
	s, _ := openTemp(t, store.Options{Params: p})
	for _, u := range c.updates[:2] {
		if err := s.ConnectBlock(u); err != nil {
			t.Fatal(err)
		}
	}
	u := *c.updates[2]
	n := len(u.Block.Transactions)
	raw := append([]byte{}, u.Raw[:block.HeaderSize]...)
	raw = append(raw, 0xfd, byte(n), byte(n>>8)) // the count as a 3-byte varint
	raw = append(raw, u.Raw[block.HeaderSize+1:]...)
	if _, err := block.Decode(raw); err != nil {
		t.Fatal(err)
	}
	u.Raw = raw
	if err := s.ConnectBlock(&u); err != nil {
		t.Fatal(err)
	}
	for i, tr := range u.Block.Transactions {
		got, loc, err := s.Tx(tr.Hash())
		if err != nil || got.Hash() != tr.Hash() || loc.Index != uint32(i) || loc.Height != 3 {
			t.Fatalf("tx %d: %v %+v %v", i, got, loc, err)
		}
	}
	err := s.View(func(sn *store.Snapshot) error {
		b, err := sn.RawBlock(u.Hash)
		if err != nil || !bytes.Equal(b, raw) {
			t.Errorf("raw block not kept as received: %v", err)
		}
		if _, err := sn.Block(mvs.Hash{1}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown block: %v", err)
		}
		if _, _, err := sn.Tx(mvs.Hash{1}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("unknown tx: %v", err)
		}
		if _, err := sn.HashAt(99); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("HashAt above tip: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestHeaders(t *testing.T) {
	p := mvs.RegTest()
	c := genChain(t, p, 1, 6)
	s, _ := openTemp(t, store.Options{Params: p})
	h := c.updates[0].Block.Header
	rec := store.HeaderRecord{Header: h, Height: h.Height, Work: [32]byte{31: 2}}
	if err := s.PutHeader(rec); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStatus(h.Hash(), store.StatusHasBody|store.StatusInvalid); err != nil {
		t.Fatal(err)
	}
	got, err := s.Header(h.Hash())
	if err != nil || got.Status != store.StatusHasBody|store.StatusInvalid || got.Work != rec.Work || got.Header != h {
		t.Fatalf("header %+v %v", got, err)
	}
	if err := s.SetStatus(mvs.Hash{5}, store.StatusValid); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("status of unknown header: %v", err)
	}
	if err := s.SetStatus(h.Hash(), 0x80); !errors.Is(err, store.ErrBadUpdate) {
		t.Fatalf("unknown status bits: %v", err)
	}
	rec.Height++
	if err := s.PutHeader(rec); !errors.Is(err, store.ErrBadUpdate) {
		t.Fatalf("height mismatch: %v", err)
	}
}

// TestRecordsInBatch: the writer's Records merges its batch over the committed records;
// Snapshot.Records sees only the committed ones, and both agree after Flush.
func TestRecordsInBatch(t *testing.T) {
	p := mvs.RegTest()
	s, _ := openTemp(t, store.Options{Params: p})
	gen, _ := block.Genesis(p)
	cb := func(h uint32) tx.Tx {
		return tx.Tx{Version: 1, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Index: 0xffffffff}, Script: []byte{1, byte(h)}}},
			Outputs: []tx.Output{{Value: 1, Script: p2pkh([20]byte{9})}}}
	}
	set := func(k, v string) store.RecordWrite {
		return store.RecordWrite{Kind: store.KindHolder, Key: []byte(k), Value: []byte(v)}
	}
	b1 := makeUpdate(gen.Hash(), 1, []tx.Tx{cb(1)}, []store.RecordWrite{set("h.a", "1"), set("h.b", "1"), set("h.d", "1"), set("x", "1")})
	b2 := makeUpdate(b1.Hash, 2, []tx.Tx{cb(2)}, []store.RecordWrite{
		{Kind: store.KindHolder, Key: []byte("h.b")}, set("h.c", "2"), set("h.d", "2"), set("h.0", "2")})
	if err := s.ConnectBlock(b1); err != nil {
		t.Fatal(err)
	}
	if err := s.BeginBatch(); err != nil {
		t.Fatal(err)
	}
	if err := s.ConnectBlock(b2); err != nil {
		t.Fatal(err)
	}
	page := func(rs []store.Record) (out []string) {
		for _, r := range rs {
			out = append(out, string(r.Key)+"="+string(r.Value))
		}
		return out
	}
	all := func(read func(after []byte) ([]store.Record, error)) []string {
		var out []string
		var after []byte
		for {
			rs, err := read(after)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, page(rs)...)
			if len(rs) < 2 {
				return out
			}
			after = rs[len(rs)-1].Key
		}
	}
	// A caller changing what it read does not change the batch.
	v, err := s.Record(store.KindHolder, []byte("h.c"))
	if err != nil {
		t.Fatal(err)
	}
	v[0] = 'X'
	if v, _ := s.Record(store.KindHolder, []byte("h.c")); string(v) != "2" {
		t.Fatalf("the batch's record became %q", v)
	}
	writer := all(func(after []byte) ([]store.Record, error) {
		return s.Records(store.KindHolder, []byte("h."), after, 2)
	})
	if want := []string{"h.0=2", "h.a=1", "h.c=2", "h.d=2"}; !slices.Equal(writer, want) {
		t.Fatalf("writer's records %q, want %q", writer, want)
	}
	var committed []string
	err = s.View(func(sn *store.Snapshot) error {
		committed = all(func(after []byte) ([]store.Record, error) {
			return sn.Records(store.KindHolder, []byte("h."), after, 2)
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"h.a=1", "h.b=1", "h.d=1"}; !slices.Equal(committed, want) {
		t.Fatalf("committed records %q, want %q", committed, want)
	}
	if _, err := s.Records(store.KindHolder, nil, nil, 0); !errors.Is(err, store.ErrBadRequest) {
		t.Fatalf("zero limit: %v", err)
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	err = s.View(func(sn *store.Snapshot) error {
		committed = all(func(after []byte) ([]store.Record, error) {
			return sn.Records(store.KindHolder, []byte("h."), after, 2)
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(committed, writer) {
		t.Fatalf("after Flush the snapshot reads %q, the writer read %q", committed, writer)
	}
}

// TestBeforeCommit: an update whose BeforeCommit fails is refused with that error and
// changes nothing, in a write transaction or in a batch; one whose BeforeCommit passes is
// connected, BeforeCommit having run once.
func TestBeforeCommit(t *testing.T) {
	errLate := errors.New("refused late")
	for _, batched := range []bool{false, true} {
		t.Run(fmt.Sprintf("batched %v", batched), func(t *testing.T) {
			p := mvs.RegTest()
			s, _ := openTemp(t, store.Options{Params: p})
			gen, _ := block.Genesis(p)
			if batched {
				if err := s.BeginBatch(); err != nil {
					t.Fatal(err)
				}
			}
			cb := tx.Tx{Version: 1, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Index: 0xffffffff}, Script: []byte{1, 1}}},
				Outputs: []tx.Output{{Value: 1, Script: p2pkh([20]byte{9})}}}
			u := makeUpdate(gen.Hash(), 1, []tx.Tx{cb}, nil)
			calls := 0
			u.BeforeCommit = func() error { calls++; return errLate }
			if err := s.ConnectBlock(u); !errors.Is(err, errLate) || calls != 1 {
				t.Fatalf("refused: %v after %d calls", err, calls)
			}
			if h, _, err := s.Tip(); err != nil || h != gen.Hash() {
				t.Fatalf("tip %v %v after a refusal", h, err)
			}
			if _, err := s.UTXO(tx.OutPoint{Hash: cb.Hash()}); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("the refused block's output: %v", err)
			}
			calls = 0
			u.BeforeCommit = func() error { calls++; return nil }
			if err := s.ConnectBlock(u); err != nil || calls != 1 {
				t.Fatalf("passed: %v after %d calls", err, calls)
			}
			if h, _, err := s.Tip(); err != nil || h != u.Hash {
				t.Fatalf("tip %v %v", h, err)
			}
		})
	}
}

package chain_test

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
	"github.com/mvsgo/mvs/wallet"
)

// The query tests build their stores with regHarness (registry_test.go): blocks of
// wallet-built and hand-made transactions, each block's records computed by StoreState.

const (
	qAttParam = "PN=0;LH=4;TYPE=2;LQ=600;LP=12;UN=3;UC=4,4,4;UQ=200,200,200"
	qTimeSeq  = 1<<22 | 1 // a time-based sequence lock
	qLockAt   = 4         // height of the block with the locks
)

// qLocks builds: A funded at 1, asset LOCK (1000) issued to A at 3, and at 4 one
// transaction paying B every lock kind, with B's immature coinbase in the same block.
func qLocks(t *testing.T) (*regHarness, *tx.Tx) {
	h := newRegHarness(t, false)
	A, B := regAddrs[0], regAddrs[1]
	h.connect(A)
	h.connect()
	h.manual(A, nil, regOut(A, 0, &tx.AssetDetail{Symbol: "LOCK", MaximumSupply: 1000, Issuer: "x", Address: A.String()}))
	h.connect()
	lockCoin := h.coin(func(a *tx.Attachment, _ string) bool {
		d, ok := a.Payload.(*tx.AssetDetail)
		return ok && d.Symbol == "LOCK"
	})
	att, err := script.Attenuation(B.Hash, qAttParam, script.NullOutPoint())
	if err != nil {
		t.Fatal(err)
	}
	etp := tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeETP}
	lockTx := h.manual(A, []wallet.Coin{lockCoin},
		tx.Output{Script: att, Attachment: regOut(B, 0, &tx.AssetTransfer{Symbol: "LOCK", Quantity: 600}).Attachment},
		regOut(B, 0, &tx.AssetTransfer{Symbol: "LOCK", Quantity: 400}),
		tx.Output{Value: 1e8, Script: script.LockHeightDeposit(B.Hash, 10), Attachment: etp},
		tx.Output{Value: 2e8, Script: script.SequenceLock(B.Hash, 5), Attachment: etp},
		tx.Output{Value: 3e8, Script: script.SequenceLock(B.Hash, qTimeSeq), Attachment: etp},
		tx.Output{Value: 4e8, Script: script.SequenceLock(B.Hash, 1<<31|5), Attachment: etp}, // disabled
		regOut(B, 5e8, nil),
		tx.Output{Value: 6e8, Script: []byte{0x51}, Attachment: etp}, // no address: not B's
	)
	h.connect(B)
	if h.height != qLockAt {
		t.Fatalf("lock block at %d", h.height)
	}
	return h, lockTx
}

// qTimestamp is the harness's block time (genesis included).
func qTimestamp(height uint32) int64 { return 1_700_000_000 + 20*int64(height) }

// qWant is B's balance at tip, computed from the scenario.
func qWant(tip uint32) (etp, lock chain.Amounts) {
	age := tip - qLockAt
	put := func(a *chain.Amounts, locked bool, state *uint64, v uint64) {
		if locked {
			*state += v
		} else {
			a.Spendable += v
		}
		a.Total += v
	}
	put(&etp, age < regP.CoinbaseMaturity, &etp.Immature, 1_000_000*uint64(mvs.SatoshiPerETP))
	put(&etp, age < 10, &etp.DepositLocked, 1e8)
	put(&etp, age < 5, &etp.SequenceLocked, 2e8)
	// The median of the last 11 block times against the lock block's time plus the lock.
	var ts []int64
	for h := int64(tip); h >= 0 && h > int64(tip)-11; h-- {
		ts = append(ts, qTimestamp(uint32(h)))
	}
	slices.Sort(ts)
	_, seconds, _, _ := script.RelativeLock(qTimeSeq)
	put(&etp, ts[len(ts)/2] < qTimestamp(qLockAt)+seconds, &etp.SequenceLocked, 3e8)
	put(&etp, false, nil, 4e8+5e8)
	// LOCK: 400 free; of 600, 200 at age 4, 8 and 12 (the end).
	put(&lock, false, nil, 400)
	released := uint64(0)
	if age >= 4 {
		released = min(600, 200*(1+uint64(age-4)/4))
	}
	put(&lock, false, nil, released)
	put(&lock, true, &lock.AttenuationLocked, 600-released)
	return etp, lock
}

func TestQueriesBalanceLocks(t *testing.T) {
	h, lockTx := qLocks(t)
	q := chain.NewQueries(h.s, regP)
	B := regAddrs[1]
	answers := map[uint32]string{}
	sawTimeUnlock := false
	for h.height <= 22 {
		b, err := q.Balance(B)
		if err != nil {
			t.Fatal(err)
		}
		if b.TipHeight != h.height || b.TipHash != h.tip.String() {
			t.Fatalf("balance at %d %s, tip %d %s", b.TipHeight, b.TipHash, h.height, h.tip)
		}
		etp, lock := qWant(h.height)
		if b.ETP != etp {
			t.Fatalf("tip %d: ETP %+v, want %+v", h.height, b.ETP, etp)
		}
		if len(b.Assets) != 1 || b.Assets[0].Symbol != "LOCK" || b.Assets[0].Amounts != lock {
			t.Fatalf("tip %d: assets %+v, want LOCK %+v", h.height, b.Assets, lock)
		}
		if etp.SequenceLocked == 0 {
			sawTimeUnlock = true
		}
		j, _ := json.Marshal(b)
		answers[h.height] = string(j)

		// The UTXOs agree with the balance, and their confirmations count from the tip.
		us, err := q.UTXOs(B)
		if err != nil {
			t.Fatal(err)
		}
		var sum chain.Amounts
		for _, u := range us.UTXOs {
			if u.Confirmations != h.height-u.Height+1 {
				t.Fatalf("tip %d: %s:%d confirmations %d, mined at %d", h.height, u.TxID, u.Index, u.Confirmations, u.Height)
			}
			if u.Lock == chain.Spendable {
				sum.Spendable += u.Value
			}
			sum.Total += u.Value
		}
		if sum.Total != etp.Total || sum.Spendable != etp.Spendable {
			t.Fatalf("tip %d: UTXOs sum %+v, balance %+v", h.height, sum, etp)
		}

		// Coins carry their transactions, and coin selection's Spendability agrees with
		// the lock state (time locks aside: Spendability leaves them to the caller).
		coins, tip, err := q.Coins(B)
		if err != nil || tip != h.height || len(coins) != len(us.UTXOs) {
			t.Fatalf("tip %d: %d coins at %d, %v", h.height, len(coins), tip, err)
		}
		sp := wallet.Spendability{TipHeight: tip, MinConfirmations: 1, Params: regP}
		for i, c := range coins {
			if c.OutPoint.Hash == lockTx.Hash() {
				want, err := wallet.CoinFromTx(lockTx, c.OutPoint.Index, qLockAt)
				if err != nil || !coinEqual(c, want) {
					t.Fatalf("coin %v differs from CoinFromTx: %+v %v", c.OutPoint, want, err)
				}
			}
			if c.PrevTx == nil || c.PrevTx.Hash() != c.OutPoint.Hash {
				t.Fatalf("coin %v without its transaction", c.OutPoint)
			}
			// Spendability leaves time locks to the caller.
			if string(c.Script) == string(script.SequenceLock(regAddrs[1].Hash, qTimeSeq)) {
				continue
			}
			if u := us.UTXOs[i]; (sp.Why(&c) == nil) != (u.Lock == chain.Spendable) {
				t.Fatalf("tip %d: %v lock %s, Spendability %v", h.height, c.OutPoint, u.Lock, sp.Why(&c))
			}
		}
		h.connect()
	}
	if !sawTimeUnlock {
		t.Fatal("the time lock never ended")
	}
	// Confirmations after more blocks.
	ti, err := q.Tx(lockTx.Hash())
	if err != nil || ti.Height != qLockAt || ti.Confirmations != h.height-qLockAt+1 || ti.Tx.Hash() != lockTx.Hash() {
		t.Fatalf("Tx %+v %v", ti, err)
	}
	// A disconnect: the balance is the earlier height's again; the tip's transactions go.
	cb, err := q.Headers(h.height, 1)
	if err != nil || len(cb) != 1 || cb[0].Hash != h.tip.String() {
		t.Fatalf("Headers at the tip: %+v %v", cb, err)
	}
	blk, err := h.s.DisconnectTip()
	if err != nil {
		t.Fatal(err)
	}
	b, err := q.Balance(B)
	if err != nil {
		t.Fatal(err)
	}
	if j, _ := json.Marshal(b); string(j) != answers[h.height-1] {
		t.Fatalf("after a disconnect:\n%s\nwant\n%s", j, answers[h.height-1])
	}
	if _, err := q.Tx(blk.Transactions[0].Hash()); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a disconnected transaction: %v", err)
	}
	if _, err := q.Headers(h.height, 1); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a header above the tip: %v", err)
	}
	ti2, err := q.Tx(lockTx.Hash())
	if err != nil || ti2.Confirmations != ti.Confirmations-1 {
		t.Fatalf("confirmations after a disconnect %d, before %d: %v", ti2.Confirmations, ti.Confirmations, err)
	}
}

func coinEqual(a, b wallet.Coin) bool {
	ja, _ := json.Marshal(a.PrevOut)
	jb, _ := json.Marshal(b.PrevOut)
	return string(ja) == string(jb) && a.Coinbase == b.Coinbase && a.PrevTx.Hash() == b.PrevTx.Hash()
}

func TestQueriesHistoryPaging(t *testing.T) {
	h, lockTx := qLocks(t)
	for range 6 {
		h.connect(regAddrs[1])
	}
	q := chain.NewQueries(h.s, regP)
	all, err := q.History(regAddrs[1], "", chain.MaxPage)
	if err != nil || all.Next != "" {
		t.Fatalf("%+v %v", all, err)
	}
	// B: its coinbase and the lock transaction at 4, then 6 coinbases.
	if len(all.Txs) != 8 || all.Txs[0].Index != 0 || all.Txs[1].TxID != lockTx.Hash().String() || all.Txs[1].Height != qLockAt {
		t.Fatalf("history %+v", all.Txs)
	}
	for _, size := range []int{1, 2, 3, 7, 8} {
		var got []chain.AddressTx
		cursor := ""
		for pages := 0; ; pages++ {
			p, err := q.History(regAddrs[1], cursor, size)
			if err != nil || len(p.Txs) > size || pages > 10 {
				t.Fatalf("size %d: %+v %v", size, p, err)
			}
			got = append(got, p.Txs...)
			if p.Next == "" {
				break
			}
			cursor = p.Next
		}
		if !slices.Equal(got, all.Txs) {
			t.Fatalf("pages of %d: %+v, want %+v", size, got, all.Txs)
		}
	}
	for i, e := range all.Txs {
		if e.Confirmations != h.height-e.Height+1 || (i > 0 && e.Height < all.Txs[i-1].Height) {
			t.Fatalf("entry %d: %+v at tip %d", i, e, h.height)
		}
	}
	// A cursor taken before more blocks continues into them.
	first, err := q.History(regAddrs[1], "", 3)
	if err != nil || first.Next == "" {
		t.Fatalf("%+v %v", first, err)
	}
	h.connect(regAddrs[1])
	h.connect(regAddrs[1])
	var rest []chain.AddressTx
	for cursor := first.Next; cursor != ""; {
		p, err := q.History(regAddrs[1], cursor, 4)
		if err != nil {
			t.Fatal(err)
		}
		rest, cursor = append(rest, p.Txs...), p.Next
	}
	if len(rest) != len(all.Txs)-3+2 || rest[len(rest)-1].Height != h.height || rest[0] != (chain.AddressTx{TxID: all.Txs[3].TxID,
		Height: all.Txs[3].Height, Index: all.Txs[3].Index, Confirmations: all.Txs[3].Confirmations + 2}) {
		t.Fatalf("after two more blocks: %+v", rest)
	}
	hs, err := q.Headers(0, chain.MaxPage)
	if err != nil || len(hs) != int(h.height)+1 || hs[len(hs)-1].Hash != h.tip.String() || hs[0].Hash != regP.GenesisHash.String() {
		t.Fatalf("headers: %d, %v", len(hs), err)
	}
	for i := 1; i < len(hs); i++ {
		if hs[i].Previous != hs[i-1].Hash || hs[i].Confirmations != h.height-uint32(i)+1 {
			t.Fatalf("header %d: %+v", i, hs[i])
		}
	}
}

func TestQueriesRegistries(t *testing.T) {
	h := newRegHarness(t, false)
	h.build()
	q := chain.NewQueries(h.s, regP)
	A, B, D, E := regAddrs[0], regAddrs[1], regAddrs[3], regAddrs[4]

	a, err := q.Asset("FOO.BAR", 1)
	if err != nil || a.Volume != 1_500_000 || a.Issuer != "alice" || a.Height != 3 || a.Height == 0 || a.TipHeight != h.height {
		t.Fatalf("FOO.BAR %+v %v", a, err)
	}
	want, err := h.st.Holders("FOO.BAR")
	if err != nil || len(want) < 2 {
		t.Fatalf("holders %+v %v", want, err)
	}
	got := a.Holders
	for next := a.HoldersNext; next != ""; {
		p, err := q.Holders("FOO.BAR", next, 1)
		if err != nil {
			t.Fatal(err)
		}
		got, next = append(got, p.Holders...), p.Next
	}
	if len(got) != len(want) {
		t.Fatalf("holders %+v, want %+v", got, want)
	}
	for i := range got {
		if got[i].Address != want[i].Address || got[i].Quantity != want[i].Quantity {
			t.Fatalf("holder %d: %+v, want %+v", i, got[i], want[i])
		}
	}

	cs, err := q.Certs("FOO")
	if err != nil || len(cs.Certs) != 1 || cs.Certs[0].Type != tx.CertDomain || cs.Certs[0].Owner != "bob" || cs.Certs[0].Address != B.String() {
		t.Fatalf("FOO certificates %+v %v", cs, err)
	}
	if cs, err := q.Certs("MST.MINE"); err != nil || len(cs.Certs) != 1 || cs.Certs[0].Content != miningParam {
		t.Fatalf("MST.MINE certificates %+v %v", cs, err)
	}

	m, err := q.MIT("MYMIT")
	if err != nil || m.Address != B.String() || m.Content != "first content" {
		t.Fatalf("MYMIT %+v %v", m, err)
	}
	ms, err := q.MITsOf(B)
	if err != nil || len(ms.MITs) != 1 || ms.MITs[0].Symbol != "MYMIT" {
		t.Fatalf("MITs of B %+v %v", ms, err)
	}
	if ms, err := q.MITsOf(A); err != nil || len(ms.MITs) != 0 {
		t.Fatalf("MITs of A %+v %v", ms, err)
	}

	alice, err := q.DID("alice")
	if err != nil || alice.Address != D.String() || len(alice.History) != 2 || alice.History[0].Address != A.String() {
		t.Fatalf("alice %+v %v", alice, err)
	}
	if d, err := q.DIDOf(D); err != nil || d.Symbol != "alice" || len(d.AddressHistory) != 1 || d.AddressHistory[0].Height != 6 {
		t.Fatalf("DID of D %+v %v", d, err)
	}
	if d, err := q.DIDOf(E); err != nil || d.Symbol != "dave" || len(d.History) != 2 ||
		len(d.AddressHistory) != 1 || d.AddressHistory[0].Symbol != "dave" || d.AddressHistory[0].Height != 8 {
		t.Fatalf("DID of E %+v %v", d, err)
	}
	// dave was A's, then moved to E: A resolves to nothing.
	if _, err := q.DIDOf(A); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("DID of A: %v", err)
	}
	if d, err := q.DIDOf(regBlackhole); err != nil || d.Symbol != "BLACKHOLE" {
		t.Fatalf("DID of the blackhole %+v %v", d, err)
	}
}

func TestQueriesErrors(t *testing.T) {
	h := newRegHarness(t, false)
	h.connect(regAddrs[0])
	q := chain.NewQueries(h.s, regP)
	A := regAddrs[0]
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"history limit 0", second(q.History(A, "", 0)), chain.ErrBadQuery},
		{"history limit over MaxPage", second(q.History(A, "", chain.MaxPage+1)), chain.ErrBadQuery},
		{"history cursor not hex", second(q.History(A, "zz", 1)), chain.ErrBadQuery},
		{"history cursor of a wrong size", second(q.History(A, "00", 1)), chain.ErrBadQuery},
		{"balance of the zero address", second(q.Balance(mvs.Address{})), chain.ErrBadQuery},
		{"UTXOs of the zero address", second(q.UTXOs(mvs.Address{})), chain.ErrBadQuery},
		{"MITs of the zero address", second(q.MITsOf(mvs.Address{})), chain.ErrBadQuery},
		{"DID of the zero address", second(q.DIDOf(mvs.Address{})), chain.ErrBadQuery},
		{"asset with no symbol", second(q.Asset("", 1)), chain.ErrBadQuery},
		{"asset holders limit 0", second(q.Asset("NOPE", 0)), store.ErrNotFound},
		{"unknown asset", second(q.Asset("NOPE", 1)), store.ErrNotFound},
		{"holders limit 0", second(q.Holders("NOPE", "", 0)), chain.ErrBadQuery},
		{"unknown MIT", second(q.MIT("NOPE")), store.ErrNotFound},
		{"unknown DID", second(q.DID("nobody")), store.ErrNotFound},
		{"unknown transaction", second(q.Tx(mvs.Hash{1})), store.ErrNotFound},
		{"headers count 0", second(q.Headers(0, 0)), chain.ErrBadQuery},
		{"headers above the tip", second(q.Headers(2, 1)), store.ErrNotFound},
		{"no store", second(chain.NewQueries(nil, regP).Balance(A)), chain.ErrNoStore},
	}
	for _, c := range cases {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, c.err, c.want)
		}
	}
	_, _, err := q.Coins(mvs.Address{})
	if !errors.Is(err, chain.ErrBadQuery) {
		t.Errorf("coins of the zero address: %v", err)
	}
	s2, err := store.Open(t.TempDir()+"/noindex.db", store.Options{Params: regP, NoSync: true, NoAddressIndex: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if _, err := chain.NewQueries(s2, regP).Balance(A); !errors.Is(err, store.ErrNoAddressIndex) {
		t.Errorf("without the address index: %v", err)
	}
}

func second[T any](_ T, err error) error { return err }

// TestQueriesConsistentWhileConnecting: answers read while blocks connect are each one
// tip's: equal to the answer read with nothing running at the height they name.
func TestQueriesConsistentWhileConnecting(t *testing.T) {
	h := newRegHarness(t, false)
	h.build()
	q := chain.NewQueries(h.s, regP)
	type answer struct{ balance, asset, did string }
	read := func() (answer, uint32, string) {
		b, err := q.Balance(regAddrs[3])
		if err != nil {
			t.Error(err)
		}
		a, err := q.Asset("FOO.BAR", chain.MaxPage)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Error(err)
		}
		d, err := q.DID("alice")
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Error(err)
		}
		jb, _ := json.Marshal(b.ETP)
		ja, _ := json.Marshal(a.Holders)
		jd, _ := json.Marshal(d.History)
		if a.TipHeight != 0 && a.TipHeight != b.TipHeight || d.TipHeight != 0 && d.TipHeight != b.TipHeight {
			return answer{}, 0, "" // a block connected between the three calls: not comparable
		}
		return answer{string(jb), string(ja), string(jd)}, b.TipHeight, b.TipHash
	}
	// Record each height's answers while disconnecting, keeping the blocks.
	want := map[string]answer{}
	var blocks []*store.BlockUpdate
	for h.height > 0 {
		a, _, hash := read()
		want[hash] = a
		blk, err := h.s.DisconnectTip()
		if err != nil {
			t.Fatal(err)
		}
		blocks = append(blocks, &store.BlockUpdate{Block: blk, Raw: blk.Bytes(), Hash: blk.Hash(), Height: h.height})
		h.height--
	}
	a, _, hash := read()
	want[hash] = a
	var wg sync.WaitGroup
	done := make(chan struct{})
	reads := make(chan struct{}, 1) // the writer waits for a read after each block
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-done:
				return
			default:
			}
			got, height, hash := read()
			if hash == "" {
				continue
			}
			if got != want[hash] {
				t.Errorf("at %d (%s) the answers are not that tip's", height, hash)
			}
			select {
			case reads <- struct{}{}:
			default:
			}
		}
	}()
	for i := len(blocks) - 1; i >= 0; i-- {
		u := blocks[i]
		w, err := h.st.RecordWrites(u.Block, u.Height, regStoreView{h.s})
		if err != nil {
			t.Fatal(err)
		}
		u.Records = w
		if err := h.s.ConnectBlock(u); err != nil {
			t.Fatal(err)
		}
		<-reads
	}
	close(done)
	wg.Wait()
	if got, _, hash := read(); got != want[hash] {
		t.Fatal("the reconnected tip's answers differ")
	}
}

// TestQueriesBalanceOverflow: outputs whose sum passes 2^64 (no valid chain has them; the
// store keeps what it is given) are refused, never wrapped.
func TestQueriesBalanceOverflow(t *testing.T) {
	A := regAddrs[0]
	pay := script.PayToAddress(A)
	etp := tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeETP}
	big := func(sym string) tx.Attachment {
		return regOut(A, 0, &tx.AssetTransfer{Symbol: sym, Quantity: 1 << 63}).Attachment
	}
	cases := []struct {
		name string
		outs []tx.Output
	}{
		{"ETP", []tx.Output{{Value: 1 << 63, Script: pay, Attachment: etp}, {Value: 1 << 63, Script: pay, Attachment: etp}}},
		{"asset", []tx.Output{{Script: pay, Attachment: big("X")}, {Script: pay, Attachment: big("X")}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := store.Open(filepath.Join(t.TempDir(), "chain.db"), store.Options{Params: regP, NoSync: true})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			cb := tx.Tx{Version: tx.VersionFirst, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Index: 0xffffffff},
				Script: []byte{4, 1, 0, 0, 0}, Sequence: 0xffffffff}}, Outputs: c.outs}
			blk := &block.Block{Header: block.Header{Version: block.VersionPoW, PreviousBlockHash: regP.GenesisHash,
				Timestamp: 1_700_000_020, Bits: block.DifficultyFromUint64(1), Height: 1}, Transactions: []tx.Tx{cb}}
			blk.Header.MerkleRoot = block.MerkleRoot(blk.TxHashes())
			if err := s.ConnectBlock(&store.BlockUpdate{Block: blk, Raw: blk.Bytes(), Hash: blk.Hash(), Height: 1}); err != nil {
				t.Fatal(err)
			}
			if _, err := chain.NewQueries(s, regP).Balance(A); !errors.Is(err, chain.ErrBalanceOverflow) {
				t.Fatalf("%v, want ErrBalanceOverflow", err)
			}
		})
	}
}

// TestQueriesUTXOsPage: pages of every size add up to UTXOs and Coins, only the last page
// has no Next, and the boundaries (an empty address, exactly one page, a cursor past the
// end) end cleanly.
func TestQueriesUTXOsPage(t *testing.T) {
	h, _ := qLocks(t)
	for range 3 {
		h.connect(regAddrs[1])
	}
	q := chain.NewQueries(h.s, regP)
	B := regAddrs[1]
	all, err := q.UTXOs(B)
	if err != nil {
		t.Fatal(err)
	}
	coins, _, err := q.Coins(B)
	if err != nil {
		t.Fatal(err)
	}
	n := len(all.UTXOs)
	if n < 5 || len(coins) != n {
		t.Fatalf("%d UTXOs, %d coins", n, len(coins))
	}
	for _, size := range []int{1, 2, 3, n - 1, n, n + 1, chain.MaxPage} {
		var got []chain.AddressUTXO
		var gotCoins []wallet.Coin
		cursor := ""
		for pages := 0; ; pages++ {
			p, err := q.UTXOsPage(B, cursor, size)
			if err != nil || pages > n {
				t.Fatalf("size %d: %v", size, err)
			}
			cp, err := q.CoinsPage(B, cursor, size)
			if err != nil || cp.Next != p.Next || len(cp.Coins) != len(p.UTXOs) || cp.Tip != p.Tip || cp.Tip != all.Tip {
				t.Fatalf("size %d: coins page %d coins next %q, UTXO page %d next %q, %v", size, len(cp.Coins), cp.Next,
					len(p.UTXOs), p.Next, err)
			}
			if p.Address != B.String() || len(p.UTXOs) > size || (p.Next != "") != (len(p.UTXOs) == size && len(got)+size < n) {
				t.Fatalf("size %d: page of %d after %d, next %q", size, len(p.UTXOs), len(got), p.Next)
			}
			got, gotCoins = append(got, p.UTXOs...), append(gotCoins, cp.Coins...)
			if p.Next == "" {
				break
			}
			cursor = p.Next
		}
		if !slices.Equal(got, all.UTXOs) {
			t.Fatalf("pages of %d: %+v\nwant %+v", size, got, all.UTXOs)
		}
		for i := range coins {
			if gotCoins[i].OutPoint != coins[i].OutPoint || !coinEqual(gotCoins[i], coins[i]) {
				t.Fatalf("pages of %d: coin %d %v, want %v", size, i, gotCoins[i].OutPoint, coins[i].OutPoint)
			}
		}
	}
	// A cursor past every outpoint of B: an empty last page.
	p, err := q.UTXOsPage(B, "", 1)
	if err != nil || p.Next == "" {
		t.Fatalf("%+v %v", p, err)
	}
	past := []byte(p.Next)
	for i := len(past) - 72; i < len(past); i++ {
		past[i] = 'f'
	}
	if p, err := q.UTXOsPage(B, string(past), 10); err != nil || len(p.UTXOs) != 0 || p.Next != "" {
		t.Fatalf("past the end: %+v %v", p, err)
	}
	if p, err := q.CoinsPage(B, string(past), 10); err != nil || len(p.Coins) != 0 || p.Next != "" {
		t.Fatalf("coins past the end: %+v %v", p, err)
	}
	// An address with no outputs: an empty list, not null, and no Next.
	nobody := mvs.NewPubKeyHashAddress([20]byte{0xee}, regP)
	e, err := q.UTXOsPage(nobody, "", 10)
	if j, _ := json.Marshal(e); err != nil || e.Next != "" || !strings.Contains(string(j), `"utxos":[]`) || strings.Contains(string(j), "next") {
		t.Fatalf("no outputs: %s %v", j, err)
	}
	if c, err := q.CoinsPage(nobody, "", 10); err != nil || len(c.Coins) != 0 || c.Next != "" {
		t.Fatalf("no coins: %+v %v", c, err)
	}
}

// TestQueriesPageErrors: a page's arguments are checked, and a cursor of another address
// is refused rather than read as a position in this one.
func TestQueriesPageErrors(t *testing.T) {
	h := newRegHarness(t, false)
	A, B := regAddrs[0], regAddrs[1]
	h.connect(A)
	h.connect(A)
	h.connect(B)
	h.connect(B)
	q := chain.NewQueries(h.s, regP)
	pa, err := q.UTXOsPage(A, "", 1)
	if err != nil || pa.Next == "" {
		t.Fatalf("%+v %v", pa, err)
	}
	hist, err := q.History(A, "", 1)
	if err != nil || hist.Next == "" {
		t.Fatalf("%+v %v", hist, err)
	}
	cases := []struct {
		name   string
		addr   mvs.Address
		cursor string
		limit  int
		want   error
	}{
		{"cursor of another address", B, pa.Next, 5, chain.ErrBadQuery},
		{"cursor of another address (store)", B, pa.Next, 5, store.ErrBadRequest},
		{"a history cursor", A, hist.Next, 5, chain.ErrBadQuery},
		{"cursor not hex", A, "zz", 5, chain.ErrBadQuery},
		{"cursor of a wrong size", A, "00", 5, chain.ErrBadQuery},
		{"cursor one byte short", A, pa.Next[:len(pa.Next)-2], 5, chain.ErrBadQuery},
		{"limit 0", A, "", 0, chain.ErrBadQuery},
		{"limit over MaxPage", A, "", chain.MaxPage + 1, chain.ErrBadQuery},
		{"zero address", mvs.Address{}, "", 5, chain.ErrBadQuery},
	}
	for _, c := range cases {
		if _, err := q.UTXOsPage(c.addr, c.cursor, c.limit); !errors.Is(err, c.want) {
			t.Errorf("UTXOsPage: %s: %v, want %v", c.name, err, c.want)
		}
		if _, err := q.CoinsPage(c.addr, c.cursor, c.limit); !errors.Is(err, c.want) {
			t.Errorf("CoinsPage: %s: %v, want %v", c.name, err, c.want)
		}
	}
	// The same cursor is good for its own address.
	if p, err := q.UTXOsPage(A, pa.Next, 5); err != nil || len(p.UTXOs) == 0 {
		t.Fatalf("A's own cursor: %+v %v", p, err)
	}
	s2, err := store.Open(t.TempDir()+"/noindex.db", store.Options{Params: regP, NoSync: true, NoAddressIndex: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if _, err := chain.NewQueries(s2, regP).UTXOsPage(A, "", 1); !errors.Is(err, store.ErrNoAddressIndex) {
		t.Errorf("UTXOsPage without the address index: %v", err)
	}
	if _, err := chain.NewQueries(s2, regP).CoinsPage(A, "", 1); !errors.Is(err, store.ErrNoAddressIndex) {
		t.Errorf("CoinsPage without the address index: %v", err)
	}
}

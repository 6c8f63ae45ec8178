package chain_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/asset"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/did"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
	"github.com/mvsgo/mvs/wallet"
)

// regStoreView is a UTXOView over the store's regUnspent set as of the tip: it does not see the
// block being connected, so RecordWrites must find the block's own outputs itself.
type regStoreView struct{ s *store.Store }

func (v regStoreView) UTXO(op tx.OutPoint) (chain.UTXO, bool, error) {
	e, err := v.s.UTXO(op)
	if errors.Is(err, store.ErrNotFound) {
		return chain.UTXO{}, false, nil
	}
	if err != nil {
		return chain.UTXO{}, false, err
	}
	o, err := e.Output()
	if err != nil {
		return chain.UTXO{}, false, err
	}
	return chain.UTXO{Output: o, Height: e.Height, Coinbase: e.Coinbase, Coinstake: e.Coinstake}, true, nil
}

type regUnspent struct {
	out    tx.Output
	height uint32
}

// regHarness connects blocks of wallet-built transactions to a store, computing each
// block's record writes with StoreState, and keeps the same registries in asset.MemRegistry
// and did.Memory, and every regUnspent output, to check the store's answers against.
type regHarness struct {
	t      *testing.T
	p      *mvs.Params
	s      *store.Store
	st     *chain.StoreState
	batch  bool
	height uint32
	tip    mvs.Hash
	utxo   map[tx.OutPoint]regUnspent // as of the transactions queued so far
	queue  []*tx.Tx
	mem    *asset.MemRegistry
	dids   *did.Memory

	digests []mvs.Hash // by height
	answers []string   // by height
	probes  map[bool]int
	writes  []store.RecordWrite // of the last block
}

var (
	regP = mvs.RegTest()
	// regAddrs[0..4] are A..E.
	regAddrs = func() []mvs.Address {
		var out []mvs.Address
		for i := range 5 {
			out = append(out, mvs.NewPubKeyHashAddress(mvs.Hash160([]byte{byte(i), 'r'}), regP))
		}
		return out
	}()
	regBlackhole = mvs.Address{Kind: mvs.Blackhole}
	regSymbols   = []string{"FOO.BAR", "FOO.BAZ", "FOO", "MST.MINE", "MVS.WITNESS.1", "MVS.WITNESS.1.X", "NOPE"}
	regTypes     = []uint32{tx.CertIssue, tx.CertDomain, tx.CertNaming, tx.CertMining, tx.CertWitness}
	regMITs      = []string{"MYMIT", "MIT2", "NOPE"}
	regDIDs      = []string{"alice", "bob", "carol", "dave", did.BlackholeSymbol, "nobody"}
	miningParam  = "initial:1000,interval:100,base:0.95"
)

func newRegHarness(t *testing.T, batch bool) *regHarness {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), "chain.db"), store.Options{Params: regP, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	h := &regHarness{t: t, p: regP, s: s, st: chain.NewStoreState(s, regP), batch: batch, tip: regP.GenesisHash,
		utxo: map[tx.OutPoint]regUnspent{}, mem: &asset.MemRegistry{}, dids: did.NewMemory(), probes: map[bool]int{}}
	h.mem.RegisterDID(did.BlackholeSymbol, mvs.BlackholeAddress) // the node's seeded DID
	if batch {
		if err := s.BeginBatch(); err != nil {
			t.Fatal(err)
		}
	}
	h.record()
	return h
}

// coins are the regUnspent outputs with an address, in outpoint order (coin selection is then
// deterministic).
func (h *regHarness) coins() []wallet.Coin {
	var out []wallet.Coin
	for op, u := range h.utxo {
		if _, ok := script.Script(u.out.Script).Address(h.p); !ok {
			continue
		}
		out = append(out, wallet.Coin{PrevOut: tx.PrevOut{OutPoint: op, Value: u.out.Value, Script: u.out.Script,
			Attachment: u.out.Attachment, Height: u.height}})
	}
	slices.SortFunc(out, func(a, b wallet.Coin) int {
		if c := bytes.Compare(a.OutPoint.Hash[:], b.OutPoint.Hash[:]); c != 0 {
			return c
		}
		return int(a.OutPoint.Index) - int(b.OutPoint.Index)
	})
	return out
}

// builder builds against the queue so far: coins created earlier in the block are
// spendable (one confirmation counts the block being built).
func (h *regHarness) builder() *wallet.Builder {
	return &wallet.Builder{Params: h.p, TipHeight: h.height + 1, MinConfirmations: 1, AllowHighFee: true, Coins: h.coins()}
}

// coin finds the regUnspent output carrying what match accepts.
func (h *regHarness) coin(match func(a *tx.Attachment, addr string) bool) wallet.Coin {
	h.t.Helper()
	for _, c := range h.coins() {
		a, _ := script.Script(c.Script).Address(h.p)
		if match(&c.Attachment, a.String()) {
			return c
		}
	}
	h.t.Fatal("no such coin")
	return wallet.Coin{}
}

func regCertCoin(symbol string, typ uint32) func(a *tx.Attachment, _ string) bool {
	return func(a *tx.Attachment, _ string) bool {
		c, ok := a.Payload.(*tx.AssetCert)
		return ok && c.Symbol == symbol && c.CertType == typ
	}
}

func regETPCoin(addr mvs.Address) func(a *tx.Attachment, s string) bool {
	return func(a *tx.Attachment, s string) bool { return a.Type == tx.TypeETP && s == addr.String() }
}

// add queues a built transaction for the next block.
func (h *regHarness) add(u *wallet.Unsigned, err error) {
	h.t.Helper()
	if err != nil {
		h.t.Fatal(err)
	}
	h.queueTx(u.Tx)
}

func (h *regHarness) queueTx(t *tx.Tx) {
	for _, in := range t.Inputs {
		if _, ok := h.utxo[in.PreviousOutput]; !ok {
			h.t.Fatalf("queued tx spends unknown %v", in.PreviousOutput)
		}
		delete(h.utxo, in.PreviousOutput)
	}
	id := t.Hash()
	for i, o := range t.Outputs {
		h.utxo[tx.OutPoint{Hash: id, Index: uint32(i)}] = regUnspent{o, h.height + 1}
	}
	h.queue = append(h.queue, t)
}

// manual queues a transaction spending extra and the largest plain ETP coin, with outs and
// ETP change to from.
func (h *regHarness) manual(from mvs.Address, extra []wallet.Coin, outs ...tx.Output) *tx.Tx {
	var c wallet.Coin
	for _, k := range h.coins() {
		if k.Attachment.Type == tx.TypeETP && k.Value > c.Value {
			c = k
		}
	}
	var sum mvs.Amount
	for _, o := range outs {
		sum += o.Value
	}
	outs = append(outs, tx.Output{Value: c.Value - sum - h.p.MinTxFee, Script: script.PayToAddress(from),
		Attachment: tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeETP}})
	t := &tx.Tx{Version: tx.VersionNova, Outputs: outs}
	for _, e := range append(extra, c) {
		t.Inputs = append(t.Inputs, tx.Input{PreviousOutput: e.OutPoint, Sequence: 0xffffffff})
	}
	h.queueTx(t)
	return t
}

func regOut(to mvs.Address, value mvs.Amount, p tx.Payload) tx.Output {
	a := tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeETP}
	if p != nil {
		a.Type, a.Payload = p.AttachmentType(), p
	}
	return tx.Output{Value: value, Script: script.PayToAddress(to), Attachment: a}
}

// connect makes a block of a coinbase (paying each of pays 1,000,000 ETP) and the queue,
// computes its record writes, connects it, and checks every answer.
func (h *regHarness) connect(pays ...mvs.Address) {
	h.t.Helper()
	height := h.height + 1
	cb := tx.Tx{Version: tx.VersionFirst, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Index: 0xffffffff},
		Script: binary.LittleEndian.AppendUint32([]byte{4}, height), Sequence: 0xffffffff}}}
	for _, a := range pays {
		cb.Outputs = append(cb.Outputs, regOut(a, 1_000_000*mvs.SatoshiPerETP, nil))
	}
	if len(cb.Outputs) == 0 {
		miner := mvs.NewPubKeyHashAddress(mvs.Hash160([]byte("miner")), h.p)
		cb.Outputs = append(cb.Outputs, regOut(miner, 1, nil))
	}
	id := cb.Hash()
	for i, o := range cb.Outputs {
		h.utxo[tx.OutPoint{Hash: id, Index: uint32(i)}] = regUnspent{o, height}
	}
	txs := []tx.Tx{cb}
	for _, t := range h.queue {
		txs = append(txs, *t)
	}
	h.queue = nil
	blk := &block.Block{Header: block.Header{Version: block.VersionPoW, PreviousBlockHash: h.tip,
		Timestamp: 1_700_000_000 + 20*height, Bits: block.DifficultyFromUint64(1), Height: height}, Transactions: txs}
	blk.Header.MerkleRoot = block.MerkleRoot(blk.TxHashes())
	writes, err := h.st.RecordWrites(blk, height, regStoreView{h.s})
	if err != nil {
		h.t.Fatalf("block %d: RecordWrites: %v", height, err)
	}
	h.writes = writes
	if err := h.s.ConnectBlock(&store.BlockUpdate{Block: blk, Raw: blk.Bytes(), Hash: blk.Hash(), Height: height, Records: writes}); err != nil {
		h.t.Fatalf("block %d: %v", height, err)
	}
	h.height, h.tip = height, blk.Hash()
	for i := range blk.Transactions {
		h.fill(&blk.Transactions[i], height)
	}
	h.check()
	h.record()
}

// fill applies a confirmed transaction to the in-memory registries, as the chain does.
func (h *regHarness) fill(t *tx.Tx, height uint32) {
	if err := h.dids.Apply(t, uint64(height)); err != nil {
		h.t.Fatal(err)
	}
	for i := range t.Outputs {
		switch p := t.Outputs[i].Attachment.Payload.(type) {
		case *tx.AssetDetail:
			h.mem.RegisterAsset(*p)
		case *tx.AssetCert:
			_, exists, _ := h.mem.Cert(p.Symbol, p.CertType)
			if p.Status == tx.CertStatusIssue || p.Status == tx.CertStatusAutoIssue || exists {
				h.mem.RegisterCert(p.Symbol, p.CertType, p.Owner, p.Address)
			}
			if p.CertType == tx.CertWitness && strings.Count(p.Symbol, ".") >= 3 {
				h.mem.Witness = append(h.mem.Witness, p.Symbol)
			}
		case *tx.MIT:
			if p.Status == tx.MITStatusRegister {
				h.mem.RegisterMIT(p.Symbol, p.Address, p.Content)
			} else if m, ok := h.mem.MITs[p.Symbol]; ok {
				h.mem.RegisterMIT(p.Symbol, p.Address, m.Content)
			}
		case *tx.DID:
			h.mem.RegisterDID(p.Symbol, p.Address)
		}
	}
}

// record notes the digest and every answer at the new height.
func (h *regHarness) record() {
	h.t.Helper()
	if !h.batch {
		d, err := h.s.Digest()
		if err != nil {
			h.t.Fatal(err)
		}
		h.digests = append(h.digests, d)
	}
	h.answers = append(h.answers, h.dump())
}

// dump prints every answer of the StoreState for the queries the test knows.
func (h *regHarness) dump() string {
	h.t.Helper()
	var b strings.Builder
	must := func(v any, err error) any {
		if err != nil {
			h.t.Fatal(err)
		}
		return v
	}
	reg := h.st.Registries()
	for _, s := range regSymbols {
		a, ok, err := h.st.Asset(s)
		fmt.Fprintf(&b, "asset %s %v %+v %v\n", s, ok, a, err)
		for _, ty := range regTypes {
			c, ok, err := h.st.Cert(s, ty)
			fmt.Fprintf(&b, "cert %s %#x %v %+v %v\n", s, ty, ok, c, err)
			fmt.Fprintf(&b, "hist %v\n", must(h.st.History(chain.HistoryCert, s, ty)))
		}
		fmt.Fprintf(&b, "holders %s %+v\n", s, must(h.st.Holders(s)))
		fmt.Fprintf(&b, "hist %v\n", must(h.st.History(chain.HistoryAsset, s, 0)))
	}
	for _, s := range regMITs {
		m, ok, err := h.st.MIT(s)
		fmt.Fprintf(&b, "mit %s %v %+v %v %v\n", s, ok, m, err, must(h.st.History(chain.HistoryMIT, s, 0)))
	}
	for _, s := range regDIDs {
		d, ok, err := reg.DIDs.Resolve(s, uint64(h.height))
		fmt.Fprintf(&b, "did %s %v %+v %v %v\n", s, ok, d, err, must(reg.DIDs.History(s, uint64(h.height))))
	}
	for _, a := range append(slices.Clone(regAddrs), regBlackhole) {
		s, ok, err := reg.DIDs.SymbolOf(a.String(), uint64(h.height))
		fmt.Fprintf(&b, "symbolof %s %q %v %v\n", a, s, ok, err)
	}
	n, err := reg.Assets.SecondaryWitnessCerts("MVS.WITNESS.1", h.height+1)
	fmt.Fprintf(&b, "witness %d %v\n", n, err)
	lk := h.st.Lookups()
	ah, ok, err := lk.Mining.AssetHeight("MST.MINE")
	fmt.Fprintf(&b, "mining %d %v %v\n", ah, ok, err)
	mp, ok, err := lk.Mining.MiningParam("MST.MINE")
	fmt.Fprintf(&b, "mining %q %v %v\n", mp, ok, err)
	if !h.batch {
		locks, err := lk.Stakes.StakeLocks(regAddrs[3])
		fmt.Fprintf(&b, "stakes %+v %v\n", locks, err)
	}
	return b.String()
}

// check compares every registry answer with the in-memory registries and the holders with
// the regUnspent outputs.
func (h *regHarness) check() {
	h.t.Helper()
	reg := h.st.Registries()
	fail := func(format string, args ...any) {
		h.t.Helper()
		h.t.Fatalf("height %d: "+format, append([]any{h.height}, args...)...)
	}
	for _, s := range regSymbols {
		got, gok, gerr := reg.Assets.Asset(s)
		want, wok, _ := h.mem.Asset(s)
		if gerr != nil || gok != wok || !reflect.DeepEqual(got, want) {
			fail("Asset(%s) = %+v %v %v, want %+v %v", s, got, gok, gerr, want, wok)
		}
		for _, ty := range regTypes {
			got, gok, gerr := reg.Assets.Cert(s, ty)
			want, wok, _ := h.mem.Cert(s, ty)
			if gerr != nil || gok != wok || got != want {
				fail("Cert(%s, %#x) = %+v %v %v, want %+v %v", s, ty, got, gok, gerr, want, wok)
			}
		}
	}
	for _, s := range regMITs {
		got, gok, gerr := reg.Assets.MIT(s)
		want, wok, _ := h.mem.MIT(s)
		if gerr != nil || gok != wok || got != want {
			fail("MIT(%s) = %+v %v %v, want %+v %v", s, got, gok, gerr, want, wok)
		}
	}
	for _, s := range regDIDs {
		got, gok, gerr := reg.Assets.DIDAddress(s)
		want, wok, _ := h.mem.DIDAddress(s)
		if gerr != nil || gok != wok || got != want {
			fail("DIDAddress(%s) = %q %v %v, want %q %v", s, got, gok, gerr, want, wok)
		}
	}
	for _, primary := range []string{"MVS.WITNESS.1", "MVS.WITNESS.2", ""} {
		got, err := reg.Assets.SecondaryWitnessCerts(primary, h.height+1)
		want, _ := h.mem.SecondaryWitnessCerts(primary, h.height+1)
		if err != nil || got != want {
			fail("SecondaryWitnessCerts(%q) = %d %v, want %d", primary, got, err, want)
		}
	}
	// The DID registry at every height so far, against did.Memory.
	for at := uint64(0); at <= uint64(h.height)+1; at++ {
		for _, s := range regDIDs {
			got, gok, gerr := reg.DIDs.Resolve(s, at)
			want, wok, _ := h.dids.Resolve(s, at)
			if gerr != nil || gok != wok || got != want {
				fail("Resolve(%s, %d) = %+v %v %v, want %+v %v", s, at, got, gok, gerr, want, wok)
			}
			gh, gerr := reg.DIDs.History(s, at)
			wh, _ := h.dids.History(s, at)
			if gerr != nil || len(gh) != len(wh) || (len(gh) > 0 && !reflect.DeepEqual(gh, wh)) {
				fail("History(%s, %d) = %+v %v, want %+v", s, at, gh, gerr, wh)
			}
		}
		for _, a := range append(slices.Clone(regAddrs), regBlackhole) {
			got, gok, gerr := reg.DIDs.SymbolOf(a.String(), at)
			want, wok, _ := h.dids.SymbolOf(a.String(), at)
			if gerr != nil || gok != wok || got != want {
				fail("SymbolOf(%s, %d) = %q %v %v, want %q %v", a, at, got, gok, gerr, want, wok)
			}
		}
	}
	// Holders from the regUnspent outputs.
	want := map[string][]chain.Holder{}
	sums := map[[2]string]uint64{}
	for _, u := range h.utxo {
		var sym string
		var q uint64
		switch p := u.out.Attachment.Payload.(type) {
		case *tx.AssetDetail:
			sym, q = p.Symbol, p.MaximumSupply
		case *tx.AssetTransfer:
			sym, q = p.Symbol, p.Quantity
		default:
			continue
		}
		a, ok := script.Script(u.out.Script).Address(h.p)
		if ok && q > 0 {
			sums[[2]string{sym, a.String()}] += q
		}
	}
	for k, q := range sums {
		want[k[0]] = append(want[k[0]], chain.Holder{Symbol: k[0], Address: k[1], Quantity: q})
	}
	for _, s := range regSymbols {
		w := want[s]
		slices.SortFunc(w, func(a, b chain.Holder) int { return strings.Compare(a.Address, b.Address) })
		got, err := h.st.Holders(s)
		if err != nil || len(got) != len(w) || (len(w) > 0 && !reflect.DeepEqual(got, w)) {
			fail("Holders(%s) = %+v %v, want %+v", s, got, err, w)
		}
		var paged []chain.Holder
		for after := ""; ; {
			page, err := h.st.HoldersPage(s, after, 1)
			if err != nil {
				fail("HoldersPage(%s, %q): %v", s, after, err)
			}
			if len(page) == 0 {
				break
			}
			paged, after = append(paged, page...), page[0].Address
		}
		if len(paged) != len(w) || (len(w) > 0 && !reflect.DeepEqual(paged, w)) {
			fail("HoldersPage(%s) one by one = %+v, want %+v", s, paged, w)
		}
		for _, hd := range w {
			if q, err := h.st.Holding(s, hd.Address); err != nil || q != hd.Quantity {
				fail("Holding(%s, %s) = %d %v, want %d", s, hd.Address, q, err, hd.Quantity)
			}
		}
	}
	h.probe()
}

// probe judges transactions for the next block with asset.CheckTx and did.CheckTx against
// the store's registries and against the in-memory ones: the verdicts must agree.
func (h *regHarness) probe() {
	h.t.Helper()
	b := h.builder()
	A, B, C, D := regAddrs[0], regAddrs[1], regAddrs[2], regAddrs[3]
	find := func(match func(a *tx.Attachment, addr string) bool) (wallet.Coin, bool) {
		for _, c := range h.coins() {
			a, _ := script.Script(c.Script).Address(h.p)
			if match(&c.Attachment, a.String()) {
				return c, true
			}
		}
		return wallet.Coin{}, false
	}
	var builds []func() (*wallet.Unsigned, error)
	for _, sym := range []string{"FOO.BAR", "FOO.NEW", "BAR.ONE"} {
		builds = append(builds, func() (*wallet.Unsigned, error) {
			return b.IssueAsset(A, wallet.AssetIssue{Symbol: sym, MaximumSupply: 5, Threshold: 50, IssuerDID: "alice", DomainCert: true})
		})
	}
	for _, sym := range []string{"alice", "erin"} {
		for _, a := range []mvs.Address{A, regAddrs[4]} {
			builds = append(builds, func() (*wallet.Unsigned, error) { return b.RegisterDID(a, sym) })
		}
	}
	builds = append(builds,
		func() (*wallet.Unsigned, error) { return b.RegisterMIT(B, "MYMIT", "again") },
		func() (*wallet.Unsigned, error) { return b.RegisterMIT(B, "MIT3", "new") },
		func() (*wallet.Unsigned, error) { return b.SendAsset(C, "FOO.BAR", 1, "carol", "") },
	)
	if c, ok := find(regCertCoin("FOO", tx.CertDomain)); ok {
		builds = append(builds,
			func() (*wallet.Unsigned, error) { return b.IssueCert(c, "FOO.BAZ", C, "carol") },
			func() (*wallet.Unsigned, error) { return b.IssueCert(c, "FOO.QUX", D, "dave") },
			func() (*wallet.Unsigned, error) { return b.TransferCert(c, B, "bob") })
	}
	for _, build := range builds {
		u, err := build()
		if err != nil {
			continue // nothing to build it from yet
		}
		ga := asset.CheckTx(u.Tx, u.PrevOuts, h.height+1, h.p, h.st.Registries().Assets)
		wa := asset.CheckTx(u.Tx, u.PrevOuts, h.height+1, h.p, h.mem)
		gd := did.CheckTx(u.Tx, did.PrevOutList(u.PrevOuts), uint64(h.height+1), h.p, h.st.Registries().DIDs)
		wd := did.CheckTx(u.Tx, did.PrevOutList(u.PrevOuts), uint64(h.height+1), h.p, h.dids)
		if fmt.Sprint(ga) != fmt.Sprint(wa) || fmt.Sprint(gd) != fmt.Sprint(wd) {
			h.t.Fatalf("height %d: asset.CheckTx %v, with MemRegistry %v; did.CheckTx %v, with Memory %v", h.height, ga, wa, gd, wd)
		}
		h.probes[ga == nil && gd == nil]++
	}
}

// build connects the scenario: every registry transaction kind the wallet builds, plus a
// mining asset, a secondary witness certificate and a stake lock made by hand.
func (h *regHarness) build() {
	A, B, C, D, E := regAddrs[0], regAddrs[1], regAddrs[2], regAddrs[3], regAddrs[4]
	h.connect(A, B, C, D) // 1: funds
	h.add(h.builder().RegisterDID(A, "alice"))
	h.add(h.builder().RegisterDID(B, "bob"))
	h.add(h.builder().RegisterDID(C, "carol"))
	h.connect() // 2: DIDs
	h.add(h.builder().IssueAsset(A, wallet.AssetIssue{Symbol: "FOO.BAR", MaximumSupply: 1_000_000, Threshold: 127,
		IssuerDID: "alice", DomainCert: true}))
	h.add(h.builder().RegisterMIT(A, "MYMIT", "first content"))
	h.connect(A) // 3: issue with domain and issue certificates, MIT register
	h.add(h.builder().SendAsset(B, "FOO.BAR", 400_000, "bob", ""))
	h.add(h.builder().TransferMIT(h.coin(func(a *tx.Attachment, _ string) bool { _, ok := a.Payload.(*tx.MIT); return ok }), B))
	h.add(h.builder().IssueCert(h.coin(regCertCoin("FOO", tx.CertDomain)), "FOO.BAZ", C, "carol"))
	// An asset transfer spent again within the block: B passes some on to C.
	h.add(h.builder().SendAsset(C, "FOO.BAR", 150_000, "", ""))
	h.connect() // 4: transfers, naming certificate issue, an in-block spend
	held, _, _ := h.mem.Asset("FOO.BAR")
	h.add(h.builder().SecondaryIssue(A, wallet.SecondaryIssue{Detail: held.Detail, TotalSupply: held.Volume, Volume: 500_000,
		IssueCert: h.coin(regCertCoin("FOO.BAR", tx.CertIssue))}))
	h.add(h.builder().IssueAsset(C, wallet.AssetIssue{Symbol: "FOO.BAZ", MaximumSupply: 77, IssuerDID: "carol",
		NamingCert: regPtr(h.coin(regCertCoin("FOO.BAZ", tx.CertNaming)))}))
	h.add(h.builder().Send(wallet.Payment{To: D, Amount: 10 * mvs.SatoshiPerETP}))
	h.connect() // 5: secondary issue, issue under a naming certificate
	h.add(h.builder().TransferCert(h.coin(regCertCoin("FOO", tx.CertDomain)), B, "bob"))
	didCoin := h.coin(func(a *tx.Attachment, _ string) bool { d, ok := a.Payload.(*tx.DID); return ok && d.Symbol == "alice" })
	h.add(h.builder().TransferDID(didCoin, h.coin(regETPCoin(D)), D))
	h.connect() // 6: certificate transfer, DID transfer
	h.add(h.builder().RegisterDID(A, "dave"))
	h.add(h.builder().SendAsset(A, "FOO.BAR", 1000, "", "bob"))
	h.manual(A, nil,
		regOut(E, 0, &tx.AssetDetail{Symbol: "MST.MINE", MaximumSupply: 21_000_000, Issuer: "erin", Address: E.String()}),
		regOut(E, 0, &tx.AssetCert{Symbol: "MST.MINE", Owner: "erin", Address: E.String(), CertType: tx.CertMining,
			Status: tx.CertStatusAutoIssue, Content: miningParam}),
		regOut(E, 0, &tx.AssetCert{Symbol: "MVS.WITNESS.1.X", Owner: "erin", Address: E.String(), CertType: tx.CertWitness,
			Status: tx.CertStatusIssue}),
		tx.Output{Value: chain.MinStakeValue, Script: script.SequenceLock(D.Hash, 30_000),
			Attachment: tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeETP}})
	h.connect(E) // 7: DID to a fresh address, mining asset and certificate, witness, stake lock
	// A DID moves back and forth; the first binding's address is reused.
	didCoin = h.coin(func(a *tx.Attachment, _ string) bool { d, ok := a.Payload.(*tx.DID); return ok && d.Symbol == "dave" })
	h.add(h.builder().TransferDID(didCoin, h.coin(regETPCoin(E)), E))
	// A burn (the wallet refuses the regBlackhole, so by hand): the regBlackhole holds it.
	baz := h.coin(func(a *tx.Attachment, _ string) bool {
		d, ok := a.Payload.(*tx.AssetDetail)
		return ok && d.Symbol == "FOO.BAZ"
	})
	h.manual(C, []wallet.Coin{baz}, regOut(regBlackhole, 0, &tx.AssetTransfer{Symbol: "FOO.BAZ", Quantity: 7}),
		regOut(C, 0, &tx.AssetTransfer{Symbol: "FOO.BAZ", Quantity: 70}))
	// A holder of FOO.BAR passes all of it to E, who passes it to D in the same block: the
	// holder's record goes, and E's is never written.
	var from mvs.Address
	var coins []wallet.Coin
	var q uint64
	for _, c := range h.coins() {
		x, ok := c.Attachment.Payload.(*tx.AssetTransfer)
		a, _ := script.Script(c.Script).Address(h.p)
		if !ok || x.Symbol != "FOO.BAR" || a == D || (len(coins) > 0 && a != from) {
			continue
		}
		from, coins, q = a, append(coins, c), q+x.Quantity
	}
	h.manual(from, coins, regOut(E, 0, &tx.AssetTransfer{Symbol: "FOO.BAR", Quantity: q}))
	h.manual(E, []wallet.Coin{h.coin(func(a *tx.Attachment, s string) bool {
		x, ok := a.Payload.(*tx.AssetTransfer)
		return ok && x.Symbol == "FOO.BAR" && s == E.String()
	})}, regOut(D, 0, &tx.AssetTransfer{Symbol: "FOO.BAR", Quantity: q}))
	h.connect() // 8: DID moved again, a burn, a holder emptied
	for _, a := range []mvs.Address{from, E} {
		if n, err := h.st.Holding("FOO.BAR", a.String()); err != nil || n != 0 {
			h.t.Fatalf("%s holds %d FOO.BAR, %v", a, n, err)
		}
	}
	deleted := false
	for _, w := range h.writes {
		if w.Kind == store.KindHolder && strings.HasSuffix(string(w.Key), E.String()) {
			h.t.Fatalf("a holder record of E was written: %q = %x", w.Key, w.Value)
		}
		if w.Kind == store.KindHolder && string(w.Key) == "\x07FOO.BAR"+from.String() {
			if w.Value != nil {
				h.t.Fatalf("the emptied holder record was not deleted: %q = %x", w.Key, w.Value)
			}
			deleted = true
		}
	}
	if !deleted {
		h.t.Fatal("no delete of the emptied holder record")
	}
	if n, err := h.st.Holding("FOO.BAR", D.String()); err != nil || n != q {
		h.t.Fatalf("D holds %d FOO.BAR, %v; want %d", n, err, q)
	}
}

func regPtr[T any](v T) *T { return &v }

func TestStoreStateRegistries(t *testing.T) {
	h := newRegHarness(t, false)
	h.build()
	if h.probes[true] == 0 || h.probes[false] == 0 {
		t.Fatalf("probes accepted %d, refused %d: both verdicts must occur", h.probes[true], h.probes[false])
	}
	// Spot checks of what the scenario must have produced.
	a, ok, err := h.st.Asset("FOO.BAR")
	if err != nil || !ok || a.Volume != 1_500_000 || a.Height != 3 || a.Detail.Issuer != "alice" || a.Detail.MaximumSupply != 1_000_000 {
		t.Fatalf("FOO.BAR %+v %v %v", a, ok, err)
	}
	c, ok, err := h.st.Cert("FOO", tx.CertDomain)
	if err != nil || !ok || c.Owner != "bob" || c.Address != regAddrs[1].String() || c.Height != 3 || c.LastHeight != 6 || c.Status != tx.CertStatusTransfer {
		t.Fatalf("FOO domain %+v %v %v", c, ok, err)
	}
	m, ok, err := h.st.MIT("MYMIT")
	if err != nil || !ok || m.Address != regAddrs[1].String() || m.Content != "first content" || m.Height != 3 || m.LastHeight != 4 {
		t.Fatalf("MYMIT %+v %v %v", m, ok, err)
	}
	if hs, err := h.st.History(chain.HistoryDID, "alice", 0); err != nil || len(hs) != 2 || hs[0].Height != 2 || hs[1].Height != 6 {
		t.Fatalf("alice history %+v %v", hs, err)
	}
	lk := h.st.Lookups()
	if ah, ok, err := lk.Mining.AssetHeight("MST.MINE"); err != nil || !ok || ah != 7 {
		t.Fatalf("mining asset height %d %v %v", ah, ok, err)
	}
	if mp, ok, err := lk.Mining.MiningParam("MST.MINE"); err != nil || !ok || mp != miningParam {
		t.Fatalf("mining param %q %v %v", mp, ok, err)
	}
	if _, ok, err := lk.Mining.MiningParam("FOO.BAR"); err != nil || ok {
		t.Fatalf("FOO.BAR has no mining certificate: %v %v", ok, err)
	}
	locks, err := lk.Stakes.StakeLocks(regAddrs[3])
	if err != nil || len(locks) != 1 || locks[0].Height != 7 || locks[0].Output.Value != chain.MinStakeValue {
		t.Fatalf("stake locks %+v %v", locks, err)
	}
	// The node counts a secondary witness certificate only from the block after its own.
	if n, err := h.st.Registries().Assets.SecondaryWitnessCerts("MVS.WITNESS.1", 7); err != nil || n != 0 {
		t.Fatalf("witness certificates at their own height: %d %v", n, err)
	}
	if n, err := h.st.Registries().Assets.SecondaryWitnessCerts("MVS.WITNESS.1", 8); err != nil || n != 1 {
		t.Fatalf("witness certificates after: %d %v", n, err)
	}

	// Disconnect block by block: every answer and the digest return to the earlier ones.
	for h.height > 0 {
		if _, err := h.s.DisconnectTip(); err != nil {
			t.Fatal(err)
		}
		h.height--
		if d, err := h.s.Digest(); err != nil || d != h.digests[h.height] {
			t.Fatalf("after disconnecting to %d: digest %v %v, want %v", h.height, d, err, h.digests[h.height])
		}
		if got := h.dump(); got != h.answers[h.height] {
			t.Fatalf("after disconnecting to %d the answers differ:\n%s", h.height, regDiff(got, h.answers[h.height]))
		}
	}
}

// TestStoreStateInBatch: the same blocks connected inside one batch give the same answers
// block by block (reads see the batch) and, once flushed, the same store.
func TestStoreStateInBatch(t *testing.T) {
	plain := newRegHarness(t, false)
	plain.build()
	h := newRegHarness(t, true)
	h.build()
	for i := range h.answers {
		want := plain.answers[i]
		want = want[:strings.LastIndex(want, "stakes ")]
		if h.answers[i] != want {
			t.Fatalf("height %d: answers in a batch differ:\n%s", i, regDiff(h.answers[i], want))
		}
	}
	// Stake locks read the address index through the batch too.
	inBatch, err := h.st.Lookups().Stakes.StakeLocks(regAddrs[3])
	if err != nil {
		t.Fatal(err)
	}
	committed, err := plain.st.Lookups().Stakes.StakeLocks(regAddrs[3])
	if err != nil || len(committed) == 0 || !reflect.DeepEqual(inBatch, committed) {
		t.Fatalf("stake locks in a batch %v, committed %v (%v)", inBatch, committed, err)
	}
	if err := h.s.Flush(); err != nil {
		t.Fatal(err)
	}
	if d, err := h.s.Digest(); err != nil || d != plain.digests[len(plain.digests)-1] {
		t.Fatalf("flushed digest %v %v, want %v", d, err, plain.digests[len(plain.digests)-1])
	}
}

func regDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	var b strings.Builder
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			fmt.Fprintf(&b, "got  %s\nwant %s\n", gl, wl)
		}
	}
	return b.String()
}

// TestStoreStateConcurrentReads: registry reads from other goroutines while blocks connect
// (run with -race).
func TestStoreStateConcurrentReads(t *testing.T) {
	h := newRegHarness(t, false)
	done := make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		defer close(errc)
		reg := h.st.Registries()
		for {
			select {
			case <-done:
				return
			default:
			}
			if _, _, err := reg.Assets.Asset("FOO.BAR"); err != nil {
				errc <- err
				return
			}
			if _, _, err := reg.DIDs.Resolve("alice", 3); err != nil {
				errc <- err
				return
			}
			if _, err := h.st.Holders("FOO.BAR"); err != nil {
				errc <- err
				return
			}
		}
	}()
	h.build()
	close(done)
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

package wallet_test

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
	"github.com/mvsgo/mvs/wallet"
)

func depReadJSON(t testing.TB, name string, v any) {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

func depAddr(t testing.TB, s string, p *mvs.Params) mvs.Address {
	t.Helper()
	a, err := mvs.DecodeAddress(s, p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// depRealTx returns the transaction of testdata/mvs-chain.json at index i.
func depRealTx(t testing.TB, i int) *tx.Tx {
	t.Helper()
	var d struct{ Transactions []struct{ Raw, Txid string } }
	depReadJSON(t, "mvs-chain.json", &d)
	raw, _ := hex.DecodeString(d.Transactions[i].Raw)
	x, err := tx.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	if x.Hash().String() != d.Transactions[i].Txid {
		t.Fatalf("tx %d: hash %s", i, x.Hash())
	}
	return x
}

// TestScanRealTransactions: real mainnet transactions (ETP, MST transfer and issue, MIT
// register) credit what each output holds, with the caller's label.
func TestScanRealTransactions(t *testing.T) {
	p := mvs.MainNet()
	for _, c := range []struct {
		tx       int
		addr     string
		outputs  []uint32
		value    []mvs.Amount
		holding  []wallet.Holding
		symbol   []string
		quantity []uint64
	}{
		{0, "MLBpibtdZSSsGM7eLFHNnwRP85zPt8un9r", []uint32{0}, []mvs.Amount{235481340}, []wallet.Holding{wallet.HoldsETP}, []string{""}, []uint64{0}},
		{1, "MNbuDxFiLY349YgDxpoe7uEWwYnyNKQHEP", []uint32{1, 2}, []mvs.Amount{243490000, 0},
			[]wallet.Holding{wallet.HoldsETP, wallet.HoldsAsset}, []string{"", "DNA"}, []uint64{0, 30858480684}},
		{2, "MMkJjWCYFBRX7aXf9HsP5BqvUitVA8uyNk", []uint32{0, 1}, []mvs.Amount{0, 83999990000},
			[]wallet.Holding{wallet.HoldsAsset, wallet.HoldsETP}, []string{"888", ""}, []uint64{100000000000000, 0}},
		{3, "M9EKLDaTvhyZXmEsmXmDPCKhwApEwiwvYT", []uint32{0, 1}, []mvs.Amount{0, 199990000},
			[]wallet.Holding{wallet.HoldsMIT, wallet.HoldsETP}, []string{"Zj1314", ""}, []uint64{0, 0}},
	} {
		x := depRealTx(t, c.tx)
		s, err := wallet.NewDepositScanner(p, []wallet.DepositAddress{
			{Address: depAddr(t, c.addr, p), Index: 77, Label: "customer-77"},
			{Address: depAddr(t, "MGqHvbaH9wzdr6oUDFz4S1HptjoKQcjRve", p), Index: 1, Label: "unrelated"},
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.ScanTx(x)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(c.outputs) {
			t.Fatalf("tx %d: %d credits, want %d: %+v", c.tx, len(got), len(c.outputs), got)
		}
		for j, cr := range got {
			if cr.TxID != x.Hash() || cr.Index != c.outputs[j] || cr.To.Label != "customer-77" || cr.To.Index != 77 ||
				cr.Value != c.value[j] || cr.Holding != c.holding[j] || cr.Symbol != c.symbol[j] || cr.Quantity != c.quantity[j] ||
				cr.Lock.Kind != wallet.LockNone || cr.Confirmed || cr.Coinbase || cr.Class != script.PayKeyHash {
				t.Errorf("tx %d credit %d: %+v", c.tx, j, cr)
			}
			if cr.SpendableAt(1<<31, 1<<40) {
				t.Errorf("tx %d: an unconfirmed credit is spendable", c.tx)
			}
		}
	}
}

func depRealBlock(t testing.TB, i int) *block.Block {
	t.Helper()
	var d struct{ Blocks []struct{ Raw string } }
	depReadJSON(t, "real-blocks.json", &d)
	raw, _ := hex.DecodeString(d.Blocks[i].Raw)
	b, err := block.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestScanRealBlocks: a PoW block's coinbase is immature for CoinbaseMaturity blocks; a PoS
// block's coinstake output is flagged, with no maturity (the node applies none).
func TestScanRealBlocks(t *testing.T) {
	p := mvs.MainNet()
	pow := depRealBlock(t, 0)
	s, _ := wallet.NewDepositScanner(p, []wallet.DepositAddress{{Address: depAddr(t, "MAXwUSQKHWxVYvpg4Cs3epPQTLKg14WjaB", p), Label: "pool"}})
	got, err := s.ScanBlock(pow)
	if err != nil || len(got) != 1 {
		t.Fatalf("pow: %+v %v", got, err)
	}
	c := got[0]
	if !c.Coinbase || c.Coinstake || !c.Confirmed || c.Height != 2_200_000 || c.MatureHeight != 2_201_000 || c.Value != 244351875 ||
		c.Timestamp != pow.Header.Timestamp || c.TxID != pow.Transactions[0].Hash() {
		t.Errorf("pow coinbase: %+v", c)
	}
	if c.SpendableAt(2_200_999, 0) || !c.SpendableAt(2_201_000, 0) {
		t.Error("coinbase maturity")
	}

	pos := depRealBlock(t, 1)
	s, _ = wallet.NewDepositScanner(p, []wallet.DepositAddress{{Address: depAddr(t, "MQWyTasDiEsAUqHy6fHuvzA2vozcVCVizQ", p), Label: "staker"}})
	got, err = s.ScanBlock(pos)
	if err != nil || len(got) != 2 {
		t.Fatalf("pos: %+v %v", got, err)
	}
	if !got[0].Coinbase || got[0].Coinstake || got[1].Coinbase || !got[1].Coinstake || got[1].Index != 1 || got[1].Value != 100768973305 {
		t.Errorf("pos: %+v", got)
	}
	if !got[1].SpendableAt(3_588_504, 0) {
		t.Error("coinstake output is not spendable at once")
	}
}

// depHash is a made-up key hash.
func depHash(i uint32) [20]byte {
	var h [20]byte
	binary.BigEndian.PutUint32(h[:], i)
	h[19] = 0x5a
	return h
}

func depOut(sc script.Script, value mvs.Amount, att tx.Attachment) tx.Output {
	if att.Type == tx.TypeETP && att.Version == 0 {
		att.Version = tx.AttachVersion
	}
	return tx.Output{Value: value, Script: sc, Attachment: att}
}

func depSpendTx(outs ...tx.Output) tx.Tx {
	return tx.Tx{Version: 4, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Hash: mvs.Hash{1}, Index: 0}, Sequence: 0xffffffff}}, Outputs: outs}
}

// TestScanLocks: each lock pattern is credited with its lock and unlock heights, the trap
// shapes are not credited, and non-amount attachments are reported as such.
func TestScanLocks(t *testing.T) {
	p := mvs.MainNet()
	h := depHash(1)
	to := mvs.NewPubKeyHashAddress(h, p)
	pub, _ := hex.DecodeString("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798") // key 1
	keyAddr := mvs.NewPubKeyAddress(pub, p)
	msH := depHash(2)
	ms := mvs.NewScriptHashAddress(msH, p)
	s, err := wallet.NewDepositScanner(p, []wallet.DepositAddress{{Address: to, Label: "a"}, {Address: keyAddr, Label: "k"}, {Address: ms, Label: "ms"}})
	if err != nil {
		t.Fatal(err)
	}
	const model = "PN=0;LH=20000;TYPE=1;LQ=9000;LP=60000;UN=3"
	att, err := script.Attenuation(h, model, script.NullOutPoint())
	if err != nil {
		t.Fatal(err)
	}
	negDeposit := append(script.Script{0x01, 0x81, byte(script.OP_NUMEQUALVERIFY)}, script.PayToPubKeyHash(h)...) // lock height −1
	// A PUSHDATA2 model "PN=" that is no model: the pattern, but CHECKATTENUATIONVERIFY fails.
	badModel := append(script.Script{byte(script.OP_PUSHDATA2), 3, 0, 'P', 'N', '=', 36}, script.NullOutPoint().Bytes()...)
	badModel = append(append(badModel, byte(script.OP_CHECKATTENUATIONVERIFY)), script.PayToPubKeyHash(h)...)
	inputShaped := append(append(script.Script{9, 0x30, 6, 2, 1, 1, 2, 1, 1, 1}, 33), pub...) // <sig> <pubkey>: anyone can spend it
	if a, ok := inputShaped.Address(p); !ok || a != keyAddr {
		t.Fatalf("Script.Address of the input-shaped script: %v %v", a, ok) // the trap the scanner avoids
	}
	transfer := func(q uint64) tx.Attachment {
		return tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeAsset, Payload: &tx.AssetTransfer{Symbol: "DNA", Quantity: q}}
	}
	outs := []tx.Output{
		depOut(script.PayToPubKeyHash(h), 100, tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeMessage, Payload: &tx.Message{Content: "memo 42"}}),
		depOut(script.LockHeightDeposit(h, 25200), 5_000_000, tx.Attachment{}),
		depOut(script.SequenceLock(h, 1000), 7, tx.Attachment{}),
		depOut(script.SequenceLock(h, script.SequenceLockTimeTypeFlag|10), 8, tx.Attachment{}),
		depOut(script.SequenceLock(h, script.SequenceLockTimeDisableFlag|10), 9, tx.Attachment{}),
		depOut(att, 0, transfer(10000)),
		depOut(negDeposit, 11, tx.Attachment{}),
		depOut(badModel, 0, transfer(5)),
		depOut(inputShaped, 12, tx.Attachment{}),
		depOut(append(append(script.Script{33}, pub...), byte(script.OP_CHECKSIG)), 13, tx.Attachment{}),
		depOut(script.PayToScriptHash(msH), 14, tx.Attachment{}),
		depOut(script.PayToPubKeyHash(h), 0, tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeAssetCert,
			Payload: &tx.AssetCert{Symbol: "DNA", Owner: "bob", Address: to.String(), CertType: tx.CertIssue, Status: tx.CertStatusTransfer}}),
		depOut(script.PayToPubKeyHash(h), 0, tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeDID,
			Payload: &tx.DID{Status: tx.DIDStatusTransfer, Symbol: "bob", Address: to.String()}}),
		depOut(script.PayToPubKeyHash(depHash(3)), 15, tx.Attachment{}), // nobody watched
	}
	x := depSpendTx(outs...)
	blk := &block.Block{Header: block.Header{Height: 1_000_000, Timestamp: 1_600_000_000}, Transactions: []tx.Tx{x}}
	got, err := s.ScanBlock(blk)
	if err != nil {
		t.Fatal(err)
	}
	byIndex := map[uint32]wallet.Credit{}
	for _, c := range got {
		byIndex[c.Index] = c
	}
	if len(byIndex) != len(got) || len(got) != 12 {
		t.Fatalf("%d credits: %+v", len(got), got)
	}
	if _, ok := byIndex[8]; ok {
		t.Error("input-shaped output credited")
	}
	const height = 1_000_000
	for _, c := range []struct {
		index     uint32
		class     script.Class
		kind      wallet.LockKind
		unlock    uint64
		spendable uint32 // first tip height at which SpendableAt is true; 0: never checked by height
	}{
		{0, script.PayKeyHash, wallet.LockNone, 0, height},
		{1, script.PayKeyHashWithLockHeight, wallet.LockDeposit, height + 25200, height + 25200},
		{2, script.PayKeyHashWithSequenceLock, wallet.LockSequence, height + 1000, height + 1000},
		{4, script.PayKeyHashWithSequenceLock, wallet.LockSequence, height, height},
		{5, script.PayKeyHashWithAttenuationModel, wallet.LockAttenuation, height + 60000, height + 60000},
		{6, script.PayKeyHashWithLockHeight, wallet.LockUnspendable, 0, 0},
		{7, script.PayKeyHashWithAttenuationModel, wallet.LockUnspendable, 0, 0},
		{9, script.PayPublicKey, wallet.LockNone, 0, height},
		{10, script.PayScriptHash, wallet.LockNone, 0, height},
	} {
		cr := byIndex[c.index]
		if cr.Class != c.class || cr.Lock.Kind != c.kind || cr.Lock.UnlockHeight != c.unlock || !cr.Confirmed || cr.Height != height {
			t.Errorf("output %d: %+v", c.index, cr)
		}
		if c.spendable == 0 {
			if cr.SpendableAt(1<<32-1, 1<<40) {
				t.Errorf("output %d: unspendable lock is spendable", c.index)
			}
			continue
		}
		if cr.SpendableAt(c.spendable-1, 1<<40) || !cr.SpendableAt(c.spendable, 0) {
			t.Errorf("output %d: spendable at %d", c.index, c.spendable)
		}
	}
	if c := byIndex[0]; c.Memo != "memo 42" || c.Holding != wallet.HoldsETP || c.To.Label != "a" || c.Value != 100 {
		t.Errorf("message: %+v", c)
	}
	if c := byIndex[1]; c.Lock.Blocks != 25200 {
		t.Errorf("deposit: %+v", c.Lock)
	}
	if c := byIndex[3]; !c.Lock.ByTime || c.Lock.Seconds != 10<<5 || c.Lock.UnlockTime != 1_600_000_000+320 ||
		c.SpendableAt(height+5, 1_600_000_319) || !c.SpendableAt(height+5, 1_600_000_320) {
		t.Errorf("time lock: %+v", c.Lock)
	}
	if c := byIndex[4]; !c.Lock.Disabled {
		t.Errorf("disabled sequence lock: %+v", c.Lock)
	}
	if c := byIndex[5]; c.Holding != wallet.HoldsAsset || c.Symbol != "DNA" || c.Quantity != 10000 || c.Lock.LockedQuantity != 9000 ||
		c.Lock.FirstReleaseHeight != height+20000 || c.Lock.Blocks != 60000 || c.Lock.ModelParam != model || c.Lock.Model.UN != 3 {
		t.Errorf("attenuation: %+v", c)
	}
	if c := byIndex[9]; c.To.Label != "k" || c.To.Address != keyAddr {
		t.Errorf("P2PK: %+v", c)
	}
	if c := byIndex[10]; c.To.Label != "ms" || c.Value != 14 {
		t.Errorf("P2SH: %+v", c)
	}
	if c := byIndex[11]; c.Holding != wallet.HoldsCertificate || c.Symbol != "DNA" || c.CertType != tx.CertIssue || c.Quantity != 0 {
		t.Errorf("certificate: %+v", c)
	}
	if c := byIndex[12]; c.Holding != wallet.HoldsDID || c.Symbol != "bob" {
		t.Errorf("DID: %+v", c)
	}

	// Unconfirmed: the same locks, durations only.
	got, err = s.ScanTx(&blk.Transactions[0])
	if err != nil || len(got) != 12 {
		t.Fatalf("ScanTx: %d %v", len(got), err)
	}
	for _, c := range got {
		if c.Confirmed || c.Lock.UnlockHeight != 0 || c.Lock.FirstReleaseHeight != 0 {
			t.Errorf("unconfirmed output %d: %+v", c.Index, c)
		}
	}
}

// TestScanDepositInterestCoinbase: a pre-PoS deposit-interest coinbase pays the reward
// under the deposit script: immature and deposit-locked at once.
func TestScanDepositInterestCoinbase(t *testing.T) {
	p := mvs.TestNet()
	h := depHash(9)
	s, _ := wallet.NewDepositScanner(p, []wallet.DepositAddress{{Address: mvs.NewPubKeyHashAddress(h, p), Label: "d"}})
	cb := tx.Tx{Version: 1, Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Index: 0xffffffff}, Script: []byte{3, 1, 2, 3}}},
		Outputs: []tx.Output{depOut(script.LockHeightDeposit(h, 50), 1234, tx.Attachment{})}}
	got, err := s.ScanBlock(&block.Block{Header: block.Header{Height: 100}, Transactions: []tx.Tx{cb}})
	if err != nil || len(got) != 1 {
		t.Fatalf("%+v %v", got, err)
	}
	c := got[0]
	if !c.Coinbase || c.MatureHeight != 101 || c.Lock.Kind != wallet.LockDeposit || c.Lock.UnlockHeight != 150 {
		t.Errorf("%+v", c)
	}
	if c.SpendableAt(149, 0) || !c.SpendableAt(150, 0) {
		t.Error("deposit interest spendable")
	}
}

// TestAccountScannerGap: an account scanner watches issued+gap addresses, extends the
// window when a deposit lands in the gap, and rescans the block so an earlier transaction
// paying a newly derived address is found.
func TestAccountScannerGap(t *testing.T) {
	p := mvs.MainNet()
	a, _ := wallet.NewAccountFromMnemonic("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", p)
	w, _ := wallet.NewWatchOnlyAccount(a.ExtendedPublicKey(), p)
	s, err := wallet.NewAccountDepositScanner(w, 0, 5)
	if err != nil {
		t.Fatal(err)
	}
	if s.Watched() != 5 {
		t.Fatalf("watched %d", s.Watched())
	}
	addr := func(i uint32) tx.Output {
		ad, _ := a.Address(i)
		return depOut(script.PayToAddress(ad), 1000+mvs.Amount(i), tx.Attachment{})
	}
	blk := &block.Block{Header: block.Header{Height: 10}, Transactions: []tx.Tx{
		depSpendTx(addr(8)), // beyond the window until the deposit to m/4 extends it
		depSpendTx(addr(4)),
		depSpendTx(addr(30)), // beyond any window
	}}
	got, err := s.ScanBlock(blk)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].To.Index != 8 || got[1].To.Index != 4 || got[0].Value != 1008 || got[0].To.Label != "" {
		t.Fatalf("%+v", got)
	}
	if s.Watched() != 14 { // m/0 … m/13: gap 5 past m/8
		t.Errorf("watched %d", s.Watched())
	}
	if err := s.Issued(30); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ScanBlock(blk); len(got) != 3 {
		t.Errorf("after Issued(30): %+v", got)
	}
	if got, err := s.ScanTx(&blk.Transactions[2]); err != nil || len(got) != 1 || got[0].To.Index != 30 {
		t.Errorf("ScanTx m/30: %+v %v", got, err)
	}
}

func TestDepositScannerErrors(t *testing.T) {
	main, test := mvs.MainNet(), mvs.TestNet()
	h := depHash(5)
	if _, err := wallet.NewDepositScanner(nil, nil); !errors.Is(err, wallet.ErrNoParams) {
		t.Errorf("nil params: %v", err)
	}
	if _, err := wallet.NewAccountDepositScanner(&wallet.Account{}, 0, 0); !errors.Is(err, wallet.ErrNoParams) {
		t.Errorf("zero account: %v", err)
	}
	if _, err := wallet.NewAccountDepositScanner(nil, 0, 0); !errors.Is(err, wallet.ErrNoParams) {
		t.Errorf("nil account: %v", err)
	}
	s, _ := wallet.NewDepositScanner(main, nil)
	blackhole, _ := mvs.DecodeAddress(mvs.BlackholeAddress, main)
	for name, c := range map[string]struct {
		a    mvs.Address
		want []error
	}{
		"testnet address": {mvs.NewPubKeyHashAddress(h, test), []error{wallet.ErrWatchAddress, mvs.ErrAddressNetwork}},
		"zero address":    {mvs.Address{}, []error{wallet.ErrWatchAddress}},
		"blackhole":       {blackhole, []error{wallet.ErrWatchAddress}},
	} {
		err := s.Watch(wallet.DepositAddress{Address: c.a})
		for _, w := range c.want {
			if !errors.Is(err, w) {
				t.Errorf("%s: %v, want %v", name, err, w)
			}
		}
	}
	if err := s.Watch(wallet.DepositAddress{Address: mvs.NewPubKeyHashAddress(h, main), Label: "x"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Watch(wallet.DepositAddress{Address: mvs.NewPubKeyHashAddress(h, main), Label: "y"}); !errors.Is(err, wallet.ErrDuplicateWatch) {
		t.Errorf("duplicate: %v", err)
	}
	// The same hash as P2SH is another address.
	if err := s.Watch(wallet.DepositAddress{Address: mvs.NewScriptHashAddress(h, main)}); err != nil {
		t.Errorf("P2SH of the same hash: %v", err)
	}
	if _, err := wallet.NewDepositScanner(main, []wallet.DepositAddress{{Address: mvs.NewPubKeyHashAddress(h, main)}, {Address: mvs.NewPubKeyHashAddress(h, main)}}); !errors.Is(err, wallet.ErrDuplicateWatch) {
		t.Errorf("duplicate in list: %v", err)
	}
	if _, err := s.ScanTx(nil); !errors.Is(err, wallet.ErrNothingToScan) {
		t.Errorf("nil tx: %v", err)
	}
	if _, err := s.ScanBlock(nil); !errors.Is(err, wallet.ErrNothingToScan) {
		t.Errorf("nil block: %v", err)
	}
	if err := s.Issued(3); !errors.Is(err, wallet.ErrNotAccountScanner) {
		t.Errorf("Issued on an address scanner: %v", err)
	}
}

// TestScanAllocations: scanning outputs that pay nobody watched allocates nothing.
func TestScanAllocations(t *testing.T) {
	p := mvs.MainNet()
	var watched []wallet.DepositAddress
	for i := range uint32(1000) {
		watched = append(watched, wallet.DepositAddress{Address: mvs.NewPubKeyHashAddress(depHash(i), p), Index: i})
	}
	s, _ := wallet.NewDepositScanner(p, watched)
	var txs []tx.Tx
	for i := range uint32(50) {
		h := depHash(1_000_000 + i)
		txs = append(txs, depSpendTx(depOut(script.PayToPubKeyHash(h), 1, tx.Attachment{}), depOut(script.PayToScriptHash(h), 1, tx.Attachment{}),
			depOut(script.LockHeightDeposit(h, 25200), 1, tx.Attachment{}), depOut(script.Blackhole(), 1, tx.Attachment{})))
	}
	blk := &block.Block{Header: block.Header{Height: 5}, Transactions: txs}
	if n := testing.AllocsPerRun(20, func() {
		if got, err := s.ScanBlock(blk); err != nil || got != nil {
			t.Fatal(got, err)
		}
	}); n != 0 {
		t.Errorf("%v allocations per block of non-matching outputs", n)
	}
}

// BenchmarkScanDeposits scans a 2,000-transaction block (two P2PKH outputs each, one in a
// hundred paying a watched address) against 100,000 watched addresses.
func BenchmarkScanDeposits(b *testing.B) {
	p := mvs.MainNet()
	const watchedN = 100_000
	watched := make([]wallet.DepositAddress, watchedN)
	for i := range uint32(watchedN) {
		watched[i] = wallet.DepositAddress{Address: mvs.NewPubKeyHashAddress(depHash(i), p), Index: i}
	}
	s, err := wallet.NewDepositScanner(p, watched)
	if err != nil {
		b.Fatal(err)
	}
	txs := make([]tx.Tx, 2000)
	matches := 0
	for i := range uint32(len(txs)) {
		pay := depHash(watchedN + i) // nobody's
		if i%100 == 0 {
			pay = depHash(i * 37)
			matches++
		}
		txs[i] = depSpendTx(depOut(script.PayToPubKeyHash(pay), 100_000_000, tx.Attachment{}),
			depOut(script.PayToPubKeyHash(depHash(2*watchedN+i)), 5_000_000, tx.Attachment{}))
	}
	blk := &block.Block{Header: block.Header{Height: 2_000_000}, Transactions: txs}
	b.ReportAllocs()
	for b.Loop() {
		got, err := s.ScanBlock(blk)
		if err != nil || len(got) != matches {
			b.Fatal(len(got), err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(2*len(txs)), "ns/output")
}

// TestScanConcurrent: scanning and watching from several goroutines at once (run with
// -race).
func TestScanConcurrent(t *testing.T) {
	p := mvs.MainNet()
	a, _ := wallet.NewAccountFromMnemonic("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", p)
	s, err := wallet.NewAccountDepositScanner(a, 0, 3)
	if err != nil {
		t.Fatal(err)
	}
	var txs []tx.Tx
	for i := range uint32(12) {
		ad, _ := a.Address(i)
		txs = append(txs, depSpendTx(depOut(script.PayToAddress(ad), 1, tx.Attachment{})))
	}
	blk := &block.Block{Header: block.Header{Height: 1}, Transactions: txs}
	done := make(chan error)
	for g := range uint32(4) {
		go func() {
			for range 20 {
				if _, err := s.ScanBlock(blk); err != nil {
					done <- err
					return
				}
				_ = s.Watched()
			}
			done <- s.Watch(wallet.DepositAddress{Address: mvs.NewScriptHashAddress(depHash(g), p)})
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	// Each deposit lands inside the gap, so the window walks to every one of them.
	if got, _ := s.ScanBlock(blk); len(got) != 12 {
		t.Errorf("%d credits", len(got))
	}
}

// FuzzScanTx: decoded transactions of any shape scan without panicking, and every credit
// pays the watched address with one of the credited patterns.
func FuzzScanTx(f *testing.F) {
	var d struct{ Transactions []struct{ Raw string } }
	depReadJSON(f, "mvs-chain.json", &d)
	for _, x := range d.Transactions {
		raw, _ := hex.DecodeString(x.Raw)
		f.Add(raw)
	}
	p := mvs.MainNet()
	watched := []wallet.DepositAddress{
		{Address: depAddr(f, "MNbuDxFiLY349YgDxpoe7uEWwYnyNKQHEP", p)},
		{Address: depAddr(f, "MMkJjWCYFBRX7aXf9HsP5BqvUitVA8uyNk", p)},
		{Address: depAddr(f, "MLBpibtdZSSsGM7eLFHNnwRP85zPt8un9r", p)},
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		x, err := tx.Decode(raw)
		if err != nil {
			return
		}
		s, _ := wallet.NewDepositScanner(p, watched)
		got, err := s.ScanTx(x)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range got {
			if a, ok := script.Script(x.Outputs[c.Index].Script).Address(p); !ok || a != c.To.Address {
				t.Fatalf("credit %d pays %v", c.Index, a)
			}
			switch c.Class {
			case script.PayKeyHash, script.PayPublicKey, script.PayScriptHash, script.PayKeyHashWithLockHeight,
				script.PayKeyHashWithSequenceLock, script.PayKeyHashWithAttenuationModel:
			default:
				t.Fatalf("credited class %v", c.Class)
			}
		}
	})
}

package store

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/tx"
)

func testEntries() []Entry {
	return []Entry{
		{Value: 0, Script: []byte{}, Attachment: []byte{0, 0, 0, 0, 0, 0, 0, 0}},
		{Value: 1<<64 - 1, Script: []byte{0x76, 0xa9}, Attachment: []byte{1}, Height: 1<<32 - 1, Coinbase: true},
		{Value: 5e8, Script: make([]byte, 300), Attachment: make([]byte, 70000), Height: 1_924_146, Coinstake: true},
	}
}

func TestEntryRoundTrip(t *testing.T) {
	for i, e := range testEntries() {
		got, err := decodeEntry(e.encode())
		if err != nil || !reflect.DeepEqual(got, e) {
			t.Errorf("entry %d: %+v %v", i, got, err)
		}
	}
}

func TestEntryDecodeRefuses(t *testing.T) {
	good := testEntries()[1].encode()
	for name, b := range map[string][]byte{
		"empty":      nil,
		"flags":      append([]byte{4}, good[1:]...),
		"truncated":  good[:len(good)-1],
		"trailing":   append(append([]byte{}, good...), 0),
		"height>u32": {0, 0xff, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0},
	} {
		if _, err := decodeEntry(b); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: %v, want ErrCorrupt", name, err)
		}
	}
}

func TestAttachmentRoundTrip(t *testing.T) {
	for i, a := range []tx.Attachment{
		{Version: tx.AttachVersionCoinbase, Type: tx.TypeETP},
		{Version: tx.AttachVersion, Type: tx.TypeCoinstakeNull},
		{Version: tx.AttachVersion, Type: tx.TypeAsset, Payload: &tx.AssetTransfer{Symbol: "MVS.TST", Quantity: 42}},
		{Version: tx.AttachVersion, Type: tx.TypeAsset, Payload: &tx.AssetDetail{Symbol: "X", MaximumSupply: 9, Decimals: 2,
			SecondaryIssueThreshold: 127, Issuer: "me", Address: "MAddr", Description: "d"}},
		{Version: tx.AttachVersionDID, Type: tx.TypeMessage, ToDID: "to", FromDID: "from", Payload: &tx.Message{Content: "hi"}},
		{Version: tx.AttachVersion, Type: tx.TypeDID, Payload: &tx.DID{Status: tx.DIDStatusRegister, Symbol: "did", Address: "a"}},
	} {
		b := AttachmentBytes(&a)
		got, err := DecodeAttachment(b)
		if err != nil || !reflect.DeepEqual(got, a) {
			t.Errorf("attachment %d: %+v %v", i, got, err)
		}
		e := NewEntry(&tx.Output{Value: 7, Script: []byte{0x51}, Attachment: a}, 3, false, false)
		out, err := e.Output()
		if err != nil || !reflect.DeepEqual(out.Attachment, a) || out.Value != 7 {
			t.Errorf("entry %d output: %+v %v", i, out, err)
		}
		po, err := e.PrevOut(tx.OutPoint{Index: 1})
		if err != nil || po.Height != 3 || po.OutPoint.Index != 1 || !reflect.DeepEqual(po.Attachment, a) {
			t.Errorf("entry %d prevout: %+v %v", i, po, err)
		}
	}
	if _, err := DecodeAttachment([]byte{1, 0, 0, 0, 2, 0, 0, 0, 9, 9, 9, 9}); !errors.Is(err, ErrCorrupt) || !errors.Is(err, tx.ErrAttachmentStatus) {
		t.Errorf("truncated attachment: %v", err)
	}
	e := Entry{Attachment: []byte{1, 0, 0}}
	if _, err := e.Output(); err == nil {
		t.Error("Output of a bad attachment succeeded")
	}
}

func testHeaderRecord() HeaderRecord {
	return HeaderRecord{Header: block.Header{Version: 1, PreviousBlockHash: mvs.Hash{1}, MerkleRoot: mvs.Hash{2}, Timestamp: 3,
		Bits: block.DifficultyFromUint64(4), Nonce: 5, MixHash: [32]byte{6}, Height: 7}, Height: 7, Work: [32]byte{31: 9},
		Status: StatusHasBody | StatusInvalid}
}

func TestHeaderRecordRoundTrip(t *testing.T) {
	r := testHeaderRecord()
	b := r.encode()
	if got, err := decodeHeaderRecord(b); err != nil || got != r {
		t.Fatalf("%+v %v", got, err)
	}
	b[len(b)-1] = 0x80
	if _, err := decodeHeaderRecord(b); !errors.Is(err, ErrCorrupt) {
		t.Errorf("unknown status bits: %v", err)
	}
	if _, err := decodeHeaderRecord(b[:10]); !errors.Is(err, ErrCorrupt) {
		t.Errorf("short record: %v", err)
	}
}

func TestSmallRecordsRoundTrip(t *testing.T) {
	l := TxLocation{1, 2, 3, 4}
	if got, err := decodeTxLocation(l.encode()); err != nil || got != l {
		t.Errorf("tx location %+v %v", got, err)
	}
	if _, err := decodeTxLocation([]byte{1}); !errors.Is(err, ErrCorrupt) {
		t.Errorf("short tx location: %v", err)
	}
	h, n, err := decodeTip(encodeTip(mvs.Hash{9}, 77))
	if err != nil || h != (mvs.Hash{9}) || n != 77 {
		t.Errorf("tip %v %d %v", h, n, err)
	}
	if _, _, err := decodeTip(nil); !errors.Is(err, ErrCorrupt) {
		t.Errorf("empty tip: %v", err)
	}
}

func testUndo() *undo {
	es := testEntries()
	return &undo{
		spent: []spentEntry{{tx.OutPoint{Hash: mvs.Hash{1}, Index: 2}, es[0]}, {tx.OutPoint{Hash: mvs.Hash{3}}, es[1]}},
		priors: []prior{
			{bucket: KindAsset.bucket(), key: []byte("A"), present: true, value: []byte("old")},
			{bucket: KindHolder.bucket(), key: []byte("B")},
			{bucket: bTxIndex, key: make([]byte, 32), present: true, value: []byte{}},
		},
	}
}

func TestUndoRoundTrip(t *testing.T) {
	for i, u := range []*undo{{spent: []spentEntry{}, priors: []prior{}}, testUndo()} {
		got, err := decodeUndo(u.encode())
		if err != nil || !reflect.DeepEqual(got, u) {
			t.Errorf("undo %d: %+v %v", i, got, err)
		}
	}
	bad := testUndo()
	bad.priors[0].bucket = bUTXO
	if _, err := decodeUndo(bad.encode()); !errors.Is(err, ErrCorrupt) {
		t.Errorf("undo naming the utxo bucket: %v", err)
	}
	b := testUndo().encode()
	for _, cut := range []int{0, 1, 20, len(b) - 1} {
		if _, err := decodeUndo(b[:cut]); !errors.Is(err, ErrCorrupt) {
			t.Errorf("undo cut at %d: %v", cut, err)
		}
	}
	if _, err := decodeUndo(append(b, 0)); !errors.Is(err, ErrCorrupt) {
		t.Errorf("undo with a trailing byte: %v", err)
	}
}

func TestAttachmentTooShort(t *testing.T) {
	for n := range 8 {
		if _, err := DecodeAttachment(make([]byte, n)); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%d bytes: %v", n, err)
		}
	}
}

// TestAttachmentBytesFastPath: the shortcut for payload-free attachments writes what the
// transaction encoder writes.
func TestAttachmentBytesFastPath(t *testing.T) {
	for _, a := range []tx.Attachment{
		{Version: 0, Type: tx.TypeETP}, {Version: 1, Type: tx.TypeETP}, {Version: 1, Type: tx.TypeCoinstakeNull},
		{Version: 5, Type: 77}, {Version: tx.AttachVersionDID, Type: tx.TypeETP, ToDID: "a", FromDID: "b"},
	} {
		t1 := tx.Tx{Outputs: []tx.Output{{Attachment: a}}}
		enc := t1.Bytes()
		want := enc[len(attachmentFrame) : len(enc)-4]
		if got := AttachmentBytes(&a); !bytes.Equal(got, want) {
			t.Errorf("%+v: %x, want %x", a, got, want)
		}
	}
}

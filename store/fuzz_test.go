package store

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/mvsgo/mvs/tx"
)

// Each decoder of stored bytes must refuse anything malformed without panicking, and what
// it accepts must survive a re-encoding.

func FuzzDecodeEntry(f *testing.F) {
	for _, e := range testEntries() {
		f.Add(e.encode())
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := decodeEntry(b)
		if err != nil {
			return
		}
		again, err := decodeEntry(e.encode())
		if err != nil || !reflect.DeepEqual(again, e) {
			t.Fatalf("re-encoded entry differs: %+v %v", again, err)
		}
	})
}

func FuzzDecodeUndo(f *testing.F) {
	f.Add(testUndo().encode())
	f.Add((&undo{}).encode())
	f.Fuzz(func(t *testing.T, b []byte) {
		u, err := decodeUndo(b)
		if err != nil {
			return
		}
		again, err := decodeUndo(u.encode())
		if err != nil || !reflect.DeepEqual(again, u) {
			t.Fatalf("re-encoded undo differs: %v", err)
		}
	})
}

func FuzzDecodeHeaderRecord(f *testing.F) {
	r := testHeaderRecord()
	f.Add(r.encode())
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeHeaderRecord(b)
		if err != nil {
			return
		}
		if !bytes.Equal(r.encode(), b) {
			t.Fatal("header record does not re-encode to its bytes")
		}
	})
}

func FuzzDecodeTxLocation(f *testing.F) {
	f.Add(TxLocation{1, 2, 3, 4}.encode())
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := decodeTxLocation(b)
		if err == nil && !bytes.Equal(l.encode(), b) {
			t.Fatal("tx location does not re-encode to its bytes")
		}
	})
}

func FuzzDecodeTip(f *testing.F) {
	f.Add(encodeTip([32]byte{1}, 5))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, n, err := decodeTip(b)
		if err == nil && !bytes.Equal(encodeTip(h, n), b) {
			t.Fatal("tip does not re-encode to its bytes")
		}
	})
}

func FuzzDecodeAttachment(f *testing.F) {
	f.Add(AttachmentBytes(&tx.Attachment{Version: 1, Type: tx.TypeAsset, Payload: &tx.AssetTransfer{Symbol: "A", Quantity: 1}}))
	f.Add([]byte{0xcf, 0, 0, 0, 3, 0, 0, 0, 1, 'a', 0, 2, 'h', 'i'})
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := DecodeAttachment(b)
		if err != nil {
			return
		}
		again, err := DecodeAttachment(AttachmentBytes(&a))
		if err != nil || !reflect.DeepEqual(again, a) {
			t.Fatalf("re-encoded attachment differs: %v", err)
		}
	})
}

package store

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzUnspentViewParse: the in-place parse of ForEachUnspent accepts and refuses exactly
// what decodeEntry does, and reads the same fields (it is a second reader of one format).
func FuzzUnspentViewParse(f *testing.F) {
	for _, e := range testEntries() {
		b := e.encode()
		f.Add(b)
		f.Add(b[:len(b)-1])
		f.Add(append(bytes.Clone(b), 0))
	}
	f.Add([]byte{4, 0, 0, 0, 0})
	f.Add([]byte{0, 0xff, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := decodeEntry(b)
		var u UnspentView
		uerr := u.parse(b)
		if (err == nil) != (uerr == nil) {
			t.Fatalf("decodeEntry %v, parse %v", err, uerr)
		}
		if err != nil {
			if !errors.Is(uerr, ErrCorrupt) || uerr.Error() != err.Error() {
				t.Fatalf("parse refuses with %v, decodeEntry with %v", uerr, err)
			}
			return
		}
		if got := u.Entry(); got.Value != e.Value || got.Height != e.Height || got.Coinbase != e.Coinbase ||
			got.Coinstake != e.Coinstake || !bytes.Equal(got.Script, e.Script) || !bytes.Equal(got.Attachment, e.Attachment) ||
			got.Script == nil || got.Attachment == nil {
			t.Fatalf("parse read %+v, decodeEntry %+v", got, e)
		}
	})
}

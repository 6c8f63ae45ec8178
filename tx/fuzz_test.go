package tx

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx/script"
)

// FuzzTxDecode: arbitrary bytes never panic; whatever decodes re-encodes to bytes that
// decode to the same transaction, and the re-encoding is a fixed point. (Raw bytes equal the
// re-encoding except for non-canonical varints, attachment strings cut at a NUL and 0xbb
// opcodes in scripts, which the node also normalizes.)
func FuzzTxDecode(f *testing.F) {
	for _, v := range loadVectors(f).Transactions {
		f.Add(mustHex(f, v.Raw))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tx, err := Decode(b)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error is not a DecodeError: %v", err)
			}
			return
		}
		enc := tx.Bytes()
		if len(enc) != tx.SerializeSize() {
			t.Fatalf("SerializeSize %d, encoding %d", tx.SerializeSize(), len(enc))
		}
		again, err := Decode(enc)
		if err != nil {
			t.Fatalf("re-encoding does not decode: %v", err)
		}
		if !reflect.DeepEqual(normalize(tx), normalize(again)) {
			t.Fatalf("round trip changed the transaction")
		}
		if !bytes.Equal(again.Bytes(), enc) {
			t.Fatalf("encoding is not a fixed point")
		}
		_ = tx.CheckSanity()
		back, err := FromJSON(again.ToJSON(mvs.MainNet()))
		if err != nil {
			t.Fatalf("JSON form does not encode back: %v", err)
		}
		if !bytes.Equal(back.Bytes(), enc) {
			t.Fatalf("JSON round trip differs:\n got %x\nwant %x", back.Bytes(), enc)
		}
	})
}

// normalize puts scripts in the node's form (as the encoding writes them) and maps empty
// slices to nil, so DeepEqual compares content.
func normalize(t *Tx) *Tx {
	c := *t
	c.Inputs = append([]Input(nil), t.Inputs...)
	c.Outputs = append([]Output(nil), t.Outputs...)
	coinbase := t.IsCoinbase()
	for i := range c.Inputs {
		c.Inputs[i].Script = inputScript(&c.Inputs[i], coinbase)
		if len(c.Inputs[i].Script) == 0 {
			c.Inputs[i].Script = nil
		}
	}
	for i := range c.Outputs {
		c.Outputs[i].Script = script.NodeForm(c.Outputs[i].Script)
		if len(c.Outputs[i].Script) == 0 {
			c.Outputs[i].Script = nil
		}
	}
	return &c
}

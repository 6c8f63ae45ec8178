package tx

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
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

// FuzzFromNodeJSON: the node's JSON, however mangled, is refused with ErrJSON or rebuilt
// into a transaction that encodes and decodes back to itself; nothing panics, and the hash
// search stays within its cap.
func FuzzFromNodeJSON(f *testing.F) {
	b, err := os.ReadFile("testdata/node-json.json")
	if err != nil {
		f.Fatal(err)
	}
	var v struct {
		Cases []struct{ Node json.RawMessage }
	}
	if err := json.Unmarshal(b, &v); err != nil {
		f.Fatal(err)
	}
	for _, c := range v.Cases {
		f.Add([]byte(c.Node))
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"result":{"transaction":{"inputs":[],"outputs":[]}}}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		got, err := FromNodeJSON(in)
		if err != nil {
			if !errors.Is(err, ErrJSON) {
				t.Fatalf("error outside ErrJSON: %v", err)
			}
			return
		}
		again, err := Decode(got.Bytes())
		if err != nil || again.Hash() != got.Hash() {
			t.Fatalf("rebuilt transaction does not round-trip: %v", err)
		}
	})
}

package proof_test

import (
	"encoding/json"
	"testing"

	"github.com/mvsgo/mvs/proof"
)

// Untrusted proof text never panics: it decodes and verifies, or is refused.
func FuzzExistenceJSON(f *testing.F) {
	e, err := proof.Make(syntheticBlock(7, 5, proof.Message([32]byte{9})), syntheticBlock(7, 5, proof.Message([32]byte{9})).Transactions[5].Hash(), [32]byte{9})
	if err != nil {
		f.Fatal(err)
	}
	good, err := json.Marshal(e)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(`{"format":"mvsgo-existence-proof","version":1}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var e proof.Existence
		if err := e.UnmarshalJSON(b); err != nil {
			return
		}
		_, _ = e.Verify(e.Digest)
		if _, err := json.Marshal(e); err != nil {
			t.Fatalf("a decoded proof does not encode: %v", err)
		}
	})
}

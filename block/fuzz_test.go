package block

import (
	"bytes"
	"errors"
	"testing"

	"github.com/mvsgo/mvs"
)

// FuzzBlockDecode: arbitrary bytes never panic; what decodes re-encodes to a fixed point
// that decodes again, and the checks run without panicking.
func FuzzBlockDecode(f *testing.F) {
	for _, v := range loadRealBlocks(f) {
		f.Add(mustHex(f, v.Raw))
	}
	f.Add(mvs.MainNet().GenesisBlock)
	f.Fuzz(func(t *testing.T, b []byte) {
		blk, err := Decode(b)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("not a DecodeError: %v", err)
			}
			return
		}
		enc := blk.Bytes()
		again, err := Decode(enc)
		if err != nil {
			t.Fatalf("re-encoding does not decode: %v", err)
		}
		if !bytes.Equal(again.Bytes(), enc) || again.Hash() != blk.Hash() {
			t.Fatal("round trip changed the block")
		}
		_ = blk.Check()
		_ = blk.Header.SealHash()
	})
}

package script

import (
	"bytes"
	"encoding/hex"
	"testing"
)

// What the node writes back for a script it parsed (review of libbitcoin's operation and
// script to_data): 0xbb opcodes vanish, a leading one empties the script, 0xbb data bytes
// and unparseable scripts stay.
func TestNodeForm(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"no 0xbb", "76a914000000000000000000000000000000000000000088ac", "76a914000000000000000000000000000000000000000088ac"},
		{"0xbb as data", "02bbbb", "02bbbb"},
		{"0xbb opcode at the end", "6abb", "6a"},
		{"0xbb opcodes in the middle", "51bb52bbbb93", "515293"},
		{"leading 0xbb empties the script", "bb6a51", ""},
		{"does not parse: kept whole", "bb4c05", "bb4c05"},
	} {
		got := NodeForm(Script(mustHex(t, c.in)))
		if !bytes.Equal(got, mustHex(t, c.want)) {
			t.Errorf("%s: %x, want %s", c.name, []byte(got), c.want)
		}
	}
	// Anyone can spend an output whose script the node empties.
	pk := NodeForm(Script(mustHex(t, "bb6a")))
	if err := Verify(Script{byte(OP_1)}, pk, ConsensusFlags, nil); err != nil {
		t.Errorf("bb6a as the node runs it: %v", err)
	}
}

// The quick scan agrees with the tokenizer on random scripts.
func FuzzNodeForm(f *testing.F) {
	for _, s := range []string{"6abb", "bb6a51", "02bbbb", "4c02bbbb", "4d0200bbbb", "4e02000000bbbb", "bb4c05", "4c"} {
		f.Add(mustHexF(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s := Script(b)
		tok := s.Tokenize()
		want := false
		for tok.Next() {
			want = want || tok.Op().Opcode == opRawData
		}
		want = want && tok.Err() == nil
		if got := hasRawDataOp(s); got != want {
			t.Fatalf("hasRawDataOp(%x) = %v, tokenizer says %v", b, got, want)
		}
		n := NodeForm(s)
		if want != !bytes.Equal(n, s) && !(want && len(n) == 0 && len(s) == 0) {
			t.Fatalf("NodeForm(%x) = %x", b, []byte(n))
		}
		if bytes.IndexByte(n, opRawData) >= 0 && hasRawDataOp(n) {
			t.Fatalf("NodeForm(%x) = %x still has a 0xbb opcode", b, []byte(n))
		}
	})
}

func mustHexF(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

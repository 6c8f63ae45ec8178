package tx

import (
	"testing"
)

// benchTx is the first real vector: a version-4 ETP transfer, 2 inputs and 2 outputs, the
// shape most exchange traffic has.
func benchTx(b *testing.B) []byte {
	return mustHex(b, loadVectors(b).Transactions[0].Raw)
}

func BenchmarkTxDecode(b *testing.B) {
	raw := benchTx(b)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	var t Tx
	for b.Loop() {
		if err := t.UnmarshalBinary(raw); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTxDecodeMixed decodes each real vector in turn (ETP, MST transfer, MST issue,
// MIT with DID envelope).
func BenchmarkTxDecodeMixed(b *testing.B) {
	var raws [][]byte
	total := 0
	for _, v := range loadVectors(b).Transactions {
		raws = append(raws, mustHex(b, v.Raw))
		total += len(raws[len(raws)-1])
	}
	b.SetBytes(int64(total / len(raws)))
	b.ReportAllocs()
	var t Tx
	i := 0
	for b.Loop() {
		if err := t.UnmarshalBinary(raws[i%len(raws)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkTxEncode(b *testing.B) {
	t, err := Decode(benchTx(b))
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 0, t.SerializeSize())
	b.SetBytes(int64(t.SerializeSize()))
	b.ReportAllocs()
	for b.Loop() {
		buf = t.AppendTo(buf[:0])
	}
}

func BenchmarkTxHash(b *testing.B) {
	t, err := Decode(benchTx(b))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(t.SerializeSize()))
	b.ReportAllocs()
	for b.Loop() {
		_ = t.Hash()
	}
}

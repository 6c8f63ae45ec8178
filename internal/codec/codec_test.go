package codec

import (
	"bytes"
	"errors"
	"math"
	"testing"
)

func TestVarIntRoundTrip(t *testing.T) {
	for _, v := range []uint64{0, 1, 0xfc, 0xfd, 0xffff, 0x10000, math.MaxUint32, math.MaxUint32 + 1, math.MaxUint64} {
		b := AppendVarInt(nil, v)
		if len(b) != VarIntSize(v) {
			t.Errorf("%d: size %d, VarIntSize %d", v, len(b), VarIntSize(v))
		}
		got, err := NewReader(b).VarInt("v")
		if err != nil || got != v {
			t.Errorf("%d: got %d %v", v, got, err)
		}
	}
}

// TestNonCanonicalVarIntAccepted: the node's reader accepts 0xfd 0x01 0x00 for 1.
func TestNonCanonicalVarIntAccepted(t *testing.T) {
	for _, b := range [][]byte{{0xfd, 1, 0}, {0xfe, 1, 0, 0, 0}, {0xff, 1, 0, 0, 0, 0, 0, 0, 0}} {
		if v, err := NewReader(b).VarInt("v"); err != nil || v != 1 {
			t.Errorf("%x: %d %v", b, v, err)
		}
	}
}

// TestEveryFieldBoundary cuts a stream of every field kind at each length and checks the
// error names the field that was cut and its offset.
func TestEveryFieldBoundary(t *testing.T) {
	var full []byte
	full = append(full, 7)                      // u8 at 0
	full = append(full, 1, 2, 3, 4)             // u32 at 1
	full = append(full, 1, 2, 3, 4, 5, 6, 7, 8) // u64le at 5
	full = append(full, 8, 7, 6, 5, 4, 3, 2, 1) // u64be at 13
	full = AppendVarBytes(full, []byte("abc"))  // varbytes at 21
	full = AppendVarString(full, "hi\x00there") // varstring at 25
	full = append(full, 9, 9, 9, 9)             // fixed at 34
	read := func(r *Reader) (string, error) {
		steps := []struct {
			name string
			f    func() error
		}{
			{"u8", func() error { _, err := r.Uint8("u8"); return err }},
			{"u32", func() error { _, err := r.Uint32LE("u32"); return err }},
			{"u64le", func() error { _, err := r.Uint64LE("u64le"); return err }},
			{"u64be", func() error { _, err := r.Uint64BE("u64be"); return err }},
			{"bytes", func() error { _, err := r.VarBytes("bytes", 100); return err }},
			{"str", func() error {
				s, err := r.VarString("str", 100)
				if err == nil && s != "hi" {
					return errors.New("string not cut at NUL")
				}
				return err
			}},
			{"fixed", func() error { var d [4]byte; return r.Fixed(d[:], "fixed") }},
		}
		for _, s := range steps {
			if err := s.f(); err != nil {
				return s.name, err
			}
		}
		return "", nil
	}
	starts := map[string]int{"u8": 0, "u32": 1, "u64le": 5, "u64be": 13, "bytes": 21, "str": 25, "fixed": 34}
	for n := 0; n < len(full); n++ {
		field, err := read(NewReader(full[:n]))
		var e *Error
		if !errors.As(err, &e) || e.Field != field || !errors.Is(err, ErrTruncated) {
			t.Fatalf("cut at %d: field %q, err %v", n, field, err)
		}
		if e.Offset < starts[field] || e.Offset > n {
			t.Fatalf("cut at %d: offset %d outside field %s starting at %d", n, e.Offset, field, starts[field])
		}
	}
	if field, err := read(NewReader(full)); err != nil {
		t.Fatalf("full stream: %s %v", field, err)
	}
}

func TestCapsBeforeAllocation(t *testing.T) {
	huge := AppendVarInt(nil, math.MaxUint64)
	if _, err := NewReader(huge).VarBytes("blob", 1<<20); !errors.Is(err, ErrTooLarge) {
		t.Errorf("varbytes: %v", err)
	}
	if _, err := NewReader(append(AppendVarInt(nil, 10), 1, 2)).VarBytes("blob", 100); !errors.Is(err, ErrTruncated) {
		t.Errorf("length beyond data: %v", err)
	}
	if _, err := NewReader(append(AppendVarInt(nil, 3), make([]byte, 100)...)).Count("n", 41, 1000); !errors.Is(err, ErrTooLarge) {
		t.Errorf("count that cannot fit: %v", err)
	}
	if n, err := NewReader(append(AppendVarInt(nil, 2), make([]byte, 82)...)).Count("n", 41, 1000); err != nil || n != 2 {
		t.Errorf("count that fits: %d %v", n, err)
	}
	if _, err := NewReader(AppendVarInt(nil, 2000)).Count("n", 0, 1000); !errors.Is(err, ErrTooLarge) {
		t.Errorf("count above cap: %v", err)
	}
}

func TestBytesDoNotShareCapacity(t *testing.T) {
	buf := []byte{1, 2, 3, 4}
	r := NewReader(buf)
	a, _ := r.Bytes(2, "a")
	_ = append(a, 9) // must not overwrite the next field
	if !bytes.Equal(buf, []byte{1, 2, 3, 4}) {
		t.Fatal("append through a returned slice overwrote the buffer")
	}
}

func FuzzReader(f *testing.F) {
	f.Add([]byte{0xfd, 0xff, 0xff, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		r := NewReader(b)
		for r.Len() > 0 {
			if _, err := r.VarBytes("x", 1<<16); err != nil {
				var e *Error
				if !errors.As(err, &e) || e.Offset > len(b) {
					t.Fatalf("bad error %v", err)
				}
				return
			}
		}
	})
}

// Package codec holds the byte-level encodings every MVS structure is built from: Bitcoin
// CompactSize varints, varstr (a varint length then the bytes), and fixed-width integers;
// and a bounded Reader that refuses any length larger than the bytes left or than a
// per-field cap before it allocates, and whose errors carry the field and the byte offset.
//
// It knows no types. The reader, like the reference node's istream_reader, accepts
// non-canonical varints; the writer always emits the shortest form.
package codec

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/mvsgo/mvs"
)

var (
	// ErrTruncated: the input ended inside a field.
	ErrTruncated = errors.New("unexpected end of data")
	// ErrTooLarge: a length or count is larger than the bytes left or than the field's cap.
	ErrTooLarge = errors.New("length exceeds limit")
	// ErrTrailing: bytes are left after a complete structure.
	ErrTrailing = errors.New("trailing bytes")
)

// Error is a decoding failure at a field and byte offset. It is the exported mvs.DecodeError,
// so that callers outside the module can name it.
type Error = mvs.DecodeError

// Reader reads from a byte slice it does not copy. Byte slices it returns alias the input;
// callers that keep them must own the input (the tx decoder copies once up front).
type Reader struct {
	buf []byte
	off int
}

// NewReader returns a Reader over b.
func NewReader(b []byte) *Reader { return &Reader{buf: b} }

// Reset points the reader at b from offset 0, so one Reader can decode many buffers.
func (r *Reader) Reset(b []byte) { r.buf, r.off = b, 0 }

// Offset is the number of bytes consumed so far.
func (r *Reader) Offset() int { return r.off }

// Rest returns the bytes not yet consumed (aliasing the input).
func (r *Reader) Rest() []byte { return r.buf[r.off:] }

// Skip consumes n bytes; n must not exceed Len.
func (r *Reader) Skip(n int) { r.off += n }

// Len is the number of bytes left.
func (r *Reader) Len() int { return len(r.buf) - r.off }

// Fail builds an *Error for field at the current offset.
func (r *Reader) Fail(field string, err error, detail string) error {
	return &Error{Field: field, Offset: r.off, Err: err, Detail: detail}
}

// FailAt builds an *Error for field at a given offset.
func FailAt(field string, off int, err error, detail string) error {
	return &Error{Field: field, Offset: off, Err: err, Detail: detail}
}

func (r *Reader) need(n int, field string) error {
	if n > len(r.buf)-r.off {
		return &Error{Field: field, Offset: r.off, Err: ErrTruncated,
			Detail: fmt.Sprintf("need %d bytes, %d left", n, len(r.buf)-r.off)}
	}
	return nil
}

// Uint8 reads one byte.
func (r *Reader) Uint8(field string) (uint8, error) {
	if err := r.need(1, field); err != nil {
		return 0, err
	}
	v := r.buf[r.off]
	r.off++
	return v, nil
}

// Uint32LE reads a little-endian u32.
func (r *Reader) Uint32LE(field string) (uint32, error) {
	if err := r.need(4, field); err != nil {
		return 0, err
	}
	v := binary.LittleEndian.Uint32(r.buf[r.off:])
	r.off += 4
	return v, nil
}

// Uint64LE reads a little-endian u64.
func (r *Reader) Uint64LE(field string) (uint64, error) {
	if err := r.need(8, field); err != nil {
		return 0, err
	}
	v := binary.LittleEndian.Uint64(r.buf[r.off:])
	r.off += 8
	return v, nil
}

// Uint64BE reads a big-endian u64.
func (r *Reader) Uint64BE(field string) (uint64, error) {
	if err := r.need(8, field); err != nil {
		return 0, err
	}
	v := binary.BigEndian.Uint64(r.buf[r.off:])
	r.off += 8
	return v, nil
}

// Fixed reads exactly len(dst) bytes into dst.
func (r *Reader) Fixed(dst []byte, field string) error {
	if err := r.need(len(dst), field); err != nil {
		return err
	}
	copy(dst, r.buf[r.off:])
	r.off += len(dst)
	return nil
}

// Bytes returns the next n bytes, aliasing the input.
func (r *Reader) Bytes(n int, field string) ([]byte, error) {
	if n < 0 {
		return nil, &Error{Field: field, Offset: r.off, Err: ErrTooLarge}
	}
	if err := r.need(n, field); err != nil {
		return nil, err
	}
	b := r.buf[r.off : r.off+n : r.off+n]
	r.off += n
	return b, nil
}

// VarInt reads a CompactSize integer. Non-canonical encodings are accepted, as the
// reference node accepts them.
func (r *Reader) VarInt(field string) (uint64, error) {
	start := r.off
	p, err := r.Uint8(field)
	if err != nil {
		return 0, err
	}
	switch p {
	case 0xfd:
		if err := r.need(2, field); err != nil {
			r.off = start
			return 0, err
		}
		v := binary.LittleEndian.Uint16(r.buf[r.off:])
		r.off += 2
		return uint64(v), nil
	case 0xfe:
		v, err := r.Uint32LE(field)
		if err != nil {
			r.off = start
		}
		return uint64(v), err
	case 0xff:
		v, err := r.Uint64LE(field)
		if err != nil {
			r.off = start
		}
		return v, err
	}
	return uint64(p), nil
}

// Count reads a varint element count and refuses it when it exceeds max, or when count
// elements of at least minSize bytes each cannot fit in the bytes left. Callers may then
// allocate count elements safely.
func (r *Reader) Count(field string, minSize, max int) (int, error) {
	start := r.off
	v, err := r.VarInt(field)
	if err != nil {
		return 0, err
	}
	if v > uint64(max) {
		return 0, &Error{Field: field, Offset: start, Err: ErrTooLarge,
			Detail: fmt.Sprintf("count %d above the cap %d", v, max)}
	}
	if minSize > 0 && v > uint64(r.Len()/minSize) {
		return 0, &Error{Field: field, Offset: start, Err: ErrTooLarge,
			Detail: fmt.Sprintf("count %d cannot fit in the %d bytes left", v, r.Len())}
	}
	return int(v), nil
}

// VarBytes reads a varint length and that many bytes (aliasing the input). The length must
// not exceed max nor the bytes left.
func (r *Reader) VarBytes(field string, max int) ([]byte, error) {
	start := r.off
	v, err := r.VarInt(field)
	if err != nil {
		return nil, err
	}
	if v > uint64(max) {
		return nil, &Error{Field: field, Offset: start, Err: ErrTooLarge,
			Detail: fmt.Sprintf("length %d above the cap %d", v, max)}
	}
	if v > uint64(r.Len()) {
		return nil, &Error{Field: field, Offset: start, Err: ErrTruncated,
			Detail: fmt.Sprintf("length %d, %d bytes left", v, r.Len())}
	}
	return r.Bytes(int(v), field)
}

// VarString reads a varstr as the reference node does: the string ends at its first NUL
// byte (istream_reader::read_string), though all its bytes are consumed.
func (r *Reader) VarString(field string, max int) (string, error) {
	b, err := r.VarBytes(field, max)
	if err != nil {
		return "", err
	}
	for i, c := range b {
		if c == 0 {
			b = b[:i]
			break
		}
	}
	return string(b), nil
}

// VarIntSize is the encoded size of v.
func VarIntSize(v uint64) int {
	switch {
	case v < 0xfd:
		return 1
	case v <= math.MaxUint16:
		return 3
	case v <= math.MaxUint32:
		return 5
	}
	return 9
}

// AppendVarInt appends the shortest CompactSize encoding of v.
func AppendVarInt(b []byte, v uint64) []byte {
	switch {
	case v < 0xfd:
		return append(b, byte(v))
	case v <= math.MaxUint16:
		return binary.LittleEndian.AppendUint16(append(b, 0xfd), uint16(v))
	case v <= math.MaxUint32:
		return binary.LittleEndian.AppendUint32(append(b, 0xfe), uint32(v))
	}
	return binary.LittleEndian.AppendUint64(append(b, 0xff), v)
}

// AppendVarBytes appends a varint length and the bytes.
func AppendVarBytes(b, v []byte) []byte {
	return append(AppendVarInt(b, uint64(len(v))), v...)
}

// AppendVarString appends a varint length and the string's bytes.
func AppendVarString(b []byte, s string) []byte {
	return append(AppendVarInt(b, uint64(len(s))), s...)
}

package script

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
)

// Script is a script's serialized bytes. The bytes are the representation: a script that
// does not parse (a push running past the end) is still a Script and re-serializes verbatim,
// as the node keeps such output scripts as one raw_data blob.
type Script []byte

// Op is one parsed operation. Data aliases the script's bytes; it is nil for non-push
// opcodes and empty (non-nil) for OP_0 and zero-length PUSHDATAn.
type Op struct {
	Opcode Opcode
	Data   []byte
	// Offset is the position of the opcode byte in the script.
	Offset int
}

// IsPushData reports whether the operation carries data bytes: OP_0, a direct push or a
// PUSHDATA1/2/4.
func (o Op) IsPushData() bool { return o.Opcode <= OP_PUSHDATA4 }

// Hex returns the script as lower-case hex.
func (s Script) Hex() string { return hex.EncodeToString(s) }

// Bytes returns s as a byte slice (no copy).
func (s Script) Bytes() []byte { return s }

// Equal reports whether two scripts have the same bytes.
func (s Script) Equal(o Script) bool { return bytes.Equal(s, o) }

// Tokenizer walks a script one operation at a time without allocating. The zero value walks
// an empty script.
//
//	t := s.Tokenize()
//	for t.Next() { op := t.Op() ... }
//	if err := t.Err(); err != nil { ... }
type Tokenizer struct {
	script []byte
	offset int
	op     Op
	err    error
}

// Tokenize returns a Tokenizer positioned before the first operation of s.
func (s Script) Tokenize() Tokenizer { return Tokenizer{script: s} }

// Next advances to the next operation. It returns false at the end of the script or on a
// malformed push (then Err is non-nil).
func (t *Tokenizer) Next() bool {
	if t.err != nil || t.offset >= len(t.script) {
		return false
	}
	op, n, err := readOp(t.script, t.offset)
	if err != nil {
		t.err = err
		return false
	}
	t.op = op
	t.offset += n
	return true
}

// Op returns the current operation.
func (t *Tokenizer) Op() Op { return t.op }

// Err returns the parse error that stopped Next, if any.
func (t *Tokenizer) Err() error { return t.err }

// Offset returns the position just after the current operation.
func (t *Tokenizer) Offset() int { return t.offset }

// Done reports whether the whole script was consumed without error.
func (t *Tokenizer) Done() bool { return t.err == nil && t.offset >= len(t.script) }

// readOp decodes the operation at offset off, returning it and its encoded length. Lengths
// come from the script and are checked against what remains before any slicing.
func readOp(s []byte, off int) (Op, int, error) {
	op := Opcode(s[off])
	rest := len(s) - off - 1
	var size, hdr int
	switch {
	case op == OP_0:
		return Op{Opcode: op, Data: s[off+1 : off+1], Offset: off}, 1, nil
	case op <= OP_DATA_75:
		size = int(op)
	case op == OP_PUSHDATA1:
		if rest < 1 {
			return Op{}, 0, newError(ErrMalformedPush, off, op, "PUSHDATA1 length byte missing")
		}
		hdr, size = 1, int(s[off+1])
	case op == OP_PUSHDATA2:
		if rest < 2 {
			return Op{}, 0, newError(ErrMalformedPush, off, op, "PUSHDATA2 length truncated")
		}
		hdr, size = 2, int(binary.LittleEndian.Uint16(s[off+1:]))
	case op == OP_PUSHDATA4:
		if rest < 4 {
			return Op{}, 0, newError(ErrMalformedPush, off, op, "PUSHDATA4 length truncated")
		}
		hdr = 4
		n := binary.LittleEndian.Uint32(s[off+1:])
		if uint64(n) > uint64(rest-hdr) {
			return Op{}, 0, newErrorf(ErrMalformedPush, off, op, "push of %d bytes but %d remain", n, rest-hdr)
		}
		size = int(n)
	default:
		return Op{Opcode: op, Offset: off}, 1, nil
	}
	if size > rest-hdr {
		return Op{}, 0, newErrorf(ErrMalformedPush, off, op, "push of %d bytes but %d remain", size, rest-hdr)
	}
	start := off + 1 + hdr
	return Op{Opcode: op, Data: s[start : start+size : start+size], Offset: off}, 1 + hdr + size, nil
}

// Parse checks that b is a sequence of well-formed operations and returns it as a Script.
// On a malformed push it returns the script anyway (it is still representable and
// re-serializes verbatim) together with an *Error carrying the offset.
func Parse(b []byte) (Script, error) {
	s := Script(b)
	t := s.Tokenize()
	for t.Next() {
	}
	return s, t.Err()
}

// IsParseable reports whether every push in s is complete.
func (s Script) IsParseable() bool {
	t := s.Tokenize()
	for t.Next() {
	}
	return t.Err() == nil
}

// Ops returns every operation of s. On a malformed push it returns the operations before it
// and the error.
func (s Script) Ops() ([]Op, error) {
	var ops []Op
	t := s.Tokenize()
	for t.Next() {
		ops = append(ops, t.Op())
	}
	return ops, t.Err()
}

// opsInto parses s into buf (reusing its storage); ok is false if s does not parse.
func (s Script) opsInto(buf []Op) ([]Op, bool) {
	t := s.Tokenize()
	for t.Next() {
		buf = append(buf, t.Op())
	}
	return buf, t.Err() == nil
}

// IsPushOnly reports whether s parses and contains only push operations in the node's sense
// (Opcode.IsPush: OP_RESERVED excluded).
func (s Script) IsPushOnly() bool {
	t := s.Tokenize()
	for t.Next() {
		if !t.Op().Opcode.IsPush() {
			return false
		}
	}
	return t.Err() == nil
}

// isPushOnlyCore is Bitcoin Core's CScript::IsPushOnly, used by the P2SH rule: every opcode
// ≤ OP_16, so OP_RESERVED counts as a push there.
func (s Script) isPushOnlyCore() bool {
	t := s.Tokenize()
	for t.Next() {
		if t.Op().Opcode > OP_16 {
			return false
		}
	}
	return t.Err() == nil
}

// PushOpcode returns the push opcode the node chooses for n bytes of data (data_to_opcode,
// opcode.cpp): a direct push below 76 bytes, PUSHDATA1 below 255, PUSHDATA2 below 65535,
// else PUSHDATA4. A 255-byte push therefore uses PUSHDATA2, unlike Bitcoin.
func PushOpcode(n int) Opcode {
	switch {
	case n < 76:
		return Opcode(n) // n == 0 gives OP_0
	case n < 255:
		return OP_PUSHDATA1
	case n < 65535:
		return OP_PUSHDATA2
	}
	return OP_PUSHDATA4
}

// appendPush appends data pushed with opcode op, which must be able to carry len(data)
// (the caller checks).
func appendPush(b []byte, op Opcode, data []byte) []byte {
	b = append(b, byte(op))
	switch op {
	case OP_PUSHDATA1:
		b = append(b, byte(len(data)))
	case OP_PUSHDATA2:
		b = binary.LittleEndian.AppendUint16(b, uint16(len(data)))
	case OP_PUSHDATA4:
		b = binary.LittleEndian.AppendUint32(b, uint32(len(data)))
	}
	return append(b, data...)
}

// canCarry reports whether push opcode op can encode n data bytes.
func canCarry(op Opcode, n int) bool {
	switch {
	case op == OP_0:
		return n == 0
	case op <= OP_DATA_75:
		return int(op) == n
	case op == OP_PUSHDATA1:
		return n <= 0xff
	case op == OP_PUSHDATA2:
		return n <= 0xffff
	case op == OP_PUSHDATA4:
		return uint64(n) <= 0xffffffff
	}
	return false
}

// Builder assembles a script. Methods chain; the first error sticks and is returned by
// Script.
type Builder struct {
	b   []byte
	err error
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder { return &Builder{} }

// AddOp appends a non-push opcode (or OP_0, OP_1NEGATE, OP_1..OP_16).
func (b *Builder) AddOp(op Opcode) *Builder {
	if b.err == nil && op >= OP_DATA_1 && op <= OP_PUSHDATA4 {
		b.err = newErrorf(ErrBuild, len(b.b), op, "%v needs data: use AddData or AddPush", op)
	}
	b.b = append(b.b, byte(op))
	return b
}

// AddData appends data with the push opcode the node chooses (PushOpcode).
func (b *Builder) AddData(data []byte) *Builder {
	b.b = appendPush(b.b, PushOpcode(len(data)), data)
	return b
}

// AddPush appends data with an explicit push opcode (for example PUSHDATA2 for the
// attenuation model), refusing an opcode that cannot carry len(data).
func (b *Builder) AddPush(op Opcode, data []byte) *Builder {
	if !canCarry(op, len(data)) {
		if b.err == nil {
			b.err = newErrorf(ErrBuild, len(b.b), op, "%v cannot push %d bytes", op, len(data))
		}
		return b
	}
	b.b = appendPush(b.b, op, data)
	return b
}

// AddNum appends a script number as a data push, as the node does for lock heights and
// sequences (never as OP_1..OP_16).
func (b *Builder) AddNum(n int64) *Builder { return b.AddData(NumBytes(n)) }

// AddScript appends raw script bytes.
func (b *Builder) AddScript(s Script) *Builder {
	b.b = append(b.b, s...)
	return b
}

// Script returns the assembled script or the first error.
func (b *Builder) Script() (Script, error) {
	if b.err != nil {
		return nil, b.err
	}
	return Script(b.b), nil
}

// mustScript is for builders whose inputs cannot fail.
func (b *Builder) mustScript() Script {
	if b.err != nil {
		panic(b.err) // unreachable: internal builders pass only valid pushes
	}
	return Script(b.b)
}

package script

import "bytes"

// opRawData is the byte libbitcoin's parser reads as its raw_data operation.
const opRawData = 0xbb

// NodeForm is a script as the reference node writes it back after parsing it, which is the
// form it hashes, signs and runs (transaction ids, signature hashes and the consensus
// interpreter all see the re-serialized bytes): byte 0xbb parses as libbitcoin's raw_data
// operation, which writes nothing, and a script whose first operation is one serializes
// empty (script::to_data then writes only that operation). A script that does not parse is
// kept whole, as the node keeps it (raw_data_fallback). s itself is returned when nothing
// changes, which is all but always: only a 0xbb opcode changes it, not a 0xbb data byte.
func NodeForm(s Script) Script {
	if bytes.IndexByte(s, opRawData) < 0 { // small enough to inline into the encoders
		return s
	}
	return nodeForm(s)
}

func nodeForm(s Script) Script {
	if !hasRawDataOp(s) {
		return s
	}
	var drop []int // offsets of 0xbb opcodes
	leading := false
	t := s.Tokenize()
	for t.Next() {
		if t.Op().Opcode == opRawData {
			leading = leading || t.Offset() == 1
			drop = append(drop, t.Offset()-1)
		}
	}
	switch {
	case t.Err() != nil || len(drop) == 0:
		return s
	case leading:
		return Script{}
	}
	out := make(Script, 0, len(s)-len(drop))
	prev := 0
	for _, d := range drop {
		out = append(out, s[prev:d]...)
		prev = d + 1
	}
	return append(out, s[prev:]...)
}

// hasRawDataOp reports a 0xbb opcode (not a data byte) in a script that parses: the quick
// test that keeps NodeForm cheap on the hashing and encoding paths, since about a third of
// signature scripts hold a 0xbb data byte. It walks pushes as readOp does; a push that runs
// past the end means the script does not parse (and is kept whole).
func hasRawDataOp(s []byte) bool {
	found := false
	i := 0
	for i < len(s) {
		op := s[i]
		i++
		switch {
		case op >= 1 && op <= 75:
			i += int(op)
		case op == byte(OP_PUSHDATA1):
			if i+1 > len(s) {
				return false
			}
			i += 1 + int(s[i])
		case op == byte(OP_PUSHDATA2):
			if i+2 > len(s) {
				return false
			}
			i += 2 + (int(s[i]) | int(s[i+1])<<8)
		case op == byte(OP_PUSHDATA4):
			if i+4 > len(s) {
				return false
			}
			n := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24
			if n > uint64(len(s)-i-4) {
				return false
			}
			i += 4 + int(n)
		case op == opRawData:
			found = true
		}
	}
	return found && i == len(s)
}

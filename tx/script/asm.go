package script

import (
	"encoding/hex"
	"strconv"
	"strings"
)

// ASM returns the script as text in the reference node's format (see the package
// documentation), extended only where the node's text would lose bytes, so that
// ParseASM(s.ASM()) returns s byte for byte:
//
//   - a push whose opcode is not the one the node would choose (PushOpcode) is written
//     "[ 1.<hex> ]", "[ 2.<hex> ]" or "[ 4.<hex> ]" for PUSHDATA1/2/4;
//   - a script that does not parse is written "[ raw.<hex> ]" (the node prints "[ <hex> ]").
//
// Everything else is exactly the node's text; NodeASM gives the node's text always.
func (s Script) ASM() string { return s.asm(false) }

// String returns s.ASM().
func (s Script) String() string { return s.asm(false) }

// NodeASM returns exactly what the reference node prints for the script
// (chain::script::to_string), which is lossy for non-canonical pushes and unparseable
// scripts.
func (s Script) NodeASM() string { return s.asm(true) }

func (s Script) asm(node bool) string {
	if len(s) == 0 {
		return ""
	}
	if !s.IsParseable() {
		if node {
			return "[ " + hex.EncodeToString(s) + " ]"
		}
		return "[ raw." + hex.EncodeToString(s) + " ]"
	}
	var b strings.Builder
	b.Grow(len(s) * 3)
	t := s.Tokenize()
	for t.Next() {
		op := t.Op()
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		if op.IsPushData() && len(op.Data) > 0 {
			b.WriteString("[ ")
			if !node && op.Opcode != PushOpcode(len(op.Data)) {
				switch op.Opcode {
				case OP_PUSHDATA1:
					b.WriteString("1.")
				case OP_PUSHDATA2:
					b.WriteString("2.")
				case OP_PUSHDATA4:
					b.WriteString("4.")
				}
			}
			b.WriteString(hex.EncodeToString(op.Data))
			b.WriteString(" ]")
			continue
		}
		b.WriteString(op.Opcode.Name())
	}
	return b.String()
}

// ParseASM parses script text: the node's format (chain::script::from_string) plus the
// round-trip markers ASM writes. Words are separated by white space. A word is an opcode
// name (the node's lower-case names; also accepted case-insensitively, with an "OP_" prefix,
// and as Bitcoin's OP_0/OP_FALSE/OP_TRUE/OP_1NEGATE/OP_NOP2/OP_CLTV/OP_CSV spellings), or
// "<none N>" for an unnamed byte, or a bracketed push "[ <hex> ]" (also "[<hex>]"), which
// uses the node's push opcode for its size unless marked "1.", "2." or "4.". "[ raw.<hex> ]"
// must be the whole text and stands for raw script bytes.
func ParseASM(text string) (Script, error) {
	words := strings.Fields(text)
	var out []byte
	for i := 0; i < len(words); i++ {
		w := words[i]
		switch {
		case w == "[":
			if i+2 >= len(words) || words[i+2] != "]" {
				return nil, asmError(w, "'[' must be followed by hex data and ']'")
			}
			var err error
			if out, err = appendASMPush(out, words[i+1], len(words) == 3); err != nil {
				return nil, err
			}
			i += 2
		case len(w) > 2 && w[0] == '[' && w[len(w)-1] == ']':
			var err error
			if out, err = appendASMPush(out, w[1:len(w)-1], len(words) == 1); err != nil {
				return nil, err
			}
		case w == "<none":
			if i+1 >= len(words) {
				return nil, asmError(w, "'<none' must be followed by 'N>'")
			}
			n, err := strconv.Atoi(strings.TrimSuffix(words[i+1], ">"))
			if err != nil || !strings.HasSuffix(words[i+1], ">") || n < 0 || n > 255 || opcodeName(Opcode(n)) != "" {
				return nil, asmError(w+" "+words[i+1], "not an unnamed opcode")
			}
			out = append(out, byte(n))
			i++
		default:
			op, ok := opcodeByName(w)
			if !ok {
				return nil, asmError(w, "unknown opcode")
			}
			if op >= OP_PUSHDATA1 && op <= OP_PUSHDATA4 {
				// A bare "pushdata1" is an empty push with a zero length, as in the node.
				out = appendPush(out, op, nil)
				continue
			}
			out = append(out, byte(op))
		}
	}
	return Script(out), nil
}

// appendASMPush appends the push written inside brackets.
func appendASMPush(out []byte, w string, alone bool) ([]byte, error) {
	op := Opcode(0xff) // the node's choice
	switch {
	case strings.HasPrefix(w, "raw."):
		if !alone || len(out) > 0 {
			return nil, asmError(w, "raw script data must be the whole script")
		}
		b, err := hex.DecodeString(w[4:])
		if err != nil || len(b) == 0 {
			return nil, asmError(w, "bad hex")
		}
		return b, nil
	case strings.HasPrefix(w, "1."):
		op, w = OP_PUSHDATA1, w[2:]
	case strings.HasPrefix(w, "2."):
		op, w = OP_PUSHDATA2, w[2:]
	case strings.HasPrefix(w, "4."):
		op, w = OP_PUSHDATA4, w[2:]
	}
	data, err := hex.DecodeString(w)
	if err != nil || len(data) == 0 {
		return nil, asmError(w, "push data must be non-empty hex")
	}
	if op == 0xff {
		op = PushOpcode(len(data))
	} else if !canCarry(op, len(data)) {
		return nil, asmError(w, "push too long for its PUSHDATA form")
	}
	return appendPush(out, op, data), nil
}

func asmError(word, msg string) *Error {
	if len(word) > 40 {
		word = word[:40] + "…"
	}
	return &Error{Code: ErrASMSyntax, Offset: -1, Msg: strconv.Quote(word) + ": " + msg}
}

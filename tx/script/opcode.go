package script

import "strconv"

// Opcode is one script instruction byte.
type Opcode byte

// The opcodes, with Bitcoin's names. MVS renames NOP2/NOP3/NOP4.
const (
	OP_0                      Opcode = 0x00
	OP_FALSE                  Opcode = 0x00
	OP_DATA_1                 Opcode = 0x01 // 0x01..0x4b push that many bytes
	OP_DATA_75                Opcode = 0x4b
	OP_PUSHDATA1              Opcode = 0x4c
	OP_PUSHDATA2              Opcode = 0x4d
	OP_PUSHDATA4              Opcode = 0x4e
	OP_1NEGATE                Opcode = 0x4f
	OP_RESERVED               Opcode = 0x50
	OP_1                      Opcode = 0x51
	OP_TRUE                   Opcode = 0x51
	OP_2                      Opcode = 0x52
	OP_3                      Opcode = 0x53
	OP_16                     Opcode = 0x60
	OP_NOP                    Opcode = 0x61
	OP_VER                    Opcode = 0x62
	OP_IF                     Opcode = 0x63
	OP_NOTIF                  Opcode = 0x64
	OP_VERIF                  Opcode = 0x65
	OP_VERNOTIF               Opcode = 0x66
	OP_ELSE                   Opcode = 0x67
	OP_ENDIF                  Opcode = 0x68
	OP_VERIFY                 Opcode = 0x69
	OP_RETURN                 Opcode = 0x6a
	OP_TOALTSTACK             Opcode = 0x6b
	OP_FROMALTSTACK           Opcode = 0x6c
	OP_2DROP                  Opcode = 0x6d
	OP_2DUP                   Opcode = 0x6e
	OP_3DUP                   Opcode = 0x6f
	OP_2OVER                  Opcode = 0x70
	OP_2ROT                   Opcode = 0x71
	OP_2SWAP                  Opcode = 0x72
	OP_IFDUP                  Opcode = 0x73
	OP_DEPTH                  Opcode = 0x74
	OP_DROP                   Opcode = 0x75
	OP_DUP                    Opcode = 0x76
	OP_NIP                    Opcode = 0x77
	OP_OVER                   Opcode = 0x78
	OP_PICK                   Opcode = 0x79
	OP_ROLL                   Opcode = 0x7a
	OP_ROT                    Opcode = 0x7b
	OP_SWAP                   Opcode = 0x7c
	OP_TUCK                   Opcode = 0x7d
	OP_CAT                    Opcode = 0x7e
	OP_SUBSTR                 Opcode = 0x7f
	OP_LEFT                   Opcode = 0x80
	OP_RIGHT                  Opcode = 0x81
	OP_SIZE                   Opcode = 0x82
	OP_INVERT                 Opcode = 0x83
	OP_AND                    Opcode = 0x84
	OP_OR                     Opcode = 0x85
	OP_XOR                    Opcode = 0x86
	OP_EQUAL                  Opcode = 0x87
	OP_EQUALVERIFY            Opcode = 0x88
	OP_RESERVED1              Opcode = 0x89
	OP_RESERVED2              Opcode = 0x8a
	OP_1ADD                   Opcode = 0x8b
	OP_1SUB                   Opcode = 0x8c
	OP_2MUL                   Opcode = 0x8d
	OP_2DIV                   Opcode = 0x8e
	OP_NEGATE                 Opcode = 0x8f
	OP_ABS                    Opcode = 0x90
	OP_NOT                    Opcode = 0x91
	OP_0NOTEQUAL              Opcode = 0x92
	OP_ADD                    Opcode = 0x93
	OP_SUB                    Opcode = 0x94
	OP_MUL                    Opcode = 0x95
	OP_DIV                    Opcode = 0x96
	OP_MOD                    Opcode = 0x97
	OP_LSHIFT                 Opcode = 0x98
	OP_RSHIFT                 Opcode = 0x99
	OP_BOOLAND                Opcode = 0x9a
	OP_BOOLOR                 Opcode = 0x9b
	OP_NUMEQUAL               Opcode = 0x9c
	OP_NUMEQUALVERIFY         Opcode = 0x9d
	OP_NUMNOTEQUAL            Opcode = 0x9e
	OP_LESSTHAN               Opcode = 0x9f
	OP_GREATERTHAN            Opcode = 0xa0
	OP_LESSTHANOREQUAL        Opcode = 0xa1
	OP_GREATERTHANOREQUAL     Opcode = 0xa2
	OP_MIN                    Opcode = 0xa3
	OP_MAX                    Opcode = 0xa4
	OP_WITHIN                 Opcode = 0xa5
	OP_RIPEMD160              Opcode = 0xa6
	OP_SHA1                   Opcode = 0xa7
	OP_SHA256                 Opcode = 0xa8
	OP_HASH160                Opcode = 0xa9
	OP_HASH256                Opcode = 0xaa
	OP_CODESEPARATOR          Opcode = 0xab
	OP_CHECKSIG               Opcode = 0xac
	OP_CHECKSIGVERIFY         Opcode = 0xad
	OP_CHECKMULTISIG          Opcode = 0xae
	OP_CHECKMULTISIGVERIFY    Opcode = 0xaf
	OP_NOP1                   Opcode = 0xb0
	OP_CHECKLOCKTIMEVERIFY    Opcode = 0xb1 // NOP2
	OP_CHECKATTENUATIONVERIFY Opcode = 0xb2 // NOP3, MVS-specific
	OP_CHECKSEQUENCEVERIFY    Opcode = 0xb3 // NOP4
	OP_NOP5                   Opcode = 0xb4
	OP_NOP10                  Opcode = 0xb9
)

// IsPush reports whether op pushes data or a small number (OP_0, direct pushes, PUSHDATA1/2/4,
// OP_1NEGATE, OP_1..OP_16), the node's operation::is_push. OP_RESERVED is not a push here,
// unlike Bitcoin Core's IsPushOnly (which the interpreter uses for P2SH).
func (op Opcode) IsPush() bool {
	return op <= OP_1NEGATE || (op >= OP_1 && op <= OP_16)
}

// IsSmallInt reports whether op is OP_0 or OP_1..OP_16.
func (op Opcode) IsSmallInt() bool { return op == OP_0 || (op >= OP_1 && op <= OP_16) }

// SmallInt returns the value of OP_0 or OP_1..OP_16 (0 for anything else).
func (op Opcode) SmallInt() int {
	if op >= OP_1 && op <= OP_16 {
		return int(op-OP_1) + 1
	}
	return 0
}

// Name returns the mnemonic the reference node prints for op (opcode_to_string with every
// script context enabled, src/lib/bitcoin/chain/script/opcode.cpp): lower case without
// "OP_", numbers as digits ("zero", "-1", "1".."16"), a direct push as "special", MVS's
// "checkattenuationverify", and "<none N>" for bytes the node has no name for. Byte 0xbb is
// "raw_data" because the node's enum puts raw_data there.
func (op Opcode) Name() string {
	switch {
	case op == OP_0:
		return "zero"
	case op >= OP_DATA_1 && op <= OP_DATA_75:
		return "special"
	case op >= OP_1 && op <= OP_16:
		return strconv.Itoa(op.SmallInt())
	}
	if s := opcodeName(op); s != "" {
		return s
	}
	return "<none " + strconv.Itoa(int(op)) + ">"
}

// String returns Bitcoin's OP_ name (OP_CHECKATTENUATIONVERIFY for 0xb2), or OP_UNKNOWN<n>.
func (op Opcode) String() string {
	switch {
	case op == OP_0:
		return "OP_0"
	case op >= OP_DATA_1 && op <= OP_DATA_75:
		return "OP_DATA_" + strconv.Itoa(int(op))
	case op >= OP_1 && op <= OP_16:
		return "OP_" + strconv.Itoa(op.SmallInt())
	case op == OP_1NEGATE:
		return "OP_1NEGATE"
	}
	if s := opcodeName(op); s != "" && op < 0xba {
		b := []byte("OP_" + s)
		for i := range b {
			if b[i] >= 'a' && b[i] <= 'z' {
				b[i] -= 'a' - 'A'
			}
		}
		return string(b)
	}
	return "OP_UNKNOWN" + strconv.Itoa(int(op))
}

// opcodeName is the node's name of every named opcode except OP_0, direct pushes and
// OP_1..OP_16, which Name handles arithmetically.
func opcodeName(op Opcode) string {
	switch op {
	case OP_PUSHDATA1:
		return "pushdata1"
	case OP_PUSHDATA2:
		return "pushdata2"
	case OP_PUSHDATA4:
		return "pushdata4"
	case OP_1NEGATE:
		return "-1"
	case OP_RESERVED:
		return "reserved"
	case OP_NOP:
		return "nop"
	case OP_VER:
		return "ver"
	case OP_IF:
		return "if"
	case OP_NOTIF:
		return "notif"
	case OP_VERIF:
		return "verif"
	case OP_VERNOTIF:
		return "vernotif"
	case OP_ELSE:
		return "else"
	case OP_ENDIF:
		return "endif"
	case OP_VERIFY:
		return "verify"
	case OP_RETURN:
		return "return"
	case OP_TOALTSTACK:
		return "toaltstack"
	case OP_FROMALTSTACK:
		return "fromaltstack"
	case OP_2DROP:
		return "2drop"
	case OP_2DUP:
		return "2dup"
	case OP_3DUP:
		return "3dup"
	case OP_2OVER:
		return "2over"
	case OP_2ROT:
		return "2rot"
	case OP_2SWAP:
		return "2swap"
	case OP_IFDUP:
		return "ifdup"
	case OP_DEPTH:
		return "depth"
	case OP_DROP:
		return "drop"
	case OP_DUP:
		return "dup"
	case OP_NIP:
		return "nip"
	case OP_OVER:
		return "over"
	case OP_PICK:
		return "pick"
	case OP_ROLL:
		return "roll"
	case OP_ROT:
		return "rot"
	case OP_SWAP:
		return "swap"
	case OP_TUCK:
		return "tuck"
	case OP_CAT:
		return "cat"
	case OP_SUBSTR:
		return "substr"
	case OP_LEFT:
		return "left"
	case OP_RIGHT:
		return "right"
	case OP_SIZE:
		return "size"
	case OP_INVERT:
		return "invert"
	case OP_AND:
		return "and"
	case OP_OR:
		return "or"
	case OP_XOR:
		return "xor"
	case OP_EQUAL:
		return "equal"
	case OP_EQUALVERIFY:
		return "equalverify"
	case OP_RESERVED1:
		return "reserved1"
	case OP_RESERVED2:
		return "reserved2"
	case OP_1ADD:
		return "1add"
	case OP_1SUB:
		return "1sub"
	case OP_2MUL:
		return "2mul"
	case OP_2DIV:
		return "2div"
	case OP_NEGATE:
		return "negate"
	case OP_ABS:
		return "abs"
	case OP_NOT:
		return "not"
	case OP_0NOTEQUAL:
		return "0notequal"
	case OP_ADD:
		return "add"
	case OP_SUB:
		return "sub"
	case OP_MUL:
		return "mul"
	case OP_DIV:
		return "div"
	case OP_MOD:
		return "mod"
	case OP_LSHIFT:
		return "lshift"
	case OP_RSHIFT:
		return "rshift"
	case OP_BOOLAND:
		return "booland"
	case OP_BOOLOR:
		return "boolor"
	case OP_NUMEQUAL:
		return "numequal"
	case OP_NUMEQUALVERIFY:
		return "numequalverify"
	case OP_NUMNOTEQUAL:
		return "numnotequal"
	case OP_LESSTHAN:
		return "lessthan"
	case OP_GREATERTHAN:
		return "greaterthan"
	case OP_LESSTHANOREQUAL:
		return "lessthanorequal"
	case OP_GREATERTHANOREQUAL:
		return "greaterthanorequal"
	case OP_MIN:
		return "min"
	case OP_MAX:
		return "max"
	case OP_WITHIN:
		return "within"
	case OP_RIPEMD160:
		return "ripemd160"
	case OP_SHA1:
		return "sha1"
	case OP_SHA256:
		return "sha256"
	case OP_HASH160:
		return "hash160"
	case OP_HASH256:
		return "hash256"
	case OP_CODESEPARATOR:
		return "codeseparator"
	case OP_CHECKSIG:
		return "checksig"
	case OP_CHECKSIGVERIFY:
		return "checksigverify"
	case OP_CHECKMULTISIG:
		return "checkmultisig"
	case OP_CHECKMULTISIGVERIFY:
		return "checkmultisigverify"
	case OP_NOP1:
		return "nop1"
	case OP_CHECKLOCKTIMEVERIFY:
		return "checklocktimeverify"
	case OP_CHECKATTENUATIONVERIFY:
		return "checkattenuationverify"
	case OP_CHECKSEQUENCEVERIFY:
		return "checksequenceverify"
	case OP_NOP5:
		return "nop5"
	case 0xb5:
		return "nop6"
	case 0xb6:
		return "nop7"
	case 0xb7:
		return "nop8"
	case 0xb8:
		return "nop9"
	case OP_NOP10:
		return "nop10"
	case 0xbb:
		return "raw_data"
	}
	return ""
}

// opcodeByName maps an ASM word to its opcode. It accepts the node's names (string_to_opcode,
// including the aliases nop2/nop3/nop4) case-insensitively, with or without an "OP_" prefix,
// and Bitcoin's spellings of the small numbers and renamed NOPs.
func opcodeByName(w string) (Opcode, bool) {
	b := []byte(w)
	for i := range b {
		if b[i] >= 'A' && b[i] <= 'Z' {
			b[i] += 'a' - 'A'
		}
	}
	s := string(b)
	if len(s) > 3 && s[:3] == "op_" {
		s = s[3:]
	}
	switch s {
	case "zero", "0", "false":
		return OP_0, true
	case "special": // the node's string_to_opcode accepts it: an empty direct push, byte 0x00
		return OP_0, true
	case "true":
		return OP_1, true
	case "-1", "1negate":
		return OP_1NEGATE, true
	case "nop2", "cltv":
		return OP_CHECKLOCKTIMEVERIFY, true
	case "nop3":
		return OP_CHECKATTENUATIONVERIFY, true
	case "nop4", "csv":
		return OP_CHECKSEQUENCEVERIFY, true
	}
	if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= 16 && s[0] != '0' && s[0] != '+' {
		return OP_1 + Opcode(n-1), true
	}
	return opcodeFromName(s)
}

// opcodeFromName is the inverse of opcodeName (a string switch compiles to a binary search).
func opcodeFromName(s string) (Opcode, bool) {
	switch s {
	case "pushdata1":
		return OP_PUSHDATA1, true
	case "pushdata2":
		return OP_PUSHDATA2, true
	case "pushdata4":
		return OP_PUSHDATA4, true
	case "-1":
		return OP_1NEGATE, true
	case "reserved":
		return OP_RESERVED, true
	case "nop":
		return OP_NOP, true
	case "ver":
		return OP_VER, true
	case "if":
		return OP_IF, true
	case "notif":
		return OP_NOTIF, true
	case "verif":
		return OP_VERIF, true
	case "vernotif":
		return OP_VERNOTIF, true
	case "else":
		return OP_ELSE, true
	case "endif":
		return OP_ENDIF, true
	case "verify":
		return OP_VERIFY, true
	case "return":
		return OP_RETURN, true
	case "toaltstack":
		return OP_TOALTSTACK, true
	case "fromaltstack":
		return OP_FROMALTSTACK, true
	case "2drop":
		return OP_2DROP, true
	case "2dup":
		return OP_2DUP, true
	case "3dup":
		return OP_3DUP, true
	case "2over":
		return OP_2OVER, true
	case "2rot":
		return OP_2ROT, true
	case "2swap":
		return OP_2SWAP, true
	case "ifdup":
		return OP_IFDUP, true
	case "depth":
		return OP_DEPTH, true
	case "drop":
		return OP_DROP, true
	case "dup":
		return OP_DUP, true
	case "nip":
		return OP_NIP, true
	case "over":
		return OP_OVER, true
	case "pick":
		return OP_PICK, true
	case "roll":
		return OP_ROLL, true
	case "rot":
		return OP_ROT, true
	case "swap":
		return OP_SWAP, true
	case "tuck":
		return OP_TUCK, true
	case "cat":
		return OP_CAT, true
	case "substr":
		return OP_SUBSTR, true
	case "left":
		return OP_LEFT, true
	case "right":
		return OP_RIGHT, true
	case "size":
		return OP_SIZE, true
	case "invert":
		return OP_INVERT, true
	case "and":
		return OP_AND, true
	case "or":
		return OP_OR, true
	case "xor":
		return OP_XOR, true
	case "equal":
		return OP_EQUAL, true
	case "equalverify":
		return OP_EQUALVERIFY, true
	case "reserved1":
		return OP_RESERVED1, true
	case "reserved2":
		return OP_RESERVED2, true
	case "1add":
		return OP_1ADD, true
	case "1sub":
		return OP_1SUB, true
	case "2mul":
		return OP_2MUL, true
	case "2div":
		return OP_2DIV, true
	case "negate":
		return OP_NEGATE, true
	case "abs":
		return OP_ABS, true
	case "not":
		return OP_NOT, true
	case "0notequal":
		return OP_0NOTEQUAL, true
	case "add":
		return OP_ADD, true
	case "sub":
		return OP_SUB, true
	case "mul":
		return OP_MUL, true
	case "div":
		return OP_DIV, true
	case "mod":
		return OP_MOD, true
	case "lshift":
		return OP_LSHIFT, true
	case "rshift":
		return OP_RSHIFT, true
	case "booland":
		return OP_BOOLAND, true
	case "boolor":
		return OP_BOOLOR, true
	case "numequal":
		return OP_NUMEQUAL, true
	case "numequalverify":
		return OP_NUMEQUALVERIFY, true
	case "numnotequal":
		return OP_NUMNOTEQUAL, true
	case "lessthan":
		return OP_LESSTHAN, true
	case "greaterthan":
		return OP_GREATERTHAN, true
	case "lessthanorequal":
		return OP_LESSTHANOREQUAL, true
	case "greaterthanorequal":
		return OP_GREATERTHANOREQUAL, true
	case "min":
		return OP_MIN, true
	case "max":
		return OP_MAX, true
	case "within":
		return OP_WITHIN, true
	case "ripemd160":
		return OP_RIPEMD160, true
	case "sha1":
		return OP_SHA1, true
	case "sha256":
		return OP_SHA256, true
	case "hash160":
		return OP_HASH160, true
	case "hash256":
		return OP_HASH256, true
	case "codeseparator":
		return OP_CODESEPARATOR, true
	case "checksig":
		return OP_CHECKSIG, true
	case "checksigverify":
		return OP_CHECKSIGVERIFY, true
	case "checkmultisig":
		return OP_CHECKMULTISIG, true
	case "checkmultisigverify":
		return OP_CHECKMULTISIGVERIFY, true
	case "nop1":
		return OP_NOP1, true
	case "checklocktimeverify":
		return OP_CHECKLOCKTIMEVERIFY, true
	case "checkattenuationverify":
		return OP_CHECKATTENUATIONVERIFY, true
	case "checksequenceverify":
		return OP_CHECKSEQUENCEVERIFY, true
	case "nop5":
		return OP_NOP5, true
	case "nop6":
		return 0xb5, true
	case "nop7":
		return 0xb6, true
	case "nop8":
		return 0xb7, true
	case "nop9":
		return 0xb8, true
	case "nop10":
		return OP_NOP10, true
	case "raw_data":
		return 0xbb, true
	}
	return 0, false
}

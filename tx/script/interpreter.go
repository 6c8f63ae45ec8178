package script

import (
	"bytes"
	"crypto/sha1" //nolint:gosec // OP_SHA1 is consensus
	"crypto/sha256"

	"github.com/mvsgo/mvs"
	"golang.org/x/crypto/ripemd160" //nolint:staticcheck // OP_RIPEMD160 is consensus
)

// Flags select script verification rules (Bitcoin Core's SCRIPT_VERIFY_*).
type Flags uint32

const (
	// FlagP2SH evaluates the redeem script of a P2SH output (BIP16).
	FlagP2SH Flags = 1 << iota
	// FlagStrictEnc requires strict DER, a defined hash type and a well-formed public key.
	FlagStrictEnc
	// FlagDERSig requires strict DER signatures (BIP66).
	FlagDERSig
	// FlagLowS requires S ≤ order/2.
	FlagLowS
	// FlagNullDummy requires CHECKMULTISIG's dummy item to be empty.
	FlagNullDummy
	// FlagSigPushOnly requires every scriptSig to be push-only.
	FlagSigPushOnly
	// FlagMinimalData requires minimal pushes and minimal numbers.
	FlagMinimalData
	// FlagDiscourageUpgradableNOPs fails on NOP1 and NOP5..NOP10 (and on disabled NOP2-4).
	FlagDiscourageUpgradableNOPs
	// FlagCleanStack requires exactly one stack item at the end (needs FlagP2SH).
	FlagCleanStack
	// FlagCheckLockTimeVerify enables OP_CHECKLOCKTIMEVERIFY (BIP65).
	FlagCheckLockTimeVerify
	// FlagCheckSequenceVerify enables OP_CHECKSEQUENCEVERIFY (BIP112, MVS masks).
	FlagCheckSequenceVerify
	// FlagCheckAttenuationVerify enables MVS's OP_CHECKATTENUATIONVERIFY.
	FlagCheckAttenuationVerify
)

// ConsensusFlags is the set the reference node verifies every input with
// (validate_transaction.cpp check_consensus): P2SH, DERSIG, CLTV, CSV and
// CHECKATTENUATIONVERIFY. STRICTENC, LOW_S, NULLDUMMY, MINIMALDATA, CLEANSTACK and
// SIGPUSHONLY are not set.
const ConsensusFlags = FlagP2SH | FlagDERSig | FlagCheckLockTimeVerify | FlagCheckSequenceVerify | FlagCheckAttenuationVerify

// Consensus limits (Bitcoin's).
const (
	MaxScriptSize         = 10_000
	MaxScriptElementSize  = 520
	MaxOpsPerScript       = 201
	MaxPubKeysPerMultisig = 20
	MaxStackSize          = 1000
)

// Checker gives the interpreter the transaction context it cannot see: package tx
// implements it for one input of one transaction (this package cannot import tx).
type Checker interface {
	// CheckSig reports whether sig (DER + hash-type byte, never empty) is a valid signature
	// by pubKey of the signed input. scriptCode is the subscript from just after the last
	// executed OP_CODESEPARATOR, with the signature's push removed (FindAndDelete) and every
	// OP_CODESEPARATOR removed: exactly what the signature hash serializes for this input.
	// The checker computes the digest for the hash type and calls VerifySignature. It must
	// not modify or retain its arguments.
	CheckSig(sig, pubKey, scriptCode []byte) bool
	// CheckLockTime reports whether the tx satisfies an absolute lock (operand ≥ 0); an
	// implementation normally returns CheckLockTime(tx.LockTime, input.Sequence, lockTime).
	CheckLockTime(lockTime int64) bool
	// CheckSequence reports whether the input satisfies a relative lock (operand ≥ 0,
	// disable bit clear); normally CheckSequence(tx.Version, input.Sequence, sequence).
	CheckSequence(sequence int64) bool
}

// Verify runs scriptSig then scriptPubKey (then, with FlagP2SH and a P2SH scriptPubKey, the
// redeem script) and returns nil if the input is valid, or an *Error (errors.Is with an
// ErrorCode). It never panics on any input.
func Verify(scriptSig, scriptPubKey Script, flags Flags, checker Checker) error {
	if flags&FlagSigPushOnly != 0 && !scriptSig.isPushOnlyCore() {
		return newError(ErrSigPushOnly, -1, 0, "scriptSig is not push-only")
	}
	var e engine
	e.flags = flags
	e.checker = checker
	e.stack = e.stackBuf[:0]
	if err := e.eval(scriptSig); err != nil {
		return err
	}
	var copyBuf [16][]byte
	var stackCopy [][]byte
	if flags&FlagP2SH != 0 {
		stackCopy = append(copyBuf[:0], e.stack...)
	}
	if err := e.eval(scriptPubKey); err != nil {
		return err
	}
	if len(e.stack) == 0 || !castToBool(e.stack[len(e.stack)-1]) {
		return newError(ErrEvalFalse, -1, 0, "script evaluated to false")
	}
	if flags&FlagP2SH != 0 && scriptPubKey.IsPayToScriptHash() {
		if !scriptSig.isPushOnlyCore() {
			return newError(ErrSigPushOnly, -1, 0, "P2SH scriptSig is not push-only")
		}
		e.stack = append(e.stack[:0], stackCopy...)
		if len(e.stack) == 0 { // impossible: the P2SH script would have failed
			return newError(ErrEvalFalse, -1, 0, "empty stack for P2SH")
		}
		redeem := Script(e.stack[len(e.stack)-1])
		e.stack = e.stack[:len(e.stack)-1]
		if err := e.eval(redeem); err != nil {
			return err
		}
		if len(e.stack) == 0 || !castToBool(e.stack[len(e.stack)-1]) {
			return newError(ErrEvalFalse, -1, 0, "redeem script evaluated to false")
		}
	}
	if flags&FlagCleanStack != 0 && flags&FlagP2SH != 0 && len(e.stack) != 1 {
		return newErrorf(ErrCleanStack, -1, 0, "%d items left on the stack", len(e.stack))
	}
	return nil
}

// engine is one Verify call's state. Stack items alias script bytes or fresh results and
// are never modified in place, so DUP and friends share them safely.
type engine struct {
	flags    Flags
	checker  Checker
	stack    [][]byte
	alt      [][]byte
	exec     []bool
	stackBuf [32][]byte
	altBuf   [8][]byte
	execBuf  [8]bool
	trueVal  [1]byte
}

func (e *engine) push(b []byte) { e.stack = append(e.stack, b) }

func (e *engine) pop() []byte {
	v := e.stack[len(e.stack)-1]
	e.stack = e.stack[:len(e.stack)-1]
	return v
}

func (e *engine) top(i int) []byte { return e.stack[len(e.stack)+i] }

func (e *engine) pushBool(b bool) {
	if b {
		e.trueVal[0] = 1
		e.push(e.trueVal[:])
	} else {
		e.push(nil)
	}
}

func (e *engine) executing() bool {
	for _, v := range e.exec {
		if !v {
			return false
		}
	}
	return true
}

func isDisabled(op Opcode) bool {
	switch op {
	case OP_CAT, OP_SUBSTR, OP_LEFT, OP_RIGHT, OP_INVERT, OP_AND, OP_OR, OP_XOR,
		OP_2MUL, OP_2DIV, OP_MUL, OP_DIV, OP_MOD, OP_LSHIFT, OP_RSHIFT:
		return true
	}
	return false
}

// checkMinimalPush is Core's CheckMinimalPush (MINIMALDATA only).
func checkMinimalPush(data []byte, op Opcode) bool {
	switch n := len(data); {
	case n == 0:
		return op == OP_0
	case n == 1 && data[0] >= 1 && data[0] <= 16:
		return op == OP_1+Opcode(data[0]-1)
	case n == 1 && data[0] == 0x81:
		return op == OP_1NEGATE
	case n <= 75:
		return int(op) == n
	case n <= 255:
		return op == OP_PUSHDATA1
	case n <= 65535:
		return op == OP_PUSHDATA2
	}
	return true
}

func (e *engine) num(b []byte, maxLen int, off int, op Opcode) (int64, *Error) {
	n, err := ParseNum(b, maxLen, e.flags&FlagMinimalData != 0)
	if err != nil {
		return 0, newError(ErrScriptNum, off, op, err.(*Error).Msg)
	}
	return n, nil
}

// eval is Bitcoin Core's EvalScript with the node's MVS additions.
func (e *engine) eval(script Script) error {
	if len(script) > MaxScriptSize {
		return newErrorf(ErrScriptSize, -1, 0, "script is %d bytes, limit %d", len(script), MaxScriptSize)
	}
	e.alt = e.altBuf[:0]
	e.exec = e.execBuf[:0]
	opCount := 0
	codeHashStart := 0
	minimal := e.flags&FlagMinimalData != 0
	t := script.Tokenize()
	for {
		if !t.Next() {
			if err := t.Err(); err != nil {
				pe := err.(*Error)
				return newError(ErrBadOpcode, pe.Offset, pe.Opcode, pe.Msg)
			}
			break
		}
		o := t.Op()
		op, off := o.Opcode, o.Offset
		fExec := e.executing()
		if len(o.Data) > MaxScriptElementSize {
			return newErrorf(ErrPushSize, off, op, "push of %d bytes, limit %d", len(o.Data), MaxScriptElementSize)
		}
		if op > OP_16 {
			opCount++
			if opCount > MaxOpsPerScript {
				return newError(ErrOpCount, off, op, "more than 201 opcodes")
			}
		}
		if isDisabled(op) {
			return newError(ErrDisabledOpcode, off, op, "disabled opcode")
		}
		if fExec && op <= OP_PUSHDATA4 {
			if minimal && !checkMinimalPush(o.Data, op) {
				return newError(ErrMinimalData, off, op, "non-minimal push")
			}
			e.push(o.Data)
		} else if fExec || (op >= OP_IF && op <= OP_ENDIF) {
			if err := e.step(o, fExec, script, &codeHashStart, &opCount, t.Offset()); err != nil {
				return err
			}
		}
		if len(e.stack)+len(e.alt) > MaxStackSize {
			return newError(ErrStackSize, off, op, "stack larger than 1000 items")
		}
	}
	if len(e.exec) != 0 {
		return newError(ErrUnbalancedConditional, -1, 0, "IF without ENDIF")
	}
	return nil
}

func (e *engine) need(n int, o Op) *Error {
	if len(e.stack) < n {
		return newErrorf(ErrInvalidStackOperation, o.Offset, o.Opcode, "needs %d stack items, has %d", n, len(e.stack))
	}
	return nil
}

// lockOperand reads the operand CLTV and CSV share: the top item as a script number of up to
// 5 bytes, left on the stack (neither opcode pops), and not negative.
func (e *engine) lockOperand(o Op, off int, op Opcode, what string) (int64, error) {
	if err := e.need(1, o); err != nil {
		return 0, err
	}
	n, err := e.num(e.top(-1), LockTimeNumLen, off, op)
	if err != nil {
		return 0, err
	}
	if n < 0 {
		return 0, newError(ErrNegativeLockTime, off, op, "negative "+what)
	}
	return n, nil
}

// step executes one non-push opcode. next is the offset just after it.
func (e *engine) step(o Op, fExec bool, script Script, codeHashStart, opCount *int, next int) error {
	op, off := o.Opcode, o.Offset
	switch op {
	case OP_1NEGATE, OP_1, OP_2, OP_3, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, OP_16:
		e.push(NumBytes(int64(op) - int64(OP_1-1)))

	case OP_NOP:
	case OP_CHECKLOCKTIMEVERIFY:
		if e.flags&FlagCheckLockTimeVerify == 0 {
			return e.upgradableNOP(o)
		}
		n, err := e.lockOperand(o, off, op, "lock time")
		if err != nil {
			return err
		}
		if !e.checker.CheckLockTime(n) {
			return newErrorf(ErrUnsatisfiedLockTime, off, op, "lock time %d not satisfied", n)
		}
	case OP_CHECKATTENUATIONVERIFY:
		if e.flags&FlagCheckAttenuationVerify == 0 {
			return e.upgradableNOP(o)
		}
		if err := e.need(2, o); err != nil {
			return err
		}
		if !IsValidModelParam(e.top(-2)) {
			return newError(ErrInvalidModelParam, off, op, "invalid attenuation model param")
		}
		e.pop()
		e.pop()
	case OP_CHECKSEQUENCEVERIFY:
		if e.flags&FlagCheckSequenceVerify == 0 {
			return e.upgradableNOP(o)
		}
		n, err := e.lockOperand(o, off, op, "sequence")
		if err != nil {
			return err
		}
		if n&SequenceLockTimeDisableFlag != 0 {
			break // disabled operand: a NOP, for future soft forks
		}
		if !e.checker.CheckSequence(n) {
			return newErrorf(ErrUnsatisfiedLockTime, off, op, "sequence %d not satisfied", n)
		}
	case OP_NOP1, OP_NOP5, 0xb5, 0xb6, 0xb7, 0xb8, OP_NOP10:
		return e.upgradableNOP(o)

	case OP_IF, OP_NOTIF:
		v := false
		if fExec {
			if len(e.stack) < 1 {
				return newError(ErrUnbalancedConditional, off, op, "IF with an empty stack")
			}
			v = castToBool(e.pop())
			if op == OP_NOTIF {
				v = !v
			}
		}
		e.exec = append(e.exec, v)
	case OP_ELSE:
		if len(e.exec) == 0 {
			return newError(ErrUnbalancedConditional, off, op, "ELSE without IF")
		}
		e.exec[len(e.exec)-1] = !e.exec[len(e.exec)-1]
	case OP_ENDIF:
		if len(e.exec) == 0 {
			return newError(ErrUnbalancedConditional, off, op, "ENDIF without IF")
		}
		e.exec = e.exec[:len(e.exec)-1]
	case OP_VERIFY:
		if err := e.need(1, o); err != nil {
			return err
		}
		if !castToBool(e.top(-1)) {
			return newError(ErrVerify, off, op, "VERIFY failed")
		}
		e.pop()
	case OP_RETURN:
		return newError(ErrOpReturn, off, op, "OP_RETURN executed")

	case OP_TOALTSTACK:
		if err := e.need(1, o); err != nil {
			return err
		}
		e.alt = append(e.alt, e.pop())
	case OP_FROMALTSTACK:
		if len(e.alt) < 1 {
			return newError(ErrInvalidAltStackOperation, off, op, "altstack empty")
		}
		e.push(e.alt[len(e.alt)-1])
		e.alt = e.alt[:len(e.alt)-1]
	case OP_2DROP:
		if err := e.need(2, o); err != nil {
			return err
		}
		e.stack = e.stack[:len(e.stack)-2]
	case OP_2DUP:
		if err := e.need(2, o); err != nil {
			return err
		}
		a, b := e.top(-2), e.top(-1)
		e.push(a)
		e.push(b)
	case OP_3DUP:
		if err := e.need(3, o); err != nil {
			return err
		}
		a, b, c := e.top(-3), e.top(-2), e.top(-1)
		e.push(a)
		e.push(b)
		e.push(c)
	case OP_2OVER:
		if err := e.need(4, o); err != nil {
			return err
		}
		a, b := e.top(-4), e.top(-3)
		e.push(a)
		e.push(b)
	case OP_2ROT:
		if err := e.need(6, o); err != nil {
			return err
		}
		n := len(e.stack)
		a, b := e.stack[n-6], e.stack[n-5]
		copy(e.stack[n-6:], e.stack[n-4:])
		e.stack[n-2], e.stack[n-1] = a, b
	case OP_2SWAP:
		if err := e.need(4, o); err != nil {
			return err
		}
		n := len(e.stack)
		e.stack[n-4], e.stack[n-2] = e.stack[n-2], e.stack[n-4]
		e.stack[n-3], e.stack[n-1] = e.stack[n-1], e.stack[n-3]
	case OP_IFDUP:
		if err := e.need(1, o); err != nil {
			return err
		}
		if v := e.top(-1); castToBool(v) {
			e.push(v)
		}
	case OP_DEPTH:
		e.push(NumBytes(int64(len(e.stack))))
	case OP_DROP:
		if err := e.need(1, o); err != nil {
			return err
		}
		e.pop()
	case OP_DUP:
		if err := e.need(1, o); err != nil {
			return err
		}
		e.push(e.top(-1))
	case OP_NIP:
		if err := e.need(2, o); err != nil {
			return err
		}
		n := len(e.stack)
		e.stack[n-2] = e.stack[n-1]
		e.stack = e.stack[:n-1]
	case OP_OVER:
		if err := e.need(2, o); err != nil {
			return err
		}
		e.push(e.top(-2))
	case OP_PICK, OP_ROLL:
		if err := e.need(2, o); err != nil {
			return err
		}
		v, err := e.num(e.top(-1), DefaultNumLen, off, op)
		if err != nil {
			return err
		}
		e.pop()
		n := clampInt32(v)
		if n < 0 || n >= len(e.stack) {
			return newErrorf(ErrInvalidStackOperation, off, op, "index %d out of range", n)
		}
		idx := len(e.stack) - n - 1
		item := e.stack[idx]
		if op == OP_ROLL {
			copy(e.stack[idx:], e.stack[idx+1:])
			e.stack = e.stack[:len(e.stack)-1]
		}
		e.push(item)
	case OP_ROT:
		if err := e.need(3, o); err != nil {
			return err
		}
		n := len(e.stack)
		e.stack[n-3], e.stack[n-2], e.stack[n-1] = e.stack[n-2], e.stack[n-1], e.stack[n-3]
	case OP_SWAP:
		if err := e.need(2, o); err != nil {
			return err
		}
		n := len(e.stack)
		e.stack[n-2], e.stack[n-1] = e.stack[n-1], e.stack[n-2]
	case OP_TUCK:
		if err := e.need(2, o); err != nil {
			return err
		}
		n := len(e.stack)
		v := e.stack[n-1]
		e.push(nil)
		e.stack[n], e.stack[n-1], e.stack[n-2] = v, e.stack[n-2], v
	case OP_SIZE:
		if err := e.need(1, o); err != nil {
			return err
		}
		e.push(NumBytes(int64(len(e.top(-1)))))

	case OP_EQUAL, OP_EQUALVERIFY:
		if err := e.need(2, o); err != nil {
			return err
		}
		eq := bytes.Equal(e.top(-2), e.top(-1))
		e.stack = e.stack[:len(e.stack)-2]
		e.pushBool(eq)
		if op == OP_EQUALVERIFY {
			if !eq {
				return newError(ErrEqualVerify, off, op, "EQUALVERIFY failed")
			}
			e.pop()
		}

	case OP_1ADD, OP_1SUB, OP_NEGATE, OP_ABS, OP_NOT, OP_0NOTEQUAL:
		if err := e.need(1, o); err != nil {
			return err
		}
		n, err := e.num(e.top(-1), DefaultNumLen, off, op)
		if err != nil {
			return err
		}
		switch op {
		case OP_1ADD:
			n++
		case OP_1SUB:
			n--
		case OP_NEGATE:
			n = -n
		case OP_ABS:
			if n < 0 {
				n = -n
			}
		case OP_NOT:
			n = b2i(n == 0)
		case OP_0NOTEQUAL:
			n = b2i(n != 0)
		}
		e.pop()
		e.push(NumBytes(n))
	case OP_ADD, OP_SUB, OP_BOOLAND, OP_BOOLOR, OP_NUMEQUAL, OP_NUMEQUALVERIFY, OP_NUMNOTEQUAL,
		OP_LESSTHAN, OP_GREATERTHAN, OP_LESSTHANOREQUAL, OP_GREATERTHANOREQUAL, OP_MIN, OP_MAX:
		if err := e.need(2, o); err != nil {
			return err
		}
		a, err := e.num(e.top(-2), DefaultNumLen, off, op)
		if err != nil {
			return err
		}
		b, err := e.num(e.top(-1), DefaultNumLen, off, op)
		if err != nil {
			return err
		}
		var r int64
		switch op {
		case OP_ADD:
			r = a + b
		case OP_SUB:
			r = a - b
		case OP_BOOLAND:
			r = b2i(a != 0 && b != 0)
		case OP_BOOLOR:
			r = b2i(a != 0 || b != 0)
		case OP_NUMEQUAL, OP_NUMEQUALVERIFY:
			r = b2i(a == b)
		case OP_NUMNOTEQUAL:
			r = b2i(a != b)
		case OP_LESSTHAN:
			r = b2i(a < b)
		case OP_GREATERTHAN:
			r = b2i(a > b)
		case OP_LESSTHANOREQUAL:
			r = b2i(a <= b)
		case OP_GREATERTHANOREQUAL:
			r = b2i(a >= b)
		case OP_MIN:
			r = min(a, b)
		case OP_MAX:
			r = max(a, b)
		}
		e.stack = e.stack[:len(e.stack)-2]
		e.push(NumBytes(r))
		if op == OP_NUMEQUALVERIFY {
			if !castToBool(e.top(-1)) {
				return newError(ErrNumEqualVerify, off, op, "NUMEQUALVERIFY failed")
			}
			e.pop()
		}
	case OP_WITHIN:
		if err := e.need(3, o); err != nil {
			return err
		}
		x, err := e.num(e.top(-3), DefaultNumLen, off, op)
		if err != nil {
			return err
		}
		lo, err := e.num(e.top(-2), DefaultNumLen, off, op)
		if err != nil {
			return err
		}
		hi, err := e.num(e.top(-1), DefaultNumLen, off, op)
		if err != nil {
			return err
		}
		e.stack = e.stack[:len(e.stack)-3]
		e.pushBool(lo <= x && x < hi)

	case OP_RIPEMD160, OP_SHA1, OP_SHA256, OP_HASH160, OP_HASH256:
		if err := e.need(1, o); err != nil {
			return err
		}
		v := e.pop()
		var h []byte
		switch op {
		case OP_RIPEMD160:
			r := ripemd160.New()
			r.Write(v)
			h = r.Sum(nil)
		case OP_SHA1:
			s := sha1.Sum(v) //nolint:gosec // consensus
			h = s[:]
		case OP_SHA256:
			s := sha256.Sum256(v)
			h = s[:]
		case OP_HASH160:
			s := mvs.Hash160(v)
			h = s[:]
		case OP_HASH256:
			s := mvs.DoubleSHA256(v)
			h = s[:]
		}
		e.push(h)
	case OP_CODESEPARATOR:
		*codeHashStart = next
	case OP_CHECKSIG, OP_CHECKSIGVERIFY:
		if err := e.need(2, o); err != nil {
			return err
		}
		sig, pub := e.top(-2), e.top(-1)
		if err := e.checkEncoding(sig, pub, o); err != nil {
			return err
		}
		code := scriptCode(script[*codeHashStart:], [][]byte{sig})
		ok := len(sig) > 0 && e.checker.CheckSig(sig, pub, code)
		e.stack = e.stack[:len(e.stack)-2]
		e.pushBool(ok)
		if op == OP_CHECKSIGVERIFY {
			if !ok {
				return newError(ErrCheckSigVerify, off, op, "CHECKSIGVERIFY failed")
			}
			e.pop()
		}
	case OP_CHECKMULTISIG, OP_CHECKMULTISIGVERIFY:
		return e.checkMultisig(o, script[*codeHashStart:], opCount)

	default:
		return newError(ErrBadOpcode, off, op, "invalid opcode")
	}
	return nil
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func (e *engine) upgradableNOP(o Op) error {
	if e.flags&FlagDiscourageUpgradableNOPs != 0 {
		return newError(ErrDiscourageUpgradableNOPs, o.Offset, o.Opcode, "upgradable NOP executed")
	}
	return nil
}

// checkEncoding is Core's CheckSignatureEncoding + CheckPubKeyEncoding. An empty signature
// is always allowed (a compact way to fail a CHECKSIG).
func (e *engine) checkEncoding(sig, pub []byte, o Op) error {
	if len(sig) > 0 {
		if e.flags&(FlagDERSig|FlagLowS|FlagStrictEnc) != 0 && !IsValidSignatureEncoding(sig) {
			return newError(ErrSigDER, o.Offset, o.Opcode, "signature is not strict DER")
		}
		if e.flags&FlagLowS != 0 {
			if _, s, ok := parseDER(sig[:len(sig)-1]); !ok || s.IsOverHalfOrder() {
				return newError(ErrSigHighS, o.Offset, o.Opcode, "signature S is high")
			}
		}
		if e.flags&FlagStrictEnc != 0 {
			ht := SigHashType(sig[len(sig)-1]) &^ SigHashAnyoneCanPay
			if ht < SigHashAll || ht > SigHashSingle {
				return newError(ErrSigHashType, o.Offset, o.Opcode, "undefined hash type")
			}
		}
	}
	if e.flags&FlagStrictEnc != 0 && !IsPublicKey(pub) {
		return newError(ErrPubKeyType, o.Offset, o.Opcode, "public key is neither compressed nor uncompressed")
	}
	return nil
}

func (e *engine) checkMultisig(o Op, sub Script, opCount *int) error {
	op, off := o.Opcode, o.Offset
	i := 1
	if len(e.stack) < i {
		return newError(ErrInvalidStackOperation, off, op, "no key count")
	}
	nk, err := e.num(e.top(-i), DefaultNumLen, off, op)
	if err != nil {
		return err
	}
	keys := clampInt32(nk)
	if keys < 0 || keys > MaxPubKeysPerMultisig {
		return newErrorf(ErrPubKeyCount, off, op, "%d keys", keys)
	}
	*opCount += keys
	if *opCount > MaxOpsPerScript {
		return newError(ErrOpCount, off, op, "more than 201 opcodes")
	}
	i++
	ikey := i
	i += keys
	if len(e.stack) < i {
		return newError(ErrInvalidStackOperation, off, op, "too few keys on the stack")
	}
	ns, err := e.num(e.top(-i), DefaultNumLen, off, op)
	if err != nil {
		return err
	}
	sigs := clampInt32(ns)
	if sigs < 0 || sigs > keys {
		return newErrorf(ErrSigCount, off, op, "%d signatures for %d keys", sigs, keys)
	}
	i++
	isig := i
	i += sigs
	if len(e.stack) < i {
		return newError(ErrInvalidStackOperation, off, op, "too few signatures on the stack")
	}
	var sigBuf [16][]byte
	sigList := sigBuf[:0]
	for k := 0; k < sigs; k++ {
		sigList = append(sigList, e.top(-isig-k))
	}
	code := scriptCode(sub, sigList)
	success := true
	for success && sigs > 0 {
		sig, pub := e.top(-isig), e.top(-ikey)
		if err := e.checkEncoding(sig, pub, o); err != nil {
			return err
		}
		if len(sig) > 0 && e.checker.CheckSig(sig, pub, code) {
			isig++
			sigs--
		}
		ikey++
		keys--
		if sigs > keys {
			success = false
		}
	}
	// Pop the counts, keys and signatures, then the extra dummy item CHECKMULTISIG has
	// always consumed.
	e.stack = e.stack[:len(e.stack)-(i-1)]
	if len(e.stack) < 1 {
		return newError(ErrInvalidStackOperation, off, op, "no dummy item")
	}
	if e.flags&FlagNullDummy != 0 && len(e.top(-1)) != 0 {
		return newError(ErrSigNullDummy, off, op, "dummy item not empty")
	}
	e.pop()
	e.pushBool(success)
	if op == OP_CHECKMULTISIGVERIFY {
		if !success {
			return newError(ErrCheckMultiSigVerify, off, op, "CHECKMULTISIGVERIFY failed")
		}
		e.pop()
	}
	return nil
}

// scriptCode returns sub with every push of each signature removed at operation boundaries
// (Core's FindAndDelete of CScript() << sig) and every OP_CODESEPARATOR removed, sharing
// sub's storage when nothing is removed.
func scriptCode(sub Script, sigs [][]byte) Script {
	for _, sig := range sigs {
		sub = findAndDelete(sub, sig)
	}
	return RemoveCodeSeparators(sub)
}

// findAndDelete removes, at every operation boundary, each occurrence of sig pushed the way
// Core's CScript << vector encodes it (minimal PUSHDATA form by Bitcoin's thresholds).
func findAndDelete(s Script, sig []byte) Script {
	var pat []byte
	var patBuf [80]byte
	switch n := len(sig); {
	case n < int(OP_PUSHDATA1):
		pat = append(patBuf[:0], byte(n))
	case n <= 0xff:
		pat = append(patBuf[:0], byte(OP_PUSHDATA1), byte(n))
	case n <= 0xffff:
		pat = append(patBuf[:0], byte(OP_PUSHDATA2), byte(n), byte(n>>8))
	default:
		pat = append(patBuf[:0], byte(OP_PUSHDATA4), byte(n), byte(n>>8), byte(n>>16), byte(n>>24))
	}
	pat = append(pat, sig...)
	if !bytes.Contains(s, pat) {
		return s
	}
	var out Script
	found := false
	pc, pc2 := 0, 0
	for {
		out = append(out, s[pc2:pc]...)
		for len(s)-pc >= len(pat) && bytes.Equal(s[pc:pc+len(pat)], pat) {
			pc += len(pat)
			found = true
		}
		pc2 = pc
		if pc >= len(s) {
			break
		}
		_, n, err := readOp(s, pc)
		if err != nil {
			break
		}
		pc += n
	}
	if !found {
		return s
	}
	return append(out, s[pc2:]...)
}

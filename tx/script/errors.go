package script

import "fmt"

// ErrorCode classifies a script failure. An ErrorCode is itself an error, so callers test
// with errors.Is(err, script.ErrEvalFalse).
type ErrorCode int

// Error codes. The interpreter codes mirror Bitcoin Core's ScriptError (SCRIPT_ERR_*), which
// the reference node's consensus clone reports.
const (
	// ErrUnknown: an error with no more specific code.
	ErrUnknown ErrorCode = iota + 1
	// ErrMalformedPush: a push opcode's length runs past the end of the script.
	ErrMalformedPush
	// ErrASMSyntax: the ASM text is not valid.
	ErrASMSyntax
	// ErrBuild: a builder was given data it cannot encode.
	ErrBuild
	// ErrEvalFalse: the script finished with an empty stack or a false top item.
	ErrEvalFalse
	// ErrOpReturn: OP_RETURN was executed.
	ErrOpReturn
	// ErrScriptSize: the script is longer than 10,000 bytes.
	ErrScriptSize
	// ErrPushSize: a push is larger than 520 bytes.
	ErrPushSize
	// ErrOpCount: more than 201 non-push opcodes (multisig keys count too).
	ErrOpCount
	// ErrStackSize: stack plus altstack exceed 1,000 items.
	ErrStackSize
	// ErrSigCount: CHECKMULTISIG's signature count is negative or above the key count.
	ErrSigCount
	// ErrPubKeyCount: CHECKMULTISIG's key count is negative or above 20.
	ErrPubKeyCount
	// ErrVerify: OP_VERIFY found a false value.
	ErrVerify
	// ErrEqualVerify: OP_EQUALVERIFY found unequal items.
	ErrEqualVerify
	// ErrCheckMultiSigVerify: OP_CHECKMULTISIGVERIFY failed.
	ErrCheckMultiSigVerify
	// ErrCheckSigVerify: OP_CHECKSIGVERIFY failed.
	ErrCheckSigVerify
	// ErrNumEqualVerify: OP_NUMEQUALVERIFY found unequal numbers.
	ErrNumEqualVerify
	// ErrBadOpcode: an undefined or reserved opcode was executed, or OP_VERIF/OP_VERNOTIF
	// appeared (they fail even in an unexecuted branch), or a push is malformed.
	ErrBadOpcode
	// ErrDisabledOpcode: a disabled opcode (CAT, SUBSTR, …, LSHIFT, RSHIFT) appeared anywhere.
	ErrDisabledOpcode
	// ErrInvalidStackOperation: too few stack items for an operation.
	ErrInvalidStackOperation
	// ErrInvalidAltStackOperation: OP_FROMALTSTACK with an empty altstack.
	ErrInvalidAltStackOperation
	// ErrUnbalancedConditional: IF/NOTIF without a value, ELSE/ENDIF without IF, or IF left open.
	ErrUnbalancedConditional
	// ErrNegativeLockTime: CLTV or CSV operand is negative.
	ErrNegativeLockTime
	// ErrUnsatisfiedLockTime: the transaction does not satisfy CLTV or CSV.
	ErrUnsatisfiedLockTime
	// ErrInvalidModelParam: OP_CHECKATTENUATIONVERIFY found no valid attenuation model param.
	ErrInvalidModelParam
	// ErrScriptNum: a numeric operand is longer than allowed (4 bytes, 5 for CLTV/CSV) or, with
	// MINIMALDATA, not minimally encoded. Bitcoin Core reports this as UNKNOWN_ERROR (a thrown
	// scriptnum_error).
	ErrScriptNum
	// ErrSigDER: a signature is not strict DER (BIP66) under DERSIG/STRICTENC/LOW_S.
	ErrSigDER
	// ErrSigHighS: a signature has S above half the order (LOW_S only).
	ErrSigHighS
	// ErrSigHashType: an undefined hash type (STRICTENC only).
	ErrSigHashType
	// ErrPubKeyType: a public key is neither compressed nor uncompressed (STRICTENC only).
	ErrPubKeyType
	// ErrSigPushOnly: a P2SH (or, with SIGPUSHONLY, any) scriptSig has non-push opcodes.
	ErrSigPushOnly
	// ErrSigNullDummy: CHECKMULTISIG's dummy item is not empty (NULLDUMMY only).
	ErrSigNullDummy
	// ErrCleanStack: more than one item left after evaluation (CLEANSTACK only).
	ErrCleanStack
	// ErrMinimalData: a push is not minimal (MINIMALDATA only).
	ErrMinimalData
	// ErrDiscourageUpgradableNOPs: a reserved NOP was executed (DISCOURAGE_UPGRADABLE_NOPS only).
	ErrDiscourageUpgradableNOPs

	numErrorCodes // keep last: tests iterate 1..numErrorCodes-1
)

// String returns the code's name.
func (c ErrorCode) String() string {
	switch c {
	case ErrUnknown:
		return "ErrUnknown"
	case ErrMalformedPush:
		return "ErrMalformedPush"
	case ErrASMSyntax:
		return "ErrASMSyntax"
	case ErrBuild:
		return "ErrBuild"
	case ErrEvalFalse:
		return "ErrEvalFalse"
	case ErrOpReturn:
		return "ErrOpReturn"
	case ErrScriptSize:
		return "ErrScriptSize"
	case ErrPushSize:
		return "ErrPushSize"
	case ErrOpCount:
		return "ErrOpCount"
	case ErrStackSize:
		return "ErrStackSize"
	case ErrSigCount:
		return "ErrSigCount"
	case ErrPubKeyCount:
		return "ErrPubKeyCount"
	case ErrVerify:
		return "ErrVerify"
	case ErrEqualVerify:
		return "ErrEqualVerify"
	case ErrCheckMultiSigVerify:
		return "ErrCheckMultiSigVerify"
	case ErrCheckSigVerify:
		return "ErrCheckSigVerify"
	case ErrNumEqualVerify:
		return "ErrNumEqualVerify"
	case ErrBadOpcode:
		return "ErrBadOpcode"
	case ErrDisabledOpcode:
		return "ErrDisabledOpcode"
	case ErrInvalidStackOperation:
		return "ErrInvalidStackOperation"
	case ErrInvalidAltStackOperation:
		return "ErrInvalidAltStackOperation"
	case ErrUnbalancedConditional:
		return "ErrUnbalancedConditional"
	case ErrNegativeLockTime:
		return "ErrNegativeLockTime"
	case ErrUnsatisfiedLockTime:
		return "ErrUnsatisfiedLockTime"
	case ErrInvalidModelParam:
		return "ErrInvalidModelParam"
	case ErrScriptNum:
		return "ErrScriptNum"
	case ErrSigDER:
		return "ErrSigDER"
	case ErrSigHighS:
		return "ErrSigHighS"
	case ErrSigHashType:
		return "ErrSigHashType"
	case ErrPubKeyType:
		return "ErrPubKeyType"
	case ErrSigPushOnly:
		return "ErrSigPushOnly"
	case ErrSigNullDummy:
		return "ErrSigNullDummy"
	case ErrCleanStack:
		return "ErrCleanStack"
	case ErrMinimalData:
		return "ErrMinimalData"
	case ErrDiscourageUpgradableNOPs:
		return "ErrDiscourageUpgradableNOPs"
	}
	return fmt.Sprintf("ErrorCode(%d)", int(c))
}

// Error makes an ErrorCode usable as a sentinel with errors.Is.
func (c ErrorCode) Error() string { return "script: " + c.String() }

// Error is a script failure: what went wrong, where, and which opcode.
type Error struct {
	Code ErrorCode
	// Offset is the byte offset in the script being parsed or executed, or -1.
	Offset int
	// Opcode is the opcode at Offset (meaningful only when Offset ≥ 0).
	Opcode Opcode
	Msg    string
}

func (e *Error) Error() string {
	if e.Offset >= 0 {
		return fmt.Sprintf("script: %s at offset %d (%s): %s", e.Code, e.Offset, e.Opcode.Name(), e.Msg)
	}
	return fmt.Sprintf("script: %s: %s", e.Code, e.Msg)
}

// Is matches an ErrorCode equal to e.Code, or another *Error with the same Code.
func (e *Error) Is(target error) bool {
	switch t := target.(type) {
	case ErrorCode:
		return t == e.Code
	case *Error:
		return t.Code == e.Code
	}
	return false
}

func newError(c ErrorCode, off int, op Opcode, msg string) *Error {
	return &Error{Code: c, Offset: off, Opcode: op, Msg: msg}
}

func newErrorf(c ErrorCode, off int, op Opcode, format string, args ...any) *Error {
	return &Error{Code: c, Offset: off, Opcode: op, Msg: fmt.Sprintf(format, args...)}
}

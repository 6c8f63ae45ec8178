package script

// Lock-time constants. The relative-lock masks are MVS's (include/metaverse/bitcoin/
// constants.hpp), not Bitcoin's: a 20-bit value, and time locks in units of 32 seconds.
const (
	// LockTimeThreshold separates block heights (below) from Unix times (at or above).
	LockTimeThreshold = 500_000_000
	// SequenceFinal is the sequence that makes an input final.
	SequenceFinal = 0xffffffff
	// SequenceLockTimeDisableFlag (bit 31) turns relative locking off for an input, and makes
	// CHECKSEQUENCEVERIFY a NOP when set in its operand.
	SequenceLockTimeDisableFlag = 1 << 31
	// SequenceLockTimeTypeFlag (bit 22) makes a relative lock time-based.
	SequenceLockTimeTypeFlag = 1 << 22
	// SequenceLockTimeMask is MVS's 20-bit relative lock value (Bitcoin: 16 bits).
	SequenceLockTimeMask = 0x000fffff
	// SequenceLockTimeGranularity: a time lock of v means v << 5 seconds (Bitcoin: << 9).
	SequenceLockTimeGranularity = 5
)

// CheckLockTime is the CHECKLOCKTIMEVERIFY comparison (Bitcoin Core's
// TransactionSignatureChecker::CheckLockTime) for an operand already known to be ≥ 0: the
// operand and the tx lock time must be of the same kind (height or time), the operand must
// not exceed the tx lock time, and the input must not be final.
func CheckLockTime(txLockTime, inputSequence uint32, operand int64) bool {
	if !((txLockTime < LockTimeThreshold && operand < LockTimeThreshold) ||
		(txLockTime >= LockTimeThreshold && operand >= LockTimeThreshold)) {
		return false
	}
	if operand > int64(txLockTime) {
		return false
	}
	return inputSequence != SequenceFinal
}

// CheckSequence is the CHECKSEQUENCEVERIFY comparison (CheckSequence in the node's clone)
// with MVS's masks, for an operand already known to be ≥ 0 and without the disable flag:
// the tx version must be ≥ 2, the input's sequence must not have the disable flag, and the
// masked values (type flag | 20-bit value) must be of the same kind with the operand not
// above the input's.
func CheckSequence(txVersion, inputSequence uint32, operand int64) bool {
	if txVersion < 2 {
		return false
	}
	if inputSequence&SequenceLockTimeDisableFlag != 0 {
		return false
	}
	const mask = SequenceLockTimeTypeFlag | SequenceLockTimeMask
	txSeq := int64(inputSequence & mask)
	op := operand & mask
	if !((txSeq < SequenceLockTimeTypeFlag && op < SequenceLockTimeTypeFlag) ||
		(txSeq >= SequenceLockTimeTypeFlag && op >= SequenceLockTimeTypeFlag)) {
		return false
	}
	return op <= txSeq
}

// RelativeLock decodes an input sequence into its relative lock as the node's BIP68 rule
// reads it: disabled (bit 31), or a number of blocks, or a number of seconds (value << 5).
func RelativeLock(sequence uint32) (blocks uint32, seconds int64, isTime, disabled bool) {
	if sequence&SequenceLockTimeDisableFlag != 0 {
		return 0, 0, false, true
	}
	v := sequence & SequenceLockTimeMask
	if sequence&SequenceLockTimeTypeFlag != 0 {
		return 0, int64(v) << SequenceLockTimeGranularity, true, false
	}
	return v, 0, false, false
}

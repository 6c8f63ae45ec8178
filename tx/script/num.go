package script

import "math"

// Script numbers (Bitcoin's CScriptNum): little-endian magnitude with the sign in the top
// bit of the last byte; zero is the empty array.

// DefaultNumLen is the operand size limit of arithmetic opcodes; CLTV and CSV accept
// LockTimeNumLen so that a u32 lock time fits.
const (
	DefaultNumLen  = 4
	LockTimeNumLen = 5
)

// NumBytes returns the minimal script-number encoding of n (CScriptNum::serialize).
func NumBytes(n int64) []byte {
	if n == 0 {
		return []byte{}
	}
	neg := n < 0
	var abs uint64
	if neg {
		abs = uint64(-(n + 1)) + 1 // no overflow at math.MinInt64
	} else {
		abs = uint64(n)
	}
	var buf [9]byte
	i := 0
	for abs > 0 {
		buf[i] = byte(abs)
		abs >>= 8
		i++
	}
	if buf[i-1]&0x80 != 0 {
		if neg {
			buf[i] = 0x80
		} else {
			buf[i] = 0
		}
		i++
	} else if neg {
		buf[i-1] |= 0x80
	}
	out := make([]byte, i)
	copy(out, buf[:i])
	return out
}

// ParseNum decodes a script number of at most maxLen bytes. With minimal set it also
// refuses non-minimal encodings (MINIMALDATA). The value of a ≤ 8-byte number always fits
// an int64; maxLen above 8 is clamped.
func ParseNum(b []byte, maxLen int, minimal bool) (int64, error) {
	if maxLen > 8 {
		maxLen = 8
	}
	if len(b) > maxLen {
		return 0, newErrorf(ErrScriptNum, -1, 0, "number is %d bytes, limit %d", len(b), maxLen)
	}
	if minimal && !isMinimalNum(b) {
		return 0, newError(ErrScriptNum, -1, 0, "non-minimally encoded number")
	}
	if len(b) == 0 {
		return 0, nil
	}
	var v uint64
	for i, c := range b {
		v |= uint64(c) << (8 * i)
	}
	last := b[len(b)-1]
	if last&0x80 != 0 {
		v &^= uint64(0x80) << (8 * (len(b) - 1))
		return -int64(v), nil
	}
	return int64(v), nil
}

func isMinimalNum(b []byte) bool {
	if len(b) == 0 {
		return true
	}
	// The last byte may not be 0x00 or 0x80 unless the byte before it needs its top bit
	// for the magnitude.
	if b[len(b)-1]&0x7f == 0 {
		if len(b) == 1 || b[len(b)-2]&0x80 == 0 {
			return false
		}
	}
	return true
}

// clampInt32 is CScriptNum::getint: the value saturated to the int32 range.
func clampInt32(n int64) int {
	if n > math.MaxInt32 {
		return math.MaxInt32
	}
	if n < math.MinInt32 {
		return math.MinInt32
	}
	return int(n)
}

// castToBool is Bitcoin's CastToBool: false for any encoding of zero, including negative zero.
func castToBool(b []byte) bool {
	for i, c := range b {
		if c != 0 {
			return !(i == len(b)-1 && c == 0x80)
		}
	}
	return false
}

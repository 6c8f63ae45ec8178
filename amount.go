package mvs

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
)

// Amount is a quantity of ETP in satoshi (1 ETP = 10^8 satoshi). It is unsigned because the
// wire carries output values as u64; differences (fees) are computed with Sub, which refuses
// to go below zero.
type Amount uint64

const (
	// SatoshiPerETP is the number of satoshi in one ETP.
	SatoshiPerETP Amount = 100_000_000
	// ETPDecimals is the number of decimal places of ETP.
	ETPDecimals = 8
	// MaxMoney is the consensus cap on any output value and on the sum of a transaction's
	// outputs: 100,000,000 ETP (constants.hpp total_reward).
	MaxMoney Amount = 100_000_000 * SatoshiPerETP
)

// String formats the amount in ETP with exactly the digits it needs: "1.5", "0.0001", "20".
func (a Amount) String() string { return FormatUnits(uint64(a), ETPDecimals) }

// Fixed formats the amount in ETP with all 8 decimals: "1.50000000", "0.00010000". It is
// the form ledgers and CSV exports want: every row the same width after the point, so
// columns align and text sorts within equal integer widths.
func (a Amount) Fixed() string { return FormatUnitsFixed(uint64(a), ETPDecimals) }

// Add returns a+b, or false when the sum overflows 64 bits.
func (a Amount) Add(b Amount) (Amount, bool) {
	s, carry := bits.Add64(uint64(a), uint64(b), 0)
	return Amount(s), carry == 0
}

// Sub returns a-b, or false when b > a.
func (a Amount) Sub(b Amount) (Amount, bool) {
	if b > a {
		return 0, false
	}
	return a - b, true
}

// ParseETP parses a decimal ETP amount as people type it ("12.5", ".5", "0.00010000", "20",
// with surrounding spaces ignored) into satoshi, exactly (no floating point). More than 8
// fractional digits is an error, not a rounding, and so is an amount above MaxMoney, the
// money supply: no output can carry more, so such a figure is a typo.
func ParseETP(s string) (Amount, error) {
	v, err := ParseUnits(strings.TrimSpace(s), ETPDecimals)
	if err != nil {
		return 0, err
	}
	if Amount(v) > MaxMoney {
		return 0, fmt.Errorf("%w: %q ETP is more than the money supply (%s)", ErrAmountRange, s, MaxMoney)
	}
	return Amount(v), nil
}

// FormatUnitsFixed is FormatUnits with every decimal place written: "1.50", "0.00".
func FormatUnitsFixed(v uint64, decimals uint8) string {
	s := strconv.FormatUint(v, 10)
	if decimals == 0 {
		return s
	}
	d := int(decimals)
	if len(s) <= d {
		s = strings.Repeat("0", d-len(s)+1) + s
	}
	return s[:len(s)-d] + "." + s[len(s)-d:]
}

// FormatUnits formats an integer quantity with the given number of decimals (ETP uses 8;
// each MST asset carries its own). Trailing fractional zeros are dropped.
func FormatUnits(v uint64, decimals uint8) string {
	s := FormatUnitsFixed(v, decimals)
	if decimals == 0 {
		return s
	}
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// ParseUnits parses a non-negative decimal string into an integer quantity with the given
// number of decimals. It accepts "5", "5.", ".5" and "0.50"; it refuses ".", signs,
// exponents, separators, more fractional digits than decimals, and values above 2^64-1.
func ParseUnits(s string, decimals uint8) (uint64, error) {
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart+frac == "" || !allDigits(intPart) || (hasDot && !allDigits(frac)) {
		return 0, fmt.Errorf("%w: %q", ErrAmountFormat, s)
	}
	if len(frac) > int(decimals) {
		return 0, fmt.Errorf("%w: %q has more than %d decimal places", ErrAmountFormat, s, decimals)
	}
	digits := strings.TrimLeft(intPart+frac+strings.Repeat("0", int(decimals)-len(frac)), "0")
	if digits == "" {
		return 0, nil
	}
	v, err := strconv.ParseUint(digits, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %q", ErrAmountRange, s)
	}
	return v, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// compile-time check that MaxMoney fits in an int64 (JSON consumers often use doubles or
// signed integers; 10^16 is exact in both).
var _ = [1]int{}[MaxMoney>>63]

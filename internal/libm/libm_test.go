package libm

import (
	"math"
	"testing"
)

// Expected values are x^n computed exactly with rationals and rounded once to a double (as
// glibc's pow returns them); Go's math.Pow(0.95, 4) is one ulp above the first.
func TestPowInt(t *testing.T) {
	for _, c := range []struct {
		x    float64
		n    int64
		want float64
	}{
		{0.95, 4, 0.8145062499999999},
		{0.95, 5, 0.7737809374999998},
		{0.95, 12, 0.5403600876626367},
		{1.08, -11, 0.4288828593376705},
		{1.08, -99, 0.0004909623700693249},
		{1.5, -7, 0.05852766346593507},
		{2, 10, 1024},
		{7, 0, 1},
	} {
		if got := PowInt(c.x, c.n); got != c.want {
			t.Errorf("PowInt(%v, %d) = %v, want %v (math.Pow gives %v)", c.x, c.n, got, c.want, math.Pow(c.x, float64(c.n)))
		}
	}
}

// What GCC's x86-64 code gives for (uint64_t)x, including the cases C leaves undefined.
func TestUint64(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want uint64
	}{
		{0, 0},
		{1.9, 1},
		{510.99, 510},
		{1 << 63, 1 << 63},
		{1<<64 - 2048, 1<<64 - 2048},
		{1 << 64, 0}, // 2^64 − 2^63 overflows the signed conversion: indefinite, top bit flipped
		{1e30, 0},
		{-1.5, 1<<64 - 1},
	} {
		if got := Uint64(c.x); got != c.want {
			t.Errorf("Uint64(%v) = %d, want %d", c.x, got, c.want)
		}
	}
}

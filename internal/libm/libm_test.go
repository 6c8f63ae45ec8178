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

// Package libm gives what the reference node's C library returns where Go's math package
// may differ in the last bit: consensus and wallet arithmetic that the node does in double
// precision must round exactly as it does.
package libm

import "math/big"

// PowInt is C's pow(x, n) for an integer exponent, correctly rounded to a double: x^n is
// computed with 512-bit precision and rounded once. glibc's pow is correctly rounded in
// practice; Go's math.Pow can be one ulp off, which would move a truncated amount by one.
func PowInt(x float64, n int64) float64 {
	neg := n < 0
	if neg {
		n = -n
	}
	b := new(big.Float).SetPrec(512).SetFloat64(x)
	r := new(big.Float).SetPrec(512).SetFloat64(1)
	for ; n > 0; n >>= 1 { // square-and-multiply: exact enough at 512 bits for any int64 n
		if n&1 == 1 {
			r.Mul(r, b)
		}
		b.Mul(b, b)
	}
	if neg {
		r.Quo(new(big.Float).SetPrec(512).SetFloat64(1), r)
	}
	f, _ := r.Float64()
	return f
}

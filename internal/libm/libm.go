// Package libm gives what the reference node's C library returns where Go's math package
// may differ in the last bit: consensus and wallet arithmetic that the node does in double
// precision must round exactly as it does.
package libm

import "math/big"

// PowInt is C's pow(x, n) for an integer exponent, correctly rounded to a double: x^n is
// computed with 512-bit precision and rounded once. That is what glibc before 2.28 returns
// (its IBM-derived pow was correctly rounded), the C library of the node's 2017–2018
// builds; glibc 2.28 and later is within an ulp and differs in rare cases. Go's math.Pow
// can be one ulp off too, which would move a truncated amount by one.
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

// Uint64 is the C conversion (uint64_t)x as GCC compiles it for x86-64, where the result is
// undefined in C but fixed in practice: values from 2^63 have 2^63 taken off, are converted
// as signed, and get the top bit back, so 2^64 and above give 0 (Go's conversion gives
// 2^63); negative values wrap as the signed conversion does.
func Uint64(x float64) uint64 {
	const two63 = 1 << 63
	if x >= two63 {
		return uint64(cvttsd2si(x-two63)) ^ (1 << 63)
	}
	return uint64(cvttsd2si(x))
}

// cvttsd2si is the x86-64 truncating conversion to int64: out of range (or NaN) gives the
// "integer indefinite" value, the minimum int64.
func cvttsd2si(x float64) int64 {
	if !(x >= -(1<<63) && x < 1<<63) { // beyond int64 after truncation, or NaN
		return -1 << 63
	}
	return int64(x)
}

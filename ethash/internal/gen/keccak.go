package main

import (
	"fmt"
)

// Keccak-f[1600] round constants and rotation offsets (FIPS 202; r[x][y] for lane x+5y).
var (
	roundConstants = [24]uint64{
		0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
		0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
		0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
		0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
		0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
		0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
	}
	rotations = [5][5]int{ // [x][y]
		{0, 36, 3, 41, 18},
		{1, 44, 10, 45, 2},
		{62, 6, 43, 15, 61},
		{28, 55, 25, 21, 56},
		{27, 20, 39, 8, 14},
	}
)

// writeKeccak writes keccak_amd64.s: Keccak-f[1600] on 8 states at once, one state per
// 64-bit lane of a ZMM register. The items of a batch are Keccak-512'd 256 times a hash,
// which in x/crypto's scalar Go is about as long as the hash's memory reads; 8 at a time
// in AVX-512 it is a fraction. The 25 state words live in Z0–Z24 through all 24 rounds;
// rho and pi move no data: the generator renames registers instead.
func writeKeccak(p func(string, ...any)) {
	for i, rc := range roundConstants {
		p("DATA keccakRC<>+%d(SB)/8, $0x%016x", 8*i, rc)
	}
	p("GLOBL keccakRC<>(SB), RODATA|NOPTR, $%d", 8*len(roundConstants))
	p("")
	p("// func keccakF1600x8(s *[25][8]uint64)")
	p("//")
	p("// s[i][k] is word i of state k. Z25–Z29 hold the column parities, Z30 and Z31 are")
	p("// temporaries.")
	p("TEXT ·keccakF1600x8(SB), NOSPLIT, $0-8")
	p("\tMOVQ s+0(FP), AX")
	reg := [25]int{} // reg[lane] = the Z register holding lane x+5y now
	for i := range reg {
		reg[i] = i
		p("\tVMOVDQU64 %d(AX), Z%d", 64*i, i)
	}
	z := func(lane int) string { return fmt.Sprintf("Z%d", reg[lane]) }
	for round := 0; round < 24; round++ {
		p("\t// round %d", round)
		// Theta: C[x] = xor of column x; A[x,y] ^= C[x-1] ^ rol(C[x+1], 1).
		for x := 0; x < 5; x++ {
			c := fmt.Sprintf("Z%d", 25+x)
			p("\tVMOVDQA64 %s, %s", z(x), c)
			p("\tVPTERNLOGQ $0x96, %s, %s, %s", z(x+10), z(x+5), c)
			p("\tVPTERNLOGQ $0x96, %s, %s, %s", z(x+20), z(x+15), c)
		}
		for x := 0; x < 5; x++ {
			p("\tVPROLQ $1, Z%d, Z30", 25+(x+1)%5)
			p("\tVPXORQ Z%d, Z30, Z30", 25+(x+4)%5)
			for y := 0; y < 5; y++ {
				p("\tVPXORQ Z30, %s, %s", z(x+5*y), z(x+5*y))
			}
		}
		// Rho and pi: B[y, 2x+3y] = rol(A[x,y], r[x][y]), rotating in place and renaming.
		var next [25]int
		for x := 0; x < 5; x++ {
			for y := 0; y < 5; y++ {
				if r := rotations[x][y]; r != 0 {
					p("\tVPROLQ $%d, %s, %s", r, z(x+5*y), z(x+5*y))
				}
				next[y+5*((2*x+3*y)%5)] = reg[x+5*y]
			}
		}
		reg = next
		// Chi: A[x,y] = B[x,y] ^ (~B[x+1,y] & B[x+2,y]), ternary-logic 0xD2; each row's
		// first two inputs are saved first, as the last two outputs need them.
		for y := 0; y < 5; y++ {
			row := func(x int) string { return z(x%5 + 5*y) }
			p("\tVMOVDQA64 %s, Z30", row(0))
			p("\tVMOVDQA64 %s, Z31", row(1))
			p("\tVPTERNLOGQ $0xD2, %s, %s, %s", row(2), row(1), row(0))
			p("\tVPTERNLOGQ $0xD2, %s, %s, %s", row(3), row(2), row(1))
			p("\tVPTERNLOGQ $0xD2, %s, %s, %s", row(4), row(3), row(2))
			p("\tVPTERNLOGQ $0xD2, Z30, %s, %s", row(4), row(3))
			p("\tVPTERNLOGQ $0xD2, Z31, Z30, %s", row(4))
		}
		// Iota.
		p("\tVPBROADCASTQ keccakRC<>+%d(SB), Z30", 8*round)
		p("\tVPXORQ Z30, %s, %s", z(0), z(0))
	}
	for i := range reg {
		p("\tVMOVDQU64 %s, %d(AX)", z(i), 64*i)
	}
	p("\tVZEROUPPER")
	p("\tRET")
	writeKeccakAVX2(p)
}

// writeKeccakAVX2 appends to b keccakF1600x4AVX2: Keccak-f[1600] on 4 states, one per
// 64-bit lane of a YMM register, for CPUs with AVX2 but not AVX-512. 25 state words do
// not fit 16 registers, so the state stays in memory: each round reads s and writes the
// other half of the buffer (rho, pi and chi need the round's input whole), 24 rounds
// ending back in s. Registers: Y0–Y4 the column parities then the theta terms D[x],
// Y5–Y9 a row of B, Y10 and Y11 temporaries.
func writeKeccakAVX2(p func(string, ...any)) {
	p("")
	p("// func keccakF1600x4AVX2(s *[2][25][4]uint64)")
	p("TEXT ·keccakF1600x4AVX2(SB), NOSPLIT, $0-8")
	p("\tMOVQ s+0(FP), AX")
	p("\tLEAQ 800(AX), BX")
	for round := 0; round < 24; round++ {
		src, dst := "AX", "BX"
		if round%2 == 1 {
			src, dst = "BX", "AX"
		}
		p("\t// round %d: %s to %s", round, src, dst)
		lane := func(base string, i int) string { return fmt.Sprintf("%d(%s)", 32*i, base) }
		for x := 0; x < 5; x++ {
			p("\tVMOVDQU %s, Y%d", lane(src, x), x)
			for y := 1; y < 5; y++ {
				p("\tVPXOR %s, Y%d, Y%d", lane(src, x+5*y), x, x)
			}
		}
		// D[x] = C[x-1] ^ rol(C[x+1], 1), into Y5–Y9 while the parities are still
		// needed, then moved to Y0–Y4.
		for x := 0; x < 5; x++ {
			c1 := (x + 1) % 5
			p("\tVPSLLQ $1, Y%d, Y10", c1)
			p("\tVPSRLQ $63, Y%d, Y11", c1)
			p("\tVPOR Y10, Y11, Y10")
			p("\tVPXOR Y%d, Y10, Y%d", (x+4)%5, 5+x)
		}
		for x := 0; x < 5; x++ {
			p("\tVMOVDQA Y%d, Y%d", 5+x, x)
		}
		// Output row Y of B takes, for each X, the input lane (x, y) with y = X and
		// (2x+3y) % 5 = Y, i.e. B[X, Y] = rol(A[x, y] ^ D[x], r[x][y]).
		for Y := 0; Y < 5; Y++ {
			for X := 0; X < 5; X++ {
				y := X
				x := 0
				for ; (2*x+3*y)%5 != Y; x++ {
				}
				p("\tVPXOR %s, Y%d, Y%d", lane(src, x+5*y), x, 5+X)
				if r := rotations[x][y]; r != 0 {
					p("\tVPSLLQ $%d, Y%d, Y10", r, 5+X)
					p("\tVPSRLQ $%d, Y%d, Y%d", 64-r, 5+X, 5+X)
					p("\tVPOR Y10, Y%d, Y%d", 5+X, 5+X)
				}
			}
			// Chi: out[X] = B[X] ^ (~B[X+1] & B[X+2]).
			for X := 0; X < 5; X++ {
				p("\tVPANDN Y%d, Y%d, Y10", 5+(X+2)%5, 5+(X+1)%5)
				p("\tVPXOR Y%d, Y10, Y10", 5+X)
				if X == 0 && Y == 0 {
					p("\tVPBROADCASTQ keccakRC<>+%d(SB), Y11", 8*round)
					p("\tVPXOR Y11, Y10, Y10")
				}
				p("\tVMOVDQU Y10, %s", lane(dst, X+5*Y))
			}
		}
	}
	p("\tVZEROUPPER")
	p("\tRET")
}

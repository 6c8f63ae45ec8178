package main

import (
	"fmt"
)

// Widths (items interleaved) of the batch kernels; lanes_amd64.go picks one per CPU by
// measurement (BenchmarkLaneParents).
var (
	avx512Widths = []int{8, 12, 16, 24}
	avx2Widths   = []int{4, 6}
)

// writeLanes writes lanes_amd64.s. Each kernel runs the 256 parent steps of k independent
// dataset items, step j of every item before step j+1 of any, so that k cache misses are in
// flight (the CPU's reorder window, not the code, then limits how many). The mixes stay in
// vector registers; each item's current parent row address lives in a stack slot, reloaded
// at its next step (a store-to-load forward, off the memory-latency critical path), so the
// width is not bounded by the 13 usable general registers. The per-step term (index^j)·prime
// of every item is one vector multiply per step into a stack array.
//
// Registers: BX cache, R10 fastMod multiplier, R11 n, CX the step number j+1, AX and DX the
// index arithmetic, SI the row being mixed.
func writeLanes(p func(string, ...any)) {
	p("#define FNV_PRIME $0x01000193")
	for _, k := range avx512Widths {
		lanesKernel(p, k, true)
	}
	for _, k := range avx2Widths {
		lanesKernel(p, k, false)
	}
}

// lanesKernel emits lanesParents<k><ISA>(cache *uint32, m, n uint64, idx *[k]uint32,
// mix *[k][16]uint32). AVX-512: item w's mix in Zw (a whole item in one register), Z31 the
// prime, Z29/Z27 the item indices, Z28 and X30 temporaries. AVX2: item w in Y(2w):Y(2w+1),
// Y14 the prime, Y13 the indices (up to 8), Y12 a temporary.
func lanesKernel(p func(string, ...any), k int, avx512 bool) {
	name := fmt.Sprintf("lanesParents%dAVX2", k)
	if avx512 {
		name = fmt.Sprintf("lanesParents%dAVX512", k)
	}
	// Frame: k row addresses, then k 32-bit (index^j)·prime terms (64-byte vector stores).
	rows := 0
	terms := 8 * k
	frame := terms + 4*((k+15)/16*16)
	row := func(w int) string { return fmt.Sprintf("%d(SP)", rows+8*w) }
	term := func(w int) string { return fmt.Sprintf("%d(SP)", terms+4*w) }
	p("")
	p("// func %s(cache *uint32, m, n uint64, idx *[%d]uint32, mix *[%d][16]uint32)", name, k, k)
	p("TEXT ·%s(SB), NOSPLIT, $%d-40", name, frame)
	p("\tMOVQ cache+0(FP), BX")
	p("\tMOVQ m+8(FP), R10")
	p("\tMOVQ n+16(FP), R11")
	p("\tMOVQ idx+24(FP), R8")
	p("\tMOVQ mix+32(FP), R9")
	if avx512 {
		p("\tMOVL FNV_PRIME, AX")
		p("\tVPBROADCASTD AX, Z31")
		p("\tVMOVDQU32 0(R8), Z29")
		if k > 16 {
			p("\tVMOVDQU32 64(R8), Z27") // reads past k only within the caller's padded array
		}
		for w := 0; w < k; w++ {
			p("\tVMOVDQU32 %d(R9), Z%d", 64*w, w)
		}
	} else {
		p("\tMOVL FNV_PRIME, AX")
		p("\tMOVQ AX, X14")
		p("\tVPBROADCASTD X14, Y14")
		p("\tVMOVDQU 0(R8), Y13")
		for w := 0; w < k; w++ {
			p("\tVMOVDQU %d(R9), Y%d", 64*w, 2*w)
			p("\tVMOVDQU %d(R9), Y%d", 64*w+32, 2*w+1)
		}
	}
	// Step 0's parents: fnv(index ^ 0, mix[0]) % n.
	for w := 0; w < k; w++ {
		p("\tMOVL %d(R8), AX", 4*w)
		p("\tIMUL3L FNV_PRIME, AX, AX")
		p("\tXORL %d(R9), AX", 64*w)
		laneIndex(p)
		p("\tMOVQ DX, %s", row(w))
	}
	p("\tXORL CX, CX")
	p("%s_loop:", name)
	for s := 0; s < 16; s++ {
		kw := (s + 1) & 15 // the word the next step's parent index reads
		p("\t// step j = 16*n + %d; the next index reads word %d", s, kw)
		p("\tINCL CX")
		// The terms (index ^ (j+1))·prime of every item, one vector op each.
		if avx512 {
			p("\tVPBROADCASTD CX, Z28")
			p("\tVPXORD Z29, Z28, Z30")
			p("\tVPMULLD Z31, Z30, Z30")
			p("\tVMOVDQU32 Z30, %s", term(0))
			if k > 16 {
				p("\tVPXORD Z27, Z28, Z30")
				p("\tVPMULLD Z31, Z30, Z30")
				p("\tVMOVDQU32 Z30, %s", term(16))
			}
		} else {
			p("\tMOVQ CX, X12")
			p("\tVPBROADCASTD X12, Y12")
			p("\tVPXOR Y13, Y12, Y12")
			p("\tVPMULLD Y14, Y12, Y12")
			p("\tVMOVDQU Y12, %s", term(0))
		}
		for w := 0; w < k; w++ {
			p("\tMOVQ %s, SI", row(w))
			if avx512 {
				p("\tVPMULLD Z31, Z%d, Z%d", w, w)
				if kw < 4 {
					p("\tVPEXTRD $%d, X%d, AX", kw, w)
				} else {
					p("\tVEXTRACTI32X4 $%d, Z%d, X30", kw/4, w)
					p("\tVPEXTRD $%d, X30, AX", kw%4)
				}
				p("\tVPXORD 0(SI), Z%d, Z%d", w, w)
			} else {
				lo, hi := 2*w, 2*w+1
				p("\tVPMULLD Y14, Y%d, Y%d", lo, lo)
				p("\tVPMULLD Y14, Y%d, Y%d", hi, hi)
				reg := lo
				if kw >= 8 {
					reg = hi
				}
				if lane := kw & 7; lane < 4 {
					p("\tVPEXTRD $%d, X%d, AX", lane, reg)
				} else {
					p("\tVEXTRACTI128 $1, Y%d, X12", reg)
					p("\tVPEXTRD $%d, X12, AX", lane-4)
				}
				p("\tVPXOR 0(SI), Y%d, Y%d", lo, lo)
				p("\tVPXOR 32(SI), Y%d, Y%d", hi, hi)
			}
			p("\tXORL %d(SI), AX", 4*kw)
			p("\tXORL %s, AX", term(w))
			laneIndex(p)
			p("\tMOVQ DX, %s", row(w))
		}
	}
	p("\tCMPL CX, $256")
	p("\tJB %s_loop", name)
	for w := 0; w < k; w++ {
		if avx512 {
			p("\tVMOVDQU32 Z%d, %d(R9)", w, 64*w)
		} else {
			p("\tVMOVDQU Y%d, %d(R9)", 2*w, 64*w)
			p("\tVMOVDQU Y%d, %d(R9)", 2*w+1, 64*w+32)
		}
	}
	p("\tVZEROUPPER")
	p("\tRET")
}

// laneIndex turns the 32-bit fnv value in AX (upper half zero) into the address of its
// parent row, x % n by Lemire's fastMod, in DX. R9 must survive, so no MULQ into R9.
func laneIndex(p func(string, ...any)) {
	p("\tIMULQ R10, AX")
	p("\tMULQ R11")
	p("\tSHLQ $6, DX")
	p("\tADDQ BX, DX")
}

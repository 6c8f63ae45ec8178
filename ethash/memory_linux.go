//go:build linux

package ethash

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// hugePage is the x86-64 and arm64 transparent huge page size.
const hugePage = 2 << 20

// region is anonymous memory for a cache or an in-memory dataset, 2 MiB-aligned and marked
// MADV_HUGEPAGE. Every parent lookup of a light verification lands on a random 64-byte item:
// with 4 KiB pages nearly each one misses the TLB (under a hypervisor a two-level page
// walk), and the Go heap is not eligible for huge pages where the kernel grants them only on
// request (THP "madvise", the common default).
type region struct{ m []byte }

func allocWords(n int) ([]uint32, *region, error) {
	if n == 0 {
		return nil, &region{}, nil
	}
	size := (uint64(n)*4 + hugePage - 1) / hugePage * hugePage
	// One extra huge page of address space (never touched, so never resident) lets the
	// words start on a huge-page boundary.
	m, err := unix.Mmap(-1, 0, int(size+hugePage), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
	if err != nil {
		return nil, nil, fmt.Errorf("ethash: mapping %d bytes: %w", size, err)
	}
	off := (hugePage - uint64(uintptr(unsafe.Pointer(&m[0])))%hugePage) % hugePage
	aligned := m[off : off+size]
	// Best effort: a kernel with THP disabled refuses, and 4 KiB pages still work.
	_ = unix.Madvise(aligned, unix.MADV_HUGEPAGE)
	return unsafe.Slice((*uint32)(unsafe.Pointer(&aligned[0])), n), &region{m: m}, nil
}

func (r *region) free() error {
	if r == nil || r.m == nil {
		return nil
	}
	err := unix.Munmap(r.m)
	r.m = nil
	return err
}

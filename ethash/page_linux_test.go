//go:build linux && (amd64 || arm64)

package ethash

import (
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Datasets pass 2^27 pages (16 GiB) at epoch 1921, below MaxEpoch: page indices must not
// wrap in 32 bits when generating, sampling or hashing. The test reserves 16 GiB of address
// space without memory (MAP_NORESERVE) and touches only a few pages.
func TestDatasetPagesPast16GiB(t *testing.T) {
	if DatasetSize(MaxEpoch) <= 1<<34 {
		t.Fatal("the largest dataset should pass 16 GiB")
	}
	const pages = 1<<27 + 64
	m, err := unix.Mmap(-1, 0, pages*mixBytes, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE|unix.MAP_NORESERVE)
	if err != nil {
		t.Skip("cannot reserve 16 GiB of address space:", err)
	}
	defer unix.Munmap(m)
	words := unsafe.Slice((*uint32)(unsafe.Pointer(&m[0])), len(m)/4)
	c, err := LoadCache("", 0, SmallSizes, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ih := itemHasher{h: newKeccak512()}
	for s := uint64(0); s < datasetSamples; s++ {
		p := uint32(s * (pages - 1) / (datasetSamples - 1))
		ih.pair(c.words, p, datasetPage(words, p))
	}
	if err := checkSample(words, c); err != nil {
		t.Errorf("a correct dataset past 16 GiB is rejected: %v", err)
	}
	high := uint32(1<<27 + 3)
	datasetPage(words, high)[0] = 0xdeadbeef
	if words[uint64(high)*mixWords] != 0xdeadbeef || words[3*mixWords] == 0xdeadbeef {
		t.Error("page 2^27+3 aliases page 3")
	}
}

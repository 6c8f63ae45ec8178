package ethash

import (
	"runtime"
	"testing"
	"unsafe"
)

// Items are 64 bytes: a cache whose words straddle CPU cache lines costs two line fills per
// parent lookup. Both a generated cache and one read back from its file must start aligned
// (on Linux on a huge-page boundary).
func TestCacheWordsAligned(t *testing.T) {
	dir := t.TempDir()
	want := uintptr(64)
	if runtime.GOOS == "linux" {
		want = hugePage
	}
	for _, name := range []string{"generated", "read back"} {
		c, err := LoadCache(dir, 1, SmallSizes, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.fromFile; got != (name == "read back") {
			t.Errorf("%s: fromFile = %v", name, got)
		}
		if a := uintptr(unsafe.Pointer(&c.Words()[0])); a%want != 0 {
			t.Errorf("%s: words at %#x, not %d-aligned", name, a, want)
		}
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

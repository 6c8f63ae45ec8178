package wire_test

import (
	"reflect"
	"testing"

	"github.com/mvsgo/mvs/wire"
)

func TestLocatorHeights(t *testing.T) {
	cases := []struct {
		top  uint32
		want []uint32
	}{
		{0, []uint32{0}},
		{1, []uint32{1, 0}},
		{9, []uint32{9, 8, 7, 6, 5, 4, 3, 2, 1, 0}},
		{10, []uint32{10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0}},
		// After ten heights the step doubles before the push: 100-10=90, then -2, -4, ...
		{100, []uint32{100, 99, 98, 97, 96, 95, 94, 93, 92, 91, 90, 88, 84, 76, 60, 28, 0}},
	}
	for _, c := range cases {
		if got := wire.LocatorHeights(c.top); !reflect.DeepEqual(got, c.want) {
			t.Errorf("top %d: %v", c.top, got)
		}
	}
}

// The standard locator always fits the limit of a peer at the same height (the spec's
// check: about 34 entries against 34 at 5 M blocks).
func TestLocatorFitsLimit(t *testing.T) {
	for _, top := range []uint32{1, 2, 3, 1000, 1 << 20, 5_000_000, 1<<32 - 1} {
		if n, max := len(wire.LocatorHeights(top)), wire.MaxLocatorLen(top); n > max {
			t.Errorf("top %d: %d heights, limit %d", top, n, max)
		}
	}
	for top := uint32(1); top < 1<<16; top++ {
		if n, max := len(wire.LocatorHeights(top)), wire.MaxLocatorLen(top); n > max {
			t.Fatalf("top %d: %d heights, limit %d", top, n, max)
		}
	}
	if got := wire.MaxLocatorLen(5_000_000); got != 34 {
		t.Fatalf("MaxLocatorLen(5M) = %d", got)
	}
}

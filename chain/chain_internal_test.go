package chain

import (
	"testing"

	"github.com/mvsgo/mvs"
)

// TestChainCodeNames: every code of block connection has a name (ErrorCode.String reads
// chainCodeNames once errors.go's codeName lists the group).
func TestChainCodeNames(t *testing.T) {
	for c := firstChainCode; c < endChainCodes; c++ {
		if chainCodeNames[c] == "" {
			t.Errorf("code %d has no name", int(c))
		}
	}
}

// TestNetEvents: a rolled-back reorganisation cancels out; a real one stays.
func TestNetEvents(t *testing.T) {
	ev := func(k EventKind, b byte) Event { return Event{Kind: k, Hash: mvs.Hash{b}} }
	for _, tc := range []struct {
		name     string
		in, want []Event
	}{
		{"rolled back", []Event{ev(Disconnected, 3), ev(Disconnected, 2), ev(Connected, 9), ev(Disconnected, 9), ev(Connected, 2), ev(Connected, 3)}, nil},
		{"reorganised", []Event{ev(Disconnected, 3), ev(Connected, 8), ev(Connected, 9)}, []Event{ev(Disconnected, 3), ev(Connected, 8), ev(Connected, 9)}},
		{"partly rolled back", []Event{ev(Connected, 1), ev(Connected, 2), ev(Disconnected, 2)}, []Event{ev(Connected, 1)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := netEvents(tc.in)
			if len(got) != len(tc.want) {
				t.Fatalf("%v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("%v, want %v", got, tc.want)
				}
			}
		})
	}
}

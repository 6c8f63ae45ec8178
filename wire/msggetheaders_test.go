package wire_test

import (
	"bytes"
	"testing"

	"github.com/mvsgo/mvs"

	"github.com/mvsgo/mvs/wire"
)

// getheaders has getblocks' layout byte for byte.
func TestGetHeadersLayout(t *testing.T) {
	gb := &wire.MsgGetBlocks{BlockLocatorHashes: []mvs.Hash{hashOf(1), hashOf(2)}, HashStop: hashOf(3)}
	gh := &wire.MsgGetHeaders{BlockLocatorHashes: gb.BlockLocatorHashes, HashStop: gb.HashStop}
	a, b := encode(t, gb, wire.ProtocolVersion), encode(t, gh, wire.ProtocolVersion)
	if !bytes.Equal(a, b) || len(a) != 4+1+64+32 {
		t.Fatalf("%x\n%x", a, b)
	}
}

package chain_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
)

// headers is a HeaderChain held in memory.
type headers []*block.Header

func (h headers) HeaderAt(height uint32) *block.Header {
	if int(height) < len(h) {
		return h[height]
	}
	return nil
}

func Example() {
	p := mvs.RegTest()
	g, _ := block.Genesis(p)
	branch := headers{&g.Header}

	next := &block.Header{Version: block.VersionPoW, PreviousBlockHash: g.Header.Hash(),
		Timestamp: g.Header.Timestamp + 20, Height: 1}
	next.Bits = chain.RequiredBits(next, branch, p)
	now := time.Unix(int64(next.Timestamp), 0)

	// Seal is nil here: the seal check is skipped (a real node passes an *ethash.Verifier).
	rules := chain.HeaderRules{Params: p, Now: now}
	fmt.Println("valid:", chain.CheckHeader(next, branch, rules) == nil)

	next.Timestamp = uint32(now.Add(time.Hour).Unix())
	next.Bits = chain.RequiredBits(next, branch, p)
	err := chain.CheckHeader(next, branch, rules)
	fmt.Println("an hour ahead:", errors.Is(err, chain.ErrFutureTimestamp))
	// Output:
	// valid: true
	// an hour ahead: true
}

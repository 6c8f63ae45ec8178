package chain

import (
	"testing"

	"github.com/mvsgo/mvs"

	"github.com/mvsgo/mvs/block"
)

// FuzzCheckBlockContext: any decodable block, checked or not by block.Check, is judged
// without a panic, as a PoW or PoS block, with or without lookups.
func FuzzCheckBlockContext(f *testing.F) {
	for _, name := range []string{"pow block 2200000", "pos block 3588504"} {
		f.Add(realBlock(f, name).Bytes())
	}
	fx := newFixture(f)
	f.Add(fx.posBlock(posGenesisTx(fx.p)).Bytes())
	f.Add(fx.powBlock(0, coinbaseTx(powHeight, deposit(fx.hash, 10, 0)), spend(1, deposit(fx.hash, 10, 100))).Bytes())
	f.Fuzz(func(t *testing.T, raw []byte) {
		blk, err := block.Decode(raw)
		if err != nil {
			return
		}
		fx := newFixture(t)
		for _, p := range []*BlockContext{{Params: fx.p, Height: blk.Header.Height}, {Params: mvs.MainNet(), Height: blk.Header.Height}} {
			_ = CheckBlockContext(blk, *p, fx.view, 0, BlockLookups{Stakes: fx.stakes, Mining: fx.mining})
			_ = CheckBlockContext(blk, *p, fx.view, 1<<63, BlockLookups{})
		}
	})
}

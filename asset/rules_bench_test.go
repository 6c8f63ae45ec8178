package asset_test

import (
	"testing"

	"github.com/mvsgo/mvs/asset"
)

func BenchmarkCheckTx(b *testing.B) {
	for _, name := range []string{"transfer", "issue", "secondary issue", "naming cert issue"} {
		s := valid[name]()
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := asset.CheckTx(s.t, s.prev, s.h, net, s.reg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

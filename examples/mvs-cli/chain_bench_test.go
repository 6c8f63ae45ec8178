package main

import (
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mvsgo/mvs/chain/regtest"
)

// BenchmarkChainImport imports a 200-block RegTest chain (coinbases only) into a fresh
// datadir: the per-block cost of chain import (validation, seal, one store commit).
func BenchmarkChainImport(b *testing.B) {
	net := regtest.New(b)
	const blocks = 200
	net.Mine(blocks)
	var lines strings.Builder
	for h := uint32(1); h <= net.Height(); h++ {
		lines.WriteString(hex.EncodeToString(net.BlockAt(h).Bytes()) + "\n")
	}
	file := filepath.Join(b.TempDir(), "blocks.hex")
	if err := os.WriteFile(file, []byte(lines.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := range b.N {
		dir := filepath.Join(b.TempDir(), fmt.Sprint(i))
		var out, errb strings.Builder
		code := run(&env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb},
			[]string{"chain", "import", "--datadir", dir, "--net", "regtest", "--ethash-test-sizes", file})
		if code != 0 {
			b.Fatalf("exit %d: %s", code, errb.String())
		}
	}
	b.ReportMetric(float64(blocks*b.N)/b.Elapsed().Seconds(), "blocks/s")
}

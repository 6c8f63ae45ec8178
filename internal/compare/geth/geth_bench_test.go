package gethcompare

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/ethereum/go-ethereum/consensus/ethash" // keeps it in go.mod for the package benchmarks
	"github.com/mvsgo/mvs/ethash"
)

// Our side, on the same inputs as go-ethereum's BenchmarkHashimotoLight (epoch 0, zero
// header hash, nonce 0) and with varying inputs.

func epoch0(b *testing.B) *ethash.Cache {
	c, err := ethash.LoadCache("", 0, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func BenchmarkMVSHashimotoLight(b *testing.B) {
	c := epoch0(b)
	h := ethash.NewHasher()
	hh, _ := hex.DecodeString("c9149cc0386e689d789a1c2f3d5d169a61a6218ed30e74414dc736e442ef3d1f")
	b.ReportAllocs()
	for b.Loop() {
		h.Light(c.DatasetSize, c.Words(), [32]byte(hh), 0)
	}
}

func BenchmarkMVSHashimotoLightVarying(b *testing.B) {
	c := epoch0(b)
	h := ethash.NewHasher()
	var hh [32]byte
	b.ReportAllocs()
	i := uint64(0)
	for b.Loop() {
		binary.LittleEndian.PutUint64(hh[:], i)
		h.Light(c.DatasetSize, c.Words(), hh, i*7919)
		i++
	}
}

// BenchmarkMVSCacheGeneration allocates and generates the epoch-0 cache each op, as
// go-ethereum's BenchmarkCacheGeneration does (ours in huge-page-ready memory).
func BenchmarkMVSCacheGeneration(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		c, err := ethash.LoadCache("", 0, nil, nil)
		if err != nil {
			b.Fatal(err)
		}
		c.Close()
	}
}

// BenchmarkMVSHashimotoFullDAGVarying is ours on the same file ($MVS_DAG's directory holds
// the epoch-0 cache and DAG; LoadDataset maps the DAG and checks a sample against the cache).
func BenchmarkMVSHashimotoFullDAGVarying(b *testing.B) {
	path := os.Getenv("MVS_DAG")
	if path == "" {
		b.Skip("set MVS_DAG to an epoch-0 full-R23-… file")
	}
	dir := filepath.Dir(path)
	c, err := ethash.LoadCache(dir, 0, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	d, err := ethash.LoadDataset(context.Background(), dir, c, 0, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	h := ethash.NewHasher()
	var hh [32]byte
	b.ReportAllocs()
	i := uint64(0)
	for b.Loop() {
		binary.LittleEndian.PutUint64(hh[:], i)
		h.Full(d.Words(), hh, i)
		i++
	}
}

package ethash

import (
	"context"
	"encoding/binary"
	"flag"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// -ethash.fulldag runs BenchmarkHashimotoFullDAG on the real epoch-0 DAG (1 GiB) mapped
// from -ethash.dir, generating it there first if needed (about 10 minutes on 2 cores).
var (
	fullDAG = flag.Bool("ethash.fulldag", false, "benchmark full hashimoto on the real epoch-0 DAG")
	dagDir  = flag.String("ethash.dir", "", "directory for the real DAG (default: a temporary one)")
)

func epoch0Cache(b *testing.B) *Cache {
	b.Helper()
	c, err := LoadCache("", 0, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkHashimotoLight: one verification per op with the same header hash and nonce
// every op, as go-ethereum's benchmark of that name does (its 128 items stay in the CPU's
// caches, so this measures computation).
func BenchmarkHashimotoLight(b *testing.B) {
	c := epoch0Cache(b)
	var hh [32]byte
	h := NewHasher()
	b.ReportAllocs()
	for b.Loop() {
		h.Light(c.DatasetSize, c.words, hh, 0)
	}
}

// BenchmarkHashimotoLightVarying: a new header hash and nonce every op, what a pool or node
// sees (real inputs never repeat, so item parents miss the CPU caches).
func BenchmarkHashimotoLightVarying(b *testing.B) {
	c := epoch0Cache(b)
	var hh [32]byte
	h := NewHasher()
	b.ReportAllocs()
	i := uint64(0)
	for b.Loop() {
		binary.LittleEndian.PutUint64(hh[:], i)
		h.Light(c.DatasetSize, c.words, hh, i*7919)
		i++
	}
}

func BenchmarkCacheGeneration(b *testing.B) {
	cache, mem, err := allocWords(int(CacheSize(0) / 4))
	if err != nil {
		b.Fatal(err)
	}
	defer mem.free()
	seed := SeedHash(0)
	b.ReportAllocs()
	for b.Loop() {
		GenerateCache(cache, seed[:])
	}
}

// BenchmarkCacheReopen maps an existing epoch-0 cache file, checks its magic and checksum
// and copies it into aligned memory: what a restarted node pays instead of generating.
// gen-ms is the generation (and write) that made the file; %gen the reopen's share of it.
func BenchmarkCacheReopen(b *testing.B) {
	dir := b.TempDir()
	start := time.Now()
	c, err := LoadCache(dir, 0, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	gen := time.Since(start)
	c.Close()
	b.ResetTimer()
	for b.Loop() {
		c, err := LoadCache(dir, 0, nil, nil)
		if err != nil || !c.fromFile {
			b.Fatal("not reopened from the file", err)
		}
		c.Close()
	}
	b.ReportMetric(float64(gen.Milliseconds()), "gen-ms")
	b.ReportMetric(100*float64(b.Elapsed())/float64(b.N)/float64(gen), "%gen")
}

// BenchmarkDatasetGeneration generates 4 MiB of dataset items from the small cache with 1
// worker and with GOMAXPROCS workers: the ratio shows how generation scales with cores.
func BenchmarkDatasetGeneration(b *testing.B) {
	c, _ := LoadCache("", 0, SmallSizes, nil)
	ds := make([]uint32, 4<<20/4)
	for _, w := range []int{1, runtime.GOMAXPROCS(0)} {
		b.Run("workers="+strconv.Itoa(w), func(b *testing.B) {
			b.SetBytes(int64(len(ds) * 4))
			for b.Loop() {
				if err := GenerateDatasetParallel(context.Background(), ds, c.words, w, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkHashimotoFull(b *testing.B) {
	c, _ := LoadCache("", 0, SmallSizes, nil)
	d, err := LoadDataset(context.Background(), "", c, 0, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	benchFull(b, d.words)
}

// BenchmarkHashimotoFullDAG runs on the real epoch-0 DAG mapped from disk (-ethash.fulldag).
func BenchmarkHashimotoFullDAG(b *testing.B) {
	if !*fullDAG {
		b.Skip("needs -ethash.fulldag (builds or maps a 1 GiB DAG)")
	}
	dir := *dagDir
	if dir == "" {
		dir = b.TempDir()
	}
	c, err := LoadCache(dir, 0, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	d, err := LoadDataset(context.Background(), dir, c, 0, func(done, total uint64) {
		if done%(1<<20) == 0 {
			os.Stderr.WriteString(".")
		}
	}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	b.Run("single", func(b *testing.B) { benchFull(b, d.words) })
	// A batch's full path: fullLanes hashes' pages requested together (a mapped file: 4 KiB
	// pages, unlike BenchmarkFullLanes's huge-page buffer).
	b.Run("batch", func(b *testing.B) {
		st := newBatchState()
		i := uint64(0)
		for b.Loop() {
			for l := 0; l < fullLanes; l++ {
				binary.LittleEndian.PutUint64(st.header[l][:], i)
				st.nonce[l] = i
				i++
			}
			st.full(d.words, fullLanes)
		}
		b.ReportMetric(float64(b.N*fullLanes)/b.Elapsed().Seconds(), "hashes/s")
	})
}

func benchFull(b *testing.B, dataset []uint32) {
	var hh [32]byte
	h := NewHasher()
	b.ReportAllocs()
	i := uint64(0)
	for b.Loop() {
		binary.LittleEndian.PutUint64(hh[:], i)
		h.Full(dataset, hh, i)
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "hashes/s")
}

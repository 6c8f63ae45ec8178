package ethash

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

func mustHex32(t testing.TB, s string) [32]byte {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 32 {
		t.Fatalf("bad hex %q", s)
	}
	return [32]byte(b)
}

// TestVerifyRealBlock: MVS mainnet block 2,200,000's seal, through the Verifier, with its
// difficulty; then each check failing on its own.
func TestVerifyRealBlock(t *testing.T) {
	v := New(Config{})
	defer v.Close()
	seal := mustHex32(t, "8ab21521efc8b5401696d617efd782d64ad2c55d18b361e1679d0b160a8732df")
	mix := mustHex32(t, "e3a309cc023001e9d4f7f0247a0ea02513c83d587c8963fa9dcfd95f677b5982")
	const nonce = 0x3440601f66682062
	diff := big.NewInt(10350982311247)
	if err := v.Verify(2_200_000, seal, nonce, mix, diff); err != nil {
		t.Fatalf("real seal: %v", err)
	}
	bad := mix
	bad[0] ^= 1
	var se *SealError
	if err := v.Verify(2_200_000, seal, nonce, bad, diff); !errors.Is(err, ErrMixMismatch) || !errors.As(err, &se) || se.Mix != mix {
		t.Fatalf("mix mismatch: %v", err)
	}
	huge := new(big.Int).Lsh(big.NewInt(1), 200)
	if err := v.Verify(2_200_000, seal, nonce, mix, huge); !errors.Is(err, ErrAboveBoundary) {
		t.Fatalf("above boundary: %v", err)
	}
	if err := v.Verify(2_200_000, seal, nonce+1, mix, diff); !errors.Is(err, ErrMixMismatch) {
		t.Fatalf("other nonce: %v", err)
	}
}

func TestBoundaryIsMVS(t *testing.T) {
	max := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	if Boundary(big.NewInt(1)).Cmp(max) != 0 || Boundary(big.NewInt(0)).Sign() != 0 {
		t.Fatal("boundary of 1 / 0")
	}
	eth := new(big.Int).Lsh(big.NewInt(1), 252) // 2^256 / 16
	if new(big.Int).Sub(eth, Boundary(big.NewInt(16))).Cmp(big.NewInt(1)) != 0 {
		t.Fatal("MVS boundary must be (2^256-1)/D, one below Ethereum's for powers of two")
	}
}

func TestLightAndFullAgree(t *testing.T) {
	for epoch := uint64(0); epoch < 3; epoch++ {
		c, err := LoadCache("", epoch, SmallSizes, nil)
		if err != nil {
			t.Fatal(err)
		}
		d, err := LoadDataset(context.Background(), "", c, 2, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		seq := make([]uint32, len(d.words))
		GenerateDataset(seq, c.words)
		if !equalWords(seq, d.words) {
			t.Fatalf("epoch %d: parallel dataset differs from sequential", epoch)
		}
		h := NewHasher()
		r := rand.New(rand.NewPCG(epoch, 1))
		for i := 0; i < 200; i++ {
			var hh [32]byte
			binary.LittleEndian.PutUint64(hh[:], r.Uint64())
			binary.LittleEndian.PutUint64(hh[8:], r.Uint64())
			n := r.Uint64()
			m1, r1 := h.Light(c.DatasetSize, c.words, hh, n)
			m2, r2 := h.Full(d.words, hh, n)
			if m1 != m2 || r1 != r2 {
				t.Fatalf("epoch %d: light and full differ for nonce %d", epoch, n)
			}
		}
	}
}

func equalWords(a, b []uint32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestZeroAllocVerification(t *testing.T) {
	c, _ := LoadCache("", 0, SmallSizes, nil)
	h := NewHasher()
	var hh [32]byte
	if n := testing.AllocsPerRun(100, func() { h.Light(c.DatasetSize, c.words, hh, 7) }); n != 0 {
		t.Fatalf("%v allocations per light hashimoto", n)
	}
}

// TestConcurrentCallersShareOneGeneration: many goroutines verifying in a new epoch cause
// one cache generation.
func TestConcurrentCallersShareOneGeneration(t *testing.T) {
	v := New(Config{Sizes: SmallSizes, PrefetchBlocks: 1})
	defer v.Close()
	var wg sync.WaitGroup
	for i := 0; i < 64; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if _, _, err := v.Hash(uint64(i), [32]byte{byte(i)}, uint64(i)); err != nil {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	if g := v.Generations(); g != 1 {
		t.Fatalf("%d generations for one epoch", g)
	}
}

func TestCacheFileLifecycle(t *testing.T) {
	dir := t.TempDir()
	c, err := LoadCache(dir, 0, SmallSizes, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := append([]uint32(nil), c.words...)
	c.Close()
	path := filepath.Join(dir, CacheFileName(SeedHash(0)))
	raw, err := os.ReadFile(path)
	if err != nil || len(raw) != 1024+8 || hex.EncodeToString(raw[:8]) != "fecaddbaaddee1fe" {
		t.Fatalf("file: %d bytes, %v", len(raw), err)
	}
	mod := func(f func([]byte) []byte) {
		b, _ := os.ReadFile(path)
		if err := os.WriteFile(path, f(b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name string
		f    func([]byte) []byte
	}{
		{"one flipped byte", func(b []byte) []byte { b[500] ^= 0x40; return b }},
		{"truncated", func(b []byte) []byte { return b[:600] }},
		{"foreign magic", func(b []byte) []byte { b[0] = 0; return b }},
	}
	for _, tc := range cases {
		mod(tc.f)
		if _, err := openMapped(path, 1024); err == nil {
			if mp, _ := openMapped(path, 1024); checkSum(path, mp.words) == nil {
				t.Fatalf("%s: corrupt file passes the checks", tc.name)
			}
		}
		c, err := LoadCache(dir, 0, SmallSizes, nil)
		if err != nil || !equalWords(c.words, want) {
			t.Fatalf("%s: not regenerated: %v", tc.name, err)
		}
		c.Close()
	}
	// A killed writer leaves a temporary file that is never opened as the cache.
	os.Remove(path)
	if err := os.WriteFile(path+tmpInfix+"12345", raw[:100], 0o644); err != nil {
		t.Fatal(err)
	}
	c, err = LoadCache(dir, 0, SmallSizes, nil)
	if err != nil || !equalWords(c.words, want) {
		t.Fatalf("after a killed writer: %v", err)
	}
	c.Close()
}

func TestDatasetFileSampleCheck(t *testing.T) {
	dir := t.TempDir()
	c, _ := LoadCache(dir, 0, SmallSizes, nil)
	defer c.Close()
	d, err := LoadDataset(context.Background(), dir, c, 2, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := append([]uint32(nil), d.words...)
	d.Close()
	path := filepath.Join(dir, DatasetFileName(c.Seed))
	b, _ := os.ReadFile(path)
	b[8+4] ^= 1 // the first page is always sampled
	os.WriteFile(path, b, 0o644)
	d, err = LoadDataset(context.Background(), dir, c, 2, nil, nil)
	if err != nil || !equalWords(d.words, want) {
		t.Fatalf("corrupt DAG not regenerated: %v", err)
	}
	d.Close()
}

func TestDatasetProgressAndCancel(t *testing.T) {
	c, _ := LoadCache("", 0, SmallSizes, nil)
	ds := make([]uint32, 1<<20/4) // 1 MiB: many chunks
	var last uint64
	var mu sync.Mutex
	err := GenerateDatasetParallel(context.Background(), ds, c.words, 2, func(done, total uint64) {
		mu.Lock()
		last = max(last, done)
		mu.Unlock()
		if total != uint64(len(ds)/hashWords) {
			t.Errorf("total %d", total)
		}
	})
	if err != nil || last != uint64(len(ds)/hashWords) {
		t.Fatalf("progress ended at %d: %v", last, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := GenerateDatasetParallel(ctx, ds, c.words, 2, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancel: %v", err)
	}
}

func TestFullModeFallsBackToLight(t *testing.T) {
	v := New(Config{Sizes: SmallSizes, Mode: Full, Dir: t.TempDir()})
	defer v.Close()
	m1, r1, err := v.Hash(5, [32]byte{1}, 9) // dataset not ready yet: light
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for v.datasetReady(0) == false && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if !v.datasetReady(0) {
		t.Fatal("dataset never became ready")
	}
	m2, r2, _ := v.Hash(5, [32]byte{1}, 9)
	if m1 != m2 || r1 != r2 {
		t.Fatal("full and light disagree")
	}
}

func (v *Verifier) datasetReady(epoch uint64) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	e, ok := v.datasets[epoch]
	if !ok {
		return false
	}
	select {
	case <-e.ready:
		return e.err == nil
	default:
		return false
	}
}

func TestSearchFindsAValidSeal(t *testing.T) {
	v := New(Config{Sizes: SmallSizes})
	defer v.Close()
	diff := big.NewInt(1000)
	seal := [32]byte{0xaa}
	res, err := v.Search(context.Background(), 100, seal, diff, 0, 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Verify(100, seal, res.Nonce, res.Mix, diff); err != nil {
		t.Fatalf("found seal does not verify: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := v.Search(ctx, 100, seal, new(big.Int).Lsh(big.NewInt(1), 250), 0, 0, 2); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled search: %v", err)
	}
	if _, err := v.Search(context.Background(), 100, seal, new(big.Int).Lsh(big.NewInt(1), 250), 0, 10, 2); !errors.Is(err, ErrNotFound) {
		t.Fatalf("exhausted search: %v", err)
	}
}

func TestOldEpochsRemoved(t *testing.T) {
	dir := t.TempDir()
	v := New(Config{Sizes: SmallSizes, Dir: dir, KeepEpochs: 2, PrefetchBlocks: 1})
	defer v.Close()
	for e := uint64(0); e < 4; e++ {
		if _, _, err := v.Hash(e*EpochLength, [32]byte{}, 0); err != nil {
			t.Fatal(err)
		}
	}
	for e := uint64(0); e < 4; e++ {
		_, err := os.Stat(filepath.Join(dir, CacheFileName(SeedHash(e))))
		if exists := err == nil; exists != (e >= 1) { // newest 3 and the two before it
			t.Errorf("epoch %d file exists=%v", e, exists)
		}
	}
}

// TestTwoProcessesShareADirectory runs this test binary as several child processes that
// load the same epoch from one directory at once; every child must get the right cache and
// the directory must end with one valid file.
func TestTwoProcessesShareADirectory(t *testing.T) {
	if dir := os.Getenv("ETHASH_CHILD_DIR"); dir != "" {
		c, err := LoadCache(dir, 1, SmallSizes, nil)
		if err != nil {
			os.Exit(3)
		}
		want := make([]uint32, 256)
		seed := SeedHash(1)
		GenerateCache(want, seed[:])
		if !equalWords(c.words, want) {
			os.Exit(4)
		}
		os.Exit(0)
	}
	dir := t.TempDir()
	var cmds []*exec.Cmd
	for i := 0; i < 4; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestTwoProcessesShareADirectory$")
		cmd.Env = append(os.Environ(), "ETHASH_CHILD_DIR="+dir, "CHILD="+strconv.Itoa(i))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("child %d: %v", i, err)
		}
	}
	c, err := LoadCache(dir, 1, SmallSizes, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	matches, _ := filepath.Glob(filepath.Join(dir, "*"+tmpInfix+"*"))
	if len(matches) != 0 {
		t.Fatalf("temporary files left: %v", matches)
	}
}

// Eviction must never unmap a dataset (or cache) that a verification is reading: epochs
// 0–4 are hashed from several goroutines while KeepEpochs=1 keeps evicting them, and every
// result is checked against hashimoto on an independently generated cache. A
// use-after-unmap would crash the test binary.
func TestEvictionWhileVerifying(t *testing.T) {
	for _, dir := range []string{"", t.TempDir()} {
		v := New(Config{Sizes: SmallSizes, Mode: Full, Dir: dir, KeepEpochs: 1})
		ref := make([][]uint32, 5)
		for ep := range ref {
			c, err := LoadCache("", uint64(ep), SmallSizes, nil)
			if err != nil {
				t.Fatal(err)
			}
			ref[ep] = append([]uint32(nil), c.Words()...)
			c.Close()
		}
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for g := 0; g < 4; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				h := NewHasher()
				for i := 0; i < 400; i++ {
					ep := uint64((i*7 + g) % 5)
					height := ep*EpochLength + uint64(i)
					hh := [32]byte{byte(i), byte(g)}
					mix, res, err := v.Hash(height, hh, uint64(i))
					if err != nil {
						errs <- err
						return
					}
					wm, wr := h.Light(32768, ref[ep], hh, uint64(i))
					if mix != wm || res != wr {
						errs <- fmt.Errorf("epoch %d op %d: wrong hash", ep, i)
						return
					}
				}
			}(g)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if err := v.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// Verifying old blocks in any order keeps at most KeepEpochs+1 epochs in memory, dropping
// the least recently used, and an epoch still in memory is not generated again.
func TestEvictionIsLeastRecentlyUsed(t *testing.T) {
	v := New(Config{Sizes: SmallSizes, KeepEpochs: 2, PrefetchBlocks: 1})
	defer v.Close()
	hash := func(ep uint64) {
		t.Helper()
		if _, _, err := v.Hash(ep*EpochLength+EpochLength/2, [32]byte{}, 0); err != nil {
			t.Fatal(err)
		}
	}
	for ep := uint64(9); ep < 10; ep-- { // 9, 8, …, 0
		hash(ep)
	}
	v.mu.Lock()
	n := len(v.caches)
	v.mu.Unlock()
	if n != 3 || v.Generations() != 10 {
		t.Fatalf("%d epochs in memory after 10 generations (%d): want 3", n, v.Generations())
	}
	hash(1) // among the three most recent: no generation
	hash(9) // evicted long ago: generated again, and 2 (least recently used) goes
	hash(0)
	if g := v.Generations(); g != 11 {
		t.Errorf("%d generations, want 11", g)
	}
	v.mu.Lock()
	_, has2 := v.caches[2]
	_, has1 := v.caches[1]
	v.mu.Unlock()
	if has2 || !has1 {
		t.Errorf("epoch 2 kept=%v, epoch 1 kept=%v: want the least recently used (2) gone", has2, has1)
	}
}

// A nil difficulty (an untrusted header's field left unset) is boundary 0: a rejection,
// not a panic. Boundary dereferenced it before.
func TestNilDifficultyRejected(t *testing.T) {
	v := New(Config{Sizes: SmallSizes})
	defer v.Close()
	if b := Boundary(nil); b.Sign() != 0 {
		t.Fatalf("Boundary(nil) = %v", b)
	}
	mix, _, err := v.Hash(1, [32]byte{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Verify(1, [32]byte{}, 0, mix, nil); !errors.Is(err, ErrAboveBoundary) {
		t.Fatalf("nil difficulty: %v", err)
	}
}

// Verify of a valid seal allocates nothing: the boundary check multiplies in fixed words
// instead of dividing big.Ints (four allocations a call before).
func TestVerifyAllocatesNothing(t *testing.T) {
	if RaceEnabled {
		t.Skip("the race detector drops pooled Hashers at random")
	}
	v := New(Config{Sizes: SmallSizes})
	defer v.Close()
	mix, _, err := v.Hash(1, [32]byte{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	d := big.NewInt(1)
	if n := testing.AllocsPerRun(50, func() {
		if err := v.Verify(1, [32]byte{}, 0, mix, d); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Fatalf("%v allocations per Verify", n)
	}
}

package ethash

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Failure paths found in review: each test failed before its fix.

type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *logBuffer) count(s string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return bytes.Count(l.b.Bytes(), []byte(s))
}

// Close must not wait for another process that holds a file's generation lock.
func TestCloseDoesNotWaitForAForeignLock(t *testing.T) {
	dir := t.TempDir()
	unlock, err := lockFile(context.Background(), filepath.Join(dir, DatasetFileName(SeedHash(0)))+lockSuffix)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	v := New(Config{Sizes: SmallSizes, Mode: Full, Dir: dir})
	if _, _, err := v.Hash(1, [32]byte{}, 0); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // the DAG load now waits for the lock
	done := make(chan struct{})
	go func() { v.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close waited for another holder of the DAG's lock")
	}
}

// A directory that cannot take the cache file costs a log line, not verification.
func TestUnusableDirStillVerifies(t *testing.T) {
	dir := t.TempDir()
	// The lock file's name is taken by a directory: the lock cannot be opened.
	if err := os.Mkdir(filepath.Join(dir, CacheFileName(SeedHash(0)))+lockSuffix, 0o755); err != nil {
		t.Fatal(err)
	}
	var logs logBuffer
	v := New(Config{Sizes: SmallSizes, Dir: dir, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	defer v.Close()
	for i := 0; i < 3; i++ {
		if _, _, err := v.Hash(1, [32]byte{}, uint64(i)); err != nil {
			t.Fatalf("verification failed because the cache could not be written: %v", err)
		}
	}
	if v.Generations() != 1 || logs.count("in memory only") != 1 {
		t.Errorf("%d generations, %d warnings: want the cache generated and kept once", v.Generations(), logs.count("in memory only"))
	}
}

// A DAG that cannot be built is not tried again on every verification.
func TestDatasetFailureBacksOff(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, DatasetFileName(SeedHash(0)))+lockSuffix, 0o755); err != nil {
		t.Fatal(err)
	}
	var logs logBuffer
	v := New(Config{Sizes: SmallSizes, Dir: dir, Mode: Full, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	defer v.Close()
	for i := 0; i < 50; i++ {
		if _, _, err := v.Hash(1, [32]byte{}, uint64(i)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Millisecond)
	}
	if n := logs.count("dataset generation failed"); n != 1 {
		t.Errorf("%d failed DAG generations for 50 verifications, want 1 until the retry delay", n)
	}
}

// Evicting an epoch stops its DAG generation, which releases the evicted cache.
func TestEvictionCancelsDAGGeneration(t *testing.T) {
	slow := func(uint64) (uint64, uint64) { return 1024, 256 << 20 } // seconds to generate
	v := New(Config{Sizes: slow, Mode: Full, KeepEpochs: 1, PrefetchBlocks: 1, Workers: 1})
	defer v.Close()
	if _, _, err := v.Hash(5, [32]byte{}, 0); err != nil { // starts epoch 0's DAG
		t.Fatal(err)
	}
	v.mu.Lock()
	e0 := v.caches[0]
	v.mu.Unlock()
	for _, ep := range []uint64{1, 2} { // epoch 2's cache evicts epoch 0
		if _, _, err := v.Hash(ep*EpochLength+5, [32]byte{}, 0); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(3 * time.Second)
	for {
		v.mu.Lock()
		closed := e0.evicted && e0.val.words == nil
		v.mu.Unlock()
		if closed {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the evicted epoch's DAG generation kept running (and its cache alive)")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A DAG from another program is checked only by sample on open. A bad page there must not
// reject a valid seal: the rejection is confirmed from the cache, the DAG dropped.
func TestCorruptForeignDAGDoesNotRejectValidSeal(t *testing.T) {
	dir := t.TempDir()
	c, _ := LoadCache(dir, 0, SmallSizes, nil)
	d, err := LoadDataset(context.Background(), dir, c, 2, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	path := filepath.Join(dir, DatasetFileName(c.Seed))
	if err := os.Remove(path + sumSuffix); err != nil { // as go-ethereum writes it
		t.Fatal(err)
	}
	sampled := map[uint64]bool{}
	for s := uint64(0); s < datasetSamples; s++ {
		sampled[s*255/31] = true
	}
	b, _ := os.ReadFile(path)
	for p := uint64(0); p < 256; p++ {
		if !sampled[p] {
			b[magicSize+p*mixBytes] ^= 1
		}
	}
	if err := os.WriteFile(path, b, filePerm); err != nil {
		t.Fatal(err)
	}
	mix, _ := NewHasher().Light(c.DatasetSize, c.words, [32]byte{7}, 42)
	c.Close()
	v := New(Config{Sizes: SmallSizes, Mode: Full, Dir: dir})
	defer v.Close()
	if err := v.Verify(1, [32]byte{7}, 42, mix, big.NewInt(1)); err != nil {
		t.Fatal("light:", err)
	}
	for !v.datasetReady(0) {
		time.Sleep(time.Millisecond)
	}
	if err := v.Verify(1, [32]byte{7}, 42, mix, big.NewInt(1)); err != nil {
		t.Fatalf("a valid seal rejected on a corrupt DAG's word: %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("the corrupt DAG file was kept")
	}
	// Our own DAGs carry a checksum: the same damage is caught on open.
	c, _ = LoadCache(dir, 0, SmallSizes, nil)
	defer c.Close()
	if d, err = LoadDataset(context.Background(), dir, c, 2, nil, nil); err != nil {
		t.Fatal(err)
	}
	d.Close()
	b, _ = os.ReadFile(path)
	b[magicSize+3*mixBytes] ^= 1 // page 3 is not sampled
	os.WriteFile(path, b, filePerm)
	if d, err = LoadDataset(context.Background(), dir, c, 2, nil, nil); err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ds := make([]uint32, len(d.words))
	GenerateDataset(ds, c.words)
	if *datasetPage(d.words, 3) != *datasetPage(ds, 3) {
		t.Error("a damaged page of a checksummed DAG was trusted")
	}
}

// A killed writer's temporaries go as soon as the file is generated again.
func TestStaleTemporariesRemoved(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, CacheFileName(SeedHash(0)))
	stale := []string{path + tmpInfix + "999", path + sumSuffix + tmpInfix + "999"}
	for _, s := range stale {
		os.WriteFile(s, make([]byte, 100), filePerm)
	}
	c, err := LoadCache(dir, 0, SmallSizes, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	for _, s := range stale {
		if _, err := os.Stat(s); !os.IsNotExist(err) {
			t.Errorf("%s survived", filepath.Base(s))
		}
	}
}

// A checksum is written through a fresh temporary, never through a planted symlink.
func TestWriteSumIgnoresPlantedSymlinks(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	os.WriteFile(victim, []byte("precious"), filePerm)
	path := filepath.Join(dir, CacheFileName(SeedHash(0)))
	os.Symlink(victim, path+sumSuffix+tmpInfix+strconv.Itoa(os.Getpid())) // the old, predictable name
	if err := writeSum(path, []uint32{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "precious" {
		t.Errorf("the symlink's target was overwritten: %q", b)
	}
}

// Search stops on cancellation whatever the number of workers.
func TestSearchManyWorkersStops(t *testing.T) {
	v := New(Config{Sizes: SmallSizes})
	defer v.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := v.Search(ctx, 1, [32]byte{}, new(big.Int).Lsh(big.NewInt(1), 255), 0, 0, 300)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Search returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Search with 300 workers ignored cancellation")
	}
}

// A panic while generating (here in the caller's SizeFunc) fails that call and the next,
// instead of leaving the epoch's waiters blocked forever.
func TestPanicDuringGenerationDoesNotHang(t *testing.T) {
	sizes := func(e uint64) (uint64, uint64) {
		if e == 3 {
			panic("bad sizes")
		}
		return SmallSizes(e)
	}
	v := New(Config{Sizes: sizes})
	defer v.Close()
	for i := 0; i < 2; i++ {
		done := make(chan error, 1)
		go func() { _, _, err := v.Hash(3*EpochLength, [32]byte{}, 0); done <- err }()
		select {
		case err := <-done:
			if err == nil {
				t.Error("a panicking generation succeeded")
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Hash hangs after a panicked generation")
		}
	}
}

// Sizes that are not whole items or pages are refused, not divided by zero.
func TestUnusableSizesRefused(t *testing.T) {
	for _, s := range [][2]uint64{{32, 32768}, {1024, 64}, {1000, 32768}, {1024, 32769}} {
		v := New(Config{Sizes: func(uint64) (uint64, uint64) { return s[0], s[1] }})
		if _, _, err := v.Hash(1, [32]byte{}, 0); !errors.Is(err, ErrSizes) {
			t.Errorf("sizes %v: %v, want ErrSizes", s, err)
		}
		v.Close()
	}
}

package ethash

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
)

// SizeFunc gives the cache and dataset sizes of an epoch. The real sizes are RealSizes;
// tests and private networks pass small ones (cache 1024 and dataset 32768 bytes run the
// same code paths in microseconds).
type SizeFunc func(epoch uint64) (cacheBytes, datasetBytes uint64)

// RealSizes are Ethash's sizes.
func RealSizes(epoch uint64) (uint64, uint64) { return CacheSize(epoch), DatasetSize(epoch) }

// SmallSizes are test-only sizes: a 1 KiB cache and a 32 KiB dataset for every epoch.
func SmallSizes(uint64) (uint64, uint64) { return 1024, 32768 }

// Cache is one epoch's verification cache. Its words live in anonymous memory aligned for
// huge pages even when they come from a file: a mapped file's words start 8 bytes in, after
// the magic, so every 64-byte item would straddle two CPU cache lines, and file pages are
// 4 KiB. Copying a cache (16–50 MiB) costs far less than one generation.
type Cache struct {
	Epoch       uint64
	Seed        [32]byte
	DatasetSize uint64
	words       []uint32
	mem         *region
	fromFile    bool  // read from an existing file rather than generated
	fileErr     error // why the cache is not in dir (a *FileError), or nil
}

// FromFile reports whether the cache was read from its file rather than generated.
func (c *Cache) FromFile() bool { return c.fromFile }

// FileErr is nil when the cache was read from or written to the directory it was loaded
// with (or none was given). Otherwise it is a *FileError (errors.Is ErrDirUnusable): the
// cache is valid and in memory, but the next process will generate it again.
func (c *Cache) FileErr() error { return c.fileErr }

// Words returns the cache as 32-bit words in native (little-endian) order.
func (c *Cache) Words() []uint32 { return c.words }

// Close releases the cache's memory. The cache must not be used afterwards.
func (c *Cache) Close() error {
	c.words = nil
	return c.mem.free()
}

// ErrSizes reports cache or dataset sizes this package cannot use: not whole items or pages,
// or too large for the platform's address space.
var ErrSizes = errors.New("ethash: unusable cache or dataset size")

// checkSizes: whole 64-byte items, whole 128-byte pages, and word counts that fit an int
// (a 32-bit platform cannot hold the larger datasets at all).
func checkSizes(cacheBytes, datasetBytes uint64) error {
	switch {
	case cacheBytes < hashBytes || cacheBytes%hashBytes != 0:
		return fmt.Errorf("%w: cache of %d bytes is not whole 64-byte items", ErrSizes, cacheBytes)
	case datasetBytes < mixBytes || datasetBytes%mixBytes != 0:
		return fmt.Errorf("%w: dataset of %d bytes is not whole 128-byte pages", ErrSizes, datasetBytes)
	case cacheBytes/4 > math.MaxInt || datasetBytes/4 > math.MaxInt || datasetBytes/mixBytes > math.MaxUint32:
		return fmt.Errorf("%w: %d-byte dataset is too large for this platform", ErrSizes, datasetBytes)
	}
	return nil
}

// LoadCache is LoadCacheContext without cancellation.
func LoadCache(dir string, epoch uint64, sizes SizeFunc, log *slog.Logger) (*Cache, error) {
	return LoadCacheContext(context.Background(), dir, epoch, sizes, log)
}

// LoadCacheContext returns the cache of an epoch: read from dir when a valid file is there,
// otherwise generated and, when dir is not empty, written there too. A truncated, foreign
// or corrupt file is logged and replaced, never trusted. dir is only a cache of caches:
// when it cannot be written (full, read-only, another user's lock) the cache is still
// generated and returned, the failure logged and kept in Cache.FileErr. ctx bounds the wait for another process
// that is generating the same file.
func LoadCacheContext(ctx context.Context, dir string, epoch uint64, sizes SizeFunc, log *slog.Logger) (*Cache, error) {
	if sizes == nil {
		sizes = RealSizes
	}
	cacheBytes, datasetBytes := sizes(epoch)
	if err := checkSizes(cacheBytes, datasetBytes); err != nil {
		return nil, err
	}
	c := &Cache{Epoch: epoch, Seed: SeedHash(epoch), DatasetSize: datasetBytes}
	words, mem, err := allocWords(int(cacheBytes / 4))
	if err != nil {
		return nil, err
	}
	c.words, c.mem = words, mem
	if err := c.load(ctx, dir, cacheBytes, log); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func (c *Cache) load(ctx context.Context, dir string, cacheBytes uint64, log *slog.Logger) error {
	if dir == "" {
		GenerateCache(c.words, c.Seed[:])
		return nil
	}
	path := filepath.Join(dir, CacheFileName(c.Seed))
	warn := func(msg string, err error) {
		if log != nil {
			log.Warn(msg, "epoch", c.Epoch, "dir", dir, "err", err)
		}
	}
	// notKept records why the cache stays in memory only, for callers without a logger.
	notKept := func(msg, op string, err error) {
		warn(msg, err)
		c.fileErr = &FileError{Op: op, Path: path, Epoch: c.Epoch, Err: err}
	}
	read := func() error {
		mp, err := openMapped(path, cacheBytes)
		if err != nil {
			return err
		}
		defer mp.close()
		if err := checkSum(path, mp.words); err != nil {
			return err
		}
		copy(c.words, mp.words)
		c.fromFile = true
		return nil
	}
	err := read()
	if err == nil {
		return nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		warn("ethash: regenerating cache", err)
	}
	persist := true
	if err := os.MkdirAll(dir, 0o755); err != nil {
		notKept("ethash: cache directory unusable; keeping the cache in memory only", "create directory", err)
		persist = false
	}
	if persist {
		unlock, err := lockFile(ctx, path+lockSuffix)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err != nil:
			notKept("ethash: cannot lock the cache file; keeping the cache in memory only", "lock", err)
			persist = false
		default:
			defer unlock()
			if read() == nil { // another process finished it while we waited
				return nil
			}
			removeStaleTemps(path)
		}
	}
	GenerateCache(c.words, c.Seed[:])
	if persist {
		err := writeMapped(path, cacheBytes, func(w []uint32) error {
			copy(w, c.words)
			return writeSum(path, w)
		})
		if err != nil {
			notKept("ethash: cache not written; it is kept in memory only", "write", err)
		}
	}
	return nil
}

// Dataset is one epoch's full dataset (DAG), in memory or mapped from a file.
type Dataset struct {
	Epoch uint64
	words []uint32
	file  *mapped // a dataset read from dir
	mem   *region // an in-memory dataset (dir "")
}

// Words returns the dataset as little-endian 32-bit words.
func (d *Dataset) Words() []uint32 { return d.words }

// Close releases the dataset: unmaps its file or frees its memory.
func (d *Dataset) Close() error {
	d.words = nil
	if d.file != nil {
		return d.file.close()
	}
	return d.mem.free()
}

// Progress reports dataset generation: items done of total.
type Progress func(done, total uint64)

// GenerateDatasetParallel fills dataset from cache with workers goroutines (GOMAXPROCS when
// workers ≤ 0), reporting progress and stopping early when ctx is cancelled. Workers take
// pages in chunks, so cancellation is prompt; progress is called by one goroutine at a time
// with a count that never decreases, so a callback needs no locking of its own.
func GenerateDatasetParallel(ctx context.Context, dataset, cache []uint32, workers int, progress Progress) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	pages := uint32(len(dataset) / mixWords)
	const chunk = 4096
	var next atomic.Uint64
	var wg sync.WaitGroup
	var progMu sync.Mutex
	var done uint64
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ih := itemHasher{h: newKeccak512()}
			var page [mixWords]uint32
			for ctx.Err() == nil {
				start := next.Add(chunk) - chunk
				if start >= uint64(pages) {
					return
				}
				end := min(start+chunk, uint64(pages))
				for p := uint32(start); p < uint32(end); p++ {
					ih.pair(cache, p, &page)
					*datasetPage(dataset, p) = page
				}
				if progress != nil {
					progMu.Lock()
					done += end - start
					progress(done*2, uint64(pages)*2)
					progMu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// LoadDataset returns the dataset of the cache's epoch: mapped from dir when a valid file is
// there (its size and magic checked and a sample of items recomputed from the cache),
// otherwise generated in parallel and written there first. dir "" keeps it in memory.
func LoadDataset(ctx context.Context, dir string, c *Cache, workers int, progress Progress, log *slog.Logger) (*Dataset, error) {
	d := &Dataset{Epoch: c.Epoch}
	if err := checkSizes(uint64(len(c.words))*4, c.DatasetSize); err != nil {
		return nil, err
	}
	if dir == "" {
		words, mem, err := allocWords(int(c.DatasetSize / 4))
		if err != nil {
			return nil, err
		}
		d.words, d.mem = words, mem
		if err := GenerateDatasetParallel(ctx, d.words, c.words, workers, progress); err != nil {
			d.Close()
			return nil, err
		}
		return d, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, DatasetFileName(c.Seed))
	open := func() (*mapped, error) {
		mp, err := openMapped(path, c.DatasetSize)
		if err != nil {
			return nil, err
		}
		if err := checkSample(mp.words, c); err != nil {
			mp.close()
			return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, path, err)
		}
		// A DAG written here has a CRC-32C beside it, checked whole (about 0.1 s a GiB).
		// One from go-ethereum or libethash has none and passes on the sample alone; the
		// Verifier re-checks a seal it rejects in Full mode with the cache.
		if _, err := os.Stat(path + sumSuffix); err == nil {
			if err := checkSum(path, mp.words); err != nil {
				mp.close()
				return nil, err
			}
		}
		return mp, nil
	}
	if mp, err := open(); err == nil {
		d.file, d.words = mp, mp.words
		return d, nil
	} else if !errors.Is(err, os.ErrNotExist) && log != nil {
		log.Warn("ethash: regenerating dataset", "epoch", c.Epoch, "reason", err)
	}
	unlock, err := lockFile(ctx, path+lockSuffix)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if mp, err := open(); err == nil {
		d.file, d.words = mp, mp.words
		return d, nil
	}
	removeStaleTemps(path)
	os.Remove(path + sumSuffix) // a stale checksum must not outlive the file it described
	err = writeMapped(path, c.DatasetSize, func(w []uint32) error {
		if err := GenerateDatasetParallel(ctx, w, c.words, workers, progress); err != nil {
			return err
		}
		return writeSum(path, w)
	})
	if err != nil {
		return nil, err
	}
	mp, err := open()
	if err != nil {
		return nil, fmt.Errorf("ethash: dataset written but not readable: %w", err)
	}
	d.file, d.words = mp, mp.words
	return d, nil
}

// checkSample recomputes a spread of dataset pages from the cache (first, last and
// evenly spaced between) and compares them with the file.
func checkSample(words []uint32, c *Cache) error {
	pages := uint32(len(words) / mixWords)
	if pages == 0 {
		return errors.New("empty dataset")
	}
	ih := itemHasher{h: newKeccak512()}
	var page [mixWords]uint32
	for s := uint32(0); s < datasetSamples; s++ {
		p := uint32(uint64(s) * uint64(pages-1) / (datasetSamples - 1))
		ih.pair(c.words, p, &page)
		if *datasetPage(words, p) != page {
			return fmt.Errorf("page %d differs from the cache's", p)
		}
	}
	return nil
}

package ethash

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

// Verification errors. A failed seal is a *SealError; errors.Is matches its Check.
var (
	// ErrMixMismatch: the recomputed mix digest differs from the header's.
	ErrMixMismatch = errors.New("ethash: mix digest mismatch")
	// ErrAboveBoundary: the result exceeds (2^256−1)/difficulty.
	ErrAboveBoundary = errors.New("ethash: result above the boundary")
	// ErrClosed: the Verifier was closed.
	ErrClosed = errors.New("ethash: verifier closed")
	// ErrEpoch: the height is beyond the last epoch the reference supports (2047).
	ErrEpoch = errors.New("ethash: epoch beyond 2047")
)

// MaxEpoch is the last epoch of the reference's size tables.
const MaxEpoch = 2047

// SealError says which check failed and carries what was computed.
type SealError struct {
	Check  error // ErrMixMismatch or ErrAboveBoundary
	Mix    [32]byte
	Result [32]byte
}

func (e *SealError) Error() string {
	return fmt.Sprintf("%v (mix %x, result %x)", e.Check, e.Mix, e.Result)
}
func (e *SealError) Unwrap() error { return e.Check }

// Boundary is floor((2^256 − 1) / difficulty), MVS's target (BasicType.cpp); Ethereum uses
// 2^256/difficulty. A nil, zero or negative difficulty gives boundary 0.
func Boundary(difficulty *big.Int) *big.Int {
	if difficulty == nil || difficulty.Sign() <= 0 {
		return new(big.Int)
	}
	max := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))
	return max.Quo(max, difficulty)
}

// CheckSeal compares a hashimoto output with the header's mix digest and the boundary.
func CheckSeal(mix, result, headerMix [32]byte, boundary *big.Int) error {
	if mix != headerMix {
		return &SealError{Check: ErrMixMismatch, Mix: mix, Result: result}
	}
	if new(big.Int).SetBytes(result[:]).Cmp(boundary) > 0 {
		return &SealError{Check: ErrAboveBoundary, Mix: mix, Result: result}
	}
	return nil
}

// Mode selects how a Verifier computes dataset items.
type Mode int

const (
	// Light computes items from the cache (about 16–300 MB per epoch). The default.
	Light Mode = iota
	// Full maps the dataset (1–18 GB per epoch) for pools; until it is ready, verification
	// falls back to Light instead of blocking.
	Full
)

// Config configures a Verifier. The zero value verifies in light mode with caches in
// memory.
type Config struct {
	// Dir holds cache and DAG files; "" keeps everything in memory. Use DefaultDir for the
	// usual place.
	Dir string
	// Mode is Light or Full.
	Mode Mode
	// KeepEpochs bounds what is kept; default 2. In memory, the caches (and DAGs) of at
	// most KeepEpochs+1 epochs stay, the least recently used going first, so verifying old
	// blocks in any order never piles up epochs. In Dir, files of epochs more than
	// KeepEpochs older than the newest one loaded are removed. The default keeps the
	// current epoch, the previous one and the next one, which is prepared ahead of time when
	// the chain comes within PrefetchBlocks of a boundary.
	KeepEpochs     int
	PrefetchBlocks uint64
	// Workers caps the goroutines of DAG generation and of each VerifyBatch (default
	// GOMAXPROCS), so co-hosted services are not starved.
	Workers int
	// Sizes overrides Ethash's sizes (tests, private nets). Nil means RealSizes.
	Sizes SizeFunc
	// Progress is told of DAG generation progress.
	Progress Progress
	// Logger receives regeneration warnings; nil discards them (Verifier.FileErr still
	// reports a directory that cannot be used).
	Logger *slog.Logger
}

// DefaultDir is the conventional directory: "ethash" under os.UserCacheDir.
func DefaultDir() (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "mvs", "ethash"), nil
}

// Verifier checks Ethash seals. It is safe for concurrent use: concurrent callers needing
// the same epoch wait for one generation; caches are reference counted so an epoch is
// released only when no verification uses it. Close releases everything.
type Verifier struct {
	cfg     Config
	hashers sync.Pool
	kernel  laneKernel   // VerifyBatch's light kernel, the fastest this CPU runs
	kernels []laneKernel // every kernel this CPU runs, for narrower partial groups
	// VerifyBatch's scratch, reused so that it allocates nothing per seal.
	batchStates, batchJobs sync.Pool
	ctx                    context.Context
	cancel                 context.CancelFunc
	bg                     sync.WaitGroup

	mu       sync.Mutex
	closed   bool
	caches   map[uint64]*entry[*Cache]
	datasets map[uint64]*entry[*Dataset]
	// generations counts caches computed from their seed (not read from files).
	generations int
	fileErr     error // the last failure to use cfg.Dir, nil after a success
	clock       uint64
	lastRecheck atomic.Int64 // unix nanoseconds of the last light re-check of a Full rejection
}

// entry is one epoch's cache or dataset, possibly still being generated.
type entry[T interface{ Close() error }] struct {
	ready   chan struct{}
	val     T
	err     error
	refs    int
	evicted bool
	used    uint64             // when the entry was last asked for (Verifier.clock), for eviction
	cancel  context.CancelFunc // stops a generation still running when the entry is evicted
	retryAt time.Time          // a failed generation is not retried before this
}

// New returns a Verifier.
func New(cfg Config) *Verifier {
	if cfg.KeepEpochs <= 0 {
		cfg.KeepEpochs = 2
	}
	if cfg.PrefetchBlocks == 0 {
		cfg.PrefetchBlocks = 2000
	}
	if cfg.Sizes == nil {
		cfg.Sizes = RealSizes
	}
	ctx, cancel := context.WithCancel(context.Background())
	v := &Verifier{cfg: cfg, ctx: ctx, cancel: cancel,
		caches: map[uint64]*entry[*Cache]{}, datasets: map[uint64]*entry[*Dataset]{}}
	v.hashers.New = func() any { return NewHasher() }
	v.kernels = laneKernels()
	v.kernel = v.kernels[0]
	v.batchStates.New = func() any { return newBatchState() }
	v.batchJobs.New = func() any { return new(batchJob) }
	return v
}

// Close stops background generation and unmaps every cache and dataset not in use; those
// in use are released when their verifications finish.
func (v *Verifier) Close() error {
	v.mu.Lock()
	v.closed = true
	v.cancel()
	v.mu.Unlock()
	v.bg.Wait()
	v.mu.Lock()
	defer v.mu.Unlock()
	var errs []error
	for e, c := range v.caches {
		errs = append(errs, evict(c))
		delete(v.caches, e)
	}
	for e, d := range v.datasets {
		errs = append(errs, evict(d))
		delete(v.datasets, e)
	}
	return errors.Join(errs...)
}

// evict marks an entry gone and closes it if nobody holds it. Caller holds v.mu.
func evict[T interface{ Close() error }](e *entry[T]) error {
	e.evicted = true
	if e.cancel != nil {
		e.cancel()
	}
	select {
	case <-e.ready:
		if e.refs == 0 && e.err == nil {
			return e.val.Close()
		}
	default: // still generating: its generator closes it on finding it evicted
	}
	return nil
}

func (v *Verifier) release(c *entry[*Cache]) { release(&v.mu, c) }

// release drops a reference to an entry and closes it when it was the last one to an
// evicted entry.
func release[T interface{ Close() error }](mu *sync.Mutex, e *entry[T]) {
	mu.Lock()
	defer mu.Unlock()
	e.refs--
	if e.refs == 0 && e.evicted && e.err == nil {
		e.val.Close()
	}
}

// cache returns the epoch's cache, generating it once however many callers ask. The caller
// must release it. Every caller holds its reference from before the entry can be evicted,
// so an eviction while the cache is generated or used never closes it under them.
func (v *Verifier) cache(epoch uint64) (*entry[*Cache], error) {
	if epoch > MaxEpoch {
		return nil, fmt.Errorf("%w: epoch %d (block %d on)", ErrEpoch, epoch, epoch*EpochLength)
	}
	v.mu.Lock()
	if v.closed {
		v.mu.Unlock()
		return nil, ErrClosed
	}
	v.clock++
	e, ok := v.caches[epoch]
	if !ok {
		e = &entry[*Cache]{ready: make(chan struct{}), refs: 1, used: v.clock}
		v.caches[epoch] = e
		v.evictLeastUsed(epoch)
		v.mu.Unlock()
		c, err := v.loadCache(epoch)
		v.mu.Lock()
		e.val, e.err = c, err
		close(e.ready)
		if err == nil {
			if !c.fromFile {
				v.generations++
			}
			if v.cfg.Dir != "" {
				v.fileErr = c.fileErr
			}
		}
		if err != nil {
			if v.caches[epoch] == e {
				delete(v.caches, epoch)
			}
			e.refs--
			v.mu.Unlock()
			return nil, err
		}
		v.mu.Unlock()
		if v.cfg.Dir != "" && epoch > uint64(v.cfg.KeepEpochs) { // file work outside v.mu
			if rerr := removeOldEpochs(v.cfg.Dir, epoch-uint64(v.cfg.KeepEpochs)); rerr != nil {
				v.noteFileErr(&FileError{Op: "remove old epochs", Path: v.cfg.Dir, Epoch: epoch, Err: rerr})
				if v.cfg.Logger != nil {
					v.cfg.Logger.Warn("ethash: removing old epochs", "err", rerr)
				}
			}
		}
		return e, nil
	}
	e.refs++
	e.used = v.clock
	v.mu.Unlock()
	<-e.ready
	if e.err != nil {
		v.release(e)
		return nil, e.err
	}
	return e, nil
}

// loadCache generates or reads an epoch's cache for cache().
func (v *Verifier) loadCache(epoch uint64) (*Cache, error) {
	return unpanicked("cache", epoch, func() (*Cache, error) {
		return LoadCacheContext(v.ctx, v.cfg.Dir, epoch, v.cfg.Sizes, v.cfg.Logger)
	})
}

// unpanicked runs a generation, turning a panic (say in a caller's SizeFunc) into an error,
// so the epoch's waiters are released instead of hanging.
func unpanicked[T any](what string, epoch uint64, generate func() (T, error)) (val T, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("ethash: generating the %s of epoch %d panicked: %v", what, epoch, p)
		}
	}()
	return generate()
}

// evictLeastUsed drops the least recently used epochs, cache and DAG together, until at
// most KeepEpochs+1 remain besides keep. Caller holds v.mu.
func (v *Verifier) evictLeastUsed(keep uint64) {
	for len(v.caches) > v.cfg.KeepEpochs+1 {
		var oldest uint64
		var found bool
		for ep, c := range v.caches {
			if ep != keep && (!found || c.used < v.caches[oldest].used) {
				oldest, found = ep, true
			}
		}
		if !found {
			return
		}
		evict(v.caches[oldest])
		delete(v.caches, oldest)
		if d, ok := v.datasets[oldest]; ok {
			evict(d)
			delete(v.datasets, oldest)
		}
	}
}

// prefetch prepares the next epoch's cache in the background when height is close to the
// boundary.
func (v *Verifier) prefetch(height uint64) {
	epoch := height / EpochLength
	if EpochLength-height%EpochLength > v.cfg.PrefetchBlocks || epoch+1 > MaxEpoch {
		return
	}
	v.mu.Lock()
	_, have := v.caches[epoch+1]
	closed := v.closed
	if !have && !closed {
		v.bg.Add(1)
	}
	v.mu.Unlock()
	if have || closed {
		return
	}
	go func() {
		defer v.bg.Done()
		if e, err := v.cache(epoch + 1); err == nil {
			v.release(e)
		}
	}()
}

// dataset returns the epoch's dataset, referenced (the caller releases it), if it is ready;
// in Full mode it starts generating it in the background when it is not (the caller
// verifies in light mode meanwhile). ce is the caller's referenced cache entry.
func (v *Verifier) dataset(ce *entry[*Cache]) *entry[*Dataset] {
	if v.cfg.Mode != Full {
		return nil
	}
	c := ce.val
	v.mu.Lock()
	defer v.mu.Unlock()
	if e, ok := v.datasets[c.Epoch]; ok {
		select {
		case <-e.ready:
			if e.err == nil && !e.evicted {
				e.refs++
				return e
			}
			if e.err == nil || time.Now().Before(e.retryAt) {
				return nil
			}
			delete(v.datasets, c.Epoch) // failed long enough ago: try again
		default:
			return nil
		}
	}
	if v.closed || ce.evicted { // an evicted epoch is not worth a DAG
		return nil
	}
	ctx, cancel := context.WithCancel(v.ctx)
	e := &entry[*Dataset]{ready: make(chan struct{}), cancel: cancel}
	v.datasets[c.Epoch] = e
	ce.refs++ // the generator reads the cache
	v.bg.Add(1)
	go func() {
		defer v.bg.Done()
		defer cancel()
		d, err := v.loadDataset(ctx, c)
		v.release(ce)
		v.mu.Lock()
		defer v.mu.Unlock()
		e.val, e.err = d, err
		close(e.ready)
		if err != nil {
			// Kept, failed, for a while: a disk that cannot take the DAG must not cost a
			// new multi-gigabyte generation on every verification.
			e.retryAt = time.Now().Add(datasetRetryDelay)
			if v.cfg.Dir != "" && !errors.Is(err, context.Canceled) {
				v.fileErr = &FileError{Op: "build the DAG", Path: v.cfg.Dir, Epoch: c.Epoch, Err: err}
			}
			if v.cfg.Logger != nil && !errors.Is(err, context.Canceled) {
				v.cfg.Logger.Warn("ethash: dataset generation failed; verifying in light mode", "epoch", c.Epoch, "err", err, "retry_in", datasetRetryDelay)
			}
		} else if e.evicted {
			d.Close() // nobody can hold it: references are taken only once it is ready
		}
	}()
	return nil
}

// datasetRetryDelay is how long Full mode verifies in light mode after a failed DAG
// generation before trying again.
const datasetRetryDelay = time.Minute

func (v *Verifier) loadDataset(ctx context.Context, c *Cache) (*Dataset, error) {
	return unpanicked("dataset", c.Epoch, func() (*Dataset, error) {
		return LoadDataset(ctx, v.cfg.Dir, c, v.cfg.Workers, v.cfg.Progress, v.cfg.Logger)
	})
}

// Hash runs hashimoto for a block height, seal hash and nonce: the mix digest and result.
// It uses the dataset when one is ready (Full mode) and the cache otherwise.
func (v *Verifier) Hash(height uint64, sealHash [32]byte, nonce uint64) (mix, result [32]byte, err error) {
	mix, result, _, err = v.hash(height, sealHash, nonce, true)
	return mix, result, err
}

// hash is Hash; full says whether the dataset was used (only when allowFull).
func (v *Verifier) hash(height uint64, sealHash [32]byte, nonce uint64, allowFull bool) (mix, result [32]byte, full bool, err error) {
	e, err := v.cache(height / EpochLength)
	if err != nil {
		return mix, result, false, err
	}
	defer v.release(e)
	v.prefetch(height)
	h := v.hashers.Get().(*Hasher)
	defer v.hashers.Put(h)
	if allowFull {
		if d := v.dataset(e); d != nil {
			mix, result = h.Full(d.val.words, sealHash, nonce)
			release(&v.mu, d)
			return mix, result, true, nil
		}
	}
	mix, result = h.Light(e.val.DatasetSize, e.val.words, sealHash, nonce)
	return mix, result, false, nil
}

// Verify checks a seal: hashimoto of (sealHash, nonce) at the height's epoch must give
// mixDigest, and a result no greater than (2^256−1)/difficulty. A failed check is a
// *SealError (errors.Is with ErrMixMismatch or ErrAboveBoundary).
//
// In Full mode a rejection is confirmed from the cache before it is returned, up to ten
// times a second: a DAG from another program is checked on open only by
// sample, and one bad page must not reject valid seals. A DAG found to disagree with its
// cache is dropped (and its file removed) and built again.
func (v *Verifier) Verify(height uint64, sealHash [32]byte, nonce uint64, mixDigest [32]byte, difficulty *big.Int) error {
	mix, result, full, err := v.hash(height, sealHash, nonce, true)
	if err != nil {
		return err
	}
	serr := checkSealFast(mix, result, mixDigest, difficulty) // CheckSeal with no big.Int
	if serr == nil || !full {
		return serr
	}
	serr, _ = v.confirm(height, sealHash, nonce, mixDigest, difficulty, mix, result, serr)
	return serr
}

// confirm re-checks from the cache a seal the DAG rejected with serr (mix and result the
// DAG's), rate-limited; dropped says the DAG disagreed and was dropped.
func (v *Verifier) confirm(height uint64, sealHash [32]byte, nonce uint64, mixDigest [32]byte, difficulty *big.Int, mix, result [32]byte, serr error) (err error, dropped bool) {
	if !v.mayRecheck() {
		return serr, false
	}
	lmix, lresult, _, herr := v.hash(height, sealHash, nonce, false)
	if herr != nil || (lmix == mix && lresult == result) {
		return serr, false
	}
	v.dropDataset(height / EpochLength)
	return CheckSeal(lmix, lresult, mixDigest, Boundary(difficulty)), true
}

// recheckRate bounds the light re-checks of Full-mode rejections, so a flood of bad shares
// cannot turn every one into a light verification.
const recheckRate = 10

func (v *Verifier) mayRecheck() bool {
	now := time.Now().UnixNano()
	last := v.lastRecheck.Load()
	return now-last >= int64(time.Second/recheckRate) && v.lastRecheck.CompareAndSwap(last, now)
}

// dropDataset forgets a DAG that disagrees with its cache and removes its file.
func (v *Verifier) dropDataset(epoch uint64) {
	v.mu.Lock()
	if e, ok := v.datasets[epoch]; ok {
		evict(e)
		delete(v.datasets, epoch)
	}
	v.mu.Unlock()
	path := ""
	if v.cfg.Dir != "" {
		path = filepath.Join(v.cfg.Dir, DatasetFileName(SeedHash(epoch)))
		os.Remove(path)
		os.Remove(path + sumSuffix)
	}
	if v.cfg.Logger != nil {
		v.cfg.Logger.Error("ethash: the DAG disagrees with its cache; dropped, and built again", "epoch", epoch, "file", path)
	}
}

// Generations reports how many caches the Verifier has computed from their seeds: a cache
// read back from its file in Config.Dir is not counted, so with a usable directory a
// restarted node shows 0 for the epochs it had.
func (v *Verifier) Generations() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.generations
}

// FileErr reports the last failure to keep a cache or DAG in Config.Dir, as a *FileError
// (errors.Is ErrDirUnusable), or nil when there was none or a cache has since been read
// from or written to the directory. Such failures never fail verification, which goes on
// from memory; they cost a generation on every start, so a pool operator should watch this
// (or pass a Config.Logger, which receives each one).
func (v *Verifier) FileErr() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.fileErr
}

func (v *Verifier) noteFileErr(err error) {
	v.mu.Lock()
	v.fileErr = err
	v.mu.Unlock()
}

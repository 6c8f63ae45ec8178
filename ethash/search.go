package ethash

import (
	"context"
	"errors"
	"math/big"
	"runtime"
	"sync"
	"sync/atomic"
)

// ErrNotFound: Search exhausted its nonce range.
var ErrNotFound = errors.New("ethash: no nonce found in range")

// SearchResult is a found seal.
type SearchResult struct {
	Nonce  uint64
	Mix    [32]byte
	Result [32]byte
}

// Search mines on the CPU: workers goroutines (GOMAXPROCS when ≤ 0) try nonces from start,
// interleaved, until one gives a result within the boundary of difficulty, ctx is cancelled,
// or count nonces were tried (0 means the whole 64-bit space). It is for tests and private
// networks; with SmallSizes and a small difficulty it finds a seal in milliseconds.
func (v *Verifier) Search(ctx context.Context, height uint64, sealHash [32]byte, difficulty *big.Int, start, count uint64, workers int) (SearchResult, error) {
	e, err := v.cache(height / EpochLength)
	if err != nil {
		return SearchResult{}, err
	}
	defer v.release(e)
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	boundary := Boundary(difficulty)
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		found atomic.Bool
		res   SearchResult
		once  sync.Once
		wg    sync.WaitGroup
	)
	var stop atomic.Bool // set once ctx is done (cancelled, or a seal found)
	go func() {
		<-ctx.Done()
		stop.Store(true)
	}()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w uint64) {
			defer wg.Done()
			h := NewHasher()
			var rb big.Int
			for i := w; count == 0 || i < count; i += uint64(workers) {
				if stop.Load() { // before every nonce: with many workers a few nonces are long
					return
				}
				nonce := start + i
				mix, result := h.Light(e.val.DatasetSize, e.val.words, sealHash, nonce)
				if rb.SetBytes(result[:]).Cmp(boundary) <= 0 {
					once.Do(func() {
						res = SearchResult{Nonce: nonce, Mix: mix, Result: result}
						found.Store(true)
						cancel()
					})
					return
				}
				if count == 0 && i > ^uint64(0)-uint64(workers) {
					return
				}
			}
		}(uint64(w))
	}
	wg.Wait()
	if found.Load() {
		return res, nil
	}
	if err := parent.Err(); err != nil {
		return SearchResult{}, err
	}
	return SearchResult{}, ErrNotFound
}

package ethash

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"math/bits"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Seal is one proof of work for VerifyBatch: what Verify takes.
type Seal struct {
	Height     uint64
	SealHash   [32]byte
	Nonce      uint64
	MixDigest  [32]byte
	Difficulty *big.Int
}

// ErrBatchLength: VerifyBatch was given a different number of error slots than seals.
var ErrBatchLength = errors.New("ethash: VerifyBatch needs exactly one error slot per seal")

// errPending marks a seal not yet checked. A slot still pending when VerifyBatch returns
// gets the context's error.
var errPending = errors.New("ethash: seal not verified")

// maxLanes bounds the hashes one batch worker computes together.
const maxLanes = 16

// Lane counts. Light: half the chosen kernel's items (two items a page). Full: the pages of
// fullLanes hashes are requested together; on a 1 GiB DAG-sized buffer 16 gave 4–5× the
// single-hash rate and 8 about 4× (BenchmarkFullLanes), the DRAM's parallelism, not its
// latency, then being the limit.
const fullLanes = 16

// VerifyBatch checks many seals at once and sets errs[i] to what Verify would return for
// seals[i]: nil, a *SealError (errors.Is ErrMixMismatch or ErrAboveBoundary), ErrEpoch or
// ErrClosed. Seals may come from any epochs, in any order; they are taken an epoch at a
// time. A failed seal fails only its own slot.
//
// It is Verify at several times the throughput per core, for a pool's shares and a
// syncing node's headers: a light hash waits on 32,768 cache reads in chains of 256, each
// read's address taken from the one before, and VerifyBatch runs the chains of several
// hashes interleaved so that their misses overlap, on up to GOMAXPROCS goroutines (Config.Workers caps them). It allocates nothing
// per seal: give it the same errs slice each time. Memory is bounded whatever the batch's
// length; batches of a few hundred seals keep every core busy.
//
// The returned error is non-nil only when the batch was not wholly checked: ErrBatchLength
// (nothing checked), or the context's error when ctx was cancelled, in which case every
// seal not checked has that error in its slot. A slot is nil only for a seal that passed.
func (v *Verifier) VerifyBatch(ctx context.Context, seals []Seal, errs []error) error {
	if len(errs) != len(seals) {
		return fmt.Errorf("%w: %d seals, %d error slots", ErrBatchLength, len(seals), len(errs))
	}
	for i := range seals {
		errs[i] = errPending
		if e := seals[i].Height / EpochLength; e > MaxEpoch {
			errs[i] = fmt.Errorf("%w: epoch %d (block %d on)", ErrEpoch, e, e*EpochLength)
		}
	}
	// An epoch at a time, lowest first: each pass takes the lowest epoch still pending.
	for ctx.Err() == nil {
		epoch, top, found := uint64(0), uint64(0), false
		for i := range seals {
			if errs[i] != errPending {
				continue
			}
			if e := seals[i].Height / EpochLength; !found || e < epoch {
				epoch, found = e, true
			}
		}
		if !found {
			break
		}
		for i := range seals {
			if errs[i] == errPending && seals[i].Height/EpochLength == epoch {
				top = max(top, seals[i].Height)
			}
		}
		v.batchEpoch(ctx, epoch, top, seals, errs)
	}
	// Only a cancellation leaves seals unchecked; were one left otherwise, its slot would
	// keep errPending, which is not nil either.
	err, unchecked := ctx.Err(), false
	for i := range errs {
		if errs[i] == errPending {
			unchecked = true
			if err != nil {
				errs[i] = err
			}
		}
	}
	switch {
	case !unchecked:
		return nil // cancelled, if at all, after the last seal was checked
	case err == nil:
		return errPending
	}
	return err
}

// batchEpoch checks the pending seals of one epoch.
func (v *Verifier) batchEpoch(ctx context.Context, epoch, top uint64, seals []Seal, errs []error) {
	ce, err := v.cache(epoch)
	if err != nil {
		for i := range seals {
			if errs[i] == errPending && seals[i].Height/EpochLength == epoch {
				errs[i] = err
			}
		}
		return
	}
	defer v.release(ce)
	v.prefetch(top)
	// Pooled, so that a batch run inline allocates nothing at all.
	j := v.batchJobs.Get().(*batchJob)
	defer func() { *j = batchJob{}; v.batchJobs.Put(j) }()
	j.v, j.ctx, j.seals, j.errs, j.epoch, j.cache, j.kernel = v, ctx, seals, errs, epoch, ce.val, v.kernel
	j.lanes = j.kernel.items / 2
	if de := v.dataset(ce); de != nil {
		defer release(&v.mu, de)
		j.dataset, j.lanes = de.val.words, fullLanes
	}
	pending := 0
	for i := range seals {
		if errs[i] == errPending && seals[i].Height/EpochLength == epoch {
			pending++
		}
	}
	workers := runtime.GOMAXPROCS(0)
	if v.cfg.Workers > 0 {
		workers = min(workers, v.cfg.Workers)
	}
	workers = max(1, min(workers, (pending+j.lanes-1)/j.lanes))
	j.chunk = j.lanes // lanes carry over between chunks, so small chunks only even out the workers
	if workers == 1 {
		j.work()
		return
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			j.work()
		}()
	}
	wg.Wait()
}

// batchJob is one epoch's pass of VerifyBatch, shared by its workers. Each takes chunks of
// positions in seals (so no slot is written by two) and gathers that epoch's pending seals
// into its lanes.
type batchJob struct {
	v       *Verifier
	ctx     context.Context
	seals   []Seal
	errs    []error
	epoch   uint64
	cache   *Cache
	dataset []uint32 // nil: light
	kernel  laneKernel
	lanes   int
	chunk   int
	next    atomic.Int64
	dagBad  atomic.Bool // a Full rejection was not confirmed by the cache: finish in light mode

	confirmMu sync.Mutex
	rechecked bool // a rejection of this pass has been re-checked from the cache
}

func (j *batchJob) work() {
	st := j.v.batchStates.Get().(*batchState)
	defer j.v.batchStates.Put(st)
	n := 0
	for j.ctx.Err() == nil {
		start := int(j.next.Add(int64(j.chunk)) - int64(j.chunk))
		if start >= len(j.seals) {
			break
		}
		for i := start; i < min(start+j.chunk, len(j.seals)); i++ {
			if j.errs[i] != errPending || j.seals[i].Height/EpochLength != j.epoch {
				continue
			}
			st.slot[n] = i
			n++
			if n == j.lanes {
				j.run(st, n)
				n = 0
				if j.ctx.Err() != nil {
					return
				}
			}
		}
	}
	if n > 0 && j.ctx.Err() == nil {
		j.run(st, n)
	}
}

// run hashes and checks the n seals in st's slots.
func (j *batchJob) run(st *batchState, n int) {
	for l := 0; l < n; l++ {
		s := &j.seals[st.slot[l]]
		st.header[l], st.nonce[l] = s.SealHash, s.Nonce
	}
	full := j.dataset != nil && !j.dagBad.Load()
	if full {
		st.full(j.dataset, n)
	} else {
		// Full-mode lanes outnumber the kernel's when a bad DAG sends a pass to the cache.
		for lo, per := 0, j.kernel.items/2; lo < n; lo += per {
			hi := min(lo+per, n)
			st.lightLanes(j.cache, j.v.narrowest(hi-lo), lo, hi)
		}
	}
	for l := 0; l < n; l++ {
		i := st.slot[l]
		s := &j.seals[i]
		err := checkSealFast(st.mix[l], st.result[l], s.MixDigest, s.Difficulty)
		if err != nil && full {
			err = j.confirm(s, st.mix[l], st.result[l], err)
		}
		j.errs[i] = err
	}
}

// narrowest is the narrowest kernel of the default's instruction set that takes n
// lanes: a batch's last, partial group (or a pool's batch of a few shares) does not pay
// for the default's full width.
func (v *Verifier) narrowest(n int) laneKernel {
	k := v.kernel
	for _, c := range v.kernels {
		if c.keccak == k.keccak && c.items >= 2*n && c.items < k.items {
			k = c
		}
	}
	return k
}

// confirm re-checks from the cache a seal the DAG rejected with serr. The first rejection
// of a pass is always re-checked, later ones as Verify's are (rate-limited), and once the
// DAG is found wrong every rejection of the pass is decided by the cache. Workers take
// turns, so none rejects a valid seal on a DAG another is about to find wrong.
func (j *batchJob) confirm(s *Seal, mix, result [32]byte, serr error) error {
	j.confirmMu.Lock()
	defer j.confirmMu.Unlock()
	if !j.dagBad.Load() && j.rechecked {
		err, dropped := j.v.confirm(s.Height, s.SealHash, s.Nonce, s.MixDigest, s.Difficulty, mix, result, serr)
		if dropped {
			j.dagBad.Store(true)
		}
		return err
	}
	lmix, lres, _, herr := j.v.hash(s.Height, s.SealHash, s.Nonce, false)
	if herr != nil {
		return serr
	}
	if !j.dagBad.Load() {
		j.rechecked = true
		if lmix == mix && lres == result {
			return serr
		}
		j.v.dropDataset(j.epoch)
		j.dagBad.Store(true)
	}
	return checkSealFast(lmix, lres, s.MixDigest, s.Difficulty)
}

// checkSealFast is CheckSeal(mix, result, headerMix, Boundary(difficulty)) without
// allocating for a seal that passes. A nil difficulty is a zero one.
func checkSealFast(mix, result, headerMix [32]byte, difficulty *big.Int) error {
	if mix != headerMix {
		return &SealError{Check: ErrMixMismatch, Mix: mix, Result: result}
	}
	if !withinBoundary(result, difficulty) {
		return &SealError{Check: ErrAboveBoundary, Mix: mix, Result: result}
	}
	return nil
}

// withinBoundary reports result ≤ ⌊(2^256−1)/difficulty⌋, which for integers is
// result·difficulty ≤ 2^256−1: the product must fit 256 bits. No big.Int is made.
func withinBoundary(result [32]byte, difficulty *big.Int) bool {
	if difficulty == nil || difficulty.Sign() <= 0 || difficulty.BitLen() > 256 {
		return result == [32]byte{} // boundary 0
	}
	var db [32]byte
	difficulty.FillBytes(db[:])
	var r, d [4]uint64 // little-endian limbs
	for k := 0; k < 4; k++ {
		r[k] = binary.BigEndian.Uint64(result[24-8*k:])
		d[k] = binary.BigEndian.Uint64(db[24-8*k:])
	}
	var p [8]uint64
	for a := 0; a < 4; a++ {
		var carry uint64
		for b := 0; b < 4; b++ {
			hi, lo := bits.Mul64(r[a], d[b])
			var c uint64
			lo, c = bits.Add64(lo, p[a+b], 0)
			hi += c
			lo, c = bits.Add64(lo, carry, 0)
			hi += c
			p[a+b], carry = lo, hi
		}
		p[a+4] = carry
	}
	return p[4]|p[5]|p[6]|p[7] == 0
}

// batchState is one worker's scratch: Keccak states and every lane's hashimoto state, so a
// batch allocates nothing per seal. Workers take them from a pool.
type batchState struct {
	ih     itemHasher
	k256   keccak
	in     [40]byte
	out    [64]byte
	slot   [maxLanes]int
	header [maxLanes][32]byte
	nonce  [maxLanes]uint64
	seed   [maxLanes][64]byte
	head   [maxLanes]uint32
	m      [maxLanes][mixWords]uint32
	page   [maxLanes]uint32
	items  laneItems
	ks     keccakLanes
	ks4    keccakLanes4
	mix    [maxLanes][32]byte
	result [maxLanes][32]byte
}

func newBatchState() *batchState {
	return &batchState{ih: itemHasher{h: newKeccak512()}, k256: newKeccak256()}
}

// begin computes the seed (Keccak-512 of header and nonce) and initial mix of lanes
// lo … hi−1.
func (st *batchState) begin(lo, hi int) {
	k := st.ih.h
	for l := lo; l < hi; l++ {
		copy(st.in[:], st.header[l][:])
		binary.LittleEndian.PutUint64(st.in[32:], st.nonce[l])
		k.Reset()
		k.Write(st.in[:])
		k.Read(st.seed[l][:])
		st.head[l] = binary.LittleEndian.Uint32(st.seed[l][:])
		for i := range st.m[l] {
			st.m[l][i] = binary.LittleEndian.Uint32(st.seed[l][(i%hashWords)*4:])
		}
	}
}

// end compresses the mix of lanes lo … hi−1 into its digest and computes its result.
func (st *batchState) end(lo, hi int) {
	for l := lo; l < hi; l++ {
		m := &st.m[l]
		for i := 0; i < mixWords; i += 4 {
			m[i/4] = fnv(fnv(fnv(m[i], m[i+1]), m[i+2]), m[i+3])
		}
		for i := 0; i < 8; i++ {
			binary.LittleEndian.PutUint32(st.out[i*4:], m[i])
		}
		st.k256.Reset()
		st.k256.Write(st.seed[l][:])
		st.k256.Write(st.out[:32])
		st.k256.Read(st.out[32:])
		st.mix[l], st.result[l] = [32]byte(st.out[:32]), [32]byte(st.out[32:])
	}
}

// light runs hashimoto on lanes 0 … n−1 (at most kernel.items/2) from the cache.
func (st *batchState) light(c *Cache, kernel laneKernel, n int) { st.lightLanes(c, kernel, 0, n) }

// lightLanes runs hashimoto on lanes lo … hi−1 with items computed from the cache: at each
// of the 64 accesses, the items of the lanes' pages go through the kernel together (item
// 2(l−lo) and 2(l−lo)+1 are lane l's page).
func (st *batchState) lightLanes(c *Cache, kernel laneKernel, lo, hi int) {
	n := hi - lo
	st.begin(lo, hi)
	rows := uint32(c.DatasetSize / mixBytes)
	mod := newFastMod(rows)
	cmod := newFastMod(uint32(len(c.words) / hashWords))
	cache := c.words
	for i := uint32(0); i < loopAccesses; i++ {
		for l := 0; l < n; l++ {
			p := mod.mod(fnv(i^st.head[lo+l], st.m[lo+l][i%mixWords]))
			st.items.idx[2*l], st.items.idx[2*l+1] = 2*p, 2*p+1
			// The items' first rows are independent random reads: start them all now.
			prefetch((*byte)(unsafe.Pointer(&cache[cmod.mod(2*p)*hashWords])))
			prefetch((*byte)(unsafe.Pointer(&cache[cmod.mod(2*p+1)*hashWords])))
		}
		for w := 0; w < 2*n; w++ {
			x := st.items.idx[w]
			mix := &st.items.mix[w]
			*mix = *(*[hashWords]uint32)(cache[cmod.mod(x)*hashWords:])
			mix[0] ^= x
		}
		st.keccak512Items(&st.items.mix, 2*n, kernel.keccak)
		kernel.run(cache, cmod, &st.items) // callers keep 2n ≤ kernel.items
		st.keccak512Items(&st.items.mix, 2*n, kernel.keccak)
		for l := 0; l < n; l++ {
			a, b := &st.items.mix[2*l], &st.items.mix[2*l+1]
			m := &st.m[lo+l]
			for k := 0; k < hashWords; k++ {
				m[k] = m[k]*0x01000193 ^ a[k]
				m[k+hashWords] = m[k+hashWords]*0x01000193 ^ b[k]
			}
		}
	}
	st.end(lo, hi)
}

// full runs hashimoto on n lanes with pages read from the dataset: the n pages of each
// access are requested together, then mixed.
func (st *batchState) full(dataset []uint32, n int) {
	st.begin(0, n)
	mod := newFastMod(uint32(uint64(len(dataset)) * 4 / mixBytes))
	for i := uint32(0); i < loopAccesses; i++ {
		for l := 0; l < n; l++ {
			p := mod.mod(fnv(i^st.head[l], st.m[l][i%mixWords]))
			st.page[l] = p
			pg := datasetPage(dataset, p)
			prefetch((*byte)(unsafe.Pointer(&pg[0])))
			prefetch((*byte)(unsafe.Pointer(&pg[hashWords])))
		}
		for l := 0; l < n; l++ {
			pg := datasetPage(dataset, st.page[l])
			m := &st.m[l]
			for k := range m {
				m[k] = m[k]*0x01000193 ^ pg[k]
			}
		}
	}
	st.end(0, n)
}

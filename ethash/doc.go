// Package ethash checks and makes Ethash proofs of work (revision 23, unchanged from
// Ethereum's), as MVS seals its PoW blocks. It knows nothing of MVS headers: package block
// computes a header's SealHash, and Header.VerifySeal calls Verify.
//
// # Verifying seals
//
// Make one Verifier for the life of the process and share it; it is safe for concurrent
// use and Close releases everything:
//
//	v := ethash.New(ethash.Config{Dir: dir}) // zero Config: real sizes, light mode, caches in memory
//	defer v.Close()
//	err := v.Verify(height, sealHash, nonce, mixDigest, difficulty)
//
// Verify recomputes hashimoto from the epoch's cache (16–300 MB, generated once per epoch
// in about half a second, or read from Dir) and returns nil or a *SealError: errors.Is
// with ErrMixMismatch (the header's mix digest is not the computed one) or
// ErrAboveBoundary (the result exceeds MVS's boundary (2^256−1)/difficulty, one below
// Ethereum's 2^256/difficulty for powers of two). Heights past epoch MaxEpoch give
// ErrEpoch, a closed Verifier ErrClosed. Verifying a valid seal allocates nothing.
//
// The Verifier keeps the caches of at most KeepEpochs+1 epochs, least recently used going
// first, prepares the next epoch's cache in the background when the chain comes within
// PrefetchBlocks of a boundary, and generates an epoch once however many callers ask.
//
// Pools set Mode: Full. The Verifier then builds (or maps from Dir) the epoch's dataset
// (DAG, 1–18 GB) in the background, verifying from the cache until it is ready, and
// confirms from the cache any rejection the DAG gives before returning it (at most ten a
// second), since a DAG written by another program is checked only by sample. Workers caps
// the goroutines that build it; Progress is told how far it is.
//
// # Many seals at once
//
// A pool checking shares, or a node importing a run of headers, should pass them to
// VerifyBatch rather than call Verify in a loop:
//
//	seals := []ethash.Seal{{Height: h, SealHash: sh, Nonce: n, MixDigest: mix, Difficulty: d}, …}
//	errs := make([]error, len(seals)) // reuse it: a batch then allocates nothing per seal
//	if err := v.VerifyBatch(ctx, seals, errs); err != nil {
//		// ctx was cancelled (unchecked slots hold its error) or errs has the wrong length
//	}
//	// errs[i] is what Verify would have returned for seals[i]
//
// A light verification waits on memory: some 32,000 dependent random reads of the cache.
// VerifyBatch computes the items of several hashes together (24 items, 12 hashes, with
// AVX-512; 6 items with AVX2; a Go loop elsewhere), so their reads are in flight at once,
// and spreads the work over GOMAXPROCS goroutines (capped by Config.Workers). On the
// project's benchmark machine it checks several times as many seals per core as Verify
// (BENCHMARKS.md). Seals of any epochs may be mixed; in Full mode the DAG's pages of 16
// hashes are fetched together. A rejected seal fails only its own slot, and cancelling ctx
// stops the batch with every unchecked slot set to ctx's error, never nil.
//
// # Mining on a private network
//
// Verifier.Search is a CPU miner for tests and private networks: it tries nonces until one
// meets the difficulty. Config.Sizes set to SmallSizes (a 1 KiB cache) runs every code path
// in well under a millisecond a hash; a real network uses RealSizes, the default.
//
// # Files on disk
//
// Config.Dir holds caches and DAGs in the go-ethereum/libethash format (cache-R23-<first
// 8 seed bytes in hex>, full-R23-…; an 8-byte magic then little-endian words), so a pool
// reuses the DAGs it has; DefaultDir is the usual place. Files are written atomically
// (reserved at full size, so a full disk is an error, synced, renamed into place) under a
// per-file lock shared with other processes, and checked on open: size and magic, a
// CRC-32C kept beside the file, and for a DAG a sample recomputed from the cache. A
// damaged or foreign file is regenerated, never trusted. Files of epochs more than
// KeepEpochs below the newest are removed.
//
// The directory is a cache of caches: when it cannot be used, verification goes on from
// memory and Verifier.FileErr (Cache.FileErr for LoadCache) reports a *FileError, matched
// with errors.Is(err, ErrDirUnusable); each restart then generates again, which
// Verifier.Generations shows (it counts caches computed, not those read back). A
// Config.Logger receives the same warnings.
//
// # Lower level
//
// LoadCache, LoadDataset and a Hasher (one per goroutine, no allocations) run hashimoto
// directly; CacheSize, DatasetSize, SeedHash, GenerateCache and GenerateDataset are the
// algorithm's pure functions.
//
// # Implementation
//
// Light verification is bound by memory latency: each of a hash's 64 dataset pages is two
// items of 256 dependent random reads from the cache. Verify computes the two items of a
// page together so that two reads are in flight, VerifyBatch the items of several hashes'
// pages; both in AVX2 or AVX-512 assembly where the CPU has it, generated by a program in
// the package's internal/gen directory (a pure Go loop elsewhere and under the purego
// build tag, tested equal); x % n is a multiply by a precomputed reciprocal. Keccak is
// golang.org/x/crypto/sha3's legacy Keccak, except that VerifyBatch hashes its items 8 at
// a time with AVX-512 or 4 with AVX2, with Keccak-f[1600] permutations of its own, tested
// equal to it. Caches and in-memory datasets live in 2 MiB-aligned memory
// marked for transparent huge pages, copied there even when read from a file, whose words
// start 8 bytes in and would straddle cache lines. Nothing is global but the CPU's feature flags, read once; the Verifier
// starts goroutines only to prepare the next epoch and to build DAGs, and Close cancels
// and waits for them.
package ethash

// Package ethash is Ethash revision 23 — the proof of work MVS seals its PoW blocks with,
// unchanged from Ethereum's — for node and pool software that must check seals fast and
// for tests and private networks that need to make them. It knows nothing of MVS headers:
// package block computes the header's SealHash and calls VerifySeal with a Verifier.
//
// Layout:
//
//   - algorithm.go: pure functions. Epochs of 30,000 blocks, cache and dataset sizes by the
//     standard prime search, the seed, cache generation, dataset items and hashimoto, light
//     (items from the cache) and full (items from the dataset). A Hasher runs hashimoto with
//     no allocation. Items are computed a 128-byte page at a time with the two 64-byte
//     halves' 256-step parent chains interleaved, so two cache misses are in flight instead
//     of one (the trick of chfast/ethash); x % n uses a precomputed reciprocal. Keccak is
//     golang.org/x/crypto/sha3's legacy Keccak.
//   - files.go, epoch.go: caches and DAGs on disk in the go-ethereum/libethash format
//     (cache-R23-<seed[:8] hex>, full-R23-…; 8-byte magic 0xFEE1DEADBADDCAFE then
//     little-endian words), so a pool reuses the DAGs it has. Writing is crash-safe: a
//     temporary file is reserved at full size (fallocate: a full disk is an error, not a
//     SIGBUS), filled through a mapping, synced, stamped with the magic last, and renamed.
//     An exclusive flock per file serialises generation between processes. Opening maps
//     read-only and checks size and magic; a cache must also match the CRC-32C recorded
//     beside it (the format has no checksum, and a cache cannot be spot-checked), and a DAG
//     must agree with 32 pages recomputed from the cache. Anything else is regenerated.
//     Dataset generation runs on GOMAXPROCS workers (or fewer), reports progress and stops
//     on context cancellation.
//   - verifier.go: Verifier, safe for concurrent use. It keeps the caches of the newest
//     epochs (reference counted, so none is unmapped under a running verification),
//     prepares the next epoch's cache in the background near a boundary, and generates an
//     epoch once however many callers ask. In Full mode it maps the DAG for pools and
//     verifies in light mode while the DAG is still being generated. Verify returns a
//     *SealError saying which check failed: mix mismatch, or result above MVS's boundary
//     (2^256−1)/difficulty (Ethereum's is 2^256/difficulty).
//   - search.go: a CPU miner for tests and private networks.
//
// Nothing here is global: sizes come from Config.Sizes (SmallSizes lets tests run the same
// code paths on a 1 KiB cache), files from Config.Dir, logs go to Config.Logger. Close
// releases every mapping; there are no finalizers. The Verifier starts goroutines only to
// prepare the next epoch and, in Full mode, the DAG; Close waits for them.
package ethash

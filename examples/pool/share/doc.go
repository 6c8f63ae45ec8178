// Package share checks a mining pool's Ethash shares: a Job is one getwork answer at the
// pool's share difficulty, a Share a miner's nonce for it (with its mix digest, or without
// as EthereumStratum miners send it), and a Checker gives each share its Verdict:
// accepted, a block (it meets the network's difficulty too), or refused with ErrBadMix or
// ErrLowDifficulty.
//
//	job, err := share.NewJob(id, nodeHeight+1, work.PowHash, work.SeedHash, work.Boundary, 1<<32)
//	ch := share.NewChecker(verifier)          // one per goroutine: it keeps scratch space
//	err = ch.Check(ctx, shares, verdicts)     // verdicts[i] is shares[i]'s
//
// Every share costs one hashimoto. The Checker passes the shares to
// ethash.Verifier.VerifyBatch (many hashes' memory reads in flight at once, on every core)
// at the network's difficulty: a block passes; any other share fails with its result in
// the *ethash.SealError, which is then compared with the share target. A share without a
// mix digest is checked with a zero one, so its error carries the computed digest. The
// share difficulty is capped at the network's, so a block is always a share.
//
// The package needs only package ethash, so that a pool's front end of its own, or a
// benchmark module, can use it without the stratum server's dependencies (package
// stratum, beside it, is the server).
package share

// Package chain is MVS's consensus in context: the rules a block must pass given the chain it
// extends, as the reference node applies them, quirks included.
//
// Use: CheckHeader checks a header against the branch it extends (a HeaderChain: headers by
// height) with the network's Params, the local clock and an Ethash SealVerifier
// (*ethash.Verifier is one). A refusal is a *RuleError whose Code names the rule; branch
// with errors.Is(err, chain.ErrBadBits) or errors.As. RequiredBits is the difficulty a
// header must carry.
//
// The header rules, in the reference's order (validate_block.cpp check_block, then
// accept_block): a version of 1 (PoW) or 2 (PoS) (DPoS was never enabled); the Ethash seal
// of a PoW header; above SuccessiveLimitHeight at most MaxSuccessivePoW consecutive PoW and
// MaxSuccessivePoS consecutive PoS blocks, counted back to the nearest block of the other
// version; the checkpoints; the timestamp at most 2 h past the local clock, from the
// future-time fork 24 s and no earlier than the parent's, from the PoS fork 38 s; and bits
// exactly as block.NextDifficulty computes them from the last earlier block of the same
// version and the same-version block before it (the difficulty formula is chosen by height:
// every block below the PoS fork uses the v1 formula).
//
// Status: this package so far holds the contextual header rules. The block and
// transaction rules in context (coinbase, fees, conservation, locks, scripts, the PoS
// stake), fork choice, reorganisation over package store, the registries' rules (packages
// asset and did) and the events and queries an exchange uses are being added; until they
// land, CheckHeader is the piece to use, for example to check a run of headers during sync.
package chain

// Package block is the MVS block: a 148-byte header, the transactions, and for PoS (version
// 2) and DPoS (version 3) blocks a trailing signature (and for DPoS the witness's key).
//
// Use: Decode a raw block (or DecodeHeader 148 bytes) and read its Header and Transactions;
// Hash is the block id, Check applies the context-free rules (merkle root, size, sigops,
// coinbase and coinstake placement, signatures), and a PoW header's seal is verified with an
// ethash.Verifier over SealHash. Genesis gives a network's genesis block, Subsidy and
// NextDifficulty the consensus arithmetic.
//
// The layout:
//
//	header = u32 version | prev hash (32) | merkle (32) | u32 timestamp
//	       | bits: difficulty as u256 big-endian (32) | u64 nonce big-endian | mixhash (32)
//	       | u32 height
//	block  = header | varint n | tx* | [64-byte signature: v2, v3] | [33-byte key: v3]
//
// Hash is double-SHA256 of the header for every version; the signature is not covered.
// SealHash is what Ethash seals: legacy Keccak-256 over bare RLP items in which the merkle
// root and previous hash are lists of per-byte integers (the reference's RLPStream quirk).
// The PoS signature is libsecp256k1's internal layout, r and s little-endian, over the hash
// in internal order; VerifyBlockSignature and SignBlock handle it.
//
// Check runs the context-free checks one by one (version, size, coinbase and BIP34 height
// push, merkle root, duplicate transactions, each transaction's sanity, sigops, PoS/DPoS
// signature) and reports each outcome; CheckSanity returns the first failure. The Ethash
// seal is checked with package ethash (VerifySeal), which knows nothing of headers.
//
// Decode copies its input once and every transaction's scripts slice that copy: a block of
// thousands of transactions costs a few allocations per transaction.
package block

// Package mvs is the root of a Go SDK for the Metaverse (MVS, 元界) blockchain: a
// Bitcoin-derived UTXO chain with Ethash proof of work (later PoS), secp256k1 ECDSA, and
// per-output attachments that carry assets (MST), certificates, unique tokens (MIT),
// messages and digital identities (DID). The SDK speaks the real chain byte for byte.
//
// Use: DecodeAddress parses an address for a network (MainNet(), TestNet(), RegTest()) and
// refuses another network's; ParseETP and Amount.Fixed read and write ETP amounts exactly;
// ParseHash reads a display-order hash. Start with package wallet to derive addresses and
// build withdrawals, package block and tx to read the chain.
//
// This package holds what every other package needs and nothing that needs them: Hash
// (double-SHA256 in internal byte order, shown reversed), Params for MainNet, TestNet and a
// private RegTest (returned fresh by each call: there is no global registry to mutate),
// Amount (satoshi, exact decimal formatting and parsing, no floats), and Address
// (base58check P2PKH/P2SH per network, plus the shared blackhole burn address).
//
// The packages compose in one direction, bytes to typed values to rules to state:
//
//	internal/codec  varints, varstr, a bounded reader whose errors name field and offset
//	tx/script       scripts: parse, ASM, standard patterns (MVS ones included), the
//	                consensus interpreter, signature encoding
//	tx              transactions, outputs, every attachment payload; encode, decode, Hash,
//	                context-free checks, a JSON form, the signature hash
//	block           148-byte headers, PoS/DPoS signatures, merkle root, SealHash (the RLP
//	                pow-hash Ethash seals), context-free block checks
//	ethash          generic Ethash (revision 23): caches and DAGs mapped from disk, a
//	                concurrent Verifier, a CPU Search
//	wallet          BIP39 mnemonics, BIP32 keys on MVS's m/i path, WIF, keystores,
//	                a deposit scanner, coin selection, builders and offline signing
//	asset, did      the asset, certificate, MIT and DID rules over read-only registries;
//	                attenuation locks; identity proofs
//	store           chain state on bbolt: UTXO set, undo data, indexes, registry records
//	chain           consensus in context (so far the header rules)
//
// An exchange backend typically derives deposit addresses with wallet, decodes blocks with
// block and tx, tracks outputs by OutPoint, and builds and signs withdrawals with wallet.
// Nothing in the library starts a goroutine or opens a socket unless the caller asks.
//
// Errors are sentinels or types matched with errors.Is and errors.As; decoding errors name
// the field and the byte offset. Untrusted bytes never panic and never allocate from an
// unchecked length.
package mvs

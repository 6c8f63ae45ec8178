// Package did is MVS digital identities (DIDs, "avatars", MIP-11/12): the chain's rules for
// registering and transferring them and for attachments addressed to or from one, their
// resolution, and identity proofs that let a service log a DID holder in.
//
// Use:
//
//   - Validation: CheckTx(t, prevOuts, height, params, registry) applies the node's DID rules
//     to a transaction of the block at height, against the registry's state after the block
//     before it; Block refuses two DID outputs of one symbol or one address in a block, and
//     Pool does the same for a memory pool, where a DID also may not be moved while
//     payments name it.
//     Every rule has its own error (ErrSymbolExists, ErrAddressHasDID, ErrToDID, ...), matched
//     with errors.Is; a failing registry gives ErrRegistry wrapping its cause.
//     The registration fee is the miner's policy, not consensus: asset.CheckSpecialFees.
//   - State: Registry is the read-only view validation and resolution need (package chain
//     implements it over its store). Memory is one in memory, fed with confirmed
//     transactions (Apply, Rewind), for tests and for explorers indexing a range of blocks.
//   - Resolution: Resolve, AddressOf, SymbolOf and History answer "who is alice at height h",
//     "whose is this address", and "how did alice move", with ErrNotFound when nothing is.
//   - Identity proofs: a service calls NewChallenge (its domain, the claimed symbol, a random
//     nonce, an expiry) and remembers the nonce; the holder calls Sign with the DID's key;
//     the service's Verifier.Verify checks domain, symbol, expiry, signature, that the key's
//     hash160 is the P2PKH address the DID is bound to at the height given, and (last) that
//     the nonce is fresh. DIDs bound to P2SH (multisig) or burn addresses cannot log in
//     (ErrUnsupportedAddress). A proof travels as bytes (MarshalBinary) or base64url text.
//   - Login with a wallet's message signature: Logins issues a LoginChallenge (domain,
//     random nonce, issue and expiry times) whose Text the holder signs with SignLogin, in
//     the reference's message-signing format (libbitcoin's sign_message: a 65-byte
//     recoverable signature over the double SHA-256 of varstr("Bitcoin Signed Message:\n")
//     | varstr(text), base64 on the wire), so any wallet that signs messages can log in.
//     Logins.Verify refuses another domain (ErrDomain), a challenge it did not issue or
//     already saw (ErrNonce: each is used once, whatever the outcome), an expired one
//     (ErrExpired), then VerifyLogin recovers the signer's key and compares its hash160
//     with the address the DID is bound to NOW, as a Resolver says (package did/resolvers:
//     a node's getdid or a chain store; RegistryResolver; ResolverFunc): a key the DID had
//     before a transfer is refused (ErrKeyMismatch).
//
// # Proof format
//
// A proof signs, with ECDSA over secp256k1 and a DER signature, the double SHA-256 of
//
//	"MVS DID identity proof v1\n" | varstr domain | varstr symbol | nonce (32) | u64LE expiry (Unix seconds)
//
// The prefix keeps a proof from ever being a transaction signature: a transaction's
// signature preimage starts with its u32 version, and these bytes read as version
// 0x2053564d, which no transaction may have. Its binary form appends varbytes public key
// (33, compressed) and varbytes signature; only the canonical encoding decodes.
//
// # Rules, and where they come from
//
// The reference node (mvs-org/metaverse, validate_transaction.cpp) is followed, quirks
// included:
//
//   - A DID output's attachment address must be the text of its script's address; a
//     script without one reads as the burn address's text, as the node's empty address
//     encodes to it.
//   - A registration's symbol is 1–64 of [A-Za-z0-9.@_-], and outside testnet rules
//     (p.TestnetRules) its upper case contains no banned word (so "DID" is banned); it is
//     not an address of the network, a stealth address or the burn address.
//   - A registration needs a free symbol, an address without a DID and an input spending a
//     plain ETP output (attachment type 0: a message output does not count) of that
//     address. A transfer needs exactly two inputs, the DID's output and such an ETP output
//     of the new address, which must have no DID; its other outputs may only be ETP and
//     messages. One DID output per transaction.
//   - With attachment version 207, a non-empty to_did must be the DID of the output's
//     address, a non-empty from_did the DID of some input's address, and an asset issue's
//     issuer or a certificate's owner must equal to_did (even when to_did is empty).
//   - Spent DID, asset and MIT outputs share one symbol. A transaction may spend a DID's
//     output without creating one: the DID stays bound to its address but can never be
//     transferred again, so a wallet must not spend DID outputs as change.
//   - The node's database starts with the DID BLACKHOLE bound to the burn address at height
//     2^32−1 (BlackholeBinding); so the burn address already has a DID, and a block may
//     register "BLACKHOLE" (its registration height is not below the block's).
//
// The rules are consensus as the node validates blocks. The registration fee (1 ETP, 20%
// to the miner) is enforced only by the node's own miner, with the asset issue fee, and is
// asset.CheckSpecialFees.
package did

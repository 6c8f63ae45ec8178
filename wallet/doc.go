// Package wallet derives MVS keys and addresses, reads and writes keystores, selects coins,
// builds every kind of MVS transaction and signs them offline.
//
// Keys. Mnemonics are BIP39 (24 words by default, entropy from crypto/rand; the reference
// node's clock-seeded mt19937 is never imitated), seeds use an empty passphrase as every MVS
// wallet does, and address i is the P2PKH address of the non-hardened BIP32 child m/i (the
// full node, the light wallet and the JS/TS libraries all derive so; none uses BIP44).
// go-bip32 provides master keys and xprv/xpub serialization. Derivation is BIP32 composed
// from btcec: addresses come from the master public key (CKDpub), so a watch-only Account
// (an exchange's deposit service holding only the xpub) derives them, and PrivateKey is
// CKDpriv on secp256k1 scalars, microseconds where go-bip32's math/big takes milliseconds;
// both are checked against go-bip32 and every published BIP32 vector. The node writes
// Bitcoin's mainnet "xpub" on every network, so an xpub cannot be tied to one network: it
// opens with MainNet and TestNet alike. Only the JS library's testnet "tpub" is refused on
// mainnet (ErrExtendedKeyNetwork); malformed keys (BIP32 test vector 5) are ErrExtendedKey,
// and a zero Account or nil Params is ErrNoParams from every method.
//
// Deposits. Crediting every output whose Script.Address is a deposit address credits money
// that cannot be spent yet (deposit-, sequence- and attenuation-locked outputs, immature
// coinbases) and money anyone can take (output scripts shaped like inputs). A
// DepositScanner, from a labelled address list or an account with a gap limit, returns
// each Credit of a transaction or block: output, owner, ETP value, the MST, certificate,
// MIT or DID it carries, and its Lock with unlock heights; Credit.SpendableAt says when all
// of it can be spent.
//
// Keystores. ReadLightWalletKeystore reads the JSON backup that the node's dumpkeyfile and
// the light wallet write (OpenSSL "Salted__" AES-256-CBC with MD5 EVP_BytesToKey);
// DecryptNodeMnemonic reads the node's at-rest AES-256-ECB blob. Both are weak and are read
// only, to migrate. WriteKeystore/ReadKeystore are our format: argon2id and
// XChaCha20-Poly1305 with the header as associated data, versioned; a wrong password is
// ErrWrongPassword.
//
// Coins and builders. SelectCoins takes the fewest inputs, avoids dust change, and never
// funds ETP with asset-carrying outputs, immature coinbases or unexpired locks (see its
// documentation for the strategy and the comparison with the reference's first-fit).
// Builder assembles ETP sends, messages, burns, deposits, asset issue, secondary issue
// (with the issuer's share shown as consensus computes it) and transfer (also locked under
// an attenuation model), DID register and transfer, MIT register and transfer, certificate
// issue and transfer, and P2SH multisig spends; each returns an Unsigned.
//
// Offline signing. Unsigned is the transaction plus the outputs it spends and any redeem
// scripts, serialisable as JSON, so a machine with no chain access signs it (Sign, with a
// KeySource such as an Account's keys or WIF imports). Multisig signers each add partial
// signatures; Combine checks each before merging (only SIGHASH_ALL is taken from others) and
// the input is assembled once m are present. Every input completed is verified with the
// consensus interpreter. The signature hash does not cover spent values, so previous
// transactions travel with the object and Sign requires them (below).
//
// Safety for custodial use (the builders and the offline object refuse, with named errors,
// what would silently lose money):
//   - Addresses: every address a builder pays (payments, recipients, change) must be valid
//     (ErrZeroAddress), not the blackhole (ErrBlackholeAddress: only Burn burns) and of the
//     Builder's network (*AddressNetworkError, errors.Is mvs.ErrAddressNetwork). The
//     version byte cannot tell everything apart: P2SH is 0x05 on mainnet, testnet and
//     regtest, and testnet and regtest share P2PKH 0x7f.
//   - Fees: at least the consensus 10,000 satoshi and, for an asset issue or DID
//     registration, the reference miner's 10 ETP / 1 ETP with 20% to the miner
//     (ErrFeeTooLow); at most Builder.MaxFee, default DefaultMaxFee = 1 ETP, unless
//     AllowHighFee (ErrFeeTooHigh). A Builder without Params or TipHeight returns
//     ErrNoParams or ErrNoTipHeight from every method.
//   - Funds: an *InsufficientFundsError lists the coins left out per SpendReason (too few
//     confirmations, immature coinbase, locks, …) and names the main one.
//   - Proofs: build from coins that carry the transaction that made them (CoinFromTx, or
//     Coin.PrevTx); the builder attaches them, and Sign, SignWithAccount and Fee refuse an
//     input no attached transaction proves (ErrUnprovenPrevOut) unless the signer sets
//     Unsigned.AllowUnprovenPrevOuts, which is never serialised.
//   - Readable JSON: loading an Unsigned checks every readable field (tx_readable, ASM,
//     addresses, amounts) against the raw bytes (ErrReadableMismatch).
//   - Keys: coins may carry their key origin (Account.Origin: fingerprint and m/i, printed
//     "fingerprint/m/i" as PSBT paths are); the Unsigned records it, and SignWithAccount
//     derives exactly those keys, checking each against the output it spends
//     (ErrOriginKeyMismatch) and the account's fingerprint (ErrOriginFingerprint). A
//     single-key input the signer has no key for is a *MissingKeyError (ErrMissingKey)
//     naming its address and origin; a multisig input short of signatures only waits.
package wallet

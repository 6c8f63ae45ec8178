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
// Transactions: CheckTx(t, bc, view, reg) applies the node's validate_transaction to a
// non-coinbase transaction of the block at bc.Height and returns its fee. The view (a
// UTXOView) resolves its inputs, and reg carries the asset and DID registries. The rules run
// in the node's order: version; tx.CheckSanity; deposit spends and outputs; sequence-lock
// outputs; lock time; BIP68 relative locks with MVS's masks; the asset, certificate and MIT
// rules (package asset); the DID rules (package did); attenuation models; then each input
// (exists, value, coinbase maturity, script) and the fee (at least MinTxFee; exactly 0 for a
// coinstake). ErrAssetRule, ErrDIDRule, ErrAttenuation, ErrTxSanity and ErrScript also match
// the judging package's error (errors.Is(err, asset.ErrAssetAmount)), and errors.As finds a
// *ScriptError naming the failing input. Any other error (ErrLookup, ErrTxContext,
// ErrNoAncestor) means the transaction could not be judged, not that it is invalid. To
// connect a block, call CheckTxDeferScripts for each transaction in order, then
// VerifyScripts once: it checks every input script over GOMAXPROCS workers with bounded
// memory and reports the first failing input in block order; ScriptOptions.AssumeValid skips
// the scripts of history the caller trusts (as bitcoind's -assumevalid).
//
// Where this departs from the node, on purpose: the "current height" the node reads for the
// version and deposit rules is its tip, here the block's parent (the same when extending
// the tip; for a side chain the node reads its main chain's tip, which no pure function can
// reproduce); time locks read the branch's own headers.
//
// Blocks: CheckBlockContext(blk, bc, view, fees, lookups) applies the block rules that
// need the chain, after block.Check and CheckHeader: the PoS stake (CheckStake: the
// coinstake, the capability lock, the stake's value and age, the kernel), the first PoS
// block's genesis transaction, each deposit matched by its interest coinbase
// (CoinageReward, in the node's doubles), the coinstake's zero fee, the coinbase at most
// block.Subsidy plus the fees CheckTx returned, an MST mining reward at most MSTSubsidy,
// and no symbol or DID address registered twice in the block. lookups holds the two
// queries the store answers (an address's stake locks, a mining asset's height and
// certificate). The node lets unmatched interest coinbases through (its count check cannot
// fail), and so does this package; ExtraCoinbases counts them for a monitor.
//
// Block connection: New(Config{Params, Store, State: NewStoreState(store, params), Seal:
// verifier}) gives a *Chain over an opened store, of which it is the only writer.
// ProcessBlock(ctx, blk, raw) judges a block and returns a Result whose Verdict is MainChain,
// SideChain, Orphan (parent unknown: held, bounded by MaxOrphans and MaxOrphanBytes, oldest
// evicted, connected when the parent arrives), Duplicate or Invalid (Result.Err is the
// *RuleError, also returned as the error). Any other error means the block could not be
// judged and may be passed again. The main chain switches only to a branch with strictly more
// work (the sum of bits). A reorganisation validates each branch block fully; if one is
// refused, it and its descendants are marked invalid and the old chain is reconnected. A
// branch leaving the main chain below a checkpoint is refused (ErrForkBelowCheckpoint).
// Side-chain bodies are held in memory (MaxSideBlocks, MaxSideBytes); Result.Missing names
// those to fetch again after eviction or a restart. ProcessHeaders stores checked headers
// ahead of their bodies (header-first sync); Config.AssumeValid then skips the scripts of the
// assumed-valid block and its ancestors. Subscribe(buffer) returns a Subscription whose
// Events() delivers Connected and Disconnected events in order: a reorganisation is its
// disconnections (tip first), then its connections; one rolled back is not delivered. A
// subscriber whose buffer fills is closed with Err() == ErrSubscriberLagged: resync from
// the store. Never silently skipped.
//
// Registry state: NewStoreState(s, p) is the State over a store.Store. Registries() gives
// an asset.Registry and a did.Registry, Lookups() the stake and mining queries of the block
// rules; RecordWrites(blk, height, view) the records connecting blk writes (assets with
// their supply, certificates, MITs, DID bindings, a history entry per registry output, and
// holders: each address's quantity of each asset in unspent outputs), which DisconnectTip
// undoes. Explorers read the same state with Asset, Cert, MIT, DID, Holders, HoldersPage,
// Holding and History. Records carry a version byte; one from another program is
// ErrBadRecord, never a wrong value.
//
// Research: package chain/regtest makes a private RegTest chain in one call (real store,
// chain, seals and wallet) for testing a rule in a few lines.
//
// Queries: NewQueries(store, params) answers what an exchange and an explorer ask, each
// answer read from one store snapshot (registry records included) and naming the tip it was
// read at: Balance (ETP and each asset, split into spendable, immature, deposit-locked,
// sequence-locked, attenuation-locked and unspendable; an attenuation lock's released part
// counts as spendable; it streams the outputs, in constant memory), UTXOs with
// confirmations and lock state and Coins (proven wallet coins for the builders), both also
// paged by cursor for addresses with many outputs (UTXOsPage, CoinsPage), History (paged
// by cursor), Tx with height and confirmations,
// Headers, Asset with its holders (paged), Certs, MIT and MITsOf, DID and DIDOf with
// history. Blocks of an open batch appear once flushed.
//
// mvs-cli chain drives all of this from the command line: import (resumable), the queries,
// check-tx (a withdrawal judged against the tip as a block would judge it) and verify.
//
// Import: BeginImport opens a store batch (btcd's utxocache is the model) so that initial
// sync commits once per Options.CacheBytes of changes instead of once per block, headers
// included; a reorganisation commits before it disconnects, and EndImport or Close commits
// the rest. A crash loses at most the blocks since the last commit, never part of one, and
// the importer resumes from Tip. Events wait for durability: a subscriber hears of a block
// only once it is committed, so a crash can never take back a block it was told of without a
// Disconnected event.
//
// Templates: NewPoWTemplate builds an unsealed PoW block on a parent as the reference miner
// does (BIP34 coinbase with a tag, deposit-interest coinbases, the required bits). It lives
// here rather than in the node, where the package map puts mining, because the research
// harness (chain/regtest) and the node both build blocks and the rules a template must meet
// are this package's; sealing and scheduling stay in the node (examples/node/miner).
// CheckTxAtTip judges a transaction against the store's tip as the next block would.
package chain

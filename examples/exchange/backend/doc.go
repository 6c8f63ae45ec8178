// Package backend is an exchange's deposit-and-withdrawal service on MVS, built on the SDK:
// it follows a node over JSON-RPC (woken by its push channel), credits deposits after N
// confirmations and reverses them when a reorganization removes them, builds withdrawals
// for an offline signer and tracks them until confirmed, with its ledger in SQLite or
// PostgreSQL through database/sql.
//
// Use:
//
//	st, err := backend.OpenSQLite(ctx, "exchange.db")          // or OpenPostgres(ctx, dsn)
//	watch, err := wallet.NewWatchOnlyAccount(xpub, mvs.MainNet()) // the hot side holds no key
//	node, err := rpcclient.New("http://127.0.0.1:8820", rpcclient.Options{PushURL: "ws://127.0.0.1:8821"})
//	svc, err := backend.New(ctx, backend.Config{Store: st, Node: node, Account: watch, Confirmations: 6})
//	addr, index, err := svc.DepositAddress(ctx, "alice")        // m/index, recorded in SQL
//	go svc.Run(ctx, wake)                                       // wake: push height events
//	w, err := svc.RequestWithdrawal(ctx, backend.WithdrawalRequest{ID: "w-1", User: "alice", To: dest, Amount: amt})
//	signed, err := backend.Sign(w.Unsigned, coldAccount, maxFee) // on the signing machine
//	w, err = svc.SubmitSigned(ctx, w.ID, signed)                // checked, broadcast, tracked
//	sw, err := svc.RequestAssetSweep(ctx, "s-1", "GOLD", 0)       // (or RequestSweep: ETP) to the signer too
//	problems, err := backend.Problems(ctx, st)                  // stuck, conflicted, reversed, ...
//
// Keys. The service takes a watch-only account (New refuses one with private keys,
// ErrPrivateKey). Deposit address i is m/i, handed out in order from SQL; the deposit
// scanner (wallet.DepositScanner) watches them plus Config.GapLimit more. The hot wallet is
// m/HotIndexBase … of the same xpub, far from the deposit range. The signer (Sign, the
// exchange command's "sign") holds the mnemonic or keystore; it checks the unsigned
// transaction's readable fields and every input's value against its previous transaction
// (which the service attaches), refuses a fee above its cap, and signs exactly the keys the
// recorded origins name.
//
// The chain walk. Sync reads blocks by height and stores each one's hash. A block whose
// parent is not the stored tip, or a stored tip the node no longer has at that height, is a
// reorganization: the tip is disconnected (its credited deposits reversed by a ledger entry
// each, its other deposits orphaned, the withdrawals it mined back to sent, those it
// conflicted active again) and the walk goes on from the parent. A node below the ledger's
// tip is compared at its own height: the same block, it is still syncing and is waited for;
// another, the ledger's blocks above the fork are disconnected at once (a branch with more
// work in fewer blocks). Each connect and each
// disconnect is one SQL transaction holding the block row (the cursor) and every row it
// changes, so a crash at any point (kill -9 included) leaves a ledger that a restart
// continues: nothing is credited twice. Ledger entries are keyed by their event
// ("credit:txid:vout:asset:n", "reversal:…", "withdrawal:id:asset"), so the same event cannot be
// booked twice even by a bug; balances are updated in the same transaction and Problems
// checks them against the ledger's sums. A reorganization deeper than MaxReorgDepth stops
// the service (ErrReorgTooDeep) for an operator.
//
// Deposits. An output to a deposit address is pending until Confirmations blocks deep, then
// credited: ETP as AssetETP, an MST as AssetMST(symbol), both when an output carries both.
// Locked outputs (deposit, sequence, attenuation), certificates, MITs, DIDs, coinbases,
// addresses never handed to a user, amounts above 2^63-1 and credits that would carry the
// user's balance past 2^63-1 (anyone can issue an MST of 2^64-1 units) are recorded with
// their status and never credited. An output first seen paying an address no user had
// stays no one's when a reorganization mines it again after the address was handed out.
//
// Withdrawals. RequestWithdrawal debits the user (ETP amount plus fee, or an MST quantity
// and the ETP fee) and builds the transaction with wallet.Builder (Send or SendAsset) from
// the hot wallet's coins (read from the node with their previous transactions, less those
// an open withdrawal holds), in one SQL transaction. SubmitSigned refuses a transaction
// that differs from the built one in anything but its signatures, or whose signatures do
// not verify (ErrSignedMismatch). Then the withdrawal is sent, mined and confirmed after
// Confirmations blocks; stuck when not mined after StuckAfter blocks; conflicted when
// another transaction in the chain spends one of its inputs; rejected when the node refused
// it and does not hold it (refused because it already holds it, a first answer lost, it is
// sent). Those are reported (Problems), not refunded: an operator decides (a stuck one is
// sent again by submitting the same signed transaction); so is one still
// unsigned DefaultStuckAfter blocks after it was built. A withdrawal's transaction is
// recognized by its content as well as its txid, so one mined under another txid
// (malleated signatures, or signed and broadcast outside SubmitSigned) is mined, not
// conflicted. CancelWithdrawal refunds one never submitted signed, or one whose conflict is
// Confirmations deep; should its transaction be mined all the same (signed before the
// cancel and broadcast by hand, or a deeper reorganization), it is mined and the refund
// taken back. RequestSweep moves credited ETP deposits from their addresses to the
// hot wallet through the same signer and tracking, debiting no one; RequestAssetSweep an
// MST's credited deposits (the fee from the hot wallet's ETP).
//
// Trust. The node is trusted for what the chain holds: the service does not check proof of
// work or signatures of the blocks it reads, so a lying node can make it credit a deposit
// that is not on the network's chain (run it against your own node, not a public one, and
// several nodes' agreement is the operator's to add). Within that, the node's answers are
// checked against themselves and the ledger: a block must have the height asked, hold the
// transactions its header commits to (merkle root, none twice) and link to the stored
// parent, a transaction must hash to its id, a coin's value is read from its
// previous transaction (not the node's UTXO list), the signer's transaction must be the
// built one, and an output seen again in another live block stops the service
// (ErrDuplicateDeposit). The signer trusts only what it can prove from the unsigned JSON:
// inputs against their previous transactions, the fee against its cap; it does not know
// which destinations the exchange meant, so the hot service that builds withdrawals must be
// guarded as the one that decides them.
//
// SQL. One schema for both databases (portable types, ON CONFLICT upserts; placeholders are
// rewritten for PostgreSQL), versioned migrations in schema_migrations. SQLite runs in WAL
// mode with synchronous=FULL and immediate write transactions, so several processes (the
// service and the command's address or withdraw) can share the file. Several services may
// walk one ledger: each block's transaction locks the scan cursor (the blocks table on
// PostgreSQL, the database on SQLite) and checks the tip it builds on, so a walker whose
// view is stale retries instead of stacking a block on a disconnected parent.
package backend

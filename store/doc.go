// Package store keeps MVS chain state in one bbolt file: the UTXO set, the main chain's
// blocks, a transaction index, undo data, the registries (assets, certificates, MITs, DIDs)
// as keyed records, and an address index. It is persistence without rules: it never decides
// whether a block is valid. Package chain validates and then calls it; nothing else in the
// SDK touches bbolt.
//
// Use:
//
//	s, err := store.Open(path, store.Options{Params: mvs.MainNet()})
//	defer s.Close()
//	// chain has validated blk (raw bytes raw) at height h on top of the tip; its header
//	// (PutHeader) gets its status in the same transaction:
//	err = s.ConnectBlock(&store.BlockUpdate{Block: blk, Raw: raw, Hash: blk.Hash(), Height: h,
//		Records: writes, Status: store.StatusHasBody | store.StatusValid})
//	// initial sync commits many blocks at once; s.UTXO and s.Record see the batch:
//	err = s.BeginBatch()
//	for ... { err = s.ConnectBlock(u) }
//	err = s.Flush()
//	// a side-chain block's body waits here for its branch to win:
//	err = s.PutSideBlock(hash, raw)
//	// a reorganisation undoes blocks one by one; each body moves to the side bodies:
//	blk, err = s.DisconnectTipStatus(store.StatusHasBody | store.StatusValid)
//	raw, ok, err := s.SideBlock(hash) // a branch block's body, to connect it
//	// readers take a consistent snapshot:
//	err = s.View(func(sn *store.Snapshot) error {
//		e, err := sn.UTXO(op)
//		page, next, err := sn.History(addr, nil, 50)
//		us, next, err := sn.UnspentPage(addr, nil, 500) // an address's outputs, a page at a time
//		next, err = sn.ForEachUnspent(addr, nil, math.MaxInt, func(u *store.UnspentView) error {
//			total += u.Value // read in place: u.Script and u.Attachment die when fn returns
//			return nil
//		})
//		...
//	})
//
// A new file is stamped with SchemaVersion, the network's magic and genesis hash, and
// whether it keeps the address index, and gets the genesis block connected (its outputs are
// spendable on MVS). Opening a file of another schema (ErrSchemaVersion), network
// (ErrWrongNetwork) or index choice (ErrAddressIndexMismatch) is refused, never misread.
//
// ConnectBlock walks the transactions in order: each non-coinbase input removes the entry
// it spends (a missing one refuses the whole update with ErrMissingOutput, naming the
// outpoint in an *OutPointError), then each output becomes an Entry, so a spend of an
// output created earlier in the same block works. Block, tx index, main-chain height, undo,
// records, address index and tip are written in one bbolt transaction. The parent must be
// the tip (ErrNotTip). DisconnectTip is the exact inverse but for the body, which it moves
// to the side bodies in the same transaction (a crash in the middle of a reorganisation
// loses no body): afterwards Digest is what it was before the connect. Refused updates
// change nothing.
//
// Digest covers every bucket but the side bodies: which forks a node saw is not chain
// state, so a store that went through reorganisations digests as one that imported the
// winning chain directly, given the same header records.
//
// Batched import, on the model of btcd's utxocache: after BeginBatch, ConnectBlock applies
// to an in-memory overlay and Flush (or the overlay passing Options.CacheBytes, or Close)
// writes it all, tip included, in one transaction. An entry created and spent between two
// flushes never reaches the disk. A crash loses the blocks since the last flush and nothing
// else: the file is always at a flush boundary, and the importer resumes from Tip. While a
// batch is open the Store's own reads (Tip, HashAt, UTXO, UnspentByAddress, Record, Records,
// Header, TxLocation, Tx, SideBlock) see the overlay, which is what validation needs; View,
// Digest, Check and Stats see only what was committed. PutHeader and SetStatus join the
// batch (one commit per batch, not per header); PutSideBlock and DeleteSideBlock commit at
// once. Pending counts the blocks a crash would lose now.
//
// A failed write (disk full, I/O error) returns an error wrapping ErrWrite; the file stays at
// its last commit and the Store refuses every further write until it is reopened.
//
// Layout (keys big-endian where they sort):
//
//	meta         schema, network (magic | genesis hash), addrindex, tip (hash | height)
//	headers      block hash -> 148-byte header | height | cumulative work (32) | status
//	main         height -> hash of the main-chain block
//	blocks       hash -> raw block as received
//	txindex      txid -> height | position | byte offset | size in the raw block
//	utxo         txid | index -> flags | varint height | varint value | script | attachment
//	undo         hash -> spent entries with outpoints | prior values of overwritten keys
//	addrhistory  version | hash160 | height | position | txid -> ""
//	addrutxo     version | hash160 | txid | index -> ""
//	rec-<kind>   one bucket per Kind: key -> value
//	side         hash -> raw block of a side-chain body (not in Digest)
//
// Design notes: choices the chain-state design left open, and where this package departs
// from it, with the reason.
//   - Every output gets an entry, unspendable ones (a burn to the blackhole, the
//     coinstake's empty first output) included: deciding spendability is a rule. The
//     genesis outputs are entries too, since MVS spends its genesis coins.
//   - The address index covers what script.Script.Address names (P2PKH, P2SH, the burn
//     address, the P2PKH inside lock scripts), keyed by version byte and hash160; bare
//     multisig, null data and non-standard scripts have no address and are not indexed.
//   - Header records are chain's: PutHeader writes them (only the genesis header is written
//     at creation, with its own difficulty as its work) and they are not undone by
//     DisconnectTip: headers stay known. A status is best set with the block it describes,
//     BlockUpdate.Status and DisconnectTipStatus, in the same transaction (in a batch, the
//     same flush). PutHeader and SetStatus commit at once even inside a batch, so after a
//     crash a status set that way may run ahead of the tip: the tip is what was connected.
//   - The blocks bucket holds main-chain bodies, the side bucket the others: DisconnectTip
//     moves a body from one to the other, ConnectBlock moves it back, PutSideBlock adds
//     one and DeleteSideBlock forgets one; a body is never in both (Check verifies it).
//     Side bodies are kept until chain deletes them: the store does not know which forks
//     are dead.
//   - Undo keeps prior values only for record keys and for a tx-index key that already
//     existed (a duplicate txid); the index keys a block adds are recomputed from the block
//     on disconnect, which keeps undo records to the spent entries and record writes.
//   - An output whose outpoint is already unspent is refused (ErrDuplicateOutput) rather
//     than overwritten, since the overwrite could not be undone; a block listing one
//     transaction twice is refused as ErrBadUpdate.
//   - The tx index stores the byte range of each transaction, so Tx decodes one transaction,
//     not its block.
//   - The writer's reads that see an open batch are Tip, HashAt, UTXO, UnspentByAddress,
//     Record, Records, Header, TxLocation, Tx and SideBlock; History exists only on
//     Snapshot and sees committed state, as do UnspentPage and ForEachUnspent.
//     Store.UnspentByAddress in a batch scans the batch's pending address-index changes,
//     so its cost grows with the batch.
//   - An address's outputs page by an outpoint cursor that names the address, so a
//     cursor of one address is refused for another (ErrBadRequest) rather than read as a
//     position in it; ForEachUnspent reads each entry in place and copies nothing, so a
//     balance over any number of outputs needs constant memory.
//   - Stats (bucket sizes) is an addition, for benchmarks and operators.
package store

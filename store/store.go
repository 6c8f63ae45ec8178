package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/tx"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Options configure Open.
type Options struct {
	// Params is the network; required. Its magic and genesis hash are stamped into a new
	// file and checked on every later open.
	Params *mvs.Params
	// Logger receives flush and open messages; nil discards them.
	Logger *slog.Logger
	// NoAddressIndex leaves out the address history and unspent-by-address index. The
	// choice is stamped into a new file; opening it with the other choice is refused.
	NoAddressIndex bool
	// CacheBytes caps the memory of a batch: its overlay (UTXO changes, pending blocks,
	// undo and index writes) plus the file pages its commit will copy (a page per entry, at
	// most the whole file); passing it flushes. Zero means DefaultCacheBytes.
	CacheBytes int
	// NoSync skips fsync on commit. For tests only: a power loss can then lose or
	// corrupt committed blocks.
	NoSync bool
}

// DefaultCacheBytes is the batch overlay cap when Options.CacheBytes is zero.
const DefaultCacheBytes = 256 << 20

// lockTimeout is how long Open waits for another holder of the file's lock.
const lockTimeout = 500 * time.Millisecond

// Store is the chain state in one bbolt file. Its methods are safe for concurrent use:
// writes are serialized, and View snapshots run alongside them.
type Store struct {
	db         *bolt.DB
	params     *mvs.Params
	log        *slog.Logger
	addrIndex  bool
	cacheBytes int
	// pageSize and fileSize (as of the last commit) bound what a batch's commit holds in
	// memory (batchFull).
	pageSize, fileSize int

	mu          sync.Mutex // serializes writers and guards the fields below
	batch       *overlay   // pending writes while batching, else nil
	batchBlocks int        // blocks in batch
	failed      error      // the write failure that stopped this Store, wrapping ErrWrite
	closed      bool
}

// Open opens the store at path, creating it (with the network's genesis block connected)
// when the file does not exist or is empty.
func Open(path string, opts Options) (*Store, error) {
	if opts.Params == nil {
		return nil, ErrNoParams
	}
	s := &Store{params: opts.Params, log: opts.Logger, addrIndex: !opts.NoAddressIndex, cacheBytes: opts.CacheBytes}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.cacheBytes <= 0 {
		s.cacheBytes = DefaultCacheBytes
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: lockTimeout, NoSync: opts.NoSync})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("%w: %s", ErrLocked, path)
		}
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s.db = db
	// Checking an existing file is a read: opening it must not write (nor fail on a full
	// disk). Only a new file is laid out, in one write transaction.
	fresh := false
	s.pageSize = db.Info().PageSize
	err = db.View(func(btx *bolt.Tx) error {
		var err error
		fresh, err = s.check(btx)
		s.fileSize = int(btx.Size())
		return err
	})
	if err == nil && fresh {
		err = db.Update(s.layout)
	}
	if err != nil {
		db.Close()
		var r refused
		if errors.As(err, &r) {
			return nil, fmt.Errorf("%s: %w", path, r.err)
		}
		return nil, fmt.Errorf("%w: creating %s: %v", ErrWrite, path, err)
	}
	hash, height, _ := s.Tip()
	s.log.Info("store opened", "path", path, "network", s.params.Name, "tip", hash, "height", height)
	return s, nil
}

func (s *Store) networkStamp() []byte {
	b := binary.BigEndian.AppendUint32(nil, s.params.Magic)
	return append(b, s.params.GenesisHash[:]...)
}

func boolByte(v bool) []byte {
	if v {
		return []byte{1}
	}
	return []byte{0}
}

// check checks an existing file's stamps, or reports an empty one (fresh). What it finds
// wrong with the file is refused.
func (s *Store) check(btx *bolt.Tx) (fresh bool, err error) {
	if meta := btx.Bucket([]byte(bucketName(bMeta))); meta != nil {
		// The schema first: under another version nothing else may be read as ours.
		v := meta.Get([]byte(metaSchema))
		if len(v) != 4 {
			return false, refused{corrupt("meta has no schema version", nil)}
		}
		if got := binary.BigEndian.Uint32(v); got != SchemaVersion {
			return false, refused{fmt.Errorf("%w: file has version %d, this package reads %d", ErrSchemaVersion, got, SchemaVersion)}
		}
		if !bytes.Equal(meta.Get([]byte(metaNetwork)), s.networkStamp()) {
			return false, refused{fmt.Errorf("%w: the file is not a %s store", ErrWrongNetwork, s.params.Name)}
		}
		if !bytes.Equal(meta.Get([]byte(metaAddrIndex)), boolByte(s.addrIndex)) {
			return false, refused{fmt.Errorf("%w: file has address index %v, Options ask for %v", ErrAddressIndexMismatch,
				!s.addrIndex, s.addrIndex)}
		}
		for id := range numBuckets {
			if btx.Bucket([]byte(bucketName(id))) == nil {
				return false, refused{corrupt("missing bucket "+bucketName(id), nil)}
			}
		}
		return false, nil
	}
	if err := btx.ForEach(func([]byte, *bolt.Bucket) error {
		return refused{corrupt("bbolt file without a store's meta bucket", nil)}
	}); err != nil {
		return false, err
	}
	return true, nil
}

// layout creates the buckets and stamps of a new file and connects the genesis block. A
// genesis that does not decode is refused; a failing bbolt call is not.
func (s *Store) layout(btx *bolt.Tx) error {
	for id := range numBuckets {
		if _, err := btx.CreateBucket([]byte(bucketName(id))); err != nil {
			return err
		}
	}
	meta := btx.Bucket([]byte(bucketName(bMeta)))
	for k, v := range map[string][]byte{
		metaSchema:    binary.BigEndian.AppendUint32(nil, SchemaVersion),
		metaNetwork:   s.networkStamp(),
		metaAddrIndex: boolByte(s.addrIndex),
	} {
		if err := meta.Put([]byte(k), v); err != nil {
			return err
		}
	}
	gen, err := block.Genesis(s.params)
	if err != nil {
		return refused{fmt.Errorf("%w: %v", ErrBadUpdate, err)}
	}
	w := newOverlay(newBoltGetter(btx))
	if err := s.connect(w, &BlockUpdate{Block: gen, Raw: s.params.GenesisBlock, Hash: gen.Hash()}, true); err != nil {
		return refused{err}
	}
	rec := HeaderRecord{Header: gen.Header, Status: StatusHasBody | StatusValid}
	rec.Work = gen.Header.Bits // the genesis block's own difficulty is the work up to it
	gh := rec.Header.Hash()
	w.put(bHeaders, gh[:], rec.encode(), true)
	return w.writeTo(btx)
}

// Close flushes a pending batch and closes the file.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	var err error
	if s.batch != nil && s.failed == nil {
		err = s.flushLocked()
	}
	s.batch = nil
	s.closed = true
	return errors.Join(err, s.db.Close())
}

// writable reports why writes are refused, if they are.
func (s *Store) writable() error {
	if s.closed {
		return ErrClosed
	}
	if s.failed != nil {
		return fmt.Errorf("%w: an earlier write failed; reopen the store (%v)", ErrWrite, s.failed)
	}
	return nil
}

// refused marks an error of the caller or of stored data found before anything was written:
// the transaction rolls back and the Store stays usable.
type refused struct{ err error }

func (r refused) Error() string { return r.err.Error() }

// update runs fn in a write transaction. An error fn returns as refused passes through;
// any other failure (a Put, the commit, fsync) stops the Store: the file is at its last
// commit, and only a reopen can tell what state the mapping and free list are in.
func (s *Store) update(fn func(*bolt.Tx) error) error {
	err := s.db.Update(func(btx *bolt.Tx) error {
		if err := fn(btx); err != nil {
			return err
		}
		s.fileSize = int(btx.Size())
		return nil
	})
	if err == nil {
		return nil
	}
	var r refused
	if errors.As(err, &r) {
		return r.err
	}
	s.failed = err
	s.batch = nil
	s.log.Error("store write failed; refusing further writes", "err", err)
	return fmt.Errorf("%w: %v", ErrWrite, err)
}

// ConnectBlock connects u on top of the tip: spends, new outputs, block, tx index,
// main-chain height, undo, records, address index, tip and (with u.Status) the header's
// status, atomically; a side body of the block is dropped, the block's body being kept
// on the main chain. Outside a batch it commits one write transaction; inside one it lands
// in the overlay (see BeginBatch). A refused update (ErrNotTip, ErrMissingOutput,
// ErrDuplicateOutput, ErrBadUpdate, ErrNotFound for a status without a stored header)
// changes nothing.
func (s *Store) ConnectBlock(u *BlockUpdate) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.writable(); err != nil {
		return err
	}
	if s.batch != nil {
		return s.connectBatched(u)
	}
	return s.update(func(btx *bolt.Tx) error {
		w := newOverlay(newBoltGetter(btx))
		if err := s.connect(w, u, false); err != nil {
			return refused{err}
		}
		if err := w.writeTo(btx); err != nil {
			return err
		}
		if u.BeforeCommit != nil {
			if err := u.BeforeCommit(); err != nil {
				return refused{err}
			}
		}
		return nil
	})
}

func (s *Store) connectBatched(u *BlockUpdate) error {
	var err error
	viewErr := s.db.View(func(btx *bolt.Tx) error {
		s.batch.parent = newBoltGetter(btx)
		defer func() { s.batch.parent = nil }()
		w := newOverlay(s.batch)
		if err = s.connect(w, u, false); err == nil && u.BeforeCommit != nil {
			err = u.BeforeCommit()
		}
		if err == nil {
			w.mergeInto(s.batch)
			s.batchBlocks++
		}
		return nil
	})
	if viewErr != nil {
		return fmt.Errorf("store: reading: %w", viewErr)
	}
	if err != nil {
		return err
	}
	if s.batchFull() {
		return s.flushLocked()
	}
	return nil
}

// batchFull reports whether the batch has reached CacheBytes, counting what its commit
// will hold as well as the overlay: bbolt reads every leaf page a write touches into a node
// (an element per key on the page) and copies it into a new page when it commits; keys
// spread over a B+tree (transaction ids, block hashes, addresses) touch a page each, up to
// the whole file; and when the file outgrows its mapping, bbolt copies the dirty keys and
// values once more. Three pages a key is that cost, as a heap profile of an import showed.
// Without it, a 64 MiB overlay of scattered keys committed with hundreds of MiB of dirty
// pages.
func (s *Store) batchFull() bool {
	dirty := 3 * min(s.batch.keys*s.pageSize, s.fileSize)
	return s.batch.size+dirty > s.cacheBytes
}

// BeginBatch starts batched import: ConnectBlock then applies blocks to an in-memory
// overlay, and Flush (or the overlay passing CacheBytes, or Close) writes them all with the
// tip in one transaction. A crash loses the blocks since the last flush, never more, and
// never leaves part of one: the file is always at a flush boundary.
//
// While a batch is open, the Store's own reads (Tip, HashAt, UTXO, UnspentByAddress,
// Record, Records, Header, TxLocation, Tx, SideBlock) see the overlay; View, Digest, Check
// and Stats see only what was committed.
func (s *Store) BeginBatch() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.writable(); err != nil {
		return err
	}
	if s.batch != nil {
		return ErrBatch
	}
	s.batch = newOverlay(nil)
	return nil
}

// Pending is the number of blocks connected in the open batch and not yet committed (0
// without a batch, and right after a flush): those a crash would lose. A caller holding
// back what it tells others until it is durable (chain's events) publishes once it is 0.
func (s *Store) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.batchBlocks
}

// Batching reports whether a batch is open.
func (s *Store) Batching() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.batch != nil
}

// Flush writes the batch and ends it. Without a batch it does nothing.
func (s *Store) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.writable(); err != nil {
		return err
	}
	if s.batch == nil {
		return nil
	}
	err := s.flushLocked()
	s.batch = nil
	return err
}

// flushLocked commits the batch and leaves an empty one in its place.
func (s *Store) flushLocked() error {
	if s.batch.empty() {
		return nil
	}
	start := time.Now()
	size, blocks := s.batch.size, s.batchBlocks
	if err := s.update(s.batch.writeTo); err != nil {
		return err
	}
	s.batch, s.batchBlocks = newOverlay(nil), 0
	s.log.Info("store flushed", "blocks", blocks, "bytes", size, "took", time.Since(start))
	return nil
}

// DisconnectTip undoes the tip block from its undo record, atomically, and returns it. The
// block's body moves to the side-chain bodies (SideBlock) in the same transaction; apart
// from that body, the store is then byte for byte what it was before that block was
// connected (Digest, which leaves side bodies out, is what it was). Inside a batch the
// batch is flushed first.
func (s *Store) DisconnectTip() (*block.Block, error) { return s.disconnectTip(nil) }

// DisconnectTipStatus is DisconnectTip that also replaces the status bits of the
// disconnected block's header record with st, in the same transaction (one commit instead
// of two, and no window in which the status says the block is on the main chain while it
// is not). A header that is not stored refuses it with ErrNotFound, unknown bits with
// ErrBadUpdate; either way nothing changes.
func (s *Store) DisconnectTipStatus(st Status) (*block.Block, error) {
	if st&^statusAll != 0 {
		return nil, fmt.Errorf("%w: unknown status bits %#x", ErrBadUpdate, st)
	}
	return s.disconnectTip(&st)
}

func (s *Store) disconnectTip(st *Status) (*block.Block, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.writable(); err != nil {
		return nil, err
	}
	if s.batch != nil {
		if err := s.flushLocked(); err != nil {
			return nil, err
		}
	}
	var blk *block.Block
	err := s.update(func(btx *bolt.Tx) error {
		w := newOverlay(newBoltGetter(btx))
		var err error
		if blk, err = s.disconnect(w, st); err != nil {
			return refused{err}
		}
		return w.writeTo(btx)
	})
	if err != nil {
		return nil, err
	}
	return blk, nil
}

// PutHeader stores a header record (a new header, or new work or status for a known one).
// Headers are not part of a block's undo: they stay known when blocks are disconnected.
// Without a batch it commits at once; inside one it joins the batch, so that an import
// costs one commit per batch, not one per header (a crash loses the header with the blocks
// since the last flush, and the importer fetches it again).
func (s *Store) PutHeader(rec HeaderRecord) error {
	if rec.Height != rec.Header.Height {
		return fmt.Errorf("%w: header record height %d, the header says %d", ErrBadUpdate, rec.Height, rec.Header.Height)
	}
	if rec.Status&^statusAll != 0 {
		return fmt.Errorf("%w: unknown status bits %#x", ErrBadUpdate, rec.Status)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.writable(); err != nil {
		return err
	}
	hash := rec.Header.Hash()
	return s.putHeaderLocked(hash, rec.encode())
}

// putHeaderLocked writes an encoded header record into the open batch, or commits it.
func (s *Store) putHeaderLocked(hash mvs.Hash, v []byte) error {
	if s.batch != nil {
		s.batch.put(bHeaders, hash[:], v, false)
		if s.batchFull() {
			return s.flushLocked()
		}
		return nil
	}
	return s.update(func(btx *bolt.Tx) error {
		return btx.Bucket([]byte(bucketName(bHeaders))).Put(hash[:], v)
	})
}

// SetStatus replaces the status bits of a stored header: committed at once without a
// batch, joining it inside one (as PutHeader).
func (s *Store) SetStatus(hash mvs.Hash, st Status) error {
	if st&^statusAll != 0 {
		return fmt.Errorf("%w: unknown status bits %#x", ErrBadUpdate, st)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.writable(); err != nil {
		return err
	}
	var rec HeaderRecord
	err := s.readLocked(func(g getter, _ *boltGetter) error {
		var err error
		rec, err = headerOf(g, hash)
		return err
	})
	if err != nil {
		return err
	}
	rec.Status = st
	return s.putHeaderLocked(hash, rec.encode())
}

// batchOver is the writer's view over committed: the open batch's overlay on it, or
// committed itself. done detaches the batch again; call it before committed's transaction
// ends.
func (s *Store) batchOver(committed *boltGetter) (g getter, done func()) {
	if s.batch == nil {
		return committed, func() {}
	}
	s.batch.parent = committed
	return s.batch, func() { s.batch.parent = nil }
}

func decodeHeaderRecordOrMissing(v []byte, hash mvs.Hash) (HeaderRecord, error) {
	if v == nil {
		return HeaderRecord{}, fmt.Errorf("%w: header %v", ErrNotFound, hash)
	}
	return decodeHeaderRecord(v)
}

// read runs fn over the writer's view, g: the overlay of an open batch over the committed
// state, which fn also gets alone.
func (s *Store) read(fn func(g getter, committed *boltGetter) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.readLocked(fn)
}

// readLocked is read for a caller holding s.mu.
func (s *Store) readLocked(fn func(g getter, committed *boltGetter) error) error {
	if s.closed {
		return ErrClosed
	}
	return s.db.View(func(btx *bolt.Tx) error {
		committed := newBoltGetter(btx)
		var g getter = committed
		if s.batch != nil {
			s.batch.parent = committed
			defer func() { s.batch.parent = nil }()
			g = s.batch
		}
		return fn(g, committed)
	})
}

// Tip is the hash and height of the tip, including blocks of an open batch.
func (s *Store) Tip() (mvs.Hash, uint32, error) {
	var h mvs.Hash
	var n uint32
	err := s.read(func(g getter, _ *boltGetter) error {
		var err error
		h, n, err = tipOf(g)
		return err
	})
	return h, n, err
}

// UTXO is the unspent entry at op, including changes of an open batch (this is the read
// chain validation uses).
func (s *Store) UTXO(op tx.OutPoint) (Entry, error) {
	var e Entry
	err := s.read(func(g getter, _ *boltGetter) error {
		var err error
		e, err = utxoOf(g, op)
		return err
	})
	return e, err
}

// Record is one record, including changes of an open batch.
func (s *Store) Record(kind Kind, key []byte) ([]byte, error) {
	var v []byte
	err := s.read(func(g getter, _ *boltGetter) error {
		var err error
		v, err = recordOf(g, kind, key)
		return err
	})
	return v, err
}

// Records pages through records as Snapshot.Records does, including changes of an open
// batch.
func (s *Store) Records(kind Kind, prefix, after []byte, limit int) ([]Record, error) {
	if err := checkRecordsRequest(kind, prefix, after, limit); err != nil {
		return nil, err
	}
	var out []Record
	err := s.read(func(_ getter, committed *boltGetter) error {
		var pending map[string]ent
		if s.batch != nil {
			pending = s.batch.m[kind.bucket()]
		}
		out = scanRecords(committed.bucket(kind.bucket()).Cursor(), pending, prefix, after, limit)
		return nil
	})
	return out, err
}

// Header is the stored record of a header.
func (s *Store) Header(hash mvs.Hash) (HeaderRecord, error) {
	var r HeaderRecord
	err := s.read(func(g getter, _ *boltGetter) error {
		var err error
		r, err = headerOf(g, hash)
		return err
	})
	return r, err
}

// TxLocation is where a main-chain transaction is, including blocks of an open batch.
func (s *Store) TxLocation(txid mvs.Hash) (TxLocation, error) {
	var l TxLocation
	err := s.read(func(g getter, _ *boltGetter) error {
		var err error
		l, err = txLocationOf(g, txid)
		return err
	})
	return l, err
}

// HashAt is the hash of the main-chain block at height, including blocks of an open batch.
func (s *Store) HashAt(height uint32) (mvs.Hash, error) {
	var h mvs.Hash
	err := s.read(func(g getter, _ *boltGetter) error {
		var err error
		h, err = hashAtOf(g, height)
		return err
	})
	return h, err
}

// UnspentByAddress lists the unspent outputs whose script pays addr, in outpoint order, as
// Snapshot.UnspentByAddress does, including changes of an open batch. In a batch its cost
// grows with the batch's pending address-index changes, which it scans. The list is all in
// memory; a snapshot's UnspentPage and ForEachUnspent read committed outputs a page at a
// time.
func (s *Store) UnspentByAddress(addr mvs.Address) ([]Unspent, error) {
	if err := s.addrQuery(addr); err != nil {
		return nil, err
	}
	var out []Unspent
	err := s.read(func(g getter, committed *boltGetter) error {
		var pending map[string]ent
		if s.batch != nil {
			pending = s.batch.m[bAddrUTXO]
		}
		var err error
		out, err = unspentOf(g, committed, pending, addr)
		return err
	})
	return out, err
}

// Tx reads a main-chain transaction from its block, including blocks of an open batch.
func (s *Store) Tx(txid mvs.Hash) (*tx.Tx, TxLocation, error) {
	var t *tx.Tx
	var l TxLocation
	err := s.read(func(g getter, _ *boltGetter) error {
		var err error
		t, l, err = txOf(g, txid)
		return err
	})
	return t, l, err
}

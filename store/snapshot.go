package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/internal/codec"
	"github.com/mvsgo/mvs/tx"
	bolt "go.etcd.io/bbolt"
)

// Snapshot is a consistent read-only view of the last committed state (one bbolt read
// transaction). It is valid only inside the function passed to View and is for one
// goroutine; values it returns are copies and outlive it.
type Snapshot struct {
	s   *Store
	btx *bolt.Tx
	g   *boltGetter
}

// View runs fn with a snapshot of the committed state. Blocks of an open batch are not in
// it until they are flushed. Long views hold old pages alive and delay the file's growth;
// keep them short, and never write through the Store from inside fn: a commit that must
// grow the file waits for fn's read transaction to end.
func (s *Store) View(fn func(*Snapshot) error) error {
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return ErrClosed
	}
	return s.db.View(func(btx *bolt.Tx) error {
		return fn(&Snapshot{s: s, btx: btx, g: newBoltGetter(btx)})
	})
}

// Tip is the committed tip's hash and height.
func (sn *Snapshot) Tip() (mvs.Hash, uint32, error) { return tipOf(sn.g) }

// Header is a stored header record.
func (sn *Snapshot) Header(hash mvs.Hash) (HeaderRecord, error) { return headerOf(sn.g, hash) }

// HashAt is the hash of the main-chain block at height.
func (sn *Snapshot) HashAt(height uint32) (mvs.Hash, error) { return hashAtOf(sn.g, height) }

func hashAtOf(g getter, height uint32) (mvs.Hash, error) {
	v, ok := g.get(bMain, heightKey(height))
	if !ok {
		return mvs.Hash{}, fmt.Errorf("%w: no main-chain block at height %d", ErrNotFound, height)
	}
	if len(v) != 32 {
		return mvs.Hash{}, corrupt(fmt.Sprintf("main-chain entry at height %d", height), nil)
	}
	return mvs.Hash(v), nil
}

// RawBlock is a main-chain block's bytes as received.
func (sn *Snapshot) RawBlock(hash mvs.Hash) ([]byte, error) { return rawBlockOf(sn.g, hash) }

// Block is a main-chain block, decoded.
func (sn *Snapshot) Block(hash mvs.Hash) (*block.Block, error) {
	raw, err := rawBlockOf(sn.g, hash)
	if err != nil {
		return nil, err
	}
	blk, err := block.Decode(raw)
	if err != nil {
		return nil, corrupt(fmt.Sprintf("block %v", hash), err)
	}
	return blk, nil
}

// TxLocation is where a main-chain transaction is.
func (sn *Snapshot) TxLocation(txid mvs.Hash) (TxLocation, error) { return txLocationOf(sn.g, txid) }

// Tx is a main-chain transaction and where it is.
func (sn *Snapshot) Tx(txid mvs.Hash) (*tx.Tx, TxLocation, error) { return txOf(sn.g, txid) }

// UTXO is the unspent entry at op.
func (sn *Snapshot) UTXO(op tx.OutPoint) (Entry, error) { return utxoOf(sn.g, op) }

// Record is one record's value.
func (sn *Snapshot) Record(kind Kind, key []byte) ([]byte, error) { return recordOf(sn.g, kind, key) }

// Records pages through the records of kind whose key starts with prefix, in key order:
// at most limit of them, starting after the key after (nil: from the first). Pass the last
// key of a page as after to get the next; a page shorter than limit is the last.
func (sn *Snapshot) Records(kind Kind, prefix, after []byte, limit int) ([]Record, error) {
	if err := checkRecordsRequest(kind, prefix, after, limit); err != nil {
		return nil, err
	}
	return scanRecords(sn.g.bucket(kind.bucket()).Cursor(), nil, prefix, after, limit), nil
}

func checkRecordsRequest(kind Kind, prefix, after []byte, limit int) error {
	if !kind.Valid() {
		return fmt.Errorf("%w: unknown record kind %d", ErrBadRequest, kind)
	}
	if limit <= 0 {
		return fmt.Errorf("%w: limit %d", ErrBadRequest, limit)
	}
	if after != nil && !bytes.HasPrefix(after, prefix) {
		return fmt.Errorf("%w: cursor does not start with the prefix", ErrBadRequest)
	}
	return nil
}

// scanRecords merges the committed keys under c with pending writes m (nil outside a
// batch), which override them.
func scanRecords(c *bolt.Cursor, m map[string]ent, prefix, after []byte, limit int) []Record {
	var pending []string
	for k := range m {
		if strings.HasPrefix(k, string(prefix)) && (after == nil || k > string(after)) {
			pending = append(pending, k)
		}
	}
	slices.Sort(pending)
	var k, v []byte
	if after != nil {
		k, v = c.Seek(after)
		if bytes.Equal(k, after) {
			k, v = c.Next()
		}
	} else {
		k, v = c.Seek(prefix)
	}
	var out []Record
	for len(out) < limit {
		onDisk := k != nil && bytes.HasPrefix(k, prefix)
		switch {
		case len(pending) > 0 && (!onDisk || pending[0] <= string(k)):
			pk := pending[0]
			pending = pending[1:]
			if onDisk && pk == string(k) {
				k, v = c.Next()
			}
			if e := m[pk]; !e.del {
				out = append(out, Record{Key: []byte(pk), Value: bytes.Clone(e.val)})
			}
		case onDisk:
			out = append(out, Record{Key: bytes.Clone(k), Value: bytes.Clone(v)})
			k, v = c.Next()
		default:
			return out
		}
	}
	return out
}

// HistoryEntry is one transaction that created or spent an output of an address.
type HistoryEntry struct {
	Height uint32
	Index  uint32 // position of the transaction in its block
	TxID   mvs.Hash
}

// Cursor continues a History page or a page of an address's unspent outputs
// (UnspentPage, ForEachUnspent); nil starts at the beginning. It is opaque, and one kind
// is refused for the other.
type Cursor []byte

const cursorSize = 4 + 4 + 32

// History pages through the transactions that touched addr, oldest first: at most limit
// entries after the cursor, and the cursor of the next page (nil when this one is the last).
func (sn *Snapshot) History(addr mvs.Address, after Cursor, limit int) ([]HistoryEntry, Cursor, error) {
	if err := sn.addrQuery(addr); err != nil {
		return nil, nil, err
	}
	if limit <= 0 {
		return nil, nil, fmt.Errorf("%w: limit %d", ErrBadRequest, limit)
	}
	if after != nil && len(after) != cursorSize {
		return nil, nil, fmt.Errorf("%w: cursor of %d bytes", ErrBadRequest, len(after))
	}
	prefix := addressKey(addr)
	c := sn.g.bucket(bAddrHistory).Cursor()
	var k []byte
	if after != nil {
		start := append(prefix, after...) // in addressKey's spare capacity; prefix itself is unchanged
		k, _ = c.Seek(start)
		if bytes.Equal(k, start) {
			k, _ = c.Next()
		}
	} else {
		k, _ = c.Seek(prefix)
	}
	var out []HistoryEntry
	for ; k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if out == nil {
			out = make([]HistoryEntry, 0, min(limit, 256)) // a page, not the history: limit may be large
		}
		if len(out) == limit {
			last := out[len(out)-1]
			return out, historyKey(nil, last.Height, last.Index, last.TxID), nil
		}
		if len(k) != addrKeySize+cursorSize {
			return nil, nil, corrupt("address history key", nil)
		}
		rest := k[addrKeySize:]
		out = append(out, HistoryEntry{Height: binary.BigEndian.Uint32(rest), Index: binary.BigEndian.Uint32(rest[4:]),
			TxID: mvs.Hash(rest[8:])})
	}
	return out, nil, nil
}

// Unspent is an unspent output of an address.
type Unspent struct {
	OutPoint tx.OutPoint
	Entry    Entry
}

// UnspentByAddress lists the unspent outputs whose script pays addr, in outpoint order. It
// holds them all in memory: for an address that may have many, UnspentPage pages them and
// ForEachUnspent streams them.
func (sn *Snapshot) UnspentByAddress(addr mvs.Address) ([]Unspent, error) {
	if err := sn.addrQuery(addr); err != nil {
		return nil, err
	}
	return unspentOf(sn.g, sn.g, nil, addr)
}

func (sn *Snapshot) addrQuery(addr mvs.Address) error { return sn.s.addrQuery(addr) }

func (s *Store) addrQuery(addr mvs.Address) error {
	if !s.addrIndex {
		return ErrNoAddressIndex
	}
	if !addr.IsValid() {
		return fmt.Errorf("%w: invalid address", ErrBadRequest)
	}
	return nil
}

func tipOf(g getter) (mvs.Hash, uint32, error) {
	h, n, ok, err := readTip(g)
	if err == nil && !ok {
		err = corrupt("no tip", nil)
	}
	return h, n, err
}

func headerOf(g getter, hash mvs.Hash) (HeaderRecord, error) {
	v, _ := g.get(bHeaders, hash[:])
	return decodeHeaderRecordOrMissing(v, hash)
}

func utxoOf(g getter, op tx.OutPoint) (Entry, error) {
	v, ok := g.get(bUTXO, outpointKey(op))
	if !ok {
		return Entry{}, fmt.Errorf("%w: output %v", ErrNotFound, op)
	}
	return decodeEntry(v)
}

func recordOf(g getter, kind Kind, key []byte) ([]byte, error) {
	if !kind.Valid() {
		return nil, fmt.Errorf("%w: unknown record kind %d", ErrBadRequest, kind)
	}
	if len(key) == 0 || len(key) > maxKey {
		return nil, fmt.Errorf("%w: key of %d bytes", ErrBadRequest, len(key))
	}
	v, ok := g.get(kind.bucket(), key)
	if !ok {
		return nil, fmt.Errorf("%w: %v record %x", ErrNotFound, kind, key)
	}
	return bytes.Clone(v), nil // an overlay's value is not the caller's to change
}

func rawBlockOf(g getter, hash mvs.Hash) ([]byte, error) {
	v, ok := g.get(bBlocks, hash[:])
	if !ok {
		return nil, fmt.Errorf("%w: block %v", ErrNotFound, hash)
	}
	return v, nil
}

func txLocationOf(g getter, txid mvs.Hash) (TxLocation, error) {
	v, ok := g.get(bTxIndex, txid[:])
	if !ok {
		return TxLocation{}, fmt.Errorf("%w: transaction %v", ErrNotFound, txid)
	}
	return decodeTxLocation(v)
}

func txOf(g getter, txid mvs.Hash) (*tx.Tx, TxLocation, error) {
	loc, err := txLocationOf(g, txid)
	if err != nil {
		return nil, loc, err
	}
	hv, ok := g.get(bMain, heightKey(loc.Height))
	if !ok || len(hv) != 32 {
		return nil, loc, corrupt(fmt.Sprintf("tx %v at height %d above the main chain", txid, loc.Height), nil)
	}
	// In place: the decoder copies the transaction's bytes, so the block's need no copy
	// (a coin page reads hundreds of transactions, often of one large block).
	raw, ok := peek(g, bBlocks, hv)
	if !ok {
		return nil, loc, corrupt(fmt.Sprintf("tx %v", txid), fmt.Errorf("%w: block %v", ErrNotFound, mvs.Hash(hv)))
	}
	end := uint64(loc.Offset) + uint64(loc.Size)
	if end > uint64(len(raw)) {
		return nil, loc, corrupt(fmt.Sprintf("tx %v location past its block", txid), nil)
	}
	t, err := tx.Decode(raw[loc.Offset:end])
	if err != nil {
		return nil, loc, corrupt(fmt.Sprintf("tx %v", txid), err)
	}
	if t.Hash() != txid {
		return nil, loc, corrupt(fmt.Sprintf("tx index of %v points at %v", txid, t.Hash()), nil)
	}
	return t, loc, nil
}

// Digest is a SHA-256 over every bucket's name, keys and values in order: two stores with
// the same committed state have the same digest (a test's "after X equals after a fresh
// import"). It reads the committed state, not an open batch.
//
// It covers the main chain's state and the header records, not the side-chain bodies
// (PutSideBlock, and the bodies DisconnectTip keeps): which forks a node happened to see
// is not chain state, so a store that went through a reorganisation digests as a fresh
// import of the winning chain given the same headers.
func (s *Store) Digest() (mvs.Hash, error) {
	var d mvs.Hash
	err := s.View(func(sn *Snapshot) error {
		h := sha256.New()
		var buf []byte
		for id := range numBuckets {
			if !inDigest(id) {
				continue
			}
			buf = codec.AppendVarString(buf[:0], bucketName(id))
			h.Write(buf)
			c := sn.g.bucket(id).Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				buf = codec.AppendVarBytes(buf[:0], k)
				buf = codec.AppendVarBytes(buf, v)
				h.Write(buf)
			}
			h.Write([]byte{0xff}) // end of bucket
		}
		h.Sum(d[:0])
		return nil
	})
	return d, err
}

// Check verifies the committed state's invariants: the main chain is contiguous from
// genesis to the tip and each block links to its parent, every main-chain block has its
// body and (above genesis) an undo record that decodes, every transaction of the main chain
// is in the tx index at its place and the index holds nothing else, no body or undo is
// left over, every side body decodes to the block its key names and is not also a
// main-chain body, every unspent entry decodes and belongs to a transaction in the tx
// index, and the address unspent index is in step with the utxo set. The first violation
// is returned, wrapping ErrCorrupt.
func (s *Store) Check() error {
	return s.View(func(sn *Snapshot) error {
		tipHash, tipHeight, err := sn.Tip()
		if err != nil {
			return err
		}
		if n := sn.g.bucket(bMain).Stats().KeyN; n != int(tipHeight)+1 {
			return corrupt(fmt.Sprintf("main chain has %d entries, tip height %d", n, tipHeight), nil)
		}
		var prev mvs.Hash
		txs := 0
		for h := uint32(0); h <= tipHeight; h++ {
			hash, err := sn.HashAt(h)
			if err != nil {
				return corrupt(fmt.Sprintf("main chain below the tip at height %d", h), err)
			}
			raw, err := sn.RawBlock(hash)
			if err != nil {
				return corrupt(fmt.Sprintf("main-chain block %v at height %d", hash, h), err)
			}
			blk, err := block.Decode(raw)
			if err != nil || blk.Hash() != hash || blk.Header.Height != h {
				return corrupt(fmt.Sprintf("main-chain block at height %d is not %v", h, hash), err)
			}
			hdr := &blk.Header
			for i, txid := range blk.TxHashes() {
				loc, err := txLocationOf(sn.g, txid)
				if err != nil || loc.Height != h || loc.Index != uint32(i) {
					return corrupt(fmt.Sprintf("tx index of %v (tx %d at height %d): %+v", txid, i, h, loc), err)
				}
				txs++
			}
			if h == 0 {
				if hash != s.params.GenesisHash {
					return corrupt("height 0 is not the genesis block", nil)
				}
			} else {
				if hdr.PreviousBlockHash != prev {
					return corrupt(fmt.Sprintf("block at height %d does not link to height %d", h, h-1), nil)
				}
				ub, ok := sn.g.get(bUndo, hash[:])
				if !ok {
					return corrupt(fmt.Sprintf("no undo record for block %v at height %d", hash, h), nil)
				}
				if _, err := decodeUndo(ub); err != nil {
					return err
				}
			}
			prev = hash
		}
		if prev != tipHash {
			return corrupt(fmt.Sprintf("tip %v is not the main chain's block at height %d", tipHash, tipHeight), nil)
		}
		if n := sn.g.bucket(bBlocks).Stats().KeyN; n != int(tipHeight)+1 {
			return corrupt(fmt.Sprintf("%d block bodies for %d main-chain blocks", n, tipHeight+1), nil)
		}
		sc := sn.g.bucket(bSide).Cursor()
		for k, v := sc.First(); k != nil; k, v = sc.Next() {
			if len(k) != 32 {
				return corrupt(fmt.Sprintf("side body key %x", k), nil)
			}
			if sn.g.has(bBlocks, k) {
				return corrupt(fmt.Sprintf("block %v is both a main-chain and a side body", mvs.Hash(k)), nil)
			}
			blk, err := block.Decode(v)
			if err != nil || blk.Hash() != mvs.Hash(k) {
				return corrupt(fmt.Sprintf("side body %v", mvs.Hash(k)), err)
			}
		}
		if n := sn.g.bucket(bTxIndex).Stats().KeyN; n != txs {
			return corrupt(fmt.Sprintf("tx index has %d entries, the main chain %d transactions", n, txs), nil)
		}
		if n := sn.g.bucket(bUndo).Stats().KeyN; n != int(tipHeight) {
			return corrupt(fmt.Sprintf("%d undo records for %d blocks above genesis", n, tipHeight), nil)
		}
		addrs := sn.g.bucket(bAddrUTXO)
		indexed := 0
		c := sn.g.bucket(bUTXO).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			op, ok := decodeOutpointKey(k)
			if !ok {
				return corrupt(fmt.Sprintf("utxo key %x", k), nil)
			}
			e, err := decodeEntry(v)
			if err != nil {
				return corrupt(fmt.Sprintf("utxo %v", op), err)
			}
			// ConnectBlock relies on this: only a txid in the tx index can have outputs.
			if _, ok := sn.g.get(bTxIndex, op.Hash[:]); !ok {
				return corrupt(fmt.Sprintf("unspent %v of a transaction missing from the tx index", op), nil)
			}
			if !s.addrIndex {
				continue
			}
			if a := s.addrOf(e.Script); a != nil {
				if addrs.Get(addrUTXOKey(a, op)) == nil {
					return corrupt(fmt.Sprintf("unspent %v missing from the address index", op), nil)
				}
				indexed++
			}
		}
		if n := addrs.Stats().KeyN; n != indexed {
			return corrupt(fmt.Sprintf("address index has %d unspent outputs, the utxo set %d", n, indexed), nil)
		}
		return nil
	})
}

// BucketStats is the size of one bucket's contents.
type BucketStats struct {
	Name  string
	Keys  int
	Bytes int // key and value bytes, without bbolt's page overhead
}

// Stats is what the committed state holds, bucket by bucket, and the file's size.
type Stats struct {
	Buckets  []BucketStats
	FileSize int64
}

// Stats walks every bucket of the committed state.
func (s *Store) Stats() (Stats, error) {
	var st Stats
	err := s.View(func(sn *Snapshot) error {
		st.FileSize = sn.btx.Size()
		for id := range numBuckets {
			bs := BucketStats{Name: bucketName(id)}
			c := sn.g.bucket(id).Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				bs.Keys++
				bs.Bytes += len(k) + len(v)
			}
			st.Buckets = append(st.Buckets, bs)
		}
		return nil
	})
	return st, err
}

// Bytes is the sum of every bucket's key and value bytes.
func (st Stats) Bytes() int {
	n := 0
	for _, b := range st.Buckets {
		n += b.Bytes
	}
	return n
}

package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/mvsgo/mvs"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// The index is kept in a bbolt file so that a restart resumes where it stopped instead of
// reading the whole chain again. The file always holds the index as it was at one commit:
// the follower commits every commitEvery blocks while it catches up and after every
// pushed block, each commit one bbolt transaction, so a crash (even kill -9) loses at
// most the blocks since the last commit, which the next start reads again.
//
// Buckets:
//
//	meta    "format" -> formatVersion; "tip" -> height(8) hash(32); "genesis" -> hash(32)
//	stats   height(8) -> BlockStat, the newest 2*keepStats blocks at most
//	undo    height(8) -> what the block changed, the newest maxUndo blocks
//	outs    txid(32) index(4) -> holding: the unspent asset outputs
//	issued  symbol -> supply(8) issues(8)
//
// Holders are not stored: they are summed from outs when the file is opened.

// formatVersion is the layout above; a file of another layout is refused, not misread.
const formatVersion = 1

var (
	bMeta   = []byte("meta")
	bStats  = []byte("stats")
	bUndo   = []byte("undo")
	bOuts   = []byte("outs")
	bIssued = []byte("issued")
	kFormat = []byte("format")
	kTip    = []byte("tip")
	kGenes  = []byte("genesis")
)

// Index file errors.
var (
	// ErrIndexFormat is an index file written by another version of the explorer, or not
	// an index file at all. Remove it (the explorer rebuilds it) or use another --data-dir.
	ErrIndexFormat = errors.New("explorer: the index file is not in this explorer's format")
	// ErrIndexCorrupt is an index file whose parts disagree (its tip is not its newest
	// block's, a record does not decode): it is refused rather than served.
	ErrIndexCorrupt = errors.New("explorer: the index file is damaged")
	// ErrOtherChain is an index built from another chain than the node's (its genesis
	// block differs): a --data-dir of another network, or the wrong node.
	ErrOtherChain = errors.New("explorer: the index file is of another chain than the node's")
)

// op is one change to the index not yet committed to its file.
type op struct {
	kind  opKind
	stat  BlockStat // opApply: the block applied; opRevert: the block removed
	undo  undo
	first bool // opApply of height 0: sets the genesis hash
}

type opKind uint8

const (
	opApply opKind = iota + 1
	opRevert
	opReset
)

// DefaultDataDir is where the index file of network lives unless --data-dir says
// otherwise: the user's cache directory (the index can always be rebuilt from the node).
func DefaultDataDir(network string) (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory for the index (%v): pass --data-dir", err)
	}
	return filepath.Join(d, "mvs-explorer", network), nil
}

// OpenIndex opens (or creates) the index file in dir and loads it. Only one process may
// have it open: another waits a second and then fails. Close it when done.
func OpenIndex(dir string) (*Index, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "index.db")
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("%s is in use by another explorer: %w", path, err)
		}
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	x := NewIndex()
	x.db = db
	if err := db.Update(func(t *bolt.Tx) error { return x.load(t) }); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return x, nil
}

// Close commits nothing more and closes the index file; the in-memory index stays
// readable.
func (x *Index) Close() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.db == nil {
		return nil
	}
	err := x.db.Close()
	x.db = nil
	return err
}

func createBuckets(t *bolt.Tx) error {
	for _, b := range [][]byte{bMeta, bStats, bUndo, bOuts, bIssued} {
		if _, err := t.CreateBucketIfNotExists(b); err != nil {
			return err
		}
	}
	return nil
}

// load reads the file into x (fresh from NewIndex), creating its buckets when it is new.
func (x *Index) load(t *bolt.Tx) error {
	meta := t.Bucket(bMeta)
	if meta == nil {
		if t.Bucket(bStats) != nil || t.Bucket(bOuts) != nil {
			return ErrIndexFormat
		}
		if err := createBuckets(t); err != nil {
			return err
		}
		return t.Bucket(bMeta).Put(kFormat, u64b(formatVersion))
	}
	if v := meta.Get(kFormat); len(v) != 8 || binary.BigEndian.Uint64(v) != formatVersion {
		return fmt.Errorf("%w (format %x, want %d)", ErrIndexFormat, v, formatVersion)
	}
	for _, b := range [][]byte{bStats, bUndo, bOuts, bIssued} {
		if t.Bucket(b) == nil {
			return fmt.Errorf("%w: no %s bucket", ErrIndexCorrupt, b)
		}
	}
	if g := meta.Get(kGenes); g != nil {
		if len(g) != mvs.HashSize {
			return fmt.Errorf("%w: genesis hash of %d bytes", ErrIndexCorrupt, len(g))
		}
		copy(x.genesis[:], g)
		x.hasGenesis = true
	}
	tip := meta.Get(kTip)
	if tip == nil {
		if t.Bucket(bStats).Stats().KeyN != 0 || t.Bucket(bOuts).Stats().KeyN != 0 {
			return fmt.Errorf("%w: blocks but no tip", ErrIndexCorrupt)
		}
		return nil
	}
	if len(tip) != 8+mvs.HashSize {
		return fmt.Errorf("%w: tip of %d bytes", ErrIndexCorrupt, len(tip))
	}
	tipH := binary.BigEndian.Uint64(tip)
	// The newest keepStats blocks' figures, which must end at the tip and be contiguous.
	var stats []BlockStat
	c := t.Bucket(bStats).Cursor()
	for k, v := c.Last(); k != nil && len(stats) < keepStats; k, v = c.Prev() {
		st, err := decodeStat(k, v)
		if err != nil {
			return err
		}
		if len(stats) > 0 && st.Height+1 != stats[len(stats)-1].Height {
			break // a gap left by trimming: older figures are not needed
		}
		stats = append(stats, st)
	}
	if len(stats) == 0 || stats[0].Height != tipH || !bytes.Equal(stats[0].Hash[:], tip[8:]) {
		return fmt.Errorf("%w: the tip %d is not the newest block stored", ErrIndexCorrupt, tipH)
	}
	for i := len(stats) - 1; i >= 0; i-- {
		x.blocks = append(x.blocks, stats[i])
	}
	x.base = x.blocks[0].Height
	// Undo data of the newest blocks, contiguous from the tip down.
	var undos []undo
	ub := t.Bucket(bUndo)
	for h := tipH; len(undos) < maxUndo && len(undos) < len(x.blocks); h-- {
		v := ub.Get(u64b(h))
		if v == nil {
			break
		}
		u, err := decodeUndo(v)
		if err != nil {
			return fmt.Errorf("%w: undo of block %d: %v", ErrIndexCorrupt, h, err)
		}
		undos = append(undos, u)
		if h == 0 {
			break
		}
	}
	for i := len(undos) - 1; i >= 0; i-- {
		x.undos = append(x.undos, undos[i])
	}
	err := t.Bucket(bOuts).ForEach(func(k, v []byte) error {
		if len(k) != mvs.HashSize+4 {
			return fmt.Errorf("%w: output key of %d bytes", ErrIndexCorrupt, len(k))
		}
		h, rest, err := decodeHolding(v)
		if err != nil || len(rest) != 0 {
			return fmt.Errorf("%w: output record: %v", ErrIndexCorrupt, err)
		}
		x.outs[keyOf(k)] = h
		x.addHolder(h, true)
		return nil
	})
	if err != nil {
		return err
	}
	return t.Bucket(bIssued).ForEach(func(k, v []byte) error {
		if len(v) != 16 {
			return fmt.Errorf("%w: issued record of %d bytes", ErrIndexCorrupt, len(v))
		}
		x.issued[string(k)] = Issued{Supply: binary.BigEndian.Uint64(v), Issues: int(binary.BigEndian.Uint64(v[8:]))}
		return nil
	})
}

// Commit writes the changes since the last commit to the index file in one transaction.
// An in-memory index (NewIndex) has nothing to write. On failure the changes stay pending
// and the next Commit writes them again.
func (x *Index) Commit() error {
	x.mu.Lock()
	if x.db == nil || len(x.pending) == 0 {
		x.mu.Unlock()
		return nil
	}
	ops := x.pending
	x.pending = nil
	// The issued figures as they are now, for the symbols the ops touched.
	issued := map[string]Issued{}
	for _, o := range ops {
		for _, h := range o.undo.issued {
			issued[h.symbol] = x.issued[h.symbol]
		}
	}
	var tip []byte
	if n := len(x.blocks); n > 0 {
		tip = append(u64b(x.blocks[n-1].Height), x.blocks[n-1].Hash[:]...)
	}
	db := x.db
	x.mu.Unlock()
	// Only the follower's goroutine applies and commits, so nothing changes x.pending's
	// order meanwhile; readers go on reading the in-memory index.
	err := db.Update(func(t *bolt.Tx) error { return writeOps(t, ops, issued, tip) })
	if err != nil {
		x.mu.Lock()
		x.pending = append(ops, x.pending...)
		x.mu.Unlock()
		return fmt.Errorf("explorer: writing the index: %w", err)
	}
	return nil
}

func writeOps(t *bolt.Tx, ops []op, issued map[string]Issued, tip []byte) error {
	for _, o := range ops {
		switch o.kind {
		case opReset:
			for _, b := range [][]byte{bStats, bUndo, bOuts, bIssued} {
				if err := t.DeleteBucket(b); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
					return err
				}
			}
			if err := createBuckets(t); err != nil {
				return err
			}
			if err := t.Bucket(bMeta).Delete(kGenes); err != nil {
				return err
			}
		case opApply:
			if err := writeApply(t, o); err != nil {
				return err
			}
		case opRevert:
			if err := writeRevert(t, o); err != nil {
				return err
			}
		}
	}
	ib := t.Bucket(bIssued)
	for sym, is := range issued {
		var err error
		if is.Issues == 0 {
			err = ib.Delete([]byte(sym))
		} else {
			err = ib.Put([]byte(sym), append(u64b(is.Supply), u64b(uint64(is.Issues))...))
		}
		if err != nil {
			return err
		}
	}
	meta := t.Bucket(bMeta)
	if tip == nil {
		return meta.Delete(kTip)
	}
	return meta.Put(kTip, tip)
}

func writeApply(t *bolt.Tx, o op) error {
	outs := t.Bucket(bOuts)
	// Made first, then spent: an output the block both made and spent (one transaction
	// paying the next) is among both, and must end up gone.
	for i, k := range o.undo.created {
		if err := outs.Put(keyBytes(k), encodeHolding(nil, o.undo.createdH[i])); err != nil {
			return err
		}
	}
	for k := range o.undo.spent {
		if err := outs.Delete(keyBytes(k)); err != nil {
			return err
		}
	}
	h := o.stat.Height
	if err := t.Bucket(bStats).Put(u64b(h), encodeStat(o.stat)); err != nil {
		return err
	}
	if err := t.Bucket(bUndo).Put(u64b(h), encodeUndo(o.undo)); err != nil {
		return err
	}
	// Bound the file as the memory is bounded.
	if h >= 2*keepStats {
		if err := t.Bucket(bStats).Delete(u64b(h - 2*keepStats)); err != nil {
			return err
		}
	}
	if h >= maxUndo {
		if err := t.Bucket(bUndo).Delete(u64b(h - maxUndo)); err != nil {
			return err
		}
	}
	if o.first {
		return t.Bucket(bMeta).Put(kGenes, o.stat.Hash[:])
	}
	return nil
}

func writeRevert(t *bolt.Tx, o op) error {
	outs := t.Bucket(bOuts)
	// The reverse of writeApply: spent outputs back, then the block's own gone.
	for k, h := range o.undo.spent {
		if err := outs.Put(keyBytes(k), encodeHolding(nil, h)); err != nil {
			return err
		}
	}
	for _, k := range o.undo.created {
		if err := outs.Delete(keyBytes(k)); err != nil {
			return err
		}
	}
	h := u64b(o.stat.Height)
	if err := t.Bucket(bStats).Delete(h); err != nil {
		return err
	}
	if err := t.Bucket(bUndo).Delete(h); err != nil {
		return err
	}
	if o.stat.Height == 0 {
		return t.Bucket(bMeta).Delete(kGenes)
	}
	return nil
}

func u64b(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

func keyBytes(k outKey) []byte {
	return binary.BigEndian.AppendUint32(append([]byte(nil), k.hash[:]...), k.index)
}

func keyOf(b []byte) outKey {
	var k outKey
	copy(k.hash[:], b)
	k.index = binary.BigEndian.Uint32(b[mvs.HashSize:])
	return k
}

func encodeHolding(b []byte, h holding) []byte {
	b = binary.BigEndian.AppendUint64(b, h.qty)
	b = append(b, byte(len(h.symbol)))
	b = append(b, h.symbol...)
	b = append(b, byte(len(h.address)))
	return append(b, h.address...)
}

var errShort = errors.New("record too short")

func decodeHolding(b []byte) (holding, []byte, error) {
	var h holding
	if len(b) < 9 {
		return h, nil, errShort
	}
	h.qty = binary.BigEndian.Uint64(b)
	n := int(b[8])
	b = b[9:]
	if len(b) < n+1 {
		return h, nil, errShort
	}
	h.symbol, b = string(b[:n]), b[n:]
	n = int(b[0])
	b = b[1:]
	if len(b) < n {
		return h, nil, errShort
	}
	h.address, b = string(b[:n]), b[n:]
	return h, b, nil
}

func encodeStat(s BlockStat) []byte {
	b := append(append([]byte(nil), s.Hash[:]...), s.Prev[:]...)
	b = binary.BigEndian.AppendUint64(b, uint64(s.Time))
	b = binary.BigEndian.AppendUint32(b, uint32(s.Txs))
	return binary.BigEndian.AppendUint64(b, math.Float64bits(s.Difficulty))
}

func decodeStat(k, v []byte) (BlockStat, error) {
	var s BlockStat
	if len(k) != 8 || len(v) != 2*mvs.HashSize+20 {
		return s, fmt.Errorf("%w: block figures of %d bytes", ErrIndexCorrupt, len(v))
	}
	s.Height = binary.BigEndian.Uint64(k)
	copy(s.Hash[:], v)
	copy(s.Prev[:], v[mvs.HashSize:])
	v = v[2*mvs.HashSize:]
	s.Time = int64(binary.BigEndian.Uint64(v))
	s.Txs = int(binary.BigEndian.Uint32(v[8:]))
	s.Difficulty = math.Float64frombits(binary.BigEndian.Uint64(v[12:]))
	return s, nil
}

// encodeUndo: spent count(4), each key(36) holding; created count(4), each key(36)
// holding; issued count(4), each holding.
func encodeUndo(u undo) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(u.spent)))
	for k, h := range u.spent {
		b = append(b, keyBytes(k)...)
		b = encodeHolding(b, h)
	}
	b = binary.BigEndian.AppendUint32(b, uint32(len(u.created)))
	for i, k := range u.created {
		b = append(b, keyBytes(k)...)
		b = encodeHolding(b, u.createdH[i])
	}
	b = binary.BigEndian.AppendUint32(b, uint32(len(u.issued)))
	for _, h := range u.issued {
		b = encodeHolding(b, h)
	}
	return b
}

func decodeUndo(b []byte) (undo, error) {
	u := undo{spent: map[outKey]holding{}}
	count := func() (int, error) {
		if len(b) < 4 {
			return 0, errShort
		}
		n := int(binary.BigEndian.Uint32(b))
		b = b[4:]
		return n, nil
	}
	keyed := func() (outKey, holding, error) {
		if len(b) < mvs.HashSize+4 {
			return outKey{}, holding{}, errShort
		}
		k := keyOf(b)
		h, rest, err := decodeHolding(b[mvs.HashSize+4:])
		b = rest
		return k, h, err
	}
	n, err := count()
	if err != nil {
		return u, err
	}
	for range n {
		k, h, err := keyed()
		if err != nil {
			return u, err
		}
		u.spent[k] = h
	}
	if n, err = count(); err != nil {
		return u, err
	}
	for range n {
		k, h, err := keyed()
		if err != nil {
			return u, err
		}
		u.created = append(u.created, k)
		u.createdH = append(u.createdH, h)
	}
	if n, err = count(); err != nil {
		return u, err
	}
	for range n {
		h, rest, err := decodeHolding(b)
		if err != nil {
			return u, err
		}
		b = rest
		u.issued = append(u.issued, h)
	}
	if len(b) != 0 {
		return u, fmt.Errorf("%d bytes left over", len(b))
	}
	return u, nil
}

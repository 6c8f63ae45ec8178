package store

import (
	"bytes"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// getter reads one key. Values it returns are owned by the caller's layer for reading only:
// they stay valid after the underlying bbolt transaction ends.
type getter interface {
	get(bucket int, key []byte) ([]byte, bool)
	// has is get without the value, for keys whose value may be large (a block body).
	has(bucket int, key []byte) bool
}

// boltGetter reads from a bbolt transaction and copies what it returns, since bbolt's
// slices die with the transaction and overlays keep values across transactions. It keeps
// one cursor per bucket: Bucket.Get builds a new cursor, and its search stack, per call.
// Reads must not interleave with writes to the same transaction (none do: a layer reads,
// then writeTo writes).
type boltGetter struct {
	tx      *bolt.Tx
	buckets [numBuckets]*bolt.Bucket
	cursors [numBuckets]*bolt.Cursor
}

func newBoltGetter(tx *bolt.Tx) *boltGetter { return &boltGetter{tx: tx} }

func (g *boltGetter) bucket(id int) *bolt.Bucket {
	if g.buckets[id] == nil {
		g.buckets[id] = g.tx.Bucket([]byte(bucketName(id)))
	}
	return g.buckets[id]
}

func (g *boltGetter) get(id int, key []byte) ([]byte, bool) {
	v, ok := g.seek(id, key)
	if !ok {
		return nil, false
	}
	return bytes.Clone(v), true
}

func (g *boltGetter) has(id int, key []byte) bool {
	_, ok := g.seek(id, key)
	return ok
}

// seek finds key; the value it returns is bbolt's, valid only in the transaction.
func (g *boltGetter) seek(id int, key []byte) ([]byte, bool) {
	c := g.cursors[id]
	if c == nil {
		b := g.bucket(id)
		if b == nil {
			return nil, false
		}
		c = b.Cursor()
		g.cursors[id] = c
	}
	k, v := c.Seek(key)
	if k == nil || !bytes.Equal(k, key) {
		return nil, false
	}
	return v, true
}

// overlay is a layer of pending writes over a parent: the batch overlay over the last
// committed state, or one block's writes over the batch (so a refused block leaves the
// batch untouched). It is btcd's utxocache idea applied to every bucket: an entry created
// in the overlay is "fresh" (absent below), so spending it before a flush drops it from
// memory instead of leaving a tombstone to write.
type overlay struct {
	parent getter
	m      [numBuckets]map[string]ent
	size   int // approximate memory held, for CacheBytes
	keys   int // entries held: each may dirty a page of the file when committed
}

type ent struct {
	val   []byte
	del   bool
	fresh bool
}

// entOverhead approximates a map entry's memory beyond key and value bytes: the slot (key
// header and ent), the map's spare slots and overflow buckets, and the key's allocation
// rounded up to its size class (measured with a heap profile of an import).
const entOverhead = 112

func newOverlay(parent getter) *overlay { return &overlay{parent: parent} }

func (o *overlay) empty() bool {
	for _, m := range o.m {
		if len(m) > 0 {
			return false
		}
	}
	return true
}

func (o *overlay) get(id int, key []byte) ([]byte, bool) {
	if e, ok := o.m[id][string(key)]; ok {
		if e.del {
			return nil, false
		}
		return e.val, true
	}
	return o.parent.get(id, key)
}

func (o *overlay) has(id int, key []byte) bool {
	if e, ok := o.m[id][string(key)]; ok {
		return !e.del
	}
	return o.parent.has(id, key)
}

// put writes key. fresh asserts that the key is absent below this overlay; it only lets a
// later delete forget the entry, so a wrong false costs a tombstone, never correctness.
func (o *overlay) put(id int, key, val []byte, fresh bool) { o.putString(id, string(key), val, fresh) }

func (o *overlay) del(id int, key []byte) { o.delString(id, string(key)) }

func (o *overlay) bucket(id int) map[string]ent {
	m := o.m[id]
	if m == nil {
		m = make(map[string]ent)
		o.m[id] = m
	}
	return m
}

// reserve sizes a bucket's map that does not exist yet for about n entries.
func (o *overlay) reserve(id, n int) {
	if o.m[id] == nil {
		o.m[id] = make(map[string]ent, n)
	}
}

func (o *overlay) putString(id int, key string, val []byte, fresh bool) {
	m := o.bucket(id)
	// Values count by capacity: an appended encoding holds its spare room too.
	if e, ok := m[key]; ok {
		o.size += cap(val) - cap(e.val)
		m[key] = ent{val: val, fresh: e.fresh}
		return
	}
	m[key] = ent{val: val, fresh: fresh}
	o.size += len(key) + cap(val) + entOverhead
	o.keys++
}

func (o *overlay) delString(id int, key string) {
	m := o.bucket(id)
	if e, ok := m[key]; ok {
		if e.fresh {
			delete(m, key)
			o.size -= len(key) + cap(e.val) + entOverhead
			o.keys--
			return
		}
		o.size -= cap(e.val)
		m[key] = ent{del: true}
		return
	}
	m[key] = ent{del: true}
	o.size += len(key) + entOverhead
	o.keys++
}

// mergeInto applies o's writes to p. o must not be used afterwards: an empty p adopts
// its maps.
func (o *overlay) mergeInto(p *overlay) {
	if p.empty() {
		p.m, p.size, p.keys = o.m, o.size, o.keys
		return
	}
	for id, m := range o.m {
		for k, e := range m {
			if e.del {
				p.delString(id, k)
			} else {
				p.putString(id, k, e.val, e.fresh)
			}
		}
	}
}

// writeTo applies o's writes to a bbolt write transaction, in key order per bucket (bbolt
// fills pages best from sorted inserts).
func (o *overlay) writeTo(tx *bolt.Tx) error {
	for id, m := range o.m {
		if len(m) == 0 {
			continue
		}
		b := tx.Bucket([]byte(bucketName(id)))
		if b == nil {
			return corrupt("missing bucket "+bucketName(id), nil)
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			e := m[k]
			var err error
			if e.del {
				err = b.Delete([]byte(k))
			} else {
				err = b.Put([]byte(k), e.val)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

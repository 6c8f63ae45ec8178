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
}

// boltGetter reads from a bbolt transaction and copies what it returns, since bbolt's
// slices die with the transaction and overlays keep values across transactions.
type boltGetter struct {
	tx      *bolt.Tx
	buckets [numBuckets]*bolt.Bucket
}

func newBoltGetter(tx *bolt.Tx) *boltGetter { return &boltGetter{tx: tx} }

func (g *boltGetter) bucket(id int) *bolt.Bucket {
	if g.buckets[id] == nil {
		g.buckets[id] = g.tx.Bucket([]byte(bucketName(id)))
	}
	return g.buckets[id]
}

func (g *boltGetter) get(id int, key []byte) ([]byte, bool) {
	b := g.bucket(id)
	if b == nil {
		return nil, false
	}
	v := b.Get(key)
	if v == nil {
		return nil, false
	}
	return bytes.Clone(v), true
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
}

type ent struct {
	val   []byte
	del   bool
	fresh bool
}

// entOverhead approximates a map entry's memory beyond key and value bytes.
const entOverhead = 80

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

// put writes key. fresh asserts that the key is absent below this overlay; it only lets a
// later delete forget the entry, so a wrong false costs a tombstone, never correctness.
func (o *overlay) put(id int, key, val []byte, fresh bool) {
	m := o.m[id]
	if m == nil {
		m = make(map[string]ent)
		o.m[id] = m
	}
	if e, ok := m[string(key)]; ok {
		o.size += len(val) - len(e.val)
		m[string(key)] = ent{val: val, fresh: e.fresh}
		return
	}
	m[string(key)] = ent{val: val, fresh: fresh}
	o.size += len(key) + len(val) + entOverhead
}

func (o *overlay) del(id int, key []byte) {
	m := o.m[id]
	if m == nil {
		m = make(map[string]ent)
		o.m[id] = m
	}
	if e, ok := m[string(key)]; ok {
		if e.fresh {
			delete(m, string(key))
			o.size -= len(key) + len(e.val) + entOverhead
			return
		}
		o.size -= len(e.val)
		m[string(key)] = ent{del: true}
		return
	}
	m[string(key)] = ent{del: true}
	o.size += len(key) + entOverhead
}

// mergeInto applies o's writes to p.
func (o *overlay) mergeInto(p *overlay) {
	for id, m := range o.m {
		for k, e := range m {
			if e.del {
				p.del(id, []byte(k))
			} else {
				p.put(id, []byte(k), e.val, e.fresh)
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

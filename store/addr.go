package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/internal/codec"
	"github.com/mvsgo/mvs/tx"
	bolt "go.etcd.io/bbolt"
)

// UnspentView is one unspent output of an address as ForEachUnspent hands it to its
// function, read in place from the snapshot: nothing is copied for an output the caller
// only sums. The function gets the same *UnspentView for every output, and Script and
// Attachment alias the snapshot's memory: both are valid only until the function returns
// and must not be changed. Entry and Cursor are copies that outlive it.
type UnspentView struct {
	OutPoint  tx.OutPoint
	Value     mvs.Amount
	Height    uint32 // of the block that created the output
	Coinbase  bool
	Coinstake bool
	// Script is the output script; read-only, valid until the function returns.
	Script []byte
	// Attachment is the attachment in the transaction wire encoding (DecodeAttachment
	// reads it); read-only, valid until the function returns.
	Attachment []byte

	key []byte // the address index key: address | outpoint
}

// Entry is a copy of the output's entry.
func (u *UnspentView) Entry() Entry {
	return Entry{Value: u.Value, Script: append([]byte{}, u.Script...), Attachment: append([]byte{}, u.Attachment...),
		Height: u.Height, Coinbase: u.Coinbase, Coinstake: u.Coinstake}
}

// Cursor is the cursor that continues after this output (ForEachUnspent, UnspentPage).
func (u *UnspentView) Cursor() Cursor { return Cursor(bytes.Clone(u.key)) }

// PlainETP reports an attachment that carries ETP alone, as nearly every output's does:
// type ETP, no payload, no DIDs. DecodeAttachment would return tx.Attachment{Version: v,
// Type: tx.TypeETP}, v being its first four bytes (little-endian; 0 for a coinbase's), so
// a caller that only asks "which asset, if any" needs no decoding.
func (u *UnspentView) PlainETP() bool { return isPlainETP(u.Attachment) }

// isPlainETP is AttachmentBytes' short form (version | type, nothing else) with type ETP;
// version 207 would be followed by two DID strings, so 8 bytes of it are not plain.
func isPlainETP(b []byte) bool {
	return len(b) == 8 && binary.LittleEndian.Uint32(b) != tx.AttachVersionDID &&
		binary.LittleEndian.Uint32(b[4:]) == uint32(tx.TypeETP)
}

// parse reads a stored entry in place. It refuses exactly what decodeEntry refuses.
func (u *UnspentView) parse(b []byte) error {
	var r codec.Reader
	r.Reset(b)
	f, err := r.Uint8("entry.flags")
	if err != nil {
		return corrupt("utxo entry", err)
	}
	if f&^(entryCoinbase|entryCoinstake) != 0 {
		return corrupt(fmt.Sprintf("utxo entry flags %#x have unknown bits", f), nil)
	}
	u.Coinbase, u.Coinstake = f&entryCoinbase != 0, f&entryCoinstake != 0
	h, err := r.VarInt("entry.height")
	if err != nil {
		return corrupt("utxo entry", err)
	}
	if h > math.MaxUint32 {
		return corrupt(fmt.Sprintf("utxo entry height %d", h), nil)
	}
	u.Height = uint32(h)
	v, err := r.VarInt("entry.value")
	if err != nil {
		return corrupt("utxo entry", err)
	}
	u.Value = mvs.Amount(v)
	if u.Script, err = r.VarBytes("entry.script", maxField); err != nil {
		return corrupt("utxo entry", err)
	}
	if u.Attachment, err = r.VarBytes("entry.attachment", maxField); err != nil {
		return corrupt("utxo entry", err)
	}
	if r.Len() != 0 {
		return corrupt("utxo entry", r.Fail("entry", codec.ErrTrailing, ""))
	}
	return nil
}

// arena copies the scripts and attachments of many entries into a few shared buffers
// instead of two allocations per entry.
type arena struct{ buf []byte }

const arenaChunk = 32 << 10

// copy returns a copy of b, never nil, whose capacity ends with it (an append to it
// cannot overwrite the next copy).
func (a *arena) copy(b []byte) []byte {
	if len(b) > cap(a.buf)-len(a.buf) {
		a.buf = make([]byte, 0, max(len(b), arenaChunk))
	}
	start := len(a.buf)
	a.buf = append(a.buf, b...)
	return a.buf[start:len(a.buf):len(a.buf)]
}

func (a *arena) entry(u *UnspentView) Entry {
	return Entry{Value: u.Value, Script: a.copy(u.Script), Attachment: a.copy(u.Attachment), Height: u.Height,
		Coinbase: u.Coinbase, Coinstake: u.Coinstake}
}

// ForEachUnspent calls fn for addr's unspent outputs after the cursor (nil: from the
// first), in outpoint order, at most limit of them, and returns the cursor of the next
// output (nil when there is none). It holds no list of outputs: summing an address of any
// size takes constant memory. An error of fn stops the walk and is returned as is.
//
// A cursor comes from UnspentView.Cursor or an earlier page; one of another address is
// refused (ErrBadRequest), and one whose output has been spent since still continues
// after it. Pass math.MaxInt as limit to visit every output.
func (sn *Snapshot) ForEachUnspent(addr mvs.Address, after Cursor, limit int, fn func(*UnspentView) error) (Cursor, error) {
	if err := sn.addrQuery(addr); err != nil {
		return nil, err
	}
	return walkUnspent(sn.g, sn.g, nil, addr, after, limit, fn)
}

// UnspentPage is a page of at most limit of addr's unspent outputs after the cursor (nil:
// from the first), in outpoint order, and the cursor of the next page (nil when this one
// is the last). Cursors are as for ForEachUnspent.
func (sn *Snapshot) UnspentPage(addr mvs.Address, after Cursor, limit int) ([]Unspent, Cursor, error) {
	if err := sn.addrQuery(addr); err != nil {
		return nil, nil, err
	}
	var out []Unspent
	var a arena
	next, err := walkUnspent(sn.g, sn.g, nil, addr, after, limit, func(u *UnspentView) error {
		if out == nil {
			out = make([]Unspent, 0, min(limit, 256))
		}
		out = append(out, Unspent{OutPoint: u.OutPoint, Entry: a.entry(u)})
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return out, next, nil
}

// unspentCursorSize: address key | outpoint key. The address is in the cursor so that a
// cursor of one address is refused for another rather than read as a position in it.
const unspentCursorSize = addrKeySize + 36

// walkUnspent visits addr's unspent outputs after the cursor: the index keys committed
// under committed merged with pending writes (nil outside a batch), each entry read in
// place through g.
func walkUnspent(g getter, committed *boltGetter, pending map[string]ent, addr mvs.Address, after Cursor, limit int,
	fn func(*UnspentView) error) (Cursor, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("%w: limit %d", ErrBadRequest, limit)
	}
	prefix := addressKey(addr)
	if after != nil {
		if len(after) != unspentCursorSize {
			return nil, fmt.Errorf("%w: unspent cursor of %d bytes", ErrBadRequest, len(after))
		}
		if !bytes.HasPrefix(after, prefix) {
			return nil, fmt.Errorf("%w: the cursor is of another address than %v", ErrBadRequest, addr)
		}
	}
	sc := newUnspentScan(committed.bucket(bAddrUTXO).Cursor(), pending, prefix, after)
	var u UnspentView
	for n := 0; ; n++ {
		k := sc.next()
		if k == nil {
			return nil, nil
		}
		if n == limit {
			return Cursor(bytes.Clone(u.key)), nil
		}
		if len(k) != unspentCursorSize {
			return nil, corrupt(fmt.Sprintf("address unspent key %x", k), nil)
		}
		op, _ := decodeOutpointKey(k[addrKeySize:])
		v, ok := peek(g, bUTXO, k[addrKeySize:])
		if !ok {
			return nil, corrupt(fmt.Sprintf("address index names %v", op), fmt.Errorf("%w: output %v", ErrNotFound, op))
		}
		if err := u.parse(v); err != nil {
			return nil, corrupt(fmt.Sprintf("address index names %v", op), err)
		}
		u.OutPoint, u.key = op, k
		if err := fn(&u); err != nil {
			return nil, err
		}
	}
}

// peek reads a value without copying it: from an overlay's map, or bbolt's own memory
// (valid for the read transaction).
func peek(g getter, id int, key []byte) ([]byte, bool) {
	for {
		switch l := g.(type) {
		case *boltGetter:
			return l.seek(id, key)
		case *overlay:
			if e, ok := l.m[id][string(key)]; ok {
				return e.val, !e.del
			}
			g = l.parent
		default:
			return g.get(id, key)
		}
	}
}

// unspentScan yields an address's index keys after a cursor in key order: the committed
// keys under c, and the pending ones of a batch, which override them.
type unspentScan struct {
	c       *bolt.Cursor
	k       []byte // the committed key under c, nil past the address
	prefix  []byte
	m       map[string]ent
	pending []string // pending keys of the address after the cursor, sorted, not yet yielded
}

func newUnspentScan(c *bolt.Cursor, m map[string]ent, prefix []byte, after Cursor) *unspentScan {
	s := &unspentScan{c: c, prefix: prefix, m: m}
	for k := range m {
		if strings.HasPrefix(k, string(prefix)) && (after == nil || k > string(after)) {
			s.pending = append(s.pending, k)
		}
	}
	slices.Sort(s.pending)
	if after != nil {
		s.k, _ = c.Seek(after)
		if bytes.Equal(s.k, after) {
			s.k, _ = c.Next()
		}
	} else {
		s.k, _ = c.Seek(prefix)
	}
	if !bytes.HasPrefix(s.k, prefix) {
		s.k = nil
	}
	return s
}

// next is the next live key of the address (nil at the end). A committed key aliases
// bbolt's memory, valid for the read transaction.
func (s *unspentScan) next() []byte {
	for {
		switch {
		case len(s.pending) > 0 && (s.k == nil || s.pending[0] <= string(s.k)):
			pk := s.pending[0]
			s.pending = s.pending[1:]
			if s.k != nil && pk == string(s.k) {
				s.advance()
			}
			if s.m[pk].del {
				continue
			}
			return []byte(pk)
		case s.k != nil:
			k := s.k
			s.advance()
			return k
		default:
			return nil
		}
	}
}

func (s *unspentScan) advance() {
	s.k, _ = s.c.Next()
	if !bytes.HasPrefix(s.k, s.prefix) {
		s.k = nil
	}
}

// count is the number of keys left.
func (s *unspentScan) count() int {
	n := 0
	for s.next() != nil {
		n++
	}
	return n
}

// unspentOf lists addr's unspent outputs: the index keys committed under committed merged
// with pending writes (nil outside a batch), the entries read through g. The list is
// allocated once at its size, the entries' bytes in a few shared buffers.
func unspentOf(g getter, committed *boltGetter, pending map[string]ent, addr mvs.Address) ([]Unspent, error) {
	n := newUnspentScan(committed.bucket(bAddrUTXO).Cursor(), pending, addressKey(addr), nil).count()
	if n == 0 {
		return nil, nil
	}
	out := make([]Unspent, 0, n)
	var a arena
	_, err := walkUnspent(g, committed, pending, addr, nil, math.MaxInt, func(u *UnspentView) error {
		out = append(out, Unspent{OutPoint: u.OutPoint, Entry: a.entry(u)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

package store

import (
	"bytes"
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/internal/codec"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// BlockUpdate is one block to connect on top of the tip, with the record writes package
// chain computed for it.
type BlockUpdate struct {
	Block *block.Block
	// Raw is the block as received; it is stored as is (decode it with block.Decode).
	Raw    []byte
	Hash   mvs.Hash
	Height uint32
	// Records are applied in order after the transactions; undo keeps each key's prior value.
	Records []RecordWrite
	// Status, when not zero, replaces the status bits of the block's stored header record
	// in the same transaction as the block (in a batch: in the same flush), so a crash
	// never leaves the status behind or ahead of the tip. The header must be stored
	// (PutHeader): otherwise the update is refused with ErrNotFound. Zero leaves the
	// header as it is. DisconnectTip does not undo it: headers stay known.
	Status Status
	// BeforeCommit, when set, is called once the update is prepared and before it is
	// committed (outside a batch: inside the write transaction; in a batch: before the
	// overlay takes it). An error refuses the update, which changes nothing, and
	// ConnectBlock returns it as is. Block connection passes the wait for its script
	// verification, so that the store's work overlaps it.
	BeforeCommit func() error
}

// RecordWrite sets (or, with a nil Value, deletes) one record.
type RecordWrite struct {
	Kind  Kind
	Key   []byte
	Value []byte
}

// Record is a key and value read back from a registry.
type Record struct {
	Key   []byte
	Value []byte
}

// checkUpdate refuses an update that contradicts itself: the store trusts the caller's
// validation, not its bookkeeping.
func checkUpdate(u *BlockUpdate) error {
	if u == nil || u.Block == nil {
		return fmt.Errorf("%w: no block", ErrBadUpdate)
	}
	h := &u.Block.Header
	if got := h.Hash(); got != u.Hash {
		return fmt.Errorf("%w: Hash %v, the block's header hashes to %v", ErrBadUpdate, u.Hash, got)
	}
	if h.Height != u.Height {
		return fmt.Errorf("%w: Height %d, the header says %d", ErrBadUpdate, u.Height, h.Height)
	}
	if len(u.Raw) < block.HeaderSize || !bytes.Equal(u.Raw[:block.HeaderSize], h.Bytes()) {
		return fmt.Errorf("%w: Raw does not start with the block's header", ErrBadUpdate)
	}
	if len(u.Block.Transactions) == 0 {
		return fmt.Errorf("%w: block has no transactions", ErrBadUpdate)
	}
	if u.Status&^statusAll != 0 {
		return fmt.Errorf("%w: unknown status bits %#x", ErrBadUpdate, u.Status)
	}
	for i, w := range u.Records {
		if !w.Kind.Valid() {
			return fmt.Errorf("%w: record write %d: unknown kind %d", ErrBadUpdate, i, w.Kind)
		}
		if len(w.Key) == 0 || len(w.Key) > maxKey {
			return fmt.Errorf("%w: record write %d: key of %d bytes (1 to %d)", ErrBadUpdate, i, len(w.Key), maxKey)
		}
		if len(w.Value) > maxValue {
			return fmt.Errorf("%w: record write %d: value of %d bytes", ErrBadUpdate, i, len(w.Value))
		}
	}
	return nil
}

// txLocations finds each transaction's byte range in raw. When raw is the canonical
// encoding of the decoded block (all but always) the sizes come from the decoded values;
// otherwise the raw bytes are walked.
func txLocations(blk *block.Block, raw []byte, height uint32) ([]TxLocation, error) {
	locs := make([]TxLocation, len(blk.Transactions))
	if len(raw) == blk.SerializeSize() && bytes.Equal(raw, blk.Bytes()) {
		off := block.HeaderSize + codec.VarIntSize(uint64(len(blk.Transactions)))
		for i := range blk.Transactions {
			n := blk.Transactions[i].SerializeSize()
			locs[i] = TxLocation{Height: height, Index: uint32(i), Offset: uint32(off), Size: uint32(n)}
			off += n
		}
		return locs, nil
	}
	// Not canonical (a long varint, say): Raw must still decode to this very block.
	other, err := block.Decode(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: Raw does not decode: %v", ErrBadUpdate, err)
	}
	if other.Hash() != blk.Hash() || len(other.Transactions) != len(blk.Transactions) ||
		other.Signature != blk.Signature || other.PublicKey != blk.PublicKey {
		return nil, fmt.Errorf("%w: Raw is another block", ErrBadUpdate)
	}
	r := codec.NewReader(raw[block.HeaderSize:])
	if _, err := r.VarInt("transaction_count"); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadUpdate, err)
	}
	off := block.HeaderSize + r.Offset()
	for i := range locs {
		var t tx.Tx
		n, err := t.DecodePrefix(raw[off:])
		if err != nil || t.Hash() != blk.Transactions[i].Hash() {
			return nil, fmt.Errorf("%w: Raw does not hold the block's transaction %d", ErrBadUpdate, i)
		}
		locs[i] = TxLocation{Height: height, Index: uint32(i), Offset: uint32(off), Size: uint32(n)}
		off += n
	}
	return locs, nil
}

// addrOf is the address-index key of a script, or nil when it has none.
func (s *Store) addrOf(scr []byte) []byte {
	a, ok := script.Script(scr).Address(s.params)
	if !ok {
		return nil
	}
	return addressKey(a)
}

// readTip reads the tip through g; ok is false only in a file being created.
func readTip(g getter) (mvs.Hash, uint32, bool, error) {
	v, ok := g.get(bMeta, []byte(metaTip))
	if !ok {
		return mvs.Hash{}, 0, false, nil
	}
	h, n, err := decodeTip(v)
	return h, n, true, err
}

// connect applies u to w. genesis is set only while creating a file, when there is no tip.
func (s *Store) connect(w *overlay, u *BlockUpdate, genesis bool) error {
	if err := checkUpdate(u); err != nil {
		return err
	}
	tipHash, tipHeight, hasTip, err := readTip(w)
	if err != nil {
		return err
	}
	switch {
	case genesis:
		if hasTip || u.Height != 0 || u.Hash != s.params.GenesisHash {
			return fmt.Errorf("%w: genesis", ErrBadUpdate)
		}
	case !hasTip:
		return corrupt("no tip", nil)
	case u.Block.Header.PreviousBlockHash != tipHash || u.Height != tipHeight+1:
		return fmt.Errorf("%w: block %v at height %d has parent %v; the tip is %v at height %d",
			ErrNotTip, u.Hash, u.Height, u.Block.Header.PreviousBlockHash, tipHash, tipHeight)
	}
	locs, err := txLocations(u.Block, u.Raw, u.Height)
	if err != nil {
		return err
	}
	var und undo
	txids := u.Block.TxHashes()
	// A transaction twice in one block (refused by block checks anyway) would make the tx
	// index impossible to undo.
	seen := make(map[mvs.Hash]struct{}, len(txids))
	for _, txid := range txids {
		if _, dup := seen[txid]; dup {
			return fmt.Errorf("%w: transaction %v appears twice", ErrBadUpdate, txid)
		}
		seen[txid] = struct{}{}
	}
	nIn, nOut := 0, 0
	for i := range u.Block.Transactions {
		nIn += len(u.Block.Transactions[i].Inputs)
		nOut += len(u.Block.Transactions[i].Outputs)
	}
	w.reserve(bUTXO, nIn+nOut)
	w.reserve(bTxIndex, len(txids))
	if s.addrIndex {
		w.reserve(bAddrUTXO, nIn+nOut)
		w.reserve(bAddrHistory, len(txids))
	}
	var touched [][]byte // addresses of the current transaction
	for i := range u.Block.Transactions {
		t := &u.Block.Transactions[i]
		txid := txids[i]
		touched = touched[:0]
		coinbase := t.IsCoinbase()
		if !coinbase {
			for j := range t.Inputs {
				op := t.Inputs[j].PreviousOutput
				key := outpointKey(op)
				v, ok := w.get(bUTXO, key)
				if !ok {
					return &OutPointError{Err: ErrMissingOutput, OutPoint: op, TxIndex: i, Index: j}
				}
				e, err := decodeEntry(v)
				if err != nil {
					return err
				}
				und.spent = append(und.spent, spentEntry{op, e})
				w.del(bUTXO, key)
				if s.addrIndex {
					if a := s.addrOf(e.Script); a != nil {
						w.del(bAddrUTXO, addrUTXOKey(a, op))
						touched = appendAddr(touched, a)
					}
				}
			}
		}
		coinstake := t.IsCoinstake()
		// Every unspent output's txid is in the tx index, so only a txid already there can
		// collide with an unspent output; looking up each output is left to that case.
		oldLoc, known := w.get(bTxIndex, txid[:])
		for j := range t.Outputs {
			op := tx.OutPoint{Hash: txid, Index: uint32(j)}
			key := outpointKey(op)
			if known {
				if _, ok := w.get(bUTXO, key); ok {
					return &OutPointError{Err: ErrDuplicateOutput, OutPoint: op, TxIndex: i, Index: j}
				}
			}
			e := NewEntry(&t.Outputs[j], u.Height, coinbase, coinstake)
			w.put(bUTXO, key, e.encode(), true)
			if s.addrIndex {
				if a := s.addrOf(e.Script); a != nil {
					w.put(bAddrUTXO, addrUTXOKey(a, op), []byte{}, true)
					touched = appendAddr(touched, a)
				}
			}
		}
		for _, a := range touched {
			w.put(bAddrHistory, historyKey(a, u.Height, uint32(i), txid), []byte{}, false)
		}
		if known {
			und.priors = append(und.priors, prior{bucket: bTxIndex, key: bytes.Clone(txid[:]), present: true, value: oldLoc})
		}
		w.put(bTxIndex, bytes.Clone(txid[:]), locs[i].encode(), false)
	}
	for _, rw := range u.Records {
		id := rw.Kind.bucket()
		old, ok := w.get(id, rw.Key)
		und.priors = append(und.priors, prior{bucket: id, key: bytes.Clone(rw.Key), present: ok, value: old})
		if rw.Value == nil {
			w.del(id, rw.Key)
		} else {
			w.put(id, bytes.Clone(rw.Key), bytes.Clone(rw.Value), false)
		}
	}
	if u.Status != 0 {
		if err := setStatusIn(w, u.Hash, u.Status); err != nil {
			return err
		}
	}
	w.put(bBlocks, u.Hash[:], bytes.Clone(u.Raw), false)
	// A main-chain body is kept once: a side copy (a block coming back in a reorganisation)
	// goes. Looked up first so the common case leaves no tombstone in a batch.
	if w.has(bSide, u.Hash[:]) {
		w.del(bSide, u.Hash[:])
	}
	w.put(bMain, heightKey(u.Height), bytes.Clone(u.Hash[:]), false)
	if !genesis {
		w.put(bUndo, u.Hash[:], und.encode(), false)
	}
	w.put(bMeta, []byte(metaTip), encodeTip(u.Hash, u.Height), false)
	return nil
}

// setStatusIn replaces the status of a stored header record in w.
func setStatusIn(w *overlay, hash mvs.Hash, st Status) error {
	rec, err := headerOf(w, hash)
	if err != nil {
		return err
	}
	rec.Status = st
	w.put(bHeaders, bytes.Clone(hash[:]), rec.encode(), false)
	return nil
}

func appendAddr(list [][]byte, a []byte) [][]byte {
	for _, x := range list {
		if bytes.Equal(x, a) {
			return list
		}
	}
	return append(list, a)
}

// disconnect undoes the tip block in w and returns it. A non-nil st replaces the status of
// the block's header record.
func (s *Store) disconnect(w *overlay, st *Status) (*block.Block, error) {
	tipHash, tipHeight, ok, err := readTip(w)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, corrupt("no tip", nil)
	}
	if tipHeight == 0 {
		return nil, ErrGenesis
	}
	raw, ok := w.get(bBlocks, tipHash[:])
	if !ok {
		return nil, corrupt(fmt.Sprintf("tip block %v has no body", tipHash), nil)
	}
	blk, err := block.Decode(raw)
	if err != nil {
		return nil, corrupt("tip block", err)
	}
	ub, ok := w.get(bUndo, tipHash[:])
	if !ok {
		return nil, corrupt(fmt.Sprintf("tip block %v has no undo record", tipHash), nil)
	}
	und, err := decodeUndo(ub)
	if err != nil {
		return nil, err
	}
	txids := blk.TxHashes()
	next := len(und.spent) // spent entries are consumed from the end
	var touched [][]byte
	for i := len(blk.Transactions) - 1; i >= 0; i-- {
		t := &blk.Transactions[i]
		txid := txids[i]
		touched = touched[:0]
		for j := range t.Outputs {
			op := tx.OutPoint{Hash: txid, Index: uint32(j)}
			key := outpointKey(op)
			v, ok := w.get(bUTXO, key)
			if !ok {
				return nil, corrupt(fmt.Sprintf("output %v of the tip block is not unspent", op), nil)
			}
			w.del(bUTXO, key)
			if s.addrIndex {
				e, err := decodeEntry(v)
				if err != nil {
					return nil, err
				}
				if a := s.addrOf(e.Script); a != nil {
					w.del(bAddrUTXO, addrUTXOKey(a, op))
					touched = appendAddr(touched, a)
				}
			}
		}
		if !t.IsCoinbase() {
			for j := len(t.Inputs) - 1; j >= 0; j-- {
				op := t.Inputs[j].PreviousOutput
				if next == 0 || und.spent[next-1].op != op {
					return nil, corrupt(fmt.Sprintf("undo record of %v does not match input %d of tx %d", tipHash, j, i), nil)
				}
				next--
				e := &und.spent[next].entry
				w.put(bUTXO, outpointKey(op), e.encode(), false)
				if s.addrIndex {
					if a := s.addrOf(e.Script); a != nil {
						w.put(bAddrUTXO, addrUTXOKey(a, op), []byte{}, false)
						touched = appendAddr(touched, a)
					}
				}
			}
		}
		for _, a := range touched {
			w.del(bAddrHistory, historyKey(a, tipHeight, uint32(i), txid))
		}
		w.del(bTxIndex, txid[:])
	}
	if next != 0 {
		return nil, corrupt(fmt.Sprintf("undo record of %v has %d spent entries too many", tipHash, next), nil)
	}
	for i := len(und.priors) - 1; i >= 0; i-- {
		p := &und.priors[i]
		if p.present {
			w.put(p.bucket, p.key, p.value, false)
		} else {
			w.del(p.bucket, p.key)
		}
	}
	if st != nil {
		if err := setStatusIn(w, tipHash, *st); err != nil {
			return nil, err
		}
	}
	// The body moves to the side bucket in the same transaction: a crash in the middle of
	// a reorganisation loses no body, and switching back needs no download.
	w.del(bBlocks, tipHash[:])
	w.put(bSide, tipHash[:], raw, false)
	w.del(bMain, heightKey(tipHeight))
	w.del(bUndo, tipHash[:])
	w.put(bMeta, []byte(metaTip), encodeTip(blk.Header.PreviousBlockHash, tipHeight-1), false)
	return blk, nil
}

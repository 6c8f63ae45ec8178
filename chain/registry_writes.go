package chain

import (
	"fmt"

	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/did"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
)

// RecordWrites implements State: the records connecting blk at height writes, computed
// from the records before it (read through the store, an open batch included) and view,
// which resolves the outputs the block spends that it did not create itself. Transactions
// are walked in order, coinbases included, and within each its inputs then its outputs, as
// the node's data_base::push does:
//
//   - an input that spends an asset output (issue, secondary issue or transfer) takes its
//     quantity from the holder that output's script names;
//   - an asset detail output creates the asset record if the symbol has none (the first
//     issue: detail, height, outpoint) and adds its maximum supply to the volume (a
//     secondary issue, or as the node sums any detail output), and gives its address that
//     quantity; an asset transfer gives its address the quantity;
//   - a certificate output in status issue or auto-issue (is_newly_generated) writes the
//     whole record, as the node's certificate database stores it (a later auto-issue of
//     the same symbol and type replaces it, as the node's newest entry does); any other
//     status moves an existing record's owner, address and status;
//   - a MIT registration writes the record; a transfer moves its address and status;
//   - a DID registration or transfer (did.Outputs) sets the DID's binding and its
//     address's symbol;
//   - every asset detail, certificate, MIT and DID output adds a history entry.
//
// The writes come one per key, in the order the keys were first touched; each holds the
// key's value after the whole block (nil: the holder's quantity went to zero). An output
// the block spends that view does not hold is ErrSpentUnknown; a holder going negative or
// past 2^64-1 is ErrHolderBalance. RecordWrites trusts the block: validate it first.
func (st *StoreState) RecordWrites(blk *block.Block, height uint32, view UTXOView) ([]store.RecordWrite, error) {
	if err := st.ready(); err != nil {
		return nil, err
	}
	if blk == nil || view == nil || blk.Header.Height != height {
		return nil, fmt.Errorf("%w: block %v, height %d, view %v", ErrRecordArgs, blk != nil, height, view != nil)
	}
	w := &recordWriter{st: st, height: height, vals: map[recordSlotKey]int{}, created: map[tx.OutPoint]*tx.Output{},
		addrs: map[string]string{}}
	for i := range blk.Transactions {
		if err := w.tx(&blk.Transactions[i], uint32(i), view); err != nil {
			return nil, err
		}
	}
	return w.finish(), nil
}

type recordSlotKey struct {
	kind store.Kind
	key  string
}

// recordSlot is one key's value after the writes so far: a decoded state (nil when the
// record is absent) and whether it existed before the block.
type recordSlot struct {
	k       recordSlotKey
	state   any // *AssetState, *CertState, *MITState, *did.Binding, string, uint64, *HistoryEntry
	existed bool
}

type recordWriter struct {
	st      *StoreState
	height  uint32
	list    []*recordSlot
	vals    map[recordSlotKey]int
	created map[tx.OutPoint]*tx.Output // outputs of this block's transactions so far
	addrs   map[string]string          // script to address: base58 is most of the cost
}

// address is the address script s names, or "".
func (w *recordWriter) address(s []byte) string {
	if a, ok := w.addrs[string(s)]; ok {
		return a
	}
	a := addressString(s, w.st.p)
	w.addrs[string(s)] = a
	return a
}

// get returns the recordSlot slot of a key, loading it from the store on first touch with
// load (which returns nil for an absent record).
func (w *recordWriter) get(kind store.Kind, key []byte, load func(v []byte) (any, error)) (*recordSlot, error) {
	k := recordSlotKey{kind, string(key)}
	if i, ok := w.vals[k]; ok {
		return w.list[i], nil
	}
	p := &recordSlot{k: k}
	if load != nil {
		v, ok, err := w.st.record(kind, key)
		if err != nil {
			return nil, err
		}
		if ok {
			if p.state, err = load(v); err != nil {
				return nil, err
			}
			p.existed = true
		}
	}
	w.vals[k] = len(w.list)
	w.list = append(w.list, p)
	return p, nil
}

func (w *recordWriter) finish() []store.RecordWrite {
	out := make([]store.RecordWrite, 0, len(w.list))
	for _, p := range w.list {
		rw := store.RecordWrite{Kind: p.k.kind, Key: []byte(p.k.key)}
		switch s := p.state.(type) {
		case *AssetState:
			rw.Value = s.Encode()
		case *CertState:
			rw.Value = s.Encode()
		case *MITState:
			rw.Value = s.Encode()
		case *did.Binding:
			rw.Value = encodeDID(s)
		case string:
			rw.Value = encodeDIDAddress(s)
		case uint64:
			if s == 0 {
				if !p.existed {
					continue // created and emptied within the block
				}
				break // delete
			}
			rw.Value = encodeHolder(s)
		case *HistoryEntry:
			rw.Value = s.Encode()
		}
		out = append(out, rw)
	}
	return out
}

func (w *recordWriter) tx(t *tx.Tx, index uint32, view UTXOView) error {
	if !t.IsCoinbase() {
		for i := range t.Inputs {
			op := t.Inputs[i].PreviousOutput
			o := w.created[op]
			if o != nil {
				delete(w.created, op)
			} else {
				u, ok, err := view.UTXO(op)
				if err != nil {
					return fmt.Errorf("chain: reading %v, spent by tx %d input %d: %w", op, index, i, err)
				}
				if !ok {
					return fmt.Errorf("%w: %v, spent by tx %d input %d", ErrSpentUnknown, op, index, i)
				}
				o = &u.Output
			}
			if err := w.holder(o, false); err != nil {
				return err
			}
		}
	}
	txid := t.Hash()
	for j := range t.Outputs {
		o := &t.Outputs[j]
		op := tx.OutPoint{Hash: txid, Index: uint32(j)}
		w.created[op] = o
		if err := w.output(o, op, index); err != nil {
			return fmt.Errorf("tx %d output %d: %w", index, j, err)
		}
	}
	return nil
}

// outputAssetQuantity is the asset an output carries: a detail's maximum supply (what an issue
// or secondary issue puts at its address) or a transfer's quantity.
func outputAssetQuantity(a *tx.Attachment) (symbol string, q uint64, ok bool) {
	if a.Type != tx.TypeAsset {
		return "", 0, false
	}
	switch p := a.Payload.(type) {
	case *tx.AssetDetail:
		return p.Symbol, p.MaximumSupply, true
	case *tx.AssetTransfer:
		return p.Symbol, p.Quantity, true
	}
	return "", 0, false
}

// holder moves an output's asset quantity to (add) or from its address's holding.
func (w *recordWriter) holder(o *tx.Output, add bool) error {
	symbol, q, ok := outputAssetQuantity(&o.Attachment)
	if !ok || q == 0 {
		return nil
	}
	addr := w.address(o.Script)
	if addr == "" || symbol == "" {
		return nil // held by no address: the node's index skips it too
	}
	key := holderKey(symbol, addr)
	if len(key) > maxRecordKey {
		return fmt.Errorf("%w: holder key of %d bytes", ErrRecordKey, len(key))
	}
	p, err := w.get(store.KindHolder, key, func(v []byte) (any, error) {
		h, err := DecodeHolder(key, v)
		return h.Quantity, err
	})
	if err != nil {
		return err
	}
	have, _ := p.state.(uint64)
	if add {
		if have+q < have {
			return fmt.Errorf("%w: %s holds %d %s, receives %d", ErrHolderBalance, addr, have, symbol, q)
		}
		have += q
	} else {
		if q > have {
			return fmt.Errorf("%w: %s holds %d %s, spends %d", ErrHolderBalance, addr, have, symbol, q)
		}
		have -= q
	}
	p.state = have
	return nil
}

func (w *recordWriter) history(e *HistoryEntry) error {
	key := historyKey(e)
	if len(key) > maxRecordKey {
		return fmt.Errorf("%w: history key of %d bytes", ErrRecordKey, len(key))
	}
	p, err := w.get(store.KindHistory, key, nil)
	if err != nil {
		return err
	}
	p.state = e
	return nil
}

func (w *recordWriter) output(o *tx.Output, op tx.OutPoint, index uint32) error {
	if err := w.holder(o, true); err != nil {
		return err
	}
	a := &o.Attachment
	if a.Payload == nil || a.Payload.AttachmentType() != a.Type {
		return nil
	}
	h := w.height
	entry := HistoryEntry{Height: h, TxIndex: index, OutPoint: op}
	switch p := a.Payload.(type) {
	case *tx.AssetDetail:
		if err := checkKeyPart(p.Symbol); err != nil {
			return err
		}
		s, err := w.get(store.KindAsset, []byte(p.Symbol), func(v []byte) (any, error) {
			a, err := DecodeAssetState(v)
			return &a, err
		})
		if err != nil {
			return err
		}
		if s.state == nil {
			s.state = &AssetState{Detail: *p, Height: h, OutPoint: op}
		}
		s.state.(*AssetState).Volume += p.MaximumSupply // wraps as the node's sum; consensus refuses an overflow
		entry.Kind, entry.Name, entry.Symbol = HistoryAsset, p.Symbol, p.Symbol
		entry.Status, entry.Secondary, entry.Quantity = tx.AssetStatusDetail, p.IsSecondaryIssue(), p.MaximumSupply
		entry.Address, entry.Owner = p.Address, p.Issuer
	case *tx.AssetCert:
		if err := checkKeyPart(p.Symbol); err != nil {
			return err
		}
		s, err := w.get(store.KindCert, certKey(p.Symbol, p.CertType), func(v []byte) (any, error) {
			c, err := DecodeCertState(v)
			return &c, err
		})
		if err != nil {
			return err
		}
		if p.Status == tx.CertStatusIssue || p.Status == tx.CertStatusAutoIssue {
			s.state = &CertState{Symbol: p.Symbol, Type: p.CertType, Owner: p.Owner, Address: p.Address, Status: p.Status,
				Content: p.Content, Height: h, LastHeight: h, OutPoint: op}
		} else if c, ok := s.state.(*CertState); ok {
			c.Owner, c.Address, c.Status, c.LastHeight, c.OutPoint = p.Owner, p.Address, p.Status, h, op
		}
		entry.Kind, entry.Name, entry.CertType, entry.Symbol = HistoryCert, p.Symbol, p.CertType, p.Symbol
		entry.Status, entry.Address, entry.Owner = uint32(p.Status), p.Address, p.Owner
	case *tx.MIT:
		if err := checkKeyPart(p.Symbol); err != nil {
			return err
		}
		s, err := w.get(store.KindMIT, []byte(p.Symbol), func(v []byte) (any, error) {
			m, err := DecodeMITState(v)
			return &m, err
		})
		if err != nil {
			return err
		}
		switch m, ok := s.state.(*MITState); {
		case p.Status == tx.MITStatusRegister:
			s.state = &MITState{Symbol: p.Symbol, Address: p.Address, Content: p.Content, Status: p.Status,
				Height: h, LastHeight: h, OutPoint: op}
		case ok:
			m.Address, m.Status, m.LastHeight, m.OutPoint = p.Address, p.Status, h, op
		}
		entry.Kind, entry.Name, entry.Symbol = HistoryMIT, p.Symbol, p.Symbol
		entry.Status, entry.Address = uint32(p.Status), p.Address
	case *tx.DID:
		if p.Status != tx.DIDStatusRegister && p.Status != tx.DIDStatusTransfer {
			return nil // did.Outputs ignores it, as the node's rules do
		}
		if err := checkKeyPart(p.Symbol); err != nil {
			return err
		}
		if err := checkKeyPart(p.Address); err != nil {
			return err
		}
		b := &did.Binding{Symbol: p.Symbol, Address: p.Address, Status: p.Status, Height: uint64(h), OutPoint: op}
		s, err := w.get(store.KindDID, []byte(p.Symbol), nil)
		if err != nil {
			return err
		}
		s.state = b
		s, err = w.get(store.KindDIDAddress, []byte(p.Address), nil)
		if err != nil {
			return err
		}
		s.state = p.Symbol
		entry.Kind, entry.Name, entry.Symbol = HistoryDID, p.Symbol, p.Symbol
		entry.Status, entry.Address = p.Status, p.Address
		byAddr := entry
		byAddr.Kind, byAddr.Name = HistoryDIDAddress, p.Address
		if err := w.history(&byAddr); err != nil {
			return err
		}
	default:
		return nil
	}
	return w.history(&entry)
}

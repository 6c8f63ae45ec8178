package chain

import (
	"errors"
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/asset"
	"github.com/mvsgo/mvs/did"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// StoreState is the chain State over a store.Store: the registries and lookups read the
// store's records (through Store.Record and Store.Records, so they see an open batch), and
// RecordWrites computes the records a block writes. It holds no cache, so it is always
// what the store holds and is safe for concurrent use as the Store is. Reads fail with the
// store's error (store.ErrClosed, ...) or ErrBadRecord; an absent record is ok false.
type StoreState struct {
	s *store.Store
	p *mvs.Params
}

var _ State = (*StoreState)(nil)

// NewStoreState returns the state of s on the network p.
func NewStoreState(s *store.Store, p *mvs.Params) *StoreState { return &StoreState{s: s, p: p} }

// Registries implements State: an asset.Registry and a did.Registry over the records.
func (st *StoreState) Registries() Registries {
	return Registries{Assets: storeAssets{st}, DIDs: storeDIDs{st}}
}

// Lookups implements State: the stake locks through the store's address index and the
// mining asset and certificate through the records.
func (st *StoreState) Lookups() BlockLookups {
	return BlockLookups{Stakes: storeStakes{st}, Mining: storeMining{st}}
}

func (st *StoreState) ready() error {
	if st == nil || st.s == nil || st.p == nil {
		return ErrNoStore
	}
	return nil
}

// record reads one record; ok is false when it is absent.
func (st *StoreState) record(kind store.Kind, key []byte) ([]byte, bool, error) {
	if err := st.ready(); err != nil {
		return nil, false, err
	}
	v, err := st.s.Record(kind, key)
	if errors.Is(err, store.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("chain: reading %v record %q: %w", kind, key, err)
	}
	return v, true, nil
}

// scan calls fn with every record of kind under prefix, in key order.
func (st *StoreState) scan(kind store.Kind, prefix []byte, fn func(k, v []byte) error) error {
	if err := st.ready(); err != nil {
		return err
	}
	const page = 256
	var after []byte
	for {
		recs, err := st.s.Records(kind, prefix, after, page)
		if err != nil {
			return fmt.Errorf("chain: scanning %v records %q: %w", kind, prefix, err)
		}
		for _, r := range recs {
			if err := fn(r.Key, r.Value); err != nil {
				return err
			}
		}
		if len(recs) < page {
			return nil
		}
		after = recs[len(recs)-1].Key
	}
}

// Asset is the record of the asset symbol.
func (st *StoreState) Asset(symbol string) (AssetState, bool, error) {
	if symbol == "" {
		return AssetState{}, false, nil
	}
	v, ok, err := st.record(store.KindAsset, []byte(symbol))
	if !ok || err != nil {
		return AssetState{}, false, err
	}
	a, err := DecodeAssetState(v)
	return a, err == nil, err
}

// Cert is the record of the certificate of symbol and type.
func (st *StoreState) Cert(symbol string, certType uint32) (CertState, bool, error) {
	if symbol == "" {
		return CertState{}, false, nil
	}
	v, ok, err := st.record(store.KindCert, certKey(symbol, certType))
	if !ok || err != nil {
		return CertState{}, false, err
	}
	c, err := DecodeCertState(v)
	return c, err == nil, err
}

// MIT is the record of the unique token symbol.
func (st *StoreState) MIT(symbol string) (MITState, bool, error) {
	if symbol == "" {
		return MITState{}, false, nil
	}
	v, ok, err := st.record(store.KindMIT, []byte(symbol))
	if !ok || err != nil {
		return MITState{}, false, err
	}
	m, err := DecodeMITState(v)
	return m, err == nil, err
}

// DID is the current binding of the DID symbol at the tip; the seeded BLACKHOLE binding
// when nothing re-registered it.
func (st *StoreState) DID(symbol string) (did.Binding, bool, error) {
	if symbol == "" {
		return did.Binding{}, false, nil
	}
	v, ok, err := st.record(store.KindDID, []byte(symbol))
	return decodeDIDRecord(symbol, v, ok, err)
}

// decodeDIDRecord decodes a DID record read for symbol; absent, it is unbound, except the
// node's seeded BLACKHOLE, which no record holds.
func decodeDIDRecord(symbol string, v []byte, ok bool, err error) (did.Binding, bool, error) {
	if err != nil {
		return did.Binding{}, false, err
	}
	if !ok {
		if symbol == did.BlackholeSymbol {
			return did.BlackholeBinding(), true, nil
		}
		return did.Binding{}, false, nil
	}
	b, err := DecodeDIDBinding(v)
	return b, err == nil, err
}

// Holders lists the holders of the asset symbol, in address byte order.
func (st *StoreState) Holders(symbol string) ([]Holder, error) {
	if symbol == "" {
		return nil, nil
	}
	var out []Holder
	err := st.scan(store.KindHolder, holderPrefix(symbol), func(k, v []byte) error {
		h, err := DecodeHolder(k, v)
		if err == nil {
			out = append(out, h)
		}
		return err
	})
	return out, err
}

// HoldersPage lists at most limit holders of the asset symbol whose address sorts after
// after ("" for the first page), in address byte order: pass the last address of a page to
// get the next; a page shorter than limit is the last.
func (st *StoreState) HoldersPage(symbol, after string, limit int) ([]Holder, error) {
	if err := st.ready(); err != nil {
		return nil, err
	}
	if symbol == "" {
		return nil, nil
	}
	prefix := holderPrefix(symbol)
	var from []byte
	if after != "" {
		from = holderKey(symbol, after)
	}
	recs, err := st.s.Records(store.KindHolder, prefix, from, limit)
	if err != nil {
		return nil, fmt.Errorf("chain: holders of %q: %w", symbol, err)
	}
	out := make([]Holder, 0, len(recs))
	for _, r := range recs {
		h, err := DecodeHolder(r.Key, r.Value)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, nil
}

// Holding is the quantity of the asset symbol that address holds in unspent outputs.
func (st *StoreState) Holding(symbol, address string) (uint64, error) {
	if symbol == "" || address == "" {
		return 0, nil
	}
	k := holderKey(symbol, address)
	v, ok, err := st.record(store.KindHolder, k)
	if !ok || err != nil {
		return 0, err
	}
	h, err := DecodeHolder(k, v)
	return h.Quantity, err
}

// History lists the entries of kind under name (a symbol, or an address for
// HistoryDIDAddress; certType for HistoryCert), oldest first.
func (st *StoreState) History(kind HistoryKind, name string, certType uint32) ([]HistoryEntry, error) {
	if !kind.valid() || name == "" {
		return nil, nil
	}
	var out []HistoryEntry
	err := st.scan(store.KindHistory, historyPrefix(kind, name, certType), func(k, v []byte) error {
		e, err := DecodeHistoryEntry(k, v)
		if err == nil {
			out = append(out, e)
		}
		return err
	})
	return out, err
}

// ---- asset.Registry ----

type storeAssets struct{ st *StoreState }

func (r storeAssets) Asset(symbol string) (asset.AssetRecord, bool, error) {
	a, ok, err := r.st.Asset(symbol)
	return asset.AssetRecord{Detail: a.Detail, Volume: a.Volume}, ok, err
}

func (r storeAssets) Cert(symbol string, certType uint32) (asset.CertRecord, bool, error) {
	c, ok, err := r.st.Cert(symbol, certType)
	return asset.CertRecord{Owner: c.Owner, Address: c.Address}, ok, err
}

func (r storeAssets) MIT(symbol string) (asset.MITRecord, bool, error) {
	m, ok, err := r.st.MIT(symbol)
	return asset.MITRecord{Address: m.Address, Content: m.Content}, ok, err
}

// DIDAddress is the DID's address at the tip; BLACKHOLE is the burn address, as the node's
// seeded database has it.
func (r storeAssets) DIDAddress(symbol string) (string, bool, error) {
	b, ok, err := r.st.DID(symbol)
	return b.Address, ok, err
}

// SecondaryWitnessCerts is get_issued_secondary_witness_certs(primary, tipHeight): the
// secondary witness certificates whose symbol starts with primary, issued below tipHeight
// and less than 2,000,000 blocks before it (every one when tipHeight is 0).
func (r storeAssets) SecondaryWitnessCerts(primary string, tipHeight uint32) (int, error) {
	n := 0
	err := r.st.scan(store.KindCert, []byte(primary), func(k, v []byte) error {
		_, t, err := DecodeCertKey(k)
		if err != nil || t != tx.CertWitness {
			return err
		}
		c, err := DecodeCertState(v)
		if err != nil {
			return err
		}
		if tipHeight != 0 && (c.Height >= tipHeight || uint64(c.Height)+secondaryWitnessExpiration <= uint64(tipHeight)) {
			return nil
		}
		if secondaryWitness(c.Symbol) {
			n++
		}
		return nil
	})
	return n, err
}

// ---- did.Registry ----

type storeDIDs struct{ st *StoreState }

// tip is the store's tip height, an open batch included.
func (st *StoreState) tip() (uint64, error) {
	if err := st.ready(); err != nil {
		return 0, err
	}
	_, h, err := st.s.Tip()
	if err != nil {
		return 0, fmt.Errorf("chain: reading the tip: %w", err)
	}
	return uint64(h), nil
}

// history is symbol's bindings confirmed at or below height, the seeded BLACKHOLE one
// first, as did.Memory orders them.
func (st *StoreState) didHistory(symbol string, height uint64) ([]did.Binding, error) {
	var out []did.Binding
	if symbol == did.BlackholeSymbol {
		out = append(out, did.BlackholeBinding())
	}
	if symbol == "" {
		return out, nil
	}
	err := st.scan(store.KindHistory, historyPrefix(HistoryDID, symbol, 0), func(k, v []byte) error {
		e, err := DecodeHistoryEntry(k, v)
		if err == nil && uint64(e.Height) <= height {
			out = append(out, e.binding())
		}
		return err
	})
	return out, err
}

func (r storeDIDs) Resolve(symbol string, height uint64) (did.Binding, bool, error) {
	tip, err := r.st.tip()
	if err != nil {
		return did.Binding{}, false, err
	}
	if height >= tip {
		return r.st.DID(symbol)
	}
	hs, err := r.st.didHistory(symbol, height)
	if err != nil || len(hs) == 0 {
		return did.Binding{}, false, err
	}
	return hs[len(hs)-1], true, nil
}

func (r storeDIDs) History(symbol string, height uint64) ([]did.Binding, error) {
	return r.st.didHistory(symbol, height)
}

// SymbolOf is get_did_from_address: the newest binding that named address, kept only if
// its DID still names address at height.
func (r storeDIDs) SymbolOf(address string, height uint64) (string, bool, error) {
	if address == "" {
		return "", false, nil
	}
	tip, err := r.st.tip()
	if err != nil {
		return "", false, err
	}
	symbol := ""
	if height >= tip {
		v, ok, err := r.st.record(store.KindDIDAddress, []byte(address))
		if err != nil {
			return "", false, err
		}
		if ok {
			if symbol, err = DecodeDIDAddress(v); err != nil {
				return "", false, err
			}
		}
	} else {
		err := r.st.scan(store.KindHistory, historyPrefix(HistoryDIDAddress, address, 0), func(k, v []byte) error {
			e, err := DecodeHistoryEntry(k, v)
			if err == nil && uint64(e.Height) <= height {
				symbol = e.Symbol
			}
			return err
		})
		if err != nil {
			return "", false, err
		}
	}
	if symbol == "" && address == mvs.BlackholeAddress {
		symbol = did.BlackholeSymbol // the seeded binding is the first to name it
	}
	if symbol == "" {
		return "", false, nil
	}
	b, ok, err := r.Resolve(symbol, height)
	if err != nil || !ok || b.Address != address {
		return "", false, err
	}
	return symbol, true, nil
}

// ---- BlockLookups ----

type storeStakes struct{ st *StoreState }

// StakeLocks reads the store's address index, an open batch included.
func (r storeStakes) StakeLocks(addr mvs.Address) ([]UTXO, error) {
	if err := r.st.ready(); err != nil {
		return nil, err
	}
	var out []UTXO
	err := func() error {
		us, err := r.st.s.UnspentByAddress(addr)
		if err != nil {
			return err
		}
		for i := range us {
			e := &us[i].Entry
			if script.Classify(script.NodeForm(e.Script)) != script.PayKeyHashWithSequenceLock {
				continue
			}
			o, err := e.Output()
			if err != nil {
				return err
			}
			if o.Attachment.Type != tx.TypeETP {
				continue
			}
			out = append(out, UTXO{Output: o, Height: e.Height, Coinbase: e.Coinbase, Coinstake: e.Coinstake})
		}
		return nil
	}()
	if err != nil {
		return nil, fmt.Errorf("chain: stake locks of %s: %w", addr, err)
	}
	return out, nil
}

type storeMining struct{ st *StoreState }

func (r storeMining) AssetHeight(symbol string) (uint32, bool, error) {
	a, ok, err := r.st.Asset(symbol)
	return a.Height, ok, err
}

func (r storeMining) MiningParam(symbol string) (string, bool, error) {
	c, ok, err := r.st.Cert(symbol, tx.CertMining)
	return c.Content, ok, err
}

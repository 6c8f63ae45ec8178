package chain

import (
	"errors"
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/did"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
)

// Registry answers read the records through the same snapshot as the tip they name
// (Snapshot.Record, Snapshot.Records), so an asset and its holders, or a DID and its
// history, always belong to one tip.

// AssetInfo is an asset's record with a page of its holders.
type AssetInfo struct {
	Tip
	Symbol      string `json:"symbol"`
	Issuer      string `json:"issuer"`
	Address     string `json:"address"`
	Description string `json:"description"`
	Decimals    uint8  `json:"decimals"`
	// MaximumSupply is the first issue's; Volume the supply with every secondary issue.
	MaximumSupply uint64 `json:"maximum_supply"`
	Volume        uint64 `json:"volume"`
	Threshold     uint8  `json:"secondary_issue_threshold"`
	Height        uint32 `json:"height"`
	TxID          string `json:"txid"`
	// Holders is the first page of holders (address order); HoldersNext is the address to
	// pass to Holders for the next ("" when this is all).
	Holders     []HolderInfo `json:"holders"`
	HoldersNext string       `json:"holders_next,omitempty"`
}

// HolderInfo is an address's quantity of an asset in unspent outputs.
type HolderInfo struct {
	Address  string `json:"address"`
	Quantity uint64 `json:"quantity"`
}

func badSymbol(what, s string) error {
	if s == "" {
		return fmt.Errorf("chain: %s: %w: empty symbol", what, ErrBadQuery)
	}
	return nil
}

// record reads one record through a snapshot; ok false when absent.
func snapRecord(sn *store.Snapshot, kind store.Kind, key []byte) ([]byte, bool, error) {
	v, err := sn.Record(kind, key)
	if errors.Is(err, store.ErrNotFound) {
		return nil, false, nil
	}
	return v, err == nil, err
}

// snapAsset reads symbol's asset record through a snapshot (store.ErrNotFound when none).
func snapAsset(sn *store.Snapshot, symbol string) (AssetState, error) {
	v, ok, err := snapRecord(sn, store.KindAsset, []byte(symbol))
	if err != nil {
		return AssetState{}, err
	}
	if !ok {
		return AssetState{}, fmt.Errorf("%w: asset %q", store.ErrNotFound, symbol)
	}
	return DecodeAssetState(v)
}

// assetInfo is the record's answer: the first issue's detail and the whole volume.
func assetInfo(tip Tip, a *AssetState) AssetInfo {
	d := &a.Detail
	return AssetInfo{Tip: tip, Symbol: d.Symbol, Issuer: d.Issuer, Address: d.Address, Description: d.Description,
		Decimals: d.Decimals, MaximumSupply: d.MaximumSupply, Volume: a.Volume, Threshold: d.SecondaryIssueThreshold,
		Height: a.Height, TxID: a.OutPoint.Hash.String()}
}

// Asset is the asset symbol with the first page of at most limit (1..MaxPage) holders.
func (q *Queries) Asset(symbol string, limit int) (AssetInfo, error) {
	if err := badSymbol("asset", symbol); err != nil {
		return AssetInfo{}, err
	}
	var r AssetInfo
	err := q.view(func(sn *store.Snapshot, tip Tip) error {
		a, err := snapAsset(sn, symbol)
		if err != nil {
			return err
		}
		r = assetInfo(tip, &a)
		r.Holders, r.HoldersNext, err = holdersPage(sn, symbol, "", limit)
		return err
	})
	if err != nil {
		return AssetInfo{}, fmt.Errorf("chain: asset %q: %w", symbol, err)
	}
	return r, nil
}

// AssetIssues is every issue of symbol, oldest first, as the node's asset database keeps
// them (getasset SYMBOL prints one record per issue): the first issue, then each secondary
// issue with the supply it added as MaximumSupply, its issuer and address, and Threshold's
// high bit (128) set as the node marks a secondary issue's detail. Holders are not read.
func (q *Queries) AssetIssues(symbol string) ([]AssetInfo, error) {
	if err := badSymbol("asset", symbol); err != nil {
		return nil, err
	}
	var out []AssetInfo
	err := q.view(func(sn *store.Snapshot, tip Tip) error {
		a, err := snapAsset(sn, symbol)
		if err != nil {
			return err
		}
		d := a.Detail
		err = snapHistory(sn, HistoryAsset, symbol, func(e *HistoryEntry) {
			threshold := d.SecondaryIssueThreshold
			if e.Secondary {
				threshold |= 128
			}
			out = append(out, AssetInfo{Tip: tip, Symbol: d.Symbol, Issuer: e.Owner, Address: e.Address,
				Description: d.Description, Decimals: d.Decimals, MaximumSupply: e.Quantity, Volume: a.Volume,
				Threshold: threshold, Height: e.Height, TxID: e.OutPoint.Hash.String()})
		})
		if err != nil {
			return err
		}
		if len(out) == 0 { // a store written before the history was kept: the record alone
			out = append(out, assetInfo(tip, &a))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("chain: asset %q: %w", symbol, err)
	}
	return out, nil
}

// HoldersPage is a page of an asset's holders.
type HoldersPage struct {
	Tip
	Symbol  string       `json:"symbol"`
	Holders []HolderInfo `json:"holders"`
	Next    string       `json:"next,omitempty"`
}

// Holders pages through the holders of symbol in address order: at most limit
// (1..MaxPage) after the address after ("" for the first page; pass Next to continue).
func (q *Queries) Holders(symbol, after string, limit int) (HoldersPage, error) {
	if err := badSymbol("holders", symbol); err != nil {
		return HoldersPage{}, err
	}
	var r HoldersPage
	err := q.view(func(sn *store.Snapshot, tip Tip) error {
		hs, next, err := holdersPage(sn, symbol, after, limit)
		r = HoldersPage{Tip: tip, Symbol: symbol, Holders: hs, Next: next}
		return err
	})
	if err != nil {
		return HoldersPage{}, fmt.Errorf("chain: holders of %q: %w", symbol, err)
	}
	return r, nil
}

func holdersPage(sn *store.Snapshot, symbol, after string, limit int) ([]HolderInfo, string, error) {
	if limit <= 0 || limit > MaxPage {
		return nil, "", fmt.Errorf("%w: limit %d outside 1..%d", ErrBadQuery, limit, MaxPage)
	}
	var from []byte
	if after != "" {
		from = holderKey(symbol, after)
	}
	// One more than asked says whether a next page exists.
	recs, err := sn.Records(store.KindHolder, holderPrefix(symbol), from, limit+1)
	if err != nil {
		return nil, "", err
	}
	out := make([]HolderInfo, 0, min(len(recs), limit))
	for i, rec := range recs {
		if i == limit {
			return out, out[limit-1].Address, nil
		}
		h, err := DecodeHolder(rec.Key, rec.Value)
		if err != nil {
			return nil, "", err
		}
		out = append(out, HolderInfo{Address: h.Address, Quantity: h.Quantity})
	}
	return out, "", nil
}

// CertInfo is a certificate's owner and where it is.
type CertInfo struct {
	Symbol     string `json:"symbol"`
	Type       uint32 `json:"type"`
	Owner      string `json:"owner"` // DID symbol
	Address    string `json:"address"`
	Status     uint8  `json:"status"`
	Content    string `json:"content,omitempty"`
	Height     uint32 `json:"height"`
	LastHeight uint32 `json:"last_height"`
	TxID       string `json:"txid"`
	Index      uint32 `json:"index"`
}

func certInfo(c *CertState) CertInfo {
	return CertInfo{Symbol: c.Symbol, Type: c.Type, Owner: c.Owner, Address: c.Address, Status: c.Status,
		Content: c.Content, Height: c.Height, LastHeight: c.LastHeight, TxID: c.OutPoint.Hash.String(), Index: c.OutPoint.Index}
}

// Certs are the certificates of one symbol, every type, in type order.
type Certs struct {
	Tip
	Symbol string     `json:"symbol"`
	Certs  []CertInfo `json:"certs"`
}

// Certs lists the certificates of symbol exactly (not those of longer symbols it
// prefixes); none is an empty list, not an error.
func (q *Queries) Certs(symbol string) (Certs, error) {
	if err := badSymbol("certificates", symbol); err != nil {
		return Certs{}, err
	}
	var r Certs
	err := q.view(func(sn *store.Snapshot, tip Tip) error {
		r = Certs{Tip: tip, Symbol: symbol, Certs: []CertInfo{}}
		prefix := append([]byte(symbol), 0)
		var after []byte
		for {
			recs, err := sn.Records(store.KindCert, prefix, after, 256)
			if err != nil {
				return err
			}
			for _, rec := range recs {
				s, _, err := DecodeCertKey(rec.Key)
				if err != nil {
					return err
				}
				if s != symbol {
					continue // a symbol holding a NUL
				}
				c, err := DecodeCertState(rec.Value)
				if err != nil {
					return err
				}
				r.Certs = append(r.Certs, certInfo(&c))
			}
			if len(recs) < 256 {
				return nil
			}
			after = recs[len(recs)-1].Key
		}
	})
	if err != nil {
		return Certs{}, fmt.Errorf("chain: certificates of %q: %w", symbol, err)
	}
	return r, nil
}

// MITInfo is a unique token.
type MITInfo struct {
	Symbol     string `json:"symbol"`
	Address    string `json:"address"` // the owner
	Content    string `json:"content"`
	Status     uint8  `json:"status"`
	Height     uint32 `json:"height"`
	LastHeight uint32 `json:"last_height"`
	TxID       string `json:"txid"`
	Index      uint32 `json:"index"`
}

func mitInfo(m *MITState) MITInfo {
	return MITInfo{Symbol: m.Symbol, Address: m.Address, Content: m.Content, Status: m.Status, Height: m.Height,
		LastHeight: m.LastHeight, TxID: m.OutPoint.Hash.String(), Index: m.OutPoint.Index}
}

// MITAnswer is one MIT at a tip.
type MITAnswer struct {
	Tip
	MITInfo
}

// MIT is the unique token symbol (store.ErrNotFound when none).
func (q *Queries) MIT(symbol string) (MITAnswer, error) {
	if err := badSymbol("MIT", symbol); err != nil {
		return MITAnswer{}, err
	}
	var r MITAnswer
	err := q.view(func(sn *store.Snapshot, tip Tip) error {
		m, ok, err := mitOf(sn, symbol)
		if err == nil && !ok {
			err = fmt.Errorf("%w: MIT %q", store.ErrNotFound, symbol)
		}
		r = MITAnswer{Tip: tip, MITInfo: m}
		return err
	})
	if err != nil {
		return MITAnswer{}, fmt.Errorf("chain: MIT %q: %w", symbol, err)
	}
	return r, nil
}

func mitOf(sn *store.Snapshot, symbol string) (MITInfo, bool, error) {
	v, ok, err := snapRecord(sn, store.KindMIT, []byte(symbol))
	if !ok || err != nil {
		return MITInfo{}, false, err
	}
	m, err := DecodeMITState(v)
	if err != nil {
		return MITInfo{}, false, err
	}
	return mitInfo(&m), true, nil
}

// MITs are the unique tokens an address owns.
type MITs struct {
	Tip
	Address string    `json:"address"`
	MITs    []MITInfo `json:"mits"`
}

// MITsOf lists the MITs addr owns: those whose output it holds unspent (the address
// index), each with its record. A MIT output without a record is store.ErrCorrupt.
func (q *Queries) MITsOf(addr mvs.Address) (MITs, error) {
	if err := checkAddr(addr); err != nil {
		return MITs{}, fmt.Errorf("chain: %w", err)
	}
	var r MITs
	err := q.view(func(sn *store.Snapshot, tip Tip) error {
		us, err := sn.UnspentByAddress(addr)
		if err != nil {
			return err
		}
		r = MITs{Tip: tip, Address: addr.String(), MITs: []MITInfo{}}
		for i := range us {
			o, err := us[i].Entry.Output()
			if err != nil {
				return err
			}
			p, ok := o.Attachment.Payload.(*tx.MIT)
			if !ok {
				continue
			}
			m, ok, err := mitOf(sn, p.Symbol)
			if err != nil {
				return err
			}
			if !ok || m.Address != addr.String() {
				return fmt.Errorf("%w: MIT %q at %v has no record naming %s", store.ErrCorrupt, p.Symbol, us[i].OutPoint, addr)
			}
			r.MITs = append(r.MITs, m)
		}
		return nil
	})
	if err != nil {
		return MITs{}, fmt.Errorf("chain: MITs of %s: %w", addr, err)
	}
	return r, nil
}

// DIDBinding is a DID bound to an address.
type DIDBinding struct {
	Symbol  string `json:"symbol"`
	Address string `json:"address"`
	Status  uint32 `json:"status"` // tx.DIDStatusRegister or tx.DIDStatusTransfer
	Height  uint64 `json:"height"`
	TxID    string `json:"txid"`
	Index   uint32 `json:"index"`
}

func didBinding(b *did.Binding) DIDBinding {
	return DIDBinding{Symbol: b.Symbol, Address: b.Address, Status: b.Status, Height: b.Height,
		TxID: b.OutPoint.Hash.String(), Index: b.OutPoint.Index}
}

// DIDInfo is a DID's binding at the tip and every binding it had, oldest first. From
// DIDOf, AddressHistory is every binding that named the address, oldest first (a DID
// moved away and back appears each time).
type DIDInfo struct {
	Tip
	DIDBinding
	History        []DIDBinding `json:"history"`
	AddressHistory []DIDBinding `json:"address_history,omitempty"`
}

// DID resolves the DID symbol (store.ErrNotFound when never registered). BLACKHOLE is
// the node's seeded binding to the burn address unless registered again.
func (q *Queries) DID(symbol string) (DIDInfo, error) {
	if err := badSymbol("DID", symbol); err != nil {
		return DIDInfo{}, err
	}
	var r DIDInfo
	err := q.view(func(sn *store.Snapshot, tip Tip) error {
		var err error
		r, err = didInfo(sn, tip, symbol)
		return err
	})
	if err != nil {
		return DIDInfo{}, fmt.Errorf("chain: DID %q: %w", symbol, err)
	}
	return r, nil
}

func didInfo(sn *store.Snapshot, tip Tip, symbol string) (DIDInfo, error) {
	b, ok, err := didOf(sn, symbol)
	if err != nil {
		return DIDInfo{}, err
	}
	if !ok {
		return DIDInfo{}, fmt.Errorf("%w: DID %q", store.ErrNotFound, symbol)
	}
	r := DIDInfo{Tip: tip, DIDBinding: didBinding(&b), History: []DIDBinding{}}
	if symbol == did.BlackholeSymbol {
		bb := did.BlackholeBinding()
		r.History = append(r.History, didBinding(&bb))
	}
	hs, err := didHistory(sn, HistoryDID, symbol)
	if err != nil {
		return DIDInfo{}, err
	}
	r.History = append(r.History, hs...)
	return r, nil
}

// didHistory is the DID history entries under name (a symbol for HistoryDID, an address
// for HistoryDIDAddress), oldest first.
func didHistory(sn *store.Snapshot, kind HistoryKind, name string) ([]DIDBinding, error) {
	out := []DIDBinding{}
	err := snapHistory(sn, kind, name, func(e *HistoryEntry) {
		hb := e.binding()
		out = append(out, didBinding(&hb))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// snapHistory calls each with the history entries of kind under name through a snapshot,
// oldest first, reading them a page at a time (certificate histories, keyed by type too,
// are not read this way).
func snapHistory(sn *store.Snapshot, kind HistoryKind, name string, each func(*HistoryEntry)) error {
	const page = 256
	prefix := historyPrefix(kind, name, 0)
	var after []byte
	for {
		recs, err := sn.Records(store.KindHistory, prefix, after, page)
		if err != nil {
			return err
		}
		for _, rec := range recs {
			e, err := DecodeHistoryEntry(rec.Key, rec.Value)
			if err != nil {
				return err
			}
			each(&e)
		}
		if len(recs) < page {
			return nil
		}
		after = recs[len(recs)-1].Key
	}
}

func didOf(sn *store.Snapshot, symbol string) (did.Binding, bool, error) {
	v, ok, err := snapRecord(sn, store.KindDID, []byte(symbol))
	return decodeDIDRecord(symbol, v, ok, err)
}

// DIDOf resolves an address to the DID bound to it at the tip, with that DID's history
// (store.ErrNotFound when none: the newest binding that named it has moved on, or there
// was none).
func (q *Queries) DIDOf(addr mvs.Address) (DIDInfo, error) {
	if !addr.IsValid() {
		return DIDInfo{}, fmt.Errorf("chain: DID of an address: %w: invalid address", ErrBadQuery)
	}
	var r DIDInfo
	err := q.view(func(sn *store.Snapshot, tip Tip) error {
		symbol := ""
		v, ok, err := snapRecord(sn, store.KindDIDAddress, []byte(addr.String()))
		if err != nil {
			return err
		}
		if ok {
			if symbol, err = DecodeDIDAddress(v); err != nil {
				return err
			}
		} else if addr.String() == mvs.BlackholeAddress {
			symbol = did.BlackholeSymbol
		}
		if symbol == "" {
			return fmt.Errorf("%w: no DID bound to %s", store.ErrNotFound, addr)
		}
		if r, err = didInfo(sn, tip, symbol); err != nil {
			return err
		}
		if r.Address != addr.String() {
			return fmt.Errorf("%w: %q has moved to %s", store.ErrNotFound, symbol, r.Address)
		}
		r.AddressHistory, err = didHistory(sn, HistoryDIDAddress, addr.String())
		return err
	})
	if err != nil {
		return DIDInfo{}, fmt.Errorf("chain: DID of %s: %w", addr, err)
	}
	return r, nil
}

package asset

import (
	"strings"

	"github.com/mvsgo/mvs/tx"
)

// Registry is the chain state the asset rules read: the symbols registered by the blocks
// before the one being validated. Package chain implements it over its store; MemRegistry
// is a map-backed one. Each lookup returns ok false for an unknown symbol and an error only
// when the lookup itself failed (CheckTx then returns it wrapped in ErrRegistry).
type Registry interface {
	// Asset is the asset issued under symbol.
	Asset(symbol string) (AssetRecord, bool, error)
	// Cert is the certificate of the symbol and type (tx.CertIssue, tx.CertDomain, ...).
	Cert(symbol string, certType uint32) (CertRecord, bool, error)
	// MIT is the unique token registered under symbol.
	MIT(symbol string) (MITRecord, bool, error)
	// DIDAddress is the address the DID symbol is bound to now.
	DIDAddress(did string) (string, bool, error)
	// SecondaryWitnessCerts counts the secondary witness certificates active at tipHeight
	// whose symbol starts with primary (the node matches a prefix, so "MVS.WITNESS.1" also
	// counts the secondaries of "MVS.WITNESS.12"; get_issued_secondary_witness_certs).
	SecondaryWitnessCerts(primary string, tipHeight uint32) (int, error)
}

// AssetRecord is what the chain keeps of an issued asset.
type AssetRecord struct {
	// Detail is the first issue's detail.
	Detail tx.AssetDetail
	// Volume is the total supply: the maximum supply of the issue plus that of every
	// secondary issue (blockchain_asset_database::get_asset_volume).
	Volume uint64
}

// CertRecord is what the chain keeps of a certificate.
type CertRecord struct {
	Owner   string // the owner's DID symbol
	Address string
}

// MITRecord is what the chain keeps of a unique token.
type MITRecord struct {
	Address string
	Content string
}

// MemRegistry is a Registry held in maps, for tests and for tools that replay a few
// transactions in memory. The zero value is empty and ready to use; Register* fill it.
type MemRegistry struct {
	Assets map[string]AssetRecord
	Certs  map[CertKey]CertRecord
	MITs   map[string]MITRecord
	DIDs   map[string]string // DID symbol to address
	// Witness lists the secondary witness certificate symbols active at any height.
	Witness []string
}

// CertKey names a certificate: the node keys certificates by symbol and type.
type CertKey struct {
	Symbol string
	Type   uint32
}

// RegisterAsset records an asset issue (or adds a secondary issue's supply to it).
func (m *MemRegistry) RegisterAsset(d tx.AssetDetail) {
	if m.Assets == nil {
		m.Assets = make(map[string]AssetRecord)
	}
	r, ok := m.Assets[d.Symbol]
	if !ok {
		r.Detail = d
	}
	r.Volume += d.MaximumSupply // wraps as the node's sum does; CheckTx refuses an overflowing issue first
	m.Assets[d.Symbol] = r
}

// RegisterCert records a certificate.
func (m *MemRegistry) RegisterCert(symbol string, certType uint32, owner, address string) {
	if m.Certs == nil {
		m.Certs = make(map[CertKey]CertRecord)
	}
	m.Certs[CertKey{symbol, certType}] = CertRecord{Owner: owner, Address: address}
}

// RegisterMIT records a unique token.
func (m *MemRegistry) RegisterMIT(symbol, address, content string) {
	if m.MITs == nil {
		m.MITs = make(map[string]MITRecord)
	}
	m.MITs[symbol] = MITRecord{Address: address, Content: content}
}

// RegisterDID binds a DID symbol to an address.
func (m *MemRegistry) RegisterDID(symbol, address string) {
	if m.DIDs == nil {
		m.DIDs = make(map[string]string)
	}
	m.DIDs[symbol] = address
}

// Asset implements Registry.
func (m *MemRegistry) Asset(symbol string) (AssetRecord, bool, error) {
	r, ok := m.Assets[symbol]
	return r, ok, nil
}

// Cert implements Registry.
func (m *MemRegistry) Cert(symbol string, certType uint32) (CertRecord, bool, error) {
	r, ok := m.Certs[CertKey{symbol, certType}]
	return r, ok, nil
}

// MIT implements Registry.
func (m *MemRegistry) MIT(symbol string) (MITRecord, bool, error) {
	r, ok := m.MITs[symbol]
	return r, ok, nil
}

// DIDAddress implements Registry.
func (m *MemRegistry) DIDAddress(did string) (string, bool, error) {
	a, ok := m.DIDs[did]
	return a, ok, nil
}

// SecondaryWitnessCerts implements Registry, with the node's prefix match.
func (m *MemRegistry) SecondaryWitnessCerts(primary string, _ uint32) (int, error) {
	n := 0
	for _, s := range m.Witness {
		if primary == "" || strings.HasPrefix(s, primary) {
			n++
		}
	}
	return n, nil
}

package chain

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/asset"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/did"
	"github.com/mvsgo/mvs/internal/codec"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// Registry records, one encoding per store.Kind. Every value starts with recordVersion so
// that a later layout is told apart, never misread; decoders refuse anything else with
// ErrBadRecord. Values use little-endian integers and varint-prefixed byte strings; keys
// put heights big-endian so that they sort.
//
//	KindAsset       symbol                          -> AssetState
//	KindCert        symbol | 0x00 | type (BE u32)   -> CertState
//	KindMIT         symbol                          -> MITState
//	KindDID         symbol                          -> did.Binding (the current one)
//	KindDIDAddress  address                         -> symbol of the newest binding naming it
//	KindHolder      varint len | symbol | address   -> quantity in unspent outputs
//	KindHistory     kind | varint len | name | [type BE u32, certificates] |
//	                height BE u32 | tx position BE u32 | output BE u32 -> HistoryEntry
//
// The certificate key ends in a fixed five bytes, so it decodes whatever the symbol holds,
// and a prefix scan on a symbol finds every certificate whose symbol starts with it (the
// node's witness count matches prefixes). Holder and history keys prefix the name with its
// length, so a scan on one name never meets another.
const recordVersion = 1

// maxRecordField caps a decoded string: nothing in a block is larger.
const maxRecordField = block.MaxBlockSize

// maxRecordKey is the store's key limit (bbolt's).
const maxRecordKey = 32768

// AssetState is the asset record: the first issue's detail (symbol, issuer, address,
// description, threshold), the total supply with every secondary issue (Volume, wrapping
// as the node's sum does), and where the first issue was confirmed.
type AssetState struct {
	Detail   tx.AssetDetail
	Volume   uint64
	Height   uint32
	OutPoint tx.OutPoint
}

// CertState is the certificate record. Content and Height are the issue's (the node's
// certificate database keeps the issued certificate; the mining subsidy parameter is read
// from it); Owner, Address and Status follow the newest output carrying the certificate,
// confirmed at LastHeight by OutPoint.
type CertState struct {
	Symbol     string
	Type       uint32
	Owner      string // DID symbol
	Address    string
	Status     uint8
	Content    string
	Height     uint32
	LastHeight uint32
	OutPoint   tx.OutPoint
}

// MITState is the unique-token record: Content and Height are the registration's; Address
// and Status follow the newest output carrying it, confirmed at LastHeight by OutPoint.
type MITState struct {
	Symbol     string
	Address    string
	Content    string
	Status     uint8
	Height     uint32
	LastHeight uint32
	OutPoint   tx.OutPoint
}

// Holder is one address's holding of an asset: the quantity its unspent outputs carry
// (issues, secondary issues and transfers, attenuation-locked ones included). Outputs
// whose script names no address are held by no one here.
type Holder struct {
	Symbol   string
	Address  string
	Quantity uint64
}

// HistoryKind says what a HistoryEntry records.
type HistoryKind byte

// History kinds, the first byte of a KindHistory key.
const (
	HistoryAsset      HistoryKind = 's' // an issue or a secondary issue of an asset
	HistoryCert       HistoryKind = 'c' // a certificate output (issue, auto-issue, transfer, return)
	HistoryMIT        HistoryKind = 'm' // a MIT registration or transfer
	HistoryDID        HistoryKind = 'd' // a DID registration or transfer, by symbol
	HistoryDIDAddress HistoryKind = 'A' // the same, by the address bound
)

func (k HistoryKind) valid() bool {
	switch k {
	case HistoryAsset, HistoryCert, HistoryMIT, HistoryDID, HistoryDIDAddress:
		return true
	}
	return false
}

// HistoryEntry is one output that changed a registry, in the order a prefix scan lists
// them: by height, then position in the block, then output.
type HistoryEntry struct {
	Kind HistoryKind
	// Name is what the entry is listed under: the symbol, or for HistoryDIDAddress the
	// address.
	Name     string
	CertType uint32 // HistoryCert only
	Height   uint32
	TxIndex  uint32 // the transaction's position in its block
	OutPoint tx.OutPoint
	// Status is the output's: an asset's tx.AssetStatusDetail (Quantity the supply it
	// adds; Secondary marks a secondary issue), a certificate's, a MIT's or a DID's status.
	Status    uint32
	Secondary bool
	Symbol    string // the symbol (for HistoryDIDAddress, the DID bound)
	Address   string
	Owner     string // a certificate's owner DID, an asset issue's issuer
	Quantity  uint64
}

// ---- keys ----

func checkKeyPart(s string) error {
	if s == "" || len(s) > maxRecordKey-16 {
		return fmt.Errorf("%w: %d bytes", ErrRecordKey, len(s))
	}
	return nil
}

func certKey(symbol string, certType uint32) []byte {
	k := make([]byte, 0, len(symbol)+5)
	k = append(append(k, symbol...), 0)
	return binary.BigEndian.AppendUint32(k, certType)
}

// DecodeCertKey splits a KindCert key into symbol and certificate type.
func DecodeCertKey(k []byte) (symbol string, certType uint32, err error) {
	if len(k) < 6 || k[len(k)-5] != 0 {
		return "", 0, fmt.Errorf("%w: certificate key %x", ErrBadRecord, k)
	}
	return string(k[:len(k)-5]), binary.BigEndian.Uint32(k[len(k)-4:]), nil
}

// holderPrefix is the KindHolder key prefix of symbol's holders.
func holderPrefix(symbol string) []byte {
	return append(codec.AppendVarInt(make([]byte, 0, len(symbol)+1), uint64(len(symbol))), symbol...)
}

func holderKey(symbol, address string) []byte { return append(holderPrefix(symbol), address...) }

// historyPrefix is the KindHistory key prefix of name's entries of kind (and, for
// certificates, of certType).
func historyPrefix(kind HistoryKind, name string, certType uint32) []byte {
	k := make([]byte, 0, 1+3+len(name)+4+12)
	k = append(codec.AppendVarInt(append(k, byte(kind)), uint64(len(name))), name...)
	if kind == HistoryCert {
		k = binary.BigEndian.AppendUint32(k, certType)
	}
	return k
}

func historyKey(e *HistoryEntry) []byte {
	k := historyPrefix(e.Kind, e.Name, e.CertType)
	k = binary.BigEndian.AppendUint32(k, e.Height)
	k = binary.BigEndian.AppendUint32(k, e.TxIndex)
	return binary.BigEndian.AppendUint32(k, e.OutPoint.Index)
}

// ---- values ----

func appendOutPoint(b []byte, op tx.OutPoint) []byte {
	return binary.LittleEndian.AppendUint32(append(b, op.Hash[:]...), op.Index)
}

// recordReader wraps codec.Reader with the first error kept, so decoders read field after
// field and check once.
type recordReader struct {
	r   *codec.Reader
	err error
}

func newRecordReader(b []byte, what string) *recordReader {
	rr := &recordReader{r: codec.NewReader(b)}
	if v := rr.u8(what + ".version"); rr.err == nil && v != recordVersion {
		rr.err = fmt.Errorf("%s version %d, this package reads %d", what, v, recordVersion)
	}
	return rr
}

func (rr *recordReader) u8(f string) uint8 {
	if rr.err != nil {
		return 0
	}
	v, err := rr.r.Uint8(f)
	rr.err = err
	return v
}

func (rr *recordReader) u32(f string) uint32 {
	if rr.err != nil {
		return 0
	}
	v, err := rr.r.Uint32LE(f)
	rr.err = err
	return v
}

func (rr *recordReader) u64(f string) uint64 {
	if rr.err != nil {
		return 0
	}
	v, err := rr.r.Uint64LE(f)
	rr.err = err
	return v
}

func (rr *recordReader) varint(f string) uint64 {
	if rr.err != nil {
		return 0
	}
	v, err := rr.r.VarInt(f)
	rr.err = err
	return v
}

// str reads a varint-prefixed string byte for byte (no NUL truncation: the record keeps
// what the transaction held).
func (rr *recordReader) str(f string) string {
	if rr.err != nil {
		return ""
	}
	b, err := rr.r.VarBytes(f, maxRecordField)
	rr.err = err
	return string(b)
}

func (rr *recordReader) outPoint(f string) tx.OutPoint {
	var op tx.OutPoint
	if rr.err != nil {
		return op
	}
	if rr.err = rr.r.Fixed(op.Hash[:], f+".hash"); rr.err != nil {
		return op
	}
	op.Index = rr.u32(f + ".index")
	return op
}

// done reports the first error, or trailing bytes, as ErrBadRecord.
func (rr *recordReader) done(what string) error {
	if rr.err == nil && rr.r.Len() != 0 {
		rr.err = fmt.Errorf("%d trailing bytes", rr.r.Len())
	}
	if rr.err != nil {
		return fmt.Errorf("%w: %s: %w", ErrBadRecord, what, rr.err)
	}
	return nil
}

// Encode is the KindAsset value.
func (a *AssetState) Encode() []byte {
	d := &a.Detail
	b := make([]byte, 0, 1+len(d.Symbol)+len(d.Issuer)+len(d.Address)+len(d.Description)+70)
	b = append(b, recordVersion)
	b = codec.AppendVarString(b, d.Symbol)
	b = binary.LittleEndian.AppendUint64(b, d.MaximumSupply)
	b = append(b, d.Decimals, d.SecondaryIssueThreshold, d.Unused2, d.Unused3)
	b = codec.AppendVarString(b, d.Issuer)
	b = codec.AppendVarString(b, d.Address)
	b = codec.AppendVarString(b, d.Description)
	b = binary.LittleEndian.AppendUint64(b, a.Volume)
	b = binary.LittleEndian.AppendUint32(b, a.Height)
	return appendOutPoint(b, a.OutPoint)
}

// DecodeAssetState reads a KindAsset value.
func DecodeAssetState(b []byte) (AssetState, error) {
	rr := newRecordReader(b, "asset")
	var a AssetState
	d := &a.Detail
	d.Symbol = rr.str("symbol")
	d.MaximumSupply = rr.u64("maximum_supply")
	d.Decimals, d.SecondaryIssueThreshold = rr.u8("decimals"), rr.u8("threshold")
	d.Unused2, d.Unused3 = rr.u8("unused2"), rr.u8("unused3")
	d.Issuer, d.Address, d.Description = rr.str("issuer"), rr.str("address"), rr.str("description")
	a.Volume = rr.u64("volume")
	a.Height = rr.u32("height")
	a.OutPoint = rr.outPoint("outpoint")
	if err := rr.done("asset"); err != nil {
		return AssetState{}, err
	}
	return a, nil
}

// Encode is the KindCert value.
func (c *CertState) Encode() []byte {
	b := make([]byte, 0, 1+len(c.Symbol)+len(c.Owner)+len(c.Address)+len(c.Content)+60)
	b = append(b, recordVersion)
	b = codec.AppendVarString(b, c.Symbol)
	b = binary.LittleEndian.AppendUint32(b, c.Type)
	b = codec.AppendVarString(b, c.Owner)
	b = codec.AppendVarString(b, c.Address)
	b = append(b, c.Status)
	b = codec.AppendVarString(b, c.Content)
	b = binary.LittleEndian.AppendUint32(b, c.Height)
	b = binary.LittleEndian.AppendUint32(b, c.LastHeight)
	return appendOutPoint(b, c.OutPoint)
}

// DecodeCertState reads a KindCert value.
func DecodeCertState(b []byte) (CertState, error) {
	rr := newRecordReader(b, "certificate")
	var c CertState
	c.Symbol = rr.str("symbol")
	c.Type = rr.u32("type")
	c.Owner, c.Address = rr.str("owner"), rr.str("address")
	c.Status = rr.u8("status")
	c.Content = rr.str("content")
	c.Height, c.LastHeight = rr.u32("height"), rr.u32("last_height")
	c.OutPoint = rr.outPoint("outpoint")
	if err := rr.done("certificate"); err != nil {
		return CertState{}, err
	}
	return c, nil
}

// Encode is the KindMIT value.
func (m *MITState) Encode() []byte {
	b := make([]byte, 0, 1+len(m.Symbol)+len(m.Address)+len(m.Content)+55)
	b = append(b, recordVersion)
	b = codec.AppendVarString(b, m.Symbol)
	b = codec.AppendVarString(b, m.Address)
	b = codec.AppendVarString(b, m.Content)
	b = append(b, m.Status)
	b = binary.LittleEndian.AppendUint32(b, m.Height)
	b = binary.LittleEndian.AppendUint32(b, m.LastHeight)
	return appendOutPoint(b, m.OutPoint)
}

// DecodeMITState reads a KindMIT value.
func DecodeMITState(b []byte) (MITState, error) {
	rr := newRecordReader(b, "MIT")
	var m MITState
	m.Symbol, m.Address, m.Content = rr.str("symbol"), rr.str("address"), rr.str("content")
	m.Status = rr.u8("status")
	m.Height, m.LastHeight = rr.u32("height"), rr.u32("last_height")
	m.OutPoint = rr.outPoint("outpoint")
	if err := rr.done("MIT"); err != nil {
		return MITState{}, err
	}
	return m, nil
}

// encodeDID is the KindDID value: a binding whose height fits 32 bits (a block's).
func encodeDID(bd *did.Binding) []byte {
	b := make([]byte, 0, 1+len(bd.Symbol)+len(bd.Address)+50)
	b = append(b, recordVersion)
	b = codec.AppendVarString(b, bd.Symbol)
	b = codec.AppendVarString(b, bd.Address)
	b = binary.LittleEndian.AppendUint32(b, bd.Status)
	b = binary.LittleEndian.AppendUint32(b, uint32(bd.Height))
	return appendOutPoint(b, bd.OutPoint)
}

// DecodeDIDBinding reads a KindDID value: the DID's current binding.
func DecodeDIDBinding(b []byte) (did.Binding, error) {
	rr := newRecordReader(b, "DID")
	var bd did.Binding
	bd.Symbol, bd.Address = rr.str("symbol"), rr.str("address")
	bd.Status = rr.u32("status")
	bd.Height = uint64(rr.u32("height"))
	bd.OutPoint = rr.outPoint("outpoint")
	if err := rr.done("DID"); err != nil {
		return did.Binding{}, err
	}
	return bd, nil
}

func encodeDIDAddress(symbol string) []byte {
	return codec.AppendVarString([]byte{recordVersion}, symbol)
}

// DecodeDIDAddress reads a KindDIDAddress value: the symbol of the newest DID binding that
// named the key's address. That DID may have moved on since; check its current binding
// (StoreState's did.Registry does).
func DecodeDIDAddress(b []byte) (string, error) {
	rr := newRecordReader(b, "DID address")
	s := rr.str("symbol")
	if err := rr.done("DID address"); err != nil {
		return "", err
	}
	return s, nil
}

func encodeHolder(q uint64) []byte { return codec.AppendVarInt([]byte{recordVersion}, q) }

// DecodeHolder reads a KindHolder record (key and value).
func DecodeHolder(key, value []byte) (Holder, error) {
	var h Holder
	r := codec.NewReader(key)
	n, err := r.VarInt("holder.symbol_length")
	if err != nil || n == 0 || n >= uint64(r.Len()) {
		return Holder{}, fmt.Errorf("%w: holder key %x", ErrBadRecord, key)
	}
	rest := r.Rest()
	h.Symbol, h.Address = string(rest[:n]), string(rest[n:])
	rr := newRecordReader(value, "holder")
	h.Quantity = rr.varint("quantity")
	if err := rr.done("holder"); err != nil {
		return Holder{}, err
	}
	return h, nil
}

// Encode is the KindHistory value (the key is the entry's kind, name, heights and position).
func (e *HistoryEntry) Encode() []byte {
	b := make([]byte, 0, 1+len(e.Symbol)+len(e.Address)+len(e.Owner)+60)
	b = append(b, recordVersion)
	var flags byte
	if e.Secondary {
		flags = 1
	}
	b = append(b, flags)
	b = binary.LittleEndian.AppendUint32(b, e.Status)
	b = codec.AppendVarString(b, e.Symbol)
	b = codec.AppendVarString(b, e.Address)
	b = codec.AppendVarString(b, e.Owner)
	b = codec.AppendVarInt(b, e.Quantity)
	return append(b, e.OutPoint.Hash[:]...)
}

// DecodeHistoryEntry reads a KindHistory record (key and value).
func DecodeHistoryEntry(key, value []byte) (HistoryEntry, error) {
	bad := func(why string) (HistoryEntry, error) {
		return HistoryEntry{}, fmt.Errorf("%w: history key %x: %s", ErrBadRecord, key, why)
	}
	var e HistoryEntry
	if len(key) < 1 || !HistoryKind(key[0]).valid() {
		return bad("unknown kind")
	}
	e.Kind = HistoryKind(key[0])
	r := codec.NewReader(key[1:])
	n, err := r.VarInt("history.name_length")
	if err != nil {
		return bad("name length")
	}
	tail := uint64(12)
	if e.Kind == HistoryCert {
		tail = 16
	}
	if uint64(r.Len()) != n+tail {
		return bad("length")
	}
	rest := r.Rest()
	e.Name = string(rest[:n])
	rest = rest[n:]
	if e.Kind == HistoryCert {
		e.CertType = binary.BigEndian.Uint32(rest)
		rest = rest[4:]
	}
	e.Height = binary.BigEndian.Uint32(rest)
	e.TxIndex = binary.BigEndian.Uint32(rest[4:])
	e.OutPoint.Index = binary.BigEndian.Uint32(rest[8:])

	rr := newRecordReader(value, "history")
	flags := rr.u8("flags")
	if rr.err == nil && flags > 1 {
		rr.err = fmt.Errorf("flags %#x", flags)
	}
	e.Secondary = flags == 1
	e.Status = rr.u32("status")
	e.Symbol, e.Address, e.Owner = rr.str("symbol"), rr.str("address"), rr.str("owner")
	e.Quantity = rr.varint("quantity")
	if rr.err == nil {
		rr.err = rr.r.Fixed(e.OutPoint.Hash[:], "txid")
	}
	if err := rr.done("history"); err != nil {
		return HistoryEntry{}, err
	}
	return e, nil
}

// binding is the did.Binding a DID history entry records.
func (e *HistoryEntry) binding() did.Binding {
	return did.Binding{Symbol: e.Symbol, Address: e.Address, Status: e.Status, Height: uint64(e.Height), OutPoint: e.OutPoint}
}

// ---- the node's witness-certificate reading ----

// secondaryWitness is asset_cert::is_valid_secondary_witness: MVS.WITNESS.<n>.<x> with n a
// primary index (read as primaryWitness reads it) and x not empty, split as bc::split
// splits (trimmed, runs of '.' as one).
func secondaryWitness(symbol string) bool {
	if !strings.HasPrefix(symbol, asset.WitnessCertPrefix) {
		return false
	}
	items := splitRuns(strings.Trim(symbol[len(asset.WitnessCertPrefix):], " \t\n\v\f\r"), '.')
	return len(items) >= 2 && items[1] != "" && primaryWitness(asset.WitnessCertPrefix+items[0])
}

// secondaryWitnessExpiration is secondary_witness_cert_expiration (constants.cpp).
const secondaryWitnessExpiration = 2_000_000

// addressString is the address a script names as the node's payment_address::extract
// reads it, or "".
func addressString(s []byte, p *mvs.Params) string {
	a, ok := script.Script(script.NodeForm(s)).Address(p)
	if !ok {
		return ""
	}
	return a.String()
}

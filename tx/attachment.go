package tx

import (
	"encoding/binary"
	"fmt"

	"github.com/mvsgo/mvs/internal/codec"
)

// AttachmentType is the u32 type of an output's attachment.
type AttachmentType uint32

const (
	TypeETP       AttachmentType = 0 // plain ETP, no payload
	TypeETPAward  AttachmentType = 1 // deposit interest; database-only, decode only
	TypeAsset     AttachmentType = 2 // MST: issue, secondary issue or transfer
	TypeMessage   AttachmentType = 3
	TypeDID       AttachmentType = 4 // digital identity (avatar)
	TypeAssetCert AttachmentType = 5
	TypeMIT       AttachmentType = 6 // unique token
	// TypeCoinstakeNull marks the coinstake's empty first output (ATTACH_NULL_TYPE).
	TypeCoinstakeNull AttachmentType = 0xffffffff
)

func (t AttachmentType) String() string {
	switch t {
	case TypeETP:
		return "etp"
	case TypeETPAward:
		return "etp-award"
	case TypeAsset:
		return "asset"
	case TypeMessage:
		return "message"
	case TypeDID:
		return "did"
	case TypeAssetCert:
		return "asset-cert"
	case TypeMIT:
		return "mit"
	case TypeCoinstakeNull:
		return "coinstake"
	}
	return fmt.Sprintf("unknown-%d", uint32(t))
}

// Attachment versions.
const (
	// AttachVersionCoinbase is used by coinbase outputs and the coinstake null output.
	AttachVersionCoinbase uint32 = 0
	// AttachVersion is the version of normal wallet outputs.
	AttachVersion uint32 = 1
	// AttachVersionDID (DID_ATTACH_VERIFY_VERSION) adds to_did and from_did strings. Any
	// other version behaves like 1.
	AttachVersionDID uint32 = 207
)

// Attachment is the envelope every output carries after its script:
//
//	u32 version | u32 type | [version 207: varstr to_did | varstr from_did] | payload
//
// Payload is nil for ETP, the coinstake null type and unknown types (which carry no payload
// bytes); otherwise it is one of *ETPAward, *AssetDetail, *AssetTransfer, *Message, *DID,
// *AssetCert or *MIT, and must agree with Type.
type Attachment struct {
	Version uint32
	Type    AttachmentType
	// ToDID and FromDID are on the wire only when Version is 207, to_did first.
	ToDID   string
	FromDID string
	Payload Payload
}

// Payload is the typed body of an attachment.
type Payload interface {
	// AttachmentType is the type the payload belongs to.
	AttachmentType() AttachmentType
	appendTo(b []byte) []byte
	// consensusSize is the reference node's serialized_size(), capped per type (FIX_SIZE).
	consensusSize() int
}

// Asset statuses (the u32 after an asset attachment's type).
const (
	AssetStatusDetail   uint32 = 1
	AssetStatusTransfer uint32 = 2
)

// AssetDetail is an asset issue or secondary issue (asset status 1).
type AssetDetail struct {
	Symbol        string
	MaximumSupply uint64
	Decimals      uint8
	// SecondaryIssueThreshold: 0 never; 1–100 percent the issuer must hold; 127 freely. Bit
	// 7 (+128) marks the output that is itself a secondary issue.
	SecondaryIssueThreshold uint8
	// Unused2 and Unused3 are carried for byte-exact round trips; the node writes zero.
	Unused2, Unused3 uint8
	Issuer           string
	Address          string
	Description      string
}

// IsSecondaryIssue reports bit 7 of the threshold.
func (d *AssetDetail) IsSecondaryIssue() bool { return d.SecondaryIssueThreshold >= 128 }

// Threshold is the threshold without the secondary-issue marker bit.
func (d *AssetDetail) Threshold() uint8 { return d.SecondaryIssueThreshold &^ 128 }

func (*AssetDetail) AttachmentType() AttachmentType { return TypeAsset }
func (d *AssetDetail) appendTo(b []byte) []byte {
	b = binary.LittleEndian.AppendUint32(b, AssetStatusDetail)
	b = codec.AppendVarString(b, d.Symbol)
	b = binary.LittleEndian.AppendUint64(b, d.MaximumSupply)
	b = append(b, d.Decimals, d.SecondaryIssueThreshold, d.Unused2, d.Unused3)
	b = codec.AppendVarString(b, d.Issuer)
	b = codec.AppendVarString(b, d.Address)
	return codec.AppendVarString(b, d.Description)
}
func (d *AssetDetail) consensusSize() int {
	return 4 + min(assetDetailFixSize, len(d.Symbol)+8+4+len(d.Issuer)+len(d.Address)+len(d.Description)+4)
}

// AssetTransfer moves a quantity of an asset (asset status 2).
type AssetTransfer struct {
	Symbol   string
	Quantity uint64
}

func (*AssetTransfer) AttachmentType() AttachmentType { return TypeAsset }
func (t *AssetTransfer) appendTo(b []byte) []byte {
	b = binary.LittleEndian.AppendUint32(b, AssetStatusTransfer)
	b = codec.AppendVarString(b, t.Symbol)
	return binary.LittleEndian.AppendUint64(b, t.Quantity)
}
func (t *AssetTransfer) consensusSize() int {
	return 4 + min(assetTransferFixSize, len(t.Symbol)+1+8)
}

// Message is a text memo.
type Message struct{ Content string }

func (*Message) AttachmentType() AttachmentType { return TypeMessage }
func (m *Message) appendTo(b []byte) []byte     { return codec.AppendVarString(b, m.Content) }
func (m *Message) consensusSize() int {
	return min(messageFixSize, codec.VarIntSize(uint64(len(m.Content)))+len(m.Content))
}

// DID statuses.
const (
	DIDStatusRegister uint32 = 1
	DIDStatusTransfer uint32 = 2
)

// DID registers a digital identity or moves it to another address.
type DID struct {
	Status  uint32 // DIDStatusRegister or DIDStatusTransfer; a u32 on the wire
	Symbol  string
	Address string
}

func (*DID) AttachmentType() AttachmentType { return TypeDID }
func (d *DID) appendTo(b []byte) []byte {
	b = binary.LittleEndian.AppendUint32(b, d.Status)
	b = codec.AppendVarString(b, d.Symbol)
	return codec.AppendVarString(b, d.Address)
}
func (d *DID) consensusSize() int {
	return 4 + min(didDetailFixSize, len(d.Symbol)+1+len(d.Address)+1)
}

// Certificate types (bits 0–19 the type, bit 30 has-content, bit 31 custom).
const (
	CertIssue   uint32 = 1
	CertDomain  uint32 = 2
	CertNaming  uint32 = 3
	CertMining  uint32 = 0x60000004
	CertWitness uint32 = 5
	// CertMarriage and CertKYC are custom-range types.
	CertMarriage uint32 = 0x80000000
	CertKYC      uint32 = 0x80000001
	// CertHasContent is the bit that puts a content string on the wire.
	CertHasContent uint32 = 1 << 30
	// CertCustom marks the custom range.
	CertCustom uint32 = 1 << 31
)

// Certificate statuses.
const (
	CertStatusNormal    uint8 = 0
	CertStatusIssue     uint8 = 1
	CertStatusTransfer  uint8 = 2
	CertStatusAutoIssue uint8 = 3
)

// AssetCert is a certificate: the right to issue more of an asset, to a domain or a name,
// mining rights, a witness seat, or a custom type.
type AssetCert struct {
	Symbol   string
	Owner    string // a DID symbol
	Address  string
	CertType uint32
	Status   uint8
	// Content is on the wire only when CertType has CertHasContent.
	Content string
}

// HasContent reports bit 30 of the certificate type.
func (c *AssetCert) HasContent() bool { return c.CertType&CertHasContent != 0 }

func (*AssetCert) AttachmentType() AttachmentType { return TypeAssetCert }
func (c *AssetCert) appendTo(b []byte) []byte {
	b = codec.AppendVarString(b, c.Symbol)
	b = codec.AppendVarString(b, c.Owner)
	b = codec.AppendVarString(b, c.Address)
	b = binary.LittleEndian.AppendUint32(b, c.CertType)
	b = append(b, c.Status)
	if c.HasContent() {
		b = codec.AppendVarString(b, c.Content)
	}
	return b
}

// calcSize is asset_cert::calc_size: each string with its length byte, the u32 type and
// the status byte, and the content when the type says there is one.
func (c *AssetCert) calcSize() int {
	n := len(c.Symbol) + 1 + len(c.Owner) + 1 + len(c.Address) + 1 + 5
	if c.HasContent() {
		n += len(c.Content) + 1
	}
	return n
}

// consensusSize is asset_cert::serialized_size: min(calc_size, 197) for every certificate.
// Its branch for certificates with content computes a larger cap and discards it (no
// return), so content certificates are capped at 197 too.
func (c *AssetCert) consensusSize() int { return min(c.calcSize(), assetCertFixSize) }

// MIT statuses.
const (
	MITStatusRegister uint8 = 1
	MITStatusTransfer uint8 = 2
)

// MIT registers or transfers a unique token.
type MIT struct {
	Status  uint8
	Symbol  string
	Address string
	// Content is on the wire only for registration.
	Content string
}

func (*MIT) AttachmentType() AttachmentType { return TypeMIT }
func (m *MIT) appendTo(b []byte) []byte {
	b = append(b, m.Status)
	b = codec.AppendVarString(b, m.Symbol)
	b = codec.AppendVarString(b, m.Address)
	if m.Status == MITStatusRegister {
		b = codec.AppendVarString(b, m.Content)
	}
	return b
}
func (m *MIT) calcSize() int {
	n := len(m.Symbol) + 1 + len(m.Address) + 1 + 1
	if m.Status == MITStatusRegister {
		n += len(m.Content) + 1
	}
	return n
}

// maxSize is serialized_size's cap (the transfer cap is used only there).
func (m *MIT) maxSize() int {
	if m.Status == MITStatusRegister {
		return mitRegisterFixSize
	}
	return mitTransferFixSize
}
func (m *MIT) consensusSize() int { return min(m.calcSize(), m.maxSize()) }

// validSize is asset_mit::is_valid's limit, the same for both statuses: each string with
// its length byte, content included (empty for a transfer), within 64+64+256 bytes.
func (m *MIT) validSize() bool {
	return len(m.Symbol)+1+len(m.Address)+1+len(m.Content)+1 <= mitSymbolFixSize+mitAddressFixSize+mitContentFixSize
}

// ETPAward is the deposit-interest attachment the node keeps in its database. The
// libbitcoin parser reads its u64 height (and so hashes it); the consensus clone reads no
// payload. It is decoded and re-encoded for fidelity but never built.
type ETPAward struct{ Height uint64 }

func (*ETPAward) AttachmentType() AttachmentType { return TypeETPAward }
func (a *ETPAward) appendTo(b []byte) []byte     { return binary.LittleEndian.AppendUint64(b, a.Height) }
func (a *ETPAward) consensusSize() int           { return 8 }

// Fixed sizes from the reference's attachment headers (the caps of serialized_size and the
// limits of is_valid).
const (
	assetDetailFixSize   = 328
	assetTransferFixSize = 72 // 64-byte symbol field + u64
	messageFixSize       = 256
	didDetailFixSize     = 128
	assetCertFixSize     = 197
	assetCertContentSize = 261
	mitRegisterFixSize   = 385
	mitTransferFixSize   = 129
	mitSymbolFixSize     = 64
	mitAddressFixSize    = 64
	mitContentFixSize    = 256
)

// appendAttachment appends the envelope and payload.
func appendAttachment(b []byte, a *Attachment) []byte {
	b = binary.LittleEndian.AppendUint32(b, a.Version)
	b = binary.LittleEndian.AppendUint32(b, uint32(a.Type))
	if a.Version == AttachVersionDID {
		b = codec.AppendVarString(b, a.ToDID)
		b = codec.AppendVarString(b, a.FromDID)
	}
	return appendPayload(b, a.Payload)
}

// appendPayload dispatches with a type switch rather than through the interface: the set
// of payloads is closed (Payload has unexported methods), and a static call lets the
// compiler keep callers' stack buffers on the stack (Tx.Hash allocates nothing).
func appendPayload(b []byte, p Payload) []byte {
	switch p := p.(type) {
	case *AssetTransfer:
		return p.appendTo(b)
	case *AssetDetail:
		return p.appendTo(b)
	case *Message:
		return p.appendTo(b)
	case *DID:
		return p.appendTo(b)
	case *AssetCert:
		return p.appendTo(b)
	case *MIT:
		return p.appendTo(b)
	case *ETPAward:
		return p.appendTo(b)
	}
	return b
}

// consensusSize is attachment::serialized_size(): the reference counts each DID string as
// its length plus one, and caps payloads at their fixed sizes.
func (a *Attachment) consensusSize() int {
	n := 8
	if a.Version == AttachVersionDID {
		n += len(a.ToDID) + 1 + len(a.FromDID) + 1
	}
	if a.Payload != nil {
		n += a.Payload.consensusSize()
	}
	return n
}

// decodeAttachment reads an envelope and its payload. Field names in errors are relative
// ("attachment.symbol"); the caller prefixes the output index.
func decodeAttachment(r *codec.Reader, a *Attachment) error {
	var err error
	if a.Version, err = r.Uint32LE("attachment.version"); err != nil {
		return err
	}
	t, err := r.Uint32LE("attachment.type")
	if err != nil {
		return err
	}
	a.Type = AttachmentType(t)
	if a.Version == AttachVersionDID {
		if a.ToDID, err = r.VarString("attachment.to_did", r.Len()); err != nil {
			return err
		}
		if a.FromDID, err = r.VarString("attachment.from_did", r.Len()); err != nil {
			return err
		}
	}
	a.Payload = nil
	switch a.Type {
	case TypeETP, TypeCoinstakeNull:
		return nil
	case TypeETPAward:
		h, err := r.Uint64LE("attachment.height")
		if err != nil {
			return err
		}
		a.Payload = &ETPAward{Height: h}
	case TypeAsset:
		off := r.Offset()
		status, err := r.Uint32LE("attachment.status")
		if err != nil {
			return err
		}
		switch status {
		case AssetStatusDetail:
			d := &AssetDetail{}
			if err := decodeAssetDetail(r, d); err != nil {
				return err
			}
			a.Payload = d
		case AssetStatusTransfer:
			t := &AssetTransfer{}
			if t.Symbol, err = r.VarString("attachment.symbol", r.Len()); err != nil {
				return err
			}
			if t.Quantity, err = r.Uint64LE("attachment.quantity"); err != nil {
				return err
			}
			a.Payload = t
		default:
			return codec.FailAt("attachment.status", off, ErrAttachmentStatus,
				fmt.Sprintf("asset status %d is neither 1 (detail) nor 2 (transfer)", status))
		}
	case TypeMessage:
		m := &Message{}
		if m.Content, err = r.VarString("attachment.content", r.Len()); err != nil {
			return err
		}
		a.Payload = m
	case TypeDID:
		off := r.Offset()
		d := &DID{}
		if d.Status, err = r.Uint32LE("attachment.status"); err != nil {
			return err
		}
		if d.Status != DIDStatusRegister && d.Status != DIDStatusTransfer {
			return codec.FailAt("attachment.status", off, ErrAttachmentStatus,
				fmt.Sprintf("DID status %d is neither 1 (register) nor 2 (transfer)", d.Status))
		}
		if d.Symbol, err = r.VarString("attachment.symbol", r.Len()); err != nil {
			return err
		}
		if d.Address, err = r.VarString("attachment.address", r.Len()); err != nil {
			return err
		}
		a.Payload = d
	case TypeAssetCert:
		c := &AssetCert{}
		if c.Symbol, err = r.VarString("attachment.symbol", r.Len()); err != nil {
			return err
		}
		if c.Owner, err = r.VarString("attachment.owner", r.Len()); err != nil {
			return err
		}
		if c.Address, err = r.VarString("attachment.address", r.Len()); err != nil {
			return err
		}
		if c.CertType, err = r.Uint32LE("attachment.cert_type"); err != nil {
			return err
		}
		if c.Status, err = r.Uint8("attachment.cert_status"); err != nil {
			return err
		}
		if c.HasContent() {
			if c.Content, err = r.VarString("attachment.content", r.Len()); err != nil {
				return err
			}
		}
		a.Payload = c
	case TypeMIT:
		m := &MIT{}
		if m.Status, err = r.Uint8("attachment.status"); err != nil {
			return err
		}
		if m.Symbol, err = r.VarString("attachment.symbol", r.Len()); err != nil {
			return err
		}
		if m.Address, err = r.VarString("attachment.address", r.Len()); err != nil {
			return err
		}
		if m.Status == MITStatusRegister {
			if m.Content, err = r.VarString("attachment.content", r.Len()); err != nil {
				return err
			}
		}
		a.Payload = m
	}
	// Unknown types carry no payload and parse successfully, as in the reference node;
	// CheckSanity rejects them for transaction version 4 and later.
	return nil
}

func decodeAssetDetail(r *codec.Reader, d *AssetDetail) error {
	var err error
	if d.Symbol, err = r.VarString("attachment.symbol", r.Len()); err != nil {
		return err
	}
	if d.MaximumSupply, err = r.Uint64LE("attachment.maximum_supply"); err != nil {
		return err
	}
	var four [4]byte
	if err = r.Fixed(four[:], "attachment.decimal_number"); err != nil {
		return err
	}
	d.Decimals, d.SecondaryIssueThreshold, d.Unused2, d.Unused3 = four[0], four[1], four[2], four[3]
	if d.Issuer, err = r.VarString("attachment.issuer", r.Len()); err != nil {
		return err
	}
	if d.Address, err = r.VarString("attachment.address", r.Len()); err != nil {
		return err
	}
	d.Description, err = r.VarString("attachment.description", r.Len())
	return err
}

// payloadMatches reports whether the payload's kind agrees with the envelope's type.
func (a *Attachment) payloadMatches() bool {
	switch a.Type {
	case TypeETP, TypeCoinstakeNull:
		return a.Payload == nil
	case TypeETPAward, TypeAsset, TypeMessage, TypeDID, TypeAssetCert, TypeMIT:
		return a.Payload != nil && a.Payload.AttachmentType() == a.Type
	}
	return a.Payload == nil
}

package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/internal/codec"
	"github.com/mvsgo/mvs/tx"
)

// SchemaVersion is the layout of the file: bucket set, key forms and every value encoding
// below. Any change to them bumps it; Open refuses a file of another version.
//
// Version 2 added the side bucket (side-chain bodies).
const SchemaVersion uint32 = 2

// Status bits of a header record. The store only keeps them; package chain decides.
type Status uint8

const (
	// StatusHasBody: the block's body is known.
	StatusHasBody Status = 1 << iota
	// StatusValid: the block was fully validated.
	StatusValid
	// StatusInvalid: the block is known to be invalid (and so is every descendant).
	StatusInvalid

	statusAll = StatusHasBody | StatusValid | StatusInvalid
)

// HeaderRecord is what the headers bucket keeps per block hash.
type HeaderRecord struct {
	Header block.Header
	// Height is the block's height; PutHeader refuses a record whose Height differs from
	// Header.Height.
	Height uint32
	// Work is the cumulative work up to and including this header, a 256-bit big-endian
	// number the caller computes (the store does no arithmetic on it).
	Work   [32]byte
	Status Status
}

const headerRecordSize = block.HeaderSize + 4 + 32 + 1

func (r *HeaderRecord) encode() []byte {
	b := r.Header.AppendTo(make([]byte, 0, headerRecordSize))
	b = binary.BigEndian.AppendUint32(b, r.Height)
	b = append(b, r.Work[:]...)
	return append(b, byte(r.Status))
}

func decodeHeaderRecord(b []byte) (HeaderRecord, error) {
	var r HeaderRecord
	if len(b) != headerRecordSize {
		return r, corrupt(fmt.Sprintf("header record of %d bytes, want %d", len(b), headerRecordSize), nil)
	}
	h, err := block.DecodeHeader(b[:block.HeaderSize])
	if err != nil {
		return r, corrupt("header record", err)
	}
	r.Header = *h
	r.Height = binary.BigEndian.Uint32(b[block.HeaderSize:])
	copy(r.Work[:], b[block.HeaderSize+4:])
	r.Status = Status(b[headerRecordSize-1])
	if r.Status&^statusAll != 0 {
		return r, corrupt(fmt.Sprintf("header record status %#x has unknown bits", r.Status), nil)
	}
	return r, nil
}

// Entry is an unspent output as the utxo bucket keeps it.
type Entry struct {
	Value  mvs.Amount
	Script []byte
	// Attachment is the output's attachment in the transaction wire encoding (envelope and
	// payload); Output and PrevOut decode it.
	Attachment []byte
	// Height is the height of the block that created the output.
	Height    uint32
	Coinbase  bool
	Coinstake bool
}

const (
	entryCoinbase  = 1
	entryCoinstake = 2
	// maxScript caps a stored script or attachment: nothing in a block can be larger.
	maxField = block.MaxBlockSize
)

// NewEntry is the entry of output out of a transaction at height.
func NewEntry(out *tx.Output, height uint32, coinbase, coinstake bool) Entry {
	return Entry{Value: out.Value, Script: out.Script, Attachment: AttachmentBytes(&out.Attachment),
		Height: height, Coinbase: coinbase, Coinstake: coinstake}
}

// attachmentFrame is the encoding of a transaction with no inputs and one output of value
// 0 and an empty script, up to the output's attachment: the exported transaction encoder is
// the only one that knows the attachment format, so the store frames an attachment this way
// rather than keep a second copy of that format.
const attachmentFrame = "\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00"

// AttachmentBytes is the transaction wire encoding of an attachment.
func AttachmentBytes(a *tx.Attachment) []byte {
	if a.Payload == nil && a.Version != tx.AttachVersionDID {
		// Plain ETP, nearly every output: version and type, nothing else.
		return binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(make([]byte, 0, 8), a.Version), uint32(a.Type))
	}
	t := tx.Tx{Outputs: []tx.Output{{Attachment: *a}}}
	b := t.Bytes()
	return b[len(attachmentFrame) : len(b)-4]
}

// DecodeAttachment reads an attachment from its transaction wire encoding. Its errors wrap
// ErrCorrupt and the transaction decoder's error.
func DecodeAttachment(b []byte) (tx.Attachment, error) {
	if len(b) < 8 {
		return tx.Attachment{}, fmt.Errorf("%w: attachment of %d bytes, shorter than version and type", ErrCorrupt, len(b))
	}
	buf := make([]byte, 0, len(attachmentFrame)+len(b)+4)
	buf = append(append(buf, attachmentFrame...), b...)
	buf = append(buf, 0, 0, 0, 0)
	t, err := tx.Decode(buf)
	if err != nil {
		var de *mvs.DecodeError
		if errors.As(err, &de) {
			de.Offset = max(0, de.Offset-len(attachmentFrame)) // count from the attachment's start
		}
		return tx.Attachment{}, fmt.Errorf("%w: attachment: %w", ErrCorrupt, err)
	}
	return t.Outputs[0].Attachment, nil
}

// Output rebuilds the transaction output.
func (e *Entry) Output() (tx.Output, error) {
	a, err := DecodeAttachment(e.Attachment)
	if err != nil {
		return tx.Output{}, err
	}
	return tx.Output{Value: e.Value, Script: e.Script, Attachment: a}, nil
}

// PrevOut is what signing or verifying an input that spends op needs.
func (e *Entry) PrevOut(op tx.OutPoint) (tx.PrevOut, error) {
	a, err := DecodeAttachment(e.Attachment)
	if err != nil {
		return tx.PrevOut{}, err
	}
	return tx.PrevOut{OutPoint: op, Value: e.Value, Script: e.Script, Attachment: a, Height: e.Height}, nil
}

// encode: flags | varint height | varint value | varbytes script | varbytes attachment.
func (e *Entry) encode() []byte {
	b := make([]byte, 0, 1+5+9+3+len(e.Script)+3+len(e.Attachment))
	var f byte
	if e.Coinbase {
		f |= entryCoinbase
	}
	if e.Coinstake {
		f |= entryCoinstake
	}
	b = append(b, f)
	b = codec.AppendVarInt(b, uint64(e.Height))
	b = codec.AppendVarInt(b, uint64(e.Value))
	b = codec.AppendVarBytes(b, e.Script)
	return codec.AppendVarBytes(b, e.Attachment)
}

// decodeEntry decodes an entry; the result does not alias b.
func decodeEntry(b []byte) (Entry, error) {
	var e Entry
	r := codec.NewReader(b)
	if err := e.decodeFrom(r); err != nil {
		return Entry{}, err
	}
	if r.Len() != 0 {
		return Entry{}, corrupt("utxo entry", r.Fail("entry", codec.ErrTrailing, ""))
	}
	return e, nil
}

func (e *Entry) decodeFrom(r *codec.Reader) error {
	f, err := r.Uint8("entry.flags")
	if err != nil {
		return corrupt("utxo entry", err)
	}
	if f&^(entryCoinbase|entryCoinstake) != 0 {
		return corrupt(fmt.Sprintf("utxo entry flags %#x have unknown bits", f), nil)
	}
	e.Coinbase, e.Coinstake = f&entryCoinbase != 0, f&entryCoinstake != 0
	h, err := r.VarInt("entry.height")
	if err != nil {
		return corrupt("utxo entry", err)
	}
	if h > math.MaxUint32 {
		return corrupt(fmt.Sprintf("utxo entry height %d", h), nil)
	}
	e.Height = uint32(h)
	v, err := r.VarInt("entry.value")
	if err != nil {
		return corrupt("utxo entry", err)
	}
	e.Value = mvs.Amount(v)
	s, err := r.VarBytes("entry.script", maxField)
	if err != nil {
		return corrupt("utxo entry", err)
	}
	a, err := r.VarBytes("entry.attachment", maxField)
	if err != nil {
		return corrupt("utxo entry", err)
	}
	e.Script = bytes.Clone(s)
	e.Attachment = bytes.Clone(a)
	if e.Script == nil {
		e.Script = []byte{}
	}
	if e.Attachment == nil {
		e.Attachment = []byte{}
	}
	return nil
}

// TxLocation is where a transaction is: the main-chain height of its block, its position in
// the block, and the byte range of its encoding in the raw block.
type TxLocation struct {
	Height uint32
	Index  uint32
	Offset uint32
	Size   uint32
}

const txLocationSize = 16

func (l TxLocation) encode() []byte {
	b := make([]byte, 0, txLocationSize)
	b = binary.BigEndian.AppendUint32(b, l.Height)
	b = binary.BigEndian.AppendUint32(b, l.Index)
	b = binary.BigEndian.AppendUint32(b, l.Offset)
	return binary.BigEndian.AppendUint32(b, l.Size)
}

func decodeTxLocation(b []byte) (TxLocation, error) {
	if len(b) != txLocationSize {
		return TxLocation{}, corrupt(fmt.Sprintf("tx location of %d bytes, want %d", len(b), txLocationSize), nil)
	}
	return TxLocation{binary.BigEndian.Uint32(b), binary.BigEndian.Uint32(b[4:]),
		binary.BigEndian.Uint32(b[8:]), binary.BigEndian.Uint32(b[12:])}, nil
}

// tip: hash | height u32 big-endian.
func encodeTip(h mvs.Hash, height uint32) []byte {
	return binary.BigEndian.AppendUint32(append(make([]byte, 0, 36), h[:]...), height)
}

func decodeTip(b []byte) (mvs.Hash, uint32, error) {
	if len(b) != 36 {
		return mvs.Hash{}, 0, corrupt(fmt.Sprintf("tip of %d bytes, want 36", len(b)), nil)
	}
	return mvs.Hash(b[:32]), binary.BigEndian.Uint32(b[32:]), nil
}

// outpointKey: hash (internal order) | index u32 big-endian, so a transaction's outputs
// are adjacent and in order.
func outpointKey(op tx.OutPoint) []byte {
	return binary.BigEndian.AppendUint32(append(make([]byte, 0, 36), op.Hash[:]...), op.Index)
}

func decodeOutpointKey(k []byte) (tx.OutPoint, bool) {
	if len(k) != 36 {
		return tx.OutPoint{}, false
	}
	return tx.OutPoint{Hash: mvs.Hash(k[:32]), Index: binary.BigEndian.Uint32(k[32:])}, true
}

func heightKey(h uint32) []byte { return binary.BigEndian.AppendUint32(nil, h) }

// addrKeySize: version byte | hash160.
const addrKeySize = 21

func addressKey(a mvs.Address) []byte {
	return append(append(make([]byte, 0, addrKeySize+72), a.Version), a.Hash[:]...)
}

// historyKey: address | height u32 | tx position u32 | txid. Sorted by height, then by the
// transaction's place in its block: a page is one range scan.
func historyKey(addr []byte, height, pos uint32, txid mvs.Hash) []byte {
	b := append(make([]byte, 0, addrKeySize+40), addr...)
	b = binary.BigEndian.AppendUint32(b, height)
	b = binary.BigEndian.AppendUint32(b, pos)
	return append(b, txid[:]...)
}

// addrUTXOKey: address | outpoint key.
func addrUTXOKey(addr []byte, op tx.OutPoint) []byte {
	return append(append(make([]byte, 0, addrKeySize+36), addr...), outpointKey(op)...)
}

// undo is what disconnecting a block needs beyond the block itself: every spent entry with
// its outpoint, in spending order, and the prior value (or absence) of every record and
// transaction-index key the block overwrote, in writing order.
type undo struct {
	spent  []spentEntry
	priors []prior
}

type spentEntry struct {
	op    tx.OutPoint
	entry Entry
}

type prior struct {
	bucket  int
	key     []byte
	present bool
	value   []byte
}

// encode: varint n | (outpoint 36 | varbytes entry)* | varint m |
// (bucket u8 | varbytes key | u8 present | [varbytes value])*.
func (u *undo) encode() []byte {
	var b []byte
	b = codec.AppendVarInt(b, uint64(len(u.spent)))
	for i := range u.spent {
		b = append(b, outpointKey(u.spent[i].op)...)
		b = codec.AppendVarBytes(b, u.spent[i].entry.encode())
	}
	b = codec.AppendVarInt(b, uint64(len(u.priors)))
	for _, p := range u.priors {
		b = append(b, byte(p.bucket))
		b = codec.AppendVarBytes(b, p.key)
		if p.present {
			b = append(b, 1)
			b = codec.AppendVarBytes(b, p.value)
		} else {
			b = append(b, 0)
		}
	}
	return b
}

// maxValue caps a stored value: bbolt's own limit is far larger, but no record, block or
// entry this package writes comes near it.
const maxValue = 1 << 30

func decodeUndo(b []byte) (*undo, error) {
	u := &undo{}
	r := codec.NewReader(b)
	n, err := r.Count("undo.spent_count", 36+1+5, math.MaxInt32)
	if err != nil {
		return nil, corrupt("undo", err)
	}
	u.spent = make([]spentEntry, n)
	for i := range u.spent {
		var k [36]byte
		if err := r.Fixed(k[:], "undo.outpoint"); err != nil {
			return nil, corrupt("undo", err)
		}
		u.spent[i].op, _ = decodeOutpointKey(k[:])
		eb, err := r.VarBytes("undo.entry", maxValue)
		if err != nil {
			return nil, corrupt("undo", err)
		}
		if u.spent[i].entry, err = decodeEntry(eb); err != nil {
			return nil, err
		}
	}
	m, err := r.Count("undo.prior_count", 1+1+1+1, math.MaxInt32)
	if err != nil {
		return nil, corrupt("undo", err)
	}
	u.priors = make([]prior, m)
	for i := range u.priors {
		p := &u.priors[i]
		bk, err := r.Uint8("undo.bucket")
		if err != nil {
			return nil, corrupt("undo", err)
		}
		if !undoableBucket(int(bk)) {
			return nil, corrupt(fmt.Sprintf("undo names bucket %d", bk), nil)
		}
		p.bucket = int(bk)
		k, err := r.VarBytes("undo.key", maxKey)
		if err != nil {
			return nil, corrupt("undo", err)
		}
		if len(k) == 0 {
			return nil, corrupt("undo: empty key", nil)
		}
		p.key = bytes.Clone(k)
		pr, err := r.Uint8("undo.present")
		if err != nil {
			return nil, corrupt("undo", err)
		}
		switch pr {
		case 0:
		case 1:
			v, err := r.VarBytes("undo.value", maxValue)
			if err != nil {
				return nil, corrupt("undo", err)
			}
			p.present, p.value = true, bytes.Clone(v)
			if p.value == nil {
				p.value = []byte{}
			}
		default:
			return nil, corrupt(fmt.Sprintf("undo presence byte %d", pr), nil)
		}
	}
	if r.Len() != 0 {
		return nil, corrupt(fmt.Sprintf("undo: %d trailing bytes", r.Len()), nil)
	}
	return u, nil
}

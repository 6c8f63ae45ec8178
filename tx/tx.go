package tx

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/internal/codec"
	"github.com/mvsgo/mvs/tx/script"
)

// Transaction versions (transaction.hpp transaction_version).
const (
	// VersionGenesis is used only by the genesis coinbase.
	VersionGenesis uint32 = 0
	// VersionFirst is used by coinbases.
	VersionFirst uint32 = 1
	// VersionCheckOutputScript makes every output script standard and enables relative locks.
	VersionCheckOutputScript uint32 = 2
	// VersionNovaTestnet is testnet only.
	VersionNovaTestnet uint32 = 3
	// VersionNova is SuperNova: attachment validity, symbol and certificate rules. Mandatory
	// for non-coinbase transactions after the PoS fork.
	VersionNova uint32 = 4
	// VersionMax is the first version the node rejects.
	VersionMax uint32 = 5
)

// MaxTxSize is the consensus cap on a transaction's (reference-computed) size.
const MaxTxSize = 1_000_000

// OutPoint names an output of an earlier transaction.
type OutPoint struct {
	Hash  mvs.Hash
	Index uint32
}

// nullIndex is the index of the coinbase's null previous output (with a zero hash).
const nullIndex uint32 = 0xffffffff

// IsNull reports whether o is the coinbase's null previous output.
func (o OutPoint) IsNull() bool { return o.Index == nullIndex && o.Hash.IsZero() }

// String is "display-hash:index".
func (o OutPoint) String() string {
	return o.Hash.String() + ":" + strconv.FormatUint(uint64(o.Index), 10)
}

// Input spends an earlier output.
type Input struct {
	PreviousOutput OutPoint
	Script         []byte // scriptSig; raw for coinbases
	Sequence       uint32
}

// Output pays Value satoshi to Script and carries an Attachment.
type Output struct {
	Value      mvs.Amount
	Script     []byte
	Attachment Attachment
}

// Tx is an MVS transaction: a Bitcoin transaction (no witness) whose outputs carry
// attachments.
type Tx struct {
	Version  uint32
	Inputs   []Input
	Outputs  []Output
	LockTime uint32
}

// Minimum encoded sizes, used to refuse counts that cannot fit before allocating.
const (
	minInputSize  = 32 + 4 + 1 + 4
	minOutputSize = 8 + 1 + 4 + 4
	// MinTxSize is the smallest encoding: version, two zero counts, lock time.
	MinTxSize = 4 + 1 + 1 + 4
)

// Decode parses one transaction that fills b exactly. The returned transaction owns its
// memory: b is copied once and scripts slice that copy.
func Decode(b []byte) (*Tx, error) {
	t := new(Tx)
	if err := t.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return t, nil
}

// UnmarshalBinary implements encoding.BinaryUnmarshaler: b must hold exactly one
// transaction.
func (t *Tx) UnmarshalBinary(b []byte) error {
	own := make([]byte, len(b))
	copy(own, b)
	r := codec.NewReader(own)
	if err := t.decodeFrom(r); err != nil {
		return err
	}
	if r.Len() != 0 {
		return r.Fail("tx", ErrTrailing, fmt.Sprintf("%d bytes after the lock time", r.Len()))
	}
	return nil
}

// DecodePrefix reads one transaction from the start of b and returns how many bytes it
// used; bytes after it are left alone (a stream, or a block's next transaction). Unlike
// Decode it does not copy: the result's scripts alias b, so b must not change while t is in
// use. Error offsets count from the start of b.
func (t *Tx) DecodePrefix(b []byte) (int, error) {
	r := codec.NewReader(b)
	err := t.decodeFrom(r)
	return r.Offset(), err
}

// decodeFrom reads one transaction from r; byte slices in the result alias r's buffer.
func (t *Tx) decodeFrom(r *codec.Reader) error {
	var err error
	if t.Version, err = r.Uint32LE("version"); err != nil {
		return err
	}
	nIn, err := r.Count("input_count", minInputSize, MaxTxSize)
	if err != nil {
		return err
	}
	t.Inputs = make([]Input, nIn)
	for i := range t.Inputs {
		if err := decodeInput(r, &t.Inputs[i]); err != nil {
			return prefixErr(err, "input", i)
		}
	}
	nOut, err := r.Count("output_count", minOutputSize, MaxTxSize)
	if err != nil {
		return err
	}
	t.Outputs = make([]Output, nOut)
	for i := range t.Outputs {
		if err := decodeOutput(r, &t.Outputs[i]); err != nil {
			return prefixErr(err, "output", i)
		}
	}
	t.LockTime, err = r.Uint32LE("lock_time")
	return err
}

func decodeInput(r *codec.Reader, in *Input) error {
	if err := r.Fixed(in.PreviousOutput.Hash[:], "previous_output.hash"); err != nil {
		return err
	}
	var err error
	if in.PreviousOutput.Index, err = r.Uint32LE("previous_output.index"); err != nil {
		return err
	}
	if in.Script, err = r.VarBytes("script", r.Len()); err != nil {
		return err
	}
	in.Sequence, err = r.Uint32LE("sequence")
	return err
}

func decodeOutput(r *codec.Reader, out *Output) error {
	var err error
	v, err := r.Uint64LE("value")
	if err != nil {
		return err
	}
	out.Value = mvs.Amount(v)
	if out.Script, err = r.VarBytes("script", r.Len()); err != nil {
		return err
	}
	return decodeAttachment(r, &out.Attachment)
}

// prefixErr names the element an error happened in: "output[2].attachment.symbol".
func prefixErr(err error, what string, i int) error {
	if e, ok := err.(*DecodeError); ok {
		e.Field = what + "[" + strconv.Itoa(i) + "]." + e.Field
	}
	return err
}

// SerializeSize is the exact number of bytes AppendTo writes.
func (t *Tx) SerializeSize() int { return t.size(attachmentSize) }

// size adds up the encoding with attachments counted by attSize: the true size
// (SerializeSize) or the reference's capped count (ConsensusSize).
func (t *Tx) size(attSize func(*Attachment) int) int {
	n := 4 + codec.VarIntSize(uint64(len(t.Inputs))) + codec.VarIntSize(uint64(len(t.Outputs))) + 4
	coinbase := t.IsCoinbase()
	for i := range t.Inputs {
		s := len(inputScript(&t.Inputs[i], coinbase))
		n += 32 + 4 + codec.VarIntSize(uint64(s)) + s + 4
	}
	for i := range t.Outputs {
		o := &t.Outputs[i]
		s := len(script.NodeForm(o.Script))
		n += 8 + codec.VarIntSize(uint64(s)) + s + attSize(&o.Attachment)
	}
	return n
}

// inputScript is an input's script as the node serializes it: parsed and written back
// (script.NodeForm), except a coinbase's, which the node keeps as raw bytes.
func inputScript(in *Input, coinbase bool) []byte {
	if coinbase {
		return in.Script
	}
	return script.NodeForm(in.Script)
}

func attachmentSize(a *Attachment) int {
	n := 8
	if a.Version == AttachVersionDID {
		n += codec.VarIntSize(uint64(len(a.ToDID))) + len(a.ToDID) + codec.VarIntSize(uint64(len(a.FromDID))) + len(a.FromDID)
	}
	if a.Payload != nil {
		// Payloads are small; sizing them by encoding into a stack buffer is simpler than a
		// second size function per type that could drift from appendTo.
		var buf [512]byte
		n += len(appendPayload(buf[:0], a.Payload))
	}
	return n
}

// AppendTo appends the wire encoding of t to b: the node's serialization, so scripts are
// written in script.NodeForm (identical for every script but those with a 0xbb opcode).
func (t *Tx) AppendTo(b []byte) []byte {
	b = binary.LittleEndian.AppendUint32(b, t.Version)
	b = codec.AppendVarInt(b, uint64(len(t.Inputs)))
	coinbase := t.IsCoinbase()
	for i := range t.Inputs {
		in := &t.Inputs[i]
		b = append(b, in.PreviousOutput.Hash[:]...)
		b = binary.LittleEndian.AppendUint32(b, in.PreviousOutput.Index)
		b = codec.AppendVarBytes(b, inputScript(in, coinbase))
		b = binary.LittleEndian.AppendUint32(b, in.Sequence)
	}
	b = codec.AppendVarInt(b, uint64(len(t.Outputs)))
	for i := range t.Outputs {
		b = appendOutput(b, &t.Outputs[i])
	}
	return binary.LittleEndian.AppendUint32(b, t.LockTime)
}

func appendOutput(b []byte, o *Output) []byte {
	b = binary.LittleEndian.AppendUint64(b, uint64(o.Value))
	b = codec.AppendVarBytes(b, script.NodeForm(o.Script))
	return appendAttachment(b, &o.Attachment)
}

// Bytes returns the wire encoding.
func (t *Tx) Bytes() []byte { return t.AppendTo(make([]byte, 0, t.SerializeSize())) }

// MarshalBinary implements encoding.BinaryMarshaler. It fails only when an attachment's
// payload does not match its type.
func (t *Tx) MarshalBinary() ([]byte, error) {
	for i := range t.Outputs {
		if !t.Outputs[i].Attachment.payloadMatches() {
			return nil, fmt.Errorf("output[%d]: %w: type %v, payload %T", i, ErrPayloadMismatch,
				t.Outputs[i].Attachment.Type, t.Outputs[i].Attachment.Payload)
		}
	}
	return t.Bytes(), nil
}

// Hash is the transaction id: double-SHA256 of the encoding. Like the reference node, it
// hashes the re-serialization of the parsed transaction, so a non-canonical varint, an
// attachment string cut at a NUL byte or a script with a 0xbb opcode hashes as the node
// hashes it.
func (t *Tx) Hash() mvs.Hash {
	var stack [2048]byte
	return hashBytes(t.AppendTo(stack[:0]))
}

func hashBytes(b []byte) mvs.Hash {
	first := sha256.Sum256(b)
	return mvs.Hash(sha256.Sum256(first[:]))
}

// IsCoinbase reports one input spending the null outpoint.
func (t *Tx) IsCoinbase() bool {
	return len(t.Inputs) == 1 && t.Inputs[0].PreviousOutput.IsNull()
}

// IsCoinstake reports the PoS coinstake shape (transaction.cpp is_coinstake): not a
// coinbase, at least two outputs, the first an empty null-type output of value zero, and
// the second paying the address that signs the first input (both none counts as equal, as
// the node compares the two address strings).
func (t *Tx) IsCoinstake() bool {
	if len(t.Inputs) == 0 || t.IsCoinbase() || len(t.Outputs) < 2 {
		return false
	}
	o := &t.Outputs[0]
	if o.Value != 0 || len(o.Script) != 0 || o.Attachment.Type != TypeCoinstakeNull {
		return false
	}
	return addressKey(t.Inputs[0].Script) == addressKey(t.Outputs[1].Script)
}

// anyNetwork serves addressKey: both sides of the comparison use it, so only the kind and
// hash of an address decide, and they do not depend on the network.
var anyNetwork = &mvs.Params{}

// addressKey is get_script_address for comparison: the zero Address when there is none,
// as the node's empty string.
func addressKey(s []byte) mvs.Address {
	a, _ := script.Script(script.NodeForm(s)).Address(anyNetwork)
	return a
}

// ConsensusSize is the size the reference node's serialized_size() computes, which the 1 MB
// transaction and block limits use: the true size, except that attachments count each DID
// string as length+1 and payloads are capped at their fixed sizes.
func (t *Tx) ConsensusSize() int { return t.size((*Attachment).consensusSize) }

// SignatureHashKey identifies a transaction independently of its input scripts: the hash of
// its encoding with every scriptSig emptied. Two copies signed by different parties have the
// same key.
func (t *Tx) SignatureHashKey() mvs.Hash {
	c := *t
	c.Inputs = make([]Input, len(t.Inputs))
	for i, in := range t.Inputs {
		c.Inputs[i] = Input{PreviousOutput: in.PreviousOutput, Sequence: in.Sequence}
	}
	return c.Hash()
}

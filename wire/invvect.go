package wire

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/internal/codec"
)

// InvType is an inventory vector's type code (u32 on the wire).
type InvType uint32

// Inventory types of the reference node. Type 3 (a filtered block) is not decoded by it:
// the node maps it, like every other unknown code, to "none", which it re-encodes as 0.
// This package keeps the raw code so that decoding and re-encoding give the same bytes.
const (
	InvTypeError         InvType = 0
	InvTypeTx            InvType = 1
	InvTypeBlock         InvType = 2
	InvTypeFilteredBlock InvType = 3
	InvTypeCompactBlock  InvType = 4
)

// String is the type's name, or its number when it has none.
func (t InvType) String() string {
	switch t {
	case InvTypeError:
		return "error"
	case InvTypeTx:
		return "tx"
	case InvTypeBlock:
		return "block"
	case InvTypeFilteredBlock:
		return "filtered_block"
	case InvTypeCompactBlock:
		return "compact_block"
	}
	return strconv.FormatUint(uint64(t), 10)
}

// MarshalText writes the name (or the number of an unnamed code).
func (t InvType) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText reads a name or a decimal code.
func (t *InvType) UnmarshalText(b []byte) error {
	for k := InvTypeError; k <= InvTypeCompactBlock; k++ {
		if k.String() == string(b) {
			*t = k
			return nil
		}
	}
	n, err := strconv.ParseUint(string(b), 10, 32)
	if err != nil {
		return fmt.Errorf("%w: inventory type %q", ErrInvalidValue, b)
	}
	*t = InvType(n)
	return nil
}

// InvVect is an inventory vector: a type and a hash (internal order on the wire; JSON and
// String show it reversed).
type InvVect struct {
	Type InvType  `json:"type"`
	Hash mvs.Hash `json:"hash"`
}

// invVectSize is the encoded size of an inventory vector.
const invVectSize = 4 + mvs.HashSize

// MaxInvPerMsg is the most inventory vectors that fit in MaxPayloadSize (with a 3-byte
// count): the reference caps inv, getdata and notfound by the payload size only.
const MaxInvPerMsg = (MaxPayloadSize - 3) / invVectSize

// invList is the shared body of inv, getdata and notfound.
func appendInvList(b []byte, list []InvVect) ([]byte, error) {
	if len(list) > MaxInvPerMsg {
		return b, fmt.Errorf("%w: %d inventory vectors, the limit is %d", ErrTooLarge, len(list), MaxInvPerMsg)
	}
	b = slices.Grow(b, 9+len(list)*invVectSize)
	b = codec.AppendVarInt(b, uint64(len(list)))
	for i := range list {
		b = appendUint32(b, uint32(list[i].Type))
		b = append(b, list[i].Hash[:]...)
	}
	return b, nil
}

func decodeInvList(r *codec.Reader) ([]InvVect, error) {
	n, err := r.Count("count", invVectSize, MaxInvPerMsg)
	if err != nil {
		return nil, err
	}
	// Count checked that n vectors fit in the bytes left, so they are read without checks.
	list := make([]InvVect, n)
	raw := r.Rest()[:n*invVectSize]
	for i := range list {
		e := raw[i*invVectSize:]
		list[i].Type = InvType(binary.LittleEndian.Uint32(e))
		copy(list[i].Hash[:], e[4:invVectSize])
	}
	r.Skip(len(raw))
	return list, nil
}

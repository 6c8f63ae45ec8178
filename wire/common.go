package wire

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/internal/codec"
)

func appendUint32(b []byte, v uint32) []byte { return binary.LittleEndian.AppendUint32(b, v) }
func appendUint64(b []byte, v uint64) []byte { return binary.LittleEndian.AppendUint64(b, v) }

// HexBytes is a byte string shown as hex in JSON (filters, merkle flags).
type HexBytes []byte

// MarshalText writes lower-case hex.
func (h HexBytes) MarshalText() ([]byte, error) { return []byte(hex.EncodeToString(h)), nil }

// UnmarshalText reads hex.
func (h *HexBytes) UnmarshalText(b []byte) error {
	v, err := hex.DecodeString(string(b))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidValue, err)
	}
	*h = v
	return nil
}

// decodeHashes reads a varint count (at most max) and that many 32-byte hashes.
func decodeHashes(r *codec.Reader, field string, max int) ([]mvs.Hash, error) {
	n, err := r.Count(field+".count", mvs.HashSize, max)
	if err != nil {
		return nil, err
	}
	hs := make([]mvs.Hash, n)
	raw := r.Rest()[:n*mvs.HashSize]
	for i := range hs {
		copy(hs[i][:], raw[i*mvs.HashSize:])
	}
	r.Skip(len(raw))
	return hs, nil
}

func appendHashes(b []byte, hs []mvs.Hash) []byte {
	b = slices.Grow(b, 9+len(hs)*mvs.HashSize)
	b = codec.AppendVarInt(b, uint64(len(hs)))
	for i := range hs {
		b = append(b, hs[i][:]...)
	}
	return b
}

// tooMany is the error for a count above its cap when encoding.
func tooMany(what string, n, max int) error {
	return fmt.Errorf("%w: %d %s, the limit is %d", ErrTooLarge, n, what, max)
}

// MaxLocatorsPerMsg is the most locator hashes a getblocks or getheaders can carry within
// MaxPayloadSize; the reference has no other cap at decoding (mvsd's log2 rule is a
// protocol rule, applied after decoding).
const MaxLocatorsPerMsg = (MaxPayloadSize - 4 - 3 - mvs.HashSize) / mvs.HashSize

package block

import (
	"encoding/binary"
	"fmt"
	"math/big"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/internal/codec"
	"golang.org/x/crypto/sha3"
)

// Block versions.
const (
	VersionPoW  uint32 = 1
	VersionPoS  uint32 = 2
	VersionDPoS uint32 = 3 // defined, but disabled on the public networks
)

// HeaderSize is the encoded size of a header without the transaction count.
const HeaderSize = mvs.HeaderSize

// Difficulty is the header's 32-byte big-endian `bits` field. MVS stores the difficulty
// itself there, not a compact target.
type Difficulty [32]byte

// DifficultyFromUint64 returns d as a Difficulty.
func DifficultyFromUint64(d uint64) Difficulty {
	var b Difficulty
	binary.BigEndian.PutUint64(b[24:], d)
	return b
}

// DifficultyFromBig returns d as a Difficulty; it fails when d is negative or needs more than
// 256 bits.
func DifficultyFromBig(d *big.Int) (Difficulty, error) {
	var b Difficulty
	if d.Sign() < 0 || d.BitLen() > 256 {
		return b, fmt.Errorf("block: difficulty %v does not fit in 256 unsigned bits", d)
	}
	d.FillBytes(b[:])
	return b, nil
}

// Big returns the difficulty as a big integer.
func (d Difficulty) Big() *big.Int { return new(big.Int).SetBytes(d[:]) }

// Uint64 returns the difficulty and whether it fits in 64 bits (every real one does).
func (d Difficulty) Uint64() (uint64, bool) {
	for _, c := range d[:24] {
		if c != 0 {
			return 0, false
		}
	}
	return binary.BigEndian.Uint64(d[24:]), true
}

// String is the decimal difficulty, as the node's JSON prints it.
func (d Difficulty) String() string { return d.Big().String() }

// Header is the 148-byte MVS block header.
type Header struct {
	Version           uint32
	PreviousBlockHash mvs.Hash
	MerkleRoot        mvs.Hash
	Timestamp         uint32
	// Bits is the difficulty as a 256-bit big-endian integer.
	Bits Difficulty
	// Nonce is the Ethash nonce (PoW), 0 (PoS) or the witness slot (DPoS); big-endian on
	// the wire, little-endian inside Ethash.
	Nonce uint64
	// MixHash is the Ethash mix digest exactly as Ethash outputs it (PoW), zero otherwise.
	MixHash [32]byte
	Height  uint32
}

// AppendTo appends the 148-byte encoding.
func (h *Header) AppendTo(b []byte) []byte {
	b = binary.LittleEndian.AppendUint32(b, h.Version)
	b = append(b, h.PreviousBlockHash[:]...)
	b = append(b, h.MerkleRoot[:]...)
	b = binary.LittleEndian.AppendUint32(b, h.Timestamp)
	b = append(b, h.Bits[:]...)
	b = binary.BigEndian.AppendUint64(b, h.Nonce)
	b = append(b, h.MixHash[:]...)
	return binary.LittleEndian.AppendUint32(b, h.Height)
}

// Bytes returns the 148-byte encoding.
func (h *Header) Bytes() []byte { return h.AppendTo(make([]byte, 0, HeaderSize)) }

// decodeFrom reads a 148-byte header.
func (h *Header) decodeFrom(r *codec.Reader) error {
	var err error
	if h.Version, err = r.Uint32LE("header.version"); err != nil {
		return err
	}
	if err = r.Fixed(h.PreviousBlockHash[:], "header.previous_block_hash"); err != nil {
		return err
	}
	if err = r.Fixed(h.MerkleRoot[:], "header.merkle"); err != nil {
		return err
	}
	if h.Timestamp, err = r.Uint32LE("header.timestamp"); err != nil {
		return err
	}
	if err = r.Fixed(h.Bits[:], "header.bits"); err != nil {
		return err
	}
	if h.Nonce, err = r.Uint64BE("header.nonce"); err != nil {
		return err
	}
	if err = r.Fixed(h.MixHash[:], "header.mixhash"); err != nil {
		return err
	}
	h.Height, err = r.Uint32LE("header.number")
	return err
}

// DecodeHeader parses exactly 148 bytes.
func DecodeHeader(b []byte) (*Header, error) {
	r := codec.NewReader(b)
	h := new(Header)
	if err := h.decodeFrom(r); err != nil {
		return nil, err
	}
	if r.Len() != 0 {
		return nil, r.Fail("header", ErrTrailing, fmt.Sprintf("%d bytes after the header", r.Len()))
	}
	return h, nil
}

// Hash is the block hash: double-SHA256 of the 148-byte header, for every block version.
func (h *Header) Hash() mvs.Hash {
	var buf [HeaderSize]byte
	return mvs.DoubleSHA256(h.AppendTo(buf[:0]))
}

// SealHash is the header hash Ethash seals (HeaderAux::hashHead): legacy Keccak-256 of the
// bare concatenation — no outer list — of RLP(version), RLP(bits), RLP(height), the merkle
// root and the previous hash each as an RLP list of 32 per-byte integers (internal order),
// and RLP(timestamp). Nonce and mix digest are excluded. The list-of-byte-integers encoding
// is the reference's std::array overload of RLPStream::append, and consensus-critical.
func (h *Header) SealHash() [32]byte {
	var buf [5 + 33 + 5 + 2*(2+64) + 5]byte
	b := appendRLPUint(buf[:0], uint64(h.Version))
	b = appendRLPBigEndian(b, h.Bits[:])
	b = appendRLPUint(b, uint64(h.Height))
	b = appendRLPByteList(b, h.MerkleRoot[:])
	b = appendRLPByteList(b, h.PreviousBlockHash[:])
	b = appendRLPUint(b, uint64(h.Timestamp))
	k := sha3.NewLegacyKeccak256()
	k.Write(b)
	var out [32]byte
	k.Sum(out[:0])
	return out
}

// appendRLPBigEndian appends an RLP integer given as big-endian bytes (leading zeros are
// dropped; zero is 0x80).
func appendRLPBigEndian(b, be []byte) []byte {
	for len(be) > 0 && be[0] == 0 {
		be = be[1:]
	}
	switch {
	case len(be) == 0:
		return append(b, 0x80)
	case len(be) == 1 && be[0] < 0x80:
		return append(b, be[0])
	}
	// Integers here are at most 32 bytes, so the short-string form always applies.
	return append(append(b, 0x80+byte(len(be))), be...)
}

func appendRLPUint(b []byte, v uint64) []byte {
	var be [8]byte
	binary.BigEndian.PutUint64(be[:], v)
	return appendRLPBigEndian(b, be[:])
}

// appendRLPByteList appends an RLP list whose items are the bytes of v as RLP integers.
func appendRLPByteList(b, v []byte) []byte {
	payload := 0
	for _, c := range v {
		if c >= 0x80 {
			payload += 2
		} else {
			payload++
		}
	}
	if payload <= 55 {
		b = append(b, 0xc0+byte(payload))
	} else {
		b = append(b, 0xf8, byte(payload)) // at most 64 bytes: one length byte
	}
	for _, c := range v {
		switch {
		case c == 0:
			b = append(b, 0x80)
		case c < 0x80:
			b = append(b, c)
		default:
			b = append(b, 0x81, c)
		}
	}
	return b
}

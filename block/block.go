package block

import (
	"errors"
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/internal/codec"
	"github.com/mvsgo/mvs/tx"
)

// Decoding errors are *DecodeError (field and offset) wrapping these.
var (
	ErrTruncated = codec.ErrTruncated
	ErrTooLarge  = codec.ErrTooLarge
	ErrTrailing  = codec.ErrTrailing
)

// DecodeError is the concrete type of decoding errors: field name and byte offset.
type DecodeError = mvs.DecodeError

// SignatureSize and PublicKeySize are the PoS/DPoS trailer sizes.
const (
	SignatureSize = 64
	PublicKeySize = 33
)

// Block is a header, its transactions and, for PoS and DPoS blocks, the block signature
// (and for DPoS the witness's public key) that follow the transactions.
type Block struct {
	Header       Header
	Transactions []tx.Tx
	// Signature is present for versions 2 and 3: r then s, each 32 bytes little-endian
	// (libsecp256k1's internal layout), over the block hash in internal order.
	Signature [SignatureSize]byte
	// PublicKey is present for version 3: the compressed key that signed the block.
	PublicKey [PublicKeySize]byte
}

// hasSignature reports whether the version carries a signature trailer.
func hasSignature(v uint32) bool { return v == VersionPoS || v == VersionDPoS }

// MaxBlockSize caps the (reference-computed) block size.
const MaxBlockSize = 1_000_000

// Decode parses one block that fills b exactly. b is copied once; every transaction's
// scripts slice that single copy.
func Decode(b []byte) (*Block, error) {
	blk := new(Block)
	if err := blk.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return blk, nil
}

// UnmarshalBinary implements encoding.BinaryUnmarshaler.
func (blk *Block) UnmarshalBinary(b []byte) error {
	own := make([]byte, len(b))
	copy(own, b)
	r := codec.NewReader(own)
	if err := blk.decodeFrom(r); err != nil {
		return err
	}
	if r.Len() != 0 {
		return r.Fail("block", ErrTrailing, fmt.Sprintf("%d bytes after the block", r.Len()))
	}
	return nil
}

// decodeFrom reads a block from r; byte slices alias r's buffer.
func (blk *Block) decodeFrom(r *codec.Reader) error {
	if err := blk.Header.decodeFrom(r); err != nil {
		return err
	}
	n, err := r.Count("transaction_count", tx.MinTxSize, MaxBlockSize)
	if err != nil {
		return err
	}
	blk.Transactions = make([]tx.Tx, n)
	for i := range blk.Transactions {
		n, err := blk.Transactions[i].DecodePrefix(r.Rest())
		if err != nil {
			if e, ok := err.(*DecodeError); ok {
				e.Field = fmt.Sprintf("tx[%d].%s", i, e.Field)
				e.Offset += r.Offset()
			}
			return err
		}
		r.Skip(n)
	}
	if hasSignature(blk.Header.Version) {
		if err := r.Fixed(blk.Signature[:], "signature"); err != nil {
			return err
		}
	}
	if blk.Header.Version == VersionDPoS {
		if err := r.Fixed(blk.PublicKey[:], "public_key"); err != nil {
			return err
		}
	}
	return nil
}

// AppendTo appends the wire encoding.
func (blk *Block) AppendTo(b []byte) []byte {
	b = blk.Header.AppendTo(b)
	b = codec.AppendVarInt(b, uint64(len(blk.Transactions)))
	for i := range blk.Transactions {
		b = blk.Transactions[i].AppendTo(b)
	}
	if hasSignature(blk.Header.Version) {
		b = append(b, blk.Signature[:]...)
	}
	if blk.Header.Version == VersionDPoS {
		b = append(b, blk.PublicKey[:]...)
	}
	return b
}

// SerializeSize is the exact encoded size.
func (blk *Block) SerializeSize() int {
	n := HeaderSize + codec.VarIntSize(uint64(len(blk.Transactions)))
	for i := range blk.Transactions {
		n += blk.Transactions[i].SerializeSize()
	}
	return n + blk.trailerSize()
}

func (blk *Block) trailerSize() int {
	n := 0
	if hasSignature(blk.Header.Version) {
		n += SignatureSize
	}
	if blk.Header.Version == VersionDPoS {
		n += PublicKeySize
	}
	return n
}

// ConsensusSize is the size the reference's block limit uses: header, count, each
// transaction's ConsensusSize, and the signature trailer.
func (blk *Block) ConsensusSize() int {
	n := HeaderSize + codec.VarIntSize(uint64(len(blk.Transactions)))
	for i := range blk.Transactions {
		n += blk.Transactions[i].ConsensusSize()
	}
	return n + blk.trailerSize()
}

// Bytes returns the wire encoding.
func (blk *Block) Bytes() []byte { return blk.AppendTo(make([]byte, 0, blk.SerializeSize())) }

// MarshalBinary implements encoding.BinaryMarshaler.
func (blk *Block) MarshalBinary() ([]byte, error) { return blk.Bytes(), nil }

// Hash is the block hash (of the header).
func (blk *Block) Hash() mvs.Hash { return blk.Header.Hash() }

// TxHashes returns the transaction ids in block order.
func (blk *Block) TxHashes() []mvs.Hash {
	hs := make([]mvs.Hash, len(blk.Transactions))
	for i := range blk.Transactions {
		hs[i] = blk.Transactions[i].Hash()
	}
	return hs
}

// MerkleRoot computes Bitcoin's merkle root of hashes (internal order): pairs are hashed
// with double-SHA256 and a level with an odd count repeats its last hash. It works in place
// on a copy. The root of no hashes is the zero hash.
func MerkleRoot(hashes []mvs.Hash) mvs.Hash {
	if len(hashes) == 0 {
		return mvs.Hash{}
	}
	level := append([]mvs.Hash(nil), hashes...)
	var pair [64]byte
	for len(level) > 1 {
		if len(level)%2 == 1 {
			level = append(level, level[len(level)-1])
		}
		for i := 0; i < len(level); i += 2 {
			copy(pair[:32], level[i][:])
			copy(pair[32:], level[i+1][:])
			level[i/2] = mvs.DoubleSHA256(pair[:])
		}
		level = level[:len(level)/2]
	}
	return level[0]
}

// ErrNotGenesis is returned by GenesisOf when params hold a block that does not decode.
var ErrNotGenesis = errors.New("block: params hold no valid genesis block")

// Genesis decodes the genesis block of network p.
func Genesis(p *mvs.Params) (*Block, error) {
	blk, err := Decode(p.GenesisBlock)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotGenesis, err)
	}
	return blk, nil
}

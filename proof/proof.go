package proof

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/tx"
)

// Format and Version name the JSON form of an Existence; any other is refused.
const (
	Format  = "mvsgo-existence-proof"
	Version = 1
)

// MessagePrefix starts the attachment text that commits to a digest: MessagePrefix and the
// digest in lower-case hex, nothing else.
const MessagePrefix = "sha256:"

// Message is the message attachment text that commits to digest: "sha256:<64 hex>".
func Message(digest [32]byte) string { return MessagePrefix + hex.EncodeToString(digest[:]) }

// ParseMessage returns the digest text commits to: exactly Message's form (the hex in either
// case); anything else, a prefix or suffix included, is no commitment.
func ParseMessage(text string) ([32]byte, bool) {
	var d [32]byte
	h, ok := strings.CutPrefix(text, MessagePrefix)
	if !ok || len(h) != 2*len(d) {
		return d, false
	}
	if _, err := hex.Decode(d[:], []byte(h)); err != nil {
		return [32]byte{}, false
	}
	return d, true
}

// Digest is the SHA-256 of everything r yields (a file's digest).
func Digest(r io.Reader) ([32]byte, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return [32]byte{}, err
	}
	return [32]byte(h.Sum(nil)), nil
}

// Existence proves that a digest was committed to by a transaction of a block: the
// transaction's bytes, which output's message holds the digest, the transaction's index
// in the block and its merkle branch, and the block's header. Verify checks it with nothing
// else; VerifyAgainst also checks that the header is the chain's block at its height.
type Existence struct {
	Digest [32]byte
	// Tx is the transaction as the block holds it; its hash is the merkle leaf.
	Tx []byte
	// Output is the index of the output whose message attachment is Message(Digest).
	Output int
	// Index is the transaction's position in the block, Branch its merkle branch
	// (block.MerkleBranch), bottom level first.
	Index  int
	Branch []mvs.Hash
	// Header is the block's header; its Height is the proof's height.
	Header block.Header
}

// Make proves that the transaction txid of blk commits to digest. It refuses a block whose
// transactions do not match its header's merkle root (block.ErrMerkleMismatch), a txid the
// block does not hold (ErrTxNotInBlock) and a transaction with no output whose message is
// Message(digest) (ErrNoDigest).
func Make(blk *block.Block, txid mvs.Hash, digest [32]byte) (*Existence, error) {
	if blk == nil {
		return nil, fmt.Errorf("%w: no block", ErrTxNotInBlock)
	}
	ids := blk.TxHashes()
	index := -1
	for i, id := range ids {
		if id == txid {
			index = i
			break
		}
	}
	if index < 0 {
		return nil, fmt.Errorf("%w: %s in block %s", ErrTxNotInBlock, txid, blk.Hash())
	}
	t := &blk.Transactions[index]
	out, ok := messageOutput(t, digest)
	if !ok {
		return nil, fmt.Errorf("%w: %s has no message %q", ErrNoDigest, txid, Message(digest))
	}
	branch, err := block.MerkleBranch(ids, index)
	if err != nil {
		return nil, err
	}
	// The branch of the whole list folds to the list's merkle root: one pass checks the
	// block against its header.
	root, err := block.MerkleRootFromBranch(txid, index, branch)
	if err != nil {
		return nil, err
	}
	if root != blk.Header.MerkleRoot {
		return nil, fmt.Errorf("%w: computed %s, header has %s", block.ErrMerkleMismatch, root, blk.Header.MerkleRoot)
	}
	return &Existence{Digest: digest, Tx: t.Bytes(), Output: out, Index: index, Branch: branch, Header: blk.Header}, nil
}

// messageOutput is the first output of t whose message commits to digest.
func messageOutput(t *tx.Tx, digest [32]byte) (int, bool) {
	for i := range t.Outputs {
		if holds(&t.Outputs[i], digest) {
			return i, true
		}
	}
	return 0, false
}

func holds(o *tx.Output, digest [32]byte) bool {
	m, ok := o.Attachment.Payload.(*tx.Message)
	if !ok || o.Attachment.Type != tx.TypeMessage {
		return false
	}
	d, ok := ParseMessage(m.Content)
	return ok && d == digest
}

// TxID is the hash of the proof's transaction.
func (e *Existence) TxID() mvs.Hash { return mvs.DoubleSHA256(e.Tx) }

// Height is the height of the proof's block.
func (e *Existence) Height() uint32 { return e.Header.Height }

// Verify checks, offline, that the proof is of digest, that its transaction's output
// Output carries Message(digest), and that its merkle branch leads from the transaction
// to the header's merkle root. It returns the header; only a check of that header against
// the chain (VerifyAgainst) shows that the block is real: a bare header can be forged.
func (e *Existence) Verify(digest [32]byte) (block.Header, error) {
	if e == nil {
		return block.Header{}, fmt.Errorf("%w: no proof", ErrMalformed)
	}
	if digest != e.Digest {
		return block.Header{}, fmt.Errorf("%w: proof of %x, asked %x", ErrDigest, e.Digest, digest)
	}
	t, err := tx.Decode(e.Tx)
	if err != nil {
		return block.Header{}, fmt.Errorf("%w: transaction: %w", ErrMalformed, err)
	}
	if e.Output < 0 || e.Output >= len(t.Outputs) || !holds(&t.Outputs[e.Output], digest) {
		return block.Header{}, fmt.Errorf("%w: output %d of %s", ErrNoDigest, e.Output, e.TxID())
	}
	// The leaf is the hash of bytes that decode as a transaction with a message of 71
	// characters, so it cannot be a 64-byte inner node passed off as a transaction.
	root, err := block.MerkleRootFromBranch(e.TxID(), e.Index, e.Branch)
	if err != nil {
		return block.Header{}, fmt.Errorf("%w: %w", ErrBranch, err)
	}
	if root != e.Header.MerkleRoot {
		return block.Header{}, fmt.Errorf("%w: branch gives %s, header has %s", ErrBranch, root, e.Header.MerkleRoot)
	}
	return e.Header, nil
}

// HeaderSource tells the hash of the block a chain has at a height: a node
// (NodeHeaders), a chain store (ChainHeaders), or any trusted record of headers. An
// unknown height is an error.
type HeaderSource interface {
	BlockHash(height uint32) (mvs.Hash, error)
}

// HeaderSourceFunc adapts a function to HeaderSource.
type HeaderSourceFunc func(height uint32) (mvs.Hash, error)

// BlockHash calls f.
func (f HeaderSourceFunc) BlockHash(height uint32) (mvs.Hash, error) { return f(height) }

// VerifyAgainst is Verify, then a check that the proof's header is the block src has at
// the proof's height (ErrHeaderMismatch otherwise; ErrHeaderSource when src fails).
func (e *Existence) VerifyAgainst(digest [32]byte, src HeaderSource) (block.Header, error) {
	h, err := e.Verify(digest)
	if err != nil {
		return block.Header{}, err
	}
	if src == nil {
		return block.Header{}, fmt.Errorf("%w: no header source", ErrHeaderSource)
	}
	want, err := src.BlockHash(h.Height)
	if err != nil {
		return block.Header{}, fmt.Errorf("%w: height %d: %w", ErrHeaderSource, h.Height, err)
	}
	if got := h.Hash(); got != want {
		return block.Header{}, fmt.Errorf("%w: proof's block %s, the chain has %s at height %d", ErrHeaderMismatch, got, want, h.Height)
	}
	return h, nil
}

// existenceJSON is the JSON form. TxID, Block and Height repeat what the bytes say, for a
// reader; decoding refuses them when they disagree.
type existenceJSON struct {
	Format  string     `json:"format"`
	Version int        `json:"version"`
	Digest  string     `json:"digest"`
	Message string     `json:"message"`
	TxID    mvs.Hash   `json:"txid"`
	Output  int        `json:"output"`
	Index   int        `json:"index"`
	Branch  []mvs.Hash `json:"branch"`
	Block   mvs.Hash   `json:"block"`
	Height  uint32     `json:"height"`
	Tx      string     `json:"tx"`
	Header  string     `json:"header"`
}

// MarshalJSON encodes the proof (format "mvsgo-existence-proof", version 1); hashes are in
// display order, bytes in hex.
func (e Existence) MarshalJSON() ([]byte, error) {
	branch := e.Branch
	if branch == nil {
		branch = []mvs.Hash{}
	}
	return json.Marshal(existenceJSON{Format: Format, Version: Version, Digest: hex.EncodeToString(e.Digest[:]),
		Message: Message(e.Digest), TxID: e.TxID(), Output: e.Output, Index: e.Index, Branch: branch,
		Block: e.Header.Hash(), Height: e.Header.Height, Tx: hex.EncodeToString(e.Tx),
		Header: hex.EncodeToString(e.Header.Bytes())})
}

// UnmarshalJSON decodes MarshalJSON's form. It refuses (ErrMalformed) another format or
// version, unknown fields, bad hex, a transaction or header that does not decode, and a
// txid, message, block hash or height that the bytes contradict. It does not verify the
// proof: call Verify.
func (e *Existence) UnmarshalJSON(b []byte) error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, a...))
	}
	var j existenceJSON
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&j); err != nil {
		return bad("%v", err)
	}
	if d.More() {
		return bad("data after the proof")
	}
	if j.Format != Format || j.Version != Version {
		return bad("format %q version %d (want %q version %d)", j.Format, j.Version, Format, Version)
	}
	var q Existence
	// The length first: hex.Decode writes past a destination shorter than its input.
	if len(j.Digest) != 2*len(q.Digest) {
		return bad("digest %q is not 32 bytes of hex", j.Digest)
	}
	if _, err := hex.Decode(q.Digest[:], []byte(j.Digest)); err != nil {
		return bad("digest %q is not 32 bytes of hex", j.Digest)
	}
	if j.Message != Message(q.Digest) {
		return bad("message %q does not match the digest", j.Message)
	}
	raw, err := hex.DecodeString(j.Tx)
	if err != nil {
		return bad("tx: %v", err)
	}
	if _, err := tx.Decode(raw); err != nil {
		return bad("tx: %v", err)
	}
	q.Tx = raw
	if q.TxID() != j.TxID {
		return bad("txid %s, the transaction hashes to %s", j.TxID, q.TxID())
	}
	hb, err := hex.DecodeString(j.Header)
	if err != nil {
		return bad("header: %v", err)
	}
	h, err := block.DecodeHeader(hb)
	if err != nil {
		return bad("header: %v", err)
	}
	q.Header = *h
	if h.Hash() != j.Block || h.Height != j.Height {
		return bad("block %s at %d, the header is %s at %d", j.Block, j.Height, h.Hash(), h.Height)
	}
	if len(j.Branch) > block.MaxBranchLen || j.Index < 0 || j.Index>>len(j.Branch) != 0 || j.Output < 0 {
		return bad("index %d, output %d, branch of %d hashes", j.Index, j.Output, len(j.Branch))
	}
	q.Output, q.Index, q.Branch = j.Output, j.Index, j.Branch
	*e = q
	return nil
}

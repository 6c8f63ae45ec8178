package block

import (
	"errors"
	"fmt"
	"strings"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/btcsuite/btcd/btcec/v2/ecdsa"
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// Context-free block rule violations returned by CheckSanity (wrapped with detail).
var (
	ErrBlockVersion      = errors.New("block version outside 1..3")
	ErrNoTransactions    = errors.New("block has no transactions")
	ErrBlockTooLarge     = errors.New("block larger than 1,000,000 bytes")
	ErrFirstNotCoinbase  = errors.New("first transaction is not a coinbase")
	ErrCoinbaseHeight    = errors.New("coinbase script does not start with the block height")
	ErrMerkleMismatch    = errors.New("merkle root does not match the transactions")
	ErrDuplicateTx       = errors.New("block contains a transaction twice")
	ErrNoCoinstake       = errors.New("PoS block's second transaction is not a coinstake")
	ErrIllegalCoinstake  = errors.New("coinbase or coinstake of the wrong shape or in the wrong place")
	ErrExtraCoinbase     = errors.New("coinbase or coinstake after the block's leading ones")
	ErrDPoSDisabled      = errors.New("DPoS (version 3) blocks are not enabled on this chain")
	ErrBadSignature      = errors.New("block signature does not verify")
	ErrNoSigningKey      = errors.New("no public key to check the block signature with")
	ErrTooManySigOps     = errors.New("block has more than 20,000 signature operations")
	ErrTransactionSanity = errors.New("transaction fails its context-free checks")
)

// MaxSigOps caps the legacy signature-operation count of a block.
const MaxSigOps = 20_000

// Checks is the outcome of each context-free check, for tools that report them one by one
// (mvs-cli block verify). A nil field passed.
type Checks struct {
	Version     error
	Size        error
	Coinbase    error
	Merkle      error
	Transaction error
	SigOps      error
	Signature   error // PoS/DPoS only
}

// Err returns the first failure in a fixed order, or nil.
func (c *Checks) Err() error {
	return errors.Join(c.Version, c.Size, c.Coinbase, c.Merkle, c.Transaction, c.SigOps, c.Signature)
}

// CheckSanity applies the reference's context-free block checks: version, size, a coinbase
// first whose script starts with the height push (BIP34, from height 1), the merkle root,
// no duplicate transaction, every transaction's CheckSanity, the sigop limit, and for PoS a
// coinstake second and a block signature by the key last pushed in the coinstake's first
// input (DPoS: the trailing public key). The Ethash seal is checked by package ethash
// through VerifySeal.
func (blk *Block) CheckSanity() error {
	c := blk.Check()
	return c.Err()
}

// Check runs every context-free check and reports each outcome.
func (blk *Block) Check() *Checks {
	c := &Checks{}
	h := &blk.Header
	switch {
	case h.Version < VersionPoW || h.Version > VersionDPoS:
		c.Version = fmt.Errorf("%w: %d", ErrBlockVersion, h.Version)
	case h.Version == VersionDPoS:
		// The format is defined, but witness::is_dpos_enabled() is false on MVS's chains:
		// check_block refuses them (can_use_dpos).
		c.Version = ErrDPoSDisabled
	}
	if n := blk.ConsensusSize(); n > MaxBlockSize {
		c.Size = fmt.Errorf("%w: %d bytes", ErrBlockTooLarge, n)
	}
	if len(blk.Transactions) == 0 {
		c.Coinbase = ErrNoTransactions
		c.Merkle = ErrNoTransactions
		return c
	}
	c.Coinbase = blk.checkCoinbase()

	hashes := blk.TxHashes()
	if root := MerkleRoot(hashes); root != h.MerkleRoot {
		c.Merkle = fmt.Errorf("%w: computed %s, header has %s", ErrMerkleMismatch, root, h.MerkleRoot)
	}
	seen := make(map[mvs.Hash]int, len(hashes))
	for i, th := range hashes {
		if j, dup := seen[th]; dup {
			c.Transaction = fmt.Errorf("%w: %s at %d and %d", ErrDuplicateTx, th, j, i)
			break
		}
		seen[th] = i
	}
	sigOps := 0
	for i := range blk.Transactions {
		t := &blk.Transactions[i]
		if c.Transaction == nil {
			if err := t.CheckSanity(); err != nil {
				c.Transaction = fmt.Errorf("%w: tx[%d] %s: %w", ErrTransactionSanity, i, hashes[i], err)
			}
		}
		for j := range t.Inputs {
			if t.IsCoinbase() {
				break // the node keeps a coinbase script as raw bytes: no operations, no sigops
			}
			sigOps += script.SigOpCount(t.Inputs[j].Script, false)
		}
		for j := range t.Outputs {
			sigOps += script.SigOpCount(t.Outputs[j].Script, false)
		}
	}
	if sigOps > MaxSigOps {
		c.SigOps = fmt.Errorf("%w: %d", ErrTooManySigOps, sigOps)
	}
	if hasSignature(h.Version) {
		c.Signature = blk.checkSignature()
	}
	return c
}

// checkCoinbase is the node's check_coinbase (validate_block.cpp), its context-free part.
// A block starts with its coinbase, then (PoS only) the coinstake at index 1, then any
// further coinbases (the deposit-interest payouts); no coinbase or coinstake may follow.
// The first coinbase pays ETP first and at most one asset transfer (a mining MST reward)
// after; the later ones have exactly one output. Every one starts its script with the block
// height as one minimal push, except the PoS genesis transaction at index 2 of the first
// PoS block, whose script is text.
func (blk *Block) checkCoinbase() error {
	txs := blk.Transactions
	pos := blk.Header.Version == VersionPoS
	coinbases, coinstakes := 0, 0
	for i := range txs {
		t := &txs[i]
		if t.IsCoinstake() {
			if !pos || i != 1 {
				return fmt.Errorf("%w: coinstake at tx[%d] of a version-%d block", ErrIllegalCoinstake, i, blk.Header.Version)
			}
			coinstakes++
			continue
		}
		if !t.IsCoinbase() {
			break
		}
		if len(t.Outputs) == 0 || t.Outputs[0].Attachment.Type != tx.TypeETP {
			return fmt.Errorf("%w: tx[%d] does not pay ETP first", ErrFirstNotCoinbase, i)
		}
		genesis := pos && i == 2 && blk.isPoSGenesisTx(t)
		switch {
		case i == 0:
			if len(t.Outputs) > 2 || (len(t.Outputs) == 2 && !isAssetTransfer(&t.Outputs[1])) {
				return fmt.Errorf("%w: coinbase outputs: ETP, then at most one asset transfer", ErrIllegalCoinstake)
			}
		case genesis:
		default:
			if len(t.Outputs) != 1 {
				return fmt.Errorf("%w: tx[%d], a later coinbase, has %d outputs", ErrIllegalCoinstake, i, len(t.Outputs))
			}
		}
		if !genesis && blk.Header.Height != 0 && !startsWithHeight(t.Inputs[0].Script, blk.Header.Height) {
			return fmt.Errorf("%w: tx[%d] script %x, height %d", ErrCoinbaseHeight, i, t.Inputs[0].Script, blk.Header.Height)
		}
		coinbases++
	}
	if coinbases == 0 {
		return ErrFirstNotCoinbase
	}
	if pos && coinstakes == 0 {
		return ErrNoCoinstake
	}
	for i := coinbases + coinstakes; i < len(txs); i++ {
		if txs[i].IsCoinbase() || txs[i].IsCoinstake() {
			return fmt.Errorf("%w: tx[%d]", ErrExtraCoinbase, i)
		}
	}
	return nil
}

func isAssetTransfer(o *tx.Output) bool {
	_, ok := o.Attachment.Payload.(*tx.AssetTransfer)
	return o.Attachment.Type == tx.TypeAsset && ok
}

// startsWithHeight is is_valid_coinbase_height: the script's bytes begin with the height
// serialised as one direct push (length byte, then the minimal script number), byte for
// byte, so a longer push form of the same number does not count.
func startsWithHeight(s []byte, height uint32) bool {
	n := script.NumBytes(int64(height))
	want := append([]byte{byte(len(n))}, n...)
	return len(s) >= len(want) && string(s[:len(want)]) == string(want)
}

// isPoSGenesisTx recognises the transaction that opened PoS (miner.cpp
// create_pos_genesis_tx: a coinbase whose script is the text "MVS start POS at …"), which
// the node exempts from the height rule in the first PoS block only. That block is known
// by its height on MVS's two public chains (Params.PoSGenesisHeight); on others the
// exemption does not apply. Package chain checks the transaction itself.
func (blk *Block) isPoSGenesisTx(t *tx.Tx) bool {
	if !strings.HasPrefix(string(t.Inputs[0].Script), "MVS start POS at ") {
		return false
	}
	h := blk.Header.Height
	return h == mvs.MainNet().PoSGenesisHeight || h == mvs.TestNet().PoSGenesisHeight
}

// SigningKey returns the public key that must have signed a PoS or DPoS block: the data of
// the last operation of the coinstake's first input script (PoS) or the trailing key
// (DPoS).
func (blk *Block) SigningKey() ([]byte, error) {
	switch blk.Header.Version {
	case VersionDPoS:
		return blk.PublicKey[:], nil
	case VersionPoS:
		if len(blk.Transactions) < 2 || !blk.Transactions[1].IsCoinstake() {
			return nil, ErrNoCoinstake
		}
		pk, ok := lastOperationData(blk.Transactions[1].Inputs[0].Script)
		if !ok {
			return nil, fmt.Errorf("%w: coinstake input 0's last operation carries no key", ErrNoSigningKey)
		}
		return pk, nil
	}
	return nil, fmt.Errorf("%w: version %d blocks are not signed", ErrNoSigningKey, blk.Header.Version)
}

func (blk *Block) checkSignature() error {
	key, err := blk.SigningKey()
	if err != nil {
		return err
	}
	pub, err := btcec.ParsePubKey(key)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNoSigningKey, err)
	}
	if !VerifyBlockSignature(blk.Signature, blk.Hash(), pub) {
		return ErrBadSignature
	}
	return nil
}

// VerifyBlockSignature checks a 64-byte libsecp256k1-internal signature (r LE ‖ s LE) over
// the block hash in internal order. High-S is normalized first, as the node does.
func VerifyBlockSignature(sig [SignatureSize]byte, hash mvs.Hash, pub *btcec.PublicKey) bool {
	var rBE, sBE [32]byte
	for i := 0; i < 32; i++ {
		rBE[i] = sig[31-i]
		sBE[i] = sig[63-i]
	}
	var r, s btcec.ModNScalar
	if r.SetBytes(&rBE) != 0 || s.SetBytes(&sBE) != 0 || r.IsZero() || s.IsZero() {
		return false
	}
	if s.IsOverHalfOrder() {
		s.Negate()
	}
	return ecdsa.NewSignature(&r, &s).Verify(hash[:], pub)
}

// SignBlock signs the block hash with priv (RFC 6979, low-S) and stores the signature in
// the libsecp256k1 internal layout. For DPoS blocks it also stores the public key.
func (blk *Block) SignBlock(priv *btcec.PrivateKey) error {
	if !hasSignature(blk.Header.Version) {
		return fmt.Errorf("%w: version %d blocks are not signed", ErrNoSigningKey, blk.Header.Version)
	}
	h := blk.Hash()
	compact := ecdsa.SignCompact(priv, h[:], true) // recovery byte, R (BE), S (BE)
	for i := 0; i < 32; i++ {
		blk.Signature[i] = compact[32-i]
		blk.Signature[32+i] = compact[64-i]
	}
	if blk.Header.Version == VersionDPoS {
		copy(blk.PublicKey[:], priv.PubKey().SerializeCompressed())
	}
	return nil
}

package proof_test

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/proof"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// syntheticBlock is a block of n transactions whose index-th output 0 carries text as its
// message (the others pay ETP), with its merkle root set: enough for Make and Verify, which
// check the tree, not the spends.
func syntheticBlock(n, index int, text string) *block.Block {
	p := mvs.TestNet()
	to := script.PayToAddress(mvs.NewPubKeyHashAddress([20]byte{1}, p))
	blk := &block.Block{Header: block.Header{Version: block.VersionPoW, Timestamp: 1_700_000_000, Height: 1234}}
	for i := range n {
		t := tx.Tx{Version: tx.VersionNova,
			Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Hash: mvs.DoubleSHA256(fmt.Append(nil, i))}, Sequence: 0xffffffff}},
			Outputs: []tx.Output{{Value: 1000, Script: to,
				Attachment: tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeETP}}}}
		if i == index {
			t.Outputs[0].Value = 0
			t.Outputs[0].Attachment = tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeMessage, Payload: &tx.Message{Content: text}}
		}
		blk.Transactions = append(blk.Transactions, t)
	}
	blk.Header.MerkleRoot = block.MerkleRoot(blk.TxHashes())
	return blk
}

// A file's digest goes into a message attachment (wallet.Builder.SendMessage with
// proof.Message(digest)); once the transaction is in a block, Make proves it, the proof
// travels as JSON, and anyone verifies it offline, then against a chain they trust.
func Example() {
	digest := sha256.Sum256([]byte("contents of the file"))
	fmt.Println(proof.Message(digest))

	blk := syntheticBlock(5, 3, proof.Message(digest)) // the block that confirmed it
	txid := blk.Transactions[3].Hash()

	e, err := proof.Make(blk, txid, digest)
	if err != nil {
		fmt.Println(err)
		return
	}
	text, _ := json.Marshal(e)

	// Later, elsewhere: the file, the proof, and a chain to compare the header with.
	var got proof.Existence
	if err := json.Unmarshal(text, &got); err != nil {
		fmt.Println(err)
		return
	}
	h, err := got.Verify(sha256.Sum256([]byte("contents of the file")))
	fmt.Println(h.Height, got.Index, len(got.Branch), err)

	chainHas := proof.HeaderSourceFunc(func(height uint32) (mvs.Hash, error) {
		return blk.Hash(), nil // a node: proof.NodeHeaders; a store: proof.ChainHeaders
	})
	_, err = got.VerifyAgainst(digest, chainHas)
	fmt.Println(err)

	_, err = got.Verify(sha256.Sum256([]byte("another file")))
	fmt.Println(errors.Is(err, proof.ErrDigest))
	// Output:
	// sha256:81f18c271fb97e5c08fe241bd47d262ad534ef10098a798dc34c0282a9aea907
	// 1234 3 3 <nil>
	// <nil>
	// true
}

// Package proof is proof of existence on the MVS chain: a file's SHA-256 goes into a
// transaction's message attachment, and once the transaction is in a block, a
// self-contained proof (the transaction, its merkle branch and the block's header) shows,
// offline, that the file existed when that block was made.
//
// Use:
//
//	digest, _ := proof.Digest(file)                        // SHA-256 of the file
//	u, _ := builder.SendMessage(to, 0, proof.Message(digest)) // "sha256:<hex>"; sign and send
//	...                                                      // once confirmed:
//	e, _ := proof.Make(blk, txid, digest)                    // or proof.FromNode(ctx, client, txid, digest)
//	text, _ := json.Marshal(e)                               // hand the proof to anyone
//
//	var e proof.Existence
//	_ = json.Unmarshal(text, &e)
//	h, err := e.Verify(digest)                               // offline: the tree reaches h's merkle root
//	h, err = e.VerifyAgainst(digest, proof.NodeHeaders{Client: c}) // and h is the chain's block
//
// Verify recomputes everything from the proof's bytes: the transaction's output Output
// must carry exactly Message(digest), and the merkle branch must lead from the
// transaction's hash to the header's merkle root (block.MerkleRootFromBranch; MVS keeps
// Bitcoin's tree: double SHA-256, an odd level repeats its last hash). A header alone can
// be forged, so a proof means something only once its header is compared with a chain the
// verifier trusts: VerifyAgainst asks a HeaderSource (a node's RPC: NodeHeaders; a local
// chain store: ChainHeaders; anything else: HeaderSourceFunc) for the hash of the block at
// the proof's height, which also refuses a block a reorganisation has removed.
// The block's timestamp (h.Timestamp) is when the file existed by; how deep the block
// is, the caller decides.
//
// Every refusal is a named error matched with errors.Is: ErrDigest (a proof of another
// file), ErrNoDigest (the transaction does not hold the digest), ErrBranch, ErrTxNotInBlock,
// ErrHeaderMismatch, ErrHeaderSource and ErrMalformed.
//
// # JSON form
//
//	{"format":"mvsgo-existence-proof","version":1,
//	 "digest":"<hex>","message":"sha256:<hex>",
//	 "txid":"<display hex>","output":0,"index":6,"branch":["<display hex>",...],
//	 "block":"<display hex>","height":1234,
//	 "tx":"<raw transaction hex>","header":"<148-byte header hex>"}
//
// txid, message, block and height repeat what the bytes say, for a reader; decoding
// refuses them when they disagree, and refuses unknown fields, another format or version.
package proof

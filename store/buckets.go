package store

import "fmt"

// Bucket ids. The order is the order Digest walks them in. Undo records name record buckets
// by id, so a new bucket goes after them.
const (
	bMeta = iota
	bHeaders
	bMain
	bBlocks
	bTxIndex
	bUTXO
	bUndo
	bAddrHistory
	bAddrUTXO
	bRecords                              // first record bucket: bRecords + Kind - 1
	bSide      = bRecords + int(numKinds) // side-chain bodies, outside Digest
	numBuckets = bSide + 1
)

func bucketName(id int) string {
	switch id {
	case bMeta:
		return "meta"
	case bHeaders:
		return "headers"
	case bMain:
		return "main"
	case bBlocks:
		return "blocks"
	case bTxIndex:
		return "txindex"
	case bUTXO:
		return "utxo"
	case bUndo:
		return "undo"
	case bAddrHistory:
		return "addrhistory"
	case bAddrUTXO:
		return "addrutxo"
	case bSide:
		return "side"
	}
	if id >= bRecords && id < bSide {
		return "rec-" + Kind(id-bRecords+1).String()
	}
	panic(fmt.Sprintf("store: bucket id %d", id)) // ids are constants of this package
}

// undoableBucket reports a bucket whose prior values undo records keep.
func undoableBucket(id int) bool { return id == bTxIndex || (id >= bRecords && id < bSide) }

// inDigest reports a bucket Digest covers: all but the side-chain bodies, which depend on
// which forks a node happened to see, not on the main chain.
func inDigest(id int) bool { return id != bSide }

// Kind names a registry the chain keeps as keyed records, each in its own bucket.
type Kind uint8

const (
	KindAsset      Kind = iota + 1 // asset (MST) details by symbol
	KindCert                       // asset certificates
	KindMIT                        // unique tokens
	KindDID                        // digital identities by symbol
	KindDIDAddress                 // DID by bound address
	KindHistory                    // history of assets, certificates, MITs and DIDs
	KindHolder                     // holders per asset
	numKinds       = KindHolder
)

func (k Kind) String() string {
	switch k {
	case KindAsset:
		return "asset"
	case KindCert:
		return "cert"
	case KindMIT:
		return "mit"
	case KindDID:
		return "did"
	case KindDIDAddress:
		return "did-address"
	case KindHistory:
		return "history"
	case KindHolder:
		return "holder"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Valid reports a kind this package knows.
func (k Kind) Valid() bool { return k >= KindAsset && k <= numKinds }

func (k Kind) bucket() int { return bRecords + int(k) - 1 }

// maxKey is bbolt's key size limit.
const maxKey = 32768

// Meta keys.
const (
	metaSchema    = "schema"
	metaNetwork   = "network"
	metaTip       = "tip"
	metaAddrIndex = "addrindex"
)

package proof

import (
	"context"
	"errors"
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/rpcclient"
)

// NodeHeaders is a HeaderSource over a node's RPC (getblockheader --height): the node's
// best chain. Each call is bounded by the client's timeout.
type NodeHeaders struct{ Client *rpcclient.Client }

// BlockHash asks the node for the hash of its block at height.
func (n NodeHeaders) BlockHash(height uint32) (mvs.Hash, error) {
	if n.Client == nil {
		return mvs.Hash{}, errors.New("proof: NodeHeaders without a client")
	}
	h, err := n.Client.GetBlockHeader(context.Background(), rpcclient.ByHeight(uint64(height)))
	if err != nil {
		return mvs.Hash{}, err
	}
	return h.Hash, nil
}

// ChainHeaders is a HeaderSource over a chain store's main chain (chain.Queries).
type ChainHeaders struct{ Queries *chain.Queries }

// BlockHash reads the hash of the main chain's block at height.
func (c ChainHeaders) BlockHash(height uint32) (mvs.Hash, error) {
	if c.Queries == nil {
		return mvs.Hash{}, errors.New("proof: ChainHeaders without queries")
	}
	hs, err := c.Queries.Headers(height, 1)
	if err != nil {
		return mvs.Hash{}, err
	}
	if len(hs) != 1 || hs[0].Height != height {
		return mvs.Hash{}, fmt.Errorf("proof: no header at height %d", height)
	}
	return mvs.ParseHash(hs[0].Hash)
}

// FromNode makes the proof that transaction txid commits to digest from a node: it asks
// the transaction's height (gettx), fetches that block raw (getblock --json false), and
// calls Make, which checks the block's merkle root and finds the transaction in it.
func FromNode(ctx context.Context, c *rpcclient.Client, txid mvs.Hash, digest [32]byte) (*Existence, error) {
	t, err := c.GetTx(ctx, txid)
	if err != nil {
		return nil, err
	}
	if t.Height == nil || *t.Height == 0 {
		return nil, fmt.Errorf("%w: %s is not confirmed", ErrTxNotInBlock, txid)
	}
	raw, err := c.GetRawBlock(ctx, rpcclient.ByHeight(uint64(*t.Height)))
	if err != nil {
		return nil, err
	}
	blk, err := block.Decode(raw)
	if err != nil {
		return nil, fmt.Errorf("proof: block %d from the node: %w", uint64(*t.Height), err)
	}
	return Make(blk, txid, digest)
}

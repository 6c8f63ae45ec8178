package devnet

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/ethash"
	"github.com/mvsgo/mvs/rpcclient"
)

// maxStale bounds Mine's retries of work that went stale under it (another miner, a
// block from a peer) before it gives up.
const maxStale = 20

// Mine mines count blocks on the node's tip through its getwork/submitwork RPC, sealing on
// the CPU at Ethash's test sizes, and returns their hashes. Each block holds what the
// node's memory pool offers (its template), as an external miner's would.
func (n *Node) Mine(ctx context.Context, count int) ([]mvs.Hash, error) {
	v := ethash.New(ethash.Config{Sizes: ethash.SmallSizes})
	defer v.Close()
	var out []mvs.Hash
	stale := 0
	for len(out) < count {
		h, why, err := n.mineOne(ctx, v)
		if err != nil {
			return out, err
		}
		if why != nil {
			if stale++; stale > maxStale {
				return out, fmt.Errorf("devnet: %d solutions in a row refused, the last: %v", stale, why)
			}
			continue
		}
		stale = 0
		out = append(out, h)
	}
	return out, nil
}

// mineOne seals one block; why says why a solution was not taken (stale work, most
// likely), err is a failure to go on.
func (n *Node) mineOne(ctx context.Context, v *ethash.Verifier) (_ mvs.Hash, why, err error) {
	tip, err := n.rpc.GetHeight(ctx)
	if err != nil {
		return mvs.Hash{}, nil, err
	}
	w, err := n.rpc.GetWork(ctx)
	if err != nil {
		return mvs.Hash{}, nil, err
	}
	height := tip + 1
	if w.SeedHash != ethash.SeedHash(height/ethash.EpochLength) {
		// The tip moved between the two calls; the next round asks again.
		return mvs.Hash{}, errors.New("the tip moved"), nil
	}
	b := new(big.Int).SetBytes(w.Boundary[:])
	if b.Sign() == 0 {
		return mvs.Hash{}, nil, errors.New("devnet: getwork's boundary is zero")
	}
	difficulty := new(big.Int).Div(new(big.Int).Lsh(big.NewInt(1), 256), b)
	if difficulty.Sign() == 0 {
		difficulty.SetInt64(1)
	}
	res, err := v.Search(ctx, height, w.PowHash, difficulty, 0, 0, 0)
	if err != nil {
		return mvs.Hash{}, nil, err
	}
	ok, err := n.rpc.SubmitWork(ctx, res.Nonce, w.PowHash, res.Mix)
	if err != nil {
		var rerr *rpcclient.RPCError
		if errors.As(err, &rerr) { // the node refused it: stale work, most likely
			return mvs.Hash{}, err, nil
		}
		return mvs.Hash{}, nil, err
	}
	if !ok {
		return mvs.Hash{}, errors.New("submitwork: not on the main chain"), nil
	}
	hdr, err := n.rpc.GetBlockHeader(ctx, rpcclient.ByHeight(height))
	if err != nil {
		return mvs.Hash{}, nil, err
	}
	return hdr.Hash, nil, nil
}

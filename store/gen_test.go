package store_test

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
)

// genChain builds n blocks on top of p's genesis that look valid to the store: a coinbase
// paying one of a few keys, transactions spending earlier outputs (one of them, now and then,
// an output created earlier in the same block), a few P2SH and address-less outputs, asset
// attachments, and record writes that set, overwrite and delete. It is deterministic in seed.
type chain struct {
	params  *mvs.Params
	updates []*store.BlockUpdate
	// scripts of every output ever created, for the tests' own bookkeeping.
	scripts map[tx.OutPoint][]byte
}

func p2pkh(h [20]byte) []byte {
	return append(append([]byte{0x76, 0xa9, 0x14}, h[:]...), 0x88, 0xac)
}

func p2sh(h [20]byte) []byte { return append(append([]byte{0xa9, 0x14}, h[:]...), 0x87) }

func genChain(tb testing.TB, p *mvs.Params, n int, seed uint64) *chain {
	tb.Helper()
	rng := rand.New(rand.NewPCG(seed, 0x5707e))
	gen, err := block.Genesis(p)
	if err != nil {
		tb.Fatal(err)
	}
	c := &chain{params: p, scripts: map[tx.OutPoint][]byte{}}
	var keys [][20]byte
	for i := range 8 {
		keys = append(keys, mvs.Hash160([]byte{byte(i), 'k'}))
	}
	pickScript := func() []byte {
		switch r := rng.IntN(20); {
		case r == 0:
			return p2sh(keys[rng.IntN(len(keys))])
		case r == 1:
			return []byte{0x51} // OP_TRUE: no address
		default:
			return p2pkh(keys[rng.IntN(len(keys))])
		}
	}
	pickAttachment := func() tx.Attachment {
		if rng.IntN(8) == 0 {
			return tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeAsset,
				Payload: &tx.AssetTransfer{Symbol: fmt.Sprintf("SYM.%d", rng.IntN(5)), Quantity: rng.Uint64N(1e9)}}
		}
		return tx.Attachment{Version: tx.AttachVersion, Type: tx.TypeETP}
	}
	unspent := []tx.OutPoint{{Hash: gen.Transactions[0].Hash(), Index: 0}}
	c.scripts[unspent[0]] = gen.Transactions[0].Outputs[0].Script
	var recordKeys [][]byte
	prev := gen.Hash()
	for h := uint32(1); h <= uint32(n); h++ {
		var txs []tx.Tx
		height := binary.LittleEndian.AppendUint32([]byte{4}, h)
		cb := tx.Tx{Version: tx.VersionFirst,
			Inputs: []tx.Input{{PreviousOutput: tx.OutPoint{Index: 0xffffffff}, Script: height, Sequence: 0xffffffff}}}
		for range 1 + rng.IntN(2) {
			cb.Outputs = append(cb.Outputs, tx.Output{Value: 1000 + mvs.Amount(h), Script: p2pkh(keys[rng.IntN(len(keys))]),
				Attachment: tx.Attachment{Type: tx.TypeETP}})
		}
		txs = append(txs, cb)
		var fresh []tx.OutPoint // created in this block
		for range rng.IntN(5) {
			var t tx.Tx
			t.Version = tx.VersionNova
			for range 1 + rng.IntN(2) {
				var op tx.OutPoint
				switch {
				case len(fresh) > 0 && rng.IntN(3) == 0:
					k := rng.IntN(len(fresh))
					op = fresh[k]
					fresh = append(fresh[:k], fresh[k+1:]...)
				case len(unspent) > 0:
					k := rng.IntN(len(unspent))
					op = unspent[k]
					unspent[k] = unspent[len(unspent)-1]
					unspent = unspent[:len(unspent)-1]
				default:
					continue
				}
				sig := make([]byte, 1+72+1+33)
				sig[0], sig[73] = 72, 33
				t.Inputs = append(t.Inputs, tx.Input{PreviousOutput: op, Script: sig, Sequence: 0xffffffff})
			}
			if len(t.Inputs) == 0 {
				continue
			}
			for range 1 + rng.IntN(3) {
				t.Outputs = append(t.Outputs, tx.Output{Value: mvs.Amount(rng.Uint64N(1e8)), Script: pickScript(), Attachment: pickAttachment()})
			}
			txid := t.Hash()
			for j := range t.Outputs {
				op := tx.OutPoint{Hash: txid, Index: uint32(j)}
				fresh = append(fresh, op)
				c.scripts[op] = t.Outputs[j].Script
			}
			txs = append(txs, t)
		}
		cbid := cb.Hash()
		for j := range cb.Outputs {
			op := tx.OutPoint{Hash: cbid, Index: uint32(j)}
			unspent = append(unspent, op)
			c.scripts[op] = cb.Outputs[j].Script
		}
		unspent = append(unspent, fresh...)

		var writes []store.RecordWrite
		for range rng.IntN(3) {
			switch r := rng.IntN(4); {
			case r == 0 && len(recordKeys) > 0: // delete (perhaps one already gone)
				writes = append(writes, store.RecordWrite{Kind: store.KindAsset, Key: recordKeys[rng.IntN(len(recordKeys))]})
			case r == 1 && len(recordKeys) > 0: // overwrite
				writes = append(writes, store.RecordWrite{Kind: store.KindAsset, Key: recordKeys[rng.IntN(len(recordKeys))],
					Value: fmt.Appendf(nil, "v%d", rng.Uint64())})
			default:
				k := fmt.Appendf(nil, "SYM.%d", h)
				recordKeys = append(recordKeys, k)
				writes = append(writes, store.RecordWrite{Kind: store.Kind(1 + rng.IntN(7)), Key: k, Value: fmt.Appendf(nil, "%d", h)},
					store.RecordWrite{Kind: store.KindAsset, Key: k, Value: []byte{}})
			}
		}
		c.updates = append(c.updates, makeUpdate(prev, h, txs, writes))
		prev = c.updates[len(c.updates)-1].Hash
	}
	return c
}

// makeUpdate wraps transactions in a block on prev at height h.
func makeUpdate(prev mvs.Hash, h uint32, txs []tx.Tx, writes []store.RecordWrite) *store.BlockUpdate {
	blk := &block.Block{Header: block.Header{Version: block.VersionPoW, PreviousBlockHash: prev,
		Timestamp: 1_700_000_000 + 10*h, Bits: block.DifficultyFromUint64(1), Height: h}, Transactions: txs}
	blk.Header.MerkleRoot = block.MerkleRoot(blk.TxHashes())
	return &store.BlockUpdate{Block: blk, Raw: blk.Bytes(), Hash: blk.Hash(), Height: h, Records: writes}
}

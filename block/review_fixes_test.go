package block

// Findings of a review against the reference node (mvs-org/metaverse validate_block.cpp
// check_block, check_coinbase, check_block_signature): each test asserts the node's outcome
// and failed before its fix.

import (
	"encoding/hex"
	"errors"
	"fmt"
	"testing"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

func reviewBlock(t *testing.T, name string) *Block {
	t.Helper()
	for _, v := range loadRealBlocks(t) {
		if v.Name == name {
			blk, err := Decode(mustHex(t, v.Raw))
			if err != nil {
				t.Fatal(err)
			}
			return blk
		}
	}
	t.Fatalf("no block %q", name)
	return nil
}

func fixMerkle(blk *Block) { blk.Header.MerkleRoot = MerkleRoot(blk.TxHashes()) }

var (
	p2pkhA = []byte{0x76, 0xa9, 0x14, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 0x88, 0xac}
	p2pkhB = []byte{0x76, 0xa9, 0x14, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 0x88, 0xac}
)

func etpOut(v mvs.Amount, s []byte) tx.Output {
	return tx.Output{Value: v, Script: s, Attachment: tx.Attachment{Version: 0, Type: tx.TypeETP}}
}

func normalTx() tx.Tx {
	return tx.Tx{Version: tx.VersionNova,
		Inputs:  []tx.Input{{PreviousOutput: tx.OutPoint{Hash: mvs.Hash{7}, Index: 0}, Sequence: 0xffffffff}},
		Outputs: []tx.Output{{Value: 1000, Script: p2pkhA, Attachment: tx.Attachment{Version: 1, Type: tx.TypeETP}}}}
}

func extraCoinbase(height uint32, outs ...tx.Output) tx.Tx {
	h := script.NumBytes(int64(height))
	s := append([]byte{byte(len(h))}, h...)
	return tx.Tx{Version: 1,
		Inputs:  []tx.Input{{PreviousOutput: tx.OutPoint{Index: 0xffffffff}, Script: append(s, 'x'), Sequence: 0}},
		Outputs: outs}
}

// D1: check_coinbase skips the height push for the PoS genesis tx at index 2
// (`if (!is_pos_genesis && !is_valid_coinbase_height(...))`), whose script is raw text
// (miner::create_pos_genesis_tx: "MVS start POS at ..."). Go checks every coinbase, so
// mainnet block 1,924,146 fails CheckSanity.
func TestReviewPoSGenesisTxHasNoHeightPush(t *testing.T) {
	blk := reviewBlock(t, "pos block 3588504")
	foundation, err := mvs.DecodeAddress("MSCHL3unfVqzsZbRVCJ3yVp7RgAmXiuGN3", mvs.MainNet())
	if err != nil {
		t.Fatal(err)
	}
	gen := tx.Tx{Version: 0,
		Inputs:  []tx.Input{{PreviousOutput: tx.OutPoint{Index: 0xffffffff}, Script: []byte("MVS start POS at 2019-08-14 10:00:00")}},
		Outputs: []tx.Output{etpOut(0x1076F8E*100000000, script.PayToAddress(foundation))}}
	for i := 1; i <= 23; i++ {
		gen.Outputs = append(gen.Outputs, tx.Output{Script: script.PayToAddress(foundation), Attachment: tx.Attachment{Version: 1, Type: tx.TypeAssetCert,
			Payload: &tx.AssetCert{Symbol: fmt.Sprintf("MVS.WITNESS.%d", i), Owner: "MVS", Address: foundation.String(), CertType: tx.CertWitness, Status: tx.CertStatusAutoIssue}}})
	}
	blk.Transactions = append(blk.Transactions[:2], gen)
	// Only the first PoS block may carry it (check_genesis_tx: no PoS block before).
	if c := blk.Check(); !errors.Is(c.Coinbase, ErrIllegalCoinstake) {
		t.Errorf("a PoS genesis transaction at height %d: %v", blk.Header.Height, c.Coinbase)
	}
	blk.Header.Height = mvs.MainNet().PoSGenesisHeight
	h := script.NumBytes(int64(blk.Header.Height))
	blk.Transactions[0].Inputs[0].Script = append([]byte{byte(len(h))}, h...)
	if c := blk.Check(); c.Coinbase != nil {
		t.Fatalf("the PoS genesis transaction in the first PoS block: %v", c.Coinbase)
	}
	// Testnet's first PoS block, 991,505, carries one too.
	blk.Header.Height = mvs.TestNet().PoSGenesisHeight
	h = script.NumBytes(int64(blk.Header.Height))
	blk.Transactions[0].Inputs[0].Script = append([]byte{byte(len(h))}, h...)
	if c := blk.Check(); c.Coinbase != nil {
		t.Fatalf("the PoS genesis transaction in testnet's first PoS block: %v", c.Coinbase)
	}
}

// D2: check_coinbase output rules for tx 0:
//
//	if (tx.outputs.empty() || !tx.outputs[0].is_etp()) return error::first_not_coinbase;
//	if (tx.outputs.size() > 2 || (tx.outputs.size() == 2 && !tx.outputs[1].is_asset_transfer())) return error::illegal_coinstake;
func TestReviewCoinbaseOutputShape(t *testing.T) {
	cases := map[string]func(cb *tx.Tx){
		"output 0 not etp": func(cb *tx.Tx) {
			cb.Outputs[0].Attachment = tx.Attachment{Version: 1, Type: tx.TypeMessage, Payload: &tx.Message{Content: "hi"}}
		},
		"second output etp": func(cb *tx.Tx) { cb.Outputs = append(cb.Outputs, etpOut(1, p2pkhA)) },
		"three outputs": func(cb *tx.Tx) {
			cb.Outputs = append(cb.Outputs, tx.Output{Script: p2pkhA, Attachment: tx.Attachment{Version: 1, Type: tx.TypeAsset, Payload: &tx.AssetTransfer{Symbol: "X", Quantity: 1}}}, etpOut(1, p2pkhA))
		},
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			blk := reviewBlock(t, "pow block 2200000")
			mutate(&blk.Transactions[0])
			fixMerkle(blk)
			if err := blk.CheckSanity(); err == nil {
				t.Fatal("node rejects (first_not_coinbase / illegal_coinstake); Go CheckSanity accepts")
			}
		})
	}
}

// D3: only a leading run of coinbases is allowed; later ones are rejected:
//
//	for (auto it = iter_start; ...) if (it->is_coinbase() || it->is_coinstake()) return error::extra_coinbases;
//
// and a non-first leading coinbase must have exactly one output (illegal_coinstake).
func TestReviewExtraCoinbases(t *testing.T) {
	t.Run("coinbase after a normal tx", func(t *testing.T) {
		blk := reviewBlock(t, "pow block 2200000")
		blk.Transactions = append(blk.Transactions, normalTx(), extraCoinbase(blk.Header.Height, etpOut(1, p2pkhA)))
		fixMerkle(blk)
		if err := blk.CheckSanity(); err == nil {
			t.Fatal("node: extra_coinbases; Go accepts")
		}
	})
	t.Run("second coinbase with two outputs", func(t *testing.T) {
		blk := reviewBlock(t, "pow block 2200000")
		blk.Transactions = append(blk.Transactions, extraCoinbase(blk.Header.Height, etpOut(1, p2pkhA), etpOut(2, p2pkhB)))
		fixMerkle(blk)
		if err := blk.CheckSanity(); err == nil {
			t.Fatal("node: illegal_coinstake (non-first coinbase must have 1 output); Go accepts")
		}
	})
}

// D4: a coinstake in a PoW block:
//
//	if (tx.is_coinstake()) { if (!header.is_proof_of_stake() || index != 1) return error::illegal_coinstake; ...
func TestReviewCoinstakeInPoWBlock(t *testing.T) {
	pos := reviewBlock(t, "pos block 3588504")
	blk := reviewBlock(t, "pow block 2200000")
	blk.Transactions = append(blk.Transactions, pos.Transactions[1])
	fixMerkle(blk)
	if err := blk.CheckSanity(); err == nil {
		t.Fatal("node: illegal_coinstake; Go accepts")
	}
}

// D5: is_valid_coinbase_height compares bytes: expected = [len][height] (opcode::special is
// written with raw byte = data.size()), std::equal(expected..., actual.begin()). A
// non-minimal push (OP_PUSHDATA1) of the right height is rejected; Go compares push data.
func TestReviewNonMinimalHeightPush(t *testing.T) {
	blk := reviewBlock(t, "pow block 2200000")
	blk.Transactions[0].Inputs[0].Script = []byte{0x4c, 0x03, 0xc0, 0x91, 0x21}
	fixMerkle(blk)
	if err := blk.CheckSanity(); err == nil {
		t.Fatal("node: coinbase_height_mismatch; Go accepts")
	}
}

// D6: the PoS key is `coinstake_tx.inputs[0].script.operations.back().data` - the last
// operation, push or not. Go takes the last *push*.
func TestReviewPoSKeyIsLastOperation(t *testing.T) {
	blk := reviewBlock(t, "pos block 3588504")
	in := &blk.Transactions[1].Inputs[0]
	in.Script = append(append([]byte(nil), in.Script...), 0x61) // OP_NOP
	c := blk.Check()
	if c.Signature == nil && c.Coinbase == nil {
		t.Fatal("node: last op (OP_NOP) has no data -> block_signature_invalid (and is_coinstake fails on the input address); Go accepts signature and coinstake")
	}
}

// D7: transaction::is_coinstake also requires
//
//	inputs[0].get_script_address() == outputs[1].get_script_address()
//
// A PoS block whose tx 1 pays elsewhere has no coinstake (miss_coinstake / invalid
// coinstake in check_block_signature).
func TestReviewCoinstakeAddressMustMatch(t *testing.T) {
	blk := reviewBlock(t, "pos block 3588504")
	blk.Transactions[1].Outputs[1].Script = p2pkhB
	c := blk.Check()
	if c.Coinbase == nil && c.Signature == nil && c.Transaction == nil {
		t.Fatal("node: not a coinstake -> miss_coinstake / block_signature_invalid / script_not_standard; Go accepts all three")
	}
}

// D8: check_block: `else if (header.is_proof_of_dpos()) { ... if (!can_use_dpos(header.number))
// return error::block_version_not_match; }` and witness::is_dpos_enabled() is false on the
// public networks. Go's context-free check accepts a signed version-3 block.
func TestReviewDPoSBlockRejected(t *testing.T) {
	blk := reviewBlock(t, "pow block 2200000")
	blk.Header.Version = VersionDPoS
	priv, _ := btcec.NewPrivateKey()
	if err := blk.SignBlock(priv); err != nil {
		t.Fatal(err)
	}
	if err := blk.CheckSanity(); err == nil {
		t.Fatal("node rejects every version-3 block on mainnet/testnet; Go accepts")
	}
}

var _ = hex.EncodeToString

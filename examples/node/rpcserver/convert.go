package rpcserver

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/rpcclient"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// The functions below print chain objects in the reference's v3 shapes
// (src/lib/explorer/json_helper.cpp) through rpcclient's types, so that the client and this
// server cannot drift apart.

func u64p(v uint64) *rpcclient.Uint64 { u := rpcclient.Uint64(v); return &u }
func strp(s string) *string           { return &s }

// txJSON prints t; height, when not nil, is printed (gettx, the push).
func txJSON(t *tx.Tx, p *mvs.Params, height *uint64) rpcclient.Tx {
	j := t.ToJSON(p)
	out := rpcclient.Tx{Hash: t.Hash(), LockTime: rpcclient.Uint64String(t.LockTime), Version: rpcclient.Uint64String(t.Version),
		Inputs: make([]rpcclient.TxInput, len(t.Inputs)), Outputs: make([]rpcclient.TxOutput, len(t.Outputs))}
	if height != nil {
		out.Height = u64p(*height)
	}
	for i, in := range j.Inputs {
		out.Inputs[i] = rpcclient.TxInput{Address: in.Address, Script: in.Script, Sequence: rpcclient.Uint64(in.Sequence),
			PreviousOutput: rpcclient.OutPoint{Hash: in.PreviousOutput.Hash, Index: rpcclient.Uint64(in.PreviousOutput.Index)}}
	}
	for i := range t.Outputs {
		o := &t.Outputs[i]
		jo := rpcclient.TxOutput{Address: j.Outputs[i].Address, Script: j.Outputs[i].Script, Value: rpcclient.Uint64(o.Value),
			Index: rpcclient.Uint64(i), Attachment: attachmentJSON(&o.Attachment)}
		if h, ok := script.DepositLockHeight(o.Script); ok && h > 0 {
			jo.LockedHeightRange = rpcclient.Uint64(h)
		}
		if mp, _, ok := script.AttenuationParams(o.Script); ok {
			jo.AttenuationModelParam = modelJSON(mp)
		}
		out.Outputs[i] = jo
	}
	return out
}

// modelJSON prints an attenuation model's parameter string as the reference's
// prop_attenuation_model_param does: only the keys present, a value that does not start
// with a digit as 2^64-1, and the UC/UQ steps when both parse and have the same length.
func modelJSON(param []byte) *rpcclient.AttenuationModelParam {
	out := &rpcclient.AttenuationModelParam{}
	var uc, uq []uint64
	stepsOK := true
	for _, kv := range strings.Split(string(param), ";") {
		key, value, ok := strings.Cut(kv, "=")
		if !ok || key == "" || value == "" || strings.Contains(value, "=") {
			continue
		}
		if key == "UC" || key == "UQ" {
			for _, f := range strings.Split(value, ",") {
				if f == "" {
					continue
				}
				n, err := strconv.ParseUint(f, 10, 64)
				if err != nil {
					stepsOK = false
					break
				}
				if key == "UC" {
					uc = append(uc, n)
				} else {
					uq = append(uq, n)
				}
			}
			continue
		}
		num := uint64(math.MaxUint64)
		if value[0] >= '0' && value[0] <= '9' {
			// std::stoull reads the leading digits; beyond 2^64-1 the reference throws, and
			// that output could not have been printed at all: keep the marker value.
			end := 0
			for end < len(value) && value[end] >= '0' && value[end] <= '9' {
				end++
			}
			if n, err := strconv.ParseUint(value[:end], 10, 64); err == nil {
				num = n
			}
		}
		switch key {
		case "PN":
			out.CurrentPeriodNbr = u64p(num)
		case "LH":
			out.NextInterval = u64p(num)
		case "TYPE":
			out.Type = u64p(num)
		case "LQ":
			out.LockQuantity = u64p(num)
		case "LP":
			out.LockPeriod = u64p(num)
		case "UN":
			out.TotalPeriodNbr = u64p(num)
		case "IR":
			out.InflationRate = u64p(num)
		}
	}
	if stepsOK && len(uc) > 0 && len(uc) == len(uq) {
		for i := range uc {
			out.Locked = append(out.Locked, rpcclient.LockedStep{Number: rpcclient.Uint64(uc[i]), Quantity: rpcclient.Uint64(uq[i])})
		}
	}
	return out
}

// certName is the reference's name of a certificate type (asset_cert::get_type_name_map),
// "0x…" for the others.
func certName(t uint32) string {
	switch t {
	case tx.CertIssue:
		return "issue"
	case tx.CertDomain:
		return "domain"
	case tx.CertNaming:
		return "naming"
	case tx.CertMining:
		return "mining"
	case tx.CertWitness:
		return "witness"
	case tx.CertMarriage:
		return "marriage"
	case tx.CertKYC:
		return "kyc"
	}
	return fmt.Sprintf("0x%x", t)
}

func attachmentJSON(a *tx.Attachment) rpcclient.Attachment {
	var j rpcclient.Attachment
	if a.Version == tx.AttachVersionDID {
		j.FromDID, j.ToDID = strp(a.FromDID), strp(a.ToDID)
	}
	switch p := a.Payload.(type) {
	case nil:
		switch a.Type {
		case tx.TypeCoinstakeNull:
			j.Type = rpcclient.AttachmentCoinstake
		default:
			j.Type = rpcclient.AttachmentETP
		}
	case *tx.ETPAward:
		j.Type = rpcclient.AttachmentETP
	case *tx.AssetDetail:
		j.Type = rpcclient.AttachmentAssetIssue
		j.Symbol, j.Issuer, j.Address, j.Description = p.Symbol, p.Issuer, p.Address, strp(p.Description)
		j.Quantity, j.DecimalNumber = u64p(p.MaximumSupply), u64p(uint64(p.Decimals))
		j.SecondaryIssueThreshold = u64p(uint64(p.Threshold()))
		sec := p.IsSecondaryIssue()
		j.IsSecondaryIssue = &sec
	case *tx.AssetTransfer:
		j.Type, j.Symbol, j.Quantity = rpcclient.AttachmentAssetTransfer, p.Symbol, u64p(p.Quantity)
	case *tx.Message:
		j.Type, j.Content = rpcclient.AttachmentMessage, strp(p.Content)
	case *tx.DID:
		j.Type = rpcclient.AttachmentDIDRegister
		if p.Status == tx.DIDStatusTransfer {
			j.Type = rpcclient.AttachmentDIDTransfer
		}
		j.Symbol, j.Address = p.Symbol, p.Address
	case *tx.AssetCert:
		j.Type, j.Symbol, j.Owner, j.Address, j.Cert = rpcclient.AttachmentAssetCert, p.Symbol, p.Owner, p.Address, certName(p.CertType)
		if p.HasContent() {
			j.Content = strp(p.Content)
		}
	case *tx.MIT:
		j.Type, j.Symbol, j.Address = rpcclient.AttachmentMIT, p.Symbol, p.Address
		j.Status = "transfered" // the reference's spelling
		if p.Status == tx.MITStatusRegister {
			j.Status, j.Content = "registered", strp(p.Content)
		}
	}
	return j
}

func headerJSON(h *block.Header, txCount int) rpcclient.BlockHeader {
	// Both are 32 bytes read big-endian, as the reference streams them: they always fit.
	bits, _ := rpcclient.NewUint256String(h.Bits.Big())
	mix, _ := rpcclient.NewUint256String(new(big.Int).SetBytes(h.MixHash[:]))
	return rpcclient.BlockHeader{Hash: h.Hash(), MerkleTreeHash: h.MerkleRoot, PreviousBlockHash: h.PreviousBlockHash,
		Bits: bits, MixHash: mix, Nonce: rpcclient.Uint64String(h.Nonce), Timestamp: rpcclient.Uint64(h.Timestamp),
		Version: rpcclient.Uint64(h.Version), Number: rpcclient.Uint64(h.Height), TransactionCount: rpcclient.Uint64(txCount)}
}

func blockJSON(blk *block.Block, p *mvs.Params) rpcclient.Block {
	out := rpcclient.Block{BlockHeader: headerJSON(&blk.Header, len(blk.Transactions)), Transactions: make([]rpcclient.Tx, len(blk.Transactions))}
	for i := range blk.Transactions {
		out.Transactions[i] = txJSON(&blk.Transactions[i], p, nil)
	}
	out.BlockSig, out.PublicKey = blockSig(blk)
	return out
}

func blockRawJSON(blk *block.Block) rpcclient.BlockRawTxs {
	out := rpcclient.BlockRawTxs{BlockHeader: headerJSON(&blk.Header, len(blk.Transactions)), Transactions: make([]rpcclient.HexBytes, len(blk.Transactions))}
	for i := range blk.Transactions {
		out.Transactions[i] = blk.Transactions[i].Bytes()
	}
	out.BlockSig, out.PublicKey = blockSig(blk)
	return out
}

// blockSig is the signature trailer the reference prints: blocksig on PoS and DPoS blocks,
// public_key on DPoS blocks.
func blockSig(blk *block.Block) (sig, pub rpcclient.HexBytes) {
	switch blk.Header.Version {
	case block.VersionPoS:
		return append([]byte(nil), blk.Signature[:]...), nil
	case block.VersionDPoS:
		return append([]byte(nil), blk.Signature[:]...), append([]byte(nil), blk.PublicKey[:]...)
	}
	return nil, nil
}

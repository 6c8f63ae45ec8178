package asset

import (
	"errors"
	"fmt"
	"math"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx"
)

// ErrSpecialFee: an asset issue or DID registration pays less than the issue or DID fee, or
// gives the miner less than its share of it. Miner policy, not a block rule.
var ErrSpecialFee = errors.New("asset: issue or DID fee too low (miner policy)")

// The reference miner's special fees (constants.hpp min_fee_to_issue_asset,
// min_fee_to_register_did, min_fee_percentage_to_miner): compile-time constants, the same on
// every network. Params.IssueFee, DIDFee and MinerFeePercent say what a wallet pays; these say
// what a miner accepts.
const (
	MinerIssueFee   = 10 * mvs.SatoshiPerETP
	MinerDIDFee     = 1 * mvs.SatoshiPerETP
	MinerFeePercent = 20
)

// CheckSpecialFees is the node miner's policy for asset issues and DID registrations
// (validate_transaction::check_special_fees, applied only when its miner selects
// transactions; blocks that break it are valid), the one implementation the wallet and the
// did package use too. fee is the transaction's fee (inputs less outputs). The last asset
// issue (not a secondary issue) or DID registration among the outputs decides the kind, as
// in the node. When ETP outputs pay the developer address, fee plus those payments must reach
// MinerIssueFee (MinerDIDFee for a DID) with at least MinerFeePercent of it, rounded up in
// the node's double arithmetic, as the fee; otherwise the fee alone must reach it. A
// registration to the developer address itself is exempt. Other transactions pass.
func CheckSpecialFees(t *tx.Tx, fee mvs.Amount, p *mvs.Params) error {
	if p == nil {
		return mvs.ErrNoParams
	}
	dev := p.DeveloperAddress
	var toDev mvs.Amount
	kind, to := "", ""
	for i := range t.Outputs {
		o := &t.Outputs[i]
		a := &o.Attachment
		switch {
		case isETP(a):
			if scriptAddress(o.Script, p) == dev {
				toDev += o.Value
			}
		case isIssue(a):
			kind, to = "an asset issue", scriptAddress(o.Script, p)
		case a.Type == tx.TypeDID:
			if d, ok := a.Payload.(*tx.DID); ok && d.Status == tx.DIDStatusRegister {
				kind, to = "a DID registration", scriptAddress(o.Script, p)
			}
		}
	}
	if kind == "" || to == dev {
		return nil
	}
	need := MinerIssueFee
	if kind == "a DID registration" {
		need = MinerDIDFee
	}
	if toDev == 0 {
		if fee < need {
			return fmt.Errorf("%w: %s pays %s ETP, the miner requires %s ETP", ErrSpecialFee, kind, fee, need)
		}
		return nil
	}
	total := fee + toDev
	pct := uint32(math.Ceil(float64(fee) * 100.0 / float64(total)))
	if total < need || pct < MinerFeePercent {
		return fmt.Errorf("%w: %s pays %s ETP (%d%% to the miner), the miner requires %s ETP with at least %d%%",
			ErrSpecialFee, kind, total, pct, need, MinerFeePercent)
	}
	return nil
}

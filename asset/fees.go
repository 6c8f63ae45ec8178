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

// CheckSpecialFees is the node miner's policy for asset issues and DID registrations
// (validate_transaction::check_special_fees, called only when its miner selects
// transactions; blocks that break it are valid): fee is the transaction's fee (inputs less
// outputs). When ETP outputs pay the developer address, fee plus those payments must reach
// p.IssueFee (p.DIDFee for a DID registration) with at least p.MinerFeePercent of it, rounded
// up, as the fee; otherwise the fee alone must reach it. A registration to the developer
// address itself is exempt. Other transactions pass.
func CheckSpecialFees(t *tx.Tx, fee uint64, p *mvs.Params) error {
	if p == nil {
		return mvs.ErrNoParams
	}
	dev := p.DeveloperAddress
	var toDev uint64
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
			kind, to = "asset issue", scriptAddress(o.Script, p)
		case a.Type == tx.TypeDID:
			if d, ok := a.Payload.(*tx.DID); ok && d.Status == tx.DIDStatusRegister {
				kind, to = "DID registration", scriptAddress(o.Script, p)
			}
		}
	}
	if kind == "" || to == dev {
		return nil
	}
	need := uint64(p.IssueFee)
	if kind == "DID registration" {
		need = uint64(p.DIDFee)
	}
	if toDev == 0 {
		if fee < need {
			return fmt.Errorf("%w: %s fee %d, needs %d", ErrSpecialFee, kind, fee, need)
		}
		return nil
	}
	total := fee + toDev
	pct := uint32(math.Ceil(float64(fee) * 100.0 / float64(total)))
	if total < need || pct < p.MinerFeePercent {
		return fmt.Errorf("%w: %s pays %d (%d%% to the miner), needs %d (%d%%)", ErrSpecialFee, kind, total, pct, need, p.MinerFeePercent)
	}
	return nil
}

package did

import (
	"fmt"
	"math"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx"
)

// CheckRegisterFee is the node miner's rule for a DID registration (check_special_fees,
// which only the built-in miner applies: a block that breaks it is still valid). fee is the
// transaction's fee in satoshi (inputs minus outputs). A registration either pays at least
// p.DIDFee as fee, or splits it: plain ETP outputs to p.DeveloperAddress plus the fee reach
// p.DIDFee and the fee is at least p.MinerFeePercent of that total (rounded up, in the
// node's double arithmetic). A registration for the developer address itself is exempt.
// As in the node, the last asset-issue or DID-registration output decides which rule
// applies; when it is an asset issue, this returns nil (that fee is the asset rule's).
func CheckRegisterFee(t *tx.Tx, fee mvs.Amount, p *mvs.Params) error {
	if p == nil {
		return mvs.ErrNoParams
	}
	kind, to := 0, ""
	var toDeveloper mvs.Amount
	for i := range t.Outputs {
		o := &t.Outputs[i]
		switch {
		case o.Attachment.Type == tx.TypeETP:
			if scriptAddress(o.Script, p) == p.DeveloperAddress {
				toDeveloper += o.Value
			}
		case isAssetIssue(o):
			kind, to = 1, scriptAddress(o.Script, p)
		case didPayload(o) != nil && didPayload(o).Status == tx.DIDStatusRegister:
			kind, to = 2, scriptAddress(o.Script, p)
		}
	}
	if kind != 2 || to == p.DeveloperAddress {
		return nil
	}
	min := p.DIDFee
	if toDeveloper == 0 {
		if fee < min {
			return fmt.Errorf("%w: fee %d, need %d", ErrRegisterFee, fee, min)
		}
		return nil
	}
	total := fee + toDeveloper
	percent := uint64(math.Ceil(float64(fee) * 100.0 / float64(total)))
	if total < min || percent < uint64(p.MinerFeePercent) {
		return fmt.Errorf("%w: fee %d and %d to the developer address: total %d (need %d), %d%% to the miner (need %d%%)",
			ErrRegisterFee, fee, toDeveloper, total, min, percent, p.MinerFeePercent)
	}
	return nil
}

// isAssetIssue is output::is_asset_issue: an asset detail that is not a secondary issue.
func isAssetIssue(o *tx.Output) bool {
	d, ok := o.Attachment.Payload.(*tx.AssetDetail)
	return ok && o.Attachment.Type == tx.TypeAsset && !d.IsSecondaryIssue()
}

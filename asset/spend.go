package asset

import (
	"bytes"
	"fmt"

	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// LockedInput is an attenuation-locked output that a transaction spends, with the height of
// the block that confirmed it.
type LockedInput struct {
	OutPoint tx.OutPoint
	Output   tx.Output
	Height   uint64
}

// AssetAmount is output::get_asset_amount: the quantity an asset issue (its supply) or
// transfer output carries, 0 for any other output.
func AssetAmount(o *tx.Output) uint64 {
	switch p := o.Attachment.Payload.(type) {
	case *tx.AssetDetail:
		return p.MaximumSupply
	case *tx.AssetTransfer:
		return p.Quantity
	}
	return 0
}

// immutableEqual is check_model_param_immutable: both params non-empty and prev's part from
// its second ';' on repeated at the same place in cur. The node compares only prev's length
// of it (std::equal with three iterators), so a longer cur passes here; Unlock's exact
// param comparison rejects it next, as on the node.
func immutableEqual(prev, cur []byte) bool {
	if len(prev) == 0 || len(cur) == 0 {
		return false
	}
	pt, _ := immutableTail(prev) // absent: an empty range, which the node finds equal
	ct, _ := immutableTail(cur)
	return len(ct) >= len(pt) && bytes.Equal(ct[:len(pt)], pt)
}

// CheckSpend is the chain's attenuation rule for a transaction (attenuation_model.cpp
// check_model_param(validate_transaction)), as a pure function: locked lists the
// attenuation-locked outputs the transaction spends and tipHeight is the chain height it is
// validated against. Before SuperNova (version < 4) nothing is checked. Every attenuation
// output must carry a valid model; a new lock (null outpoint) must pass CheckNewModel; a
// relock must name a spent locked output, keep its immutable part, advance PN and LH by no
// more blocks than have passed, and hold exactly what Unlock leaves locked. Locked outputs
// that are not relocked must have fully matured.
func CheckSpend(t *tx.Tx, locked []LockedInput, tipHeight uint64) error {
	if t.Version < tx.VersionNova {
		return nil
	}
	for i := range t.Inputs {
		if t.Inputs[i].PreviousOutput.IsNull() {
			return fmt.Errorf("%w: input %d spends the null outpoint", ErrModel, i)
		}
	}
	if len(locked) == 0 {
		return nil
	}
	left := append([]LockedInput(nil), locked...)
	for i := range t.Outputs {
		o := &t.Outputs[i]
		if script.Classify(o.Script) != script.PayKeyHashWithAttenuationModel {
			continue
		}
		param, from, _ := script.AttenuationParams(o.Script) // the class guarantees ok
		amount := AssetAmount(o)
		if err := ValidateModel(param, amount); err != nil {
			return fmt.Errorf("output %d: %w", i, err)
		}
		if from.IsNull() {
			if err := CheckNewModel(param, amount); err != nil {
				return fmt.Errorf("output %d: %w", i, err)
			}
			continue
		}
		j := -1
		for k := range left {
			if left[k].OutPoint.Hash == from.Hash && left[k].OutPoint.Index == from.Index {
				j = k
				break
			}
		}
		if j < 0 {
			return fmt.Errorf("output %d: %w", i, modelError(param, "relocks %v:%d, which this transaction does not spend locked", from.Hash, from.Index))
		}
		in := left[j]
		prev, _, _ := script.AttenuationParams(in.Output.Script)
		if !immutableEqual(prev, param) {
			return fmt.Errorf("output %d: %w", i, modelError(param, "changes the immutable part of %s", prev))
		}
		passed := tipHeight - in.Height // unsigned, as on the node
		need := DiffHeight(prev, param)
		if need > passed {
			return fmt.Errorf("output %d: %w", i, modelError(param, "advances the lock by %d blocks; %d have passed", need, passed))
		}
		total := AssetAmount(&in.Output)
		free, next := Unlock(total, need, prev)
		if total != free+amount {
			return fmt.Errorf("output %d: %w", i, modelError(param, "locks %d; %d of %d must stay locked", amount, total-free, total))
		}
		if next == nil || !bytes.Equal(next, param) {
			return fmt.Errorf("output %d: %w", i, modelError(param, "the lock must continue as %q", next))
		}
		left = append(left[:j], left[j+1:]...) // one relock per spent lock
	}
	for _, in := range left {
		prev, _, _ := script.AttenuationParams(in.Output.Script)
		passed := tipHeight - in.Height
		if need := DiffHeight(prev, nil); need > passed {
			return fmt.Errorf("%w: %v:%d is spent without a relock but matures only in %d more blocks",
				ErrModel, in.OutPoint.Hash, in.OutPoint.Index, need-passed)
		}
	}
	return nil
}

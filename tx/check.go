package tx

import (
	"fmt"

	"github.com/mvsgo/mvs"
)

// CheckSanity applies the reference node's context-free transaction rules
// (validate_transaction::check_transaction_basic, less what needs the chain):
//   - at least one input and one output; version below 5;
//   - reference-computed size at most 1,000,000 bytes;
//   - no outpoint spent twice; no null outpoint outside a coinbase;
//   - each output value and the running sum at most MaxMoney;
//   - from version 2, every output script standard (but the coinstake's null output 0);
//   - from version 4, every attachment within its validity limits (attachment::is_valid);
//   - the symbol of an asset issue, certificate, DID or MIT registration well formed (and
//     from version 4 upper case and free of banned words; see ValidAssetSymbol).
//
// Rules that need the network (a mainnet-only DID word check, version 3 as testnet-only,
// the deposit lock-height table) or chain state belong to the packages above.
func (t *Tx) CheckSanity() error {
	if len(t.Inputs) == 0 {
		return ErrNoInputs
	}
	if len(t.Outputs) == 0 {
		return ErrNoOutputs
	}
	if t.Version >= VersionMax {
		return fmt.Errorf("%w: version %d", ErrVersion, t.Version)
	}
	if n := t.ConsensusSize(); n > MaxTxSize {
		return fmt.Errorf("%w: %d bytes", ErrTxTooLarge, n)
	}
	coinbase := t.IsCoinbase()
	if len(t.Inputs) > 1 {
		seen := make(map[OutPoint]int, len(t.Inputs))
		for i := range t.Inputs {
			op := t.Inputs[i].PreviousOutput
			if j, dup := seen[op]; dup {
				return fmt.Errorf("%w: inputs %d and %d spend %v", ErrDuplicateInput, j, i, op)
			}
			seen[op] = i
		}
	}
	if !coinbase {
		for i := range t.Inputs {
			if t.Inputs[i].PreviousOutput.IsNull() {
				return fmt.Errorf("input[%d]: %w", i, ErrNullPrevOut)
			}
		}
	}
	var total mvs.Amount
	for i := range t.Outputs {
		v := t.Outputs[i].Value
		if v > mvs.MaxMoney {
			return fmt.Errorf("output[%d]: %w: %d", i, ErrOutputValue, v)
		}
		total += v // both terms ≤ MaxMoney, so no overflow before the check
		if total > mvs.MaxMoney {
			return fmt.Errorf("output[%d]: %w", i, ErrTotalOutputValue)
		}
	}
	if t.Version >= VersionCheckOutputScript {
		coinstake := t.IsCoinstake()
		for i := range t.Outputs {
			if i == 0 && coinstake {
				continue
			}
			if !isStandardOutput(t.Outputs[i].Script) {
				return fmt.Errorf("output[%d]: %w", i, ErrNonStandardOutput)
			}
		}
	}
	if t.Version >= VersionNova {
		for i := range t.Outputs {
			if err := t.Outputs[i].Attachment.CheckValid(); err != nil {
				return fmt.Errorf("output[%d]: %w", i, err)
			}
		}
	}
	return t.checkSymbols()
}

// CheckValid applies attachment::is_valid, the per-type limits enforced on every output of a
// version-4 transaction.
func (a *Attachment) CheckValid() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrInvalidAttachment, a.Type, fmt.Sprintf(format, args...))
	}
	if !a.payloadMatches() {
		return fmt.Errorf("%w: type %v, payload %T", ErrPayloadMismatch, a.Type, a.Payload)
	}
	switch p := a.Payload.(type) {
	case nil:
		switch a.Type {
		case TypeETP, TypeCoinstakeNull:
			return nil
		}
		return bad("unknown attachment type %d", uint32(a.Type))
	case *ETPAward:
		return nil
	case *AssetDetail:
		if p.Symbol == "" {
			return bad("empty symbol")
		}
		if p.MaximumSupply == 0 && !p.IsSecondaryIssue() {
			return bad("maximum supply is zero")
		}
		if n := len(p.Symbol) + len(p.Issuer) + len(p.Address) + len(p.Description) + 16; n > assetDetailFixSize {
			return bad("detail size %d above %d", n, assetDetailFixSize)
		}
	case *AssetTransfer:
		if p.Symbol == "" || p.Quantity == 0 || len(p.Symbol) > 63 {
			return bad("symbol %q, quantity %d", p.Symbol, p.Quantity)
		}
	case *Message:
		if p.Content == "" {
			return bad("empty message")
		}
		if n := len(p.Content) + varIntLen(len(p.Content)) + 1; n > messageFixSize {
			return bad("message of %d bytes is too long", len(p.Content))
		}
	case *DID:
		if p.Symbol == "" || len(p.Symbol)+len(p.Address)+2 > didDetailFixSize {
			return bad("symbol %q, address %q", p.Symbol, p.Address)
		}
	case *AssetCert:
		if p.Symbol == "" || p.Owner == "" || p.CertType == 0 {
			return bad("symbol %q, owner %q, type %d", p.Symbol, p.Owner, p.CertType)
		}
		n, limit := p.calcSize(), assetCertFixSize
		if p.HasContent() {
			limit = assetCertContentSize
		}
		if n > limit {
			return bad("certificate size %d above %d", n, limit)
		}
	case *MIT:
		if p.Symbol == "" || p.Address == "" || (p.Status != MITStatusRegister && p.Status != MITStatusTransfer) {
			return bad("symbol %q, address %q, status %d", p.Symbol, p.Address, p.Status)
		}
		if !p.validSize() {
			return bad("symbol, address and content of %d bytes above %d", len(p.Symbol)+len(p.Address)+len(p.Content)+3,
				mitSymbolFixSize+mitAddressFixSize+mitContentFixSize)
		}
	}
	return nil
}

func varIntLen(n int) int {
	switch {
	case n < 0xfd:
		return 1
	case n <= 0xffff:
		return 3
	}
	return 5
}

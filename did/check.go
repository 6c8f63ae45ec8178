package did

import (
	"fmt"
	"strings"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx"
)

// PrevOuts finds the outputs a transaction spends. PrevOut returns an error wrapping
// ErrNoPrevOut when op names no known output, and any other error when it cannot tell.
type PrevOuts interface {
	PrevOut(op tx.OutPoint) (tx.Output, error)
}

// PrevOutMap is a PrevOuts over a map.
type PrevOutMap map[tx.OutPoint]tx.Output

// PrevOut implements PrevOuts.
func (m PrevOutMap) PrevOut(op tx.OutPoint) (tx.Output, error) {
	o, ok := m[op]
	if !ok {
		return tx.Output{}, fmt.Errorf("%w: %v", ErrNoPrevOut, op)
	}
	return o, nil
}

// PrevOutList is a PrevOuts over the tx package's signing records.
type PrevOutList []tx.PrevOut

// PrevOut implements PrevOuts.
func (l PrevOutList) PrevOut(op tx.OutPoint) (tx.Output, error) {
	for i := range l {
		if l[i].OutPoint == op {
			return tx.Output{Value: l[i].Value, Script: l[i].Script, Attachment: l[i].Attachment}, nil
		}
	}
	return tx.Output{}, fmt.Errorf("%w: %v", ErrNoPrevOut, op)
}

// checker carries one CheckTx call: the state before the block at height, and the spent
// outputs, loaded once when a rule first needs them.
type checker struct {
	t      *tx.Tx
	prev   PrevOuts
	height uint64 // the block the transaction is in
	view   uint64 // the registry height that block sees: height−1
	p      *mvs.Params
	reg    Registry
	spent  []tx.Output
}

// CheckTx applies the node's DID rules (validate_transaction: the DID parts of
// check_transaction_basic, check_did_transaction with connect_did_input, check_attachment_to_did
// and connect_attachment_from_did, and of connect_input and check_did_symbol_match) to t as
// a transaction of the block at height, against reg's state after the block before it.
// prev finds the outputs t spends; p is the network (address versions, and the banned-word
// check on a registered symbol, which the node skips under testnet rules: p.TestnetRules).
//
// The rules, in the node's order, each with its own error:
//   - a registered symbol is well formed (ErrInvalidSymbol) and no address (ErrSymbolIsAddress);
//   - for every output in turn: a DID output's address is its script's (ErrAddressMismatch);
//     a version-207 to_did is the DID of the output's address (ErrToDID); a version-207
//     from_did is the DID of some input's address (ErrFromDID); a registration names a free
//     symbol (ErrSymbolExists) and a registration or transfer an address without a DID
//     (ErrAddressHasDID), in the only DID output of t (ErrMultipleDIDOutputs), spending an ETP
//     output of that address (ErrRegisterInput), or, for a transfer, exactly that and the
//     DID's output (ErrTransferInputs); a version-207 asset issue's issuer and certificate's
//     owner are its to_did (ErrIssuerNotToDID);
//   - spent DID, asset and MIT outputs share one symbol (ErrInputSymbols), and a transfer
//     carries nothing but that DID, ETP and messages (ErrTransferOutputs).
//
// A memory pool checks a candidate as a transaction of the next block: height = tip+1.
// Registry failures wrap ErrRegistry. The registration fee is miner policy, not consensus:
// see asset.CheckSpecialFees. Rules for one block as a whole are Block's.
func CheckTx(t *tx.Tx, prev PrevOuts, height uint64, p *mvs.Params, reg Registry) error {
	if p == nil {
		return mvs.ErrNoParams
	}
	if reg == nil {
		return fmt.Errorf("%w: nil Registry", ErrRegistry)
	}
	c := &checker{t: t, prev: prev, height: height, p: p, reg: reg}
	if height > 0 {
		c.view = height - 1
	}
	if err := c.symbols(); err != nil {
		return err
	}
	if err := c.outputs(); err != nil {
		return err
	}
	if t.IsCoinbase() {
		return nil // the node's connect-input checks skip coinbases
	}
	return c.inputs()
}

// symbols is check_transaction_basic's DID part: is_valid_did_symbol on every registration,
// with the banned-word check on the upper-cased symbol outside testnet rules.
func (c *checker) symbols() error {
	for i := range c.t.Outputs {
		d := didPayload(&c.t.Outputs[i])
		if d == nil || d.Status != tx.DIDStatusRegister {
			continue
		}
		if !tx.ValidDIDSymbol(d.Symbol) || (!c.p.TestnetRules && tx.IsSensitiveSymbol(strings.ToUpper(d.Symbol))) {
			return fmt.Errorf("output[%d]: %w: %q", i, ErrInvalidSymbol, d.Symbol)
		}
	}
	return nil
}

// didPayload returns the output's DID payload, or nil.
func didPayload(o *tx.Output) *tx.DID {
	if o.Attachment.Type != tx.TypeDID {
		return nil
	}
	d, _ := o.Attachment.Payload.(*tx.DID)
	return d
}

// load fetches every spent output once. A coinbase's null input is unknown like any other.
func (c *checker) load() ([]tx.Output, error) {
	if c.spent != nil || len(c.t.Inputs) == 0 {
		return c.spent, nil
	}
	if c.prev == nil {
		return nil, fmt.Errorf("%w: nil PrevOuts", ErrNoPrevOut)
	}
	spent := make([]tx.Output, len(c.t.Inputs))
	for i := range c.t.Inputs {
		o, err := c.prev.PrevOut(c.t.Inputs[i].PreviousOutput)
		if err != nil {
			return nil, fmt.Errorf("input[%d]: %w", i, err)
		}
		spent[i] = o
	}
	c.spent = spent
	return spent, nil
}

func (c *checker) symbolOf(address string) (string, error) {
	s, ok, err := c.reg.SymbolOf(address, c.view)
	if err != nil {
		return "", fmt.Errorf("%w: DID of %s at %d: %w", ErrRegistry, address, c.view, err)
	}
	if !ok {
		return "", nil
	}
	return s, nil
}

// outputs is check_did_transaction: each output's checks in turn, in the node's order.
func (c *checker) outputs() error {
	seenDID := false
	for i := range c.t.Outputs {
		o := &c.t.Outputs[i]
		a := &o.Attachment
		d := didPayload(o)
		isReg := d != nil && d.Status == tx.DIDStatusRegister
		isXfer := d != nil && d.Status == tx.DIDStatusTransfer
		addr := scriptAddress(o.Script, c.p)
		if (isReg || isXfer) && d.Address != addr {
			return fmt.Errorf("output[%d]: %w: attachment %q, script %s", i, ErrAddressMismatch, d.Address, addr)
		}
		if a.Version == tx.AttachVersionDID && a.ToDID != "" {
			s, err := c.symbolOf(addr)
			if err != nil {
				return fmt.Errorf("output[%d]: %w", i, err)
			}
			if s != a.ToDID {
				return fmt.Errorf("output[%d]: %w: to_did %q, %s has %q", i, ErrToDID, a.ToDID, addr, s)
			}
		}
		if a.Version == tx.AttachVersionDID && a.FromDID != "" {
			if err := c.fromDID(a.FromDID); err != nil {
				return fmt.Errorf("output[%d]: %w", i, err)
			}
		}
		switch {
		case isReg:
			if isNodeAddress(d.Symbol, c.p) {
				return fmt.Errorf("output[%d]: %w: %q", i, ErrSymbolIsAddress, d.Symbol)
			}
			b, ok, err := c.reg.Resolve(d.Symbol, c.view)
			if err != nil {
				return fmt.Errorf("output[%d]: %w: resolve %q at %d: %w", i, ErrRegistry, d.Symbol, c.view, err)
			}
			// The node asks whether the registration height is at or below the fork point,
			// which the seeded BLACKHOLE (2^32−1) never is; the current binding's height is
			// at least the registration's, and for the seed it is the same.
			if ok && b.Height < c.height {
				return fmt.Errorf("output[%d]: %w: %q at height %d", i, ErrSymbolExists, d.Symbol, b.Height)
			}
			fallthrough
		case isXfer:
			s, err := c.symbolOf(d.Address)
			if err != nil {
				return fmt.Errorf("output[%d]: %w", i, err)
			}
			if s != "" {
				return fmt.Errorf("output[%d]: %w: %s has %q", i, ErrAddressHasDID, d.Address, s)
			}
			if seenDID {
				return fmt.Errorf("output[%d]: %w", i, ErrMultipleDIDOutputs)
			}
			seenDID = true
			if err := c.didInputs(i, d); err != nil {
				return err
			}
		case a.Type == tx.TypeAsset:
			if det, ok := a.Payload.(*tx.AssetDetail); ok && a.Version == tx.AttachVersionDID && det.Issuer != a.ToDID {
				return fmt.Errorf("output[%d]: %w: issuer %q, to_did %q", i, ErrIssuerNotToDID, det.Issuer, a.ToDID)
			}
		case a.Type == tx.TypeAssetCert:
			if cert, ok := a.Payload.(*tx.AssetCert); ok && a.Version == tx.AttachVersionDID && cert.Owner != a.ToDID {
				return fmt.Errorf("output[%d]: %w: owner %q, to_did %q", i, ErrIssuerNotToDID, cert.Owner, a.ToDID)
			}
		}
	}
	return nil
}

// fromDID is connect_attachment_from_did: some input's previous output pays an address whose
// DID is from.
func (c *checker) fromDID(from string) error {
	spent, err := c.load()
	if err != nil {
		return err
	}
	for j := range spent {
		s, err := c.symbolOf(scriptAddress(spent[j].Script, c.p))
		if err != nil {
			return err
		}
		if s == from {
			return nil
		}
	}
	return fmt.Errorf("%w: %q", ErrFromDID, from)
}

// didInputs is connect_did_input. A registration must spend a plain ETP output (attachment
// type 0, not a message or anything else) of the registered address. A transfer must have
// exactly two inputs, one spending a DID output of the same symbol and one such ETP output
// of the new address; the DID output's owner proves itself by signing, which script
// validation checks.
func (c *checker) didInputs(i int, d *tx.DID) error {
	want := ErrRegisterInput
	if d.Status == tx.DIDStatusTransfer {
		want = ErrTransferInputs
		if len(c.t.Inputs) != 2 {
			return fmt.Errorf("output[%d]: %w: %d inputs", i, want, len(c.t.Inputs))
		}
	}
	spent, err := c.load()
	if err != nil {
		return fmt.Errorf("output[%d]: %w", i, err)
	}
	foundDID, foundETP := false, false
	for j := range spent {
		o := &spent[j]
		if pd := didPayload(o); pd != nil && (pd.Status == tx.DIDStatusRegister || pd.Status == tx.DIDStatusTransfer) {
			if d.Status == tx.DIDStatusTransfer && pd.Symbol == d.Symbol {
				foundDID = true
			}
		} else if o.Attachment.Type == tx.TypeETP && scriptAddress(o.Script, c.p) == d.Address {
			foundETP = true
		}
	}
	if foundETP && (d.Status == tx.DIDStatusRegister || foundDID) {
		return nil
	}
	if d.Status == tx.DIDStatusTransfer && !foundDID {
		return fmt.Errorf("output[%d]: %w: no input spends a DID output of %q", i, want, d.Symbol)
	}
	return fmt.Errorf("output[%d]: %w: no input spends an ETP output of %s", i, want, d.Address)
}

// inputSymbol is the symbol connect_input compares for a spent output: that of an asset
// (issue or transfer), MIT or DID output; ok is false for other kinds.
func inputSymbol(o *tx.Output) (sym string, isDID, ok bool) {
	switch p := o.Attachment.Payload.(type) {
	case *tx.AssetDetail:
		return p.Symbol, false, o.Attachment.Type == tx.TypeAsset
	case *tx.AssetTransfer:
		return p.Symbol, false, o.Attachment.Type == tx.TypeAsset
	case *tx.MIT:
		return p.Symbol, false, o.Attachment.Type == tx.TypeMIT
	case *tx.DID:
		return p.Symbol, true, o.Attachment.Type == tx.TypeDID
	}
	return "", false, false
}

// inputs is the connect-input phase: connect_input's shared symbol across spent asset, MIT
// and DID outputs (checked here when a DID is among them; otherwise it is an asset rule),
// then check_did_symbol_match for a transaction with a DID transfer output.
func (c *checker) inputs() error {
	spent, err := c.load()
	if err != nil {
		return err
	}
	symbolIn, anyDID := "", false
	for j := range spent {
		if _, isDID, ok := inputSymbol(&spent[j]); ok && isDID {
			anyDID = true
		}
	}
	for j := range spent {
		s, _, ok := inputSymbol(&spent[j])
		if !ok {
			continue
		}
		if symbolIn == "" {
			symbolIn = s // as check_same: an empty symbol leaves it unset
		} else if s != symbolIn && anyDID {
			return fmt.Errorf("input[%d]: %w: %q after %q", j, ErrInputSymbols, s, symbolIn)
		}
	}
	hasTransfer := false
	for i := range c.t.Outputs {
		if d := didPayload(&c.t.Outputs[i]); d != nil && d.Status == tx.DIDStatusTransfer {
			hasTransfer = true
		}
	}
	if !hasTransfer {
		return nil
	}
	for i := range c.t.Outputs {
		o := &c.t.Outputs[i]
		switch {
		case o.Attachment.Type == tx.TypeDID:
			if d := didPayload(o); d == nil || d.Symbol != symbolIn {
				return fmt.Errorf("output[%d]: %w: DID output for %q, spent %q", i, ErrTransferOutputs, symbolOfOutput(o), symbolIn)
			}
		case o.Attachment.Type == tx.TypeETP, o.Attachment.Type == tx.TypeMessage:
		default:
			return fmt.Errorf("output[%d]: %w: %v output", i, ErrTransferOutputs, o.Attachment.Type)
		}
	}
	return nil
}

func symbolOfOutput(o *tx.Output) string {
	if d := didPayload(o); d != nil {
		return d.Symbol
	}
	return ""
}

// Block refuses what the node refuses across one block's transactions (validate_block
// check_block's DID part): two DID outputs, registration or transfer, of one symbol, or for
// one address. Add every transaction of the block, coinbase included, in order; the zero
// value is ready. The node checks each transaction first and the block next, so CheckTx
// runs before Add.
type Block struct{ acc accumulator }

// Add records t's DID outputs and refuses a symbol or address already seen in the block
// (ErrDuplicateSymbol, ErrDuplicateAddress).
func (b *Block) Add(t *tx.Tx) error { return b.acc.add(t, false) }

// Pool is the memory pool's counterpart of Block (transaction_pool::check_symbol_repeat,
// miner policy rather than consensus): besides Block's rules, a DID that is the symbol of a
// DID output must not also be named by a version-207 to_did or from_did anywhere in the
// pool (ErrPoolDIDInUse), so that no payment to a DID rides alongside its move. The node
// rebuilds this state for every candidate: add the pool's transactions in pool order, then
// the candidate. The zero value is ready.
type Pool struct{ acc accumulator }

// Add records t and refuses it if it conflicts with what was added before.
func (p *Pool) Add(t *tx.Tx) error { return p.acc.add(t, true) }

type accumulator struct {
	symbols   map[string]bool
	addresses map[string]bool
	named     map[string]bool // to_did and from_did seen, for Pool
}

func (a *accumulator) add(t *tx.Tx, pool bool) error {
	if a.symbols == nil {
		a.symbols, a.addresses, a.named = map[string]bool{}, map[string]bool{}, map[string]bool{}
	}
	for i := range t.Outputs {
		att := &t.Outputs[i].Attachment
		if pool && att.Version == tx.AttachVersionDID {
			// from_did first, then to_did, each refused if a DID output already has it.
			for _, name := range [2]string{att.FromDID, att.ToDID} {
				if name != "" && a.symbols[name] {
					return fmt.Errorf("output[%d]: %w: %q", i, ErrPoolDIDInUse, name)
				}
				a.named[name] = true
			}
		}
		d := didPayload(&t.Outputs[i])
		if d == nil {
			continue
		}
		if a.symbols[d.Symbol] {
			return fmt.Errorf("output[%d]: %w: %q", i, ErrDuplicateSymbol, d.Symbol)
		}
		a.symbols[d.Symbol] = true
		if a.addresses[d.Address] {
			return fmt.Errorf("output[%d]: %w: %s", i, ErrDuplicateAddress, d.Address)
		}
		a.addresses[d.Address] = true
		if pool && a.named[d.Symbol] {
			return fmt.Errorf("output[%d]: %w: %q", i, ErrPoolDIDInUse, d.Symbol)
		}
	}
	return nil
}

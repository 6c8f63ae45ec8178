package asset

import (
	"fmt"
	"strings"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// CheckTx applies the reference node's asset, certificate and MIT rules to a transaction in
// the context of the chain before the block at height (for a transaction bound for the
// memory pool, the tip height + 1): validate_transaction's check_asset_issue_transaction,
// check_asset_cert_transaction, check_secondaryissue_transaction,
// check_asset_mit_transaction, the asset part of check_did_transaction and, for the inputs,
// connect_input's symbol checks and check_asset_amount, check_asset_symbol,
// check_asset_certs and check_asset_mit. prevOuts are the outputs the inputs spend, in
// input order (none for a coinbase); reg answers what the chain has registered.
//
// It first applies t.CheckSanity (the context-free rules, the symbol rules among them),
// and applies CheckSpend to the attenuation-locked outputs spent, whose PrevOut.Height must
// then be known. It does not check fees, scripts or DIDs; per block, the caller adds
// BlockRegistrations. The issue and DID fees of the node's wallet are miner policy
// (CheckSpecialFees), and consensus does not check an asset's decimals.
func CheckTx(t *tx.Tx, prevOuts []tx.PrevOut, height uint32, p *mvs.Params, reg Registry) error {
	if p == nil {
		return mvs.ErrNoParams
	}
	if reg == nil {
		return fmt.Errorf("%w: no registry", ErrRegistry)
	}
	if err := t.CheckSanity(); err != nil {
		return err
	}
	for i := range t.Outputs {
		if !payloadMatches(&t.Outputs[i].Attachment) {
			return fmt.Errorf("output[%d]: %w: type %v, payload %T", i, tx.ErrPayloadMismatch,
				t.Outputs[i].Attachment.Type, t.Outputs[i].Attachment.Payload)
		}
	}
	c := &checker{t: t, p: p, reg: reg, coinbase: t.IsCoinbase()}
	if height > 0 {
		c.tip = height - 1
	}
	if !c.coinbase {
		if len(prevOuts) != len(t.Inputs) {
			return fmt.Errorf("%w: %d previous outputs for %d inputs", ErrPrevOuts, len(prevOuts), len(t.Inputs))
		}
		for i := range prevOuts {
			if prevOuts[i].OutPoint != t.Inputs[i].PreviousOutput {
				return fmt.Errorf("input[%d]: %w: spends %v, previous output given is %v", i, ErrPrevOuts,
					t.Inputs[i].PreviousOutput, prevOuts[i].OutPoint)
			}
			if !payloadMatches(&prevOuts[i].Attachment) {
				return fmt.Errorf("input[%d]: %w: previous output type %v, payload %T", i, tx.ErrPayloadMismatch,
					prevOuts[i].Attachment.Type, prevOuts[i].Attachment.Payload)
			}
		}
		c.prev = prevOuts
	}
	// The node's order (check_transaction, then check_tx_connect_input), so that a
	// transaction breaking two rules fails with the node's error.
	for _, rule := range []func() error{
		c.checkIssue, c.checkCertTx, c.checkSecondaryIssue, c.checkMITTx, c.checkAttachments, c.checkLocks,
	} {
		if err := rule(); err != nil {
			return err
		}
	}
	if c.coinbase {
		return nil
	}
	if err := c.connectInputs(); err != nil {
		return err
	}
	if err := c.checkAssetAmount(); err != nil {
		return err
	}
	if err := c.checkCerts(); err != nil {
		return err
	}
	return c.checkMITInputs()
}

// checker holds one CheckTx call's inputs and what connecting the inputs gathers.
type checker struct {
	t        *tx.Tx
	prev     []tx.PrevOut
	p        *mvs.Params
	reg      Registry
	tip      uint32 // the chain height the node's rules read: the block's height - 1
	coinbase bool

	// connect_input's gatherings: the one asset, MIT or DID symbol the inputs carry, the one
	// certificate symbol, the asset quantity and the certificate types spent.
	symbolIn     string
	certSymbolIn string
	assetIn      uint64
	certsIn      []uint32

	outAddrs, inAddrs []addrMemo
}

// outAddr and inAddr are the addresses output i pays and input i spends from, encoded
// once: several rules compare them, and base58 dominates the cost of a check.
func (c *checker) outAddr(i int) string {
	return c.cached(&c.outAddrs, len(c.t.Outputs), i, c.t.Outputs[i].Script)
}
func (c *checker) inAddr(i int) string { return c.cached(&c.inAddrs, len(c.prev), i, c.prev[i].Script) }

func (c *checker) cached(cache *[]addrMemo, n, i int, s []byte) string {
	if *cache == nil {
		*cache = make([]addrMemo, n)
	}
	m := &(*cache)[i]
	if !m.done {
		m.addr, m.done = scriptAddress(s, c.p), true
	}
	return m.addr
}

type addrMemo struct {
	addr string
	done bool
}

// scriptAddress is output::get_script_address: the encoded address, "" when none.
func scriptAddress(s []byte, p *mvs.Params) string {
	a, ok := script.Script(s).Address(p)
	if !ok {
		return ""
	}
	return a.String()
}

// payloadMatches: the payload is the kind the type says, and the types the rules read
// have one (a hand-built transaction could disagree, and CheckSanity does not look before
// version 4).
func payloadMatches(a *tx.Attachment) bool {
	if a.Payload != nil {
		return a.Payload.AttachmentType() == a.Type
	}
	switch a.Type {
	case tx.TypeAsset, tx.TypeAssetCert, tx.TypeMIT, tx.TypeDID:
		return false
	}
	return true
}

// Output kinds, as output.cpp's is_* predicates.

func isETP(a *tx.Attachment) bool     { return a.Type == tx.TypeETP }
func isMessage(a *tx.Attachment) bool { return a.Type == tx.TypeMessage }
func isAsset(a *tx.Attachment) bool   { return a.Type == tx.TypeAsset }

func detailOf(a *tx.Attachment) *tx.AssetDetail {
	d, _ := a.Payload.(*tx.AssetDetail)
	return d
}

func transferOf(a *tx.Attachment) *tx.AssetTransfer {
	t, _ := a.Payload.(*tx.AssetTransfer)
	return t
}

func certOf(a *tx.Attachment) *tx.AssetCert {
	c, _ := a.Payload.(*tx.AssetCert)
	return c
}

func mitOf(a *tx.Attachment) *tx.MIT {
	m, _ := a.Payload.(*tx.MIT)
	return m
}

func isIssue(a *tx.Attachment) bool {
	d := detailOf(a)
	return d != nil && !d.IsSecondaryIssue()
}

func isSecondaryIssue(a *tx.Attachment) bool {
	d := detailOf(a)
	return d != nil && d.IsSecondaryIssue()
}

// assetSymbol is output::get_asset_symbol for an asset output.
func assetSymbol(a *tx.Attachment) string {
	if d := detailOf(a); d != nil {
		return d.Symbol
	}
	if t := transferOf(a); t != nil {
		return t.Symbol
	}
	return ""
}

// same is the node's check_same: the first non-empty value seen is kept and every later
// one must equal it. An empty value is accepted and, while nothing is kept, replaces it.
func same(kept *string, v string) bool {
	if *kept == "" {
		*kept = v
		return true
	}
	return *kept == v
}

func hasCert(certs []uint32, t uint32) bool {
	for _, c := range certs {
		if c == t {
			return true
		}
	}
	return false
}

// hasAllCerts is asset_cert::test_certs(total, parts): total at least as long as parts and
// holding each of them.
func hasAllCerts(total, parts []uint32) bool {
	if len(total) < len(parts) {
		return false
	}
	for _, p := range parts {
		if !hasCert(total, p) {
			return false
		}
	}
	return true
}

// boostSpace is what boost::trim removes (std::isspace in the C locale).
const boostSpace = " \t\n\v\f\r"

// splitCompressed is bc::split with trim: the text trimmed of spaces, cut at every run of
// sep (boost::token_compress_on); empty tokens remain at either end, and "" gives [""].
func splitCompressed(s string, sep byte) []string {
	s = strings.Trim(s, boostSpace)
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] != sep {
			continue
		}
		out = append(out, s[start:i])
		for i+1 < len(s) && s[i+1] == sep {
			i++
		}
		start = i + 1
	}
	return append(out, s[start:])
}

// Domain is asset_cert::get_domain: the part of a symbol before its first '.' (the domain
// certificate that may issue it), "" when the symbol starts with one.
func Domain(symbol string) string { return splitCompressed(symbol, '.')[0] }

// WitnessCertPrefix starts every witness certificate symbol: MVS.WITNESS.<n> is primary n
// (1–23), MVS.WITNESS.<n>.<x> one of its secondaries.
const WitnessCertPrefix = "MVS.WITNESS."

// Witness certificate limits (constants.cpp).
const (
	WitnessCertCount        = 23
	SecondaryWitnessCertMax = 46
)

// PrimaryWitness is asset_cert::get_primary_witness_symbol: MVS.WITNESS.<n> for a witness
// certificate symbol MVS.WITNESS.<n>[.<x>], "" for any other symbol.
func PrimaryWitness(symbol string) string {
	if !strings.HasPrefix(symbol, WitnessCertPrefix) {
		return ""
	}
	return WitnessCertPrefix + splitCompressed(symbol[len(WitnessCertPrefix):], '.')[0]
}

// checkAttachments is the asset part of check_did_transaction's loop: an asset issue,
// secondary issue, MIT or certificate names the address its output pays
// (output::check_attachment_address), and with a version-207 attachment an issue names its
// to_did as issuer and a certificate as owner.
func (c *checker) checkAttachments() error {
	for i := range c.t.Outputs {
		o := &c.t.Outputs[i]
		a := &o.Attachment
		var named string
		var carries bool
		switch {
		case detailOf(a) != nil:
			named, carries = detailOf(a).Address, true
		case mitOf(a) != nil:
			named, carries = mitOf(a).Address, true
		case certOf(a) != nil:
			named, carries = certOf(a).Address, true
		}
		if carries {
			if got := c.outAddr(i); got != named {
				return fmt.Errorf("output[%d]: %w: names %q, pays %q", i, ErrAttachmentAddress, named, got)
			}
		}
		if a.Version != tx.AttachVersionDID {
			continue
		}
		if d := detailOf(a); d != nil && d.Issuer != a.ToDID {
			return fmt.Errorf("output[%d]: %w: issuer %q, to_did %q", i, ErrToDID, d.Issuer, a.ToDID)
		}
		if ct := certOf(a); ct != nil && ct.Owner != a.ToDID {
			return fmt.Errorf("output[%d]: %w: owner %q, to_did %q", i, ErrToDID, ct.Owner, a.ToDID)
		}
	}
	return nil
}

// checkLocks is attenuation_model::check_model_param(validate_transaction): CheckSpend
// against the chain height the node reads, with the heights of the locked outputs spent.
// A lock's height decides how much it has released, so an unknown one (0) is refused
// rather than read as the genesis block.
func (c *checker) checkLocks() error {
	var locked []LockedInput
	for i := range c.prev {
		in := &c.prev[i]
		if script.Classify(in.Script) != script.PayKeyHashWithAttenuationModel {
			continue
		}
		if in.Height == 0 {
			return fmt.Errorf("input[%d]: %w: the height of an attenuation-locked output is needed", i, ErrPrevOuts)
		}
		locked = append(locked, LockedInput{OutPoint: in.OutPoint,
			Output: tx.Output{Value: in.Value, Script: in.Script, Attachment: in.Attachment}, Height: uint64(in.Height)})
	}
	return CheckSpend(c.t, locked, uint64(c.tip))
}

// connectInputs is connect_input's asset part for every input: the assets, MITs and DIDs
// spent all carry one symbol, the certificates spent one certificate symbol, and no input
// spends an asset called ETP. It gathers the asset quantity (issue outputs count their
// maximum supply, as the node's get_asset_amount does) and the certificate types spent.
func (c *checker) connectInputs() error {
	for i := range c.prev {
		a := &c.prev[i].Attachment
		switch {
		case isAsset(a):
			sym := assetSymbol(a)
			if !same(&c.symbolIn, sym) {
				return fmt.Errorf("input[%d]: %w: %q after %q", i, ErrInputSymbols, sym, c.symbolIn)
			}
			if sym == "ETP" { // dictionary_symbol.cpp forbidden_list
				return fmt.Errorf("input[%d]: %w", i, ErrForbiddenSymbol)
			}
			c.assetIn += AssetAmount(&tx.Output{Attachment: *a}) // wraps as the node's sum does
		case certOf(a) != nil:
			ct := certOf(a)
			if !same(&c.certSymbolIn, ct.Symbol) {
				return fmt.Errorf("input[%d]: %w: certificate %q after %q", i, ErrInputSymbols, ct.Symbol, c.certSymbolIn)
			}
			if ct.CertType != 0 {
				c.certsIn = append(c.certsIn, ct.CertType)
			}
		case mitOf(a) != nil:
			if sym := mitOf(a).Symbol; !same(&c.symbolIn, sym) {
				return fmt.Errorf("input[%d]: %w: MIT %q after %q", i, ErrInputSymbols, sym, c.symbolIn)
			}
		case a.Type == tx.TypeDID:
			if sym := a.Payload.(*tx.DID).Symbol; !same(&c.symbolIn, sym) {
				return fmt.Errorf("input[%d]: %w: DID %q after %q", i, ErrInputSymbols, sym, c.symbolIn)
			}
		}
	}
	return nil
}

// checkAssetAmount is check_asset_amount and check_asset_symbol, which the node applies
// only when an output transfers a non-zero quantity of an asset (transaction::
// has_asset_transfer): the asset outputs, secondary issues aside, add up exactly to the
// asset inputs, all of the inputs' symbol, beside only certificates, ETP and messages.
// Burning is a transfer to the blackhole address and counts as an output. A transaction
// with no such transfer is not held to this: the node lets its asset inputs go unspent
// into nothing.
func (c *checker) checkAssetAmount() error {
	has := false
	for i := range c.t.Outputs {
		if tr := transferOf(&c.t.Outputs[i].Attachment); tr != nil && tr.Quantity != 0 {
			has = true
			break
		}
	}
	if !has {
		return nil
	}
	var out uint64
	for i := range c.t.Outputs {
		o := &c.t.Outputs[i]
		if !isSecondaryIssue(&o.Attachment) { // new supply comes from nothing
			out += AssetAmount(o) // wraps as the node's std::accumulate does
		}
	}
	if out != c.assetIn {
		return fmt.Errorf("%w: outputs %d, inputs %d", ErrAssetAmount, out, c.assetIn)
	}
	for i := range c.t.Outputs {
		a := &c.t.Outputs[i].Attachment
		switch {
		case isAsset(a):
			if sym := assetSymbol(a); sym != c.symbolIn {
				return fmt.Errorf("output[%d]: %w: %q, inputs carry %q", i, ErrAssetSymbol, sym, c.symbolIn)
			}
		case certOf(a) != nil, isETP(a), isMessage(a):
		default:
			return fmt.Errorf("output[%d]: %w: %v beside an asset transfer", i, ErrAssetSymbol, a.Type)
		}
	}
	return nil
}

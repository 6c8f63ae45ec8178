package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/asset"
	"github.com/mvsgo/mvs/proof"
	"github.com/mvsgo/mvs/rpcclient"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// The view models below turn the node's JSON into what a page shows: amounts with their
// decimals, symbols and DIDs linked, locks with what they release and when.

// A page's node calls beyond its own are bounded: the previous transactions it reads to
// show input values and fees, and the DIDs it looks up for addresses. Past the bound,
// values show as unknown and addresses without their DID: a block of thousands of
// inputs is one page, not thousands of calls.
const (
	maxPrevTxs    = 64
	maxDIDLookups = 64
)

// lookups is one page's cache of those calls.
type lookups struct {
	prevs map[mvs.Hash]*rpcclient.Tx
	dids  map[string]string
}

func newLookups() *lookups {
	return &lookups{prevs: map[mvs.Hash]*rpcclient.Tx{}, dids: map[string]string{}}
}

// maxScheduleRows bounds an attenuation lock's release table.
const maxScheduleRows = 60

type txView struct {
	Hash          mvs.Hash
	Height        uint64
	InPool        bool
	Confirmations uint64
	Time          string
	Coinbase      bool
	Version       uint64
	LockTime      uint64
	Inputs        []inView
	Outputs       []outView
	InputETP      string // "" when the input values are not all known
	OutputETP     string
	Fee           string
	Proofs        []proofView
}

type inView struct {
	Coinbase bool
	Prev     mvs.Hash
	Index    uint64
	Address  string
	DID      string
	ETP      string   // "" when unknown
	Assets   []string // what else the spent output held: "12.5 FOO", "DID bob", ... when known
	Sequence string   // a relative lock, when the sequence carries one
}

type outView struct {
	Index      uint64
	Address    string
	DID        string
	Blackhole  bool
	ETP        string
	Attachment attView
	Lock       *lockView
}

type attView struct {
	Type    string
	Summary string // one line, already formatted
	Symbol  string // linked to the asset, DID or MIT page by Link
	Link    string
	Message string
	FromDID string
	ToDID   string
	Proof   *proofView
}

type proofView struct {
	Digest string
	Output uint64
}

type lockView struct {
	Kind     string // "deposit", "attenuation", "sequence"
	Text     string
	Released bool
	Schedule []releaseRow
	More     string
}

type releaseRow struct {
	Height   uint64
	Quantity string
	Released bool
}

// decimalsOf returns an asset's decimals, read once from the node (they never change
// after the issue).
func (s *Server) decimalsOf(ctx context.Context, symbol string) (uint8, bool) {
	s.decMu.Lock()
	d, ok := s.decimals[symbol]
	s.decMu.Unlock()
	if ok {
		return d, true
	}
	recs, err := s.node.GetAsset(ctx, symbol)
	if err != nil || len(recs) == 0 || recs[0].DecimalNumber > 19 {
		return 0, false
	}
	d = uint8(recs[0].DecimalNumber)
	s.decMu.Lock()
	if len(s.decimals) < 100000 {
		s.decimals[symbol] = d
	}
	s.decMu.Unlock()
	return d, true
}

// formatAsset formats q units of symbol with its decimals, or says the decimals are
// unknown rather than print a number off by a power of ten.
func (s *Server) formatAsset(ctx context.Context, symbol string, q uint64) string {
	if d, ok := s.decimalsOf(ctx, symbol); ok {
		return mvs.FormatUnits(q, d) + " " + symbol
	}
	return strconv.FormatUint(q, 10) + " units of " + symbol + " (decimals unknown)"
}

// didOf returns the DID currently bound to address, "" when none or on any error (a
// label, not something a decision rests on).
func (s *Server) didOf(ctx context.Context, address string, cache map[string]string) string {
	if address == "" {
		return ""
	}
	if d, ok := cache[address]; ok {
		return d
	}
	if len(cache) >= maxDIDLookups {
		return ""
	}
	d := ""
	if recs, err := s.node.GetDID(ctx, address); err == nil {
		for _, r := range recs {
			if r.Status == "current" && r.Address == address {
				d = r.Symbol
			}
		}
	}
	cache[address] = d
	return d
}

func formatTime(ts uint64) string {
	if ts == 0 || ts > 1<<40 {
		return ""
	}
	return time.Unix(int64(ts), 0).UTC().Format("2006-01-02 15:04:05 UTC")
}

// buildTx renders t (from gettx or a block) at tip height tip. raw is the transaction's
// serialization when the page has it (for the lock scripts), nil otherwise.
func (s *Server) buildTx(ctx context.Context, t *rpcclient.Tx, blockTime uint64, tip uint64, raw *tx.Tx, lk *lookups) txView {
	v := txView{Hash: t.Hash, Version: uint64(t.Version), LockTime: uint64(t.LockTime), Time: formatTime(blockTime)}
	if t.Height != nil {
		v.Height = uint64(*t.Height)
	}
	v.InPool = t.Height != nil && *t.Height == 0 && !(len(t.Inputs) == 1 && t.Inputs[0].PreviousOutput.Hash.IsZero())
	if !v.InPool && tip >= v.Height {
		v.Confirmations = tip - v.Height + 1
	}
	dids, prevs := lk.dids, lk.prevs
	var inSum, outSum mvs.Amount
	inKnown := true
	for _, in := range t.Inputs {
		iv := inView{Prev: in.PreviousOutput.Hash, Index: uint64(in.PreviousOutput.Index), Address: in.Address}
		if in.PreviousOutput.Hash.IsZero() {
			iv.Coinbase, v.Coinbase, inKnown = true, true, false
			v.Inputs = append(v.Inputs, iv)
			continue
		}
		iv.DID = s.didOf(ctx, in.Address, dids)
		if blocks, secs, isTime, disabled := script.RelativeLock(uint32(in.Sequence)); !disabled && uint32(in.Sequence) != 0xffffffff {
			if isTime {
				iv.Sequence = fmt.Sprintf("relative lock: %d s", secs)
			} else if blocks > 0 {
				iv.Sequence = fmt.Sprintf("relative lock: %d blocks", blocks)
			}
		}
		prev, ok := prevs[iv.Prev]
		if !ok && len(prevs) < maxPrevTxs {
			p, err := s.node.GetTx(ctx, iv.Prev)
			if err == nil {
				prev = p
			}
			prevs[iv.Prev] = prev
		}
		if prev != nil && iv.Index < uint64(len(prev.Outputs)) {
			o := &prev.Outputs[iv.Index]
			iv.ETP = mvs.Amount(o.Value).String()
			inSum, ok = inSum.Add(mvs.Amount(o.Value))
			inKnown = inKnown && ok
			if h := s.holds(ctx, &o.Attachment); h != "" {
				iv.Assets = append(iv.Assets, h)
			}
		} else {
			inKnown = false
		}
		v.Inputs = append(v.Inputs, iv)
	}
	for i := range t.Outputs {
		o := &t.Outputs[i]
		ov := outView{Index: uint64(o.Index), Address: o.Address, Blackhole: o.Address == mvs.BlackholeAddress, ETP: mvs.Amount(o.Value).String()}
		ov.DID = s.didOf(ctx, o.Address, dids)
		var ok bool
		outSum, ok = outSum.Add(mvs.Amount(o.Value))
		if !ok {
			inKnown = false
		}
		ov.Attachment = s.buildAttachment(ctx, &o.Attachment, o.Index)
		if ov.Attachment.Proof != nil {
			v.Proofs = append(v.Proofs, *ov.Attachment.Proof)
		}
		var sc script.Script
		if raw != nil && i < len(raw.Outputs) {
			sc = raw.Outputs[i].Script
		}
		ov.Lock = s.buildLock(ctx, o, sc, v.Height, v.InPool, tip)
		if ov.Lock == nil && v.Coinbase && o.Value > 0 {
			// A block reward waits CoinbaseMaturity blocks (validate_transaction.cpp).
			until := addHeight(v.Height, uint64(s.params.CoinbaseMaturity))
			ov.Lock = &lockView{Kind: "maturity", Released: tip >= until,
				Text: fmt.Sprintf("block reward: spendable once the tip reaches height %d (%d blocks of maturity)", until, s.params.CoinbaseMaturity)}
		}
		v.Outputs = append(v.Outputs, ov)
	}
	v.OutputETP = outSum.String()
	if inKnown && !v.Coinbase {
		v.InputETP = inSum.String()
		if fee, ok := inSum.Sub(outSum); ok {
			v.Fee = fee.String()
		}
	}
	return v
}

// holds says what an output spent by an input carried besides ETP: an asset amount, a
// DID, an MIT or a certificate ("" for plain ETP and messages).
func (s *Server) holds(ctx context.Context, a *rpcclient.Attachment) string {
	switch a.Type {
	case rpcclient.AttachmentAssetIssue, rpcclient.AttachmentAssetTransfer:
		if q, ok := assetQuantity(a); ok {
			return s.formatAsset(ctx, a.Symbol, q)
		}
	case rpcclient.AttachmentDIDRegister, rpcclient.AttachmentDIDTransfer:
		return "DID " + a.Symbol
	case rpcclient.AttachmentMIT:
		return "MIT " + a.Symbol
	case rpcclient.AttachmentAssetCert:
		return a.Cert + " certificate of " + a.Symbol
	}
	return ""
}

func (s *Server) buildAttachment(ctx context.Context, a *rpcclient.Attachment, index rpcclient.Uint64) attView {
	v := attView{Type: a.Type, Symbol: a.Symbol}
	if a.FromDID != nil {
		v.FromDID = *a.FromDID
	}
	if a.ToDID != nil {
		v.ToDID = *a.ToDID
	}
	switch a.Type {
	case rpcclient.AttachmentETP, "":
		v.Type = "etp"
	case rpcclient.AttachmentAssetIssue:
		v.Link = "/asset/" + a.Symbol
		var supply, dec, thr uint64
		if a.Quantity != nil {
			supply = uint64(*a.Quantity)
		}
		if a.DecimalNumber != nil {
			dec = uint64(*a.DecimalNumber)
		}
		if a.SecondaryIssueThreshold != nil {
			thr = uint64(*a.SecondaryIssueThreshold)
		}
		amount := strconv.FormatUint(supply, 10) + " units"
		if dec <= 19 {
			amount = mvs.FormatUnits(supply, uint8(dec))
		}
		kind := "Issue of"
		if a.IsSecondaryIssue != nil && *a.IsSecondaryIssue {
			kind = "Secondary issue of"
		}
		v.Summary = fmt.Sprintf("%s %s %s (%d decimals), issuer %s, secondary-issue threshold %d", kind, amount, a.Symbol, dec, a.Issuer, thr)
		if a.Description != nil && *a.Description != "" {
			v.Message = *a.Description
		}
	case rpcclient.AttachmentAssetTransfer:
		v.Link = "/asset/" + a.Symbol
		var q uint64
		if a.Quantity != nil {
			q = uint64(*a.Quantity)
		}
		v.Summary = s.formatAsset(ctx, a.Symbol, q)
	case rpcclient.AttachmentMIT:
		v.Link = "/mit/" + a.Symbol
		v.Summary = "MIT " + a.Symbol + " " + a.Status
		if a.Content != nil {
			v.Message = *a.Content
		}
	case rpcclient.AttachmentAssetCert:
		if a.Cert == "issue" { // the other certificates (domain, naming, ...) name no asset
			v.Link = "/asset/" + a.Symbol
		}
		v.Summary = fmt.Sprintf("%s certificate of %s, owner %s", a.Cert, a.Symbol, a.Owner)
	case rpcclient.AttachmentDIDRegister, rpcclient.AttachmentDIDTransfer:
		v.Link = "/did/" + a.Symbol
		verb := "registered to"
		if a.Type == rpcclient.AttachmentDIDTransfer {
			verb = "transferred to"
		}
		v.Summary = "DID " + a.Symbol + " " + verb + " " + a.Address
	case rpcclient.AttachmentMessage:
		if a.Content != nil {
			v.Message = *a.Content
			if d, ok := parseProofMessage(*a.Content); ok {
				v.Proof = &proofView{Digest: d, Output: uint64(index)}
			}
		}
	case rpcclient.AttachmentCoinstake:
		v.Summary = "coinstake"
	default:
		v.Summary = "attachment type " + a.Type + " (not known to this explorer)"
	}
	return v
}

// buildLock says what an output's lock releases and when. sc is the output's script when
// the page has the serialized transaction (nil on a block page: the JSON's
// locked_height_range and attenuation_model_param are used). tip is the node's height.
// The lock operands are read as consensus reads them (wallet's readLock): the deposit's
// with NUMEQUALVERIFY's 4-byte limit, the sequence lock's with CHECKSEQUENCEVERIFY's 5,
// neither needing minimal encoding; a negative operand or an unreadable model can never be
// spent, and says so.
func (s *Server) buildLock(ctx context.Context, o *rpcclient.TxOutput, sc script.Script, height uint64, inPool bool, tip uint64) *lockView {
	etp := mvs.Amount(o.Value).String() + " ETP"
	switch class := script.Classify(sc); {
	case sc == nil:
		if o.LockedHeightRange > 0 {
			return depositLock(etp, uint64(o.LockedHeightRange), height, inPool, tip)
		}
		if o.AttenuationModelParam != nil {
			return &lockView{Kind: "attenuation", Text: "attenuation-locked: the transaction's page shows its release schedule"}
		}
		return nil
	case class == script.PayKeyHashWithLockHeight || class == script.PayKeyHashWithSequenceLock:
		tok := sc.Tokenize()
		tok.Next() // the pattern matched, so the first operation parses
		limit := script.DefaultNumLen
		if class == script.PayKeyHashWithSequenceLock {
			limit = script.LockTimeNumLen
		}
		n, err := script.ParseNum(tok.Op().Data, limit, false)
		if err != nil || n < 0 {
			return &lockView{Kind: "unspendable", Text: etp + " under a lock whose operand consensus cannot accept: it can never be spent"}
		}
		if class == script.PayKeyHashWithLockHeight {
			return depositLock(etp, uint64(n), height, inPool, tip)
		}
		blocks, secs, isTime, disabled := script.RelativeLock(uint32(n))
		lv := &lockView{Kind: "sequence"}
		switch {
		case disabled:
			lv.Text, lv.Released = "sequence lock disabled: spendable once confirmed", !inPool
		case isTime:
			lv.Text = fmt.Sprintf("%s locked for %d s after the confirming block's time", etp, secs)
		case inPool:
			lv.Text = fmt.Sprintf("%s locked for %d blocks after it is confirmed", etp, blocks)
		default:
			until := addHeight(height, uint64(blocks))
			lv.Released = tip >= until
			lv.Text = fmt.Sprintf("%s locked for %d blocks: spendable once the tip reaches height %d", etp, blocks, until)
		}
		return lv
	case class == script.PayKeyHashWithAttenuationModel:
		return s.attenuationLock(ctx, o, sc, height, inPool, tip)
	}
	return nil
}

func depositLock(etp string, n, height uint64, inPool bool, tip uint64) *lockView {
	lv := &lockView{Kind: "deposit"}
	if inPool {
		lv.Text = fmt.Sprintf("%s locked for %d blocks after it is confirmed", etp, n)
		return lv
	}
	until := addHeight(height, n)
	lv.Released = tip >= until
	state := "locked"
	if lv.Released {
		state = "released"
	}
	lv.Text = fmt.Sprintf("%s locked for %d blocks: spendable once the tip reaches height %d (%s)", etp, n, until, state)
	return lv
}

func (s *Server) attenuationLock(ctx context.Context, o *rpcclient.TxOutput, sc script.Script, height uint64, inPool bool, tip uint64) *lockView {
	param, _, _ := script.AttenuationParams(sc)
	q, _ := assetQuantity(&o.Attachment)
	sym := o.Attachment.Symbol
	m, ok := script.ParseModelParam(param)
	if !ok || m.Type == script.ModelNone {
		// CHECKATTENUATIONVERIFY fails on it.
		return &lockView{Kind: "unspendable", Text: fmt.Sprintf("%s under an attenuation lock whose model the node cannot read (%q): it can never be spent", s.formatAsset(ctx, sym, q), param)}
	}
	lv := &lockView{Kind: "attenuation"}
	what := fmt.Sprintf("%s of %s locked by an attenuation model (model %d, %d periods)", s.formatAsset(ctx, sym, min(m.LQ, q)), s.formatAsset(ctx, sym, q), m.Type, m.UN)
	if inPool {
		lv.Text = what + ", released in steps after it is confirmed"
		return lv
	}
	lv.Text = fmt.Sprintf("%s, released in steps after its confirmation at height %d", what, height)
	rows, end, more := releaseSchedule(q, param)
	released := true
	for _, r := range rows {
		at := addHeight(height, r.diff)
		done := tip >= at
		released = released && done
		lv.Schedule = append(lv.Schedule, releaseRow{Height: at, Quantity: s.formatAsset(ctx, sym, r.qty), Released: done})
	}
	if more {
		last := addHeight(height, end)
		if end == ^uint64(0) || last == ^uint64(0) {
			lv.More = "… more steps; the node cannot compute the end of this model: part of it may never be released"
			released = false
		} else {
			lv.More = fmt.Sprintf("… more steps; everything is released by height %d", last)
			released = tip >= last
		}
	}
	lv.Released = released
	return lv
}

// addHeight is h + blocks, saturating at 2^64-1 (a lock no chain reaches) rather than
// wrapping to a small height that would show it released.
func addHeight(h, blocks uint64) uint64 {
	if blocks > ^uint64(0)-h {
		return ^uint64(0)
	}
	return h + blocks
}

type release struct{ diff, qty uint64 }

// releaseSchedule walks an attenuation model with asset.Unlock (the node's own arithmetic)
// from its confirmation: each row is how many blocks after confirmation a step releases
// and how much. more is set when the table stops at maxScheduleRows; end is then the
// blocks to the end of the lock.
func releaseSchedule(amount uint64, param []byte) (rows []release, end uint64, more bool) {
	prev, next := asset.Unlock(amount, 0, param)
	if prev > 0 {
		rows = append(rows, release{0, prev})
	}
	var d uint64
	for steps := 0; next != nil; steps++ {
		if steps == 100*maxScheduleRows { // a model of many empty periods: stop walking
			return rows, asset.DiffHeight(param, nil), true
		}
		m, ok := script.ParseModelParam(next)
		if !ok || m.LH == 0 {
			break
		}
		d += m.LH
		var avail uint64
		avail, next = asset.Unlock(amount, d, param)
		if avail > prev {
			if len(rows) == maxScheduleRows {
				return rows, asset.DiffHeight(param, nil), true
			}
			rows = append(rows, release{d, avail - prev})
		}
		prev = avail
	}
	return rows, d, false
}

// parseProofMessage recognizes a proof-of-existence message (package proof's
// "sha256:<hex>") and returns its digest in hex.
func parseProofMessage(text string) (string, bool) {
	d, ok := proof.ParseMessage(text)
	if !ok {
		return "", false
	}
	return hex.EncodeToString(d[:]), true
}

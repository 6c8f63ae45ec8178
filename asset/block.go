package asset

import (
	"fmt"

	"github.com/mvsgo/mvs/tx"
)

// BlockRegistrations is validate_block's per-block bookkeeping of symbols: within one block
// no asset is issued twice, no certificate (symbol and type) and no MIT appears in two
// outputs, and no DID symbol or DID address appears in two outputs. The node counts every
// certificate, MIT and DID output, transfers included, not only registrations, and so does
// Add. The registry cannot see these: it holds the chain before the block.
//
// The zero value is ready; use one per block, adding its transactions in order after each
// passes CheckTx.
type BlockRegistrations struct {
	seen map[registration]int // to the output's transaction number in the block
	n    int
}

type registration struct {
	kind     string
	symbol   string
	certType uint32
}

// DuplicateError names what a block registers twice. It matches ErrBlockDuplicate.
type DuplicateError struct {
	Kind     string // "asset", "certificate", "MIT", "DID" or "DID address"
	Symbol   string // the symbol, or the address for "DID address"
	CertType uint32 // for a certificate
	Output   int    // the output of the transaction being added
	FirstTx  int    // the block position (from 0, in Add order) of the transaction that had it first
}

func (e *DuplicateError) Error() string {
	what := e.Kind + " " + fmt.Sprintf("%q", e.Symbol)
	if e.Kind == "certificate" {
		what += fmt.Sprintf(" type %#x", e.CertType)
	}
	return fmt.Sprintf("output[%d]: %v: %s, first in transaction %d", e.Output, ErrBlockDuplicate, what, e.FirstTx)
}

// Unwrap makes errors.Is(err, ErrBlockDuplicate) hold.
func (e *DuplicateError) Unwrap() error { return ErrBlockDuplicate }

// Add records t's registrations, or returns a *DuplicateError and records none of them.
func (b *BlockRegistrations) Add(t *tx.Tx) error {
	if b.seen == nil {
		b.seen = make(map[registration]int)
	}
	var regs []registration
	var outs []int
	for i := range t.Outputs {
		a := &t.Outputs[i].Attachment
		switch p := a.Payload.(type) {
		case *tx.AssetDetail:
			if !p.IsSecondaryIssue() {
				regs, outs = append(regs, registration{kind: "asset", symbol: p.Symbol}), append(outs, i)
			}
		case *tx.AssetCert:
			regs, outs = append(regs, registration{kind: "certificate", symbol: p.Symbol, certType: p.CertType}), append(outs, i)
		case *tx.MIT:
			regs, outs = append(regs, registration{kind: "MIT", symbol: p.Symbol}), append(outs, i)
		case *tx.DID:
			regs = append(regs, registration{kind: "DID", symbol: p.Symbol}, registration{kind: "DID address", symbol: p.Address})
			outs = append(outs, i, i)
		}
	}
	mine := make(map[registration]bool, len(regs))
	for k, r := range regs {
		first, dup := b.seen[r]
		if !dup && mine[r] {
			first, dup = b.n, true
		}
		if dup {
			return &DuplicateError{Kind: r.kind, Symbol: r.symbol, CertType: r.certType, Output: outs[k], FirstTx: first}
		}
		mine[r] = true
	}
	for _, r := range regs {
		b.seen[r] = b.n
	}
	b.n++
	return nil
}

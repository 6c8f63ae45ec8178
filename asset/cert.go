package asset

import (
	"fmt"

	"github.com/mvsgo/mvs/tx"
)

// checkCertTx is check_asset_cert_transaction, for a transaction with a certificate output
// in status issue or transfer: one issued certificate (not yet on the chain) or one
// transferred certificate, never both; beside them only ETP, messages and the certificate
// the issued type calls for. Issuing a naming certificate needs, after it, the domain
// certificate of its domain, owned by a registered DID bound to the certificate's address;
// a witness certificate needs its primary witness certificate the same way, with fewer
// than 46 secondaries active. Any other certificate type may be issued by anyone while its
// symbol and type are free, as on the node.
func (c *checker) checkCertTx() error {
	has := false
	for i := range c.t.Outputs {
		if ct := certOf(&c.t.Outputs[i].Attachment); ct != nil &&
			(ct.Status == tx.CertStatusIssue || ct.Status == tx.CertStatusTransfer) {
			has = true
			break
		}
	}
	if !has {
		return nil
	}
	var (
		nIssue, nDomain, nPrimary, nTransfer int
		issueType                            uint32
		certTypes                            []uint32
		symbol, domain, primary, owner       string
	)
	for i := range c.t.Outputs {
		o := &c.t.Outputs[i]
		a := &o.Attachment
		ct := certOf(a)
		switch {
		case ct != nil && ct.Status == tx.CertStatusIssue:
			if nIssue++; nIssue > 1 {
				return fmt.Errorf("output[%d]: %w: a second issued certificate", i, ErrCertIssue)
			}
			if !same(&symbol, ct.Symbol) {
				return fmt.Errorf("output[%d]: %w: issues %q beside %q", i, ErrCertIssue, ct.Symbol, symbol)
			}
			_, exists, err := c.reg.Cert(symbol, ct.CertType)
			if err != nil {
				return fmt.Errorf("%w: certificate %q: %w", ErrRegistry, symbol, err)
			}
			if exists {
				return fmt.Errorf("output[%d]: %w: %q type %#x", i, ErrCertExists, symbol, ct.CertType)
			}
			issueType = ct.CertType
		case ct != nil && ct.Status == tx.CertStatusTransfer:
			if nTransfer++; nTransfer > 1 {
				return fmt.Errorf("output[%d]: %w: a second transferred certificate", i, ErrCertTransfer)
			}
			if !same(&symbol, ct.Symbol) {
				return fmt.Errorf("output[%d]: %w: transfers %q beside %q", i, ErrCertTransfer, ct.Symbol, symbol)
			}
		case ct != nil:
			switch {
			case ct.CertType == tx.CertDomain && issueType == tx.CertNaming:
				if nDomain++; nDomain > 1 {
					return fmt.Errorf("output[%d]: %w: a second domain certificate", i, ErrCertIssue)
				}
				domain = ct.Symbol
			case ct.CertType == tx.CertWitness && issueType == tx.CertWitness:
				if nPrimary++; nPrimary > 1 {
					return fmt.Errorf("output[%d]: %w: a second primary witness certificate", i, ErrCertIssue)
				}
				primary = ct.Symbol
			default:
				// Only the authority of the certificate issued before it in the outputs.
				return fmt.Errorf("output[%d]: %w: certificate %q type %#x not called for", i, ErrCertIssue, ct.Symbol, ct.CertType)
			}
			owner = ct.Owner
			bound, ok, err := c.reg.DIDAddress(owner)
			if err != nil {
				return fmt.Errorf("%w: DID %q: %w", ErrRegistry, owner, err)
			}
			if !ok {
				return fmt.Errorf("output[%d]: %w: %q is not registered", i, ErrCertOwner, owner)
			}
			if ct.Address != bound {
				return fmt.Errorf("output[%d]: %w: %q is bound to %q, the certificate is at %q", i, ErrCertOwner, owner, bound, ct.Address)
			}
			certTypes = append(certTypes, ct.CertType)
		case !isETP(a) && !isMessage(a):
			return fmt.Errorf("output[%d]: %w: %v", i, ErrCertIssue, a.Type)
		}
	}
	if nIssue > 0 && nTransfer > 0 || nTransfer > 0 && nDomain > 0 {
		return fmt.Errorf("%w: issue and transfer in one transaction", ErrCertTransfer)
	}
	if nIssue != 1 {
		return nil
	}
	switch issueType {
	case 0:
		return fmt.Errorf("%w: certificate type none", ErrCertIssue)
	case tx.CertNaming:
		if !hasCert(certTypes, tx.CertDomain) || owner == "" {
			return fmt.Errorf("%w: issuing %q", ErrNamingNeedsDomain, symbol)
		}
		if Domain(symbol) != domain {
			return fmt.Errorf("%w: issuing %q with the certificate of %q", ErrNamingNeedsDomain, symbol, domain)
		}
	case tx.CertWitness:
		if !hasCert(certTypes, tx.CertWitness) || owner == "" {
			return fmt.Errorf("%w: issuing %q", ErrWitnessNeedsPrimary, symbol)
		}
		if PrimaryWitness(symbol) != primary {
			return fmt.Errorf("%w: issuing %q with %q", ErrWitnessNeedsPrimary, symbol, primary)
		}
		n, err := c.reg.SecondaryWitnessCerts(primary, c.tip)
		if err != nil {
			return fmt.Errorf("%w: witness certificates of %q: %w", ErrRegistry, primary, err)
		}
		if n >= SecondaryWitnessCertMax {
			return fmt.Errorf("%w: %q has %d", ErrWitnessFull, primary, n)
		}
	}
	return nil
}

// newlyIssued is asset_cert::is_newly_generated: status issue or auto-issue.
func newlyIssued(ct *tx.AssetCert) bool {
	return ct.Status == tx.CertStatusIssue || ct.Status == tx.CertStatusAutoIssue
}

// checkCerts is check_asset_certs, for a transaction with a certificate output: no two
// certificates of a type (witness aside); a certificate that is not newly issued carries
// over one of its type spent here, under the spent symbol (a naming certificate under the
// spent domain); only assets, ETP and messages beside; an issue or transfer never with
// assets, an auto-issue only with an asset issue; a transfer spends and creates exactly one
// certificate; and every certificate spent appears in the outputs. A transaction with no
// certificate output is not held to this: the node lets spent certificates vanish.
func (c *checker) checkCerts() error {
	has := false
	for i := range c.t.Outputs {
		if certOf(&c.t.Outputs[i].Attachment) != nil {
			has = true
			break
		}
	}
	if !has {
		return nil
	}
	var (
		issue, transfer, autoIssue, assetIssue, assetOut bool
		out                                              []uint32
	)
	spentDomain := hasCert(c.certsIn, tx.CertDomain)
	for i := range c.t.Outputs {
		a := &c.t.Outputs[i].Attachment
		ct := certOf(a)
		switch {
		case ct != nil:
			switch ct.Status {
			case tx.CertStatusTransfer:
				transfer = true
			case tx.CertStatusIssue:
				issue = true
			case tx.CertStatusAutoIssue:
				autoIssue = true
			}
			if hasCert(out, ct.CertType) && ct.CertType != tx.CertWitness {
				return fmt.Errorf("output[%d]: %w: type %#x", i, ErrCertDuplicate, ct.CertType)
			}
			if spentDomain && ct.CertType == tx.CertNaming {
				if d := Domain(ct.Symbol); d != c.certSymbolIn {
					return fmt.Errorf("output[%d]: %w: naming %q is not under the spent domain %q", i, ErrCertSymbol, ct.Symbol, c.certSymbolIn)
				}
			} else if !newlyIssued(ct) && ct.Symbol != c.certSymbolIn {
				return fmt.Errorf("output[%d]: %w: %q, spent %q", i, ErrCertSymbol, ct.Symbol, c.certSymbolIn)
			}
			if !newlyIssued(ct) && !hasCert(c.certsIn, ct.CertType) {
				return fmt.Errorf("output[%d]: %w: type %#x", i, ErrCertNotSpent, ct.CertType)
			}
			out = append(out, ct.CertType)
		case isAsset(a):
			assetOut = true
			if isIssue(a) {
				assetIssue = true
			}
		case !isETP(a) && !isMessage(a):
			return fmt.Errorf("output[%d]: %w: %v", i, ErrCertOutput, a.Type)
		}
	}
	if (issue || transfer) && assetOut {
		// checkCertTx has refused this already; kept as the node has it.
		return fmt.Errorf("%w: a certificate issue or transfer beside an asset", ErrCertOutput)
	}
	if autoIssue && !assetIssue {
		return ErrCertAutoIssue
	}
	if transfer && (len(c.certsIn) != 1 || len(out) != 1) {
		return fmt.Errorf("%w: %d spent, %d created", ErrCertTransferCount, len(c.certsIn), len(out))
	}
	if !hasAllCerts(out, c.certsIn) {
		return fmt.Errorf("%w: spent %#x, carried %#x", ErrCertLost, c.certsIn, out)
	}
	return nil
}

package asset

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/mvsgo/mvs/internal/libm"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// Secondary-issue thresholds (asset_detail.hpp): 0 never, 1–100 the percent of the supply
// the issuing address must show, 127 freely.
const (
	ThresholdNever  = 0
	ThresholdFreely = 127
)

// ThresholdOK is is_secondaryissue_threshold_value_ok: 0, 1–100 or 127 (without the
// secondary-issue marker bit).
func ThresholdOK(threshold uint8) bool { return threshold == ThresholdNever || reissuable(threshold) }

// reissuable is is_secondaryissue_legal: 1–100 or 127.
func reissuable(threshold uint8) bool {
	return threshold == ThresholdFreely || threshold >= 1 && threshold <= 100
}

// OwnsEnough is asset_detail::is_secondaryissue_owns_enough: whether an address showing own
// units of an asset whose supply is total may issue more at threshold: at least
// SecondaryIssueShare, less one unit (the node accepts one unit less).
func OwnsEnough(own, total uint64, threshold uint8) bool {
	if !reissuable(threshold) {
		return false
	}
	need := SecondaryIssueShare(total, threshold)
	return need == 0 || own >= need-1
}

// SecondaryIssueShare is the quantity the issuing address must show to issue more, as the
// node computes it: total/100·threshold in double precision, truncated as its x86-64 build
// converts a double (a 100% share of a supply within about 2^10 of 2^64 rounds to 2^64,
// which converts to 0: nothing is required then). 127 ("freely") needs nothing.
func SecondaryIssueShare(total uint64, threshold uint8) uint64 {
	if threshold == ThresholdFreely {
		return 0
	}
	return libm.Uint64(float64(total) / 100 * float64(threshold))
}

// attenuationParam is the model param of an output whose script is the attenuation
// pattern.
func attenuationParam(o *tx.Output) ([]byte, bool) {
	if script.Classify(o.Script) != script.PayKeyHashWithAttenuationModel {
		return nil, false
	}
	param, _, ok := script.AttenuationParams(o.Script)
	return param, ok
}

// checkIssue is check_asset_issue_transaction: at most one issue output, a legal threshold,
// a symbol not yet issued, a valid model on a locked issue; beside it only ETP, messages
// and at most one each of the issue certificate (same symbol and address), a domain or
// naming certificate (the symbol's domain, or the symbol itself) and, after the PoS fork,
// a mining certificate with a valid subsidy parameter. From version 4 the issue
// certificate of a re-issuable asset and a domain or naming certificate with an owner must
// be there.
func (c *checker) checkIssue() error {
	has := false
	for i := range c.t.Outputs {
		if isIssue(&c.t.Outputs[i].Attachment) {
			has = true
			break
		}
	}
	if !has {
		return nil
	}
	var (
		issued                                   bool
		nIssueCert, nDomainOrNaming, nMiningCert int
		needIssueCert                            bool
		certTypes                                []uint32
		symbol, address, owner                   string
	)
	for i := range c.t.Outputs {
		o := &c.t.Outputs[i]
		a := &o.Attachment
		switch {
		case isIssue(a):
			if issued {
				return fmt.Errorf("output[%d]: %w: a second issue", i, ErrIssueCount)
			}
			issued = true
			d := detailOf(a)
			if !ThresholdOK(d.Threshold()) {
				return fmt.Errorf("output[%d]: %w: %d", i, ErrThreshold, d.Threshold())
			}
			if !same(&symbol, d.Symbol) {
				return fmt.Errorf("output[%d]: %w: issues %q, a certificate names %q", i, ErrIssueMismatch, d.Symbol, symbol)
			}
			if !same(&address, d.Address) {
				return fmt.Errorf("output[%d]: %w: issues to %q, a certificate goes to %q", i, ErrIssueMismatch, d.Address, address)
			}
			_, exists, err := c.reg.Asset(symbol)
			if err != nil {
				return fmt.Errorf("%w: asset %q: %w", ErrRegistry, symbol, err)
			}
			if exists {
				return fmt.Errorf("output[%d]: %w: %q", i, ErrAssetExists, symbol)
			}
			if param, ok := attenuationParam(o); ok {
				if err := CheckNewModel(param, d.MaximumSupply); err != nil {
					return fmt.Errorf("output[%d]: %w", i, err)
				}
			}
			needIssueCert = reissuable(d.Threshold()) // get_asset_cert_mask
		case certOf(a) != nil:
			ct := certOf(a)
			switch ct.CertType {
			case tx.CertIssue:
				if nIssueCert++; nIssueCert > 1 {
					return fmt.Errorf("output[%d]: %w: a second issue certificate", i, ErrIssueCount)
				}
				if !same(&symbol, ct.Symbol) {
					return fmt.Errorf("output[%d]: %w: issue certificate %q for %q", i, ErrIssueMismatch, ct.Symbol, symbol)
				}
				if got := c.outAddr(i); !same(&address, got) {
					return fmt.Errorf("output[%d]: %w: issue certificate to %q, asset to %q", i, ErrIssueMismatch, got, address)
				}
			case tx.CertDomain:
				if nDomainOrNaming++; nDomainOrNaming > 1 {
					return fmt.Errorf("output[%d]: %w: a second domain or naming certificate", i, ErrIssueCount)
				}
				// Checked only once the issue output has been seen: the node's quirk.
				if symbol != "" && Domain(symbol) != ct.Symbol {
					return fmt.Errorf("output[%d]: %w: domain certificate %q for %q", i, ErrIssueMismatch, ct.Symbol, symbol)
				}
				if !same(&owner, ct.Owner) {
					return fmt.Errorf("output[%d]: %w: owner %q after %q", i, ErrIssueMismatch, ct.Owner, owner)
				}
			case tx.CertNaming:
				if nDomainOrNaming++; nDomainOrNaming > 1 {
					return fmt.Errorf("output[%d]: %w: a second domain or naming certificate", i, ErrIssueCount)
				}
				if !same(&symbol, ct.Symbol) {
					return fmt.Errorf("output[%d]: %w: naming certificate %q for %q", i, ErrIssueMismatch, ct.Symbol, symbol)
				}
				if !same(&owner, ct.Owner) {
					return fmt.Errorf("output[%d]: %w: owner %q after %q", i, ErrIssueMismatch, ct.Owner, owner)
				}
			case tx.CertMining:
				if c.tip < c.p.PoSHeight {
					return fmt.Errorf("output[%d]: %w: chain height %d, fork at %d", i, ErrMiningCertEarly, c.tip, c.p.PoSHeight)
				}
				if nMiningCert++; nMiningCert > 1 {
					return fmt.Errorf("output[%d]: %w: a second mining certificate", i, ErrIssueCount)
				}
				if !same(&symbol, ct.Symbol) {
					return fmt.Errorf("output[%d]: %w: mining certificate %q for %q", i, ErrIssueMismatch, ct.Symbol, symbol)
				}
				if got := c.outAddr(i); !same(&address, got) {
					return fmt.Errorf("output[%d]: %w: mining certificate to %q, asset to %q", i, ErrIssueMismatch, got, address)
				}
				if !ValidMiningParam(ct.Content) {
					return fmt.Errorf("output[%d]: %w: %q", i, ErrMiningParam, ct.Content)
				}
			default:
				return fmt.Errorf("output[%d]: %w: certificate type %#x", i, ErrIssueOutput, ct.CertType)
			}
			certTypes = append(certTypes, ct.CertType)
		case !isETP(a) && !isMessage(a):
			return fmt.Errorf("output[%d]: %w: %v", i, ErrIssueOutput, a.Type)
		}
	}
	if c.t.Version < tx.VersionNova {
		return nil
	}
	if needIssueCert && !hasCert(certTypes, tx.CertIssue) {
		return fmt.Errorf("%w: %q is re-issuable", ErrIssueCertMissing, symbol)
	}
	if Domain(symbol) != "" && (owner == "" || nDomainOrNaming < 1) {
		return fmt.Errorf("%w: issuing %q", ErrDomainCertMissing, symbol)
	}
	return nil
}

// checkSecondaryIssue is check_secondaryissue_transaction: one secondary-issue output with a
// legal threshold and a valid model if locked; asset transfers of the same symbol to the
// same address (the issuer's share, shown by spending and returning it); at most one
// certificate, the issue certificate (mandatory from version 4); only ETP and messages
// besides. The supply must not overflow, the transfers must hold the threshold's share of
// the supply before the issue, and asset inputs come from the issuing address, certificate
// inputs being the symbol's issue certificate.
func (c *checker) checkSecondaryIssue() error {
	has := false
	for i := range c.t.Outputs {
		if isSecondaryIssue(&c.t.Outputs[i].Attachment) {
			has = true
			break
		}
	}
	if !has {
		return nil
	}
	var (
		symbol, address, owner string
		threshold              uint8
		amount, shown          uint64
		nIssue, nCert          int
		certs                  []uint32
	)
	for i := range c.t.Outputs {
		o := &c.t.Outputs[i]
		a := &o.Attachment
		switch {
		case isSecondaryIssue(a):
			if nIssue++; nIssue > 1 {
				return fmt.Errorf("output[%d]: %w: a second secondary issue", i, ErrSecondaryIssue)
			}
			d := detailOf(a)
			if !ThresholdOK(d.Threshold()) {
				return fmt.Errorf("output[%d]: %w: %d", i, ErrThreshold, d.Threshold())
			}
			if !same(&symbol, d.Symbol) {
				return fmt.Errorf("output[%d]: %w: issues %q after %q", i, ErrSecondaryIssue, d.Symbol, symbol)
			}
			if !same(&address, d.Address) {
				return fmt.Errorf("output[%d]: %w: issues to %q after %q", i, ErrSecondaryIssue, d.Address, address)
			}
			if param, ok := attenuationParam(o); ok {
				if err := CheckNewModel(param, d.MaximumSupply); err != nil {
					return fmt.Errorf("output[%d]: %w", i, err)
				}
			}
			threshold, amount = d.Threshold(), d.MaximumSupply
		case transferOf(a) != nil:
			tr := transferOf(a)
			if !same(&symbol, tr.Symbol) {
				return fmt.Errorf("output[%d]: %w: transfers %q beside %q", i, ErrSecondaryIssue, tr.Symbol, symbol)
			}
			if got := c.outAddr(i); !same(&address, got) {
				return fmt.Errorf("output[%d]: %w: transfers to %q, issues to %q", i, ErrSecondaryIssue, got, address)
			}
			shown += tr.Quantity // wraps as the node's sum does
		case certOf(a) != nil:
			if nCert++; nCert > 1 {
				return fmt.Errorf("output[%d]: %w: a second certificate", i, ErrSecondaryIssue)
			}
			ct := certOf(a)
			if ct.CertType != tx.CertIssue {
				return fmt.Errorf("output[%d]: %w: certificate type %#x", i, ErrSecondaryIssue, ct.CertType)
			}
			if !same(&symbol, ct.Symbol) {
				return fmt.Errorf("output[%d]: %w: certificate %q beside %q", i, ErrSecondaryIssue, ct.Symbol, symbol)
			}
			if !same(&owner, ct.Owner) {
				return fmt.Errorf("output[%d]: %w: owner %q", i, ErrSecondaryIssue, ct.Owner)
			}
			certs = append(certs, ct.CertType)
		case !isETP(a) && !isMessage(a):
			return fmt.Errorf("output[%d]: %w: %v", i, ErrSecondaryIssue, a.Type)
		}
	}
	if c.t.Version >= tx.VersionNova && !hasCert(certs, tx.CertIssue) {
		return fmt.Errorf("%w: secondary issue of %q", ErrIssueCertMissing, symbol)
	}
	rec, _, err := c.reg.Asset(symbol) // an unknown symbol has volume 0, as on the node
	if err != nil {
		return fmt.Errorf("%w: asset %q: %w", ErrRegistry, symbol, err)
	}
	if rec.Volume > math.MaxUint64-amount {
		return fmt.Errorf("%w: %q has %d, adding %d", ErrSupplyOverflow, symbol, rec.Volume, amount)
	}
	if !OwnsEnough(shown, rec.Volume, threshold) {
		return fmt.Errorf("%w: %q: %d shown of a supply of %d at %d%%", ErrShareNotEnough, symbol, shown, rec.Volume, threshold)
	}
	if c.coinbase {
		return fmt.Errorf("%w: a coinbase has no inputs to show", ErrSecondaryIssueInput)
	}
	for i := range c.prev {
		in := &c.prev[i]
		a := &in.Attachment
		if ct := certOf(a); ct != nil {
			if ct.Symbol != symbol || ct.CertType != tx.CertIssue {
				return fmt.Errorf("input[%d]: %w: certificate %q type %#x", i, ErrSecondaryIssueInput, ct.Symbol, ct.CertType)
			}
		} else if isAsset(a) {
			if got := c.inAddr(i); got != address {
				return fmt.Errorf("input[%d]: %w: asset from %q, issuing at %q", i, ErrSecondaryIssueInput, got, address)
			}
		}
	}
	return nil
}

// Mining-certificate subsidy parameter keys (asset_cert.cpp).
var miningParamKeys = [...]string{"initial", "interval", "base"}

// maxMiningParam is ASSET_CERT_CONTENT_FIX_SIZE, the longest subsidy parameter.
const maxMiningParam = 64

// ValidMiningParam is asset_cert::parse_mining_subsidy_param succeeding: at most 64 bytes,
// comma-separated key:value items naming initial and interval (positive 32-bit integers)
// and base (a positive number); other keys are ignored, e.g. "initial:5000000000,
// interval:..." fails as 5000000000 does not fit, "initial:500,interval:1000,base:0.95"
// passes.
func ValidMiningParam(content string) bool {
	if content == "" || len(content) > maxMiningParam {
		return false
	}
	items := splitCompressed(content, ',')
	if len(items) < 3 {
		return false
	}
	values := make(map[string]string, len(miningParamKeys))
	for _, item := range items {
		kv := splitCompressed(item, ':')
		if len(kv) != 2 {
			return false
		}
		for _, k := range miningParamKeys {
			if kv[0] == k {
				values[k] = kv[1]
			}
		}
	}
	if len(values) < len(miningParamKeys) {
		return false
	}
	for _, k := range miningParamKeys[:2] {
		// boost::lexical_cast<int>: the whole text a decimal int32, sign allowed.
		n, err := strconv.ParseInt(values[k], 10, 32)
		if err != nil || n <= 0 {
			return false
		}
	}
	// boost::lexical_cast<double> takes decimal forms and inf/nan, not Go's hex floats or
	// digit separators; NaN passes "<= 0" on both sides.
	b := values["base"]
	if strings.ContainsAny(b, "xX_") {
		return false
	}
	base, err := strconv.ParseFloat(b, 64)
	if err != nil || base <= 0 {
		return false
	}
	return true
}

package asset

import "errors"

// Rule errors of CheckTx and BlockRegistrations. Each names one rule of the reference node
// (validate_transaction.cpp, validate_block.cpp) and is returned wrapped with the output or
// input and the values that broke it; match with errors.Is. The node's own error code is
// given in brackets.
var (
	// ErrPrevOuts: the previous outputs given do not line up with the inputs (a caller
	// error, not a chain rule).
	ErrPrevOuts = errors.New("asset: previous outputs do not match the inputs")
	// ErrRegistry: the registry failed to answer; the transaction was not judged.
	ErrRegistry = errors.New("asset: registry lookup failed")

	// ErrAttachmentAddress: an asset issue, secondary issue, MIT or certificate names an
	// address other than the one its output pays [asset_address_not_match].
	ErrAttachmentAddress = errors.New("asset: attachment address is not the output's address")
	// ErrToDID: a version-207 asset issue names an issuer, or a certificate an owner, other
	// than its to_did [asset_did_registerr_not_match].
	ErrToDID = errors.New("asset: issuer or certificate owner is not the attachment's to_did")

	// ErrThreshold: a secondary-issue threshold other than 0, 1–100 or 127
	// [asset_secondaryissue_threshold_invalid].
	ErrThreshold = errors.New("asset: secondary-issue threshold not 0, 1-100 or 127")
	// ErrIssueCount: more than one asset issue output, or more than one issue, domain-or-naming
	// or mining certificate beside it [asset_issue_error].
	ErrIssueCount = errors.New("asset: more than one issue output or certificate of a kind")
	// ErrIssueMismatch: the outputs of an issue disagree on the symbol, the address or the
	// certificate owner, or a domain certificate is not the symbol's domain
	// [asset_issue_error].
	ErrIssueMismatch = errors.New("asset: issue outputs disagree on symbol, address or owner")
	// ErrIssueOutput: an issue carries an output other than ETP, a message or an issue,
	// domain, naming or mining certificate [asset_issue_error].
	ErrIssueOutput = errors.New("asset: output not allowed in an asset issue")
	// ErrAssetExists: the symbol is already issued [asset_exist].
	ErrAssetExists = errors.New("asset: symbol already issued")
	// ErrMiningCertEarly: a mining certificate before the PoS fork
	// [pos_feature_not_activated].
	ErrMiningCertEarly = errors.New("asset: mining certificate before the PoS fork")
	// ErrMiningParam: a mining certificate whose content is not a valid subsidy parameter
	// [asset_issue_error].
	ErrMiningParam = errors.New("asset: mining certificate subsidy parameter invalid")
	// ErrIssueCertMissing: from version 4, an issue or secondary issue of a re-issuable
	// asset without its issue certificate output [asset_issue_error, asset_cert_error].
	ErrIssueCertMissing = errors.New("asset: issue certificate missing")
	// ErrDomainCertMissing: from version 4, an issue without a domain or naming certificate
	// naming an owner [asset_cert_error, asset_cert_not_provided].
	ErrDomainCertMissing = errors.New("asset: domain or naming certificate missing")

	// ErrSecondaryIssue: a secondary issue whose outputs break its shape: two detail outputs,
	// symbols or addresses that differ, more than one certificate, a certificate that is not
	// the issue certificate, or an output other than ETP or a message
	// [asset_secondaryissue_error].
	ErrSecondaryIssue = errors.New("asset: malformed secondary issue")
	// ErrSupplyOverflow: a secondary issue would take the total supply past 2^64-1
	// [asset_secondaryissue_error].
	ErrSupplyOverflow = errors.New("asset: total supply would overflow")
	// ErrShareNotEnough: the issuing address does not show the threshold's share of the
	// supply [asset_secondaryissue_share_not_enough].
	ErrShareNotEnough = errors.New("asset: issuer holds less than the threshold share")
	// ErrSecondaryIssueInput: a secondary issue spends an asset from another address or a
	// certificate other than the symbol's issue certificate [validate_inputs_failed].
	ErrSecondaryIssueInput = errors.New("asset: secondary issue spends a foreign asset or certificate")

	// ErrCertIssue: a certificate issue is malformed: two issued certificates, symbols that
	// differ, an extra certificate the issued type does not call for, or an output other
	// than ETP or a message [asset_cert_issue_error].
	ErrCertIssue = errors.New("asset: malformed certificate issue")
	// ErrCertExists: the certificate (symbol and type) is already issued [asset_cert_exist].
	ErrCertExists = errors.New("asset: certificate already issued")
	// ErrCertTransfer: two transferred certificates, symbols that differ, or a transfer
	// mixed with an issue or a domain certificate [asset_cert_error].
	ErrCertTransfer = errors.New("asset: malformed certificate transfer")
	// ErrCertOwner: a domain or primary witness certificate given as authority names an
	// owner DID that is not registered or is bound to another address
	// [asset_cert_issue_error].
	ErrCertOwner = errors.New("asset: certificate owner DID unknown or bound elsewhere")
	// ErrNamingNeedsDomain: a naming certificate issued without the domain certificate of
	// its domain [asset_cert_issue_error].
	ErrNamingNeedsDomain = errors.New("asset: naming certificate needs its domain certificate")
	// ErrWitnessNeedsPrimary: a witness certificate issued without its primary witness
	// certificate [asset_cert_issue_error].
	ErrWitnessNeedsPrimary = errors.New("asset: witness certificate needs its primary certificate")
	// ErrWitnessFull: the primary witness certificate already has its 46 secondaries
	// [asset_cert_issue_error].
	ErrWitnessFull = errors.New("asset: primary witness certificate has no free secondary")

	// ErrCertDuplicate: two outputs carry a certificate of the same type (witness
	// certificates excepted) [asset_cert_error].
	ErrCertDuplicate = errors.New("asset: two certificates of one type")
	// ErrCertSymbol: a carried-over certificate's symbol is not the one spent, or a naming
	// certificate is not under the spent domain [asset_cert_error].
	ErrCertSymbol = errors.New("asset: certificate symbol is not the one spent")
	// ErrCertNotSpent: a certificate output that is not newly issued has no certificate of
	// its type among the inputs [asset_cert_error].
	ErrCertNotSpent = errors.New("asset: certificate output without the certificate in the inputs")
	// ErrCertLost: a certificate spent is missing from the outputs [asset_cert_error].
	ErrCertLost = errors.New("asset: certificate spent but not carried over")
	// ErrCertOutput: a certificate transaction carries an output other than a certificate,
	// an asset, ETP or a message [asset_cert_error].
	ErrCertOutput = errors.New("asset: output not allowed beside a certificate")
	// ErrCertAutoIssue: an auto-issued certificate outside an asset issue
	// [asset_cert_error].
	ErrCertAutoIssue = errors.New("asset: auto-issued certificate without an asset issue")
	// ErrCertTransferCount: a certificate transfer does not spend exactly one certificate
	// and create exactly one [asset_cert_error].
	ErrCertTransferCount = errors.New("asset: certificate transfer not one in, one out")

	// ErrInputSymbols: the inputs carry assets, MITs or DIDs of different symbols, or
	// certificates of different symbols [validate_inputs_failed].
	ErrInputSymbols = errors.New("asset: inputs carry different symbols")
	// ErrForbiddenSymbol: an input spends an asset whose symbol is exactly ETP
	// [validate_inputs_failed].
	ErrForbiddenSymbol = errors.New("asset: spending the forbidden symbol ETP")
	// ErrAssetAmount: asset outputs do not add up to the asset inputs
	// [asset_amount_not_equal].
	ErrAssetAmount = errors.New("asset: asset outputs do not equal asset inputs")
	// ErrAssetSymbol: an asset transfer carries an output of another symbol or of a kind
	// other than an asset, a certificate, ETP or a message [asset_symbol_not_match].
	ErrAssetSymbol = errors.New("asset: asset output of another symbol or kind")

	// ErrMITAddress: MIT registrations to different addresses, or ETP outputs to another
	// address than the MIT's [mit_register_error].
	ErrMITAddress = errors.New("asset: MIT outputs to different addresses")
	// ErrMITExists: the MIT symbol is already registered [mit_exist].
	ErrMITExists = errors.New("asset: MIT symbol already registered")
	// ErrMITShape: more than one MIT transfer, register and transfer mixed, neither, or an
	// output other than ETP or a message [mit_error].
	ErrMITShape = errors.New("asset: malformed MIT transaction")
	// ErrMITInput: a MIT transaction's ETP input from another address, a MIT input of
	// another symbol, or a transfer without the MIT among the inputs
	// [validate_inputs_failed].
	ErrMITInput = errors.New("asset: MIT transaction inputs do not match")

	// ErrBlockDuplicate: a block registers an asset, certificate, MIT or DID symbol (or binds
	// a DID address) twice [asset_exist, asset_cert_exist, mit_exist, did_exist,
	// address_registered_did]. The error is a *DuplicateError.
	ErrBlockDuplicate = errors.New("asset: symbol registered twice in one block")
)

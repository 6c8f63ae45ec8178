package did

import "errors"

// Transaction rules (CheckTx and Block.Add). Each error is wrapped with the input or output
// it concerns; match with errors.Is. The node's own error code is named for reference.
var (
	// ErrNoPrevOut: a spent output is unknown to the PrevOuts lookup (input_not_found).
	ErrNoPrevOut = errors.New("did: spent output not found")
	// ErrInvalidSymbol: a registered symbol is malformed, or on mainnet contains a banned
	// word (did_symbol_invalid).
	ErrInvalidSymbol = errors.New("did: symbol not allowed")
	// ErrSymbolIsAddress: a registered symbol is itself a valid address of the network
	// (did_symbol_invalid, the is_valid_address check).
	ErrSymbolIsAddress = errors.New("did: symbol is an address")
	// ErrAddressMismatch: a DID output's attachment names an address other than the one its
	// script pays (did_address_not_match, output::check_attachment_address).
	ErrAddressMismatch = errors.New("did: attachment address differs from the script's address")
	// ErrToDID: an attachment's to_did is not the DID of the address the output pays
	// (did_address_not_match, check_attachment_to_did).
	ErrToDID = errors.New("did: to_did is not the DID of the output's address")
	// ErrFromDID: an attachment's from_did is the DID of no input's address
	// (did_address_not_match, connect_attachment_from_did).
	ErrFromDID = errors.New("did: from_did is the DID of no input's address")
	// ErrIssuerNotToDID: a version-207 asset issue names an issuer other than its to_did,
	// or a version-207 certificate an owner other than its to_did (asset_did_registerr_not_match).
	ErrIssuerNotToDID = errors.New("did: issuer or certificate owner differs from to_did")
	// ErrSymbolExists: a registration names a symbol already registered (did_exist).
	ErrSymbolExists = errors.New("did: symbol already registered")
	// ErrAddressHasDID: a registration or transfer binds an address that already has a DID
	// (address_registered_did).
	ErrAddressHasDID = errors.New("did: address already has a DID")
	// ErrMultipleDIDOutputs: more than one DID output in one transaction
	// (did_multi_type_exist).
	ErrMultipleDIDOutputs = errors.New("did: more than one DID output in a transaction")
	// ErrRegisterInput: a registration spends no plain ETP output of the registered address
	// (did_input_error).
	ErrRegisterInput = errors.New("did: registration spends no ETP output of the registered address")
	// ErrTransferInputs: a transfer does not spend exactly two outputs, the DID's current
	// output and a plain ETP output of the new address (did_input_error).
	ErrTransferInputs = errors.New("did: transfer must spend the DID's output and an ETP output of the new address, nothing else")
	// ErrInputSymbols: the asset, MIT and DID outputs a transaction spends carry different
	// symbols, and one of them is a DID (validate_inputs_failed in connect_input).
	ErrInputSymbols = errors.New("did: spent DID, asset and MIT outputs carry different symbols")
	// ErrTransferOutputs: a transfer transaction has an output other than ETP, a message and
	// the DID output, or a DID output of another symbol than the one spent
	// (did_symbol_not_match).
	ErrTransferOutputs = errors.New("did: transfer may carry only the spent DID, ETP and messages")
	// ErrDuplicateSymbol: two DID outputs of one symbol in one block, or in the memory pool
	// (did_exist).
	ErrDuplicateSymbol = errors.New("did: symbol appears in two DID outputs of one block or pool")
	// ErrDuplicateAddress: two DID outputs for one address in one block, or in the memory
	// pool (address_registered_did).
	ErrDuplicateAddress = errors.New("did: address appears in two DID outputs of one block or pool")
	// ErrPoolDIDInUse: in the memory pool, a DID output's symbol is also named by a
	// version-207 to_did or from_did (did_exist, transaction_pool::check_symbol_repeat).
	ErrPoolDIDInUse = errors.New("did: pool has both a DID output and an attachment naming that DID")
)

// Registry and resolution errors.
var (
	// ErrNotFound: no DID has that symbol, or the address has no DID, at the height asked.
	ErrNotFound = errors.New("did: not found")
	// ErrRegistry: the registry could not answer (storage failure); it wraps the cause.
	ErrRegistry = errors.New("did: registry failure")
	// ErrHeight: Memory.Apply was given a height below one already applied.
	ErrHeight = errors.New("did: height below the registry's tip")
)

// Policy errors (miner policy, not consensus).
var ()

// Identity proof errors.
var (
	// ErrChallenge: a challenge is malformed (empty or oversized domain, invalid symbol,
	// zero expiry) or the random source failed.
	ErrChallenge = errors.New("did: malformed challenge")
	// ErrExpired: the proof's challenge has expired.
	ErrExpired = errors.New("did: proof expired")
	// ErrDomain: the proof was made for another domain (a replay from another service).
	ErrDomain = errors.New("did: proof made for another domain")
	// ErrWrongSymbol: the proof is for another DID than the one asked about.
	ErrWrongSymbol = errors.New("did: proof made for another DID")
	// ErrNonce: the nonce was not issued by this verifier or was already used.
	ErrNonce = errors.New("did: nonce not issued or already used")
	// ErrNoNonceCheck: a Verifier without a nonce check would accept replays.
	ErrNoNonceCheck = errors.New("did: verifier has no nonce check")
	// ErrPubKey: the proof's public key is not a valid compressed secp256k1 key.
	ErrPubKey = errors.New("did: proof public key is not a compressed secp256k1 key")
	// ErrKeyMismatch: the proof's key does not hash to the DID's current address.
	ErrKeyMismatch = errors.New("did: proof key does not own the DID's address")
	// ErrUnsupportedAddress: the DID is bound to a P2SH (multisig) or burn address, for which
	// a single-key proof cannot be made.
	ErrUnsupportedAddress = errors.New("did: DID address is not a single-key (P2PKH) address")
	// ErrSignature: the signature is malformed or does not verify.
	ErrSignature = errors.New("did: bad proof signature")
	// ErrProofEncoding: a proof's binary or JSON form is malformed.
	ErrProofEncoding = errors.New("did: malformed proof encoding")
)

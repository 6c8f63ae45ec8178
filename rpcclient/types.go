package rpcclient

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"

	"github.com/mvsgo/mvs"
)

// The answer types below are the JSON the reference node prints for API v3 (/rpc/v3),
// field for field: src/lib/explorer/json_helper.cpp and the command implementations in
// src/lib/explorer/extensions/commands/. Hashes are in display (byte-reversed) order, as
// mvs.Hash prints them. A field that the reference prints only in some cases is a pointer
// or carries omitempty; a field it always prints, even empty, does not.

// Info is getinfo's answer.
type Info struct {
	ProtocolVersion    Uint64        `json:"protocol_version"`
	WalletVersion      string        `json:"wallet_version"`
	DatabaseVersion    string        `json:"database_version"`
	Testnet            bool          `json:"testnet"`
	Peers              Uint64        `json:"peers"`
	AssetCount         Uint64        `json:"asset_count"`
	WalletAccountCount Uint64        `json:"wallet_account_count"`
	Height             Uint64        `json:"height"`
	Difficulty         Uint256String `json:"difficulty"`
	IsMining           bool          `json:"is_mining"`
	HashRate           Uint64        `json:"hash_rate"`
	// StakeUTXOCount is printed only when the miner counts stake UTXOs (PoS).
	StakeUTXOCount Uint64 `json:"stake_utxo_count,omitempty"`
}

// BlockHeader is getblockheader's answer and the header part of getblock's. Bits and
// MixHash are the reference's u256 values and Nonce its u64, all printed in decimal. The
// reference reads both 32-byte header fields big-endian (node:src/lib/bitcoin/chain/
// header.cpp:175), so Bits.Bytes() and MixHash.Bytes() are the header's bytes as serialized.
type BlockHeader struct {
	Hash              mvs.Hash      `json:"hash"`
	MerkleTreeHash    mvs.Hash      `json:"merkle_tree_hash"`
	PreviousBlockHash mvs.Hash      `json:"previous_block_hash"`
	Bits              Uint256String `json:"bits"`
	MixHash           Uint256String `json:"mixhash"`
	Nonce             Uint64String  `json:"nonce"`
	Timestamp         Uint64        `json:"timestamp"`
	Version           Uint64        `json:"version"`
	Number            Uint64        `json:"number"`
	TransactionCount  Uint64        `json:"transaction_count"`
}

// Block is getblock's answer with --json and --tx_json true (the default), and the
// WebSocket block push. BlockSig is present on PoS and DPoS blocks, PublicKey on DPoS.
type Block struct {
	BlockHeader
	Transactions []Tx     `json:"transactions"`
	BlockSig     HexBytes `json:"blocksig,omitempty"`
	PublicKey    HexBytes `json:"public_key,omitempty"`
}

// BlockRawTxs is getblock's answer with --tx_json=false: the header and each transaction
// as raw bytes.
type BlockRawTxs struct {
	BlockHeader
	Transactions []HexBytes `json:"transactions"`
	BlockSig     HexBytes   `json:"blocksig,omitempty"`
	PublicKey    HexBytes   `json:"public_key,omitempty"`
}

// Tx is a transaction as gettx, getblock, getmemorypool, decoderawtx and the tx push print
// it. Height is printed by gettx and the push (0 for a pool transaction) only. The
// reference prints Version and LockTime as decimal strings in v3.
type Tx struct {
	Hash     mvs.Hash     `json:"hash"`
	Height   *Uint64      `json:"height,omitempty"`
	LockTime Uint64String `json:"lock_time"`
	Version  Uint64String `json:"version"`
	Inputs   []TxInput    `json:"inputs"`
	Outputs  []TxOutput   `json:"outputs"`
}

// OutPoint is a previous output reference.
type OutPoint struct {
	Hash  mvs.Hash `json:"hash"`
	Index Uint64   `json:"index"`
}

// TxInput is one input. Address is absent when the script pays no address (coinbase).
type TxInput struct {
	Address        string   `json:"address,omitempty"`
	PreviousOutput OutPoint `json:"previous_output"`
	Script         string   `json:"script"`
	Sequence       Uint64   `json:"sequence"`
}

// TxOutput is one output. Value is in satoshi (1 ETP = 10^8).
type TxOutput struct {
	Address               string                 `json:"address,omitempty"`
	Script                string                 `json:"script"`
	Stealth               *Stealth               `json:"stealth,omitempty"`
	Value                 Uint64                 `json:"value"`
	LockedHeightRange     Uint64                 `json:"locked_height_range"`
	AttenuationModelParam *AttenuationModelParam `json:"attenuation_model_param,omitempty"`
	Attachment            Attachment             `json:"attachment"`
	Index                 Uint64                 `json:"index"`
}

// Stealth is printed for a stealth output that pays no address.
type Stealth struct {
	Prefix             Uint64String `json:"prefix"`
	EphemeralPublicKey string       `json:"ephemeral_public_key"`
}

// AttenuationModelParam is an attenuation (vesting) lock of an MST output: the model's
// named numbers and, for custom models, the steps. A value the reference could not read as
// a number is printed as 2^64-1.
type AttenuationModelParam struct {
	CurrentPeriodNbr *Uint64      `json:"current_period_nbr,omitempty"`
	NextInterval     *Uint64      `json:"next_interval,omitempty"`
	Type             *Uint64      `json:"type,omitempty"`
	LockQuantity     *Uint64      `json:"lock_quantity,omitempty"`
	LockPeriod       *Uint64      `json:"lock_period,omitempty"`
	TotalPeriodNbr   *Uint64      `json:"total_period_nbr,omitempty"`
	InflationRate    *Uint64      `json:"inflation_rate,omitempty"`
	Locked           []LockedStep `json:"locked,omitempty"`
}

// LockedStep is one step of a custom attenuation model.
type LockedStep struct {
	Number   Uint64 `json:"number"`
	Quantity Uint64 `json:"quantity"`
}

// Attachment types as the reference names them.
const (
	AttachmentETP           = "etp"
	AttachmentAssetIssue    = "asset-issue"
	AttachmentAssetTransfer = "asset-transfer"
	AttachmentMIT           = "mit"
	AttachmentAssetCert     = "asset-cert"
	AttachmentDIDRegister   = "did-register"
	AttachmentDIDTransfer   = "did-transfer"
	AttachmentMessage       = "message"
	AttachmentCoinstake     = "coinstake"
)

// Attachment is an output's attachment: Type says which of the other fields are set.
//   - asset-issue: Symbol, Issuer, Address, Description, Quantity (the maximum supply),
//     DecimalNumber, SecondaryIssueThreshold, IsSecondaryIssue
//   - asset-transfer: Symbol, Quantity, and in listtxs DecimalNumber
//   - mit: Symbol, Address, Status, Content (on register)
//   - asset-cert: Symbol, Owner, Address, Cert, Content (if any)
//   - did-register, did-transfer: Symbol, Address
//   - message: Content
//
// FromDID and ToDID are printed for attachments of the DID-verified version.
type Attachment struct {
	Type                    string  `json:"type"`
	Symbol                  string  `json:"symbol,omitempty"`
	Issuer                  string  `json:"issuer,omitempty"`
	Owner                   string  `json:"owner,omitempty"`
	Address                 string  `json:"address,omitempty"`
	Cert                    string  `json:"cert,omitempty"`
	Status                  string  `json:"status,omitempty"`
	Description             *string `json:"description,omitempty"`
	Content                 *string `json:"content,omitempty"`
	Quantity                *Uint64 `json:"quantity,omitempty"`
	DecimalNumber           *Uint64 `json:"decimal_number,omitempty"`
	SecondaryIssueThreshold *Uint64 `json:"secondaryissue_threshold,omitempty"`
	IsSecondaryIssue        *bool   `json:"is_secondaryissue,omitempty"`
	FromDID                 *string `json:"from_did,omitempty"`
	ToDID                   *string `json:"to_did,omitempty"`
}

// AddressBalance is getaddressetp's answer: satoshi totals of an address's history.
// Unspent = Available + Frozen (frozen: locked deposits and immature coinbase).
type AddressBalance struct {
	Address   string `json:"address"`
	Confirmed Uint64 `json:"confirmed"`
	Received  Uint64 `json:"received"`
	Unspent   Uint64 `json:"unspent"`
	Frozen    Uint64 `json:"frozen"`
	Available Uint64 `json:"available"`
}

// UTXO is one unspent output as getaddressetp --utxo and getaddressasset --utxo print it
// (Symbol only for the latter).
type UTXO struct {
	Available Uint64   `json:"available"`
	Balance   Uint64   `json:"balance"`
	Frozen    Uint64   `json:"frozen"`
	Block     Uint64   `json:"utxo_block"`
	Hash      mvs.Hash `json:"utxo_hash"`
	Index     Uint64   `json:"utxo_index"`
	Symbol    string   `json:"symbol,omitempty"`
}

// Deposit is one ETP deposit as getaddressetp --deposited prints it.
type Deposit struct {
	Address          string   `json:"address"`
	DepositedBalance Uint64   `json:"deposited_balance"`
	BonusBalance     Uint64   `json:"bonus_balance"`
	DepositedHeight  Uint64   `json:"deposited_height"`
	ExpirationHeight Uint64   `json:"expiration_height"`
	TxHash           mvs.Hash `json:"tx_hash"`
}

// Asset statuses.
const (
	AssetIssued   = "issued"
	AssetUnspent  = "unspent"
	AssetUnissued = "unissued"
)

// Asset is an MST as getasset, listassets and getaddressasset print it. An issued asset
// (getasset SYMBOL, listassets without an account) has MaximumSupply and IsSecondaryIssue;
// a balance (getaddressasset, listassets for an account) has Quantity and LockedQuantity;
// an asset created locally but not issued (listassets, Status "unissued") has Quantity as
// its supply. Address is absent in listassets for an account.
type Asset struct {
	Symbol                  string  `json:"symbol"`
	Issuer                  string  `json:"issuer"`
	Address                 string  `json:"address,omitempty"`
	Description             string  `json:"description"`
	MaximumSupply           *Uint64 `json:"maximum_supply,omitempty"`
	Quantity                *Uint64 `json:"quantity,omitempty"`
	LockedQuantity          *Uint64 `json:"locked_quantity,omitempty"`
	DecimalNumber           Uint64  `json:"decimal_number"`
	SecondaryIssueThreshold Uint64  `json:"secondaryissue_threshold"`
	IsSecondaryIssue        *bool   `json:"is_secondaryissue,omitempty"`
	Status                  string  `json:"status"`
}

// AssetDeposit is one locked (attenuated) asset output as getaddressasset --deposited
// prints it.
type AssetDeposit struct {
	Symbol                string                `json:"symbol"`
	Address               string                `json:"address"`
	TxHeight              Uint64                `json:"tx_height"`
	TxHash                mvs.Hash              `json:"tx_hash"`
	DecimalNumber         Uint64                `json:"decimal_number"`
	Quantity              Uint64                `json:"quantity"`
	LockedQuantity        Uint64                `json:"locked_quantity"`
	AttenuationModelParam AttenuationModelParam `json:"attenuation_model_param"`
	Status                string                `json:"status"`
}

// AssetCert is a certificate (issue, domain, naming, mining, witness).
type AssetCert struct {
	Symbol  string  `json:"symbol"`
	Owner   string  `json:"owner"`
	Address string  `json:"address"`
	Cert    string  `json:"cert"`
	Content *string `json:"content,omitempty"`
}

// DIDRecord is one DID binding: listdids prints Status "registered"; getdid DID prints the
// binding history with Status "current" or "history".
type DIDRecord struct {
	Address string `json:"address"`
	Status  string `json:"status"`
	Symbol  string `json:"symbol"`
}

// DIDPage is listdids' answer.
type DIDPage struct {
	TotalCount  Uint64      `json:"total_count"`
	TotalPage   Uint64      `json:"total_page"`
	CurrentPage Uint64      `json:"current_page"`
	DIDs        []DIDRecord `json:"dids"`
}

// MIT is a unique token. getmit SYMBOL, getmit --trace and listmits without an account
// print Height, Timestamp and ToDID; listmits for an account does not. Content is printed
// for a registration (and always for an account's MITs and getmit --current).
type MIT struct {
	Height    *Uint64 `json:"height,omitempty"`
	Timestamp *Uint64 `json:"timestamp,omitempty"`
	ToDID     *string `json:"to_did,omitempty"`
	Symbol    string  `json:"symbol"`
	Address   string  `json:"address"`
	Status    string  `json:"status"`
	Content   *string `json:"content,omitempty"`
}

// TxPage is listtxs' answer: one page of an account's or address's transactions, newest
// first.
type TxPage struct {
	TotalPage        Uint64      `json:"total_page"`
	CurrentPage      Uint64      `json:"current_page"`
	TransactionCount Uint64      `json:"transaction_count"`
	Transactions     []TxSummary `json:"transactions"`
}

// TxSummary is one listtxs transaction. Direction is "send" when an input address belongs
// to the account, else "receive".
type TxSummary struct {
	Hash      mvs.Hash          `json:"hash"`
	Height    Uint64            `json:"height"`
	Timestamp Uint64            `json:"timestamp"`
	Direction string            `json:"direction"`
	Inputs    []TxSummaryInput  `json:"inputs"`
	Outputs   []TxSummaryOutput `json:"outputs"`
}

// TxSummaryInput is a listtxs input; Address is JSON null for a coinbase input.
type TxSummaryInput struct {
	Address *string `json:"address"`
	Script  string  `json:"script"`
}

// TxSummaryOutput is a listtxs output; Own is present when Address is, and says whether
// the address belongs to the account. ETPValue is in satoshi.
type TxSummaryOutput struct {
	Address               *string                `json:"address"`
	Own                   *bool                  `json:"own,omitempty"`
	Script                string                 `json:"script"`
	LockedHeightRange     Uint64                 `json:"locked_height_range"`
	ETPValue              Uint64                 `json:"etp_value"`
	AttenuationModelParam *AttenuationModelParam `json:"attenuation_model_param,omitempty"`
	Attachment            Attachment             `json:"attachment"`
}

// NodeList is addnode --operation list's answer. Banned entries read
// "host:port, timestamp:<seconds>".
type NodeList struct {
	Seeds        []string `json:"seeds"`
	Peers        []string `json:"peers"`
	Banned       []string `json:"banned"`
	ManualBanned []string `json:"manual_banned"`
}

// MiningInfo is getmininginfo's answer. The v3 reference prints Height and Rate as strings.
type MiningInfo struct {
	IsMining       bool          `json:"is_mining"`
	Height         Uint64String  `json:"height"`
	Rate           Uint64String  `json:"rate"`
	Difficulty     Uint256String `json:"difficulty"`
	PaymentAddress string        `json:"payment_address"`
	MiningMST      string        `json:"mining_mst"`
	BlockType      string        `json:"block_type"`
	StakeUTXOCount Uint64        `json:"stake_utxo_count,omitempty"`
}

// Work is getwork's answer, printed as a JSON array of three "0x"+64-hex strings in this
// order: the pow-hash to seal, the Ethash seed hash, and the boundary (2^256-1)/difficulty,
// each big-endian as printed.
type Work struct {
	PowHash  [32]byte
	SeedHash [32]byte
	Boundary [32]byte
}

// MarshalJSON prints the reference's array.
func (w Work) MarshalJSON() ([]byte, error) {
	return json.Marshal([3]string{hex0x(w.PowHash[:]), hex0x(w.SeedHash[:]), hex0x(w.Boundary[:])})
}

// UnmarshalJSON reads exactly three "0x"+64-hex strings.
func (w *Work) UnmarshalJSON(b []byte) error {
	var a []string
	if err := json.Unmarshal(b, &a); err != nil {
		return err
	}
	if len(a) != 3 {
		return errors.New("getwork: want 3 strings")
	}
	for i, dst := range []*[32]byte{&w.PowHash, &w.SeedHash, &w.Boundary} {
		v, err := parse0x32(a[i])
		if err != nil {
			return err
		}
		*dst = v
	}
	return nil
}

func hex0x(b []byte) string { return "0x" + hex.EncodeToString(b) }

func parse0x32(s string) ([32]byte, error) {
	var out [32]byte
	if !strings.HasPrefix(s, "0x") || len(s) != 66 {
		return out, errors.New("want 0x and 64 hex digits")
	}
	_, err := hex.Decode(out[:], []byte(s[2:]))
	return out, err
}

// AddressValidation is validateaddress's answer. AddressType is "p2kh(main-net)",
// "p2kh(test-net)" (the node's network, not the address's: the reference labels any P2KH
// address by its own testnet setting), "p2sh(multi-signature)", "p2blackhole" or "none".
// Decide with mvs.DecodeAddress for the intended network, not with this answer alone.
type AddressValidation struct {
	AddressType string `json:"address_type"`
	Testnet     bool   `json:"testnet"`
	IsValid     bool   `json:"is_valid"`
	Message     string `json:"message"`
}

// SyncInfo is getsyncinfo's answer. The method is the SDK node's (mvsd has none, and
// answers it with CodeInvalidCommand): the tip, the best header known, the blocks connected
// per second since the node started and the estimated seconds left of the current sync.
type SyncInfo struct {
	Height          uint64  `json:"height"`
	BestHeader      uint64  `json:"best_header"`
	BlocksPerSecond float64 `json:"blocks_per_second"`
	ETASeconds      uint64  `json:"eta_seconds"`
	Syncing         bool    `json:"syncing"`
	Peers           int     `json:"peers"`
}

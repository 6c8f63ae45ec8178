package rpcclient

import (
	"context"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
)

// Each method below calls one reference method (named in its comment) with the
// reference's parameters and decodes the v3 answer. Answers that name what was asked (a
// block's height or hash, a transaction's hash) are checked against the request: a node
// answering for something else fails with ErrMismatch rather than being believed.

// adminArgs appends the administrator credentials the gated methods take positionally.
func (c *Client) adminArgs(p *params) *params {
	if c.opts.AdminName != "" {
		p.arg(c.opts.AdminName, c.opts.AdminPassword)
	}
	return p
}

// GetInfo calls getinfo.
func (c *Client) GetInfo(ctx context.Context) (*Info, error) {
	return callPtr[Info](ctx, c, "getinfo", c.adminArgs(&params{}))
}

// GetHeight calls getheight: the height of the node's best block.
func (c *Client) GetHeight(ctx context.Context) (uint64, error) {
	var v Uint64
	if err := c.call(ctx, "getheight", c.adminArgs(&params{}), &v); err != nil {
		return 0, err
	}
	return uint64(v), nil
}

// GetBestBlockHash calls getbestblockhash.
func (c *Client) GetBestBlockHash(ctx context.Context) (mvs.Hash, error) {
	var v mvs.Hash
	err := c.call(ctx, "getbestblockhash", nil, &v)
	return v, err
}

// BlockID names a block by height or by hash; make one with ByHeight or ByHash.
type BlockID struct {
	height uint64
	hash   mvs.Hash
	byHash bool
}

// ByHeight names the block at height h of the node's best chain.
func ByHeight(h uint64) BlockID { return BlockID{height: h} }

// ByHash names the block with hash h.
func ByHash(h mvs.Hash) BlockID { return BlockID{hash: h, byHash: true} }

func (id BlockID) String() string {
	if id.byHash {
		return id.hash.String()
	}
	return strconv.FormatUint(id.height, 10)
}

// check verifies that a header answers id.
func (id BlockID) check(method string, h *BlockHeader) error {
	if id.byHash && h.Hash != id.hash {
		return fmt.Errorf("%w: %s: asked block %s, got %s", ErrMismatch, method, id.hash, h.Hash)
	}
	if !id.byHash && uint64(h.Number) != id.height {
		return fmt.Errorf("%w: %s: asked height %d, got %d", ErrMismatch, method, id.height, h.Number)
	}
	return nil
}

// getblock reads HASH_OR_HEIGH as a height when it is shorter than 18 characters.
func (id BlockID) getblockArg(method string) (string, error) {
	if !id.byHash && id.height > 99999999999999999 {
		return "", invalidParam(method, "height %d has 18 digits or more (the node would read it as a hash)", id.height)
	}
	return id.String(), nil
}

// GetBlockHeader calls getblockheader --height or --hash.
func (c *Client) GetBlockHeader(ctx context.Context, id BlockID) (*BlockHeader, error) {
	const method = "getblockheader"
	p := &params{}
	if id.byHash {
		p.opt("hash", id.hash.String())
	} else {
		// The reference takes a uint32 and uses 2^32-1 to mean "not given".
		if id.height >= math.MaxUint32 {
			return nil, invalidParam(method, "height %d does not fit the node's uint32", id.height)
		}
		p.opt("height", strconv.FormatUint(id.height, 10))
	}
	var v BlockHeader
	if err := c.call(ctx, method, p, &v); err != nil {
		return nil, err
	}
	if err := id.check(method, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// GetBestBlockHeader calls getblockheader without a height or hash: the best block's header.
func (c *Client) GetBestBlockHeader(ctx context.Context) (*BlockHeader, error) {
	return callPtr[BlockHeader](ctx, c, "getblockheader", nil)
}

// GetBlock calls getblock with JSON transactions. It refuses a block whose
// transaction_count, when printed non-zero, differs from the transactions it carries.
func (c *Client) GetBlock(ctx context.Context, id BlockID) (*Block, error) {
	const method = "getblock"
	arg, err := id.getblockArg(method)
	if err != nil {
		return nil, err
	}
	p := &params{}
	p.arg(arg)
	var v Block
	if err := c.call(ctx, method, p, &v); err != nil {
		return nil, err
	}
	if err := id.check(method, &v.BlockHeader); err != nil {
		return nil, err
	}
	if v.TransactionCount != 0 && uint64(v.TransactionCount) != uint64(len(v.Transactions)) {
		return nil, malformed(method, "transaction_count %d, %d transactions", v.TransactionCount, len(v.Transactions))
	}
	return &v, nil
}

// GetBlockRawTxs calls getblock --tx_json false: the header in JSON, each transaction raw.
func (c *Client) GetBlockRawTxs(ctx context.Context, id BlockID) (*BlockRawTxs, error) {
	const method = "getblock"
	arg, err := id.getblockArg(method)
	if err != nil {
		return nil, err
	}
	p := &params{}
	p.opt("tx_json", "false")
	p.arg(arg)
	var v BlockRawTxs
	if err := c.call(ctx, method, p, &v); err != nil {
		return nil, err
	}
	if err := id.check(method, &v.BlockHeader); err != nil {
		return nil, err
	}
	for i, raw := range v.Transactions {
		if len(raw) == 0 {
			return nil, malformed(method, "transaction %d is empty", i)
		}
	}
	return &v, nil
}

// GetRawBlock calls getblock --json false: the serialized block. The header in it is
// checked against id (its hash, or the height it carries).
func (c *Client) GetRawBlock(ctx context.Context, id BlockID) ([]byte, error) {
	const method = "getblock"
	arg, err := id.getblockArg(method)
	if err != nil {
		return nil, err
	}
	p := &params{}
	p.opt("json", "false")
	p.arg(arg)
	var v HexBytes
	if err := c.call(ctx, method, p, &v); err != nil {
		return nil, err
	}
	if len(v) < mvs.HeaderSize {
		return nil, malformed(method, "raw block of %d bytes", len(v))
	}
	h, err := block.DecodeHeader(v[:mvs.HeaderSize])
	if err != nil {
		return nil, malformed(method, "raw block header: %v", err)
	}
	if id.byHash && h.Hash() != id.hash {
		return nil, fmt.Errorf("%w: %s: asked block %s, got %s", ErrMismatch, method, id.hash, h.Hash())
	}
	if !id.byHash && uint64(h.Height) != id.height {
		return nil, fmt.Errorf("%w: %s: asked height %d, got %d", ErrMismatch, method, id.height, h.Height)
	}
	return v, nil
}

// GetTx calls gettx: a transaction of the chain or the pool (Height 0).
func (c *Client) GetTx(ctx context.Context, hash mvs.Hash) (*Tx, error) {
	const method = "gettx"
	p := &params{}
	p.arg(hash.String())
	var v Tx
	if err := c.call(ctx, method, p, &v); err != nil {
		return nil, err
	}
	if v.Hash != hash {
		return nil, fmt.Errorf("%w: %s: asked %s, got %s", ErrMismatch, method, hash, v.Hash)
	}
	if v.Height == nil {
		return nil, malformed(method, "no height")
	}
	return &v, nil
}

// GetRawTx calls gettx --json false and checks that the bytes hash to hash.
func (c *Client) GetRawTx(ctx context.Context, hash mvs.Hash) ([]byte, error) {
	const method = "gettx"
	p := &params{}
	p.opt("json", "false")
	p.arg(hash.String())
	var v HexBytes
	if err := c.call(ctx, method, p, &v); err != nil {
		return nil, err
	}
	if got := mvs.DoubleSHA256(v); got != hash {
		return nil, fmt.Errorf("%w: %s: asked %s, bytes hash to %s", ErrMismatch, method, hash, got)
	}
	return v, nil
}

// DecodeRawTx calls decoderawtx and checks that the node decoded the bytes it was sent.
func (c *Client) DecodeRawTx(ctx context.Context, raw []byte) (*Tx, error) {
	const method = "decoderawtx"
	if len(raw) == 0 {
		return nil, invalidParam(method, "empty transaction")
	}
	p := &params{}
	p.arg(hex.EncodeToString(raw))
	var v Tx
	if err := c.call(ctx, method, p, &v); err != nil {
		return nil, err
	}
	if want := mvs.DoubleSHA256(raw); v.Hash != want {
		return nil, fmt.Errorf("%w: %s: sent %s, decoded %s", ErrMismatch, method, want, v.Hash)
	}
	return &v, nil
}

// SendRawTx calls sendrawtx: the node validates and broadcasts the transaction and answers
// its hash, which must be the hash of raw. A refusal is an *RPCError (CodeTxValidate,
// CodeTxBroadcast, ...).
func (c *Client) SendRawTx(ctx context.Context, raw []byte) (mvs.Hash, error) {
	const method = "sendrawtx"
	if len(raw) == 0 {
		return mvs.Hash{}, invalidParam(method, "empty transaction")
	}
	p := &params{}
	p.arg(hex.EncodeToString(raw))
	var v mvs.Hash
	if err := c.call(ctx, method, p, &v); err != nil {
		return mvs.Hash{}, err
	}
	if want := mvs.DoubleSHA256(raw); v != want {
		return mvs.Hash{}, fmt.Errorf("%w: %s: sent %s, node answered %s", ErrMismatch, method, want, v)
	}
	return v, nil
}

// GetMemoryPool calls getmemorypool: the pool's transactions in JSON (no Height).
func (c *Client) GetMemoryPool(ctx context.Context) ([]Tx, error) {
	return callAs[[]Tx](ctx, c, "getmemorypool", c.adminArgs(&params{}))
}

// GetMemoryPoolRaw calls getmemorypool --json false: the pool's transactions serialized.
func (c *Client) GetMemoryPoolRaw(ctx context.Context) ([][]byte, error) {
	p := &params{}
	p.opt("json", "false")
	var v []HexBytes
	if err := c.call(ctx, "getmemorypool", c.adminArgs(p), &v); err != nil {
		return nil, err
	}
	out := make([][]byte, len(v))
	for i := range v {
		out[i] = v[i]
	}
	return out, nil
}

// GetAddressETP calls getaddressetp: the ETP totals of an address (or a DID's address).
func (c *Client) GetAddressETP(ctx context.Context, addressOrDID string) (*AddressBalance, error) {
	p := &params{}
	p.arg(addressOrDID)
	return callPtr[AddressBalance](ctx, c, "getaddressetp", p)
}

// ValueRange selects UTXOs whose value v satisfies Min <= v < Max (the reference's
// --range begin:end).
type ValueRange struct{ Min, Max uint64 }

func (r *ValueRange) set(method string, p *params) error {
	if r == nil {
		return nil
	}
	if r.Min >= r.Max {
		return invalidParam(method, "empty range [%d:%d)", r.Min, r.Max)
	}
	p.opt("range", fmt.Sprintf("%d:%d", r.Min, r.Max))
	return nil
}

// GetAddressUTXOs calls getaddressetp --utxo: the address's unspent ETP outputs, those in r
// only when r is not nil.
func (c *Client) GetAddressUTXOs(ctx context.Context, addressOrDID string, r *ValueRange) ([]UTXO, error) {
	const method = "getaddressetp"
	p := &params{}
	p.flag("utxo")
	if err := r.set(method, p); err != nil {
		return nil, err
	}
	p.arg(addressOrDID)
	return callAs[[]UTXO](ctx, c, method, p)
}

// GetAddressDeposits calls getaddressetp --deposited: the address's ETP deposits.
func (c *Client) GetAddressDeposits(ctx context.Context, addressOrDID string) ([]Deposit, error) {
	p := &params{}
	p.flag("deposited")
	p.arg(addressOrDID)
	return callAs[[]Deposit](ctx, c, "getaddressetp", p)
}

// GetAddressAsset calls getaddressasset: the address's MST balances, one symbol's only when
// symbol is not empty.
func (c *Client) GetAddressAsset(ctx context.Context, addressOrDID, symbol string) ([]Asset, error) {
	p := &params{}
	if symbol != "" {
		p.opt("symbol", symbol)
	}
	p.arg(addressOrDID)
	return callAs[[]Asset](ctx, c, "getaddressasset", p)
}

// GetAddressAssetCerts calls getaddressasset --cert: the certificates the address holds.
func (c *Client) GetAddressAssetCerts(ctx context.Context, addressOrDID, symbol string) ([]AssetCert, error) {
	p := &params{}
	p.flag("cert")
	if symbol != "" {
		p.opt("symbol", symbol)
	}
	p.arg(addressOrDID)
	return callAs[[]AssetCert](ctx, c, "getaddressasset", p)
}

// GetAddressAssetUTXOs calls getaddressasset --utxo: the address's unspent MST outputs with
// at least minConfirmations confirmations (the reference's default is 3), of one symbol
// when symbol is not empty, in r when r is not nil.
func (c *Client) GetAddressAssetUTXOs(ctx context.Context, addressOrDID, symbol string, r *ValueRange, minConfirmations uint64) ([]UTXO, error) {
	const method = "getaddressasset"
	p := &params{}
	p.flag("utxo")
	if symbol != "" {
		p.opt("symbol", symbol)
	}
	if err := r.set(method, p); err != nil {
		return nil, err
	}
	p.opt("utxominimumconfirmations", strconv.FormatUint(minConfirmations, 10))
	p.arg(addressOrDID)
	return callAs[[]UTXO](ctx, c, method, p)
}

// GetAddressAssetDeposits calls getaddressasset --deposited: the address's locked MST
// outputs.
func (c *Client) GetAddressAssetDeposits(ctx context.Context, addressOrDID, symbol string) ([]AssetDeposit, error) {
	p := &params{}
	p.flag("deposited")
	if symbol != "" {
		p.opt("symbol", symbol)
	}
	p.arg(addressOrDID)
	return callAs[[]AssetDeposit](ctx, c, "getaddressasset", p)
}

// Account names a wallet account on the node and its password, for the methods that read
// an account's data.
type Account struct{ Name, Password string }

func (a *Account) args(p *params) {
	if a != nil {
		p.arg(a.Name, a.Password)
	}
}

// MaxPageLimit is the largest page the reference serves (listtxs, listdids, getmit --trace).
const MaxPageLimit = 100

// ListTxsParams selects listtxs' transactions. Either Account or Address must be set; with
// both, Address's transactions are listed and Account only decides the "own" flags and the
// direction. Index is the page (from 1) and Limit its size (1..100); zero means 1 and 100.
// HeightFrom and HeightTo, when HeightTo is not zero, select heights in [from, to). Symbol
// selects one asset's transactions.
type ListTxsParams struct {
	Account              *Account
	Address              string
	Symbol               string
	HeightFrom, HeightTo uint64
	Index, Limit         uint64
}

// ListTxs calls listtxs: one page of transactions, newest first. Asking a page past the
// last is a node error (CodeArgumentLegality, "no record in this page").
func (c *Client) ListTxs(ctx context.Context, q ListTxsParams) (*TxPage, error) {
	const method = "listtxs"
	if q.Account == nil && q.Address == "" {
		return nil, invalidParam(method, "neither an account nor an address")
	}
	index, limit := q.Index, q.Limit
	if index == 0 {
		index = 1
	}
	if limit == 0 {
		limit = MaxPageLimit
	}
	if limit > MaxPageLimit {
		return nil, invalidParam(method, "limit %d > %d", limit, MaxPageLimit)
	}
	p := &params{}
	if q.Address != "" {
		p.opt("address", q.Address)
	}
	if q.Symbol != "" {
		p.opt("symbol", q.Symbol)
	}
	if q.HeightTo != 0 {
		if q.HeightFrom >= q.HeightTo {
			return nil, invalidParam(method, "empty height range [%d:%d)", q.HeightFrom, q.HeightTo)
		}
		p.opt("height", fmt.Sprintf("%d:%d", q.HeightFrom, q.HeightTo))
	}
	p.opt("index", strconv.FormatUint(index, 10))
	p.opt("limit", strconv.FormatUint(limit, 10))
	q.Account.args(p)
	var v TxPage
	if err := c.call(ctx, method, p, &v); err != nil {
		return nil, err
	}
	// transaction_count is the page's size; the reference skips a transaction it cannot
	// read, so fewer may follow, never more.
	if uint64(len(v.Transactions)) > uint64(v.TransactionCount) {
		return nil, malformed(method, "transaction_count %d, %d transactions", v.TransactionCount, len(v.Transactions))
	}
	return &v, nil
}

// GetAssets calls getasset without a symbol: every issued MST symbol.
func (c *Client) GetAssets(ctx context.Context) ([]string, error) {
	return callAs[[]string](ctx, c, "getasset", nil)
}

// GetAsset calls getasset SYMBOL: the asset's issue records (more than one after
// secondary issues).
func (c *Client) GetAsset(ctx context.Context, symbol string) ([]Asset, error) {
	const method = "getasset"
	if symbol == "" {
		return nil, invalidParam(method, "empty symbol (use GetAssets)")
	}
	p := &params{}
	p.arg(symbol)
	return callAs[[]Asset](ctx, c, method, p)
}

// GetAssetCerts calls getasset --cert SYMBOL: the certificates issued for symbol.
func (c *Client) GetAssetCerts(ctx context.Context, symbol string) ([]AssetCert, error) {
	const method = "getasset"
	if symbol == "" {
		return nil, invalidParam(method, "empty symbol")
	}
	p := &params{}
	p.flag("cert")
	p.arg(symbol)
	return callAs[[]AssetCert](ctx, c, method, p)
}

// ListAssets calls listassets: every issued asset when account is nil, else the account's
// balances and its created-but-unissued assets.
func (c *Client) ListAssets(ctx context.Context, account *Account) ([]Asset, error) {
	p := &params{}
	account.args(p)
	return callAs[[]Asset](ctx, c, "listassets", p)
}

// GetDIDs calls getdid without a symbol: every registered DID symbol.
func (c *Client) GetDIDs(ctx context.Context) ([]string, error) {
	return callAs[[]string](ctx, c, "getdid", nil)
}

// GetDID calls getdid DID-or-address: the DID's address history, current binding included.
func (c *Client) GetDID(ctx context.Context, didOrAddress string) ([]DIDRecord, error) {
	const method = "getdid"
	if didOrAddress == "" {
		return nil, invalidParam(method, "empty DID (use GetDIDs)")
	}
	p := &params{}
	p.arg(didOrAddress)
	return callAs[[]DIDRecord](ctx, c, method, p)
}

// ListDIDs calls listdids: one page (index from 1, limit 1..100; zero means 1 and 100) of
// every DID when account is nil, else the account's.
func (c *Client) ListDIDs(ctx context.Context, account *Account, index, limit uint64) (*DIDPage, error) {
	const method = "listdids"
	if index == 0 {
		index = 1
	}
	if limit == 0 {
		limit = MaxPageLimit
	}
	if limit > MaxPageLimit {
		return nil, invalidParam(method, "limit %d > %d", limit, MaxPageLimit)
	}
	p := &params{}
	p.opt("index", strconv.FormatUint(index, 10))
	p.opt("limit", strconv.FormatUint(limit, 10))
	account.args(p)
	return callPtr[DIDPage](ctx, c, method, p)
}

// GetMITs calls getmit without a symbol: every registered MIT symbol.
func (c *Client) GetMITs(ctx context.Context) ([]string, error) {
	return callAs[[]string](ctx, c, "getmit", nil)
}

// GetMIT calls getmit SYMBOL: the MIT's registration. An unknown symbol is ErrNotFound
// (the reference answers null).
func (c *Client) GetMIT(ctx context.Context, symbol string) (*MIT, error) {
	const method = "getmit"
	if symbol == "" {
		return nil, invalidParam(method, "empty symbol (use GetMITs)")
	}
	p := &params{}
	p.arg(symbol)
	raw, err := c.callRaw(ctx, method, p)
	if err != nil {
		return nil, err
	}
	if isNull(raw) {
		return nil, fmt.Errorf("%w: %s %q", ErrNotFound, method, symbol)
	}
	var v MIT
	if err := unmarshalResult(method, raw, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// GetMITHistory calls getmit --trace: one page (index from 1, limit 1..100; zero means 1
// and 100) of the MIT's transfers, newest first.
func (c *Client) GetMITHistory(ctx context.Context, symbol string, index, limit uint64) ([]MIT, error) {
	const method = "getmit"
	if symbol == "" {
		return nil, invalidParam(method, "empty symbol")
	}
	if index == 0 {
		index = 1
	}
	if limit == 0 {
		limit = MaxPageLimit
	}
	if limit > MaxPageLimit || index > math.MaxUint32 {
		return nil, invalidParam(method, "index %d, limit %d", index, limit)
	}
	p := &params{}
	p.flag("trace")
	p.opt("index", strconv.FormatUint(index, 10))
	p.opt("limit", strconv.FormatUint(limit, 10))
	p.arg(symbol)
	return callAs[[]MIT](ctx, c, method, p)
}

// ListMITs calls listmits: every registered MIT when account is nil, else the account's.
func (c *Client) ListMITs(ctx context.Context, account *Account) ([]MIT, error) {
	p := &params{}
	account.args(p)
	return callAs[[]MIT](ctx, c, "listmits", p)
}

// GetPeerInfo calls getpeerinfo: the connected peers as "host:port".
func (c *Client) GetPeerInfo(ctx context.Context) ([]string, error) {
	return callAs[[]string](ctx, c, "getpeerinfo", c.adminArgs(&params{}))
}

// AddNode operations (addnode --operation).
const (
	AddNodeAdd    = "add"
	AddNodeBan    = "ban"
	AddNodePeer   = "peer"
	AddNodeReseed = "reseed"
)

// AddNode calls addnode with an operation other than list on address ("host:port"; empty
// for reseed) and returns the node's message ("success" when it worked). The reference
// answers an unknown operation with a message, not an error; this method refuses one
// before sending.
func (c *Client) AddNode(ctx context.Context, address, operation string) (string, error) {
	const method = "addnode"
	switch operation {
	case AddNodeAdd, AddNodeBan, AddNodePeer:
		if address == "" {
			return "", invalidParam(method, "operation %s needs an address", operation)
		}
	case AddNodeReseed:
	default:
		return "", invalidParam(method, "operation %q", operation)
	}
	p := &params{}
	p.opt("operation", operation)
	if address != "" || c.opts.AdminName != "" {
		p.arg(address)
	}
	return callAs[string](ctx, c, method, c.adminArgs(p))
}

// AddNodeList calls addnode --operation list.
func (c *Client) AddNodeList(ctx context.Context) (*NodeList, error) {
	p := &params{}
	p.opt("operation", "list")
	if c.opts.AdminName != "" {
		p.arg("") // NODEADDRESS comes before the admin credentials
	}
	return callPtr[NodeList](ctx, c, "addnode", c.adminArgs(p))
}

// GetMiningInfo calls getmininginfo.
func (c *Client) GetMiningInfo(ctx context.Context) (*MiningInfo, error) {
	return callPtr[MiningInfo](ctx, c, "getmininginfo", c.adminArgs(&params{}))
}

// GetWork calls getwork. Without a mining account set on the node the answer is an
// *RPCError with CodeSettingRequired.
func (c *Client) GetWork(ctx context.Context) (*Work, error) {
	return callPtr[Work](ctx, c, "getwork", c.adminArgs(&params{}))
}

// SubmitWork calls submitwork with a found nonce for powHash and its Ethash mix digest,
// and reports whether the node accepted the block. Over v3 the nonce is sent as "0x" and
// 16 hex digits and used as is (v1/v2 would XOR it with 0x6675636b6d657461).
func (c *Client) SubmitWork(ctx context.Context, nonce uint64, powHash, mixDigest [32]byte) (bool, error) {
	p := &params{}
	p.arg(fmt.Sprintf("0x%016x", nonce), hex0x(powHash[:]), hex0x(mixDigest[:]))
	return callAs[bool](ctx, c, "submitwork", p)
}

// ValidateAddress calls validateaddress.
func (c *Client) ValidateAddress(ctx context.Context, address string) (*AddressValidation, error) {
	p := &params{}
	p.arg(address)
	return callPtr[AddressValidation](ctx, c, "validateaddress", p)
}

func unmarshalResult(method string, raw []byte, out any) error {
	if err := jsonUnmarshal(raw, out); err != nil {
		return malformed(method, "result: %v", err)
	}
	return nil
}

// callAs calls method and decodes its result as a T.
func callAs[T any](ctx context.Context, c *Client, method string, p *params) (T, error) {
	var v T
	if err := c.call(ctx, method, p, &v); err != nil {
		var zero T
		return zero, err
	}
	return v, nil
}

// callPtr is callAs returning a pointer to the decoded T.
func callPtr[T any](ctx context.Context, c *Client, method string, p *params) (*T, error) {
	var v T
	if err := c.call(ctx, method, p, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// GetSyncInfo calls getsyncinfo, the SDK node's sync progress (mvsd refuses it with
// CodeInvalidCommand).
func (c *Client) GetSyncInfo(ctx context.Context) (*SyncInfo, error) {
	return callPtr[SyncInfo](ctx, c, "getsyncinfo", nil)
}

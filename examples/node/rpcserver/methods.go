package rpcserver

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/rpcclient"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/wire"
)

type handler func(s *Server, ctx context.Context, a *args) (any, error)

// methodDef is one method: the options its parser knows, how many positional arguments it
// takes, and whether it is one the reference gates with administrator credentials (which
// then come as two more positional arguments; this server authenticates with HTTP basic
// auth instead, so they are accepted and ignored).
type methodDef struct {
	opts   map[string]optSpec
	maxPos int
	admin  bool
	fn     handler
}

var (
	flagOpt  = optSpec{flag: true}
	valueOpt = optSpec{}
)

// methods is the dispatch table: the reference's names and aliases.
func methodTable() map[string]methodDef {
	m := map[string]methodDef{
		"getinfo":          {maxPos: 0, admin: true, fn: (*Server).getInfo},
		"getheight":        {maxPos: 0, admin: true, fn: (*Server).getHeight},
		"getbestblockhash": {maxPos: 0, fn: (*Server).getBestBlockHash},
		"getblock":         {opts: map[string]optSpec{"json": valueOpt, "tx_json": valueOpt}, maxPos: 1, fn: (*Server).getBlock},
		"getblockheader":   {opts: map[string]optSpec{"hash": valueOpt, "height": valueOpt}, maxPos: 0, fn: (*Server).getBlockHeader},
		"gettx":            {opts: map[string]optSpec{"json": valueOpt}, maxPos: 1, fn: (*Server).getTx},
		"decoderawtx":      {maxPos: 1, fn: (*Server).decodeRawTx},
		"sendrawtx":        {maxPos: 1, fn: (*Server).sendRawTx},
		"getmemorypool":    {opts: map[string]optSpec{"json": valueOpt}, maxPos: 0, admin: true, fn: (*Server).getMemoryPool},
		"getaddressetp":    {opts: map[string]optSpec{"utxo": flagOpt, "deposited": flagOpt, "range": valueOpt}, maxPos: 1, fn: (*Server).getAddressETP},
		"getaddressasset": {opts: map[string]optSpec{"cert": flagOpt, "utxo": flagOpt, "deposited": flagOpt, "symbol": valueOpt,
			"range": valueOpt, "utxominimumconfirmations": valueOpt}, maxPos: 1, fn: (*Server).getAddressAsset},
		"listtxs": {opts: map[string]optSpec{"address": valueOpt, "symbol": valueOpt, "height": valueOpt, "index": valueOpt, "limit": valueOpt},
			maxPos: 2, fn: (*Server).listTxs},
		"getasset":        {opts: map[string]optSpec{"cert": flagOpt}, maxPos: 1, fn: (*Server).getAsset},
		"listassets":      {maxPos: 2, fn: (*Server).listAssets},
		"getdid":          {maxPos: 1, fn: (*Server).getDID},
		"listdids":        {opts: map[string]optSpec{"index": valueOpt, "limit": valueOpt}, maxPos: 2, fn: (*Server).listDIDs},
		"getmit":          {opts: map[string]optSpec{"trace": flagOpt, "current": flagOpt, "index": valueOpt, "limit": valueOpt}, maxPos: 1, fn: (*Server).getMIT},
		"listmits":        {maxPos: 2, fn: (*Server).listMITs},
		"getpeerinfo":     {maxPos: 0, admin: true, fn: (*Server).getPeerInfo},
		"addnode":         {opts: map[string]optSpec{"operation": valueOpt}, maxPos: 1, admin: true, fn: (*Server).addNode},
		"getmininginfo":   {maxPos: 0, admin: true, fn: (*Server).getMiningInfo},
		"getwork":         {maxPos: 0, admin: true, fn: (*Server).getWork},
		"submitwork":      {maxPos: 3, fn: (*Server).submitWork},
		"validateaddress": {maxPos: 1, fn: (*Server).validateAddress},
		"getsyncinfo":     {maxPos: 0, fn: (*Server).getSyncInfo},
	}
	for alias, name := range map[string]string{"fetch-height": "getheight", "fetch-header": "getblockheader",
		"getbestblockheader": "getblockheader", "gettransaction": "gettx", "fetch-tx": "gettx",
		"fetch-balance": "getaddressetp", "eth_getWork": "getwork", "eth_submitWork": "submitwork"} {
		m[alias] = m[name]
	}
	return m
}

// walletMethods are mvsd's account and wallet commands: this node keeps no keys.
var walletMethods = map[string]bool{
	"getnewaccount": true, "getaccount": true, "deleteaccount": true, "changepasswd": true, "getnewaddress": true,
	"listaddresses": true, "importaccount": true, "dumpkeyfile": true, "exportaccountasfile": true, "importkeyfile": true,
	"importaccountfromfile": true, "importaddress": true, "listbalances": true, "getbalance": true, "lock": true,
	"getlocked": true, "send": true, "didsend": true, "sendmore": true, "didsendmore": true, "sendfrom": true,
	"didsendfrom": true, "createrawtx": true, "signrawtx": true, "getpublickey": true, "getnewmultisig": true,
	"listmultisig": true, "deletemultisig": true, "createmultisigtx": true, "signmultisigtx": true, "createasset": true,
	"deletelocalasset": true, "deleteasset": true, "getaccountasset": true, "issue": true, "secondaryissue": true,
	"additionalissue": true, "sendasset": true, "didsendasset": true, "sendassetfrom": true, "didsendassetfrom": true,
	"sendmoreasset": true, "sendassetmore": true, "burn": true, "swaptoken": true, "transfercert": true, "issuecert": true,
	"registermit": true, "transfermit": true, "registerdid": true, "didchangeaddress": true, "startmining": true,
	"start": true, "stopmining": true, "stop": true, "setminingaccount": true, "registerwitness": true, "getstakeinfo": true,
	"shutdown": true, "popblock": true,
}

func (s *Server) call(ctx context.Context, method string, p rpcclient.Params) (any, error) {
	if walletMethods[method] {
		return nil, errf(rpcclient.CodeInvalidCommand, "%s is not served by this node: it keeps no accounts or keys; "+
			"keys stay in the caller's wallet (build and sign with the SDK's wallet package, send with sendrawtx)", method)
	}
	def, ok := s.methods[method]
	if !ok {
		return nil, errf(rpcclient.CodeInvalidCommand, "The word '%s' is not a mvs-cli command.", method)
	}
	maxPos := def.maxPos
	if def.admin {
		maxPos += 2
	}
	a, err := parse(method, p, def.opts, maxPos)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return def.fn(s, ctx, a)
}

// noAccount refuses the ACCOUNTNAME ACCOUNTAUTH arguments of the list methods: the node
// has no wallet accounts.
func noAccount(a *args) error {
	if len(a.pos) > 0 {
		return errf(rpcclient.CodeAccountNotFound, "%s: this node keeps no wallet accounts; ask by address instead", a.method)
	}
	return nil
}

// ---- chain ----

type tipInfo struct {
	hash   mvs.Hash
	height uint32
	header *block.Header
}

func (s *Server) tip() (tipInfo, error) {
	var t tipInfo
	err := s.cfg.Store.View(func(sn *store.Snapshot) error {
		var err error
		if t.hash, t.height, err = sn.Tip(); err != nil {
			return err
		}
		raw, err := sn.RawBlock(t.hash)
		if err != nil {
			return err
		}
		if len(raw) < block.HeaderSize {
			return fmt.Errorf("%w: tip block", store.ErrCorrupt)
		}
		t.header, err = block.DecodeHeader(raw[:block.HeaderSize])
		return err
	})
	if err != nil {
		return tipInfo{}, errf(rpcclient.CodeBlockLastHeightGet, "reading the tip: %v", err)
	}
	return t, nil
}

func (s *Server) getInfo(ctx context.Context, a *args) (any, error) {
	t, err := s.tip()
	if err != nil {
		return nil, err
	}
	diff, _ := rpcclient.NewUint256String(t.header.Bits.Big())
	info := rpcclient.Info{ProtocolVersion: rpcclient.Uint64(wire.ProtocolVersion), WalletVersion: s.cfg.Version, DatabaseVersion: s.cfg.Version,
		Testnet: s.cfg.Params.Name != "mainnet", Height: rpcclient.Uint64(t.height), Difficulty: diff}
	if s.cfg.Peers != nil {
		info.Peers = rpcclient.Uint64(len(s.cfg.Peers.PeerInfo()))
	}
	n, err := s.countRecords(store.KindAsset)
	if err != nil {
		return nil, err
	}
	info.AssetCount = rpcclient.Uint64(n)
	if s.cfg.Miner != nil {
		mi := s.cfg.Miner.MiningInfo()
		info.IsMining, info.HashRate = mi.IsMining, rpcclient.Uint64(mi.Rate)
	}
	return info, nil
}

func (s *Server) getHeight(ctx context.Context, a *args) (any, error) {
	_, h, err := s.cfg.Store.Tip()
	if err != nil {
		return nil, errf(rpcclient.CodeBlockLastHeightGet, "%v", err)
	}
	return rpcclient.Uint64(h), nil
}

// getSyncInfo is the SDK node's own method: sync progress from Config.Sync.
func (s *Server) getSyncInfo(ctx context.Context, a *args) (any, error) {
	if s.cfg.Sync == nil {
		return nil, errf(rpcclient.CodeInvalidCommand, "The word 'getsyncinfo' is not a mvs-cli command.")
	}
	return s.cfg.Sync(), nil
}

func (s *Server) getBestBlockHash(ctx context.Context, a *args) (any, error) {
	h, _, err := s.cfg.Store.Tip()
	if err != nil {
		return nil, errf(rpcclient.CodeBlockLastHeightGet, "%v", err)
	}
	return h, nil
}

// mainBlock reads the main chain's block at height, or with hash (which must be on the
// main chain: the reference's getblock reads its block database, which holds the main
// chain only).
func (s *Server) mainBlock(byHash bool, hash mvs.Hash, height uint64) (*block.Block, error) {
	var blk *block.Block
	err := s.cfg.Store.View(func(sn *store.Snapshot) error {
		if !byHash {
			if height > uint64(^uint32(0)) {
				return store.ErrNotFound
			}
			h, err := sn.HashAt(uint32(height))
			if err != nil {
				return err
			}
			hash = h
		}
		b, err := sn.Block(hash)
		if err != nil {
			return err
		}
		if at, err := sn.HashAt(b.Header.Height); err != nil || at != hash {
			return fmt.Errorf("%w: block %s is not on the main chain", store.ErrNotFound, hash)
		}
		blk = b
		return nil
	})
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			if byHash {
				return nil, errf(rpcclient.CodeBlockHashGet, "block %s does not exist", hash)
			}
			return nil, errf(rpcclient.CodeBlockHeightGet, "block at height %d does not exist", height)
		}
		return nil, err
	}
	return blk, nil
}

// blockID reads getblock's HASH_OR_HEIGH as the reference does: shorter than 18 characters
// is a height.
func blockID(method, v string) (byHash bool, hash mvs.Hash, height uint64, err error) {
	if len(v) < 18 {
		height, perr := strconv.ParseUint(v, 10, 64)
		if perr != nil {
			return false, hash, 0, errf(rpcclient.CodeCommandParams, "%s: %q is not a height", method, v)
		}
		return false, hash, height, nil
	}
	hash, perr := mvs.ParseHash(v)
	if perr != nil {
		return false, hash, 0, errf(rpcclient.CodeCommandParams, "%s: %q is not a block hash", method, v)
	}
	return true, hash, 0, nil
}

func (s *Server) getBlock(ctx context.Context, a *args) (any, error) {
	v, err := a.need(0, "HASH_OR_HEIGH")
	if err != nil {
		return nil, err
	}
	byHash, hash, height, err := blockID(a.method, v)
	if err != nil {
		return nil, err
	}
	asJSON, err := a.boolOpt("json", true)
	if err != nil {
		return nil, err
	}
	txJSONOpt, err := a.boolOpt("tx_json", true)
	if err != nil {
		return nil, err
	}
	blk, err := s.mainBlock(byHash, hash, height)
	if err != nil {
		return nil, err
	}
	switch {
	case !asJSON:
		return rpcclient.HexBytes(blk.Bytes()), nil
	case !txJSONOpt:
		return blockRawJSON(blk), nil
	}
	return blockJSON(blk, s.cfg.Params), nil
}

func (s *Server) getBlockHeader(ctx context.Context, a *args) (any, error) {
	hv, hasHash, err := a.str("hash")
	if err != nil {
		return nil, err
	}
	height, err := a.uintOpt("height", uint64(^uint32(0)), uint64(^uint32(0)))
	if err != nil {
		return nil, err
	}
	var blk *block.Block
	switch {
	case hasHash:
		h, perr := mvs.ParseHash(hv)
		if perr != nil {
			return nil, errf(rpcclient.CodeCommandParams, "%s: %q is not a block hash", a.method, hv)
		}
		blk, err = s.mainBlock(true, h, 0)
	case height != uint64(^uint32(0)): // the reference's "not given"
		blk, err = s.mainBlock(false, mvs.Hash{}, height)
	default:
		t, terr := s.tip()
		if terr != nil {
			return nil, terr
		}
		blk, err = s.mainBlock(true, t.hash, 0)
	}
	if err != nil {
		var re *rpcError
		if errors.As(err, &re) {
			re.code = rpcclient.CodeBlockHeaderGet
		}
		return nil, err
	}
	return headerJSON(&blk.Header, len(blk.Transactions)), nil
}

func parseTxHash(method, v string) (mvs.Hash, error) {
	h, err := mvs.ParseHash(v)
	if err != nil {
		return h, errf(rpcclient.CodeCommandParams, "%s: %q is not a transaction hash", method, v)
	}
	return h, nil
}

func (s *Server) getTx(ctx context.Context, a *args) (any, error) {
	v, err := a.need(0, "HASH")
	if err != nil {
		return nil, err
	}
	hash, err := parseTxHash(a.method, v)
	if err != nil {
		return nil, err
	}
	asJSON, err := a.boolOpt("json", true)
	if err != nil {
		return nil, err
	}
	var t *tx.Tx
	var height uint64
	info, err := s.cfg.Queries.Tx(hash)
	switch {
	case err == nil:
		t, height = info.Tx, uint64(info.Height)
	case errors.Is(err, store.ErrNotFound):
		if s.cfg.Pool != nil {
			t, _ = s.cfg.Pool.Get(hash)
		}
		if t == nil {
			return nil, errf(rpcclient.CodeTxNotFound, "transaction %s does not exist", hash)
		}
	default:
		return nil, errf(rpcclient.CodeTxFetch, "%v", err)
	}
	if !asJSON {
		return rpcclient.HexBytes(t.Bytes()), nil
	}
	return txJSON(t, s.cfg.Params, &height), nil
}

// decodeTx reads a raw transaction in hex, refusing a malformed one as the reference's
// parser does.
func decodeTx(method, v string) (*tx.Tx, error) {
	raw, err := hex.DecodeString(v)
	if err != nil || len(raw) == 0 {
		return nil, errf(rpcclient.CodeCommandParams, "%s: the transaction is not hex", method)
	}
	t, err := tx.Decode(raw)
	if err != nil {
		return nil, errf(rpcclient.CodeCommandParams, "%s: invalid transaction: %v", method, err)
	}
	return t, nil
}

func (s *Server) decodeRawTx(ctx context.Context, a *args) (any, error) {
	v, err := a.need(0, "TRANSACTION")
	if err != nil {
		return nil, err
	}
	t, err := decodeTx(a.method, v)
	if err != nil {
		return nil, err
	}
	return txJSON(t, s.cfg.Params, nil), nil
}

func (s *Server) sendRawTx(ctx context.Context, a *args) (any, error) {
	v, err := a.need(0, "TRANSACTION")
	if err != nil {
		return nil, err
	}
	t, err := decodeTx(a.method, v)
	if err != nil {
		return nil, err
	}
	var accepted []*tx.Tx
	if s.cfg.Submit != nil {
		err = s.cfg.Submit(t) // the node publishes what its pool accepts
	} else {
		accepted, err = s.cfg.Pool.Accept(t)
	}
	if err != nil {
		// An orphan is not in the pool either: say so, the caller must not count on it.
		return nil, errf(rpcclient.CodeTxValidate, "transaction %s refused: %v", t.Hash(), err)
	}
	for _, a := range accepted { // t and the orphans it let in
		s.PublishTx(a)
	}
	return t.Hash(), nil
}

func (s *Server) getMemoryPool(ctx context.Context, a *args) (any, error) {
	asJSON, err := a.boolOpt("json", true)
	if err != nil {
		return nil, err
	}
	if s.cfg.Pool == nil {
		return nil, errf(rpcclient.CodeGeneric, "this node has no memory pool")
	}
	txs := s.cfg.Pool.Txs()
	if !asJSON {
		out := make([]rpcclient.HexBytes, len(txs))
		for i, t := range txs {
			out[i] = t.Bytes()
		}
		return out, nil
	}
	out := make([]rpcclient.Tx, len(txs))
	for i, t := range txs {
		out[i] = txJSON(t, s.cfg.Params, nil)
	}
	return out, nil
}

// ---- registries ----

// countRecords counts a registry's records by key.
func (s *Server) countRecords(kind store.Kind) (int, error) {
	n := 0
	err := s.forEachKey(kind, func(string) error { n++; return nil })
	return n, err
}

// forEachKey walks a registry's keys in order, through one snapshot.
func (s *Server) forEachKey(kind store.Kind, fn func(key string) error) error {
	return s.cfg.Store.View(func(sn *store.Snapshot) error {
		var after []byte
		for {
			recs, err := sn.Records(kind, nil, after, 256)
			if err != nil {
				return err
			}
			for _, r := range recs {
				if err := fn(string(r.Key)); err != nil {
					return err
				}
			}
			if len(recs) < 256 {
				return nil
			}
			after = recs[len(recs)-1].Key
		}
	})
}

func (s *Server) keys(kind store.Kind) ([]string, error) {
	out := []string{}
	err := s.forEachKey(kind, func(k string) error { out = append(out, k); return nil })
	return out, err
}

func assetJSON(ai *chain.AssetInfo) rpcclient.Asset {
	sec := ai.Threshold >= 128
	return rpcclient.Asset{Symbol: ai.Symbol, Issuer: ai.Issuer, Address: ai.Address, Description: ai.Description,
		MaximumSupply: u64p(ai.MaximumSupply), DecimalNumber: rpcclient.Uint64(ai.Decimals),
		SecondaryIssueThreshold: rpcclient.Uint64(ai.Threshold &^ 128), IsSecondaryIssue: &sec, Status: rpcclient.AssetIssued}
}

func (s *Server) asset(symbol string) (chain.AssetInfo, error) {
	ai, err := s.cfg.Queries.Asset(symbol, 1)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, chain.ErrBadQuery) {
			return ai, errf(rpcclient.CodeAssetSymbolNotFound, "asset %s does not exist", symbol)
		}
		return ai, err
	}
	return ai, nil
}

func (s *Server) getAsset(ctx context.Context, a *args) (any, error) {
	cert, err := a.flag("cert")
	if err != nil {
		return nil, err
	}
	symbol := strings.ToUpper(a.arg(0))
	if symbol == "" {
		if cert {
			return nil, errf(rpcclient.CodeCommandParams, "%s --cert: a symbol is required", a.method)
		}
		return s.keys(store.KindAsset)
	}
	if cert {
		cs, err := s.cfg.Queries.Certs(symbol)
		if err != nil {
			return nil, errf(rpcclient.CodeAssetSymbolNotFound, "%v", err)
		}
		out := []rpcclient.AssetCert{}
		for _, c := range cs.Certs {
			out = append(out, certJSON(&c))
		}
		return out, nil
	}
	// One record per issue, as the reference's asset database keeps them.
	issues, err := s.cfg.Queries.AssetIssues(symbol)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, chain.ErrBadQuery) {
			return nil, errf(rpcclient.CodeAssetSymbolNotFound, "asset %s does not exist", symbol)
		}
		return nil, err
	}
	out := make([]rpcclient.Asset, 0, len(issues))
	for i := range issues {
		out = append(out, assetJSON(&issues[i]))
	}
	return out, nil
}

func certJSON(c *chain.CertInfo) rpcclient.AssetCert {
	out := rpcclient.AssetCert{Symbol: c.Symbol, Owner: c.Owner, Address: c.Address, Cert: certName(c.Type)}
	if c.Type&tx.CertHasContent != 0 {
		out.Content = strp(c.Content)
	}
	return out
}

func (s *Server) listAssets(ctx context.Context, a *args) (any, error) {
	if err := noAccount(a); err != nil {
		return nil, err
	}
	syms, err := s.keys(store.KindAsset)
	if err != nil {
		return nil, err
	}
	out := []rpcclient.Asset{}
	for _, sym := range syms {
		ai, err := s.asset(sym)
		if err != nil {
			return nil, err
		}
		out = append(out, assetJSON(&ai))
	}
	return out, nil
}

func (s *Server) getDID(ctx context.Context, a *args) (any, error) {
	v := a.arg(0)
	if v == "" {
		return s.keys(store.KindDID)
	}
	var info chain.DIDInfo
	var err error
	if addr, aerr := mvs.DecodeAddress(v, s.cfg.Params); aerr == nil {
		info, err = s.cfg.Queries.DIDOf(addr)
	} else {
		info, err = s.cfg.Queries.DID(v)
	}
	if err != nil {
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, chain.ErrBadQuery) {
			return nil, errf(rpcclient.CodeDIDSymbolNotFound, "did %s does not exist", v)
		}
		return nil, err
	}
	// Newest first: the current binding, then the earlier ones.
	out := []rpcclient.DIDRecord{{Address: info.Address, Status: "current", Symbol: info.Symbol}}
	for i := len(info.History) - 1; i >= 0; i-- {
		h := info.History[i]
		if i == len(info.History)-1 && h.Address == info.Address {
			continue // the current binding, printed above
		}
		out = append(out, rpcclient.DIDRecord{Address: h.Address, Status: "history", Symbol: h.Symbol})
	}
	return out, nil
}

// page reads --index (from 1) and --limit (1..100) as the reference's paged commands do.
func page(a *args) (index, limit uint64, err error) {
	if index, err = a.uintOpt("index", 1, 1<<32-1); err != nil {
		return 0, 0, err
	}
	if limit, err = a.uintOpt("limit", rpcclient.MaxPageLimit, rpcclient.MaxPageLimit); err != nil {
		return 0, 0, err
	}
	if index == 0 || limit == 0 {
		return 0, 0, errf(rpcclient.CodeArgumentLegality, "%s: index and limit start at 1", a.method)
	}
	return index, limit, nil
}

func pageBounds(total, index, limit uint64) (lo, hi, pages uint64) {
	pages = (total + limit - 1) / limit
	lo = min((index-1)*limit, total)
	hi = min(lo+limit, total)
	return lo, hi, pages
}

func (s *Server) listDIDs(ctx context.Context, a *args) (any, error) {
	if err := noAccount(a); err != nil {
		return nil, err
	}
	index, limit, err := page(a)
	if err != nil {
		return nil, err
	}
	syms, err := s.keys(store.KindDID)
	if err != nil {
		return nil, err
	}
	total := uint64(len(syms))
	lo, hi, pages := pageBounds(total, index, limit)
	if lo >= hi && total > 0 {
		return nil, errf(rpcclient.CodeArgumentLegality, "no record in this page")
	}
	out := rpcclient.DIDPage{TotalCount: rpcclient.Uint64(total), TotalPage: rpcclient.Uint64(pages), CurrentPage: rpcclient.Uint64(index), DIDs: []rpcclient.DIDRecord{}}
	for _, sym := range syms[lo:hi] {
		d, err := s.cfg.Queries.DID(sym)
		if err != nil {
			return nil, err
		}
		out.DIDs = append(out.DIDs, rpcclient.DIDRecord{Address: d.Address, Status: "registered", Symbol: d.Symbol})
	}
	return out, nil
}

func (s *Server) mitJSON(m *chain.MITInfo) (rpcclient.MIT, error) {
	out := rpcclient.MIT{Height: u64p(uint64(m.LastHeight)), Symbol: m.Symbol, Address: m.Address, Status: "transfered"}
	if m.Status == tx.MITStatusRegister {
		out.Status = "registered"
	}
	if m.Status == tx.MITStatusRegister {
		out.Content = strp(m.Content) // the reference prints content for a registration
	}
	hs, err := s.cfg.Queries.Headers(m.LastHeight, 1)
	if err != nil || len(hs) == 0 {
		return out, fmt.Errorf("rpcserver: MIT %s: header at %d: %v", m.Symbol, m.LastHeight, err)
	}
	out.Timestamp = u64p(uint64(hs[0].Timestamp))
	toDID := ""
	if addr, err := mvs.DecodeAddress(m.Address, s.cfg.Params); err == nil {
		if d, err := s.cfg.Queries.DIDOf(addr); err == nil {
			toDID = d.Symbol
		}
	}
	out.ToDID = &toDID
	return out, nil
}

func (s *Server) getMIT(ctx context.Context, a *args) (any, error) {
	trace, err := a.flag("trace")
	if err != nil {
		return nil, err
	}
	current, err := a.flag("current")
	if err != nil {
		return nil, err
	}
	symbol := a.arg(0)
	if symbol == "" {
		if trace {
			return nil, errf(rpcclient.CodeCommandParams, "%s --trace: a symbol is required", a.method)
		}
		return s.keys(store.KindMIT)
	}
	if trace {
		return s.mitTrace(a, symbol)
	}
	m, err := s.cfg.Queries.MIT(symbol)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, chain.ErrBadQuery) {
			return nil, nil // the reference answers null
		}
		return nil, err
	}
	j, err := s.mitJSON(&m.MITInfo)
	if current {
		j.Content = strp(m.Content) // --current always prints the content
	}
	return j, err
}

// mitTrace is getmit --trace: the MIT's registration and transfers, newest first, one page.
func (s *Server) mitTrace(a *args, symbol string) (any, error) {
	index, limit, err := page(a)
	if err != nil {
		return nil, err
	}
	es, err := chain.NewStoreState(s.cfg.Store, s.cfg.Params).History(chain.HistoryMIT, symbol, 0)
	if err != nil {
		return nil, err
	}
	out := []rpcclient.MIT{}
	lo, hi, _ := pageBounds(uint64(len(es)), index, limit)
	if lo >= hi {
		return out, nil
	}
	var content string
	if m, err := s.cfg.Queries.MIT(symbol); err == nil {
		content = m.Content
	}
	for i := lo; i < hi; i++ {
		e := es[len(es)-1-int(i)]
		m := chain.MITInfo{Symbol: e.Symbol, Address: e.Address, Status: uint8(e.Status), LastHeight: e.Height, Content: content}
		if m.Symbol == "" {
			m.Symbol = symbol
		}
		j, err := s.mitJSON(&m)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, nil
}

func (s *Server) listMITs(ctx context.Context, a *args) (any, error) {
	if err := noAccount(a); err != nil {
		return nil, err
	}
	syms, err := s.keys(store.KindMIT)
	if err != nil {
		return nil, err
	}
	out := []rpcclient.MIT{}
	for _, sym := range syms {
		m, err := s.cfg.Queries.MIT(sym)
		if err != nil {
			return nil, err
		}
		j, err := s.mitJSON(&m.MITInfo)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, nil
}

// ---- peers and mining ----

func (s *Server) getPeerInfo(ctx context.Context, a *args) (any, error) {
	if s.cfg.Peers == nil {
		return []string{}, nil
	}
	ps := s.cfg.Peers.PeerInfo()
	if ps == nil {
		ps = []string{}
	}
	return ps, nil
}

func (s *Server) addNode(ctx context.Context, a *args) (any, error) {
	op, _, err := a.str("operation")
	if err != nil {
		return nil, err
	}
	if op == "" {
		op = rpcclient.AddNodeAdd
	}
	addr := a.arg(0)
	if s.cfg.Peers == nil {
		return nil, errf(rpcclient.CodeGeneric, "this node has no peer manager")
	}
	switch op {
	case "list":
		if l, ok := s.cfg.Peers.(NodeLister); ok {
			return l.NodeList(), nil
		}
		ps := s.cfg.Peers.PeerInfo()
		if ps == nil {
			ps = []string{}
		}
		return rpcclient.NodeList{Seeds: []string{}, Peers: ps, Banned: []string{}, ManualBanned: []string{}}, nil
	case rpcclient.AddNodeAdd, rpcclient.AddNodeBan, rpcclient.AddNodePeer:
		if addr == "" {
			return nil, errf(rpcclient.CodeCommandParams, "%s --operation %s: NODEADDRESS is required", a.method, op)
		}
	case rpcclient.AddNodeReseed:
	default:
		return nil, errf(rpcclient.CodeCommandParams, "%s: unknown operation %q (add, ban, peer, list, reseed)", a.method, op)
	}
	if err := s.cfg.Peers.AddNode(addr, op); err != nil {
		return nil, errf(rpcclient.CodeGeneric, "%s %s %s: %v", a.method, op, addr, err)
	}
	return "success", nil
}

func (s *Server) getMiningInfo(ctx context.Context, a *args) (any, error) {
	if s.cfg.Miner != nil {
		return s.cfg.Miner.MiningInfo(), nil
	}
	t, err := s.tip()
	if err != nil {
		return nil, err
	}
	diff, _ := rpcclient.NewUint256String(t.header.Bits.Big())
	return rpcclient.MiningInfo{Height: rpcclient.Uint64String(t.height), Difficulty: diff, BlockType: "pow"}, nil
}

func (s *Server) getWork(ctx context.Context, a *args) (any, error) {
	if s.cfg.Miner == nil {
		return nil, errf(rpcclient.CodeSettingRequired, "Use command <setminingaccount> to set mining address.")
	}
	w, err := s.cfg.Miner.GetWork()
	if err != nil {
		if errors.Is(err, ErrNoMiningAccount) {
			return nil, errf(rpcclient.CodeSettingRequired, "Use command <setminingaccount> to set mining address.")
		}
		return nil, err
	}
	return w, nil
}

// parse0x reads "0x" and exactly n hex digits.
func parse0x(v string, n int) ([]byte, bool) {
	h, ok := strings.CutPrefix(v, "0x")
	if !ok || len(h) != n {
		return nil, false
	}
	b, err := hex.DecodeString(h)
	return b, err == nil
}

func (s *Server) submitWork(ctx context.Context, a *args) (any, error) {
	if len(a.pos) != 3 {
		return nil, errf(rpcclient.CodeCommandParams, "%s: NONCE HEADERHASH MIXHASH are required", a.method)
	}
	nb, ok1 := parse0x(a.pos[0], 16)
	hb, ok2 := parse0x(a.pos[1], 64)
	mb, ok3 := parse0x(a.pos[2], 64)
	if !ok1 || !ok2 || !ok3 {
		// v3 takes the nonce "as is" only with 0x (v1/v2 XOR it); refuse anything else rather
		// than guess.
		return nil, errf(rpcclient.CodeCommandParams, "%s: want 0x+16 hex nonce, 0x+64 hex header hash and mix hash", a.method)
	}
	if s.cfg.Miner == nil {
		return nil, errf(rpcclient.CodeSettingRequired, "Use command <setminingaccount> to set mining address.")
	}
	var nonce uint64
	for _, b := range nb {
		nonce = nonce<<8 | uint64(b)
	}
	var ph, mix [32]byte
	copy(ph[:], hb)
	copy(mix[:], mb)
	return s.cfg.Miner.SubmitWork(nonce, ph, mix)
}

func (s *Server) validateAddress(ctx context.Context, a *args) (any, error) {
	v, err := a.need(0, "ADDRESS")
	if err != nil {
		return nil, err
	}
	testnet := s.cfg.Params.Name != "mainnet"
	out := rpcclient.AddressValidation{AddressType: "none", Testnet: testnet, Message: "invalid address!"}
	addr, err := mvs.DecodeAddress(v, s.cfg.Params)
	if err != nil {
		return out, nil
	}
	out.IsValid, out.Message = true, "valid address "
	switch addr.Kind {
	case mvs.PubKeyHash:
		out.AddressType = "p2kh(main-net)"
		if testnet {
			out.AddressType = "p2kh(test-net)"
		}
	case mvs.ScriptHash:
		out.AddressType = "p2sh(multi-signature)"
	case mvs.Blackhole:
		out.AddressType = "p2blackhole"
	}
	return out, nil
}

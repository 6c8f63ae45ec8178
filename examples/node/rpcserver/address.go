package rpcserver

import (
	"context"
	"encoding/hex"
	"errors"
	"sort"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/rpcclient"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/tx/script"
)

// resolve reads an address or a DID (resolved to its current address), as the
// reference's get_address does.
func (s *Server) resolve(method, v string) (mvs.Address, error) {
	if v == "" {
		return mvs.Address{}, errf(rpcclient.CodeCommandParams, "%s: the option '--ADDRESS' is required but missing", method)
	}
	if addr, err := mvs.DecodeAddress(v, s.cfg.Params); err == nil {
		return addr, nil
	}
	d, err := s.cfg.Queries.DID(v)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, chain.ErrBadQuery) {
			return mvs.Address{}, errf(rpcclient.CodeAddressInvalid, "invalid address or did %s", v)
		}
		return mvs.Address{}, err
	}
	addr, err := mvs.DecodeAddress(d.Address, s.cfg.Params)
	if err != nil {
		return mvs.Address{}, errf(rpcclient.CodeAddressInvalid, "did %s is bound to %q, not an address of this network", v, d.Address)
	}
	return addr, nil
}

// utxos is every unspent output of addr, through the paged query.
func (s *Server) utxos(addr mvs.Address) ([]chain.AddressUTXO, error) {
	var out []chain.AddressUTXO
	cursor := ""
	for {
		p, err := s.cfg.Queries.UTXOsPage(addr, cursor, chain.MaxPage)
		if err != nil {
			return nil, err
		}
		out = append(out, p.UTXOs...)
		if p.Next == "" {
			return out, nil
		}
		cursor = p.Next
	}
}

// history is every transaction touching addr, oldest first.
func (s *Server) history(ctx context.Context, addr mvs.Address) ([]chain.AddressTx, error) {
	var out []chain.AddressTx
	seen := map[string]bool{}
	cursor := ""
	for {
		if err := ctx.Err(); err != nil {
			return nil, err // the call's timeout: a long history must not hold a slot forever
		}
		p, err := s.cfg.Queries.History(addr, cursor, chain.MaxPage)
		if err != nil {
			return nil, err
		}
		for _, t := range p.Txs {
			if !seen[t.TxID] {
				seen[t.TxID] = true
				out = append(out, t)
			}
		}
		if p.Next == "" {
			return out, nil
		}
		cursor = p.Next
	}
}

func (s *Server) getAddressETP(ctx context.Context, a *args) (any, error) {
	utxo, err := a.flag("utxo")
	if err != nil {
		return nil, err
	}
	deposited, err := a.flag("deposited")
	if err != nil {
		return nil, err
	}
	lo, hi, hasRange, err := a.rangeOpt("range")
	if err != nil {
		return nil, err
	}
	addr, err := s.resolve(a.method, a.arg(0))
	if err != nil {
		return nil, err
	}
	switch {
	case deposited:
		return s.deposits(addr)
	case utxo:
		us, err := s.utxos(addr)
		if err != nil {
			return nil, err
		}
		out := []rpcclient.UTXO{}
		for _, u := range us {
			if u.Symbol != "" || (hasRange && (u.Value < lo || u.Value >= hi)) {
				continue
			}
			out = append(out, etpUTXO(&u))
		}
		return out, nil
	}
	b, err := s.cfg.Queries.Balance(addr)
	if err != nil {
		return nil, err
	}
	received, err := s.received(ctx, addr)
	if err != nil {
		return nil, err
	}
	return rpcclient.AddressBalance{Address: addr.String(), Confirmed: rpcclient.Uint64(b.ETP.Total), Received: rpcclient.Uint64(received),
		Unspent: rpcclient.Uint64(b.ETP.Total), Frozen: rpcclient.Uint64(b.ETP.Total - b.ETP.Spendable), Available: rpcclient.Uint64(b.ETP.Spendable)}, nil
}

func etpUTXO(u *chain.AddressUTXO) rpcclient.UTXO {
	avail := uint64(0)
	if u.Lock == chain.Spendable {
		avail = u.Value
	}
	h, _ := mvs.ParseHash(u.TxID)
	return rpcclient.UTXO{Available: rpcclient.Uint64(avail), Balance: rpcclient.Uint64(u.Value), Frozen: rpcclient.Uint64(u.Value - avail),
		Block: rpcclient.Uint64(u.Height), Hash: h, Index: rpcclient.Uint64(u.Index)}
}

// received is the ETP ever paid to addr on the main chain (the reference's total_received:
// every output to the address, spent or not).
func (s *Server) received(ctx context.Context, addr mvs.Address) (uint64, error) {
	hs, err := s.history(ctx, addr)
	if err != nil {
		return 0, err
	}
	want := script.PayToAddress(addr)
	var sum uint64
	for _, h := range hs {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		id, err := mvs.ParseHash(h.TxID)
		if err != nil {
			return 0, err
		}
		info, err := s.cfg.Queries.Tx(id)
		if err != nil {
			return 0, err
		}
		for i := range info.Tx.Outputs {
			o := &info.Tx.Outputs[i]
			if a, ok := script.Script(o.Script).Address(s.cfg.Params); (ok && a == addr) || string(o.Script) == string(want) {
				sum += uint64(o.Value)
			}
		}
	}
	return sum, nil
}

func (s *Server) getAddressAsset(ctx context.Context, a *args) (any, error) {
	cert, err := a.flag("cert")
	if err != nil {
		return nil, err
	}
	utxo, err := a.flag("utxo")
	if err != nil {
		return nil, err
	}
	deposited, err := a.flag("deposited")
	if err != nil {
		return nil, err
	}
	symbol, _, err := a.str("symbol")
	if err != nil {
		return nil, err
	}
	lo, hi, hasRange, err := a.rangeOpt("range")
	if err != nil {
		return nil, err
	}
	minConf, err := a.uintOpt("utxominimumconfirmations", 3, 1<<32-1)
	if err != nil {
		return nil, err
	}
	addr, err := s.resolve(a.method, a.arg(0))
	if err != nil {
		return nil, err
	}
	switch {
	case deposited:
		return s.assetDeposits(addr, symbol)
	case cert:
		us, err := s.utxos(addr)
		if err != nil {
			return nil, err
		}
		out := []rpcclient.AssetCert{}
		seen := map[string]bool{}
		for _, u := range us {
			if u.Attachment != tx.TypeAssetCert.String() || (symbol != "" && u.Symbol != symbol) || seen[u.Symbol] {
				continue
			}
			seen[u.Symbol] = true
			cs, err := s.cfg.Queries.Certs(u.Symbol)
			if err != nil {
				return nil, err
			}
			for _, c := range cs.Certs {
				if c.Address == addr.String() {
					out = append(out, certJSON(&c))
				}
			}
		}
		return out, nil
	case utxo:
		us, err := s.utxos(addr)
		if err != nil {
			return nil, err
		}
		out := []rpcclient.UTXO{}
		for _, u := range us {
			if u.Attachment != tx.TypeAsset.String() || (symbol != "" && u.Symbol != symbol) || uint64(u.Confirmations) < minConf ||
				(hasRange && (u.Quantity < lo || u.Quantity >= hi)) {
				continue
			}
			avail := uint64(0)
			switch u.Lock {
			case chain.Spendable:
				avail = u.Quantity
			case chain.AttenuationLocked:
				avail = u.Released
			}
			h, _ := mvs.ParseHash(u.TxID)
			out = append(out, rpcclient.UTXO{Available: rpcclient.Uint64(avail), Balance: rpcclient.Uint64(u.Quantity),
				Frozen: rpcclient.Uint64(u.Quantity - avail), Block: rpcclient.Uint64(u.Height), Hash: h, Index: rpcclient.Uint64(u.Index), Symbol: u.Symbol})
		}
		return out, nil
	}
	b, err := s.cfg.Queries.Balance(addr)
	if err != nil {
		return nil, err
	}
	out := []rpcclient.Asset{}
	for _, ab := range b.Assets {
		if symbol != "" && ab.Symbol != symbol {
			continue
		}
		ai, err := s.asset(ab.Symbol)
		if err != nil {
			return nil, err
		}
		j := assetJSON(&ai)
		j.Address, j.MaximumSupply, j.IsSecondaryIssue, j.Status = addr.String(), nil, nil, rpcclient.AssetUnspent
		j.Quantity, j.LockedQuantity = u64p(ab.Total), u64p(ab.Total-ab.Spendable)
		out = append(out, j)
	}
	return out, nil
}

func (s *Server) listTxs(ctx context.Context, a *args) (any, error) {
	if err := noAccount(a); err != nil {
		return nil, err
	}
	av, ok, err := a.str("address")
	if err != nil {
		return nil, err
	}
	if !ok || av == "" {
		return nil, errf(rpcclient.CodeAccountNotFound, "%s: this node keeps no wallet accounts; give --address", a.method)
	}
	symbol, _, err := a.str("symbol")
	if err != nil {
		return nil, err
	}
	hlo, hhi, hasHeight, err := a.rangeOpt("height")
	if err != nil {
		return nil, err
	}
	index, limit, err := page(a)
	if err != nil {
		return nil, err
	}
	addr, err := s.resolve(a.method, av)
	if err != nil {
		return nil, err
	}
	hs, err := s.history(ctx, addr)
	if err != nil {
		return nil, err
	}
	// Newest first, as the reference pages them.
	var sel []chain.AddressTx
	for i := len(hs) - 1; i >= 0; i-- {
		h := hs[i]
		if hasHeight && (uint64(h.Height) < hlo || uint64(h.Height) >= hhi) {
			continue
		}
		sel = append(sel, h)
	}
	var txs []*chain.TxInfo
	if symbol != "" {
		// The symbol filter needs each transaction; it is applied before paging.
		var kept []chain.AddressTx
		for _, h := range sel {
			info, err := s.txInfo(h.TxID)
			if err != nil {
				return nil, err
			}
			if touchesSymbol(info.Tx, symbol) {
				kept = append(kept, h)
				txs = append(txs, info)
			}
		}
		sel = kept
	}
	total := uint64(len(sel))
	lo, hi, pages := pageBounds(total, index, limit)
	if lo >= hi {
		return nil, errf(rpcclient.CodeArgumentLegality, "no record in this page")
	}
	out := rpcclient.TxPage{TotalPage: rpcclient.Uint64(pages), CurrentPage: rpcclient.Uint64(index),
		TransactionCount: rpcclient.Uint64(hi - lo), Transactions: []rpcclient.TxSummary{}}
	for i := lo; i < hi; i++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var info *chain.TxInfo
		if txs != nil {
			info = txs[i]
		} else if info, err = s.txInfo(sel[i].TxID); err != nil {
			return nil, err
		}
		out.Transactions = append(out.Transactions, s.txSummary(info, addr))
	}
	return out, nil
}

func (s *Server) txInfo(id string) (*chain.TxInfo, error) {
	h, err := mvs.ParseHash(id)
	if err != nil {
		return nil, err
	}
	info, err := s.cfg.Queries.Tx(h)
	if err != nil {
		return nil, err
	}
	return &info, nil
}

func touchesSymbol(t *tx.Tx, symbol string) bool {
	for i := range t.Outputs {
		switch p := t.Outputs[i].Attachment.Payload.(type) {
		case *tx.AssetDetail:
			if p.Symbol == symbol {
				return true
			}
		case *tx.AssetTransfer:
			if p.Symbol == symbol {
				return true
			}
		}
	}
	return false
}

// txSummary is a listtxs entry for addr: "own" is whether an output pays addr, and the
// direction is "send" when an input is signed by addr.
func (s *Server) txSummary(info *chain.TxInfo, addr mvs.Address) rpcclient.TxSummary {
	j := txJSON(info.Tx, s.cfg.Params, nil)
	out := rpcclient.TxSummary{Hash: info.Tx.Hash(), Height: rpcclient.Uint64(info.Height), Timestamp: rpcclient.Uint64(info.Timestamp),
		Direction: "receive", Inputs: []rpcclient.TxSummaryInput{}, Outputs: []rpcclient.TxSummaryOutput{}}
	for _, in := range j.Inputs {
		si := rpcclient.TxSummaryInput{Script: in.Script}
		if in.Address != "" {
			si.Address = strp(in.Address)
			if in.Address == addr.String() {
				out.Direction = "send"
			}
		}
		out.Inputs = append(out.Inputs, si)
	}
	for _, o := range j.Outputs {
		so := rpcclient.TxSummaryOutput{Script: o.Script, LockedHeightRange: o.LockedHeightRange, ETPValue: o.Value,
			AttenuationModelParam: o.AttenuationModelParam, Attachment: o.Attachment}
		if o.Address != "" {
			own := o.Address == addr.String()
			so.Address, so.Own = strp(o.Address), &own
		}
		out.Outputs = append(out.Outputs, so)
	}
	return out
}

// assetDeposits is getaddressasset --deposited: the address's attenuation-locked MST outputs
// with a locked part, as the reference's sync_fetch_asset_deposited_balance lists them.
func (s *Server) assetDeposits(addr mvs.Address, symbol string) (any, error) {
	us, err := s.utxos(addr)
	if err != nil {
		return nil, err
	}
	out := []rpcclient.AssetDeposit{}
	for _, u := range us {
		if u.Attachment != tx.TypeAsset.String() || u.Lock != chain.AttenuationLocked || u.Quantity <= u.Released ||
			(symbol != "" && u.Symbol != symbol) {
			continue
		}
		raw, err := hex.DecodeString(u.Script)
		if err != nil {
			return nil, err
		}
		param, _, ok := script.AttenuationParams(raw)
		if !ok {
			continue // locked by another rule: not an attenuation deposit
		}
		ai, err := s.cfg.Queries.Asset(u.Symbol, 1)
		if err != nil {
			continue // the reference skips a symbol it cannot find issued
		}
		h, err := mvs.ParseHash(u.TxID)
		if err != nil {
			return nil, err
		}
		out = append(out, rpcclient.AssetDeposit{Symbol: u.Symbol, Address: addr.String(), TxHeight: rpcclient.Uint64(u.Height),
			TxHash: h, DecimalNumber: rpcclient.Uint64(ai.Decimals), Quantity: rpcclient.Uint64(u.Quantity),
			LockedQuantity: rpcclient.Uint64(u.Quantity - u.Released), AttenuationModelParam: *modelJSON(param), Status: rpcclient.AssetUnspent})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Symbol != out[j].Symbol {
			return out[i].Symbol < out[j].Symbol
		}
		return out[i].TxHeight < out[j].TxHeight
	})
	return out, nil
}

// deposits is getaddressetp --deposited as the reference's sync_fetch_deposited_balance
// computes it: each unspent deposit output of addr (a PayKeyHashWithLockHeight script) still
// locked at the tip (its lock height above the blocks since its block), one entry per
// transaction, its value as deposited_balance, deposited_height the lock height (the
// script's number, cast as the reference casts it), expiration_height the block's height
// plus that. The reference keys its entries by the hash of the transaction it fetched by
// the output's own hash, so its bonus branch never runs: bonus_balance is always 0, and the
// interest a coinbase pays to a deposit is its own entry under the coinbase's hash. Several
// deposit outputs of one transaction leave the last one's value, as there.
func (s *Server) deposits(addr mvs.Address) ([]rpcclient.Deposit, error) {
	us, err := s.utxos(addr)
	if err != nil {
		return nil, err
	}
	_, tipH, err := s.cfg.Store.Tip()
	if err != nil {
		return nil, err
	}
	tip := uint64(tipH)
	out := []rpcclient.Deposit{}
	at := map[mvs.Hash]int{}
	for _, u := range us {
		raw, err := hex.DecodeString(u.Script)
		if err != nil {
			return nil, err
		}
		lock, ok := script.DepositLockHeight(raw)
		if !ok {
			continue
		}
		lockHeight := uint64(lock)
		var since uint64
		if uint64(u.Height) < tip {
			since = tip - uint64(u.Height)
		}
		if lockHeight <= since {
			continue // released
		}
		txid, err := mvs.ParseHash(u.TxID)
		if err != nil {
			return nil, err
		}
		if i, ok := at[txid]; ok {
			out[i].DepositedBalance = rpcclient.Uint64(u.Value)
			continue
		}
		at[txid] = len(out)
		out = append(out, rpcclient.Deposit{Address: addr.String(), DepositedBalance: rpcclient.Uint64(u.Value),
			DepositedHeight: rpcclient.Uint64(lockHeight), ExpirationHeight: rpcclient.Uint64(uint64(u.Height) + lockHeight), TxHash: txid})
	}
	return out, nil
}

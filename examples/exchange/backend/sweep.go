package backend

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/rpcclient"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/wallet"
)

// DefaultSweepInputs bounds the inputs of one sweep (the wallet's limit is MaxInputs).
const DefaultSweepInputs = 100

// RequestSweep builds a transfer of credited ETP deposits, still on their deposit
// addresses, to hot-wallet address 0: the exchange's own money moving, so no user is
// debited (the fee is the exchange's). Only outputs the ledger credited are taken (not
// pending, locked or unassigned ones, nor those holding an MST), at most maxInputs
// (DefaultSweepInputs when 0). It goes to the signer and back through SubmitSigned and is
// tracked as a withdrawal with Sweep set. Nothing to sweep is ErrNothingToSweep.
func (s *Service) RequestSweep(ctx context.Context, id string, maxInputs int) (*Withdrawal, error) {
	if id == "" {
		return nil, fmt.Errorf("%w: a sweep needs an id", ErrInvalidRequest)
	}
	s.wdMu.Lock()
	defer s.wdMu.Unlock()
	done, tip, hot, err := s.sweepStart(ctx, id, "")
	if done != nil || err != nil {
		return done, err
	}
	maxInputs = sweepInputs(maxInputs)
	coins, total, _, err := s.depositCoins(ctx, "", maxInputs)
	if err != nil {
		return nil, err
	}
	if total <= s.cfg.Fee+s.p.MinTxFee {
		return nil, fmt.Errorf("%w: %d credited outputs hold %s ETP", ErrNothingToSweep, len(coins), total)
	}
	b := &wallet.Builder{Params: s.p, TipHeight: uint32(tip), Fee: s.cfg.Fee, ChangeAddress: hot,
		MinConfirmations: s.cfg.Confirmations, Coins: coins}
	u, err := b.Send(wallet.Payment{To: hot, Amount: total - s.cfg.Fee})
	if err != nil {
		return nil, fmt.Errorf("exchange: build sweep %s: %w", id, err)
	}
	fee, err := u.Fee()
	if err != nil {
		return nil, err
	}
	r := WithdrawalRequest{ID: id, To: hot.String(), Amount: total - s.cfg.Fee}
	if err := s.recordWithdrawal(ctx, r, hot, u, fee, tip, true); err != nil {
		return nil, fmt.Errorf("exchange: sweep %s: %w", id, err)
	}
	s.log.Info("exchange: sweep built", "id", id, "inputs", len(u.Tx.Inputs), "amount", r.Amount, "fee", fee)
	return s.Withdrawal(ctx, id)
}

// RequestAssetSweep is RequestSweep for the credited deposits of MST symbol: their whole
// quantity goes to hot-wallet address 0 in one transfer (at most maxInputs deposit outputs),
// any ETP they carry with it as change, the fee paid from the hot wallet's ETP. Without it
// the MST deposits stayed on their addresses and MST withdrawals could only spend what was
// paid into the hot wallet directly.
func (s *Service) RequestAssetSweep(ctx context.Context, id, symbol string, maxInputs int) (*Withdrawal, error) {
	if id == "" || symbol == "" {
		return nil, fmt.Errorf("%w: an asset sweep needs an id and a symbol", ErrInvalidRequest)
	}
	s.wdMu.Lock()
	defer s.wdMu.Unlock()
	done, tip, hot, err := s.sweepStart(ctx, id, symbol)
	if done != nil || err != nil {
		return done, err
	}
	maxInputs = sweepInputs(maxInputs)
	coins, _, qty, err := s.depositCoins(ctx, symbol, maxInputs)
	if err != nil {
		return nil, err
	}
	if qty == 0 {
		return nil, fmt.Errorf("%w: no credited %s output", ErrNothingToSweep, symbol)
	}
	// The fee from the hot wallet's ETP.
	fund, err := s.hotCoins(ctx, "")
	if err != nil {
		return nil, err
	}
	reserved, err := s.reservedOutpoints(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range fund {
		if _, isAsset := c.Attachment.Payload.(*tx.AssetTransfer); !reserved[c.OutPoint] && !isAsset {
			coins = append(coins, c)
		}
	}
	b := &wallet.Builder{Params: s.p, TipHeight: uint32(tip), Fee: s.cfg.Fee, ChangeAddress: hot,
		MinConfirmations: s.cfg.Confirmations, Coins: coins}
	u, err := b.SendAsset(hot, symbol, qty, "", "")
	if err != nil {
		return nil, fmt.Errorf("exchange: build sweep %s of %s: %w", id, symbol, err)
	}
	fee, err := u.Fee()
	if err != nil {
		return nil, err
	}
	r := WithdrawalRequest{ID: id, To: hot.String(), Symbol: symbol, Quantity: qty}
	if err := s.recordWithdrawal(ctx, r, hot, u, fee, tip, true); err != nil {
		return nil, fmt.Errorf("exchange: sweep %s: %w", id, err)
	}
	s.log.Info("exchange: asset sweep built", "id", id, "symbol", symbol, "inputs", len(u.Tx.Inputs), "quantity", qty, "fee", fee)
	return s.Withdrawal(ctx, id)
}

// depositCoins reads from the node the unspent outputs the ledger credited on deposit
// addresses, no open withdrawal holds, of ETP alone (symbol "") or of MST symbol, at most
// maxInputs, each with its previous transaction and key origin, and their ETP and asset
// totals (the asset total kept within 2^63-1, the ledger's range).
func (s *Service) depositCoins(ctx context.Context, symbol string, maxInputs int) ([]wallet.Coin, mvs.Amount, uint64, error) {
	// Largest first: in the order of arrival, dust paid to deposit addresses early (by
	// anyone, for a few satoshis) filled every sweep's inputs with less than its fee, and no
	// sweep could ever be built again.
	order := "value DESC"
	if symbol != "" {
		order = "quantity DESC"
	}
	rows, err := s.st.db.QueryContext(ctx, s.st.q(`SELECT txid, vout, addr_index, address FROM deposits
		WHERE status = ? AND symbol = ? ORDER BY `+order+`, height, txid, vout`), DepositCredited, symbol)
	if err != nil {
		return nil, 0, 0, err
	}
	credited := map[string]bool{}
	var addrs []uint32
	addrOf := map[uint32]string{}
	for rows.Next() {
		var txid, addr string
		var vout, idx int64
		if err := rows.Scan(&txid, &vout, &idx, &addr); err != nil {
			rows.Close()
			return nil, 0, 0, err
		}
		credited[fmt.Sprintf("%s:%d", txid, vout)] = true
		if _, ok := addrOf[uint32(idx)]; !ok {
			addrs = append(addrs, uint32(idx))
			addrOf[uint32(idx)] = addr
		}
	}
	if err := rows.Close(); err != nil {
		return nil, 0, 0, err
	}
	reserved, err := s.reservedOutpoints(ctx)
	if err != nil {
		return nil, 0, 0, err
	}
	var coins []wallet.Coin
	var total mvs.Amount
	var qty uint64
	prevs := map[mvs.Hash]*tx.Tx{}
	for _, idx := range addrs {
		if len(coins) >= maxInputs {
			break
		}
		var utxos []rpcclient.UTXO
		if symbol == "" {
			utxos, err = s.node.GetAddressUTXOs(ctx, addrOf[idx], nil)
		} else {
			utxos, err = s.node.GetAddressAssetUTXOs(ctx, addrOf[idx], symbol, nil, 0)
		}
		if err != nil {
			return nil, 0, 0, fmt.Errorf("exchange: coins of %s: %w", addrOf[idx], err)
		}
		// The node's figure orders them only; the value taken is the previous transaction's.
		slices.SortStableFunc(utxos, func(a, b rpcclient.UTXO) int { return cmp.Compare(b.Balance, a.Balance) })
		for _, u := range utxos {
			if len(coins) >= maxInputs {
				break
			}
			if uint64(u.Index) > math.MaxUint32 || uint64(u.Block) > math.MaxUint32 {
				return nil, 0, 0, fmt.Errorf("%w: utxo %s:%d at height %d", ErrNodeAnswer, u.Hash, u.Index, u.Block)
			}
			op := tx.OutPoint{Hash: u.Hash, Index: uint32(u.Index)}
			if !credited[fmt.Sprintf("%s:%d", u.Hash, u.Index)] || reserved[op] {
				continue
			}
			prev := prevs[u.Hash]
			if prev == nil {
				raw, err := s.node.GetRawTx(ctx, u.Hash)
				if err != nil {
					return nil, 0, 0, fmt.Errorf("exchange: previous transaction %s: %w", u.Hash, err)
				}
				if prev, err = tx.Decode(raw); err != nil || prev.Hash() != u.Hash {
					return nil, 0, 0, fmt.Errorf("%w: transaction %s does not decode to itself (%v)", ErrNodeAnswer, u.Hash, err)
				}
				prevs[u.Hash] = prev
			}
			c, err := wallet.CoinFromTx(prev, op.Index, uint32(u.Block))
			if err != nil {
				return nil, 0, 0, fmt.Errorf("%w: utxo %s:%d: %v", ErrNodeAnswer, u.Hash, u.Index, err)
			}
			// What the previous transaction says, not the node's list: an ETP sweep takes
			// plain ETP outputs only, an asset sweep outputs of its symbol only.
			at, isAsset := c.Attachment.Payload.(*tx.AssetTransfer)
			if symbol == "" && isAsset || symbol != "" && (!isAsset || at.Symbol != symbol) {
				continue
			}
			if symbol != "" {
				if at.Quantity > math.MaxInt64-qty {
					break
				}
				qty += at.Quantity
			}
			o := s.acct.Origin(idx)
			c.Origin = &o
			coins = append(coins, c)
			total += c.Value
		}
	}
	return coins, total, qty, nil
}

// sweepStart begins a sweep of symbol ("" for ETP) under wdMu: a sweep already recorded as
// id is returned as done (an id used by anything else is ErrWithdrawalExists); otherwise
// the tip to build at and hot-wallet address 0, where sweeps go.
func (s *Service) sweepStart(ctx context.Context, id, symbol string) (done *Withdrawal, tip uint64, hot mvs.Address, err error) {
	if w, err := s.Withdrawal(ctx, id); err == nil {
		if !w.Sweep || w.Symbol != symbol {
			return nil, 0, hot, fmt.Errorf("%w: %q", ErrWithdrawalExists, id)
		}
		return w, 0, hot, nil
	} else if !errors.Is(err, ErrUnknownWithdrawal) {
		return nil, 0, hot, err
	}
	if tip, err = s.buildTip(ctx); err != nil {
		return nil, 0, hot, err
	}
	hot, err = s.HotAddress(0)
	return nil, tip, hot, err
}

// sweepInputs is a sweep's input cap: DefaultSweepInputs unless n is in 1..wallet.MaxInputs.
func sweepInputs(n int) int {
	if n <= 0 || n > wallet.MaxInputs {
		return DefaultSweepInputs
	}
	return n
}

package backend

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	mtx "github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/wallet"
)

// Deposit statuses.
const (
	DepositPending    = "pending"    // in the chain, fewer than Confirmations blocks deep
	DepositCredited   = "credited"   // credited to its user
	DepositReversed   = "reversed"   // credited, then its block left the chain: the credit is reversed
	DepositOrphaned   = "orphaned"   // its block left the chain before it was credited
	DepositLocked     = "locked"     // a deposit-, sequence- or attenuation-locked output: not credited
	DepositIgnored    = "ignored"    // a certificate, MIT or DID: not fungible, never credited
	DepositCoinbase   = "coinbase"   // a mining reward to a deposit address: not credited
	DepositUnassigned = "unassigned" // paid an address derived but never handed to a user
	DepositTooLarge   = "too_large"  // an amount the ledger cannot hold exactly (> 2^63-1, alone or added to the balance)
)

// AssetETP is the ledger's asset name for ETP; an MST is "MST:" and its symbol.
const AssetETP = "ETP"

// AssetMST is the ledger's asset name of MST symbol.
func AssetMST(symbol string) string { return "MST:" + symbol }

// Withdrawal statuses.
const (
	WithdrawalUnsigned   = "unsigned"   // built, waiting for the signer
	WithdrawalSigned     = "signed"     // signed, not yet accepted by the node (broadcast retried)
	WithdrawalSent       = "sent"       // accepted by the node, not mined
	WithdrawalStuck      = "stuck"      // sent, and not mined after StuckAfter blocks
	WithdrawalMined      = "mined"      // in a block, fewer than Confirmations deep
	WithdrawalConfirmed  = "confirmed"  // Confirmations deep
	WithdrawalConflicted = "conflicted" // an input was spent by another transaction in the chain
	WithdrawalRejected   = "rejected"   // the node refused the signed transaction
	WithdrawalCancelled  = "cancelled"  // cancelled before signing; the user was refunded
)

// activeStatuses are those whose inputs are reserved: no other withdrawal may spend them.
const activeStatuses = `('unsigned','signed','sent','stuck','mined')`

// trackedStatuses are those whose transaction may still be mined: a rejected one too (the
// node may have refused it only because it already had it), so that a payment that went
// out is never left as rejected; and a cancelled one, whose transaction the signer may
// have signed before the cancel and someone broadcast all the same.
const trackedStatuses = `('unsigned','signed','sent','stuck','mined','rejected','cancelled')`

func (s *Service) issued(ctx context.Context) (uint32, error) {
	var n sql.NullInt64
	if err := s.st.db.QueryRowContext(ctx, `SELECT MAX(idx) FROM addresses`).Scan(&n); err != nil {
		return 0, fmt.Errorf("exchange: read issued addresses: %w", err)
	}
	if !n.Valid {
		return 0, nil
	}
	return uint32(n.Int64) + 1, nil
}

// addLedger writes one ledger entry and applies it to the balance, in tx. The entry's ref is
// its primary key: the same event can never be booked twice.
func (s *Service) addLedger(ctx context.Context, tx *sql.Tx, ref, user, asset string, amount int64, kind string, height uint64) error {
	// Past BIGINT, PostgreSQL refuses the update and SQLite turns the balance into an
	// inexact float: refuse it here, named.
	if amount > 0 {
		var have int64
		err := tx.QueryRowContext(ctx, s.st.q(`SELECT amount FROM balances WHERE user_id = ? AND asset = ?`), user, asset).Scan(&have)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("exchange: balance of %s: %w", user, err)
		}
		if have > math.MaxInt64-amount {
			return fmt.Errorf("%w: %s of %d %s on a balance of %d (%s)", ErrAmountRange, kind, amount, asset, have, ref)
		}
	}
	if _, err := tx.ExecContext(ctx, s.st.q(`INSERT INTO ledger (ref, user_id, asset, amount, kind, height) VALUES (?, ?, ?, ?, ?, ?)`),
		ref, user, asset, amount, kind, int64(height)); err != nil {
		return fmt.Errorf("exchange: ledger entry %s: %w", ref, err)
	}
	if _, err := tx.ExecContext(ctx, s.st.q(`INSERT INTO balances (user_id, asset, amount) VALUES (?, ?, ?)
		ON CONFLICT (user_id, asset) DO UPDATE SET amount = balances.amount + excluded.amount`), user, asset, amount); err != nil {
		return fmt.Errorf("exchange: balance of %s: %w", user, err)
	}
	return nil
}

// classify says how a credit is booked: its status, and a note when it is not credited.
func classify(c *wallet.Credit, user string, known bool) (status, note string) {
	switch {
	case c.Holding == wallet.HoldsCertificate || c.Holding == wallet.HoldsMIT || c.Holding == wallet.HoldsDID:
		return DepositIgnored, fmt.Sprintf("%s %s", c.Holding, c.Symbol)
	case c.Lock.Kind != wallet.LockNone:
		return DepositLocked, fmt.Sprintf("%s lock until height %d", c.Lock.Kind, c.Lock.UnlockHeight)
	case c.Coinbase:
		return DepositCoinbase, "mining reward"
	case !known:
		return DepositUnassigned, fmt.Sprintf("address m/%d not handed to any user", c.To.Index)
	case uint64(c.Value) > math.MaxInt64 || c.Quantity > math.MaxInt64:
		return DepositTooLarge, fmt.Sprintf("value %d, quantity %d", uint64(c.Value), c.Quantity)
	}
	return DepositPending, ""
}

type reservedInput struct {
	id, txid, status string
}

// connect books block blk on top of the ledger in one SQL transaction: its row (the scan
// cursor), the deposits it holds, the withdrawals it mines or conflicts, and what it makes
// deep enough to credit or confirm.
//
// Another process on the same ledger may have moved the tip since Sync read it (a second
// service, or a restarted one still running): the block is then refused (errTipMoved) and
// Sync reads the tip again, so a stale block is never stacked on a disconnected parent,
// whose deposits would then count its confirmations.
func (s *Service) connect(ctx context.Context, parent tipRow, haveParent bool, blk *block.Block) error {
	hash := blk.Header.Hash()
	height := uint64(blk.Header.Height)
	// Addresses handed out (by any process) before this block was read may be paid in it:
	// a count read when Sync began could be more than the gap behind after a long catch-up,
	// and the block's deposits to the newer addresses would be passed over for good.
	issued, err := s.issued(ctx)
	if err != nil {
		return err
	}
	if err := s.scanner.Issued(issued); err != nil {
		return fmt.Errorf("exchange: deposit scanner: %w", err)
	}
	credits, err := s.scanner.ScanBlock(blk)
	if err != nil {
		return fmt.Errorf("exchange: scan block %d: %w", height, err)
	}
	err = s.st.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockTip(ctx, tx, parent, haveParent); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.st.q(`INSERT INTO blocks (height, hash, prev_hash) VALUES (?, ?, ?)`),
			int64(height), hash.String(), blk.Header.PreviousBlockHash.String()); err != nil {
			return fmt.Errorf("exchange: record block %d: %w", height, err)
		}
		for i := range credits {
			if err := s.recordDeposit(ctx, tx, &credits[i], height, hash); err != nil {
				return err
			}
		}
		if err := s.trackWithdrawals(ctx, tx, blk, height, hash); err != nil {
			return err
		}
		return s.deepen(ctx, tx, height)
	})
	if err != nil {
		return err
	}
	s.log.Debug("exchange: block connected", "height", height, "hash", hash, "credits", len(credits))
	return nil
}

func (s *Service) recordDeposit(ctx context.Context, tx *sql.Tx, c *wallet.Credit, height uint64, hash mvs.Hash) error {
	var user string
	err := tx.QueryRowContext(ctx, s.st.q(`SELECT user_id FROM addresses WHERE idx = ?`), int64(c.To.Index)).Scan(&user)
	known := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("exchange: address m/%d: %w", c.To.Index, err)
	}
	status, note := classify(c, user, known)
	value, quantity := int64(0), int64(0)
	if status != DepositTooLarge {
		value, quantity = int64(c.Value), int64(c.Quantity)
	}
	symbol := ""
	if c.Holding == wallet.HoldsAsset {
		symbol = c.Symbol
	}
	txid := c.TxID.String()
	var old, oldBlock, oldUser string
	err = tx.QueryRowContext(ctx, s.st.q(`SELECT status, block_hash, user_id FROM deposits WHERE txid = ? AND vout = ?`), txid, int64(c.Index)).Scan(&old, &oldBlock, &oldUser)
	if err == nil && oldUser == "" && known {
		// First seen paying an address no user had: whoever has it now did not make the
		// payment, so a reorganization that mines it again credits no one.
		user = ""
		status, note = classify(c, "", false)
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = tx.ExecContext(ctx, s.st.q(`INSERT INTO deposits (txid, vout, address, addr_index, user_id, value, symbol, quantity,
			height, block_hash, status, credits, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`),
			txid, int64(c.Index), c.To.Address.String(), int64(c.To.Index), user, value, symbol, quantity, int64(height), hash.String(), status, note)
	case err != nil:
	case old == DepositReversed || old == DepositOrphaned:
		// Back in the chain on the new branch: booked again from its new block. Its credit
		// count is kept, so the next credit has a ledger reference of its own.
		_, err = tx.ExecContext(ctx, s.st.q(`UPDATE deposits SET height = ?, block_hash = ?, status = ?, note = ?, user_id = ?
			WHERE txid = ? AND vout = ?`), int64(height), hash.String(), status, note, user, txid, int64(c.Index))
	default:
		return fmt.Errorf("%w: %s:%d is %s in block %s, seen again in block %d", ErrDuplicateDeposit, txid, c.Index, old, oldBlock, height)
	}
	if err != nil {
		return fmt.Errorf("exchange: record deposit %s:%d: %w", txid, c.Index, err)
	}
	s.log.Info("exchange: deposit seen", "txid", txid, "vout", c.Index, "user", user, "value", c.Value, "symbol", symbol,
		"quantity", c.Quantity, "height", height, "status", status, "note", note)
	return nil
}

// trackWithdrawals marks the withdrawals blk mines, and those whose inputs another of its
// transactions spends. A transaction spending a withdrawal's inputs that is the built one
// in all but its signatures is that withdrawal mined under another txid: signed outside
// SubmitSigned (the signer's output broadcast by hand) or its signatures malleated on the
// way. It is mined, not conflicted: a conflicted withdrawal never signed may be cancelled
// and refunded, which would pay the user twice.
func (s *Service) trackWithdrawals(ctx context.Context, tx *sql.Tx, blk *block.Block, height uint64, hash mvs.Hash) error {
	rows, err := tx.QueryContext(ctx, `SELECT w.id, w.txid, w.status, i.txid, i.vout FROM withdrawal_inputs i
		JOIN withdrawals w ON w.id = i.withdrawal_id WHERE w.status IN `+trackedStatuses)
	if err != nil {
		return fmt.Errorf("exchange: read reserved inputs: %w", err)
	}
	spenders := map[string][]reservedInput{}
	byTx := map[string]string{}
	for rows.Next() {
		var id, wtxid, status, itxid string
		var vout int64
		if err := rows.Scan(&id, &wtxid, &status, &itxid, &vout); err != nil {
			rows.Close()
			return err
		}
		k := fmt.Sprintf("%s:%d", itxid, vout)
		spenders[k] = append(spenders[k], reservedInput{id, wtxid, status})
		if wtxid != "" {
			byTx[wtxid] = id
		}
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if len(byTx) == 0 && len(spenders) == 0 {
		return nil
	}
	built := map[string]*mtx.Tx{} // withdrawal id -> its unsigned transaction, read once
	for i := range blk.Transactions {
		t := &blk.Transactions[i]
		h := t.Hash().String()
		id, ok := byTx[h]
		var cands []reservedInput
		if !ok {
			seen := map[string]bool{}
			for _, in := range t.Inputs {
				for _, r := range spenders[fmt.Sprintf("%s:%d", in.PreviousOutput.Hash, in.PreviousOutput.Index)] {
					if !seen[r.id] {
						seen[r.id] = true
						cands = append(cands, r)
					}
				}
			}
			for _, r := range cands {
				u, err := s.builtTx(ctx, tx, built, r.id)
				if err != nil {
					return err
				}
				if sameExceptSignatures(u, t) == nil {
					id, ok = r.id, true
					s.log.Warn("exchange: withdrawal mined under another txid than the one submitted", "id", id, "submitted", r.txid, "mined", h)
					break
				}
			}
		}
		if ok {
			// Lock the row before reading its status (PostgreSQL): a cancel committing between
			// the read and the write would leave its refund in place.
			if _, err := tx.ExecContext(ctx, s.st.q(`UPDATE withdrawals SET note = note WHERE id = ?`), id); err != nil {
				return err
			}
			if err := s.unrefund(ctx, tx, id, height); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, s.st.q(`UPDATE withdrawals SET status = ?, txid = ?, signed_hex = ?, mined_height = ?, mined_block = ?
				WHERE id = ?`), WithdrawalMined, h, hex.EncodeToString(t.Bytes()), int64(height), hash.String(), id); err != nil {
				return err
			}
			s.log.Info("exchange: withdrawal mined", "id", id, "txid", h, "height", height)
			continue
		}
		for _, r := range cands {
			if r.status == WithdrawalRejected || r.status == WithdrawalCancelled {
				continue // its inputs were released: not reserved any more
			}
			res, err := tx.ExecContext(ctx, s.st.q(`UPDATE withdrawals SET status = ?, conflict_txid = ?, conflict_block = ?
				WHERE id = ? AND status IN `+activeStatuses), WithdrawalConflicted, h, hash.String(), r.id)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				s.log.Error("exchange: withdrawal conflicted: an input was spent by another transaction",
					"id", r.id, "txid", r.txid, "conflict", h, "height", height)
			}
		}
	}
	return nil
}

// unrefund books again the debit a cancel refunded, when the cancelled withdrawal's
// transaction is mined all the same: the user was paid, so the refund is taken back (the
// balance may go negative: Problems reports it).
func (s *Service) unrefund(ctx context.Context, tx *sql.Tx, id string, height uint64) error {
	var asset string
	err := tx.QueryRowContext(ctx, s.st.q(`SELECT asset FROM withdrawals WHERE id = ? AND status = ?`), id, WithdrawalCancelled).Scan(&asset)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // not cancelled: nothing was refunded
	}
	if err != nil {
		return err
	}
	assets := []string{AssetETP}
	if asset != AssetETP {
		assets = append(assets, asset)
	}
	for _, a := range assets {
		var user string
		var amount int64
		err := tx.QueryRowContext(ctx, s.st.q(`SELECT user_id, amount FROM ledger WHERE ref = ?`), "refund:"+id+":"+a).Scan(&user, &amount)
		if errors.Is(err, sql.ErrNoRows) {
			continue // a sweep: nobody was refunded
		}
		if err != nil {
			return err
		}
		if err := s.addLedger(ctx, tx, "unrefund:"+id+":"+a, user, a, -amount, "unrefund", height); err != nil {
			return err
		}
		s.log.Error("exchange: a cancelled withdrawal was mined: its refund is taken back", "id", id, "user", user, "asset", a, "amount", amount)
	}
	return nil
}

// builtTx is withdrawal id's unsigned transaction, read from the ledger once per block.
func (s *Service) builtTx(ctx context.Context, tx *sql.Tx, cache map[string]*mtx.Tx, id string) (*mtx.Tx, error) {
	if t, ok := cache[id]; ok {
		return t, nil
	}
	var js string
	if err := tx.QueryRowContext(ctx, s.st.q(`SELECT unsigned_json FROM withdrawals WHERE id = ?`), id).Scan(&js); err != nil {
		return nil, fmt.Errorf("exchange: withdrawal %s: %w", id, err)
	}
	var u wallet.Unsigned
	if err := json.Unmarshal([]byte(js), &u); err != nil || u.Tx == nil {
		return nil, fmt.Errorf("exchange: stored unsigned withdrawal %s: %v", id, err)
	}
	cache[id] = u.Tx
	return u.Tx, nil
}

// deepen credits the deposits and confirms the withdrawals that reach Confirmations at tip
// height, and marks stuck the broadcast withdrawals waiting StuckAfter blocks.
func (s *Service) deepen(ctx context.Context, tx *sql.Tx, height uint64) error {
	n := uint64(s.cfg.Confirmations)
	if height+1 >= n {
		deep := int64(height + 1 - n) // a block at this height or lower has n confirmations
		rows, err := tx.QueryContext(ctx, s.st.q(`SELECT txid, vout, user_id, value, symbol, quantity, credits FROM deposits
			WHERE status = ? AND height <= ?`), DepositPending, deep)
		if err != nil {
			return err
		}
		type due struct {
			txid, user, symbol     string
			vout, value, qty, seen int64
		}
		var ds []due
		for rows.Next() {
			var d due
			if err := rows.Scan(&d.txid, &d.vout, &d.user, &d.value, &d.symbol, &d.qty, &d.seen); err != nil {
				rows.Close()
				return err
			}
			ds = append(ds, d)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		for _, d := range ds {
			k := d.seen + 1
			fits, err := s.creditFits(ctx, tx, d.user, d.value, d.symbol, d.qty)
			if err != nil {
				return err
			}
			if !fits {
				// Anyone can issue an MST of 2^64-1 units: a balance past BIGINT would stop
				// the walk for every user (PostgreSQL) or become an inexact float (SQLite).
				if _, err := tx.ExecContext(ctx, s.st.q(`UPDATE deposits SET status = ?, note = ? WHERE txid = ? AND vout = ?`),
					DepositTooLarge, "the user's balance would exceed 2^63-1", d.txid, d.vout); err != nil {
					return err
				}
				s.log.Error("exchange: deposit not credited: the balance would overflow", "txid", d.txid, "vout", d.vout, "user", d.user,
					"value", d.value, "symbol", d.symbol, "quantity", d.qty)
				continue
			}
			if d.value > 0 {
				if err := s.addLedger(ctx, tx, fmt.Sprintf("credit:%s:%d:%s:%d", d.txid, d.vout, AssetETP, k), d.user, AssetETP, d.value, "deposit", height); err != nil {
					return err
				}
			}
			if d.symbol != "" && d.qty > 0 {
				a := AssetMST(d.symbol)
				if err := s.addLedger(ctx, tx, fmt.Sprintf("credit:%s:%d:%s:%d", d.txid, d.vout, a, k), d.user, a, d.qty, "deposit", height); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, s.st.q(`UPDATE deposits SET status = ?, credits = ? WHERE txid = ? AND vout = ?`),
				DepositCredited, k, d.txid, d.vout); err != nil {
				return err
			}
			s.log.Info("exchange: deposit credited", "txid", d.txid, "vout", d.vout, "user", d.user, "value", d.value,
				"symbol", d.symbol, "quantity", d.qty, "tip", height)
		}
		if _, err := tx.ExecContext(ctx, s.st.q(`UPDATE withdrawals SET status = ? WHERE status = ? AND mined_height <= ?`),
			WithdrawalConfirmed, WithdrawalMined, deep); err != nil {
			return err
		}
	}
	if height >= uint64(s.cfg.StuckAfter) {
		old := int64(height - uint64(s.cfg.StuckAfter))
		rows, err := tx.QueryContext(ctx, s.st.q(`SELECT id, txid FROM withdrawals WHERE status IN (?, ?) AND sent_height <= ?`),
			WithdrawalSigned, WithdrawalSent, old)
		if err != nil {
			return err
		}
		ids, txids, err := scanPairs(rows)
		if err != nil {
			return err
		}
		for i, id := range ids {
			if _, err := tx.ExecContext(ctx, s.st.q(`UPDATE withdrawals SET status = ? WHERE id = ?`), WithdrawalStuck, id); err != nil {
				return err
			}
			s.log.Warn("exchange: withdrawal stuck: not mined", "id", id, "txid", txids[i], "blocks", s.cfg.StuckAfter)
		}
	}
	return nil
}

// creditFits reports whether crediting value ETP and qty of MST symbol leaves each of the
// user's balances within BIGINT.
func (s *Service) creditFits(ctx context.Context, tx *sql.Tx, user string, value int64, symbol string, qty int64) (bool, error) {
	check := func(asset string, add int64) (bool, error) {
		if add <= 0 {
			return true, nil
		}
		var have int64
		err := tx.QueryRowContext(ctx, s.st.q(`SELECT amount FROM balances WHERE user_id = ? AND asset = ?`), user, asset).Scan(&have)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return false, fmt.Errorf("exchange: balance of %s: %w", user, err)
		}
		return have <= math.MaxInt64-add, nil
	}
	ok, err := check(AssetETP, value)
	if err != nil || !ok || symbol == "" {
		return ok, err
	}
	return check(AssetMST(symbol), qty)
}

// disconnect undoes the ledger's top block in one SQL transaction: its credited deposits are
// reversed (a ledger entry each, the credit stays), the others orphaned; the withdrawals it
// mined wait again, those it conflicted are active again.
func (s *Service) disconnect(ctx context.Context, top tipRow) error {
	hash := top.hash.String()
	err := s.st.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockTip(ctx, tx, top, true); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, s.st.q(`DELETE FROM blocks WHERE height = ? AND hash = ?`), int64(top.height), hash)
		if err != nil {
			return fmt.Errorf("exchange: remove block %d: %w", top.height, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return fmt.Errorf("exchange: block %d %s was not the ledger's tip (another process?)", top.height, hash)
		}
		rows, err := tx.QueryContext(ctx, s.st.q(`SELECT txid, vout, user_id, value, symbol, quantity, credits, status FROM deposits
			WHERE block_hash = ?`), hash)
		if err != nil {
			return err
		}
		type dep struct {
			txid, user, symbol, status string
			vout, value, qty, credits  int64
		}
		var ds []dep
		for rows.Next() {
			var d dep
			if err := rows.Scan(&d.txid, &d.vout, &d.user, &d.value, &d.symbol, &d.qty, &d.credits, &d.status); err != nil {
				rows.Close()
				return err
			}
			ds = append(ds, d)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		for _, d := range ds {
			status := DepositOrphaned
			if d.status == DepositCredited {
				status = DepositReversed
				if d.value > 0 {
					if err := s.addLedger(ctx, tx, fmt.Sprintf("reversal:%s:%d:%s:%d", d.txid, d.vout, AssetETP, d.credits), d.user, AssetETP, -d.value, "reversal", top.height); err != nil {
						return err
					}
				}
				if d.symbol != "" && d.qty > 0 {
					a := AssetMST(d.symbol)
					if err := s.addLedger(ctx, tx, fmt.Sprintf("reversal:%s:%d:%s:%d", d.txid, d.vout, a, d.credits), d.user, a, -d.qty, "reversal", top.height); err != nil {
						return err
					}
				}
				s.log.Warn("exchange: deposit reversed: its block left the chain", "txid", d.txid, "vout", d.vout, "user", d.user,
					"value", d.value, "symbol", d.symbol, "quantity", d.qty, "height", top.height)
			}
			if _, err := tx.ExecContext(ctx, s.st.q(`UPDATE deposits SET status = ? WHERE txid = ? AND vout = ?`), status, d.txid, d.vout); err != nil {
				return err
			}
		}
		rows, err = tx.QueryContext(ctx, s.st.q(`SELECT id, status FROM withdrawals WHERE mined_block = ? AND status IN (?, ?)`),
			hash, WithdrawalMined, WithdrawalConfirmed)
		if err != nil {
			return err
		}
		ids, sts, err := scanPairs(rows)
		if err != nil {
			return err
		}
		for i, id := range ids {
			// Back to waiting: the node returns a disconnected block's transactions to its pool.
			if _, err := tx.ExecContext(ctx, s.st.q(`UPDATE withdrawals SET status = ?, mined_height = 0, mined_block = '', sent_height = ?
				WHERE id = ?`), WithdrawalSent, int64(top.height), id); err != nil {
				return err
			}
			lv := s.log.Warn
			if sts[i] == WithdrawalConfirmed {
				lv = s.log.Error
			}
			lv("exchange: withdrawal unmined: its block left the chain", "id", id, "was", sts[i], "height", top.height)
		}
		_, err = tx.ExecContext(ctx, s.st.q(`UPDATE withdrawals SET status = CASE WHEN signed_hex = '' THEN ? ELSE ? END,
			conflict_txid = '', conflict_block = '' WHERE conflict_block = ? AND status = ?`),
			WithdrawalUnsigned, WithdrawalSent, hash, WithdrawalConflicted)
		return err
	})
	if err != nil {
		return err
	}
	s.log.Warn("exchange: block disconnected (reorganization)", "height", top.height, "hash", top.hash)
	return nil
}

// errTipMoved: the ledger's tip is not the one the walk read (another process moved it).
var errTipMoved = errors.New("exchange: the ledger's tip moved meanwhile")

// lockTip takes the walk's lock in tx and checks that the ledger's tip is still want (or
// that the ledger is still empty when !have). SQLite's write transactions hold the database
// from their start (immediate); PostgreSQL's lock nothing until they write, so the blocks
// table is locked against other walkers first (reads go on).
func (s *Service) lockTip(ctx context.Context, tx *sql.Tx, want tipRow, have bool) error {
	if s.st.postgres {
		if _, err := tx.ExecContext(ctx, `LOCK TABLE blocks IN EXCLUSIVE MODE`); err != nil {
			return fmt.Errorf("exchange: lock the scan cursor: %w", err)
		}
	}
	var h int64
	var hash string
	err := tx.QueryRowContext(ctx, `SELECT height, hash FROM blocks ORDER BY height DESC LIMIT 1`).Scan(&h, &hash)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if have {
			return errTipMoved
		}
		return nil
	case err != nil:
		return fmt.Errorf("exchange: read the scan cursor: %w", err)
	case !have || uint64(h) != want.height || hash != want.hash.String():
		return errTipMoved
	}
	return nil
}

// scanPairs reads rows of two text columns and closes rows: read whole before the same
// transaction writes (a SQL driver may not allow both at once).
func scanPairs(rows *sql.Rows) (a, b []string, err error) {
	defer rows.Close()
	for rows.Next() {
		var x, y string
		if err := rows.Scan(&x, &y); err != nil {
			return nil, nil, err
		}
		a, b = append(a, x), append(b, y)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	return a, b, rows.Close()
}

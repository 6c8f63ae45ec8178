package backend

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/rpcclient"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/wallet"
)

// WithdrawalRequest asks to pay Amount ETP, or Quantity of MST Symbol, of User's balance
// to To. The fee is ETP, charged to the user's ETP balance.
type WithdrawalRequest struct {
	// ID is the caller's idempotency key: the same request sent twice is one withdrawal.
	ID     string
	User   string
	To     string
	Amount mvs.Amount
	// Symbol and Quantity (in the asset's smallest unit) make an MST withdrawal; Amount is
	// then zero.
	Symbol   string
	Quantity uint64
}

// asset is the ledger asset and amount the request moves.
func (r *WithdrawalRequest) asset() (string, uint64) {
	if r.Symbol != "" {
		return AssetMST(r.Symbol), r.Quantity
	}
	return AssetETP, uint64(r.Amount)
}

// Withdrawal is a withdrawal as the ledger holds it.
type Withdrawal struct {
	ID, User, To string
	Asset        string     // AssetETP or AssetMST(Symbol)
	Amount, Fee  mvs.Amount // the user was debited Amount (ETP) or Quantity (MST), and Fee
	Symbol       string
	Quantity     uint64
	Status       string
	TxID         string // set once signed
	// Unsigned is the wallet.Unsigned JSON ("mvsgo-unsigned-tx") for the signer.
	Unsigned     []byte
	SentHeight   uint64
	MinedHeight  uint64
	ConflictTxID string
	Note         string
	// Sweep marks the exchange's own transfer of credited deposits to the hot wallet
	// (RequestSweep): no user was debited.
	Sweep bool
}

// DepositAddress hands user a new deposit address: the next index m/i of the account, in
// SQL, so two users never share one and a restart continues the sequence.
func (s *Service) DepositAddress(ctx context.Context, user string) (mvs.Address, uint32, error) {
	if user == "" {
		return mvs.Address{}, 0, fmt.Errorf("%w: empty user", ErrInvalidRequest)
	}
	var addr mvs.Address
	var idx uint32
	var err error
	for try := 0; try < 5; try++ { // a concurrent writer took the index: take the next
		err = s.st.inTx(ctx, func(tx *sql.Tx) error {
			var n sql.NullInt64
			if err := tx.QueryRowContext(ctx, `SELECT MAX(idx) FROM addresses`).Scan(&n); err != nil {
				return err
			}
			idx = 0
			if n.Valid {
				idx = uint32(n.Int64) + 1
			}
			if idx >= HotIndexBase {
				return fmt.Errorf("%w: deposit index space exhausted", ErrInvalidRequest)
			}
			a, err := s.acct.Address(idx)
			if err != nil {
				return err
			}
			addr = a
			_, err = tx.ExecContext(ctx, s.st.q(`INSERT INTO addresses (idx, address, user_id) VALUES (?, ?, ?)`), int64(idx), a.String(), user)
			return err
		})
		if err == nil {
			break
		}
	}
	if err != nil {
		return mvs.Address{}, 0, fmt.Errorf("exchange: deposit address for %s: %w", user, err)
	}
	if err := s.scanner.Issued(idx + 1); err != nil {
		return mvs.Address{}, 0, err
	}
	s.log.Info("exchange: deposit address issued", "user", user, "index", idx, "address", addr)
	return addr, idx, nil
}

// HotAddress is hot-wallet address i (m/HotIndexBase+i): fund the hot wallet there.
func (s *Service) HotAddress(i uint32) (mvs.Address, error) {
	if i >= s.cfg.HotAddresses {
		return mvs.Address{}, fmt.Errorf("%w: hot address %d of %d", ErrInvalidRequest, i, s.cfg.HotAddresses)
	}
	return s.acct.Address(HotIndexBase + i)
}

// hotCoins reads the hot wallet's unspent outputs from the node, each with the transaction
// that made it (so the signer can prove its value) and the key origin that spends it.
func (s *Service) hotCoins(ctx context.Context, symbol string) ([]wallet.Coin, error) {
	var coins []wallet.Coin
	prevs := map[mvs.Hash]*tx.Tx{}
	for i := uint32(0); i < s.cfg.HotAddresses; i++ {
		addr, err := s.acct.Address(HotIndexBase + i)
		if err != nil {
			return nil, err
		}
		utxos, err := s.node.GetAddressUTXOs(ctx, addr.String(), nil)
		if err != nil {
			return nil, fmt.Errorf("exchange: hot wallet coins of %s: %w", addr, err)
		}
		if symbol != "" { // the MST's outputs too (the ETP list leaves them out)
			au, err := s.node.GetAddressAssetUTXOs(ctx, addr.String(), symbol, nil, 0)
			if err != nil {
				return nil, fmt.Errorf("exchange: hot wallet %s coins of %s: %w", symbol, addr, err)
			}
			utxos = append(utxos, au...)
		}
		for _, u := range utxos {
			if uint64(u.Index) > math.MaxUint32 || uint64(u.Block) > math.MaxUint32 {
				return nil, fmt.Errorf("%w: utxo %s:%d at height %d", ErrNodeAnswer, u.Hash, u.Index, u.Block)
			}
			prev := prevs[u.Hash]
			if prev == nil {
				raw, err := s.node.GetRawTx(ctx, u.Hash)
				if err != nil {
					return nil, fmt.Errorf("exchange: previous transaction %s: %w", u.Hash, err)
				}
				if prev, err = tx.Decode(raw); err != nil || prev.Hash() != u.Hash {
					return nil, fmt.Errorf("%w: transaction %s does not decode to itself (%v)", ErrNodeAnswer, u.Hash, err)
				}
				prevs[u.Hash] = prev
			}
			c, err := wallet.CoinFromTx(prev, uint32(u.Index), uint32(u.Block))
			if err != nil {
				return nil, fmt.Errorf("%w: utxo %s:%d: %v", ErrNodeAnswer, u.Hash, u.Index, err)
			}
			o := s.acct.Origin(HotIndexBase + i)
			c.Origin = &o
			coins = append(coins, c)
		}
	}
	return coins, nil
}

// RequestWithdrawal debits the user and builds the withdrawal's unsigned transaction from
// the hot wallet's coins (those no other open withdrawal holds), all in one SQL transaction.
// Hand Withdrawal.Unsigned to the signer and its answer to SubmitSigned.
func (s *Service) RequestWithdrawal(ctx context.Context, r WithdrawalRequest) (*Withdrawal, error) {
	asset, amount := r.asset()
	if r.ID == "" || r.User == "" || amount == 0 || (r.Symbol != "" && r.Amount != 0) || (r.Symbol == "" && r.Quantity != 0) {
		return nil, fmt.Errorf("%w: id, user and a non-zero amount (ETP) or symbol and quantity (MST) are required", ErrInvalidRequest)
	}
	if amount > math.MaxInt64 {
		return nil, fmt.Errorf("%w: withdrawal of %d %s", ErrAmountRange, amount, asset)
	}
	to, err := mvs.DecodeAddress(r.To, s.p)
	if err != nil {
		return nil, fmt.Errorf("%w: destination %q: %w", ErrInvalidRequest, r.To, err)
	}
	s.wdMu.Lock()
	defer s.wdMu.Unlock()
	if w, err := s.Withdrawal(ctx, r.ID); err == nil {
		if w.User != r.User || w.To != to.String() || w.Amount != r.Amount || w.Symbol != r.Symbol || w.Quantity != r.Quantity {
			return nil, fmt.Errorf("%w: %q", ErrWithdrawalExists, r.ID)
		}
		return w, nil
	} else if !errors.Is(err, ErrUnknownWithdrawal) {
		return nil, err
	}
	tip, err := s.buildTip(ctx)
	if err != nil {
		return nil, err
	}
	coins, err := s.hotCoins(ctx, r.Symbol)
	if err != nil {
		return nil, err
	}
	change, err := s.HotAddress(0)
	if err != nil {
		return nil, err
	}
	// Another process may reserve a coin between our read and our write: the write checks
	// again under the lock, and the build starts over without that coin.
	var u *wallet.Unsigned
	var fee mvs.Amount
	for try := 0; ; try++ {
		reserved, err := s.reservedOutpoints(ctx)
		if err != nil {
			return nil, err
		}
		var free []wallet.Coin
		for _, c := range coins {
			if !reserved[c.OutPoint] {
				free = append(free, c)
			}
		}
		b := &wallet.Builder{Params: s.p, TipHeight: uint32(tip), Fee: s.cfg.Fee, ChangeAddress: change,
			MinConfirmations: s.cfg.Confirmations, Coins: free}
		if r.Symbol != "" {
			u, err = b.SendAsset(to, r.Symbol, r.Quantity, "", "")
		} else {
			u, err = b.Send(wallet.Payment{To: to, Amount: r.Amount})
		}
		if err != nil {
			return nil, fmt.Errorf("exchange: build withdrawal %s from the hot wallet: %w", r.ID, err)
		}
		if fee, err = u.Fee(); err != nil {
			return nil, fmt.Errorf("exchange: withdrawal %s fee: %w", r.ID, err)
		}
		err = s.recordWithdrawal(ctx, r, to, u, fee, tip, false)
		if errors.Is(err, errCoinTaken) && try < 3 {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("exchange: withdrawal %s: %w", r.ID, err)
		}
		break
	}
	s.log.Info("exchange: withdrawal built", "id", r.ID, "user", r.User, "to", to, "amount", r.Amount, "fee", fee, "inputs", len(u.Tx.Inputs))
	return s.Withdrawal(ctx, r.ID)
}

// errCoinTaken: a coin the build chose was reserved meanwhile by another process.
var errCoinTaken = errors.New("exchange: coin reserved meanwhile")

// recordWithdrawal debits the user (not for a sweep: the exchange's own money moves) and
// records the withdrawal and its reserved inputs in one SQL transaction, refusing inputs
// another withdrawal reserved meanwhile.
// buildTip is the node's height for a builder: refused when the node has no block
// beyond genesis or answers a height no block can have.
func (s *Service) buildTip(ctx context.Context) (uint64, error) {
	tip, err := s.node.GetHeight(ctx)
	if err != nil {
		return 0, fmt.Errorf("exchange: node height: %w", err)
	}
	if tip == 0 || tip > math.MaxUint32 {
		return 0, fmt.Errorf("%w: tip height %d", ErrNodeAnswer, tip)
	}
	return tip, nil
}

func (s *Service) recordWithdrawal(ctx context.Context, r WithdrawalRequest, to mvs.Address, u *wallet.Unsigned, fee mvs.Amount, tip uint64, sweep bool) error {
	asset, amount := r.asset()
	// What each asset's balance loses: the amount, and the ETP fee.
	debits := map[string]uint64{asset: amount}
	debits[AssetETP] += uint64(fee)
	if debits[AssetETP] > math.MaxInt64 || debits[AssetETP] < uint64(fee) {
		return fmt.Errorf("%w: withdrawal of %d %s", ErrAmountRange, amount, asset)
	}
	js, err := json.Marshal(u)
	if err != nil {
		return err
	}
	return s.st.inTx(ctx, func(tx *sql.Tx) error {
		if s.st.postgres {
			// SQLite's write transactions are exclusive already (immediate); PostgreSQL's
			// are not, and two builds must not both see a coin free.
			if _, err := tx.ExecContext(ctx, `LOCK TABLE withdrawal_inputs IN SHARE ROW EXCLUSIVE MODE`); err != nil {
				return err
			}
		}
		for _, in := range u.Tx.Inputs {
			var n int64
			if err := tx.QueryRowContext(ctx, s.st.q(`SELECT COUNT(*) FROM withdrawal_inputs i JOIN withdrawals w ON w.id = i.withdrawal_id
				WHERE i.txid = ? AND i.vout = ? AND w.status IN `+activeStatuses), in.PreviousOutput.Hash.String(), int64(in.PreviousOutput.Index)).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return errCoinTaken
			}
		}
		kind := "withdrawal"
		if sweep {
			kind = "sweep"
		} else {
			for _, a := range []string{asset, AssetETP} {
				d, ok := debits[a]
				if !ok {
					continue
				}
				delete(debits, a) // ETP once, when the withdrawal is ETP
				res, err := tx.ExecContext(ctx, s.st.q(`UPDATE balances SET amount = amount - ? WHERE user_id = ? AND asset = ? AND amount >= ?`),
					int64(d), r.User, a, int64(d))
				if err != nil {
					return err
				}
				if n, err := res.RowsAffected(); err != nil || n != 1 {
					return fmt.Errorf("%w: %s needs %d of %s", ErrInsufficientBalance, r.User, d, a)
				}
				if _, err := tx.ExecContext(ctx, s.st.q(`INSERT INTO ledger (ref, user_id, asset, amount, kind, height) VALUES (?, ?, ?, ?, ?, ?)`),
					"withdrawal:"+r.ID+":"+a, r.User, a, -int64(d), "withdrawal", int64(tip)); err != nil {
					return err
				}
			}
		}
		if _, err := tx.ExecContext(ctx, s.st.q(`INSERT INTO withdrawals (id, kind, user_id, to_address, asset, amount, fee, status, txid,
			unsigned_json, signed_hex, built_height, sent_height, mined_height, mined_block, conflict_txid, conflict_block, note)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', ?, '', ?, 0, 0, '', '', '', '')`),
			r.ID, kind, r.User, to.String(), asset, int64(amount), int64(fee), WithdrawalUnsigned, string(js), int64(tip)); err != nil {
			return err
		}
		for _, in := range u.Tx.Inputs {
			if _, err := tx.ExecContext(ctx, s.st.q(`INSERT INTO withdrawal_inputs (withdrawal_id, txid, vout) VALUES (?, ?, ?)`),
				r.ID, in.PreviousOutput.Hash.String(), int64(in.PreviousOutput.Index)); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *Service) reservedOutpoints(ctx context.Context) (map[tx.OutPoint]bool, error) {
	rows, err := s.st.db.QueryContext(ctx, `SELECT i.txid, i.vout FROM withdrawal_inputs i JOIN withdrawals w ON w.id = i.withdrawal_id
		WHERE w.status IN `+activeStatuses)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[tx.OutPoint]bool{}
	for rows.Next() {
		var h string
		var vout int64
		if err := rows.Scan(&h, &vout); err != nil {
			return nil, err
		}
		hash, err := mvs.ParseHash(h)
		if err != nil {
			return nil, err
		}
		m[tx.OutPoint{Hash: hash, Index: uint32(vout)}] = true
	}
	return m, rows.Err()
}

// SubmitSigned takes the signer's transaction for withdrawal id, checks that it is exactly
// the unsigned one with valid signatures, records it and broadcasts it. A node refusal
// marks the withdrawal rejected; a failure to reach the node leaves it signed, and Sync
// broadcasts it again.
func (s *Service) SubmitSigned(ctx context.Context, id string, raw []byte) (*Withdrawal, error) {
	w, err := s.Withdrawal(ctx, id)
	if err != nil {
		return nil, err
	}
	signed, err := tx.Decode(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSignedMismatch, err)
	}
	txid := signed.Hash().String()
	switch {
	case (w.Status == WithdrawalSigned || w.Status == WithdrawalStuck) && w.TxID == txid:
		// The same transaction again: sent once more (a stuck one the node forgot, after a
		// restart that emptied its pool, can only go out this way).
		if err := s.broadcast(ctx, id, raw); err != nil {
			return nil, err
		}
		return s.Withdrawal(ctx, id)
	case w.Status != WithdrawalUnsigned:
		return nil, &StatusError{ID: id, Status: w.Status, Op: "submit"}
	}
	var u wallet.Unsigned
	if err := json.Unmarshal(w.Unsigned, &u); err != nil {
		return nil, fmt.Errorf("exchange: stored unsigned withdrawal %s: %w", id, err)
	}
	if err := sameExceptSignatures(u.Tx, signed); err != nil {
		return nil, err
	}
	for i := range signed.Inputs {
		if err := signed.VerifyInput(i, u.PrevOuts[i].Script); err != nil {
			return nil, fmt.Errorf("%w: input %d: %v", ErrSignedMismatch, i, err)
		}
	}
	tip, err := s.node.GetHeight(ctx)
	if err != nil {
		return nil, fmt.Errorf("exchange: node height: %w", err)
	}
	res, err := s.st.db.ExecContext(ctx, s.st.q(`UPDATE withdrawals SET status = ?, txid = ?, signed_hex = ?, sent_height = ? WHERE id = ? AND status = ?`),
		WithdrawalSigned, txid, hex.EncodeToString(raw), int64(tip), id, WithdrawalUnsigned)
	if err != nil {
		return nil, err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return nil, &StatusError{ID: id, Status: "changed meanwhile", Op: "submit"}
	}
	s.log.Info("exchange: withdrawal signed", "id", id, "txid", txid)
	if err := s.broadcast(ctx, id, raw); err != nil {
		return nil, err
	}
	return s.Withdrawal(ctx, id)
}

// sameExceptSignatures refuses a signed transaction that differs from the unsigned one in
// anything but its input scripts.
func sameExceptSignatures(unsigned, signed *tx.Tx) error {
	if len(unsigned.Inputs) != len(signed.Inputs) {
		return fmt.Errorf("%w: %d inputs, built %d", ErrSignedMismatch, len(signed.Inputs), len(unsigned.Inputs))
	}
	c := *signed
	c.Inputs = make([]tx.Input, len(signed.Inputs))
	for i, in := range signed.Inputs {
		in.Script = unsigned.Inputs[i].Script
		c.Inputs[i] = in
	}
	if !bytes.Equal(c.Bytes(), unsigned.Bytes()) {
		return fmt.Errorf("%w: outputs, inputs or version differ from the built transaction", ErrSignedMismatch)
	}
	return nil
}

// broadcast sends a signed withdrawal: accepted, it is sent; refused by the node, rejected
// (reported, not refunded: an operator decides); unreachable node, it stays signed.
func (s *Service) broadcast(ctx context.Context, id string, raw []byte) error {
	_, err := s.node.SendRawTx(ctx, raw)
	var rpcErr *rpcclient.RPCError
	switch {
	case err == nil:
		return s.markSent(ctx, id)
	case errors.As(err, &rpcErr) && s.nodeHas(ctx, raw):
		// Refused because the node has it already (a first send whose answer was lost, or
		// the service stopped before recording it): it is out. Marked rejected, its inputs
		// would be released to another withdrawal, and an operator could pay it again.
		s.log.Warn("exchange: withdrawal already known to the node", "id", id, "err", err)
		return s.markSent(ctx, id)
	case errors.As(err, &rpcErr):
		s.log.Error("exchange: withdrawal rejected by the node", "id", id, "err", err)
		_, err2 := s.st.db.ExecContext(ctx, s.st.q(`UPDATE withdrawals SET status = ?, note = ? WHERE id = ? AND status = ?`),
			WithdrawalRejected, rpcErr.Error(), id, WithdrawalSigned)
		return err2
	default:
		return fmt.Errorf("exchange: broadcast withdrawal %s (will retry): %w", id, err)
	}
}

// markSent records that the node holds withdrawal id: signed becomes sent; stuck becomes
// sent again, waiting StuckAfter more blocks from the node's height.
func (s *Service) markSent(ctx context.Context, id string) error {
	tip, err := s.node.GetHeight(ctx)
	if err != nil {
		return fmt.Errorf("exchange: node height: %w", err)
	}
	_, err = s.st.db.ExecContext(ctx, s.st.q(`UPDATE withdrawals SET sent_height = CASE WHEN status = ? THEN ? ELSE sent_height END,
		status = ? WHERE id = ? AND status IN (?, ?)`), WithdrawalStuck, int64(tip), WithdrawalSent, id, WithdrawalSigned, WithdrawalStuck)
	if err == nil {
		s.log.Info("exchange: withdrawal broadcast", "id", id)
	}
	return err
}

// nodeHas reports whether the node holds transaction raw, in its pool or its chain.
func (s *Service) nodeHas(ctx context.Context, raw []byte) bool {
	h := mvs.DoubleSHA256(raw)
	got, err := s.node.GetRawTx(ctx, h)
	return err == nil && mvs.DoubleSHA256(got) == h
}

// rebroadcast sends again the withdrawals signed but never accepted (the node was down, or
// the service stopped between recording and sending).
func (s *Service) rebroadcast(ctx context.Context) error {
	rows, err := s.st.db.QueryContext(ctx, s.st.q(`SELECT id, signed_hex FROM withdrawals WHERE status = ?`), WithdrawalSigned)
	if err != nil {
		return err
	}
	var ids, hexes []string
	for rows.Next() {
		var id, h string
		if err := rows.Scan(&id, &h); err != nil {
			rows.Close()
			return err
		}
		ids, hexes = append(ids, id), append(hexes, h)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for i, id := range ids {
		raw, err := hex.DecodeString(hexes[i])
		if err != nil {
			return fmt.Errorf("exchange: stored withdrawal %s: %w", id, err)
		}
		if err := s.broadcast(ctx, id, raw); err != nil {
			return err
		}
	}
	return nil
}

// CancelWithdrawal refunds a withdrawal that was never signed (still unsigned, or
// conflicted before it was signed: no transaction of it exists), or a signed one whose
// conflict is Confirmations deep (its transaction can then be mined only after a
// reorganization that deep, and should it be, the refund is taken back). Other signed ones
// may be on their way and only the chain decides their fate.
func (s *Service) CancelWithdrawal(ctx context.Context, id string) error {
	s.wdMu.Lock()
	defer s.wdMu.Unlock()
	w, err := s.Withdrawal(ctx, id)
	if err != nil {
		return err
	}
	signedConflict := w.TxID != "" && w.Status == WithdrawalConflicted
	if !signedConflict && (w.TxID != "" || (w.Status != WithdrawalUnsigned && w.Status != WithdrawalConflicted)) {
		return &StatusError{ID: id, Status: w.Status, Op: "cancel"}
	}
	return s.st.inTx(ctx, func(tx *sql.Tx) error {
		q := `UPDATE withdrawals SET status = ? WHERE id = ? AND status = ? AND signed_hex = ''`
		if signedConflict {
			var at, tip int64
			err := tx.QueryRowContext(ctx, s.st.q(`SELECT b.height, (SELECT MAX(height) FROM blocks) FROM withdrawals w
				JOIN blocks b ON b.hash = w.conflict_block WHERE w.id = ?`), id).Scan(&at, &tip)
			if errors.Is(err, sql.ErrNoRows) {
				return &StatusError{ID: id, Status: "changed meanwhile", Op: "cancel"}
			}
			if err != nil {
				return err
			}
			if tip-at+1 < int64(s.cfg.Confirmations) {
				return &StatusError{ID: id, Status: fmt.Sprintf("%s, its conflict %d of %d blocks deep", w.Status, tip-at+1, s.cfg.Confirmations), Op: "cancel"}
			}
			q = `UPDATE withdrawals SET status = ? WHERE id = ? AND status = ?`
		}
		res, err := tx.ExecContext(ctx, s.st.q(q), WithdrawalCancelled, id, w.Status)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return &StatusError{ID: id, Status: "changed meanwhile", Op: "cancel"}
		}
		if w.Sweep {
			return nil // nobody was debited
		}
		if w.Symbol != "" {
			if err := s.addLedger(ctx, tx, "refund:"+id+":"+w.Asset, w.User, w.Asset, int64(w.Quantity), "refund", 0); err != nil {
				return err
			}
			return s.addLedger(ctx, tx, "refund:"+id+":"+AssetETP, w.User, AssetETP, int64(w.Fee), "refund", 0)
		}
		return s.addLedger(ctx, tx, "refund:"+id+":"+AssetETP, w.User, AssetETP, int64(w.Amount+w.Fee), "refund", 0)
	})
}

// Withdrawal reads withdrawal id.
func (s *Service) Withdrawal(ctx context.Context, id string) (*Withdrawal, error) {
	ws, err := s.withdrawals(ctx, `WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(ws) == 0 {
		return nil, fmt.Errorf("%w: %q", ErrUnknownWithdrawal, id)
	}
	return &ws[0], nil
}

// Withdrawals lists every withdrawal, oldest build first.
func (s *Service) Withdrawals(ctx context.Context) ([]Withdrawal, error) {
	return s.withdrawals(ctx, `ORDER BY built_height, id`)
}

func (s *Service) withdrawals(ctx context.Context, where string, args ...any) ([]Withdrawal, error) {
	rows, err := s.st.db.QueryContext(ctx, s.st.q(`SELECT id, kind, user_id, to_address, asset, amount, fee, status, txid, unsigned_json,
		sent_height, mined_height, conflict_txid, note FROM withdrawals `+where), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Withdrawal
	for rows.Next() {
		var w Withdrawal
		var amount, fee, sent, mined int64
		var js, kind string
		if err := rows.Scan(&w.ID, &kind, &w.User, &w.To, &w.Asset, &amount, &fee, &w.Status, &w.TxID, &js, &sent, &mined, &w.ConflictTxID, &w.Note); err != nil {
			return nil, err
		}
		w.Amount, w.Fee, w.SentHeight, w.MinedHeight, w.Unsigned = mvs.Amount(amount), mvs.Amount(fee), uint64(sent), uint64(mined), []byte(js)
		w.Sweep = kind == "sweep"
		if sym, ok := strings.CutPrefix(w.Asset, "MST:"); ok {
			w.Symbol, w.Quantity, w.Amount = sym, uint64(amount), 0
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

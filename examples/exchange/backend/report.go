package backend

import (
	"context"
	"fmt"

	"github.com/mvsgo/mvs"
)

// Deposit is one output paying a deposit address, as the ledger holds it.
type Deposit struct {
	TxID     string
	Vout     uint32
	Address  string
	User     string
	Value    mvs.Amount
	Symbol   string // MST symbol, "" for ETP alone
	Quantity uint64
	Height   uint64
	Status   string
	Credits  int // how many times it was credited (more than once only across reorganizations, each reversed)
	Note     string
}

// Balance is the user's balance of each asset (AssetETP, AssetMST(symbol)): every credit,
// reversal, withdrawal and refund the ledger booked.
func (s *Service) Balance(ctx context.Context, user string) (map[string]int64, error) {
	return Balances(ctx, s.st, user)
}

// Balances reads user's balances from a ledger, without a service (the status command).
func Balances(ctx context.Context, st *Store, user string) (map[string]int64, error) {
	rows, err := st.db.QueryContext(ctx, st.q(`SELECT asset, amount FROM balances WHERE user_id = ?`), user)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]int64{}
	for rows.Next() {
		var a string
		var v int64
		if err := rows.Scan(&a, &v); err != nil {
			return nil, err
		}
		m[a] = v
	}
	return m, rows.Err()
}

// Deposits lists the deposits of user ("" for all), in chain order.
func (s *Service) Deposits(ctx context.Context, user string) ([]Deposit, error) {
	return Deposits(ctx, s.st, user)
}

// Deposits reads a ledger's deposits of user ("" for all), without a service.
func Deposits(ctx context.Context, st *Store, user string) ([]Deposit, error) {
	q := `SELECT txid, vout, address, user_id, value, symbol, quantity, height, status, credits, note FROM deposits`
	var args []any
	if user != "" {
		q += ` WHERE user_id = ?`
		args = append(args, user)
	}
	rows, err := st.db.QueryContext(ctx, st.q(q+` ORDER BY height, txid, vout`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Deposit
	for rows.Next() {
		var d Deposit
		var vout, value, qty, height, credits int64
		if err := rows.Scan(&d.TxID, &vout, &d.Address, &d.User, &value, &d.Symbol, &qty, &height, &d.Status, &credits, &d.Note); err != nil {
			return nil, err
		}
		d.Vout, d.Value, d.Quantity, d.Height, d.Credits = uint32(vout), mvs.Amount(value), uint64(qty), uint64(height), int(credits)
		out = append(out, d)
	}
	return out, rows.Err()
}

// Problem is something an operator must look at.
type Problem struct {
	Kind   string // "withdrawal stuck", "withdrawal conflicted", "withdrawal rejected", "withdrawal unsigned", "deposit reversed", "deposit not credited", "negative balance", "ledger mismatch"
	Ref    string
	Detail string
}

// Problems lists what needs an operator: stuck, conflicted and rejected withdrawals,
// withdrawals debited and still unsigned DefaultStuckAfter blocks after they were built,
// reversed deposits, deposits not credited (locked, too large, unassigned, coinbase),
// negative balances, and any balance that differs from its ledger sum
// (which would be a bug).
func Problems(ctx context.Context, st *Store) ([]Problem, error) {
	var out []Problem
	rows, err := st.db.QueryContext(ctx, st.q(`SELECT id, status, txid, conflict_txid, note FROM withdrawals WHERE status IN (?, ?, ?) ORDER BY id`),
		WithdrawalStuck, WithdrawalConflicted, WithdrawalRejected)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id, status, txid, conflict, note string
		if err := rows.Scan(&id, &status, &txid, &conflict, &note); err != nil {
			rows.Close()
			return nil, err
		}
		d := "txid " + txid
		if conflict != "" {
			d += ", input spent by " + conflict
		}
		if note != "" {
			d += ", " + note
		}
		out = append(out, Problem{"withdrawal " + status, id, d})
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	// Debited and never signed: the user's money is held and nothing goes out until the
	// signer runs or an operator cancels.
	rows, err = st.db.QueryContext(ctx, st.q(`SELECT id, user_id, built_height FROM withdrawals WHERE status = ?
		AND built_height + ? <= (SELECT COALESCE(MAX(height), 0) FROM blocks) ORDER BY id`), WithdrawalUnsigned, DefaultStuckAfter)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id, user string
		var built int64
		if err := rows.Scan(&id, &user, &built); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, Problem{"withdrawal unsigned", id, fmt.Sprintf("user %s, built at height %d, not signed after %d blocks", user, built, DefaultStuckAfter)})
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	// Money that arrived and was credited to no one: a user's locked payment (spendable by
	// the exchange once its lock ends), an amount past the ledger's range, a payment to an
	// address no user had, a mining reward. An operator decides whom it belongs to.
	rows, err = st.db.QueryContext(ctx, st.q(`SELECT txid, vout, user_id, value, symbol, quantity, status, note FROM deposits
		WHERE status IN (?, ?, ?, ?) ORDER BY height, txid, vout`), DepositLocked, DepositTooLarge, DepositUnassigned, DepositCoinbase)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var txid, user, symbol, status, note string
		var vout, value, qty int64
		if err := rows.Scan(&txid, &vout, &user, &value, &symbol, &qty, &status, &note); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, Problem{"deposit not credited", fmt.Sprintf("%s:%d", txid, vout),
			fmt.Sprintf("%s: user %q, %s ETP %s %d (%s)", status, user, mvs.Amount(value), symbol, qty, note)})
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	rows, err = st.db.QueryContext(ctx, st.q(`SELECT txid, vout, user_id, value, symbol, quantity FROM deposits WHERE status = ? ORDER BY txid, vout`), DepositReversed)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var txid, user, symbol string
		var vout, value, qty int64
		if err := rows.Scan(&txid, &vout, &user, &value, &symbol, &qty); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, Problem{"deposit reversed", fmt.Sprintf("%s:%d", txid, vout),
			fmt.Sprintf("user %s, %s ETP %s %d", user, mvs.Amount(value), symbol, qty)})
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	rows, err = st.db.QueryContext(ctx, `SELECT b.user_id, b.asset, b.amount, COALESCE(SUM(l.amount), 0) FROM balances b
		LEFT JOIN ledger l ON l.user_id = b.user_id AND l.asset = b.asset GROUP BY b.user_id, b.asset, b.amount ORDER BY b.user_id, b.asset`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var user, asset string
		var bal, sum int64
		if err := rows.Scan(&user, &asset, &bal, &sum); err != nil {
			return nil, err
		}
		if bal != sum {
			out = append(out, Problem{"ledger mismatch", user + " " + asset, fmt.Sprintf("balance %d, ledger sum %d", bal, sum)})
		}
		if bal < 0 {
			out = append(out, Problem{"negative balance", user + " " + asset, fmt.Sprintf("%d (a reversed deposit was already spent)", bal)})
		}
	}
	return out, rows.Err()
}

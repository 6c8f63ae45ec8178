package backend

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	"modernc.org/sqlite"               // database/sql driver "sqlite" (pure Go)
)

// Store is the exchange's ledger in a SQL database: SQLite (driver "sqlite", embedded) or
// PostgreSQL (driver "pgx"). One schema serves both; only the placeholders differ ($1 in
// PostgreSQL, ? in SQLite), which Store rewrites.
type Store struct {
	db       *sql.DB
	postgres bool
}

// OpenSQLite opens (creating if needed) the SQLite ledger at path and migrates it. WAL and
// synchronous=FULL make every committed transaction survive a crash or a kill -9; write
// transactions take the lock when they begin, so two processes on one file queue instead of
// failing half way.
func OpenSQLite(ctx context.Context, path string) (*Store, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(ON)")
	q.Set("_txlock", "immediate")
	return Open(ctx, "sqlite", "file:"+sqliteURIPath(path)+"?"+q.Encode())
}

// sqliteURIPath escapes what SQLite's URI filenames give a meaning to: unescaped, a '#' or
// '?' in a directory name would cut the path short (and drop the settings after it) and a
// '%' would be decoded.
func sqliteURIPath(path string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

// OpenPostgres opens the PostgreSQL ledger named by dsn (for example
// "postgres://user@127.0.0.1:5432/exchange?sslmode=disable") and migrates it.
func OpenPostgres(ctx context.Context, dsn string) (*Store, error) {
	return Open(ctx, "pgx", dsn)
}

// Open opens a ledger with a database/sql driver name ("sqlite" or "pgx") and migrates it.
func Open(ctx context.Context, driver, dsn string) (*Store, error) {
	var pg bool
	switch driver {
	case "sqlite":
	case "pgx":
		pg = true
	default:
		return nil, fmt.Errorf("%w: %q (want sqlite or pgx)", ErrDialect, driver)
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("exchange: open %s: %w", driver, err)
	}
	if !pg {
		// One connection: SQLite has one writer anyway, and a second connection of this
		// process would only wait on the first one's lock.
		db.SetMaxOpenConns(1)
	}
	s := &Store{db: db, postgres: pg}
	// A fresh SQLite file opened by several processes at once: the first to turn on WAL
	// holds an exclusive lock that SQLite reports as busy at once, without waiting out
	// busy_timeout; such a refusal is retried for as long as busy_timeout would wait.
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := s.migrate(ctx)
		if err == nil {
			return s, nil
		}
		if pg || !sqliteBusy(err) || time.Now().After(deadline) {
			db.Close()
			return nil, err
		}
		select {
		case <-ctx.Done():
			db.Close()
			return nil, errors.Join(err, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// sqliteBusy reports an SQLITE_BUSY (or one of its extended codes).
func sqliteBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == 5
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// DB is the underlying handle, for reports and tests that read the ledger directly.
func (s *Store) DB() *sql.DB { return s.db }

// Postgres reports whether the store is PostgreSQL.
func (s *Store) Postgres() bool { return s.postgres }

// q rewrites ? placeholders as $1, $2, ... for PostgreSQL. The queries of this package
// hold no '?' in literals.
func (s *Store) q(query string) string {
	if !s.postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// migrations are applied in order, each in its own transaction with its version row, so a
// crash leaves the schema at a whole version. Append only: never edit a released one.
func migrations() [][]string {
	return [][]string{
		1: {
			`CREATE TABLE blocks (
			height BIGINT PRIMARY KEY,
			hash TEXT NOT NULL UNIQUE,
			prev_hash TEXT NOT NULL)`,
			`CREATE TABLE addresses (
			idx BIGINT PRIMARY KEY,
			address TEXT NOT NULL UNIQUE,
			user_id TEXT NOT NULL)`,
			`CREATE INDEX addresses_user ON addresses (user_id)`,
			`CREATE TABLE deposits (
			txid TEXT NOT NULL,
			vout BIGINT NOT NULL,
			address TEXT NOT NULL,
			addr_index BIGINT NOT NULL,
			user_id TEXT NOT NULL,
			value BIGINT NOT NULL,
			symbol TEXT NOT NULL,
			quantity BIGINT NOT NULL,
			height BIGINT NOT NULL,
			block_hash TEXT NOT NULL,
			status TEXT NOT NULL,
			credits BIGINT NOT NULL,
			note TEXT NOT NULL,
			PRIMARY KEY (txid, vout))`,
			`CREATE INDEX deposits_block ON deposits (block_hash)`,
			`CREATE INDEX deposits_status ON deposits (status, height)`,
			`CREATE TABLE ledger (
			ref TEXT PRIMARY KEY,
			user_id TEXT NOT NULL,
			asset TEXT NOT NULL,
			amount BIGINT NOT NULL,
			kind TEXT NOT NULL,
			height BIGINT NOT NULL)`,
			`CREATE INDEX ledger_user ON ledger (user_id, asset)`,
			`CREATE TABLE balances (
			user_id TEXT NOT NULL,
			asset TEXT NOT NULL,
			amount BIGINT NOT NULL,
			PRIMARY KEY (user_id, asset))`,
			`CREATE TABLE withdrawals (
			id TEXT PRIMARY KEY,
			kind TEXT NOT NULL,
			user_id TEXT NOT NULL,
			to_address TEXT NOT NULL,
			asset TEXT NOT NULL,
			amount BIGINT NOT NULL,
			fee BIGINT NOT NULL,
			status TEXT NOT NULL,
			txid TEXT NOT NULL,
			unsigned_json TEXT NOT NULL,
			signed_hex TEXT NOT NULL,
			built_height BIGINT NOT NULL,
			sent_height BIGINT NOT NULL,
			mined_height BIGINT NOT NULL,
			mined_block TEXT NOT NULL,
			conflict_txid TEXT NOT NULL,
			conflict_block TEXT NOT NULL,
			note TEXT NOT NULL)`,
			`CREATE INDEX withdrawals_status ON withdrawals (status)`,
			`CREATE TABLE withdrawal_inputs (
			withdrawal_id TEXT NOT NULL,
			txid TEXT NOT NULL,
			vout BIGINT NOT NULL,
			PRIMARY KEY (withdrawal_id, txid, vout))`,
			`CREATE INDEX withdrawal_inputs_outpoint ON withdrawal_inputs (txid, vout)`,
		},
	}
}

// SchemaVersion is the schema this program writes.
func SchemaVersion() int { return len(migrations()) - 1 }

func (s *Store) migrate(ctx context.Context) error {
	// Each version in a transaction that first takes the migration lock and reads the
	// version again: two processes opening a fresh ledger at once (the service and the
	// address command) must not both create the tables, the second failing half way.
	// SQLite's immediate transactions hold the database from their start; PostgreSQL takes
	// an advisory lock for this schema.
	for {
		done := false
		var v int
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			if s.postgres {
				if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('mvsgo-exchange-migrate'), hashtext(current_schema()))`); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY)`); err != nil {
				return err
			}
			var have sql.NullInt64
			if err := tx.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&have); err != nil {
				return err
			}
			if int(have.Int64) > SchemaVersion() {
				return fmt.Errorf("%w: database at version %d, this program knows %d", ErrSchemaTooNew, have.Int64, SchemaVersion())
			}
			v = int(have.Int64) + 1
			if v > SchemaVersion() {
				done = true
				return nil
			}
			for _, stmt := range migrations()[v] {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, s.q(`INSERT INTO schema_migrations (version) VALUES (?)`), v)
			return err
		})
		switch {
		case errors.Is(err, ErrSchemaTooNew):
			return err
		case err != nil:
			return fmt.Errorf("exchange: migrate to version %d: %w", v, err)
		case done:
			return nil
		}
	}
}

// inTx runs fn in one transaction, committed only if fn returns nil.
func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return errors.Join(err, ignoreDone(tx.Rollback()))
	}
	return tx.Commit()
}

func ignoreDone(err error) error {
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

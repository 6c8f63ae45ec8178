package backend_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/examples/exchange/backend"
	"github.com/mvsgo/mvs/tx"
)

// BenchmarkSync measures the service's hot path: reading a block from the node, scanning
// it and committing its deposits and cursor in one SQL transaction. Each block holds 100
// payments, 10 of them to deposit addresses. One op is one block.
func BenchmarkSync(b *testing.B) {
	drivers := map[string]func(b *testing.B) *backend.Store{
		"sqlite": func(b *testing.B) *backend.Store {
			st, err := backend.OpenSQLite(context.Background(), filepath.Join(b.TempDir(), "ledger.db"))
			if err != nil {
				b.Fatal(err)
			}
			return st
		},
	}
	if dsn := os.Getenv("MVS_TEST_POSTGRES_DSN"); dsn != "" {
		drivers["postgres"] = func(b *testing.B) *backend.Store {
			st, err := backend.OpenPostgres(context.Background(), PostgresSchema(b, dsn))
			if err != nil {
				b.Fatal(err)
			}
			return st
		}
	}
	for name, open := range drivers {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			st := open(b)
			defer st.Close()
			_, watch := accounts(b)
			node := newFakeNode()
			svc, err := backend.New(ctx, backend.Config{Store: st, Node: node, Account: watch, Confirmations: 6})
			if err != nil {
				b.Fatal(err)
			}
			var users []mvs.Address
			for range 10 {
				a, _, err := svc.DepositAddress(ctx, "user")
				if err != nil {
					b.Fatal(err)
				}
				users = append(users, a)
			}
			stranger, _ := watch.Address(HotStranger)
			for i := 0; i < b.N; i++ {
				var txs []*tx.Tx
				for j := range 100 {
					to := stranger
					if j%10 == 0 {
						to = users[j/10]
					}
					txs = append(txs, pay(byte(i+j), to, mvs.Amount(i*100+j+1)))
				}
				node.mine(txs...)
			}
			b.ResetTimer()
			if err := svc.Sync(ctx); err != nil {
				b.Fatal(err)
			}
		})
	}
}

// HotStranger is an index no scanner watches: outputs to it are someone else's payments.
const HotStranger = 1_000_000

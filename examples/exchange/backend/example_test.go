package backend_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/examples/exchange/backend"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/wallet"
)

// The service holds the xpub only: it hands out a deposit address, follows the node
// (here an in-memory one; in production an *rpcclient.Client) and credits the deposit once
// it is 2 blocks deep; the withdrawal's unsigned JSON goes to the signer, which holds the
// mnemonic, and its answer back to SubmitSigned.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "ledger")
	defer os.RemoveAll(dir)
	st, err := backend.OpenSQLite(ctx, filepath.Join(dir, "ledger.db")) // or OpenPostgres(ctx, dsn)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer st.Close()

	cold, _ := wallet.NewAccountFromMnemonic(testMnemonic, mvs.RegTest()) // the signer's
	watch, _ := wallet.NewWatchOnlyAccount(cold.ExtendedPublicKey(), mvs.RegTest())
	node := newFakeNode()
	svc, err := backend.New(ctx, backend.Config{Store: st, Node: node, Account: watch, Confirmations: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	alice, index, _ := svc.DepositAddress(ctx, "alice")
	fmt.Printf("alice deposits to %s (m/%d)\n", alice, index)

	hot, _ := svc.HotAddress(0)
	node.mine(pay(1, alice, 3*mvs.SatoshiPerETP, hot, 10*mvs.SatoshiPerETP))
	svc.Sync(ctx)
	b, _ := svc.Balance(ctx, "alice")
	fmt.Println("1 confirmation:", mvs.Amount(b[backend.AssetETP]), "ETP")
	node.mine()
	svc.Sync(ctx)
	b, _ = svc.Balance(ctx, "alice")
	fmt.Println("2 confirmations:", mvs.Amount(b[backend.AssetETP]), "ETP")

	w, err := svc.RequestWithdrawal(ctx, backend.WithdrawalRequest{ID: "w-1", User: "alice", To: alice.String(), Amount: mvs.SatoshiPerETP})
	if err != nil {
		fmt.Println(err)
		return
	}
	signed, err := backend.Sign(w.Unsigned, cold, mvs.SatoshiPerETP) // on the cold machine
	if err != nil {
		fmt.Println(err)
		return
	}
	w, err = svc.SubmitSigned(ctx, w.ID, signed)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("withdrawal", w.ID, w.Status, "fee", w.Fee, "ETP")
	// Output:
	// alice deposits to tEgprR7yb5eeM8PVP7CsuVom49UKYVDn8n (m/0)
	// 1 confirmation: 0 ETP
	// 2 confirmations: 3 ETP
	// withdrawal w-1 sent fee 0.0001 ETP
}

// An MST's credited deposits move to the hot wallet (the fee from its ETP) through the
// same signer; no balance changes.
func ExampleService_RequestAssetSweep() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "ledger")
	defer os.RemoveAll(dir)
	st, err := backend.OpenSQLite(ctx, filepath.Join(dir, "ledger.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer st.Close()
	cold, _ := wallet.NewAccountFromMnemonic(testMnemonic, mvs.RegTest())
	watch, _ := wallet.NewWatchOnlyAccount(cold.ExtendedPublicKey(), mvs.RegTest())
	node := newFakeNode()
	svc, err := backend.New(ctx, backend.Config{Store: st, Node: node, Account: watch, Confirmations: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	bob, _, _ := svc.DepositAddress(ctx, "bob")
	hot, _ := svc.HotAddress(0)
	node.mine(pay(1, bob, &tx.AssetTransfer{Symbol: "GOLD", Quantity: 700}, hot, mvs.SatoshiPerETP))
	svc.Sync(ctx)

	w, err := svc.RequestAssetSweep(ctx, "sweep-gold-1", "GOLD", 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	signed, err := backend.Sign(w.Unsigned, cold, mvs.SatoshiPerETP) // on the cold machine
	if err != nil {
		fmt.Println(err)
		return
	}
	if w, err = svc.SubmitSigned(ctx, w.ID, signed); err != nil {
		fmt.Println(err)
		return
	}
	b, _ := svc.Balance(ctx, "bob")
	fmt.Println("sweep", w.ID, w.Quantity, w.Symbol, w.Status, "; bob still has", b[backend.AssetMST("GOLD")], "GOLD")
	// Output:
	// sweep sweep-gold-1 700 GOLD sent ; bob still has 700 GOLD
}

package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/examples/exchange/backend"
	"github.com/mvsgo/mvs/examples/internal/devnet"
	"github.com/mvsgo/mvs/rpcclient"
	"github.com/mvsgo/mvs/wallet"
)

// demo starts a private chain (one mvsgod child process), the service on a SQLite ledger,
// two deposits and a withdrawal signed by the signer as its own process, and prints the
// ledger. Everything lives in a temporary directory, removed at the end unless --keep.
func demo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("exchange demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	keep := fs.Bool("keep", false, "keep the demo's directory (chain, ledger, signer's mnemonic)")
	verbose := fs.Bool("v", false, "log the service's steps")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	dir, err := os.MkdirTemp("", "exchange-demo-")
	if err != nil {
		return err
	}
	if *keep {
		fmt.Fprintln(stdout, "demo directory:", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	say := func(format string, a ...any) { fmt.Fprintf(stdout, "* "+format+"\n", a...) }

	say("building mvsgod and starting a private chain")
	bin, err := devnet.Build(ctx, dir)
	if err != nil {
		return err
	}
	node, err := devnet.Start(ctx, devnet.Config{Bin: bin, Dir: filepath.Join(dir, "node")})
	if err != nil {
		return err
	}
	defer node.Stop()
	if _, err := node.Mine(ctx, 6); err != nil {
		return err
	}
	miner, err := devnet.NewWallet(node, "")
	if err != nil {
		return err
	}

	// The cold side: a fresh mnemonic, in a file only the signer reads.
	mnemonic, err := wallet.NewMnemonic(wallet.DefaultWords)
	if err != nil {
		return err
	}
	mnemonicFile := filepath.Join(dir, "signer.mnemonic")
	if err := os.WriteFile(mnemonicFile, []byte(mnemonic+"\n"), 0o600); err != nil {
		return err
	}
	cold, err := wallet.NewAccountFromMnemonic(mnemonic, node.Params())
	if err != nil {
		return err
	}
	watch, err := wallet.NewWatchOnlyAccount(cold.ExtendedPublicKey(), node.Params())
	if err != nil {
		return err
	}

	// The hot side: the service with the xpub only.
	st, err := backend.OpenSQLite(ctx, filepath.Join(dir, "ledger.db"))
	if err != nil {
		return err
	}
	defer st.Close()
	logger := slog.New(slog.DiscardHandler)
	if *verbose {
		logger = slog.New(slog.NewTextHandler(stderr, nil))
	}
	svc, err := backend.New(ctx, backend.Config{Store: st, Node: node.RPC(), Account: watch, Confirmations: 2, Logger: logger})
	if err != nil {
		return err
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	wake := make(chan struct{}, 1)
	if sub, err := node.RPC().Subscribe(runCtx, rpcclient.Topics{Heights: true}); err == nil {
		go func() {
			for range sub.Events() {
				select {
				case wake <- struct{}{}:
				default:
				}
			}
		}()
	}
	go svc.Run(runCtx, wake)

	alice, _, err := svc.DepositAddress(ctx, "alice")
	if err != nil {
		return err
	}
	bob, _, err := svc.DepositAddress(ctx, "bob")
	if err != nil {
		return err
	}
	hot, err := svc.HotAddress(0)
	if err != nil {
		return err
	}
	say("deposit addresses: alice %s, bob %s; hot wallet %s", alice, bob, hot)
	for _, p := range []struct {
		to  mvs.Address
		etp mvs.Amount
	}{{alice, 2 * mvs.SatoshiPerETP}, {bob, mvs.SatoshiPerETP / 2}, {hot, 2 * mvs.SatoshiPerETP}} {
		if _, err := miner.Pay(ctx, p.to, p.etp); err != nil {
			return err
		}
	}
	if _, err := node.Mine(ctx, 2); err != nil {
		return err
	}
	if err := svc.Sync(ctx); err != nil {
		return err
	}
	say("paid alice 2 ETP, bob 0.5 ETP, the hot wallet 2 ETP; 2 blocks mined: credited")

	w, err := svc.RequestWithdrawal(ctx, backend.WithdrawalRequest{ID: "w-1", User: "alice", To: miner.Address(3).String(), Amount: mvs.SatoshiPerETP})
	if err != nil {
		return err
	}
	say("alice withdraws 1 ETP: unsigned transaction built (%d bytes of JSON), handed to the signer process", len(w.Unsigned))
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, self, "sign", "--net", "regtest", "--mnemonic-file", mnemonicFile)
	cmd.Stdin = bytes.NewReader(w.Unsigned)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("signer: %w: %s", err, errb.String())
	}
	raw, err := hex.DecodeString(strings.TrimSpace(out.String()))
	if err != nil {
		return fmt.Errorf("signer's answer: %w", err)
	}
	if w, err = svc.SubmitSigned(ctx, w.ID, raw); err != nil {
		return err
	}
	say("signed and broadcast: %s", w.TxID)
	if _, err := node.Mine(ctx, 2); err != nil {
		return err
	}
	if err := svc.Sync(ctx); err != nil {
		return err
	}
	if w, err = svc.Withdrawal(ctx, w.ID); err != nil {
		return err
	}
	if w.Status != backend.WithdrawalConfirmed {
		return errors.New("demo: the withdrawal is " + w.Status + " after 2 blocks")
	}
	say("2 blocks later the withdrawal is %s; the ledger:", w.Status)
	stop()
	return printStatus(ctx, stdout, st, "")
}

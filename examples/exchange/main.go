package main

import (
	"bufio"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/examples/exchange/backend"
	"github.com/mvsgo/mvs/rpcclient"
	"github.com/mvsgo/mvs/tx/script"
	"github.com/mvsgo/mvs/wallet"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "exchange:", err)
		os.Exit(1)
	}
}

const usage = `usage: exchange COMMAND [flags]

  demo       start a private chain, the service, deposits, a reorg and a withdrawal; print the ledger
  run        follow the node: credit deposits, track withdrawals (until SIGTERM)
  address U  hand user U a new deposit address
  hot [I]    print hot-wallet address I (fund withdrawals there)
  withdraw   --id ID --user U --to ADDR --amount ETP (or --symbol S --quantity Q): debit U,
             print the unsigned JSON
  sweep      --id ID [--symbol SYM]: move credited deposits (ETP, or the MST) to the hot wallet, print the unsigned JSON
  submit     --id ID: read the signer's hex on stdin, check and broadcast it (again, if stuck)
  cancel     --id ID: refund a withdrawal never submitted signed, or one conflicted N blocks deep
  status     [--user U]: balances, deposits, withdrawals and problems
  sign       the cold side: unsigned JSON on stdin, signed hex on stdout
             (--mnemonic-file F, or --keystore F --password-file P)
  xpub       --mnemonic-file F: print the account's extended public key
`

// errUsage is a command line this program cannot run.
var errUsage = errors.New("bad command line")

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "demo":
		return demo(ctx, args, stdout, stderr)
	case "sign":
		return signCmd(args, stdin, stdout, stderr)
	case "xpub":
		return xpubCmd(args, stdout, stderr)
	case "run", "address", "hot", "withdraw", "sweep", "submit", "cancel", "status":
		return serviceCmd(ctx, cmd, args, stdin, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("%w: unknown command %q", errUsage, cmd)
}

// common are the flags of the commands that open the ledger.
type common struct {
	net, node, push, rpcUser, rpcPassFile string
	db, postgres, xpub, xpubFile          string
	confirmations, stuckAfter, hot        uint
	startHeight                           uint64
	logLevel                              string
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.net, "net", "mainnet", "mainnet, testnet or regtest")
	fs.StringVar(&c.node, "node", "http://127.0.0.1:8820", "the node's JSON-RPC URL")
	fs.StringVar(&c.push, "push", "", "the node's WebSocket push URL (default ws:// on the --node host; \"off\" polls)")
	fs.StringVar(&c.rpcUser, "rpc-user", "", "JSON-RPC basic-auth user")
	fs.StringVar(&c.rpcPassFile, "rpc-password-file", "", "a file holding the JSON-RPC password")
	fs.StringVar(&c.db, "db", "exchange.db", "the SQLite ledger file")
	fs.StringVar(&c.postgres, "postgres", os.Getenv("EXCHANGE_POSTGRES_DSN"), "a PostgreSQL DSN: the ledger there instead of --db (env EXCHANGE_POSTGRES_DSN)")
	fs.StringVar(&c.xpub, "xpub", os.Getenv("EXCHANGE_XPUB"), "the account's extended public key (env EXCHANGE_XPUB)")
	fs.StringVar(&c.xpubFile, "xpub-file", "", "a file holding the extended public key")
	fs.UintVar(&c.confirmations, "confirmations", backend.DefaultConfirmations, "blocks that credit a deposit and confirm a withdrawal")
	fs.UintVar(&c.stuckAfter, "stuck-after", backend.DefaultStuckAfter, "blocks after which an unmined withdrawal is reported stuck")
	fs.UintVar(&c.hot, "hot", backend.DefaultHotAddresses, "hot-wallet addresses")
	fs.Uint64Var(&c.startHeight, "start-height", 0, "the first block scanned by an empty ledger")
	fs.StringVar(&c.logLevel, "log-level", "info", "debug, info, warn or error")
}

func readSecret(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

// openStore opens the ledger the flags name.
func (c *common) openStore(ctx context.Context) (*backend.Store, error) {
	if c.postgres != "" {
		return backend.OpenPostgres(ctx, c.postgres)
	}
	return backend.OpenSQLite(ctx, c.db)
}

// open builds the store, the node client and the service from the flags.
func (c *common) open(ctx context.Context, stderr io.Writer) (*backend.Service, *backend.Store, *rpcclient.Client, error) {
	p, err := mvs.ParamsByName(c.net)
	if err != nil {
		return nil, nil, nil, err
	}
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(c.logLevel)); err != nil {
		return nil, nil, nil, fmt.Errorf("--log-level: %w", err)
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: lv}))
	xpub := c.xpub
	if c.xpubFile != "" {
		if xpub, err = readSecret(c.xpubFile); err != nil {
			return nil, nil, nil, err
		}
	}
	if xpub == "" {
		return nil, nil, nil, fmt.Errorf("%w: --xpub or --xpub-file is required", errUsage)
	}
	acct, err := wallet.NewWatchOnlyAccount(xpub, p)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("--xpub: %w", err)
	}
	opts := rpcclient.Options{Logger: log}
	if c.rpcUser != "" {
		opts.User = c.rpcUser
		if c.rpcPassFile != "" {
			if opts.Password, err = readSecret(c.rpcPassFile); err != nil {
				return nil, nil, nil, err
			}
		}
	}
	switch c.push {
	case "off":
	case "":
		u, err := url.Parse(c.node)
		if err != nil || u.Host == "" {
			return nil, nil, nil, fmt.Errorf("%w: --node %q", errUsage, c.node)
		}
		opts.PushURL = "ws://" + u.Host + "/"
	default:
		opts.PushURL = c.push
	}
	client, err := rpcclient.New(c.node, opts)
	if err != nil {
		return nil, nil, nil, err
	}
	st, err := c.openStore(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	svc, err := backend.New(ctx, backend.Config{Store: st, Node: client, Account: acct, Confirmations: uint32(c.confirmations),
		StuckAfter: uint32(c.stuckAfter), HotAddresses: uint32(c.hot), StartHeight: c.startHeight, Logger: log})
	if err != nil {
		st.Close()
		return nil, nil, nil, err
	}
	return svc, st, client, nil
}

func serviceCmd(ctx context.Context, cmd string, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("exchange "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs)
	var id, user, to, amount string
	if cmd == "withdraw" || cmd == "submit" || cmd == "sweep" || cmd == "cancel" {
		fs.StringVar(&id, "id", "", "the withdrawal's id (idempotency key)")
	}
	maxInputs := 0
	var symbol string
	var quantity uint64
	if cmd == "sweep" {
		fs.IntVar(&maxInputs, "max-inputs", backend.DefaultSweepInputs, "at most this many deposits in one sweep")
		fs.StringVar(&symbol, "symbol", "", "sweep the credited deposits of this MST (the fee from the hot wallet's ETP) instead of ETP")
	}
	if cmd == "withdraw" || cmd == "status" {
		fs.StringVar(&user, "user", "", "the user")
	}
	if cmd == "withdraw" {
		fs.StringVar(&to, "to", "", "the destination address")
		fs.StringVar(&amount, "amount", "", "ETP, e.g. 1.5")
		fs.StringVar(&symbol, "symbol", "", "an MST to withdraw (with --quantity instead of --amount)")
		fs.Uint64Var(&quantity, "quantity", 0, "the MST quantity, in the asset's smallest unit")
	}
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	if cmd == "status" { // a report from the ledger alone: no node, no key
		st, err := c.openStore(ctx)
		if err != nil {
			return err
		}
		defer st.Close()
		return printStatus(ctx, stdout, st, user)
	}
	svc, st, client, err := c.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	switch cmd {
	case "run":
		return runService(ctx, svc, client, stderr)
	case "address":
		if fs.NArg() != 1 {
			return fmt.Errorf("%w: address USER", errUsage)
		}
		a, i, err := svc.DepositAddress(ctx, fs.Arg(0))
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s m/%d\n", a, i)
	case "hot":
		var i uint32
		if fs.NArg() == 1 {
			if _, err := fmt.Sscan(fs.Arg(0), &i); err != nil {
				return fmt.Errorf("%w: hot INDEX", errUsage)
			}
		}
		a, err := svc.HotAddress(i)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, a)
	case "withdraw":
		req := backend.WithdrawalRequest{ID: id, User: user, To: to, Symbol: symbol, Quantity: quantity}
		if symbol == "" {
			amt, err := mvs.ParseETP(amount)
			if err != nil {
				return fmt.Errorf("--amount: %w", err)
			}
			req.Amount = amt
		} else if amount != "" {
			return fmt.Errorf("%w: --amount is for ETP; an MST takes --quantity", errUsage)
		}
		w, err := svc.RequestWithdrawal(ctx, req)
		if err != nil {
			return err
		}
		what := w.Amount.String() + " ETP"
		if w.Symbol != "" {
			what = fmt.Sprintf("%d %s", w.Quantity, w.Symbol)
		}
		fmt.Fprintf(stderr, "withdrawal %s: %s to %s, fee %s ETP; the unsigned transaction follows\n", w.ID, what, w.To, w.Fee)
		stdout.Write(w.Unsigned)
		fmt.Fprintln(stdout)
	case "sweep":
		var w *backend.Withdrawal
		if symbol != "" {
			w, err = svc.RequestAssetSweep(ctx, id, symbol, maxInputs)
		} else {
			w, err = svc.RequestSweep(ctx, id, maxInputs)
		}
		if err != nil {
			return err
		}
		what := w.Amount.String() + " ETP"
		if w.Symbol != "" {
			what = fmt.Sprintf("%d %s", w.Quantity, w.Symbol)
		}
		fmt.Fprintf(stderr, "sweep %s: %s to the hot wallet %s, fee %s ETP; the unsigned transaction follows\n", w.ID, what, w.To, w.Fee)
		stdout.Write(w.Unsigned)
		fmt.Fprintln(stdout)
	case "cancel":
		if err := svc.CancelWithdrawal(ctx, id); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "withdrawal %s cancelled, its debit refunded\n", id)
	case "submit":
		line, err := io.ReadAll(io.LimitReader(stdin, 4<<20))
		if err != nil {
			return err
		}
		raw, err := hex.DecodeString(strings.TrimSpace(string(line)))
		if err != nil {
			return fmt.Errorf("stdin is not the signer's hex: %w", err)
		}
		w, err := svc.SubmitSigned(ctx, id, raw)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s %s %s\n", w.ID, w.Status, w.TxID)
	}
	return nil
}

// runService follows the node until ctx ends: push height events wake it, a poll covers a
// lost push.
func runService(ctx context.Context, svc *backend.Service, client *rpcclient.Client, stderr io.Writer) error {
	wake := make(chan struct{}, 1)
	sub, err := client.Subscribe(ctx, rpcclient.Topics{Heights: true})
	if err != nil {
		fmt.Fprintln(stderr, "exchange: no push, polling:", err)
	} else {
		defer sub.Close()
		go func() {
			for range sub.Events() { // every event (a height, a gap) is a reason to look
				select {
				case wake <- struct{}{}:
				default:
				}
			}
		}()
	}
	err = svc.Run(ctx, wake)
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

func printStatus(ctx context.Context, w io.Writer, st *backend.Store, user string) error {
	out := bufio.NewWriter(w)
	defer out.Flush()
	ds, err := backend.Deposits(ctx, st, user)
	if err != nil {
		return err
	}
	users := map[string]bool{}
	fmt.Fprintln(out, "deposits:")
	for _, d := range ds {
		users[d.User] = true
		what := d.Value.String() + " ETP"
		if d.Symbol != "" {
			what += fmt.Sprintf(" + %d %s", d.Quantity, d.Symbol)
		}
		fmt.Fprintf(out, "  %s:%d  %-8s height %-5d %-10s %s %s\n", d.TxID, d.Vout, d.User, d.Height, d.Status, what, d.Note)
	}
	if user != "" {
		users = map[string]bool{user: true}
	}
	fmt.Fprintln(out, "balances:")
	for _, u := range slices.Sorted(maps.Keys(users)) {
		if u == "" {
			continue
		}
		b, err := backend.Balances(ctx, st, u)
		if err != nil {
			return err
		}
		js, _ := json.Marshal(b)
		fmt.Fprintf(out, "  %-8s %s\n", u, js)
	}
	rows, err := st.DB().QueryContext(ctx, `SELECT id, kind, user_id, asset, amount, fee, status, txid FROM withdrawals ORDER BY id`)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "withdrawals:")
	for rows.Next() {
		var id, kind, u, asset, status, txid string
		var amount, fee int64
		if err := rows.Scan(&id, &kind, &u, &asset, &amount, &fee, &status, &txid); err != nil {
			rows.Close()
			return err
		}
		if kind == "sweep" {
			u = "(sweep)"
		}
		what := mvs.Amount(amount).String() + " ETP"
		if sym, ok := strings.CutPrefix(asset, "MST:"); ok {
			what = fmt.Sprintf("%d %s", amount, sym)
		}
		fmt.Fprintf(out, "  %-8s %-8s %s (fee %s) %-10s %s\n", id, u, what, mvs.Amount(fee), status, txid)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	ps, err := backend.Problems(ctx, st)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "problems:")
	if len(ps) == 0 {
		fmt.Fprintln(out, "  none")
	}
	for _, p := range ps {
		fmt.Fprintf(out, "  %s %s: %s\n", p.Kind, p.Ref, p.Detail)
	}
	return nil
}

// coldFlags registers the cold side's --net, --mnemonic-file, --keystore and
// --password-file on fs; the function it returns, called after parsing, opens the account.
func coldFlags(fs *flag.FlagSet) func() (*mvs.Params, *wallet.Account, error) {
	net := fs.String("net", "mainnet", "mainnet, testnet or regtest")
	mnemonicFile := fs.String("mnemonic-file", "", "a file holding the mnemonic")
	keystore := fs.String("keystore", "", "a keystore file (ours, or the node's/light wallet's backup)")
	passFile := fs.String("password-file", "", "the keystore's password file")
	return func() (*mvs.Params, *wallet.Account, error) {
		p, err := mvs.ParamsByName(*net)
		if err != nil {
			return nil, nil, err
		}
		acct, err := coldAccount(p, *mnemonicFile, *keystore, *passFile)
		return p, acct, err
	}
}

// coldAccount reads the signer's account from a mnemonic file or a keystore.
func coldAccount(p *mvs.Params, mnemonicFile, keystore, passFile string) (*wallet.Account, error) {
	var mnemonic string
	switch {
	case mnemonicFile != "" && keystore == "":
		m, err := readSecret(mnemonicFile)
		if err != nil {
			return nil, err
		}
		mnemonic = m
	case keystore != "" && mnemonicFile == "":
		data, err := os.ReadFile(keystore)
		if err != nil {
			return nil, err
		}
		pass, err := readSecret(passFile)
		if err != nil {
			return nil, fmt.Errorf("--password-file: %w", err)
		}
		b, err := wallet.ReadAnyKeystore(data, pass)
		if err != nil {
			return nil, err
		}
		mnemonic = b.Mnemonic
	default:
		return nil, fmt.Errorf("%w: one of --mnemonic-file or --keystore", errUsage)
	}
	return wallet.NewAccountFromMnemonic(mnemonic, p)
}

func signCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("exchange sign", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cold := coldFlags(fs)
	maxFee := fs.String("max-fee", "0.01", "refuse a fee above this many ETP")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	capFee, err := mvs.ParseETP(*maxFee)
	if err != nil {
		return fmt.Errorf("--max-fee: %w", err)
	}
	p, acct, err := cold()
	if err != nil {
		return err
	}
	in, err := io.ReadAll(io.LimitReader(stdin, 16<<20))
	if err != nil {
		return err
	}
	var u wallet.Unsigned
	if err := json.Unmarshal(in, &u); err == nil {
		// Say what is signed, on stderr, before signing.
		for i, o := range u.Tx.Outputs {
			to := "a non-address script"
			if a, ok := script.Script(o.Script).Address(p); ok {
				to = a.String()
			}
			fmt.Fprintf(stderr, "output %d: %s ETP to %s\n", i, o.Value, to)
		}
	}
	raw, err := backend.Sign(in, acct, capFee)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, hex.EncodeToString(raw))
	return nil
}

func xpubCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("exchange xpub", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cold := coldFlags(fs)
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	_, acct, err := cold()
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, acct.ExtendedPublicKey())
	return nil
}

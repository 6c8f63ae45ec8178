package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/examples/exchange/backend"
	"github.com/mvsgo/mvs/examples/internal/devnet"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/wallet"
)

// TestMain lets the test binary act as the exchange command: the end-to-end test runs the
// service and the signer as their own processes (and kills them) by executing itself.
func TestMain(m *testing.M) {
	if os.Getenv("EXCHANGE_TEST_AS_COMMAND") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// The exchange's own keys in the test (BIP39's "legal winner" vector): the signer reads the
// mnemonic, the service only the xpub. The chain's miner is devnet's well-known key.
const exchangeMnemonic = "legal winner thank year wave sausage worth useful legal winner thank yellow"

// proc is a running exchange command.
type proc struct {
	cmd  *exec.Cmd
	done chan struct{}
}

type harness struct {
	t       *testing.T
	dir     string
	common  []string // --net, --node, --xpub, the database
	logMu   sync.Mutex
	log     bytes.Buffer
	service *proc
}

func (h *harness) command(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "EXCHANGE_TEST_AS_COMMAND=1")
	return cmd
}

// exchange runs one exchange command to its end and returns its standard output.
func (h *harness) exchange(stdin string, args ...string) string {
	h.t.Helper()
	cmd := h.command(args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		h.t.Fatalf("exchange %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return out.String()
}

type lockedWriter struct{ h *harness }

func (w lockedWriter) Write(p []byte) (int, error) {
	w.h.logMu.Lock()
	defer w.h.logMu.Unlock()
	return w.h.log.Write(p)
}

// startService starts `exchange run` as a child process.
func (h *harness) startService() {
	h.t.Helper()
	cmd := h.command(append([]string{"run", "--log-level", "info"}, h.common...)...)
	cmd.Stdout, cmd.Stderr = lockedWriter{h}, lockedWriter{h}
	if err := cmd.Start(); err != nil {
		h.t.Fatal(err)
	}
	p := &proc{cmd: cmd, done: make(chan struct{})}
	go func() { cmd.Wait(); close(p.done) }()
	h.service = p
}

// killService ends the service with SIGKILL: no shutdown code runs, as in a crash.
func (h *harness) killService() {
	h.t.Helper()
	if h.service == nil {
		return
	}
	h.service.cmd.Process.Kill()
	<-h.service.done
	h.service = nil
}

// waitFor polls cond; the deadline only keeps a broken run from hanging.
func (h *harness) waitFor(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			h.logMu.Lock()
			h.t.Logf("service log:\n%s", h.log.String())
			h.logMu.Unlock()
			h.t.Fatalf("never: %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func firstField(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// TestEndToEnd runs the exchange on a private chain of two mvsgod nodes, as processes:
// deposits credited after 2 confirmations, the service killed (SIGKILL) and restarted
// twice, a partition in which node A mines 3 blocks holding carol's deposit and a
// withdrawal while node B mines 4 holding a double spend of that deposit's input and of the
// withdrawal's; healed, A reorganises 3 blocks: carol's credit is reversed (never credited
// twice), the withdrawal is reported conflicted; then a withdrawal signed by the signer
// process is broadcast and confirmed. Same test on SQLite and PostgreSQL.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("starts nodes and processes")
	}
	ctx := context.Background()
	bin, err := devnet.Build(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	backends := []struct{ name, driver, where string }{{"sqlite", "sqlite", ""}}
	if dsn := os.Getenv("MVS_TEST_POSTGRES_DSN"); dsn != "" {
		backends = append(backends, struct{ name, driver, where string }{"postgres", "pgx", dsn})
	} else if os.Getenv("CI") != "" {
		t.Fatal("CI is set but MVS_TEST_POSTGRES_DSN is not: .ci/run must start PostgreSQL")
	} else {
		t.Log("MVS_TEST_POSTGRES_DSN unset: PostgreSQL not tested")
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel() // each has its own chain; most of the time is waiting for the clock
			endToEnd(t, bin, b.driver, b.where)
		})
	}
}

func endToEnd(t *testing.T, bin, driver, dsn string) {
	ctx := context.Background()
	dir := t.TempDir()
	p := mvs.RegTest()
	cold, err := wallet.NewAccountFromMnemonic(exchangeMnemonic, p)
	if err != nil {
		t.Fatal(err)
	}
	mnemonicFile := filepath.Join(dir, "signer.mnemonic")
	if err := os.WriteFile(mnemonicFile, []byte(exchangeMnemonic+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	a, err := devnet.Start(ctx, devnet.Config{Bin: bin, Dir: filepath.Join(dir, "a")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Kill() })
	// One transaction of every kind (an MST issued to the miner among them), and coinbases
	// to spend.
	kinds, err := devnet.Populate(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	mine(t, a, 2)
	miner, err := devnet.NewWallet(a, "")
	if err != nil {
		t.Fatal(err)
	}

	h := &harness{t: t, dir: dir}
	h.common = []string{"--net", "regtest", "--node", "http://" + a.RPCAddr(), "--xpub", cold.ExtendedPublicKey(),
		"--confirmations", "2", "--stuck-after", "100"}
	var st *backend.Store
	if driver == "sqlite" {
		path := filepath.Join(dir, "ledger.db")
		h.common = append(h.common, "--db", path)
		st, err = backend.OpenSQLite(ctx, path)
	} else {
		sch := postgresSchema(t, dsn)
		h.common = append(h.common, "--postgres", sch)
		st, err = backend.OpenPostgres(ctx, sch)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	t.Cleanup(h.killService)

	h.startService()
	addr := func(user string) mvs.Address {
		s := firstField(h.exchange("", append([]string{"address"}, append(h.common, user)...)...))
		x, err := mvs.DecodeAddress(s, p)
		if err != nil {
			t.Fatalf("address %q: %v", s, err)
		}
		return x
	}
	alice, bob, carol, dave := addr("alice"), addr("bob"), addr("carol"), addr("dave")
	hot, err := mvs.DecodeAddress(firstField(h.exchange("", append([]string{"hot"}, h.common...)...)), p)
	if err != nil {
		t.Fatal(err)
	}
	deposit := func(user string) backend.Deposit {
		ds, err := backend.Deposits(ctx, st, user)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 1 {
			return backend.Deposit{}
		}
		return ds[0]
	}
	balance := func(user string) int64 {
		b, err := backend.Balances(ctx, st, user)
		if err != nil {
			t.Fatal(err)
		}
		return b[backend.AssetETP]
	}
	withdrawal := func(id string) string {
		var s string
		err := st.DB().QueryRowContext(ctx, rebind(st, `SELECT status FROM withdrawals WHERE id = ?`), id).Scan(&s)
		if err != nil && err != sql.ErrNoRows {
			t.Fatal(err)
		}
		return s
	}

	// Deposits (and the hot wallet's funds, and a coin of the miner's m/7 that carol's
	// deposit will spend) in one block.
	m7 := miner.Address(7)
	for _, pay := range []struct {
		to  mvs.Address
		etp string
	}{{alice, "2"}, {bob, "1.5"}, {hot, "2.5"}, {hot, "2.5"}, {m7, "2"}} {
		amt, _ := mvs.ParseETP(pay.etp)
		if _, err := miner.Pay(ctx, pay.to, amt); err != nil {
			t.Fatalf("pay %s: %v", pay.to, err)
		}
	}
	// And MST: a deposit of 12.3456 of the populated asset (4 decimals) to dave (with some
	// ETP for his withdrawal's fee), and 1 to the hot wallet, for withdrawals.
	for _, m := range []struct {
		to mvs.Address
		q  uint64
	}{{dave, 123456}, {hot, 10000}} {
		ab, err := miner.Builder(ctx)
		if err != nil {
			t.Fatal(err)
		}
		mst, err := ab.SendAsset(m.to, kinds.Asset, m.q, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := miner.SignAndSend(ctx, mst); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := miner.Pay(ctx, dave, mvs.SatoshiPerETP/10); err != nil {
		t.Fatal(err)
	}
	mine(t, a, 1)
	h.waitFor("deposits seen", func() bool {
		ds, err := backend.Deposits(ctx, st, "dave")
		return err == nil && len(ds) == 2 && deposit("alice").Status == backend.DepositPending && deposit("bob").Status != ""
	})
	// Crash 1: the service dies with the deposits pending; two blocks are mined meanwhile.
	h.killService()
	mine(t, a, 1)
	h.startService()
	h.waitFor("deposits credited", func() bool { return balance("alice") == 2e8 && balance("bob") == 1.5e8 })
	h.waitFor("the MST deposit credited", func() bool {
		b, err := backend.Balances(ctx, st, "dave")
		return err == nil && b[backend.AssetMST(kinds.Asset)] == 123456
	})

	// Partition: B starts from a copy of A's chain and knows no peer.
	if err := a.Stop(); err != nil {
		t.Fatal(err)
	}
	bdir := filepath.Join(dir, "b")
	if err := os.CopyFS(bdir, os.DirFS(a.Dir())); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"hosts.cache", "bans.json"} {
		os.Remove(filepath.Join(bdir, f))
	}
	if err := a.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	b, err := devnet.Start(ctx, devnet.Config{Bin: bin, Dir: bdir, MineTo: miner.Address(1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Kill() })
	forkHeight, err := a.RPC().GetHeight(ctx)
	if err != nil {
		t.Fatal(err)
	}

	// A's branch: carol's deposit spends m/7's coin; bob withdraws 0.5 ETP.
	onePointFive, _ := mvs.ParseETP("1.5")
	carolDeposit := spendOnly(t, ctx, miner, m7, carol, onePointFive)
	unsignedWC := h.exchange("", append([]string{"withdraw", "--id", "wc", "--user", "bob", "--to", miner.Address(10).String(), "--amount", "0.5"}, h.common...)...)
	signedWC := h.exchange(unsignedWC, "sign", "--net", "regtest", "--mnemonic-file", mnemonicFile)
	if out := h.exchange(signedWC, append([]string{"submit", "--id", "wc"}, h.common...)...); !strings.Contains(out, backend.WithdrawalSent) {
		t.Fatalf("submit wc: %s", out)
	}
	mine(t, a, 3)
	h.waitFor("carol credited and wc confirmed on A's branch", func() bool {
		return balance("carol") == 1.5e8 && withdrawal("wc") == backend.WithdrawalConfirmed
	})
	if d := deposit("carol"); d.TxID != carolDeposit.Hash().String() || d.Credits != 1 {
		t.Fatalf("carol's deposit %+v", d)
	}

	// B's branch, one block longer: m/7's coin goes elsewhere, and an operator's transaction
	// (signed with the exchange's cold key) spends wc's first input.
	minerB, err := devnet.NewWallet(b, "")
	if err != nil {
		t.Fatal(err)
	}
	spendOnly(t, ctx, minerB, m7, minerB.Address(8), onePointFive)
	var u wallet.Unsigned
	if err := json.Unmarshal([]byte(unsignedWC), &u); err != nil {
		t.Fatal(err)
	}
	conflict := conflictingSpend(t, ctx, b, &u, cold, minerB.Address(9))
	mine(t, b, 4)

	// Heal; crash 2: the service is killed as A reorganises, and restarted.
	if err := a.Connect(ctx, b.P2PAddr()); err != nil {
		t.Fatal(err)
	}
	h.killService()
	bTip, err := b.RPC().GetBestBlockHash(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h.waitFor("A on B's branch", func() bool {
		tip, err := a.RPC().GetBestBlockHash(ctx)
		return err == nil && tip == bTip
	})
	if height, _ := a.RPC().GetHeight(ctx); height != forkHeight+4 {
		t.Fatalf("A at %d after the reorganisation, want %d", height, forkHeight+4)
	}
	h.startService()
	h.waitFor("carol's credit reversed, wc conflicted", func() bool {
		return deposit("carol").Status == backend.DepositReversed && withdrawal("wc") == backend.WithdrawalConflicted
	})
	if balance("carol") != 0 {
		t.Fatalf("carol after the reorg: %d", balance("carol"))
	}
	var conflictTx string
	if err := st.DB().QueryRowContext(ctx, rebind(st, `SELECT conflict_txid FROM withdrawals WHERE id = ?`), "wc").Scan(&conflictTx); err != nil || conflictTx != conflict.Hash().String() {
		t.Fatalf("wc's conflict %q (%v), want %s", conflictTx, err, conflict.Hash())
	}

	// A withdrawal on the new chain: built by the service, signed by the signer process,
	// broadcast, mined, confirmed.
	unsigned := h.exchange("", append([]string{"withdraw", "--id", "w1", "--user", "alice", "--to", miner.Address(11).String(), "--amount", "1"}, h.common...)...)
	signed := h.exchange(unsigned, "sign", "--net", "regtest", "--mnemonic-file", mnemonicFile)
	h.exchange(signed, append([]string{"submit", "--id", "w1"}, h.common...)...)
	mine(t, a, 2)
	h.waitFor("w1 confirmed", func() bool { return withdrawal("w1") == backend.WithdrawalConfirmed })
	// dave withdraws 0.5 of the MST from the hot wallet's; the fee comes from his ETP.
	unsignedM := h.exchange("", append([]string{"withdraw", "--id", "m1", "--user", "dave", "--to", miner.Address(12).String(),
		"--symbol", kinds.Asset, "--quantity", "5000"}, h.common...)...)
	signedM := h.exchange(unsignedM, "sign", "--net", "regtest", "--mnemonic-file", mnemonicFile)
	h.exchange(signedM, append([]string{"submit", "--id", "m1"}, h.common...)...)
	mine(t, a, 2)
	h.waitFor("m1 confirmed", func() bool { return withdrawal("m1") == backend.WithdrawalConfirmed })
	if got, err := a.RPC().GetAddressAsset(ctx, miner.Address(12).String(), kinds.Asset); err != nil || len(got) != 1 || got[0].Quantity == nil || *got[0].Quantity != 5000 {
		t.Fatalf("the payee's %s after m1: %+v (%v)", kinds.Asset, got, err)
	}

	// The credited deposits still on their addresses (the ETP of alice, bob and dave: not
	// carol's reversed one, not dave's MST) move to the hot wallet, through the signer too.
	unsignedSweep := h.exchange("", append([]string{"sweep", "--id", "s1"}, h.common...)...)
	var su wallet.Unsigned
	if err := json.Unmarshal([]byte(unsignedSweep), &su); err != nil {
		t.Fatal(err)
	}
	if len(su.Tx.Inputs) != 3 {
		t.Fatalf("the sweep spends %d outputs, want the ETP deposits of alice, bob and dave", len(su.Tx.Inputs))
	}
	signedSweep := h.exchange(unsignedSweep, "sign", "--net", "regtest", "--mnemonic-file", mnemonicFile)
	h.exchange(signedSweep, append([]string{"submit", "--id", "s1"}, h.common...)...)
	mine(t, a, 2)
	h.waitFor("the sweep confirmed", func() bool { return withdrawal("s1") == backend.WithdrawalConfirmed })

	// Crash 3 and a last block: nothing moves twice.
	h.killService()
	mine(t, a, 1)
	h.startService()
	tip, _ := a.RPC().GetHeight(ctx)
	h.waitFor("the service at the tip", func() bool {
		var n int64
		st.DB().QueryRowContext(ctx, `SELECT MAX(height) FROM blocks`).Scan(&n)
		return uint64(n) == tip
	})
	fee := int64(p.MinTxFee)
	want := map[string]int64{"alice": 2e8 - 1e8 - fee, "bob": 1.5e8 - 0.5e8 - fee, "carol": 0, "dave": 0.1e8 - fee}
	for user, v := range want {
		if got := balance(user); got != v {
			t.Errorf("%s: balance %d, want %d", user, got, v)
		}
	}
	if b, _ := backend.Balances(ctx, st, "dave"); b[backend.AssetMST(kinds.Asset)] != 123456-5000 {
		t.Errorf("dave's %s: %d", kinds.Asset, b[backend.AssetMST(kinds.Asset)])
	}
	// No lost or double credit: per deposit, credits minus reversals is 1 when it stands
	// in the chain and 0 when it left it.
	ds, err := backend.Deposits(ctx, st, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		var net, entries int64
		if err := st.DB().QueryRowContext(ctx, rebind(st, `SELECT COALESCE(SUM(CASE kind WHEN 'deposit' THEN 1 ELSE -1 END), 0), COUNT(*)
			FROM ledger WHERE ref LIKE ?`), "%:"+d.TxID+":"+fmt.Sprint(d.Vout)+":%").Scan(&net, &entries); err != nil {
			t.Fatal(err)
		}
		wantNet := int64(0)
		if d.Status == backend.DepositCredited {
			wantNet = 1
		}
		if net != wantNet {
			t.Errorf("deposit %s:%d (%s) booked %d times net, %d entries", d.TxID, d.Vout, d.Status, net, entries)
		}
	}
	problems, err := backend.Problems(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	byKind := map[string]int{}
	for _, pr := range problems {
		byKind[pr.Kind]++
	}
	if byKind["deposit reversed"] != 1 || byKind["withdrawal conflicted"] != 1 || len(problems) != 2 {
		t.Errorf("problems: %+v", problems)
	}
	h.logMu.Lock()
	log := h.log.String()
	h.logMu.Unlock()
	if strings.Contains(log, "no push") || !strings.Contains(log, "deposit reversed") {
		t.Errorf("the service did not follow the push channel, or logged no reversal:\n%s", log)
	}
	out := h.exchange("", append([]string{"status"}, h.common...)...)
	t.Logf("exchange status:\n%s", out)
	if !strings.Contains(out, "withdrawal conflicted wc") || !strings.Contains(out, "deposit reversed") {
		t.Errorf("status does not report the problems:\n%s", out)
	}
}

// mine mines count blocks on n, one at a time, never more than 12 s ahead of the clock: the
// node refuses a block timestamped beyond 24 s past its clock, and its miner stamps each
// block one second after its parent, so a burst faster than one block a second (Populate
// mines sixteen) must wait for the clock to catch up.
func mine(t *testing.T, n *devnet.Node, count int) {
	t.Helper()
	ctx := context.Background()
	for range count {
		hdr, err := n.RPC().GetBestBlockHeader(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if ahead := time.Until(time.Unix(int64(hdr.Timestamp), 0)); ahead > 12*time.Second {
			time.Sleep(ahead - 12*time.Second)
		}
		if _, err := n.Mine(ctx, 1); err != nil {
			t.Fatal(err)
		}
	}
}

// spendOnly pays amount to `to` from the coins of `from` alone (the test gives it one), so
// that two branches spend the same coin.
func spendOnly(t *testing.T, ctx context.Context, w *devnet.Wallet, from, to mvs.Address, amount mvs.Amount) *tx.Tx {
	t.Helper()
	b, err := w.Builder(ctx, from)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Coins) != 1 {
		t.Fatalf("%s holds %d coins, want 1", from, len(b.Coins))
	}
	b.ChangeAddress = from
	u, err := b.Send(wallet.Payment{To: to, Amount: amount})
	if err != nil {
		t.Fatal(err)
	}
	x, err := w.SignAndSend(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// conflictingSpend sends to n a transaction spending u's first input to `to`, signed with
// the exchange's cold account.
func conflictingSpend(t *testing.T, ctx context.Context, n *devnet.Node, u *wallet.Unsigned, cold *wallet.Account, to mvs.Address) *tx.Tx {
	t.Helper()
	op := u.Tx.Inputs[0].PreviousOutput
	var prev *tx.Tx
	for _, x := range u.PrevTxs {
		if x.Hash() == op.Hash {
			prev = x
		}
	}
	if prev == nil {
		t.Fatal("no previous transaction for wc's input")
	}
	coin, err := wallet.CoinFromTx(prev, op.Index, u.PrevOuts[0].Height)
	if err != nil {
		t.Fatal(err)
	}
	coin.Origin = u.Inputs[0].Origin
	tip, err := n.RPC().GetHeight(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b := &wallet.Builder{Params: n.Params(), TipHeight: uint32(tip), MinConfirmations: 1, Coins: []wallet.Coin{coin}}
	cu, err := b.Send(wallet.Payment{To: to, Amount: mvs.SatoshiPerETP / 10})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cu.SignWithAccount(cold, tx.SignOptions{}); err != nil {
		t.Fatal(err)
	}
	x, err := cu.Final()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.RPC().SendRawTx(ctx, x.Bytes()); err != nil {
		t.Fatal(err)
	}
	return x
}

func rebind(st *backend.Store, q string) string {
	if !st.Postgres() {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// postgresSchema creates an empty schema for one test and returns dsn selecting it.
func postgresSchema(t *testing.T, dsn string) string {
	t.Helper()
	name := fmt.Sprintf("exch_e2e_%d", os.Getpid())
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{`DROP SCHEMA IF EXISTS ` + name + ` CASCADE`, `CREATE SCHEMA ` + name} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		if db, err := sql.Open("pgx", dsn); err == nil {
			db.Exec(`DROP SCHEMA IF EXISTS ` + name + ` CASCADE`)
			db.Close()
		}
	})
	sep := " "
	if strings.Contains(dsn, "://") {
		sep = "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		return dsn + sep + "search_path=" + name
	}
	return dsn + sep + "search_path=" + name
}

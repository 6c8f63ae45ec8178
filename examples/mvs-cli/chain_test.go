package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/chain/regtest"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/wallet"
)

// testChain is a RegTest chain with a payment, a DID, an asset and an MIT, its blocks
// exported as hex lines, and a signed payment not yet mined.
type testChain struct {
	net      *regtest.Net
	hexFile  string // one block per line, heights 1..tip
	binFile  string // the same blocks concatenated
	pending  *tx.Tx // valid at the tip
	mined    *tx.Tx // already in a block: its inputs are spent
	alice    mvs.Address
	bob      mvs.Address
	blockCnt int
}

func newTestChain(t *testing.T) *testChain {
	t.Helper()
	net := regtest.New(t)
	net.Mine(8)
	alice, bob := net.Address(0), net.Address(1)
	const etp = mvs.SatoshiPerETP
	paid := net.Fund(bob, 3*etp)
	net.Mine(1, net.Build(net.Builder().RegisterDID(alice, "alice")))
	net.Mine(1, net.Build(net.Builder().IssueAsset(alice, wallet.AssetIssue{Symbol: "ALICE.COIN", MaximumSupply: 1000,
		Threshold: 127, IssuerDID: "alice", DomainCert: true})))
	net.Mine(1, net.Build(net.Builder().SendAsset(bob, "ALICE.COIN", 100, "", "")))
	net.Mine(1, net.Build(net.Builder().RegisterMIT(alice, "ALICE.MIT", "content")))
	net.Mine(2)
	tc := &testChain{net: net, mined: paid, alice: alice, bob: bob,
		pending: net.Build(net.Builder().Send(wallet.Payment{To: net.Address(2), Amount: etp}))}
	var lines strings.Builder
	var bin bytes.Buffer
	for h := uint32(1); h <= net.Height(); h++ {
		raw := net.BlockAt(h).Bytes()
		lines.WriteString(hex.EncodeToString(raw) + "\n")
		bin.Write(raw)
		tc.blockCnt++
	}
	dir := t.TempDir()
	tc.hexFile, tc.binFile = filepath.Join(dir, "blocks.hex"), filepath.Join(dir, "blocks.bin")
	if err := os.WriteFile(tc.hexFile, []byte(lines.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tc.binFile, bin.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return tc
}

// regtestFlags are the flags every chain verb of these tests passes.
func regtestFlags(datadir string) []string {
	return []string{"--datadir", datadir, "--net", "regtest"}
}

func chainArgs(verb, datadir string, more ...string) []string {
	args := append([]string{"chain", verb}, regtestFlags(datadir)...)
	if verb == "import" || verb == "verify" {
		args = append(args, "--ethash-test-sizes")
	}
	return append(args, more...)
}

func importSummaryOf(t *testing.T, out string) importSummary {
	t.Helper()
	var s importSummary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("import summary %q: %v", out, err)
	}
	return s
}

// asJSON is v as the CLI prints it.
func asJSON(t *testing.T, v any) string {
	t.Helper()
	var b bytes.Buffer
	if err := printJSON(&b, v); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestChainImportAndQueries(t *testing.T) {
	tc := newTestChain(t)
	dir := filepath.Join(t.TempDir(), "data")
	out, errOut, code := runCLI(t, "", chainArgs("import", dir, tc.hexFile)...)
	if code != 0 {
		t.Fatalf("import: exit %d: %s", code, errOut)
	}
	s := importSummaryOf(t, out)
	tipHash := tc.net.Tip().Hash()
	if s.Imported != tc.blockCnt || s.Skipped != 0 || s.Invalid != nil || s.TipHeight != tc.net.Height() || s.TipHash != tipHash.String() {
		t.Fatalf("import summary: %+v, want %d blocks to %s", s, tc.blockCnt, tipHash)
	}
	if !strings.Contains(errOut, "blocks/s") || !strings.Contains(errOut, "100.0% read") {
		t.Errorf("no progress on stderr: %q", errOut)
	}

	// Resume: a second run (hex or binary) finds every block known.
	for _, f := range []string{tc.hexFile, tc.binFile} {
		out, errOut, code = runCLI(t, "", chainArgs("import", dir, f)...)
		if s := importSummaryOf(t, out); code != 0 || s.Imported != 0 || s.Skipped != tc.blockCnt || s.TipHash != tipHash.String() {
			t.Fatalf("re-import %s: exit %d %s %+v", filepath.Base(f), code, errOut, s)
		}
	}

	q := chain.NewQueries(tc.net.Store(), tc.net.Params())
	must := func(v any, err error) any {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	txInfo := must(q.Tx(tc.mined.Hash())).(chain.TxInfo)
	for _, c := range []struct {
		args []string
		want any
	}{
		{[]string{"balance", tc.alice.String()}, must(q.Balance(tc.alice))},
		{[]string{"balance", tc.bob.String()}, must(q.Balance(tc.bob))},
		{[]string{"utxos", tc.bob.String()}, must(q.UTXOsPage(tc.bob, "", chain.MaxPage))},
		{[]string{"utxos", "--limit", "1", tc.bob.String()}, must(q.UTXOsPage(tc.bob, "", 1))},
		{[]string{"history", tc.alice.String(), "--limit", "1000"}, must(q.History(tc.alice, "", 1000))},
		{[]string{"history", "--limit", "2", tc.alice.String()}, must(q.History(tc.alice, "", 2))},
		{[]string{"tx", tc.mined.Hash().String()}, txJSON{TxInfo: txInfo, Decoded: txInfo.Tx.ToJSON(tc.net.Params())}},
		{[]string{"asset", "ALICE.COIN"}, must(q.Asset("ALICE.COIN", 100))},
		{[]string{"did", "alice"}, must(q.DID("alice"))},
		{[]string{"did", tc.alice.String()}, must(q.DIDOf(tc.alice))},
		{[]string{"mit", "ALICE.MIT"}, must(q.MIT("ALICE.MIT"))},
	} {
		out, errOut, code := runCLI(t, "", chainArgs(c.args[0], dir, c.args[1:]...)...)
		if code != 0 {
			t.Errorf("%v: exit %d: %s", c.args, code, errOut)
			continue
		}
		if want := asJSON(t, c.want); out != want {
			t.Errorf("%v:\n%s\nwant\n%s", c.args, out, want)
		}
	}
	// history pages chain through --cursor.
	p1 := must(q.History(tc.alice, "", 2)).(chain.HistoryPage)
	out, _, code = runCLI(t, "", chainArgs("history", dir, "--limit", "2", "--cursor", p1.Next, tc.alice.String())...)
	if want := asJSON(t, must(q.History(tc.alice, p1.Next, 2))); code != 0 || out != want {
		t.Errorf("history page 2: %d\n%s\nwant\n%s", code, out, want)
	}

	// utxos pages too, and a cursor of another address is refused.
	u1 := must(q.UTXOsPage(tc.bob, "", 1)).(chain.UTXOPage)
	if u1.Next == "" {
		t.Fatal("bob's first one-output page has no next")
	}
	out, _, code = runCLI(t, "", chainArgs("utxos", dir, "--limit", "1", "--cursor", u1.Next, tc.bob.String())...)
	if want := asJSON(t, must(q.UTXOsPage(tc.bob, u1.Next, 1))); code != 0 || out != want {
		t.Errorf("utxos page 2: %d\n%s\nwant\n%s", code, out, want)
	}
	if _, errOut, code := runCLI(t, "", chainArgs("utxos", dir, "--cursor", u1.Next, tc.alice.String())...); code != 1 ||
		!strings.Contains(errOut, "is not a cursor utxos printed for this address") {
		t.Errorf("another address's cursor: exit %d %q", code, errOut)
	}

	out, errOut, code = runCLI(t, "", chainArgs("info", dir)...)
	var info infoJSON
	if err := json.Unmarshal([]byte(out), &info); code != 0 || err != nil || info.TipHash != tipHash.String() ||
		info.TipHeight != tc.net.Height() || info.Network != "regtest" || info.StoreBytes <= 0 {
		t.Errorf("info: exit %d %s %s", code, errOut, out)
	}

	// The imported store is the same state as the chain that mined the blocks.
	st, err := store.Open(filepath.Join(dir, storeFile), store.Options{Params: tc.net.Params()})
	if err != nil {
		t.Fatal(err)
	}
	d, err := st.Digest()
	st.Close()
	if err != nil || d != tc.net.Digest() {
		t.Errorf("imported digest %s (%v), want the mining chain's %s", d, err, tc.net.Digest())
	}
}

func TestChainImportBinaryAndInvalid(t *testing.T) {
	tc := newTestChain(t)
	dir := filepath.Join(t.TempDir(), "data")
	out, errOut, code := runCLI(t, "", chainArgs("import", dir, tc.binFile)...)
	if s := importSummaryOf(t, out); code != 0 || s.Imported != tc.blockCnt {
		t.Fatalf("binary import: exit %d %s %+v", code, errOut, s)
	}

	// A block of another chain, then a copy with its bits changed: the import stores the
	// first and stops at the second with the rule it breaks.
	other := regtest.New(t, regtest.WithSeed([]byte("another chain")))
	other.Mine(1)
	blk := other.Tip()
	bad := filepath.Join(t.TempDir(), "bad.hex")
	fresh := filepath.Join(t.TempDir(), "fresh")
	lines := hex.EncodeToString(blk.Bytes()) + "\n"
	blk.Header.Bits[31] ^= 1 // a difficulty the parent does not imply
	os.WriteFile(bad, []byte(lines+hex.EncodeToString(blk.Bytes())+"\n"), 0o600)
	out, errOut, code = runCLI(t, "", chainArgs("import", fresh, bad)...)
	s := importSummaryOf(t, out)
	if code != 1 || s.Invalid == nil || s.Imported != 1 {
		t.Fatalf("invalid block: exit %d %q %+v", code, errOut, s)
	}
	if !strings.Contains(errOut, "is invalid: "+s.Invalid.Rule+" (code ") || s.Invalid.Rule == "" || s.Invalid.Code == 0 {
		t.Errorf("invalid block: stderr %q, invalid %+v", errOut, s.Invalid)
	}
}

func TestChainCheckTx(t *testing.T) {
	tc := newTestChain(t)
	dir := filepath.Join(t.TempDir(), "data")
	if _, errOut, code := runCLI(t, "", chainArgs("import", dir, tc.hexFile)...); code != 0 {
		t.Fatalf("import: %d %s", code, errOut)
	}
	wantFee, _, err := chain.CheckTxAtTip(tc.pending, tc.net.Store(), tc.net.Params())
	if err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, "", chainArgs("check-tx", dir, hex.EncodeToString(tc.pending.Bytes()))...)
	var r checkTxJSON
	if err := json.Unmarshal([]byte(out), &r); code != 0 || err != nil || !r.Valid || r.Fee == nil || *r.Fee != int64(wantFee) || r.ruleJSON != nil {
		t.Fatalf("valid spend: exit %d %s %s", code, errOut, out)
	}
	// stdin works too.
	if out2, _, code := runCLI(t, hex.EncodeToString(tc.pending.Bytes()), chainArgs("check-tx", dir)...); code != 0 || out2 != out {
		t.Errorf("check-tx from stdin: %d %s", code, out2)
	}
	// A transaction already mined spends outputs that are no longer unspent.
	out, errOut, code = runCLI(t, "", chainArgs("check-tx", dir, hex.EncodeToString(tc.mined.Bytes()))...)
	var d map[string]any
	if err := json.Unmarshal([]byte(out), &d); code != 1 || err != nil || d["valid"] != false ||
		d["rule"] != "ErrMissingInput" || d["code"] != float64(chain.ErrMissingInput) || errOut != "" {
		t.Fatalf("double spend: exit %d %q %s", code, errOut, out)
	}
	if _, ok := d["fee"]; ok {
		t.Errorf("double spend has a fee: %s", out)
	}
	// A signature altered: the script rule, by code and name.
	forged, err := tx.Decode(tc.pending.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	forged.Inputs[0].Script[10] ^= 1
	out, _, code = runCLI(t, "", chainArgs("check-tx", dir, hex.EncodeToString(forged.Bytes()))...)
	d = nil
	if err := json.Unmarshal([]byte(out), &d); code != 1 || err != nil || d["valid"] != false ||
		d["rule"] != "ErrScript" || d["code"] != float64(chain.ErrScript) {
		t.Fatalf("forged signature: exit %d %s", code, out)
	}
}

func TestChainVerify(t *testing.T) {
	tc := newTestChain(t)
	dir := filepath.Join(t.TempDir(), "data")
	if _, errOut, code := runCLI(t, "", chainArgs("import", dir, tc.hexFile)...); code != 0 {
		t.Fatalf("import: %d %s", code, errOut)
	}
	out, errOut, code := runCLI(t, "", chainArgs("verify", dir, "--tmpdir", t.TempDir())...)
	var v verifyJSON
	if err := json.Unmarshal([]byte(out), &v); code != 0 || err != nil || !v.Valid || v.Digest != v.RebuiltDigest ||
		v.Blocks != tc.blockCnt || v.Check != "ok" {
		t.Fatalf("verify: exit %d %s %s", code, errOut, out)
	}

	// Alter the stored state through the store's API: the tip's header loses its status.
	st, err := store.Open(filepath.Join(dir, storeFile), store.Options{Params: tc.net.Params()})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetStatus(tc.net.Tip().Hash(), store.StatusHasBody); err != nil {
		t.Fatal(err)
	}
	st.Close()
	out, errOut, code = runCLI(t, "", chainArgs("verify", dir)...)
	v = verifyJSON{}
	if err := json.Unmarshal([]byte(out), &v); code != 1 || err != nil || v.Valid || v.Digest == v.RebuiltDigest ||
		!strings.Contains(errOut, "differs from the rebuilt state's") {
		t.Fatalf("tampered verify: exit %d %q %s", code, errOut, out)
	}
}

// Bad chain command lines: one plain sentence, naming what is wrong.
func TestChainErrors(t *testing.T) {
	tc := newTestChain(t)
	dir := filepath.Join(t.TempDir(), "data")
	if _, errOut, code := runCLI(t, "", chainArgs("import", dir, tc.hexFile)...); code != 0 {
		t.Fatalf("import: %d %s", code, errOut)
	}
	empty := t.TempDir()
	notBlocks := filepath.Join(t.TempDir(), "x.hex")
	os.WriteFile(notBlocks, []byte("abcd\n"), 0o600)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"chain", "info"}, "mvs-cli: missing --datadir\n"},
		{[]string{"chain", "info", "--datadir", empty}, "mvs-cli: no chain in " + empty + " (no chain.db; run mvs-cli chain import first)\n"},
		{[]string{"chain", "info", "--datadir", dir}, "mvs-cli: " + filepath.Join(dir, storeFile) + " holds another network's chain, not mainnet's: pass the --net it was imported with (file belongs to another network)\n"},
		{[]string{"chain", "balance", "--datadir", dir, "--net", "regtest"}, "mvs-cli: missing ADDRESS\n"},
		{[]string{"chain", "balance", "--datadir", dir, "--net", "regtest", "a", "b"}, "mvs-cli: unexpected argument \"b\" (one ADDRESS only)\n"},
		{[]string{"chain", "tx", "--datadir", dir, "--net", "regtest", "zz"}, "mvs-cli: TXID \"zz\" is not a transaction hash (64 hex digits)\n"},
		{[]string{"chain", "tx", "--datadir", dir, "--net", "regtest", strings.Repeat("00", 32)}, "mvs-cli: transaction " + strings.Repeat("00", 32) + " is not on the chain (not found)\n"},
		{[]string{"chain", "history", "--datadir", dir, "--net", "regtest", "--limit", "0", tc.alice.String()}, "mvs-cli: --limit 0: want 1 to 1000\n"},
		{[]string{"chain", "history", "--datadir", dir, "--net", "regtest", "--cursor", "zz", tc.alice.String()}, "mvs-cli: --cursor \"zz\" is not a cursor history printed\n"},
		{[]string{"chain", "asset", "--datadir", dir, "--net", "regtest", "NOPE"}, "mvs-cli: asset NOPE is not on the chain (not found)\n"},
		{[]string{"chain", "import", "--datadir", dir, "--net", "regtest"}, "mvs-cli: missing FILE (one or more files of blocks)\n"},
		{[]string{"chain", "import", "--datadir", dir, "--net", "regtest", "--assume-valid", "xyz", tc.hexFile}, "mvs-cli: --assume-valid \"xyz\" is not a block hash (64 hex digits)\n"},
		{[]string{"chain", "import", "--datadir", dir, "--ethash-test-sizes", tc.hexFile}, "mvs-cli: --ethash-test-sizes is for --net regtest only: mainnet blocks are sealed with the real sizes\n"},
		{[]string{"chain", "import", "--datadir", dir, "--net", "regtest", "--ethash-test-sizes", notBlocks}, ""},
		{[]string{"chain", "check-tx", "--datadir", dir, "--net", "regtest", "00"}, ""},
		{[]string{"chain", "verify", "--datadir", dir, "--net", "regtest", "extra"}, "mvs-cli: unexpected argument \"extra\"\n"},
	} {
		_, errOut, code := runCLI(t, "", c.args...)
		if code != 1 || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "mvs-cli: ") || (c.want != "" && errOut != c.want) {
			t.Errorf("%v: exit %d %q, want %q", c.args, code, errOut, c.want)
		}
	}
	// A store of another network is never opened as this one's (errors.Is through the CLI).
	err := dispatch(&env{}, []string{"chain", "info", "--datadir", dir})
	if !errors.Is(err, store.ErrWrongNetwork) {
		t.Errorf("wrong network: %v", err)
	}
	if err := dispatch(&env{}, []string{"chain", "info", "--datadir", empty}); !errors.Is(err, errNoChain) {
		t.Errorf("no chain: %v", err)
	}
	if err := dispatch(&env{stderr: &bytes.Buffer{}, stdout: &bytes.Buffer{}}, []string{"chain", "import", "--datadir", dir, "--net", "regtest", "--ethash-test-sizes", notBlocks}); !errors.Is(err, errNotBlocks) {
		t.Errorf("not blocks: %v", err)
	}
}

// Blocks whose parent never comes are not stored: exit status 3 and their count. Stdin
// ("-") is read like a file, and a binary stream cut short is refused as not blocks.
func TestChainImportOrphansStdinTruncated(t *testing.T) {
	tc := newTestChain(t)
	lines := strings.SplitAfter(readFile(t, tc.hexFile), "\n")
	dir := filepath.Join(t.TempDir(), "data")
	out, errOut, code := runCLI(t, strings.Join(lines[1:], ""), chainArgs("import", dir, "-")...)
	if s := importSummaryOf(t, out); code != exitIncomplete || s.Orphans != tc.blockCnt-1 || s.Imported != 0 || s.TipHeight != 0 ||
		!strings.HasSuffix(errOut, fmt.Sprintf("mvs-cli: %d blocks were not stored: their parent never came\n", tc.blockCnt-1)) {
		t.Fatalf("orphans: exit %d %q %+v", code, errOut, s)
	}
	// The whole chain from stdin, lines with "0x" and CRLF: everything joins.
	prefixed := "0x" + strings.ReplaceAll(strings.TrimSpace(readFile(t, tc.hexFile)), "\n", "\r\n0x") + "\r\n"
	out, errOut, code = runCLI(t, prefixed, chainArgs("import", dir, "-")...)
	if s := importSummaryOf(t, out); code != 0 || s.Imported != tc.blockCnt || s.Orphans != 0 {
		t.Fatalf("stdin: exit %d %q %+v", code, errOut, s)
	}

	bin := []byte(readFile(t, tc.binFile))
	cut := filepath.Join(t.TempDir(), "cut.bin")
	os.WriteFile(cut, bin[:len(bin)-5], 0o600)
	fresh := filepath.Join(t.TempDir(), "fresh")
	err := dispatch(&env{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}, chainArgs("import", fresh, cut))
	if !errors.Is(err, errNotBlocks) || !strings.Contains(err.Error(), "cut.bin at byte ") {
		t.Fatalf("truncated stream: %v", err)
	}
}

func TestChainDIDOfAnotherNetwork(t *testing.T) {
	tc := newTestChain(t)
	dir := filepath.Join(t.TempDir(), "data")
	if _, errOut, code := runCLI(t, "", chainArgs("import", dir, tc.hexFile)...); code != 0 {
		t.Fatalf("import: %d %s", code, errOut)
	}
	const mainnetAddr = "MGqHvbaH9wzdr6oUDFz4S1HptjoKQcjRve"
	_, errOut, code := runCLI(t, "", chainArgs("did", dir, mainnetAddr)...)
	if code != 1 || !strings.Contains(errOut, "(it is valid with --net mainnet)") {
		t.Errorf("did of a mainnet address on regtest: exit %d %q", code, errOut)
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// --assume-valid stores the files' headers first, so that the chain knows the assumed
// block's ancestors; a hash neither stored nor in the files is refused, not ignored.
func TestChainImportAssumeValid(t *testing.T) {
	tc := newTestChain(t)
	dir := filepath.Join(t.TempDir(), "data")
	tip := tc.net.Tip().Hash().String()
	for _, c := range []struct {
		args []string
		want error
	}{
		{chainArgs("import", dir, "--assume-valid", strings.Repeat("11", 32), tc.hexFile), errAssumeValidUnknown},
		{chainArgs("import", dir, "--assume-valid", tip, "-"), nil},
	} {
		if err := dispatch(&env{stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}, c.args); err == nil ||
			(c.want != nil && !errors.Is(err, c.want)) {
			t.Errorf("%v: %v, want %v", c.args[len(c.args)-3:], err, c.want)
		}
	}
	out, errOut, code := runCLI(t, "", chainArgs("import", dir, "--assume-valid", tip, tc.binFile)...)
	if s := importSummaryOf(t, out); code != 0 || s.Imported != tc.blockCnt || s.TipHash != tip {
		t.Fatalf("assume-valid import: exit %d %q %+v", code, errOut, s)
	}
	st, err := store.Open(filepath.Join(dir, storeFile), store.Options{Params: tc.net.Params()})
	if err != nil {
		t.Fatal(err)
	}
	d, err := st.Digest()
	st.Close()
	if err != nil || d != tc.net.Digest() {
		t.Errorf("digest after an assume-valid import %s (%v), want %s", d, err, tc.net.Digest())
	}
	// Rerun: the header is stored now, so the hash is accepted without the files holding it.
	first := filepath.Join(t.TempDir(), "first.hex")
	os.WriteFile(first, []byte(strings.SplitAfter(readFile(t, tc.hexFile), "\n")[0]), 0o600)
	out, errOut, code = runCLI(t, "", chainArgs("import", dir, "--assume-valid", tip, first)...)
	if s := importSummaryOf(t, out); code != 0 || s.Skipped != 1 {
		t.Fatalf("assume-valid rerun: exit %d %q %+v", code, errOut, s)
	}
}

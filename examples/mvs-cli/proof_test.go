package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/chain/regtest"
	"github.com/mvsgo/mvs/examples/node/rpcserver"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/wallet"
)

// proofChain is a RegTest chain exported to a chain store through the CLI, with a node
// (the SDK's RPC server) over the chain's own store.
type proofChain struct {
	net     *regtest.Net
	dir     string // files of the test
	datadir string // the CLI's chain store
	rpcURL  string
}

func newProofChain(t *testing.T, opts ...regtest.Option) *proofChain {
	t.Helper()
	net := regtest.New(t, opts...)
	net.Mine(6)
	pc := &proofChain{net: net, dir: t.TempDir()}
	pc.datadir = filepath.Join(pc.dir, "data")
	net.Fund(net.Address(1), 2*mvs.SatoshiPerETP)
	net.Mine(wallet.DefaultMinConfirmations) // the builder spends confirmed coins only
	pc.sync(t)
	srv, err := rpcserver.New(rpcserver.Config{Params: net.Params(), Store: net.Store(), Chain: net.Chain(),
		Queries: chain.NewQueries(net.Store(), net.Params()), Submit: func(*tx.Tx) error { return errors.New("read-only") }})
	if err != nil {
		t.Fatal(err)
	}
	srv.Start()
	t.Cleanup(func() { srv.Close() })
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	pc.rpcURL = hs.URL
	return pc
}

// sync imports the chain's blocks into the CLI's store (a rerun skips what it has).
func (pc *proofChain) sync(t *testing.T) {
	t.Helper()
	var lines strings.Builder
	for h := uint32(1); h <= pc.net.Height(); h++ {
		lines.WriteString(hex.EncodeToString(pc.net.BlockAt(h).Bytes()) + "\n")
	}
	file := filepath.Join(pc.dir, "blocks.hex")
	if err := os.WriteFile(file, []byte(lines.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := runCLI(t, "", chainArgs("import", pc.datadir, file)...); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errOut)
	}
}

func (pc *proofChain) write(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(pc.dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// wifFile writes the WIF of the regtest account's key i.
func (pc *proofChain) wifFile(t *testing.T, name string, i uint32) string {
	return pc.write(t, name, wallet.EncodeWIF(pc.net.Key(i), true, pc.net.Params())+"\n")
}

// The whole flow through the CLI: digest a file, build the message transaction from the
// store's coins, sign it with tx sign, mine it, make the proof from a block file, the
// store and a node, and verify it offline (exit 3), against the store and the node
// (exit 0), and refuse another file and altered proofs (exit 1).
func TestProofFlow(t *testing.T) {
	pc := newProofChain(t)
	file := pc.write(t, "contract.txt", "the contract, signed on 2 December\n")
	digest := sha256.Sum256([]byte("the contract, signed on 2 December\n"))

	out, errOut, code := runCLI(t, "", "proof", "digest", file)
	var dj digestJSON
	if code != 0 || json.Unmarshal([]byte(out), &dj) != nil || dj.Digest != hex.EncodeToString(digest[:]) || dj.Message != "sha256:"+dj.Digest {
		t.Fatalf("digest: exit %d %q %s", code, out, errOut)
	}

	from := pc.net.Address(1).String()
	unsigned, errOut, code := runCLI(t, "", "proof", "tx", "--datadir", pc.datadir, "--net", "regtest", "--from", from, file)
	if code != 0 {
		t.Fatalf("proof tx: exit %d %s", code, errOut)
	}
	uFile := pc.write(t, "u.json", unsigned)
	signed, errOut, code := runCLI(t, "", "tx", "sign", "--net", "regtest", "--unsigned", uFile, "--wif-file", pc.wifFile(t, "w1", 1))
	if code != 0 {
		t.Fatalf("tx sign: exit %d %s", code, errOut)
	}
	raw, _ := hex.DecodeString(strings.TrimSpace(signed))
	commit, err := tx.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	blk := pc.net.Mine(1, commit)[0]
	pc.net.Mine(2)
	pc.sync(t)
	txid := commit.Hash().String()

	blockFile := pc.write(t, "block.hex", hex.EncodeToString(blk.Bytes())+"\n")
	proofs := map[string][]string{
		"block": {"--block", blockFile},
		"store": {"--datadir", pc.datadir, "--net", "regtest"},
		"node":  {"--rpc", pc.rpcURL, "--net", "regtest"},
	}
	var proofText string
	for name, src := range proofs {
		args := append(append([]string{"proof", "make", "--txid", txid}, src...), file)
		out, errOut, code := runCLI(t, "", args...)
		if code != 0 {
			t.Fatalf("proof make from the %s: exit %d %s", name, code, errOut)
		}
		if proofText != "" && out != proofText {
			t.Fatalf("proof make from the %s differs:\n%s\n%s", name, out, proofText)
		}
		proofText = out
	}
	proofFile := pc.write(t, "proof.json", proofText)

	verify := func(args ...string) (proofVerdict, string, int) {
		t.Helper()
		out, errOut, code := runCLI(t, "", append([]string{"proof", "verify"}, args...)...)
		var v proofVerdict
		if err := json.Unmarshal([]byte(out), &v); err != nil && code != exitFailure {
			t.Fatalf("verdict %q: %v (%s)", out, err, errOut)
		}
		return v, errOut, code
	}
	v, errOut, code := verify(file, proofFile)
	if code != exitIncomplete || !v.Valid || v.CheckedAgainst != "" || !strings.Contains(errOut, "not checked against a chain") {
		t.Fatalf("offline: exit %d %+v %s", code, v, errOut)
	}
	for _, src := range [][]string{{"--datadir", pc.datadir}, {"--rpc", pc.rpcURL}} {
		v, errOut, code = verify(append(src, "--net", "regtest", file, proofFile)...)
		if code != 0 || !v.Valid || v.TxID != txid || v.Block != blk.Hash().String() || *v.Height != blk.Header.Height ||
			v.Confirmations == nil || *v.Confirmations != 3 || errOut != "" {
			t.Fatalf("against %s: exit %d %+v %s", src[0], code, v, errOut)
		}
	}
	// --digest instead of the file.
	if v, _, code := verify("--digest", hex.EncodeToString(digest[:]), "--datadir", pc.datadir, "--net", "regtest", proofFile); code != 0 || !v.Valid {
		t.Fatalf("--digest: exit %d %+v", code, v)
	}

	// Refusals, each one line on stderr and exit 1.
	other := pc.write(t, "other.txt", "the contract, signed on 3 December\n")
	var pj map[string]any
	json.Unmarshal([]byte(proofText), &pj)
	alter := func(name, key string, val any) string {
		c := map[string]any{}
		for k, v := range pj {
			c[k] = v
		}
		c[key] = val
		b, _ := json.Marshal(c)
		return pc.write(t, name, string(b))
	}
	forgedHeader := pj["header"].(string)
	forgedHeader = forgedHeader[:len(forgedHeader)-2] + "ff" // another height, same merkle root
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"another file", []string{other, proofFile}, "the proof is invalid: proof is of another digest"},
		{"index moved", []string{file, alter("p1", "index", 0)}, "the proof is invalid: merkle branch does not reach"},
		{"not a proof", []string{file, pc.write(t, "p2", `{"format":"x"}`)}, `malformed existence proof: format "x" version 0`},
		{"wrong version", []string{file, alter("p3", "version", 2)}, `malformed existence proof: format "mvsgo-existence-proof" version 2`},
		{"forged header", []string{"--datadir", pc.datadir, "--net", "regtest", file, alter("p4", "header", forgedHeader)}, "malformed existence proof: block"},
	} {
		_, errOut, code := runCLI(t, "", append([]string{"proof", "verify"}, c.args...)...)
		if code != exitFailure || !strings.Contains(errOut, c.want) || strings.Count(errOut, "\n") != 1 || strings.Contains(errOut, ": proof: ") || strings.Contains(errOut, "mvs-cli: proof: ") {
			t.Errorf("%s: exit %d %q, want %q", c.name, code, errOut, c.want)
		}
	}

	// A header not on the chain: the block file's header with another nonce and a matching
	// proof are consistent offline, but not the chain's block.
	forged := *blk
	forged.Header.Nonce++
	forgedFile := pc.write(t, "forged.hex", hex.EncodeToString(forged.Bytes()))
	out, errOut, code = runCLI(t, "", "proof", "make", "--txid", txid, "--block", forgedFile, file)
	if code != 0 {
		t.Fatalf("proof make from the forged block: exit %d %s", code, errOut)
	}
	forgedProof := pc.write(t, "forged.json", out)
	if _, _, code := verify(file, forgedProof); code != exitIncomplete {
		t.Fatalf("forged, offline: exit %d", code)
	}
	for _, src := range [][]string{{"--datadir", pc.datadir}, {"--rpc", pc.rpcURL}} {
		if _, errOut, code := verify(append(src, "--net", "regtest", file, forgedProof)...); code != exitFailure ||
			!strings.Contains(errOut, "header is not the chain's block at that height") {
			t.Fatalf("forged against %s: exit %d %s", src[0], code, errOut)
		}
	}
}

func TestProofErrorLines(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "f")
	os.WriteFile(f, []byte("x"), 0o600)
	blockFile := filepath.Join(dir, "b")
	os.WriteFile(blockFile, []byte(readTestdata(t, "mainnet-block-2200000.hex")), 0o600)
	const zero = "0000000000000000000000000000000000000000000000000000000000000000"
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"proof", "digest"}, "missing FILE (or --digest HEX)"},
		{[]string{"proof", "digest", dir + "/none"}, "FILE " + dir + "/none: no such file or directory"},
		{[]string{"proof", "tx", "--datadir", dir, f}, "missing --from"},
		{[]string{"proof", "tx", "--datadir", dir, "--from", "MGqHvbaH9wzdr6oUDFz4S1HptjoKQcjRve", f}, "no chain in " + dir + " (no chain.db; run mvs-cli chain import first)"},
		{[]string{"proof", "make", f}, "missing --txid"},
		{[]string{"proof", "make", "--txid", "zz", f}, `--txid "zz" is not a transaction hash`},
		{[]string{"proof", "make", "--txid", zero, f}, "one block source: give exactly one of --block, --datadir and --rpc"},
		{[]string{"proof", "make", "--txid", zero, "--block", blockFile, "--rpc", "http://127.0.0.1:1", f}, "one block source: give exactly one of --block, --datadir and --rpc"},
		{[]string{"proof", "make", "--txid", zero, "--block", blockFile, "--digest", "00", "x"}, "one digest source: give FILE or --digest, not both"},
		{[]string{"proof", "make", "--txid", zero, "--block", blockFile, "--digest", "00"}, "--digest must be 32 bytes, got 1"},
		{[]string{"proof", "make", "--txid", zero, "--block", blockFile, f}, "transaction is not in the block: " + zero + " in block 2c58a72a39649afd33debe893bb4fdfd886e2f2d7d0d109edf73786ac5a03bd8"},
		{[]string{"proof", "make", "--txid", zero, "--rpc", "ftp://x", f}, `--rpc ftp://x: invalid options: URL scheme "ftp", want http or https`},
		{[]string{"proof", "verify"}, "missing FILE and PROOF"},
		{[]string{"proof", "verify", f}, "missing FILE (or --digest HEX)"},
		{[]string{"proof", "verify", "--datadir", dir, "--rpc", "http://127.0.0.1:1", f, f}, "give --datadir or --rpc, not both"},
		{[]string{"proof", "verify", f, f}, "PROOF " + f + ": malformed existence proof: invalid character 'x' looking for beginning of value"},
	} {
		out, errOut, code := runCLI(t, "", c.args...)
		if code != exitFailure || out != "" || errOut != "mvs-cli: "+c.want+"\n" {
			t.Errorf("%q:\n exit %d, stdout %q\n stderr %q\n want   %q", c.args, code, out, errOut, "mvs-cli: "+c.want+"\n")
		}
	}
}

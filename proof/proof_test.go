package proof_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/chain/regtest"
	"github.com/mvsgo/mvs/examples/node/rpcserver"
	"github.com/mvsgo/mvs/proof"
	"github.com/mvsgo/mvs/rpcclient"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/wallet"
)

// fixture is a regtest chain whose block at height holds, among nine other payments, the
// transaction commit that puts Message(digest) in a message output.
type fixture struct {
	net    *regtest.Net
	digest [32]byte
	commit *tx.Tx
	blk    *block.Block
	others []*tx.Tx
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	net := regtest.New(t)
	net.Mine(6)
	f := &fixture{net: net, digest: sha256.Sum256([]byte("the contract, signed on 2 December"))}
	// Fund nine addresses in one transaction, then spend each in one block, so that the
	// proof's block has ten transactions (odd levels included).
	var pays []wallet.Payment
	for i := uint32(1); i <= 9; i++ {
		pays = append(pays, wallet.Payment{To: net.Address(i), Amount: mvs.SatoshiPerETP})
	}
	net.Mine(1, net.Build(net.Builder().Send(pays...)))
	var txs []*tx.Tx
	for i := uint32(1); i <= 9; i++ {
		b := net.Builder()
		b.Coins = net.Coins(net.Address(i))
		text := fmt.Sprint("payment ", i)
		if i == 6 {
			text = proof.Message(f.digest)
		}
		t := net.Build(b.SendMessage(net.Address(0), 0, text))
		if i == 6 {
			f.commit = t
		} else {
			f.others = append(f.others, t)
		}
		txs = append(txs, t)
	}
	f.blk = net.Mine(1, txs...)[0]
	net.Mine(2)
	return f
}

func (f *fixture) queries() *chain.Queries { return chain.NewQueries(f.net.Store(), f.net.Params()) }

func TestMakeVerify(t *testing.T) {
	f := newFixture(t)
	if n := len(f.blk.Transactions); n != 10 {
		t.Fatalf("block of %d transactions", n)
	}
	e, err := proof.Make(f.blk, f.commit.Hash(), f.digest)
	if err != nil {
		t.Fatal(err)
	}
	if e.Index != 6 || len(e.Branch) != 4 || e.TxID() != f.commit.Hash() || e.Height() != f.blk.Header.Height {
		t.Fatalf("index %d, branch %d, txid %s, height %d", e.Index, len(e.Branch), e.TxID(), e.Height())
	}
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	var back proof.Existence
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
	h, err := back.Verify(f.digest)
	if err != nil || h.Hash() != f.blk.Hash() {
		t.Fatalf("verify: %v, block %s", err, h.Hash())
	}
	if _, err := back.VerifyAgainst(f.digest, proof.ChainHeaders{Queries: f.queries()}); err != nil {
		t.Fatalf("against the store: %v", err)
	}
	again, err := json.Marshal(back)
	if err != nil || !bytes.Equal(again, b) {
		t.Fatalf("re-encoding differs: %v\n%s\n%s", err, again, b)
	}
	for _, field := range []string{`"format":"mvsgo-existence-proof"`, `"version":1`, `"message":"sha256:`} {
		if !strings.Contains(string(b), field) {
			t.Fatalf("JSON lacks %s: %s", field, b)
		}
	}
}

// Against a node's RPC (the SDK's own server over the same chain): FromNode makes the proof
// and NodeHeaders checks the header.
func TestNode(t *testing.T) {
	f := newFixture(t)
	n := f.net
	srv, err := rpcserver.New(rpcserver.Config{Params: n.Params(), Store: n.Store(), Chain: n.Chain(), Queries: f.queries(),
		Submit: func(*tx.Tx) error { return errors.New("read-only") }})
	if err != nil {
		t.Fatal(err)
	}
	srv.Start()
	t.Cleanup(func() { srv.Close() })
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	c, err := rpcclient.New(hs.URL, rpcclient.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e, err := proof.FromNode(t.Context(), c, f.commit.Hash(), f.digest)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.VerifyAgainst(f.digest, proof.NodeHeaders{Client: c}); err != nil {
		t.Fatal(err)
	}
	if _, err := proof.FromNode(t.Context(), c, f.others[0].Hash(), f.digest); !errors.Is(err, proof.ErrNoDigest) {
		t.Fatalf("a transaction without the digest: %v", err)
	}
	// A block the node does not have at that height.
	forged := *e
	forged.Header.Nonce++
	if _, err := forged.VerifyAgainst(f.digest, proof.NodeHeaders{Client: c}); !errors.Is(err, proof.ErrHeaderMismatch) {
		t.Fatalf("forged header: %v", err)
	}
	far := *e
	far.Header.Height = 1000
	if _, err := far.VerifyAgainst(f.digest, proof.NodeHeaders{Client: c}); !errors.Is(err, proof.ErrHeaderSource) {
		t.Fatalf("height the node lacks: %v", err)
	}
}

// A reorganisation that drops the proof's block makes the proof fail against the chain,
// though it still verifies offline.
func TestReorg(t *testing.T) {
	f := newFixture(t)
	e, err := proof.Make(f.blk, f.commit.Hash(), f.digest)
	if err != nil {
		t.Fatal(err)
	}
	br := f.net.Fork(f.blk.Header.Height - 1)
	br.Mine(5)
	if _, err := e.Verify(f.digest); err != nil {
		t.Fatalf("offline: %v", err)
	}
	if _, err := e.VerifyAgainst(f.digest, proof.ChainHeaders{Queries: f.queries()}); !errors.Is(err, proof.ErrHeaderMismatch) {
		t.Fatalf("after the reorganisation: %v", err)
	}
}

func TestRefusals(t *testing.T) {
	f := newFixture(t)
	good, err := proof.Make(f.blk, f.commit.Hash(), f.digest)
	if err != nil {
		t.Fatal(err)
	}
	other, err := proof.Make(f.blk, f.commit.Hash(), f.digest)
	if err != nil {
		t.Fatal(err)
	}
	ids := f.blk.TxHashes()
	otherBranch, _ := block.MerkleBranch(ids, 2)
	otherHeader := f.net.BlockAt(f.blk.Header.Height - 1).Header
	tests := []struct {
		name   string
		edit   func(e *proof.Existence)
		digest [32]byte
		err    error
	}{
		{"another digest", nil, sha256.Sum256([]byte("another file")), proof.ErrDigest},
		{"another digest in the proof too", func(e *proof.Existence) { e.Digest[0] ^= 1 }, [32]byte{}, proof.ErrNoDigest},
		{"output without the message", func(e *proof.Existence) { e.Output = 1 }, f.digest, proof.ErrNoDigest},
		{"output out of range", func(e *proof.Existence) { e.Output = 99 }, f.digest, proof.ErrNoDigest},
		{"another transaction of the block", func(e *proof.Existence) {
			e.Tx, e.Index, e.Branch = f.others[1].Bytes(), 2, otherBranch
		}, f.digest, proof.ErrNoDigest},
		{"transaction that does not decode", func(e *proof.Existence) { e.Tx = e.Tx[:20] }, f.digest, proof.ErrMalformed},
		{"altered branch", func(e *proof.Existence) { e.Branch[1][3] ^= 1 }, f.digest, proof.ErrBranch},
		{"short branch", func(e *proof.Existence) { e.Branch = e.Branch[:3] }, f.digest, proof.ErrBranch},
		{"wrong index", func(e *proof.Existence) { e.Index = 7 }, f.digest, proof.ErrBranch},
		{"index beyond the branch", func(e *proof.Existence) { e.Index = 6 + 16 }, f.digest, proof.ErrBranch},
		{"another block's header", func(e *proof.Existence) { e.Header = otherHeader }, f.digest, proof.ErrBranch},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := *other
			e.Tx = bytes.Clone(other.Tx)
			e.Branch = append([]mvs.Hash(nil), other.Branch...)
			if tc.edit != nil {
				tc.edit(&e)
			}
			d := tc.digest
			if tc.name == "another digest in the proof too" {
				d = e.Digest
			}
			if _, err := e.Verify(d); !errors.Is(err, tc.err) {
				t.Fatalf("err %v, want %v", err, tc.err)
			}
		})
	}
	if _, err := good.Verify(f.digest); err != nil {
		t.Fatalf("the unaltered proof: %v", err)
	}
	var nilProof *proof.Existence
	if _, err := nilProof.Verify(f.digest); !errors.Is(err, proof.ErrMalformed) {
		t.Fatalf("nil proof: %v", err)
	}
	if _, err := good.VerifyAgainst(f.digest, nil); !errors.Is(err, proof.ErrHeaderSource) {
		t.Fatalf("nil source: %v", err)
	}
	failing := proof.HeaderSourceFunc(func(uint32) (mvs.Hash, error) { return mvs.Hash{}, errors.New("down") })
	if _, err := good.VerifyAgainst(f.digest, failing); !errors.Is(err, proof.ErrHeaderSource) {
		t.Fatalf("failing source: %v", err)
	}

	// Make's refusals.
	if _, err := proof.Make(f.blk, mvs.Hash{1}, f.digest); !errors.Is(err, proof.ErrTxNotInBlock) {
		t.Fatalf("txid not in the block: %v", err)
	}
	if _, err := proof.Make(nil, f.commit.Hash(), f.digest); !errors.Is(err, proof.ErrTxNotInBlock) {
		t.Fatalf("no block: %v", err)
	}
	if _, err := proof.Make(f.blk, f.others[0].Hash(), f.digest); !errors.Is(err, proof.ErrNoDigest) {
		t.Fatalf("transaction without the digest: %v", err)
	}
	bad := *f.blk
	bad.Transactions = bad.Transactions[:9]
	if _, err := proof.Make(&bad, f.commit.Hash(), f.digest); !errors.Is(err, block.ErrMerkleMismatch) {
		t.Fatalf("block whose transactions do not match its header: %v", err)
	}
}

func TestJSONRefusals(t *testing.T) {
	f := newFixture(t)
	e, err := proof.Make(f.blk, f.commit.Hash(), f.digest)
	if err != nil {
		t.Fatal(err)
	}
	good, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(good, &m); err != nil {
		t.Fatal(err)
	}
	edit := func(k string, v any) []byte {
		c := map[string]any{}
		for kk, vv := range m {
			c[kk] = vv
		}
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	otherBlock := f.net.BlockAt(2)
	tests := []struct {
		name string
		in   []byte
	}{
		{"not JSON", []byte("sha256:00")},
		{"another format", edit("format", "bitcoin-merkle-proof")},
		{"version 2", edit("version", 2)},
		{"no format", edit("format", nil)},
		{"unknown field", edit("confirmations", 6)},
		{"short digest", edit("digest", "00ff")},
		{"digest not hex", edit("digest", strings.Repeat("zz", 32))},
		{"message of another digest", edit("message", proof.Message([32]byte{7}))},
		{"tx not hex", edit("tx", "0x00")},
		{"tx that does not decode", edit("tx", "01000000")},
		{"txid of another transaction", edit("txid", f.others[0].Hash().String())},
		{"header of 147 bytes", edit("header", m["header"].(string)[:294])},
		{"block hash of another block", edit("block", otherBlock.Hash().String())},
		{"height contradicting the header", edit("height", 2)},
		{"negative index", edit("index", -1)},
		{"index beyond the branch", edit("index", 64)},
		{"negative output", edit("output", -1)},
		{"branch of 18 hashes", edit("branch", make([]string, 18))},
		{"two proofs", append(append([]byte(nil), good...), good...)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var e proof.Existence
			if err := json.Unmarshal(tc.in, &e); !errors.Is(err, proof.ErrMalformed) {
				// encoding/json rejects some inputs itself before calling UnmarshalJSON.
				if err == nil || tc.name != "not JSON" && tc.name != "two proofs" {
					t.Fatalf("err %v, want ErrMalformed", err)
				}
			}
			if err := e.UnmarshalJSON(tc.in); !errors.Is(err, proof.ErrMalformed) {
				t.Fatalf("UnmarshalJSON: %v, want ErrMalformed", err)
			}
		})
	}
}

func TestParseMessage(t *testing.T) {
	d := sha256.Sum256([]byte("x"))
	msg := proof.Message(d)
	tests := []struct {
		text string
		ok   bool
	}{
		{msg, true},
		{strings.ToUpper(msg[:7]) + msg[7:], false},
		{msg[:7] + strings.ToUpper(msg[7:]), true},
		{msg + " ", false},
		{" " + msg, false},
		{msg + "\n", false},
		{msg[:len(msg)-1], false},
		{msg[7:], false},
		{"sha256:" + strings.Repeat("g", 64), false},
		{"", false},
	}
	for _, tc := range tests {
		got, ok := proof.ParseMessage(tc.text)
		if ok != tc.ok || ok && got != d {
			t.Errorf("ParseMessage(%q) = %x, %v; want ok=%v", tc.text, got, ok, tc.ok)
		}
	}
	if got, err := proof.Digest(strings.NewReader("x")); err != nil || got != d {
		t.Fatalf("Digest: %x, %v", got, err)
	}
}

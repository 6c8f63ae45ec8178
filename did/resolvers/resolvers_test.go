package resolvers_test

import (
	"crypto/rand"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/btcsuite/btcd/btcec/v2"
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/chain/regtest"
	"github.com/mvsgo/mvs/did"
	"github.com/mvsgo/mvs/did/resolvers"
	"github.com/mvsgo/mvs/examples/node/rpcserver"
	"github.com/mvsgo/mvs/rpcclient"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/wallet"
)

// loginNet is a regtest chain where "alice" was registered to Address(1) and then moved to
// Address(2), and "bob" is on Address(3).
type loginNet struct {
	net                  *regtest.Net
	q                    *chain.Queries
	first, second, third mvs.Address
}

func newLoginNet(t *testing.T) *loginNet {
	t.Helper()
	net := regtest.New(t)
	net.Mine(6)
	l := &loginNet{net: net, q: chain.NewQueries(net.Store(), net.Params()),
		first: net.Address(1), second: net.Address(2), third: net.Address(3)}
	net.Fund(l.first, 3*mvs.SatoshiPerETP)
	net.Fund(l.third, 3*mvs.SatoshiPerETP)
	only := func(a mvs.Address) *wallet.Builder {
		b := net.Builder()
		b.Coins = net.Coins(a)
		return b
	}
	net.Mine(1, net.Build(only(l.first).RegisterDID(l.first, "alice")), net.Build(only(l.third).RegisterDID(l.third, "bob")))
	return l
}

// moveAlice transfers alice from Address(1) to Address(2).
func (l *loginNet) moveAlice(t *testing.T) {
	t.Helper()
	net := l.net
	net.Fund(l.second, mvs.SatoshiPerETP)
	var didCoin, funding wallet.Coin
	for _, c := range net.Coins(l.first) {
		if c.Attachment.Type == tx.TypeDID {
			didCoin = c
		}
	}
	for _, c := range net.Coins(l.second) {
		if c.Attachment.Type == tx.TypeETP {
			funding = c
		}
	}
	u, err := net.Builder().TransferDID(didCoin, funding, l.second)
	if err != nil {
		t.Fatal(err)
	}
	net.Mine(1, net.Sign(u))
}

// storeResolver resolves through the chain store's queries, as mvs-cli --datadir does.
func (l *loginNet) storeResolver() did.Resolver {
	return resolvers.Chain{Queries: l.q, Params: l.net.Params()}
}

// nodeResolver serves the same chain through the SDK's RPC server.
func (l *loginNet) nodeResolver(t *testing.T) did.Resolver {
	n := l.net
	srv, err := rpcserver.New(rpcserver.Config{Params: n.Params(), Store: n.Store(), Chain: n.Chain(), Queries: l.q,
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
	return resolvers.Node{Client: c, Params: n.Params()}
}

// The DID's current key logs in; after the DID moves to another address, the previous
// key is refused and the new one accepted, through the store and through a node.
func TestLoginAfterTransfer(t *testing.T) {
	l := newLoginNet(t)
	now := time.Now()
	resolvers := map[string]did.Resolver{"store": l.storeResolver(), "node": l.nodeResolver(t)}
	login := func(r did.Resolver, key *btcec.PrivateKey, symbol string) (mvs.Address, error) {
		c, err := did.NewLoginChallenge("login.example.com", rand.Reader, now)
		if err != nil {
			t.Fatal(err)
		}
		sig, err := did.SignLogin(key, c)
		if err != nil {
			t.Fatal(err)
		}
		return did.VerifyLogin(r, symbol, c, sig, now)
	}
	for name, r := range resolvers {
		if a, err := login(r, l.net.Key(1), "alice"); err != nil || a != l.first {
			t.Fatalf("%s: alice before the transfer: %s, %v", name, a, err)
		}
		if _, err := login(r, l.net.Key(1), "bob"); !errors.Is(err, did.ErrKeyMismatch) {
			t.Fatalf("%s: alice's key for bob: %v", name, err)
		}
		if _, err := login(r, l.net.Key(1), "carol"); !errors.Is(err, did.ErrNotFound) {
			t.Fatalf("%s: unregistered DID: %v", name, err)
		}
	}
	l.moveAlice(t)
	for name, r := range resolvers {
		if _, err := login(r, l.net.Key(1), "alice"); !errors.Is(err, did.ErrKeyMismatch) {
			t.Fatalf("%s: alice's previous key: %v", name, err)
		}
		if a, err := login(r, l.net.Key(2), "alice"); err != nil || a != l.second {
			t.Fatalf("%s: alice's current key: %s, %v", name, a, err)
		}
	}
	// An address is not a DID symbol, though getdid would answer for it.
	if _, err := resolvers["node"].DIDAddress(l.second.String()); !errors.Is(err, did.ErrNotFound) {
		t.Fatalf("address as a symbol: %v", err)
	}
}

func TestResolverRefusals(t *testing.T) {
	p := mvs.TestNet()
	down, err := rpcclient.New("http://127.0.0.1:1", rpcclient.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		r      did.Resolver
		symbol string
		err    error
	}{
		{"node without a client", resolvers.Node{Params: p}, "alice", did.ErrResolver},
		{"store without queries", resolvers.Chain{Params: p}, "alice", did.ErrResolver},
		{"node unreachable", resolvers.Node{Client: down, Params: p}, "alice", did.ErrResolver},
		{"not a symbol", resolvers.Node{Client: down, Params: p}, "al ice", did.ErrNotFound},
		{"an address", resolvers.Node{Client: down, Params: p}, "tFrjjxXTpqg6pUY96ZdbmfFQMadx7wGWdn", did.ErrNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.r.DIDAddress(tc.symbol); !errors.Is(err, tc.err) {
				t.Fatalf("err %v, want %v", err, tc.err)
			}
		})
	}
}

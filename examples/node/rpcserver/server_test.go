package rpcserver_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/chain/regtest"
	"github.com/mvsgo/mvs/examples/node/mempool"
	"github.com/mvsgo/mvs/examples/node/rpcserver"
	"github.com/mvsgo/mvs/rpcclient"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/wallet"
)

type fakePeers struct{ ops []string }

func (p *fakePeers) PeerInfo() []string { return []string{"10.0.0.1:5251"} }
func (p *fakePeers) AddNode(addr, op string) error {
	if addr == "bad:1" {
		return errors.New("unreachable")
	}
	p.ops = append(p.ops, op+" "+addr)
	return nil
}

type fakeMiner struct {
	account   bool
	submitted []uint64
}

func (m *fakeMiner) GetWork() (rpcclient.Work, error) {
	if !m.account {
		return rpcclient.Work{}, rpcserver.ErrNoMiningAccount
	}
	return rpcclient.Work{PowHash: [32]byte{1}, SeedHash: [32]byte{2}, Boundary: [32]byte{3}}, nil
}
func (m *fakeMiner) SubmitWork(nonce uint64, powHash, mix [32]byte) (bool, error) {
	m.submitted = append(m.submitted, nonce)
	return powHash == [32]byte{1}, nil
}
func (m *fakeMiner) MiningInfo() rpcclient.MiningInfo {
	return rpcclient.MiningInfo{IsMining: m.account, Height: 7, Rate: 100, PaymentAddress: "x", BlockType: "pow"}
}

// fixture is a regtest chain with a DID, an asset, a MIT and payments, served over
// httptest with rpcclient pointed at it.
type fixture struct {
	net            *regtest.Net
	pool           *mempool.Pool
	srv            *rpcserver.Server
	http           *httptest.Server
	c              *rpcclient.Client
	peers          *fakePeers
	miner          *fakeMiner
	a0, a1, a2, a3 mvs.Address
	payment        *tx.Tx
	locked         *tx.Tx // 300 ALICE.COIN to a3 under an attenuation model
}

func (f *fixture) only(addrs ...mvs.Address) *wallet.Builder {
	b := f.net.Builder()
	b.Coins = nil
	for _, a := range addrs {
		b.Coins = append(b.Coins, f.net.Coins(a)...)
	}
	return b
}

func newFixture(t *testing.T, edit func(*rpcserver.Config)) *fixture {
	t.Helper()
	return newFixtureTB(t, edit)
}

func newFixtureTB(t testing.TB, edit func(*rpcserver.Config)) *fixture {
	t.Helper()
	f := &fixture{net: regtest.New(t), peers: &fakePeers{}, miner: &fakeMiner{account: true}}
	n := f.net
	n.Mine(12)
	f.a0, f.a1, f.a2, f.a3 = n.Address(0), n.Address(1), n.Address(2), n.Address(3)
	const etp = mvs.SatoshiPerETP
	f.payment = n.Fund(f.a1, 5*etp)
	n.Mine(1, n.Build(f.only(f.a0).RegisterDID(f.a0, "alice")))
	n.Mine(1, n.Build(f.only(f.a0).IssueAsset(f.a0, wallet.AssetIssue{Symbol: "ALICE.COIN", MaximumSupply: 1000,
		Threshold: 127, IssuerDID: "alice", DomainCert: true, Description: "a coin"})))
	lockTx := n.Build(f.only(f.a0).SendAssetLocked(f.a3, "ALICE.COIN", 300, "PN=0;LH=20000;TYPE=1;LQ=300;LP=60000;UN=3"))
	f.locked = lockTx
	n.Mine(1, lockTx)
	n.Mine(1, n.Build(f.only(f.a1).RegisterMIT(f.a1, "ALICE.MIT", "content")))
	// The MIT moves to a3, so that getmit --trace has a transfer too.
	var mitCoin wallet.Coin
	for _, c := range n.Coins(f.a1) {
		if _, ok := c.Attachment.Payload.(*tx.MIT); ok {
			mitCoin = c
		}
	}
	n.Mine(1, n.Build(f.only(f.a1).TransferMIT(mitCoin, f.a3)))
	n.Mine(3)
	pool, err := mempool.New(mempool.Config{Params: n.Params(), Store: n.Store()})
	if err != nil {
		t.Fatal(err)
	}
	f.pool = pool
	cfg := rpcserver.Config{Params: n.Params(), Store: n.Store(), Chain: n.Chain(),
		Queries: chain.NewQueries(n.Store(), n.Params()), Pool: pool, Peers: f.peers, Miner: f.miner}
	if edit != nil {
		edit(&cfg)
	}
	srv, err := rpcserver.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv.Start()
	t.Cleanup(func() { srv.Close() })
	f.srv = srv
	f.http = httptest.NewServer(srv)
	t.Cleanup(f.http.Close)
	f.c, err = rpcclient.New(f.http.URL, rpcclient.Options{User: cfg.User, Password: cfg.Password,
		PushURL: "ws" + strings.TrimPrefix(f.http.URL, "http") + "/ws"})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestClientRoundTrip calls every typed rpcclient method against the server over a regtest
// chain: the client works against ours.
func TestClientRoundTrip(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	c := f.c
	height := uint64(f.net.Height())
	tip := f.net.Tip()
	payID := f.payment.Hash()

	pending := f.net.Build(f.only(f.a0).Send(wallet.Payment{To: f.a2, Amount: mvs.SatoshiPerETP}))
	rawPending := pending.Bytes()

	tests := []struct {
		name string
		run  func() error
	}{
		{"GetInfo", func() error {
			v, err := c.GetInfo(ctx)
			if err == nil && (uint64(v.Height) != height || !v.Testnet || v.AssetCount != 1 || v.Peers != 1) {
				return errors.New("wrong info")
			}
			return err
		}},
		{"GetHeight", func() error {
			v, err := c.GetHeight(ctx)
			if err == nil && v != height {
				return errors.New("wrong height")
			}
			return err
		}},
		{"GetBestBlockHash", func() error {
			v, err := c.GetBestBlockHash(ctx)
			if err == nil && v != tip.Hash() {
				return errors.New("wrong hash")
			}
			return err
		}},
		{"GetBlockHeader by height", func() error { _, err := c.GetBlockHeader(ctx, rpcclient.ByHeight(3)); return err }},
		{"GetBlockHeader by hash", func() error { _, err := c.GetBlockHeader(ctx, rpcclient.ByHash(tip.Hash())); return err }},
		{"GetBestBlockHeader", func() error {
			v, err := c.GetBestBlockHeader(ctx)
			// bits and mixhash are the header's bytes as serialized, read big-endian.
			if err == nil && (v.Hash != tip.Hash() || v.Bits.Bytes() != [32]byte(tip.Header.Bits) ||
				v.MixHash.Bytes() != tip.Header.MixHash || uint64(v.Nonce) != tip.Header.Nonce || v.TransactionCount != 1) {
				return fmt.Errorf("header %+v", v)
			}
			return err
		}},
		{"GetBlock", func() error {
			v, err := c.GetBlock(ctx, rpcclient.ByHeight(13))
			if err == nil && (len(v.Transactions) != 2 || v.Transactions[1].Hash != payID) {
				return errors.New("wrong transactions")
			}
			return err
		}},
		{"GetBlock by hash", func() error { _, err := c.GetBlock(ctx, rpcclient.ByHash(tip.Hash())); return err }},
		{"GetBlockRawTxs", func() error { _, err := c.GetBlockRawTxs(ctx, rpcclient.ByHeight(13)); return err }},
		{"GetRawBlock", func() error {
			v, err := c.GetRawBlock(ctx, rpcclient.ByHeight(height))
			if err == nil && string(v) != string(tip.Bytes()) {
				return errors.New("wrong bytes")
			}
			return err
		}},
		{"GetTx", func() error {
			v, err := c.GetTx(ctx, payID)
			if err == nil && uint64(*v.Height) != 13 {
				return errors.New("wrong height")
			}
			return err
		}},
		{"GetRawTx", func() error { _, err := c.GetRawTx(ctx, payID); return err }},
		{"DecodeRawTx", func() error {
			v, err := c.DecodeRawTx(ctx, rawPending)
			if err == nil && (v.Height != nil || len(v.Outputs) != len(pending.Outputs)) {
				return errors.New("wrong decode")
			}
			return err
		}},
		{"SendRawTx", func() error { _, err := c.SendRawTx(ctx, rawPending); return err }},
		{"GetMemoryPool", func() error {
			v, err := c.GetMemoryPool(ctx)
			if err == nil && (len(v) != 1 || v[0].Hash != pending.Hash()) {
				return errors.New("pool does not hold the sent tx")
			}
			return err
		}},
		{"GetMemoryPoolRaw", func() error { _, err := c.GetMemoryPoolRaw(ctx); return err }},
		{"GetTx in the pool", func() error {
			v, err := c.GetTx(ctx, pending.Hash())
			if err == nil && *v.Height != 0 {
				return errors.New("pool tx height not 0")
			}
			return err
		}},
		{"GetAddressETP", func() error {
			v, err := c.GetAddressETP(ctx, f.a1.String())
			if err == nil && (v.Unspent == 0 || v.Received < v.Unspent || v.Available+v.Frozen != v.Unspent) {
				return errors.New("wrong balance")
			}
			return err
		}},
		{"GetAddressETP by DID", func() error {
			v, err := c.GetAddressETP(ctx, "alice")
			if err == nil && v.Address != f.a0.String() {
				return errors.New("DID not resolved")
			}
			return err
		}},
		{"GetAddressUTXOs", func() error {
			v, err := c.GetAddressUTXOs(ctx, f.a1.String(), nil)
			if err == nil && len(v) == 0 {
				return errors.New("no utxos")
			}
			return err
		}},
		{"GetAddressUTXOs range", func() error {
			_, err := c.GetAddressUTXOs(ctx, f.a1.String(), &rpcclient.ValueRange{Min: 1, Max: 2})
			return err
		}},
		{"GetAddressAsset", func() error {
			v, err := c.GetAddressAsset(ctx, f.a0.String(), "")
			if err == nil && (len(v) != 1 || v[0].Symbol != "ALICE.COIN" || *v[0].Quantity != 700 || *v[0].LockedQuantity != 0) {
				return errors.New("wrong assets")
			}
			return err
		}},
		{"GetAddressAsset locked", func() error {
			v, err := c.GetAddressAsset(ctx, f.a3.String(), "ALICE.COIN")
			if err == nil && (len(v) != 1 || *v[0].Quantity != 300 || *v[0].LockedQuantity == 0) {
				return fmt.Errorf("wrong locked balance %+v", v)
			}
			return err
		}},
		{"GetAddressAssetDeposits", func() error {
			v, err := c.GetAddressAssetDeposits(ctx, f.a3.String(), "")
			if err == nil && (len(v) != 1 || v[0].Symbol != "ALICE.COIN" || v[0].Quantity != 300 || v[0].LockedQuantity == 0 ||
				v[0].TxHash != f.locked.Hash() || *v[0].AttenuationModelParam.LockQuantity != 300) {
				return fmt.Errorf("wrong deposits %+v", v)
			}
			return err
		}},
		{"GetAddressAssetDeposits none", func() error {
			v, err := c.GetAddressAssetDeposits(ctx, f.a0.String(), "")
			if err == nil && len(v) != 0 {
				return fmt.Errorf("deposits %+v", v)
			}
			return err
		}},
		{"GetTx attenuation", func() error {
			v, err := c.GetTx(ctx, f.locked.Hash())
			if err != nil {
				return err
			}
			for _, o := range v.Outputs {
				if m := o.AttenuationModelParam; m != nil {
					if *m.LockQuantity != 300 || *m.TotalPeriodNbr != 3 || *m.Type != 1 || m.InflationRate != nil || o.Attachment.Symbol != "ALICE.COIN" {
						return fmt.Errorf("model %+v", m)
					}
					return nil
				}
			}
			return errors.New("no attenuation_model_param")
		}},
		{"GetAddressAssetCerts", func() error {
			v, err := c.GetAddressAssetCerts(ctx, f.a0.String(), "")
			if err == nil && len(v) == 0 {
				return errors.New("no certs")
			}
			return err
		}},
		{"GetAddressAssetUTXOs", func() error {
			v, err := c.GetAddressAssetUTXOs(ctx, f.a0.String(), "ALICE.COIN", nil, 1)
			if err == nil && (len(v) != 1 || v[0].Balance != 700 || v[0].Available != 700) {
				return errors.New("wrong asset utxos")
			}
			return err
		}},
		{"ListTxs", func() error {
			v, err := c.ListTxs(ctx, rpcclient.ListTxsParams{Address: f.a1.String(), Limit: 1})
			if err == nil && (len(v.Transactions) != 1 || v.TotalPage < 2) {
				return errors.New("wrong page")
			}
			return err
		}},
		{"GetAssets", func() error {
			v, err := c.GetAssets(ctx)
			if err == nil && (len(v) != 1 || v[0] != "ALICE.COIN") {
				return errors.New("wrong assets")
			}
			return err
		}},
		{"GetAsset", func() error {
			v, err := c.GetAsset(ctx, "ALICE.COIN")
			if err == nil && (len(v) != 1 || *v[0].MaximumSupply != 1000 || v[0].Issuer != "alice") {
				return errors.New("wrong asset")
			}
			return err
		}},
		{"GetAssetCerts", func() error {
			v, err := c.GetAssetCerts(ctx, "ALICE")
			if err == nil && len(v) == 0 {
				return errors.New("no domain cert")
			}
			return err
		}},
		{"ListAssets", func() error { _, err := c.ListAssets(ctx, nil); return err }},
		{"GetDIDs", func() error {
			v, err := c.GetDIDs(ctx)
			if err == nil && !contains(v, "alice") {
				return errors.New("no alice")
			}
			return err
		}},
		{"GetDID", func() error {
			v, err := c.GetDID(ctx, "alice")
			if err == nil && (v[0].Status != "current" || v[0].Address != f.a0.String()) {
				return errors.New("wrong DID")
			}
			return err
		}},
		{"GetDID by address", func() error { _, err := c.GetDID(ctx, f.a0.String()); return err }},
		{"ListDIDs", func() error {
			v, err := c.ListDIDs(ctx, nil, 1, 10)
			if err == nil && v.TotalCount == 0 {
				return errors.New("no DIDs")
			}
			return err
		}},
		{"GetMITs", func() error { _, err := c.GetMITs(ctx); return err }},
		{"GetMIT", func() error {
			v, err := c.GetMIT(ctx, "ALICE.MIT")
			if err == nil && (v.Address != f.a3.String() || v.Status != "transfered") {
				return errors.New("wrong MIT")
			}
			return err
		}},
		{"GetMITHistory", func() error {
			v, err := c.GetMITHistory(ctx, "ALICE.MIT", 1, 10)
			if err == nil && (len(v) != 2 || v[0].Status != "transfered" || v[0].Address != f.a3.String() || v[0].Content != nil ||
				v[1].Status != "registered" || v[1].Address != f.a1.String() || *v[1].Content != "content") {
				return errors.New("wrong MIT history")
			}
			return err
		}},
		{"ListMITs", func() error { _, err := c.ListMITs(ctx, nil); return err }},
		{"GetPeerInfo", func() error { _, err := c.GetPeerInfo(ctx); return err }},
		{"AddNode", func() error {
			v, err := c.AddNode(ctx, "10.0.0.2:5251", rpcclient.AddNodeAdd)
			if err == nil && v != "success" {
				return errors.New(v)
			}
			return err
		}},
		{"AddNodeList", func() error { _, err := c.AddNodeList(ctx); return err }},
		{"GetMiningInfo", func() error { _, err := c.GetMiningInfo(ctx); return err }},
		{"GetWork", func() error {
			v, err := c.GetWork(ctx)
			if err == nil && v.PowHash != [32]byte{1} {
				return errors.New("wrong work")
			}
			return err
		}},
		{"SubmitWork", func() error {
			ok, err := c.SubmitWork(ctx, 0x0102030405060708, [32]byte{1}, [32]byte{})
			if err == nil && (!ok || f.miner.submitted[0] != 0x0102030405060708) {
				return errors.New("nonce not passed as is")
			}
			return err
		}},
		{"ValidateAddress", func() error {
			v, err := c.ValidateAddress(ctx, f.a0.String())
			if err == nil && (!v.IsValid || v.AddressType != "p2kh(test-net)") {
				return errors.New("wrong validation")
			}
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.run(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

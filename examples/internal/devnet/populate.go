package devnet

import (
	"context"
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/wallet"
)

// Kinds is what Populate put on the chain.
type Kinds struct {
	// Txs are the transactions by kind: "send", "message", "burn", "deposit",
	// "register DID alice", "register DID bob", "issue asset", "secondary issue",
	// "send asset", "send asset locked", "issue naming certificate",
	// "transfer certificate", "register MIT", "transfer MIT", "fund carol", "transfer DID".
	Txs map[string]mvs.Hash
	// Order is Txs' keys in the order they were mined.
	Order []string
	// Heights are the blocks the transactions are in, by kind.
	Heights map[string]uint32
	// Alice (m/0, the miner), Bob (m/1) and Carol (m/4) are the account's addresses used.
	Alice, Bob, Carol mvs.Address
	// Asset is the MST issued (to alice, with 4 decimals), Cert the naming certificate,
	// MIT the unique token, DIDs "alice" and "bob" (bob's transferred to carol), Message
	// the text of the message transaction.
	Asset, Cert, MIT, Message string
	DIDs                      []string
}

// Populate mines a transaction of every kind the wallet builds, each in its own block,
// from the well-known regtest account (the node must mine to its m/0, the default): an
// ETP payment, a message, a burn, a deposit lock, two DID registrations, an asset issue
// with its certificates, a secondary issue, asset transfers plain and attenuation-locked,
// a naming certificate issued and transferred, an MIT registered and transferred, and a
// DID transferred to another address.
func Populate(ctx context.Context, n *Node) (*Kinds, error) {
	w, err := NewWallet(n, "")
	if err != nil {
		return nil, err
	}
	if h, err := n.rpc.GetHeight(ctx); err != nil {
		return nil, err
	} else if h < 8 {
		if _, err := n.Mine(ctx, int(8-h)); err != nil {
			return nil, err
		}
	}
	const etp = mvs.SatoshiPerETP
	k := &Kinds{Txs: map[string]mvs.Hash{}, Heights: map[string]uint32{},
		Alice: w.Address(0), Bob: w.Address(1), Carol: w.Address(4),
		Asset: "ALICE.COIN", Cert: "ALICE.NAME", MIT: "ALICE.MIT", Message: "hello from devnet",
		DIDs: []string{"alice", "bob"}}
	alice, bob, carol := k.Alice, k.Bob, k.Carol
	var detail tx.AssetDetail
	steps := []struct {
		name  string
		build func(b *wallet.Builder) (*wallet.Unsigned, error)
	}{
		{"send", func(b *wallet.Builder) (*wallet.Unsigned, error) {
			return b.Send(wallet.Payment{To: bob, Amount: 3 * etp})
		}},
		{"message", func(b *wallet.Builder) (*wallet.Unsigned, error) { return b.SendMessage(bob, 10_000, k.Message) }},
		{"burn", func(b *wallet.Builder) (*wallet.Unsigned, error) { return b.Burn(100_000) }},
		{"deposit", func(b *wallet.Builder) (*wallet.Unsigned, error) { return b.Deposit(alice, etp, 10) }},
		{"register DID alice", func(b *wallet.Builder) (*wallet.Unsigned, error) { return b.RegisterDID(alice, "alice") }},
		{"register DID bob", func(b *wallet.Builder) (*wallet.Unsigned, error) { return b.RegisterDID(bob, "bob") }},
		{"issue asset", func(b *wallet.Builder) (*wallet.Unsigned, error) {
			u, err := b.IssueAsset(alice, wallet.AssetIssue{Symbol: k.Asset, MaximumSupply: 1000_0000, Decimals: 4,
				Threshold: 127, IssuerDID: "alice", Description: "devnet's asset", DomainCert: true})
			if err == nil {
				for _, o := range u.Tx.Outputs {
					if d, ok := o.Attachment.Payload.(*tx.AssetDetail); ok {
						detail = *d
					}
				}
			}
			return u, err
		}},
		{"secondary issue", func(b *wallet.Builder) (*wallet.Unsigned, error) {
			cert, err := coinWith(b.Coins, alice, certOf(tx.CertIssue))
			if err != nil {
				return nil, err
			}
			return b.SecondaryIssue(alice, wallet.SecondaryIssue{Detail: detail, TotalSupply: detail.MaximumSupply,
				Volume: 500_0000, ToDID: "alice", IssueCert: cert})
		}},
		{"send asset", func(b *wallet.Builder) (*wallet.Unsigned, error) {
			return b.SendAsset(bob, k.Asset, 100_0000, "bob", "alice")
		}},
		{"send asset locked", func(b *wallet.Builder) (*wallet.Unsigned, error) {
			return b.SendAssetLocked(bob, k.Asset, 900, "PN=0;LH=20000;TYPE=1;LQ=900;LP=60000;UN=3")
		}},
		{"issue naming certificate", func(b *wallet.Builder) (*wallet.Unsigned, error) {
			dom, err := coinWith(b.Coins, alice, certOf(tx.CertDomain))
			if err != nil {
				return nil, err
			}
			return b.IssueCert(dom, k.Cert, alice, "alice")
		}},
		{"transfer certificate", func(b *wallet.Builder) (*wallet.Unsigned, error) {
			c, err := coinWith(b.Coins, alice, certOf(tx.CertNaming))
			if err != nil {
				return nil, err
			}
			return b.TransferCert(c, bob, "bob")
		}},
		{"register MIT", func(b *wallet.Builder) (*wallet.Unsigned, error) {
			return b.RegisterMIT(alice, k.MIT, "devnet's unique token")
		}},
		{"transfer MIT", func(b *wallet.Builder) (*wallet.Unsigned, error) {
			c, err := coinWith(b.Coins, alice, func(a tx.Attachment) bool { return a.Type == tx.TypeMIT })
			if err != nil {
				return nil, err
			}
			return b.TransferMIT(c, bob)
		}},
		{"fund carol", func(b *wallet.Builder) (*wallet.Unsigned, error) {
			return b.Send(wallet.Payment{To: carol, Amount: etp})
		}},
		{"transfer DID", func(b *wallet.Builder) (*wallet.Unsigned, error) {
			d, err := coinWith(b.Coins, bob, func(a tx.Attachment) bool { return a.Type == tx.TypeDID })
			if err != nil {
				return nil, err
			}
			funding, err := coinWith(b.Coins, carol, func(a tx.Attachment) bool { return a.Type == tx.TypeETP })
			if err != nil {
				return nil, err
			}
			return b.TransferDID(d, funding, carol)
		}},
	}
	for _, s := range steps {
		b, err := w.Builder(ctx)
		if err != nil {
			return k, fmt.Errorf("devnet: %s: %w", s.name, err)
		}
		u, err := s.build(b)
		if err != nil {
			return k, fmt.Errorf("devnet: building %s: %w", s.name, err)
		}
		t, err := w.SignAndSend(ctx, u)
		if err != nil {
			return k, fmt.Errorf("devnet: %s: %w", s.name, err)
		}
		if _, err := n.Mine(ctx, 1); err != nil {
			return k, fmt.Errorf("devnet: mining %s: %w", s.name, err)
		}
		info, err := n.rpc.GetTx(ctx, t.Hash())
		if err != nil {
			return k, fmt.Errorf("devnet: %s %v: %w", s.name, t.Hash(), err)
		}
		if info.Height == nil || *info.Height == 0 {
			return k, fmt.Errorf("devnet: %s %v was not mined", s.name, t.Hash())
		}
		k.Txs[s.name], k.Heights[s.name] = t.Hash(), uint32(*info.Height)
		k.Order = append(k.Order, s.name)
	}
	return k, nil
}

// coinWith is the first coin of addr whose attachment matches.
func coinWith(coins []wallet.Coin, addr mvs.Address, match func(tx.Attachment) bool) (wallet.Coin, error) {
	for _, c := range coins {
		if a, ok := addressOf(c); ok && a == addr && match(c.Attachment) {
			return c, nil
		}
	}
	return wallet.Coin{}, fmt.Errorf("devnet: no such coin at %s", addr)
}

func certOf(typ uint32) func(tx.Attachment) bool {
	return func(a tx.Attachment) bool {
		c, ok := a.Payload.(*tx.AssetCert)
		return ok && c.CertType == typ
	}
}

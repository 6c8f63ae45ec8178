package chain_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/chain/regtest"
	"github.com/mvsgo/mvs/tx/script"
)

// TestNewPoWTemplate: a template on the tip, sealed, is accepted by the chain (the harness
// mines every block through it, deposits' interest coinbases included); configs it cannot
// build from are ErrTemplate.
func TestNewPoWTemplate(t *testing.T) {
	net := regtest.New(t)
	net.Mine(2)
	tip := net.Tip().Header
	hs := chain.NewMainHeaders(net.Store())
	pay := script.PayToAddress(net.Address(5))
	blk, err := chain.NewPoWTemplate(chain.TemplateConfig{Params: net.Params(), Parent: &tip, Branch: hs, PayTo: pay, Tag: []byte("pool")})
	if err != nil {
		t.Fatal(err)
	}
	cb := blk.Transactions[0]
	if blk.Header.Height != 3 || blk.Header.Timestamp != tip.Timestamp+1 || cb.Outputs[0].Value != block.Subsidy(3, block.VersionPoW, net.Params()) ||
		!strings.Contains(string(cb.Inputs[0].Script), "pool") || blk.Header.Bits != chain.RequiredBits(&blk.Header, hs, net.Params()) {
		t.Fatalf("template %+v", blk.Header)
	}
	for _, tc := range []struct {
		name string
		edit func(*chain.TemplateConfig)
	}{
		{"no parent", func(c *chain.TemplateConfig) { c.Parent = nil }},
		{"no params", func(c *chain.TemplateConfig) { c.Params = nil }},
		{"no payee", func(c *chain.TemplateConfig) { c.PayTo = nil }},
		{"tag too long", func(c *chain.TemplateConfig) { c.Tag = make([]byte, 76) }},
		{"a coinbase among the transactions", func(c *chain.TemplateConfig) { c.Txs = []chain.Candidate{{Tx: &cb}} }},
	} {
		cfg := chain.TemplateConfig{Params: net.Params(), Parent: &tip, Branch: hs, PayTo: pay}
		tc.edit(&cfg)
		if _, err := chain.NewPoWTemplate(cfg); !errors.Is(err, chain.ErrTemplate) {
			t.Errorf("%s: %v, want ErrTemplate", tc.name, err)
		}
	}
}

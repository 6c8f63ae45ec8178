package resolvers

import (
	"context"
	"errors"
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/did"
	"github.com/mvsgo/mvs/rpcclient"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
)

// Node resolves through a node's RPC (getdid SYMBOL): the binding the node prints as
// "current". Each call is bounded by the client's timeout.
type Node struct {
	Client DIDClient
	Params *mvs.Params
}

// DIDClient is what Node asks: getdid. *rpcclient.Client is one; a service that wraps or
// fakes its node client passes that.
type DIDClient interface {
	GetDID(ctx context.Context, didOrAddress string) ([]rpcclient.DIDRecord, error)
}

// DIDAddress asks the node for symbol's current address. A symbol that is an address of
// the network is refused (getdid would answer that address's DID instead).
func (n Node) DIDAddress(symbol string) (mvs.Address, error) {
	if n.Client == nil || n.Params == nil {
		return mvs.Address{}, fmt.Errorf("%w: resolvers.Node needs a Client and Params", did.ErrResolver)
	}
	if !tx.ValidDIDSymbol(symbol) {
		return mvs.Address{}, fmt.Errorf("%w: %q is not a DID symbol", did.ErrNotFound, symbol)
	}
	if _, err := mvs.DecodeAddress(symbol, n.Params); err == nil || symbol == mvs.BlackholeAddress {
		return mvs.Address{}, fmt.Errorf("%w: %q is an address, not a DID symbol", did.ErrNotFound, symbol)
	}
	recs, err := n.Client.GetDID(context.Background(), symbol)
	if err != nil {
		var re *rpcclient.RPCError
		if errors.As(err, &re) && re.Code == rpcclient.CodeDIDSymbolNotFound {
			return mvs.Address{}, fmt.Errorf("%w: %q: %w", did.ErrNotFound, symbol, err)
		}
		return mvs.Address{}, fmt.Errorf("%w: %w", did.ErrResolver, err)
	}
	var cur []rpcclient.DIDRecord
	for _, r := range recs {
		if r.Status == "current" {
			cur = append(cur, r)
		}
	}
	if len(cur) != 1 || cur[0].Symbol != symbol {
		return mvs.Address{}, fmt.Errorf("%w: getdid %q answered %d current bindings", did.ErrResolver, symbol, len(cur))
	}
	return decode(symbol, cur[0].Address, n.Params)
}

// Chain resolves in a chain store (chain.Queries.DID): the binding at the store's tip.
type Chain struct {
	Queries *chain.Queries
	Params  *mvs.Params
}

// DIDAddress reads symbol's current binding.
func (c Chain) DIDAddress(symbol string) (mvs.Address, error) {
	if c.Queries == nil || c.Params == nil {
		return mvs.Address{}, fmt.Errorf("%w: resolvers.Chain needs Queries and Params", did.ErrResolver)
	}
	info, err := c.Queries.DID(symbol)
	switch {
	case errors.Is(err, store.ErrNotFound), errors.Is(err, chain.ErrBadQuery):
		return mvs.Address{}, fmt.Errorf("%w: %q: %w", did.ErrNotFound, symbol, err)
	case err != nil:
		return mvs.Address{}, fmt.Errorf("%w: %w", did.ErrResolver, err)
	}
	return decode(symbol, info.Address, c.Params)
}

func decode(symbol, addr string, p *mvs.Params) (mvs.Address, error) {
	a, err := mvs.DecodeAddress(addr, p)
	if err != nil {
		return mvs.Address{}, fmt.Errorf("%w: %q is bound to %q: %v", did.ErrUnsupportedAddress, symbol, addr, err)
	}
	return a, nil
}

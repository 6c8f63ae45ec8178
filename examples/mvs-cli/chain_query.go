package main

import (
	"errors"
	"flag"
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/store"
)

const chainInfoUsage = `Usage: mvs-cli chain info --datadir D [--net N]

Prints the chain in D as JSON: "network", "tip_hash", "tip_height", "tip" (the tip's header:
"hash", "height", "version", "previous", "merkle_root", "timestamp", "bits", "nonce") and
"store_bytes" (the size of the store's buckets).

Flags:
` + chainFlagsHelp + `

Exit status: 0 printed; 1 error (no chain in D, another network's store: one line on stderr).`

const chainBalanceUsage = `Usage: mvs-cli chain balance --datadir D [--net N] ADDRESS

Prints what ADDRESS holds on the main chain as JSON: "etp" and each of "assets" split into
"total", "spendable", "immature" (coinbase maturity), "deposit_locked", "sequence_locked",
"attenuation_locked" (an attenuation lock's released part counts as spendable) and
"unspendable", in satoshi (assets in their smallest unit), with "tip_hash" and "tip_height".

Arguments:
  ADDRESS       an address of --net's network

Flags:
` + chainFlagsHelp + `

Exit status: 0 printed; 1 error (one line on stderr).`

const chainUTXOsUsage = `Usage: mvs-cli chain utxos --datadir D [--net N] [--limit N] [--cursor C] ADDRESS

Prints a page of the unspent outputs paying ADDRESS, in outpoint order, as JSON "utxos" and
"next": pass it as --cursor for the following page (absent on the last page). Each has
"txid", "index",
"value", "script", "height", "confirmations", "coinbase", "coinstake", "attachment",
"symbol" and "quantity" for assets, and "lock" (spendable, immature, deposit_locked,
sequence_locked, attenuation_locked, unspendable) with "released" and "unlock_height" where
they apply. Each page is exact at the tip it names; the whole balance at one tip is chain
balance's.

Arguments:
  ADDRESS       an address of --net's network

Flags:
` + chainFlagsHelp + `
  --limit N     outputs per page, 1 to 1000 (default 1000)
  --cursor C    the "next" of the previous page

Exit status: 0 printed; 1 error (one line on stderr).`

const chainHistoryUsage = `Usage: mvs-cli chain history --datadir D [--net N] [--limit N] [--cursor C] ADDRESS

Prints a page of the main-chain transactions that touched ADDRESS, oldest first, as JSON
"txs" (each "txid", "height", "index" in its block, "confirmations") and "next": pass it as
--cursor for the following page (absent on the last page).

Arguments:
  ADDRESS       an address of --net's network

Flags:
` + chainFlagsHelp + `
  --limit N     transactions per page, 1 to 1000 (default 100)
  --cursor C    the "next" of the previous page

Exit status: 0 printed; 1 error (one line on stderr).`

const chainTxUsage = `Usage: mvs-cli chain tx --datadir D [--net N] TXID

Prints a main-chain transaction as JSON: "txid", "block_hash", "height", "index",
"timestamp", "confirmations", "hex", and "tx" decoded as tx decode prints it.

Arguments:
  TXID          the transaction's hash, 64 hex digits

Flags:
` + chainFlagsHelp + `

Exit status: 0 printed; 1 error (not on the main chain: one line on stderr).`

const chainAssetUsage = `Usage: mvs-cli chain asset --datadir D [--net N] [--limit N] SYMBOL

Prints an asset as JSON: "symbol", "issuer", "address", "description", "decimals",
"maximum_supply", "volume", "secondary_issue_threshold", "height", "txid", the first page of
"holders" ("address", "quantity") and "holders_next" when there are more.

Arguments:
  SYMBOL        the asset's symbol

Flags:
` + chainFlagsHelp + `
  --limit N     holders to list, 1 to 1000 (default 100)

Exit status: 0 printed; 1 error (never issued: one line on stderr).`

const chainDIDUsage = `Usage: mvs-cli chain did --datadir D [--net N] SYMBOL|ADDRESS

Resolves a DID symbol, or the DID an address holds, and prints it as JSON: "symbol",
"address", "height", "txid", "history" (the symbol's bindings) and "address_history".

Arguments:
  SYMBOL|ADDRESS  a DID symbol, or an address of --net's network

Flags:
` + chainFlagsHelp + `

Exit status: 0 printed; 1 error (no such DID: one line on stderr).`

const chainMITUsage = `Usage: mvs-cli chain mit --datadir D [--net N] SYMBOL

Prints a unique token (MIT) as JSON: its symbol, owner address, content, height and txid.

Arguments:
  SYMBOL        the MIT's symbol

Flags:
` + chainFlagsHelp + `

Exit status: 0 printed; 1 error (no such MIT: one line on stderr).`

// queryVerb parses a query verb's command line (one positional argument unless none is
// wanted), opens the store and runs fn with the queries over it.
func queryVerb(e *env, args []string, name, help string, arg string, extra func(fs *flag.FlagSet),
	fn func(q *chain.Queries, st *store.Store, p *mvs.Params, pos string) (any, error)) error {
	fs := newFlags(name)
	cf := newChainFlags(fs)
	if extra != nil {
		extra(fs)
	}
	pos, err := parseArgs(fs, args, help)
	if err != nil {
		return err
	}
	var one string
	switch {
	case arg == "":
		if err := noArgs(pos); err != nil {
			return err
		}
	case len(pos) == 0:
		return missing(arg)
	case len(pos) > 1:
		return fmt.Errorf("unexpected argument %q (one %s only)", pos[1], arg)
	default:
		one = pos[0]
	}
	st, p, err := cf.open(fs, false)
	if err != nil {
		return err
	}
	defer st.Close()
	v, err := fn(chain.NewQueries(st, p), st, p, one)
	if err != nil {
		return queryError(err)
	}
	return printJSON(e.stdout, v)
}

// queryError words the queries' failures for the command line.
func queryError(err error) error {
	if errors.Is(err, store.ErrNoAddressIndex) {
		return fmt.Errorf("the store keeps no address index: %w", err)
	}
	return err
}

// addressOf decodes an address of p's network, naming the networks it belongs to when
// another's.
func addressOf(s string, p *mvs.Params) (mvs.Address, error) {
	a, err := mvs.DecodeAddress(s, p)
	if err != nil {
		return mvs.Address{}, fmt.Errorf("ADDRESS %s: %w", s, err)
	}
	return a, nil
}

func notFound(err error, what string) error {
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%s is not on the chain (%w)", what, store.ErrNotFound)
	}
	return err
}

// infoJSON is chain info's result.
type infoJSON struct {
	Network    string           `json:"network"`
	TipHash    string           `json:"tip_hash"`
	TipHeight  uint32           `json:"tip_height"`
	Tip        chain.HeaderInfo `json:"tip"`
	StoreBytes int              `json:"store_bytes"`
}

func chainInfo(e *env, args []string) error {
	return queryVerb(e, args, "chain info", chainInfoUsage, "", nil,
		func(q *chain.Queries, st *store.Store, p *mvs.Params, _ string) (any, error) {
			_, height, err := st.Tip()
			if err != nil {
				return nil, err
			}
			hs, err := q.Headers(height, 1)
			if err != nil {
				return nil, err
			}
			if len(hs) != 1 {
				return nil, fmt.Errorf("the store has no header at its tip height %d", height)
			}
			stats, err := st.Stats()
			if err != nil {
				return nil, err
			}
			return infoJSON{Network: p.Name, TipHash: hs[0].Hash, TipHeight: hs[0].Height, Tip: hs[0], StoreBytes: stats.Bytes()}, nil
		})
}

func chainBalance(e *env, args []string) error {
	return queryVerb(e, args, "chain balance", chainBalanceUsage, "ADDRESS", nil,
		func(q *chain.Queries, _ *store.Store, p *mvs.Params, s string) (any, error) {
			a, err := addressOf(s, p)
			if err != nil {
				return nil, err
			}
			return q.Balance(a)
		})
}

func chainUTXOs(e *env, args []string) error {
	var limit *int
	var cursor *string
	return queryVerb(e, args, "chain utxos", chainUTXOsUsage, "ADDRESS",
		func(fs *flag.FlagSet) {
			limit = fs.Int("limit", chain.MaxPage, "outputs per page")
			cursor = fs.String("cursor", "", "the previous page's next")
		},
		func(q *chain.Queries, _ *store.Store, p *mvs.Params, s string) (any, error) {
			if *limit < 1 || *limit > chain.MaxPage {
				return nil, fmt.Errorf("--limit %d: want 1 to %d", *limit, chain.MaxPage)
			}
			a, err := addressOf(s, p)
			if err != nil {
				return nil, err
			}
			page, err := q.UTXOsPage(a, *cursor, *limit)
			if errors.Is(err, chain.ErrBadQuery) && *cursor != "" {
				return nil, fmt.Errorf("--cursor %q is not a cursor utxos printed for this address", *cursor)
			}
			return page, err
		})
}

func chainHistory(e *env, args []string) error {
	var limit *int
	var cursor *string
	return queryVerb(e, args, "chain history", chainHistoryUsage, "ADDRESS",
		func(fs *flag.FlagSet) {
			limit = fs.Int("limit", 100, "transactions per page")
			cursor = fs.String("cursor", "", "the previous page's next")
		},
		func(q *chain.Queries, _ *store.Store, p *mvs.Params, s string) (any, error) {
			if *limit < 1 || *limit > chain.MaxPage {
				return nil, fmt.Errorf("--limit %d: want 1 to %d", *limit, chain.MaxPage)
			}
			a, err := addressOf(s, p)
			if err != nil {
				return nil, err
			}
			page, err := q.History(a, *cursor, *limit)
			if errors.Is(err, chain.ErrBadQuery) && *cursor != "" {
				return nil, fmt.Errorf("--cursor %q is not a cursor history printed", *cursor)
			}
			return page, err
		})
}

// txJSON is chain tx's result: the query's answer and the decoded transaction.
type txJSON struct {
	chain.TxInfo
	Decoded any `json:"tx"`
}

func chainTx(e *env, args []string) error {
	return queryVerb(e, args, "chain tx", chainTxUsage, "TXID", nil,
		func(q *chain.Queries, _ *store.Store, p *mvs.Params, s string) (any, error) {
			id, err := mvs.ParseHash(s)
			if err != nil {
				return nil, fmt.Errorf("TXID %q is not a transaction hash (64 hex digits)", s)
			}
			info, err := q.Tx(id)
			if err != nil {
				return nil, notFound(err, "transaction "+s)
			}
			return txJSON{TxInfo: info, Decoded: info.Tx.ToJSON(p)}, nil
		})
}

func chainAsset(e *env, args []string) error {
	var limit *int
	return queryVerb(e, args, "chain asset", chainAssetUsage, "SYMBOL",
		func(fs *flag.FlagSet) { limit = fs.Int("limit", 100, "holders to list") },
		func(q *chain.Queries, _ *store.Store, _ *mvs.Params, s string) (any, error) {
			if *limit < 1 || *limit > chain.MaxPage {
				return nil, fmt.Errorf("--limit %d: want 1 to %d", *limit, chain.MaxPage)
			}
			a, err := q.Asset(s, *limit)
			return a, notFound(err, "asset "+s)
		})
}

func chainDID(e *env, args []string) error {
	return queryVerb(e, args, "chain did", chainDIDUsage, "SYMBOL|ADDRESS", nil,
		func(q *chain.Queries, _ *store.Store, p *mvs.Params, s string) (any, error) {
			// An address of this network is looked up as one; anything else is a symbol.
			a, err := mvs.DecodeAddress(s, p)
			var ne *mvs.AddressNetworkError
			switch {
			case err == nil:
				d, err := q.DIDOf(a)
				return d, notFound(err, "a DID of "+s)
			case errors.As(err, &ne) && len(ne.Networks) > 0:
				return nil, fmt.Errorf("ADDRESS %s: %w", s, err)
			}
			d, err := q.DID(s)
			return d, notFound(err, "DID "+s)
		})
}

func chainMIT(e *env, args []string) error {
	return queryVerb(e, args, "chain mit", chainMITUsage, "SYMBOL", nil,
		func(q *chain.Queries, _ *store.Store, _ *mvs.Params, s string) (any, error) {
			m, err := q.MIT(s)
			return m, notFound(err, "MIT "+s)
		})
}

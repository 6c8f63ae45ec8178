package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/ethash"
	"github.com/mvsgo/mvs/store"
)

const chainUsage = `Usage: mvs-cli chain VERB --datadir D [flags]

A local chain state: blocks imported from files into D/chain.db, validated as a node does,
then queried offline. Every answer is JSON and names the tip it was read at.

Verbs:
  import --datadir D [--net N] FILE...   validate and store raw blocks (hex lines or a
                                         binary stream); rerun to resume
  info --datadir D [--net N]             the tip and the store's size
  balance --datadir D ADDRESS            ETP and assets, split by lock state
  utxos --datadir D ADDRESS              unspent outputs with confirmations and locks
  history --datadir D ADDRESS            transactions touching an address, paged
  tx --datadir D TXID                    a main-chain transaction with its height
  asset --datadir D SYMBOL               an asset with its holders
  did --datadir D SYMBOL|ADDRESS         a DID binding and its history
  mit --datadir D SYMBOL                 a unique token (MIT)
  check-tx --datadir D HEX               judge a transaction against the tip as a block
                                         would (no memory-pool policy)
  verify --datadir D                     rebuild the state from the stored blocks and
                                         compare it with the store

Run mvs-cli chain VERB --help for one verb's arguments, flags, output and exit statuses.
`

// storeFile is the store's file name inside a datadir.
const storeFile = "chain.db"

// Errors of the chain verbs.
var (
	// errNoChain: a query on a datadir that holds no store.
	errNoChain = errors.New("no chain")
	// errInvalidBlock: import met a block a consensus rule refuses.
	errInvalidBlock = errors.New("invalid block")
	// errNotBlocks: an import file that is neither hex lines nor a binary block stream.
	errNotBlocks = errors.New("not blocks")
	// errAssumeValidUnknown: --assume-valid names a block neither stored nor in the files.
	errAssumeValidUnknown = errors.New("unknown assume-valid block")
)

// chainFlags are the flags every chain verb has: the datadir and the network.
type chainFlags struct {
	datadir *string
	net     func() (*mvs.Params, error)
	// cacheMiB is import's batch cap (store.Options.CacheBytes); nil for other verbs.
	cacheMiB *int
}

func newChainFlags(fs *flag.FlagSet) chainFlags {
	return chainFlags{datadir: fs.String("datadir", "", "the chain's directory"), net: netFlag(fs)}
}

// chainFlagsHelp describes the common flags in every verb's help.
const chainFlagsHelp = `  --datadir D   the chain's directory: D/chain.db is the store, D/ethash the Ethash files
  --net N       the network: mainnet (default), testnet or regtest; a store of another
                network is refused`

// open opens the store of the datadir. create makes the directory and the store when
// missing (import); otherwise a missing store is errNoChain, so a mistyped datadir is
// never answered with an empty chain.
func (cf chainFlags) open(fs *flag.FlagSet, create bool) (*store.Store, *mvs.Params, error) {
	if err := requireFlags(fs, "datadir"); err != nil {
		return nil, nil, err
	}
	p, err := cf.net()
	if err != nil {
		return nil, nil, err
	}
	path := filepath.Join(*cf.datadir, storeFile)
	if create {
		if err := os.MkdirAll(*cf.datadir, 0o755); err != nil {
			return nil, nil, fmt.Errorf("--datadir %s: %v", *cf.datadir, unwrapPath(err))
		}
	} else if _, err := os.Stat(path); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil, fmt.Errorf("%w in %s (no %s; run mvs-cli chain import first)", errNoChain, *cf.datadir, storeFile)
		}
		return nil, nil, fmt.Errorf("%s: %v", path, unwrapPath(err))
	}
	opts := store.Options{Params: p}
	if cf.cacheMiB != nil {
		opts.CacheBytes = *cf.cacheMiB << 20
	}
	s, err := store.Open(path, opts)
	switch {
	case errors.Is(err, store.ErrWrongNetwork):
		return nil, nil, fmt.Errorf("%s holds another network's chain, not %s's: pass the --net it was imported with (%w)", path, p.Name, store.ErrWrongNetwork)
	case errors.Is(err, store.ErrLocked):
		return nil, nil, fmt.Errorf("%s is open in another process (%w): stop it first", path, store.ErrLocked)
	case errors.Is(err, store.ErrSchemaVersion):
		return nil, nil, fmt.Errorf("%s was written by another version of the store (%w)", path, store.ErrSchemaVersion)
	case err != nil:
		return nil, nil, fmt.Errorf("opening %s: %w", path, err)
	}
	return s, p, nil
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ethashFlags are the seal-checking flags of import and verify.
type ethashFlags struct {
	dir        *string
	smallSizes *bool
}

func newEthashFlags(fs *flag.FlagSet) ethashFlags {
	return ethashFlags{dir: fs.String("ethash-dir", "", "Ethash cache directory"),
		smallSizes: fs.Bool("ethash-test-sizes", false, "Ethash's small test sizes (regtest only)")}
}

const ethashFlagsHelp = `  --ethash-dir D       where the Ethash caches go; default DATADIR/ethash
  --ethash-test-sizes  verify seals with Ethash's small test sizes (a 1 KiB cache), as the
                       RegTest chains of chain/regtest are mined; only with --net regtest`

// check refuses test sizes on a public network, before anything is opened.
func (ef ethashFlags) check(p *mvs.Params) error {
	if *ef.smallSizes && p.Name != mvs.RegTest().Name {
		return fmt.Errorf("--ethash-test-sizes is for --net regtest only: %s blocks are sealed with the real sizes", p.Name)
	}
	return nil
}

func (ef ethashFlags) verifier(datadir string, p *mvs.Params) (*ethash.Verifier, error) {
	cfg := ethash.Config{Dir: *ef.dir}
	if cfg.Dir == "" {
		cfg.Dir = filepath.Join(datadir, "ethash")
	}
	if err := ef.check(p); err != nil {
		return nil, err
	}
	if *ef.smallSizes {
		cfg.Sizes = ethash.SmallSizes
	}
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("--ethash-dir %s: %v", cfg.Dir, unwrapPath(err))
	}
	return ethash.New(cfg), nil
}

// openSealed opens the datadir's store and an Ethash verifier for it: import's and verify's
// start. Test sizes on a public network are refused before anything is opened. The caller
// closes both.
func openSealed(fs *flag.FlagSet, cf chainFlags, ef ethashFlags, create bool) (*store.Store, *mvs.Params, *ethash.Verifier, error) {
	if p, err := cf.net(); err != nil {
		return nil, nil, nil, err
	} else if err := ef.check(p); err != nil {
		return nil, nil, nil, err
	}
	st, p, err := cf.open(fs, create)
	if err != nil {
		return nil, nil, nil, err
	}
	v, err := ef.verifier(*cf.datadir, p)
	if err != nil {
		st.Close()
		return nil, nil, nil, err
	}
	return st, p, v, nil
}

// ruleJSON is a consensus refusal as the chain verbs print it.
type ruleJSON struct {
	Code  int    `json:"code"`
	Rule  string `json:"rule"`
	Error string `json:"error"`
}

func toRuleJSON(re *chain.RuleError) *ruleJSON {
	return &ruleJSON{Code: int(re.Code), Rule: re.Code.String(), Error: plainMessage(re.Error())}
}

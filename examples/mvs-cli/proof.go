package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/proof"
	"github.com/mvsgo/mvs/rpcclient"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/wallet"
)

const proofUsage = `Usage: mvs-cli proof VERB [flags]

Proof of existence: a file's SHA-256 goes into a transaction's message attachment
("sha256:<hex>"); once the transaction is in a block, a proof (the transaction, its merkle
branch and the block's header, as JSON) shows that the file existed by that block's time.

Verbs:
  digest FILE                                the file's SHA-256 and the message text
  tx --datadir D --from ADDRESS FILE         build the unsigned message transaction (sign
                                             it with mvs-cli tx sign, send it to a node)
  make (--block F | --datadir D | --rpc URL) --txid TXID FILE
                                             the proof that TXID holds FILE's digest
  verify [--datadir D | --rpc URL] FILE PROOF
                                             check a proof offline, and its header against
                                             a chain store or a node

Run mvs-cli proof VERB --help for one verb's arguments, flags, output and exit statuses.
`

const proofDigestUsage = `Usage: mvs-cli proof digest FILE

Prints the file's SHA-256 and the message attachment text that commits to it, as JSON:
{"file", "digest", "message"}.

Arguments:
  FILE          the file ("-" for stdin)

Exit status: 0 printed; 1 error (one line on stderr).`

const proofTxUsage = `Usage: mvs-cli proof tx --datadir D [--net N] --from ADDRESS [--to ADDRESS] (FILE | --digest HEX)

Builds the transaction that commits to the file's digest: one output of 0 ETP to --to
(default --from) whose message is "sha256:<hex>", paid for (the minimum fee) from the
coins of --from in the chain store, change back to --from. It prints the offline-signing
JSON: sign it with mvs-cli tx sign --unsigned F (KEYS), then send the hex to a node.

Arguments:
  FILE            the file whose digest to commit to ("-" for stdin)

Flags:
  --from ADDRESS  the address whose coins pay the fee
  --to ADDRESS    the address the message output pays (default --from)
  --digest HEX    the 32-byte SHA-256 instead of FILE
` + chainFlagsHelp + `

Exit status: 0 printed; 1 error (one line on stderr; no coins, too few to pay the fee).`

const proofMakeUsage = `Usage: mvs-cli proof make (--block F | --datadir D | --rpc URL) --txid TXID [--net N] (FILE | --digest HEX)

Prints the proof (JSON, format "mvsgo-existence-proof" version 1) that transaction TXID,
confirmed in a block, carries the file's digest in a message: the transaction, its merkle
branch and the block's header. The block comes from exactly one of:

  --block F          a file holding the block (hex, or raw bytes)
  --datadir D        a chain store (mvs-cli chain import): the main-chain block of TXID
  --rpc URL          a node's JSON-RPC (http://127.0.0.1:8820): gettx, then getblock;
                     --rpc-user U and --rpc-password-file F when it asks for a login

Arguments:
  FILE               the file ("-" for stdin)

Flags:
  --txid TXID        the transaction that holds the digest
  --digest HEX       the 32-byte SHA-256 instead of FILE
  --rpc-user U       the node's RPC user
  --rpc-password-file F
                     the node's RPC password, first line
  --net N            the network: mainnet (default), testnet or regtest (--datadir, --rpc)

Exit status: 0 printed; 1 error (one line on stderr: the transaction is not in the block,
holds no message with the digest, or the block does not match its header).`

const proofVerifyUsage = `Usage: mvs-cli proof verify [--datadir D | --rpc URL] [--net N] (FILE | --digest HEX) PROOF

Checks a proof: that it is of FILE's digest, that its transaction carries the digest in a
message, and that its merkle branch leads to its header's merkle root. A header alone can be
forged: with --datadir or --rpc the header is also compared with the block that chain has
at that height (which also catches a block a reorganisation removed), and the verdict says
how many confirmations it has. Prints JSON: {"valid", "digest", "txid", "block", "height",
"time", "checked_against", "confirmations"} or {"valid": false, "error"}.

Arguments:
  FILE               the file ("-" for stdin)
  PROOF              the proof JSON ("-" for stdin)

Flags:
  --datadir D        compare the header with this chain store's main chain
  --rpc URL          compare the header with this node's best chain
  --rpc-user U       the node's RPC user
  --rpc-password-file F
                     the node's RPC password, first line
  --digest HEX       the 32-byte SHA-256 instead of FILE
  --net N            the network: mainnet (default), testnet or regtest

Exit status: 0 valid, and the header is the chain's; 1 invalid or an error (one line on
stderr); 3 valid offline, but no chain was given to check the header against.`

// Errors of the proof and did verbs.
var (
	// errDigestSource: neither FILE nor --digest, or both.
	errDigestSource = errors.New("one digest source")
	// errBlockSource: proof make without exactly one of --block, --datadir and --rpc.
	errBlockSource = errors.New("one block source")
)

// digestFlag registers --digest; digestOf resolves it or the FILE argument.
func digestFlag(fs *flag.FlagSet) *string {
	return fs.String("digest", "", "the 32-byte SHA-256 (hex) instead of FILE")
}

// digestOf returns the digest of --digest HEX or of the file pos[0] (the positionals the
// digest consumes are dropped from the returned rest).
func digestOf(e *env, digestHex string, pos []string, want int) ([32]byte, string, []string, error) {
	var d [32]byte
	if digestHex != "" {
		if len(pos) != want-1 {
			return d, "", nil, fmt.Errorf("%w: give FILE or --digest, not both", errDigestSource)
		}
		b, err := decodeHexArg("--digest", digestHex)
		if err != nil {
			return d, "", nil, err
		}
		if len(b) != 32 {
			return d, "", nil, fmt.Errorf("--digest must be 32 bytes, got %d", len(b))
		}
		return [32]byte(b), "", pos, nil
	}
	if len(pos) == want-1 {
		return d, "", nil, missing("FILE (or --digest HEX)")
	}
	if len(pos) != want {
		return d, "", nil, fmt.Errorf("unexpected argument %q", pos[len(pos)-1])
	}
	name := pos[0]
	if name == "-" {
		b, err := readStdin(e, "file")
		if err != nil {
			return d, "", nil, err
		}
		return sha256.Sum256(b), name, pos[1:], nil
	}
	f, err := os.Open(name)
	if err != nil {
		return d, "", nil, fmt.Errorf("FILE %s: %v", name, unwrapPath(err))
	}
	defer f.Close()
	d, err = proof.Digest(f)
	if err != nil {
		return d, "", nil, fmt.Errorf("FILE %s: %v", name, unwrapPath(err))
	}
	return d, name, pos[1:], nil
}

// rpcFlags are a node's URL and login.
type rpcFlags struct{ url, user, pwFile *string }

func addRPCFlags(fs *flag.FlagSet) rpcFlags {
	return rpcFlags{url: fs.String("rpc", "", "the node's JSON-RPC URL"),
		user:   fs.String("rpc-user", "", "the node's RPC user"),
		pwFile: fs.String("rpc-password-file", "", "file holding the node's RPC password (- for stdin)")}
}

// client connects to --rpc (nil when not given).
func (rf rpcFlags) client(e *env) (*rpcclient.Client, error) {
	if *rf.url == "" {
		if *rf.user != "" || *rf.pwFile != "" {
			return nil, fmt.Errorf("--rpc-user and --rpc-password-file go with --rpc only")
		}
		return nil, nil
	}
	opts := rpcclient.Options{User: *rf.user}
	if *rf.pwFile != "" {
		pw, err := readPassword(e, *rf.pwFile)
		if err != nil {
			return nil, err
		}
		opts.Password = pw
	}
	c, err := rpcclient.New(*rf.url, opts)
	if err != nil {
		return nil, (fmt.Errorf("--rpc %s: %w", *rf.url, err))
	}
	return c, nil
}

type digestJSON struct {
	File    string `json:"file,omitempty"`
	Digest  string `json:"digest"`
	Message string `json:"message"`
}

func proofDigest(e *env, args []string) error {
	fs := newFlags("proof digest")
	pos, err := parseArgs(fs, args, proofDigestUsage)
	if err != nil {
		return err
	}
	d, name, _, err := digestOf(e, "", pos, 1)
	if err != nil {
		return err
	}
	return printJSON(e.stdout, digestJSON{File: name, Digest: fmt.Sprintf("%x", d), Message: proof.Message(d)})
}

func proofTx(e *env, args []string) error {
	fs := newFlags("proof tx")
	cf := newChainFlags(fs)
	from := fs.String("from", "", "the address whose coins pay")
	to := fs.String("to", "", "the address the message output pays (default --from)")
	dg := digestFlag(fs)
	pos, err := parseArgs(fs, args, proofTxUsage)
	if err != nil {
		return err
	}
	if err := requireFlags(fs, "from"); err != nil {
		return err
	}
	d, _, _, err := digestOf(e, *dg, pos, 1)
	if err != nil {
		return err
	}
	st, p, err := cf.open(fs, false)
	if err != nil {
		return err
	}
	defer st.Close()
	fromAddr, err := addressOf(*from, p)
	if err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	toAddr := fromAddr
	if *to != "" {
		if toAddr, err = addressOf(*to, p); err != nil {
			return fmt.Errorf("--to: %w", err)
		}
	}
	coins, tip, err := chain.NewQueries(st, p).Coins(fromAddr)
	if err != nil {
		return queryError(err)
	}
	if len(coins) == 0 {
		return fmt.Errorf("--from %s has no coins in %s", fromAddr, *cf.datadir)
	}
	b := &wallet.Builder{Params: p, TipHeight: tip, Coins: coins, ChangeAddress: fromAddr}
	u, err := b.SendMessage(toAddr, 0, proof.Message(d))
	if err != nil {
		return err
	}
	return printJSON(e.stdout, u)
}

func proofMake(e *env, args []string) error {
	fs := newFlags("proof make")
	cf := newChainFlags(fs)
	rf := addRPCFlags(fs)
	blockFile := fs.String("block", "", "file holding the block (hex or raw)")
	txidFlag := fs.String("txid", "", "the transaction holding the digest")
	dg := digestFlag(fs)
	pos, err := parseArgs(fs, args, proofMakeUsage)
	if err != nil {
		return err
	}
	if err := requireFlags(fs, "txid"); err != nil {
		return err
	}
	txid, err := mvs.ParseHash(*txidFlag)
	if err != nil {
		return fmt.Errorf("--txid %q is not a transaction hash", *txidFlag)
	}
	sources := 0
	for _, s := range []string{*blockFile, *cf.datadir, *rf.url} {
		if s != "" {
			sources++
		}
	}
	if sources != 1 {
		return fmt.Errorf("%w: give exactly one of --block, --datadir and --rpc", errBlockSource)
	}
	d, _, _, err := digestOf(e, *dg, pos, 1)
	if err != nil {
		return err
	}
	var ex *proof.Existence
	switch {
	case *blockFile != "":
		raw, err := readInput(e, "--block", *blockFile, "block")
		if err != nil {
			return err
		}
		if h, herr := decodeHexArg("block", string(raw)); herr == nil {
			raw = h
		}
		blk, err := block.Decode(raw)
		if err != nil {
			return fmt.Errorf("--block %s: not a block: %w", *blockFile, err)
		}
		ex, err = proof.Make(blk, txid, d)
		if err != nil {
			return err
		}
	case *cf.datadir != "":
		st, p, err := cf.open(fs, false)
		if err != nil {
			return err
		}
		defer st.Close()
		info, err := chain.NewQueries(st, p).Tx(txid)
		if err != nil {
			return notFound(err, "transaction "+txid.String())
		}
		h, err := mvs.ParseHash(info.BlockHash)
		if err != nil {
			return err
		}
		raw, err := st.Body(h)
		if err != nil {
			return err
		}
		blk, err := block.Decode(raw)
		if err != nil {
			return fmt.Errorf("stored block %s: %w (%w)", h, err, store.ErrCorrupt)
		}
		if ex, err = proof.Make(blk, txid, d); err != nil {
			return err
		}
	default:
		c, err := rf.client(e)
		if err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*rpcclient.DefaultTimeout)
		defer cancel()
		if ex, err = proof.FromNode(ctx, c, txid, d); err != nil {
			return err
		}
	}
	return printJSON(e.stdout, ex)
}

// proofVerdict is proof verify's result.
type proofVerdict struct {
	Valid          bool    `json:"valid"`
	Error          string  `json:"error,omitempty"`
	Digest         string  `json:"digest,omitempty"`
	TxID           string  `json:"txid,omitempty"`
	Block          string  `json:"block,omitempty"`
	Height         *uint32 `json:"height,omitempty"`
	Time           string  `json:"time,omitempty"`
	CheckedAgainst string  `json:"checked_against"`
	Confirmations  *uint32 `json:"confirmations,omitempty"`
}

func proofVerify(e *env, args []string) error {
	fs := newFlags("proof verify")
	cf := newChainFlags(fs)
	rf := addRPCFlags(fs)
	dg := digestFlag(fs)
	pos, err := parseArgs(fs, args, proofVerifyUsage)
	if err != nil {
		return err
	}
	if *cf.datadir != "" && *rf.url != "" {
		return errors.New("give --datadir or --rpc, not both")
	}
	if len(pos) == 0 {
		return missing("FILE and PROOF")
	}
	d, _, rest, err := digestOf(e, *dg, pos, 2)
	if err != nil {
		return err
	}
	text, err := readInput(e, "PROOF", rest[0], "proof")
	if err != nil {
		return err
	}
	var ex proof.Existence
	if err := ex.UnmarshalJSON(text); err != nil {
		return fmt.Errorf("PROOF %s: %w", rest[0], err)
	}
	v := proofVerdict{Digest: fmt.Sprintf("%x", d)}
	var src proof.HeaderSource
	var confirmations func(height uint32) (uint32, error)
	switch {
	case *cf.datadir != "":
		st, _, err := cf.open(fs, false)
		if err != nil {
			return err
		}
		defer st.Close()
		p, _ := cf.net()
		q := chain.NewQueries(st, p)
		src, v.CheckedAgainst = proof.ChainHeaders{Queries: q}, "store "+*cf.datadir
		confirmations = func(h uint32) (uint32, error) {
			hs, err := q.Headers(h, 1)
			if err != nil || len(hs) != 1 {
				return 0, err
			}
			return hs[0].Confirmations, nil
		}
	case *rf.url != "":
		c, err := rf.client(e)
		if err != nil {
			return err
		}
		src, v.CheckedAgainst = proof.NodeHeaders{Client: c}, "node "+*rf.url
		confirmations = func(h uint32) (uint32, error) {
			tip, err := c.GetHeight(context.Background())
			if err != nil || tip < uint64(h) {
				return 0, err
			}
			return uint32(tip-uint64(h)) + 1, nil
		}
	}
	var h block.Header
	if src != nil {
		h, err = ex.VerifyAgainst(d, src)
	} else {
		h, err = ex.Verify(d)
	}
	if err != nil {
		v.Error = plainMessage(err.Error())
		if perr := printJSON(e.stdout, v); perr != nil {
			return perr
		}
		return &exitError{code: exitFailure, msg: "the proof is invalid: " + v.Error}
	}
	height := h.Height
	v.Valid, v.TxID, v.Block, v.Height = true, ex.TxID().String(), h.Hash().String(), &height
	v.Time = time.Unix(int64(h.Timestamp), 0).UTC().Format(time.RFC3339)
	if confirmations != nil {
		if n, err := confirmations(h.Height); err == nil && n > 0 {
			v.Confirmations = &n
		}
	}
	if err := printJSON(e.stdout, v); err != nil {
		return err
	}
	if src == nil {
		return &exitError{code: exitIncomplete, msg: "valid offline, but the header was not checked against a chain (pass --datadir D or --rpc URL)"}
	}
	return nil
}

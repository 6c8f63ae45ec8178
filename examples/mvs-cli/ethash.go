package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"

	"github.com/mvsgo/mvs/ethash"
)

const ethashUsage = `Usage: mvs-cli ethash VERB [flags]

Verbs:
  hash --height H --seal-hash X --nonce N [--dir D]
                                            print the epoch, mix digest and result (JSON)
  gen --epoch N [--full] [--workers K] --dir D
                                            build the epoch's cache (and with --full its DAG)
                                            in D, in the go-ethereum/libethash file format

Run mvs-cli ethash VERB --help for one verb's flags, output and exit statuses.
`

const ethashHashUsage = `Usage: mvs-cli ethash hash --height H --seal-hash X --nonce N [--dir D]

Computes Ethash (light mode) for a block height, seal hash and nonce and prints, as JSON,
{"epoch", "seal_hash", "nonce", "mix", "result"}. A block's seal holds when "mix" equals
its mixhash and "result" is at most its boundary (block verify checks both).

Flags:
  --height H      block height, decimal or 0x-hex (required)
  --seal-hash X   the 32-byte seal hash in hex, as block decode prints it (required)
  --nonce N       nonce, decimal or 0x-hex (required)
  --dir D         keep the epoch's cache file in D (built there when absent); default in
                  memory

Exit status: 0 printed; 1 error (one line on stderr).`

const ethashGenUsage = `Usage: mvs-cli ethash gen --epoch N [--full] [--workers K] --dir D

Builds epoch N's Ethash cache file in D and, with --full, its dataset (DAG) file, in the
go-ethereum/libethash file format, and names the files on stderr (with a progress bar for
the DAG). Files already there are checked and reused.

Flags:
  --epoch N     the epoch (block height / 30000), default 0
  --full        also build the full dataset (about 1 GiB at epoch 0, growing)
  --workers K   DAG goroutines (default: all cores)
  --dir D       the output directory (required)

Exit status: 0 built; 1 error (one line on stderr); an interrupt stops the DAG cleanly.`

// parseUint reads a decimal or 0x-hex unsigned integer.
func parseUint(what, s string) (uint64, error) {
	base := 10
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		s, base = s[2:], 16
	}
	v, err := strconv.ParseUint(s, base, 64)
	if err != nil {
		return 0, fmt.Errorf("%s %q is not an unsigned 64-bit number (decimal or 0x-hex)", what, s)
	}
	return v, nil
}

func ethashHash(e *env, args []string) error {
	fs := newFlags("ethash hash")
	height := fs.String("height", "", "block height")
	seal := fs.String("seal-hash", "", "32-byte seal (header) hash, hex")
	nonce := fs.String("nonce", "", "nonce, decimal or 0x-hex")
	dir := fs.String("dir", "", "directory for cache files (default: in memory)")
	pos, err := parseArgs(fs, args, ethashHashUsage)
	if err != nil {
		return err
	}
	if err := noArgs(pos); err != nil {
		return err
	}
	if err := requireFlags(fs, "height", "seal-hash", "nonce"); err != nil {
		return err
	}
	h, err := parseUint("--height", *height)
	if err != nil {
		return err
	}
	n, err := parseUint("--nonce", *nonce)
	if err != nil {
		return err
	}
	sb, err := decodeHexArg("--seal-hash", *seal)
	if err != nil {
		return err
	}
	if len(sb) != 32 {
		return fmt.Errorf("--seal-hash must be 32 bytes, got %d", len(sb))
	}
	v := ethash.New(ethash.Config{Dir: *dir})
	defer v.Close()
	mix, result, err := v.Hash(h, [32]byte(sb), n)
	if err != nil {
		return err
	}
	return printJSON(e.stdout, map[string]any{
		"epoch": h / ethash.EpochLength, "seal_hash": hex.EncodeToString(sb), "nonce": fmt.Sprintf("0x%016x", n),
		"mix": hex.EncodeToString(mix[:]), "result": hex.EncodeToString(result[:])})
}

func ethashGen(e *env, args []string) error {
	fs := newFlags("ethash gen")
	epoch := fs.Uint64("epoch", 0, "epoch number")
	full := fs.Bool("full", false, "also build the full dataset (DAG)")
	dir := fs.String("dir", "", "output directory")
	workers := fs.Int("workers", 0, "DAG generation goroutines (default: all cores)")
	pos, err := parseArgs(fs, args, ethashGenUsage)
	if err != nil {
		return err
	}
	if err := noArgs(pos); err != nil {
		return err
	}
	if err := requireFlags(fs, "dir"); err != nil {
		return err
	}
	if *epoch > ethash.MaxEpoch {
		return fmt.Errorf("--epoch %d is beyond the last epoch, %d", *epoch, ethash.MaxEpoch)
	}
	c, err := ethash.LoadCache(*dir, *epoch, nil, nil)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.FileErr(); err != nil {
		// The cache is valid in memory but was not written: gen exists to write it.
		return fmt.Errorf("the cache could not be written to --dir %s: %w", *dir, err)
	}
	fmt.Fprintf(e.stderr, "cache: %s\n", ethash.CacheFileName(c.Seed))
	if !*full {
		return nil
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	bar := newProgressBar(e, "DAG")
	d, err := ethash.LoadDataset(ctx, *dir, c, *workers, bar.update, nil)
	bar.finish()
	if err != nil {
		return err
	}
	defer d.Close()
	fmt.Fprintf(e.stderr, "dataset: %s\n", ethash.DatasetFileName(c.Seed))
	return nil
}

// progressBar draws "DAG [#####.....]  42%" on stderr, redrawn only when the percentage
// changes.
type progressBar struct {
	e     *env
	label string
	last  int
}

func newProgressBar(e *env, label string) *progressBar {
	return &progressBar{e: e, label: label, last: -1}
}

func (p *progressBar) update(done, total uint64) {
	if total == 0 {
		return
	}
	pct := int(done * 100 / total)
	if pct == p.last {
		return
	}
	p.last = pct
	const width = 40
	filled := pct * width / 100
	fmt.Fprintf(p.e.stderr, "\r%s [%s%s] %3d%%", p.label, strings.Repeat("#", filled), strings.Repeat(".", width-filled), pct)
}

func (p *progressBar) finish() {
	if p.last >= 0 {
		fmt.Fprintln(p.e.stderr)
	}
}

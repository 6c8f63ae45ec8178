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

const ethashUsage = `Usage: mvs-cli ethash VERB [options]

Verbs:
  hash --height H --seal-hash X --nonce N   print the epoch, mix digest and result (JSON)
  gen --epoch N [--full] --dir D            build the epoch's cache (and with --full its DAG)
                                            in D, in the go-ethereum/libethash file format
`

func cmdEthash(e *env, args []string) error {
	return runVerb(e, args, "ethash", ethashUsage, map[string]verb{
		"hash": ethashHash,
		"gen":  ethashGen,
	})
}

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
	pos, err := parseArgs(fs, args, "Usage: mvs-cli ethash hash --height H --seal-hash X --nonce N [--dir D]")
	if err != nil {
		return err
	}
	if len(pos) != 0 || *height == "" || *seal == "" || *nonce == "" {
		return fmt.Errorf("ethash hash needs --height, --seal-hash and --nonce and no other arguments")
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
	pos, err := parseArgs(fs, args, "Usage: mvs-cli ethash gen --epoch N [--full] [--workers K] --dir D")
	if err != nil {
		return err
	}
	if len(pos) != 0 || *dir == "" {
		return fmt.Errorf("ethash gen needs --dir and no positional arguments")
	}
	if *epoch > ethash.MaxEpoch {
		return fmt.Errorf("--epoch %d is beyond the last epoch, %d", *epoch, ethash.MaxEpoch)
	}
	c, err := ethash.LoadCache(*dir, *epoch, nil, nil)
	if err != nil {
		return err
	}
	defer c.Close()
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

package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/block"
	"github.com/mvsgo/mvs/chain"
	"github.com/mvsgo/mvs/store"
	"github.com/mvsgo/mvs/tx"
)

const chainImportUsage = `Usage: mvs-cli chain import --datadir D [--net N] [--cache-mib M] [--commit-blocks N] [--assume-valid HASH] [--ethash-dir D] [--ethash-test-sizes] FILE...

Validates raw blocks as a node does (context-free checks, the Ethash seal, every contextual
rule and script) and stores those that join the chain in D/chain.db, which is created on
first use. A FILE holds either one block in hex per line (blank lines skipped) or a binary
stream of concatenated blocks; the first bytes decide. "-" is stdin. Blocks already stored
are skipped, so a rerun after an interruption resumes where it stopped. Blocks may come in
any order: one whose parent is not yet known waits (in memory) for it.

Blocks are committed in batches of up to --cache-mib of changes (one write for many
blocks, as a node's initial sync): killed at any moment, the store is left at its last
commit, whole, and a rerun resumes from there. SIGINT or SIGTERM stops the import after
the block being validated, commits, and prints the summary with "interrupted": true.

Progress lines go to stderr about once a second and at the end ("import: N blocks, R
blocks/s, P% read, ETA T"; the share read and the ETA only when the input's size is
known). Then stdout gets a JSON summary: "imported" (blocks that joined the main chain),
"skipped" (already stored), "side_chain", "orphans" (blocks whose parent never came: not
stored), "tip_hash", "tip_height", "seconds", "interrupted" when a signal stopped it; and,
when a block was refused, "invalid"
{"hash", "height", "code", "rule", "error"}: the rule it broke.

Arguments:
  FILE...              files of blocks, read in order

Flags:
` + chainFlagsHelp + `
  --cache-mib M        the most memory the uncommitted batch may hold, in MiB (default
                       256); a commit empties it. Smaller commits more often
  --commit-blocks N    commit at least every N blocks (default 0: only when the batch is
                       full), bounding the work a crash loses
  --assume-valid HASH  skip the input scripts of this block and its ancestors (every
                       other rule still applies), as bitcoind's -assumevalid: only for a
                       hash you trust. The files' headers up to HASH are checked and stored
                       first, so the files are read twice (not stdin); a HASH neither
                       stored nor in the files is refused
` + ethashFlagsHelp + `

Exit status: 0 every block stored or already known; 1 an invalid block (the import stops
there; the summary names the rule) or an error; 3 blocks left whose parent never came, or
interrupted by a signal (rerun to resume).`

// importHeapMargin is the garbage collector's room beyond --cache-mib: the runtime, the
// Ethash caches, the file buffer and the chain's in-memory pools.
const importHeapMargin = 96 << 20

// importSummary is chain import's JSON result.
type importSummary struct {
	Imported    int          `json:"imported"`
	Skipped     int          `json:"skipped"`
	SideChain   int          `json:"side_chain"`
	Orphans     int          `json:"orphans"`
	TipHash     string       `json:"tip_hash"`
	TipHeight   uint32       `json:"tip_height"`
	Seconds     float64      `json:"seconds"`
	Interrupted bool         `json:"interrupted,omitempty"`
	Invalid     *invalidJSON `json:"invalid,omitempty"`
}

type invalidJSON struct {
	Hash   string `json:"hash"`
	Height uint32 `json:"height"`
	ruleJSON
}

func chainImport(e *env, args []string) error {
	fs := newFlags("chain import")
	cf := newChainFlags(fs)
	cf.cacheMiB = fs.Int("cache-mib", store.DefaultCacheBytes>>20, "batch cap in MiB")
	every := fs.Int("commit-blocks", 0, "commit at least every N blocks")
	ef := newEthashFlags(fs)
	av := fs.String("assume-valid", "", "block hash whose ancestors' scripts are trusted")
	files, err := parseArgs(fs, args, chainImportUsage)
	if err != nil {
		return err
	}
	if *cf.cacheMiB < 1 || *cf.cacheMiB > 1<<20 {
		return fmt.Errorf("--cache-mib %d is out of range (1 to 1048576)", *cf.cacheMiB)
	}
	if *every < 0 {
		return fmt.Errorf("--commit-blocks %d is negative", *every)
	}
	// The batch (and its commit) is bounded by --cache-mib; the garbage collector is told
	// the same budget, so the heap does not grow to twice what is live between collections.
	// A limit the user set (GOMEMLIMIT) is kept.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(int64(*cf.cacheMiB)<<20 + importHeapMargin)
	}
	if len(files) == 0 {
		return missing("FILE (one or more files of blocks)")
	}
	var assume mvs.Hash
	if *av != "" {
		if assume, err = mvs.ParseHash(*av); err != nil {
			return fmt.Errorf("--assume-valid %q is not a block hash (64 hex digits)", *av)
		}
	}
	// Every file must open before anything is imported.
	var total int64
	for _, f := range files {
		if f == "-" {
			continue
		}
		fi, err := os.Stat(f)
		if err != nil {
			return fmt.Errorf("%s: %v", f, unwrapPath(err))
		}
		total += fi.Size()
	}
	st, p, v, err := openSealed(fs, cf, ef, true)
	if err != nil {
		return err
	}
	defer st.Close()
	defer v.Close()
	c, err := chain.New(chain.Config{Params: p, Store: st, State: chain.NewStoreState(st, p), Seal: v, AssumeValid: assume})
	if err != nil {
		return err
	}
	defer c.Close()
	// A signal stops the import between blocks; what was validated is committed below.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	im := &importer{e: e, c: c, st: st, ctx: ctx, start: time.Now(), total: total, commitEvery: *every}
	if assume != (mvs.Hash{}) {
		if err := im.assumeValidHeaders(files, assume); err != nil {
			return err
		}
	}
	im.each = im.block
	im.last = im.start
	if err := c.BeginImport(); err != nil {
		return err
	}
	for _, f := range files {
		if err := im.file(f); err != nil {
			if errors.Is(err, errInvalidBlock) || errors.Is(err, errInterrupted) {
				break
			}
			return err
		}
	}
	if err := c.EndImport(); err != nil {
		return err
	}
	im.progress(true)
	sum := im.sum
	sum.Orphans = c.Orphans()
	hash, height, err := c.Tip()
	if err != nil {
		return err
	}
	sum.TipHash, sum.TipHeight = hash.String(), height
	sum.Seconds = time.Since(im.start).Round(time.Millisecond).Seconds()
	if err := printJSON(e.stdout, sum); err != nil {
		return err
	}
	switch {
	case sum.Interrupted:
		return &exitError{code: exitIncomplete, msg: fmt.Sprintf("interrupted at block %d: rerun the same command to resume", height)}
	case sum.Invalid != nil:
		return &exitError{code: exitFailure, msg: fmt.Sprintf("block %d %s is invalid: %s (code %d): the import stopped there",
			sum.Invalid.Height, sum.Invalid.Hash, sum.Invalid.Rule, sum.Invalid.Code)}
	case sum.Orphans > 0:
		return &exitError{code: exitIncomplete, msg: fmt.Sprintf("%d blocks were not stored: their parent never came", sum.Orphans)}
	}
	return nil
}

// importer feeds blocks to the chain and keeps the counts and the progress line.
type importer struct {
	e   *env
	c   *chain.Chain
	st  *store.Store
	ctx context.Context // cancelled by SIGINT or SIGTERM
	// commitEvery commits the import batch after that many blocks (0: when full).
	commitEvery int
	sum         importSummary
	start       time.Time
	last        time.Time // of the last progress line
	total       int64     // bytes of all files, 0 when unknown (stdin)
	read        int64     // bytes consumed so far
	// each is what is done with every raw block read: import it, or collect its header.
	each func(raw []byte, where string) error
}

// errScanDone ends the header scan of --assume-valid early.
var errScanDone = errors.New("scan done")

// assumeValidHeaders stores the headers of the files' blocks up to the assumed-valid one
// before any body, so that the chain knows that block's ancestors as such: importing from
// files has no header-first phase, and without one AssumeValid would skip nothing. A hash
// that neither the store nor the files hold is refused: it would silently assume nothing.
func (im *importer) assumeValidHeaders(files []string, assume mvs.Hash) error {
	var hs []block.Header
	found := false
	im.each = func(raw []byte, where string) error {
		h, err := block.DecodeHeader(raw[:min(len(raw), mvs.HeaderSize)])
		if err != nil {
			return fmt.Errorf("%s: %w: %w", where, errNotBlocks, err)
		}
		hs = append(hs, *h)
		if h.Hash() == assume {
			found = true
			return errScanDone
		}
		return nil
	}
	for _, f := range files {
		if f == "-" {
			return fmt.Errorf("--assume-valid reads the files twice (headers first): give the blocks in files, not on stdin")
		}
		if err := im.file(f); errors.Is(err, errScanDone) {
			break
		} else if err != nil {
			return err
		}
	}
	im.read = 0
	if !found {
		return im.stored(assume)
	}
	// Headers already stored are skipped; one whose parent is not yet known (blocks out of
	// order) ends the run: the bodies will sort it out, checking everything.
	for len(hs) > 0 {
		n := min(len(hs), 2000)
		if _, err := im.c.ProcessHeaders(hs[:n]); err != nil {
			var re *chain.RuleError
			if errors.As(err, &re) && re.Code == chain.ErrUnknownParent {
				break
			}
			if re != nil {
				return fmt.Errorf("the header of block %d %s is invalid: %s (code %d): %s", re.Height, re.Hash, re.Code, int(re.Code), plainMessage(re.Msg))
			}
			return err
		}
		hs = hs[n:]
	}
	return nil
}

// stored refuses an assumed-valid hash whose header the store does not hold.
func (im *importer) stored(assume mvs.Hash) error {
	_, err := im.st.Header(assume)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%w: --assume-valid %s is neither stored nor in the files: it would assume nothing", errAssumeValidUnknown, assume)
	}
	return err
}

func (im *importer) file(name string) error {
	var r io.Reader
	if name == "-" {
		if im.e.stdinUsedFor != "" {
			return fmt.Errorf("%w for the %s", errStdinTaken, im.e.stdinUsedFor)
		}
		im.e.stdinUsedFor = "blocks"
		r = im.e.stdin
		im.total = 0 // the stdin's size is unknown: no ETA
	} else {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("%s: %v", name, unwrapPath(err))
		}
		defer f.Close()
		r = f
	}
	br := bufio.NewReaderSize(r, 4*block.MaxBlockSize) // a block's hex line, or two raw blocks
	first, err := firstByte(br)
	if err == io.EOF {
		return nil // an empty file has no blocks
	}
	if err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	if isHexDigit(first) {
		return im.hexLines(name, br)
	}
	return im.binary(name, br)
}

// firstByte peeks past leading whitespace.
func firstByte(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.ReadByte()
		if err != nil {
			return 0, err
		}
		if b == ' ' || b == '\t' || b == '\r' || b == '\n' {
			continue
		}
		return b, br.UnreadByte()
	}
}

func isHexDigit(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F'
}

func (im *importer) hexLines(name string, br *bufio.Reader) error {
	line := 0
	for {
		// ReadSlice bounds a line by the buffer: a file with no newline in gigabytes is
		// refused, not read into memory whole.
		b, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			return fmt.Errorf("%s line %d: %w: the line is longer than any block's hex", name, line+1, errNotBlocks)
		}
		if err != nil && err != io.EOF {
			return fmt.Errorf("%s: %v", name, err)
		}
		if len(b) == 0 && err == io.EOF {
			return nil
		}
		s := string(b)
		line++
		im.read += int64(len(s))
		t := strings.TrimPrefix(strings.TrimSpace(s), "0x")
		if t != "" {
			raw, herr := hex.DecodeString(t)
			if herr != nil {
				return fmt.Errorf("%s line %d: %w: %w", name, line, errNotBlocks, hexError("the block", herr))
			}
			if perr := im.each(raw, fmt.Sprintf("%s line %d", name, line)); perr != nil {
				return perr
			}
		}
		if err == io.EOF {
			return nil
		}
	}
}

func (im *importer) binary(name string, br *bufio.Reader) error {
	var off int64
	for {
		buf, err := br.Peek(br.Size())
		if len(buf) == 0 {
			if err == io.EOF || err == nil {
				return nil
			}
			return fmt.Errorf("%s: %v", name, err)
		}
		if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
			return fmt.Errorf("%s: %v", name, err)
		}
		n, lerr := blockLen(buf)
		if lerr != nil {
			return fmt.Errorf("%s at byte %d: %w: %v", name, off, errNotBlocks, lerr)
		}
		raw := make([]byte, n)
		copy(raw, buf[:n])
		if _, err := br.Discard(n); err != nil {
			return fmt.Errorf("%s: %v", name, err)
		}
		im.read += int64(n)
		if err := im.each(raw, fmt.Sprintf("%s at byte %d", name, off)); err != nil {
			return err
		}
		off += int64(n)
	}
}

// blockLen is the length of the block at the start of b, which holds the whole block or
// all that is left of the stream.
func blockLen(b []byte) (int, error) {
	if len(b) < mvs.HeaderSize {
		return 0, fmt.Errorf("%d bytes left, fewer than a block header", len(b))
	}
	version := binary.LittleEndian.Uint32(b)
	off := mvs.HeaderSize
	count, n, ok := readVarInt(b[off:])
	if !ok {
		return 0, errors.New("the transaction count ends early")
	}
	if count == 0 || count > block.MaxBlockSize/tx.MinTxSize {
		return 0, fmt.Errorf("a transaction count of %d", count)
	}
	off += n
	for i := uint64(0); i < count; i++ {
		var t tx.Tx
		n, err := t.DecodePrefix(b[off:])
		if err != nil {
			return 0, fmt.Errorf("transaction %d: %v", i, err)
		}
		off += n
	}
	var blk block.Block
	if version == block.VersionPoS || version == block.VersionDPoS {
		off += len(blk.Signature)
	}
	if version == block.VersionDPoS {
		off += len(blk.PublicKey)
	}
	if off > len(b) {
		return 0, errors.New("the block's signature ends early")
	}
	return off, nil
}

// readVarInt reads a Bitcoin-style variable-length integer.
func readVarInt(b []byte) (uint64, int, bool) {
	if len(b) == 0 {
		return 0, 0, false
	}
	switch b[0] {
	case 0xfd:
		if len(b) < 3 {
			return 0, 0, false
		}
		return uint64(binary.LittleEndian.Uint16(b[1:])), 3, true
	case 0xfe:
		if len(b) < 5 {
			return 0, 0, false
		}
		return uint64(binary.LittleEndian.Uint32(b[1:])), 5, true
	case 0xff:
		if len(b) < 9 {
			return 0, 0, false
		}
		return binary.LittleEndian.Uint64(b[1:]), 9, true
	}
	return uint64(b[0]), 1, true
}

// errInterrupted ends the reading of the files on a signal.
var errInterrupted = errors.New("interrupted")

// block imports one raw block; where names it in errors.
func (im *importer) block(raw []byte, where string) error {
	if im.ctx.Err() != nil {
		im.sum.Interrupted = true
		return errInterrupted
	}
	blk, err := block.Decode(raw)
	if err != nil {
		return fmt.Errorf("%s: %w: %w", where, errNotBlocks, err)
	}
	hash := blk.Hash()
	// Resume: a block already on the main chain is skipped without validating it again.
	if h, err := im.st.HashAt(blk.Header.Height); err == nil && h == hash {
		im.sum.Skipped++
		im.progress(false)
		return nil
	}
	res, err := im.c.ProcessBlock(im.ctx, blk, raw)
	var re *chain.RuleError
	switch {
	case err != nil && im.ctx.Err() != nil && res.Verdict == 0:
		// The signal came while it was being validated: it was not connected.
		im.sum.Interrupted = true
		return errInterrupted
	case errors.As(err, &re):
		im.sum.Invalid = &invalidJSON{Hash: hash.String(), Height: blk.Header.Height, ruleJSON: *toRuleJSON(re)}
		return errInvalidBlock
	case err != nil:
		return fmt.Errorf("%s: block %d %s: %w", where, blk.Header.Height, hash, err)
	}
	switch res.Verdict {
	case chain.MainChain:
		im.sum.Imported++
		if im.commitEvery > 0 && im.st.Pending() >= im.commitEvery {
			if err := im.c.EndImport(); err != nil {
				return err
			}
			if err := im.c.BeginImport(); err != nil {
				return err
			}
		}
	case chain.SideChain:
		im.sum.SideChain++
	case chain.Duplicate:
		im.sum.Skipped++
	}
	im.progress(false)
	return nil
}

// progress writes a progress line on stderr at most once a second, and once at the end.
func (im *importer) progress(final bool) {
	now := time.Now()
	if !final && now.Sub(im.last) < time.Second {
		return
	}
	im.last = now
	done := im.sum.Imported + im.sum.Skipped + im.sum.SideChain
	secs := now.Sub(im.start).Seconds()
	line := fmt.Sprintf("%d blocks", done)
	if secs > 0 {
		line += fmt.Sprintf(", %.1f blocks/s", float64(done)/secs)
	}
	if im.total > 0 {
		frac := float64(im.read) / float64(im.total)
		line += fmt.Sprintf(", %.1f%% read", 100*frac)
		if frac > 0 && !final {
			left := time.Duration(secs * (1 - frac) / frac * float64(time.Second))
			line += ", ETA " + left.Round(time.Second).String()
		}
	}
	if final {
		line += ", done"
	}
	fmt.Fprintln(im.e.stderr, "import: "+line)
}

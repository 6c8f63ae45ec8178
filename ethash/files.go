package ethash

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unsafe"

	"github.com/edsrzf/mmap-go"
)

// File format (go-ethereum and C libethash, revision 23): an 8-byte magic written as a
// little-endian u64, then the little-endian words. Names carry the first 8 seed bytes.
const (
	fileMagic      uint64 = 0xfee1deadbaddcafe
	magicSize             = 8
	revision              = 23
	sumSuffix             = ".crc32c" // our sidecar: CRC-32C of a cache file's data
	lockSuffix            = ".lock"
	tmpInfix              = ".tmp-"
	datasetSamples        = 32 // items of a DAG recomputed from the cache on open
	filePerm              = 0o644
)

// ErrCorrupt reports a file that exists but is truncated, foreign or damaged. It is never
// returned to callers of the Verifier: such a file is regenerated.
var ErrCorrupt = errors.New("ethash: file is truncated, foreign or corrupt")

// ErrDirUnusable: a cache or DAG could not be kept in Config.Dir (the directory could not be
// created, a file locked, written or removed). Verification goes on from memory, so it is
// never returned by Verify; a *FileError wrapping it is reported by Verifier.FileErr and
// Cache.FileErr, so that an operator without a logger sees that every restart will
// generate again.
var ErrDirUnusable = errors.New("ethash: cache directory unusable")

// FileError says which file operation in the directory failed, and why.
type FileError struct {
	Op    string // "create directory", "lock", "write", "remove old epochs" or "build the DAG"
	Path  string
	Epoch uint64
	Err   error
}

func (e *FileError) Error() string {
	return fmt.Sprintf("%v: epoch %d: %s %s: %v", ErrDirUnusable, e.Epoch, e.Op, e.Path, e.Err)
}

// Unwrap gives both ErrDirUnusable and the cause, so errors.Is matches either (say
// fs.ErrPermission).
func (e *FileError) Unwrap() []error { return []error{ErrDirUnusable, e.Err} }

func fileName(kind string, seed [32]byte) string {
	return fmt.Sprintf("%s-R%d-%x", kind, revision, seed[:8])
}

// CacheFileName and DatasetFileName are the go-ethereum/libethash names.
func CacheFileName(seed [32]byte) string   { return fileName("cache", seed) }
func DatasetFileName(seed [32]byte) string { return fileName("full", seed) }

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// mapped is a read-only memory-mapped file whose words follow the magic.
type mapped struct {
	f     *os.File
	m     mmap.MMap
	words []uint32
}

func (mp *mapped) close() error {
	var err error
	if mp.m != nil {
		err = mp.m.Unmap()
	}
	if mp.f != nil {
		err = errors.Join(err, mp.f.Close())
	}
	mp.m, mp.f, mp.words = nil, nil, nil
	return err
}

// wordsOf views mapped bytes as little-endian words. Mappings are page-aligned and the data
// starts 8 bytes in, so the view is aligned.
func wordsOf(b []byte) []uint32 {
	if len(b) == 0 {
		return nil
	}
	return unsafe.Slice((*uint32)(unsafe.Pointer(&b[0])), len(b)/4)
}

// openMapped maps path read-only and checks its size and magic.
func openMapped(path string, dataBytes uint64) (*mapped, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if uint64(st.Size()) != dataBytes+magicSize {
		f.Close()
		return nil, fmt.Errorf("%w: %s is %d bytes, want %d", ErrCorrupt, path, st.Size(), dataBytes+magicSize)
	}
	m, err := mmap.Map(f, mmap.RDONLY, 0)
	if err != nil {
		f.Close()
		return nil, err
	}
	mp := &mapped{f: f, m: m, words: wordsOf(m[magicSize:])}
	if binary.LittleEndian.Uint64(m[:magicSize]) != fileMagic {
		mp.close()
		return nil, fmt.Errorf("%w: %s has no magic", ErrCorrupt, path)
	}
	return mp, nil
}

// writeMapped creates path atomically: a temporary file in the same directory is given its
// full size up front (fallocate where the system has it, so a full disk is an error here
// and not a SIGBUS later), mapped and filled, synced, stamped with the magic last, synced
// again and renamed into place. A reader therefore sees either no file or a complete one;
// a killed writer leaves only a temporary file, which nothing opens.
func writeMapped(path string, dataBytes uint64, fill func(words []uint32) error) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+tmpInfix+"*")
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	ok := false
	// CreateTemp makes the file private; caches and DAGs are shared with other users'
	// processes (a pool's workers), like go-ethereum's and libethash's.
	if err := tmp.Chmod(filePerm); err != nil {
		tmp.Close()
		os.Remove(tmpName)
		return err
	}
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmpName)
		}
	}()
	if err := reserve(tmp, int64(dataBytes+magicSize)); err != nil {
		return fmt.Errorf("ethash: reserving %d bytes for %s: %w", dataBytes+magicSize, path, err)
	}
	m, err := mmap.Map(tmp, mmap.RDWR, 0)
	if err != nil {
		return err
	}
	if err := fill(wordsOf(m[magicSize:])); err != nil {
		m.Unmap()
		return err
	}
	if err := m.Flush(); err != nil {
		m.Unmap()
		return err
	}
	if err := tmp.Sync(); err != nil {
		m.Unmap()
		return err
	}
	binary.LittleEndian.PutUint64(m[:magicSize], fileMagic)
	if err := errors.Join(m.Flush(), m.Unmap(), tmp.Sync(), tmp.Close()); err != nil {
		return err
	}
	if err := os.Rename(tmpName, path); err != nil {
		return err
	}
	ok = true
	syncDir(dir)
	return nil
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// writeSum records the CRC-32C of a cache's data beside it (atomically). The format has no
// checksum of its own, and a cache cannot be spot-checked (every row depends on the one
// before), so this is how a flipped byte is caught on open; CRC-32C runs at memory speed.
func writeSum(path string, words []uint32) error {
	sum := crc32.Checksum(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(words))), len(words)*4), crcTable)
	// A fresh temporary (O_EXCL, random name): in a directory other users can write, a
	// predictable name could be a planted symlink to a file of ours.
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+sumSuffix+tmpInfix+"*")
	if err != nil {
		return err
	}
	_, err = f.WriteString(strconv.FormatUint(uint64(sum), 16) + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), filePerm)
	}
	if err == nil {
		err = os.Rename(f.Name(), path+sumSuffix)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// removeStaleTemps deletes the temporaries of path (its data and checksum) left by a writer
// that was killed. The caller holds path's generation lock, so no live writer has any.
func removeStaleTemps(path string) {
	dir, base := filepath.Split(path)
	entries, _ := os.ReadDir(filepath.Clean(dir))
	for _, ent := range entries {
		name := ent.Name()
		if strings.HasPrefix(name, base+tmpInfix) || strings.HasPrefix(name, base+sumSuffix+tmpInfix) {
			os.Remove(filepath.Join(dir, name))
		}
	}
}

func checkSum(path string, words []uint32) error {
	b, err := os.ReadFile(path + sumSuffix)
	if err != nil {
		return fmt.Errorf("%w: %s has no checksum beside it", ErrCorrupt, path)
	}
	want, err := strconv.ParseUint(strings.TrimSpace(string(b)), 16, 32)
	if err != nil {
		return fmt.Errorf("%w: %s%s is unreadable", ErrCorrupt, path, sumSuffix)
	}
	got := crc32.Checksum(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(words))), len(words)*4), crcTable)
	if uint64(got) != want {
		return fmt.Errorf("%w: %s checksum %08x, recorded %08x", ErrCorrupt, path, got, want)
	}
	return nil
}

// removeOldEpochs deletes cache and DAG files (and their sidecars) of epochs below keepFrom
// that this directory holds. Files are recognised by the seed in their names.
func removeOldEpochs(dir string, keepFrom uint64) error {
	if keepFrom == 0 {
		return nil
	}
	old := make(map[string]bool, keepFrom)
	forEachSeed(keepFrom, func(seed [32]byte) { old[fmt.Sprintf("%x", seed[:8])] = true })
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	// Group an epoch file's companions (checksum, lock, temporaries) under its name.
	groups := map[string][]string{}
	for _, ent := range entries {
		name := ent.Name()
		for _, prefix := range []string{"cache-R23-", "full-R23-"} {
			if rest, ok := strings.CutPrefix(name, prefix); ok && len(rest) >= 16 && old[rest[:16]] {
				base := name[:len(prefix)+16]
				groups[base] = append(groups[base], name)
			}
		}
	}
	var errs []error
	for base, names := range groups {
		// A file whose lock is held is being generated, here or in another process: its
		// temporary must not vanish before the rename. It goes next time.
		lock := filepath.Join(dir, base+lockSuffix)
		unlock, ok, err := tryLockFile(lock)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !ok {
			continue
		}
		for _, name := range names {
			if name == base+lockSuffix {
				continue
			}
			if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
		}
		// The lock file goes last, while held. Whoever opened it before this and locks it
		// after finds it unlinked and locks the new one instead (tryLockFile), so generation
		// stays mutually exclusive.
		os.Remove(lock)
		unlock()
	}
	return errors.Join(errs...)
}

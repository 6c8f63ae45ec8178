package ethash_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/mvsgo/mvs/ethash"
)

// A directory that cannot hold the cache must be visible without a logger: verification
// succeeds, and FileErr says why every start generates again. It was silent before.
func TestUnusableDirReportedWithoutLogger(t *testing.T) {
	base := t.TempDir()
	file := filepath.Join(base, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	lockDir := t.TempDir()
	// The cache's lock file name is taken by a directory: the lock cannot be opened.
	if err := os.Mkdir(filepath.Join(lockDir, ethash.CacheFileName(ethash.SeedHash(0)))+".lock", 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, dir, op string
		cause         error
	}{
		{"directory under a file", filepath.Join(file, "ethash"), "create directory", syscall.ENOTDIR},
		{"lock file is a directory", lockDir, "lock", syscall.EISDIR},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := ethash.New(ethash.Config{Sizes: ethash.SmallSizes, Dir: tc.dir})
			defer v.Close()
			if _, _, err := v.Hash(1, [32]byte{}, 0); err != nil {
				t.Fatalf("verification failed because the directory is unusable: %v", err)
			}
			err := v.FileErr()
			var fe *ethash.FileError
			if !errors.Is(err, ethash.ErrDirUnusable) || !errors.As(err, &fe) || fe.Op != tc.op || fe.Epoch != 0 || !errors.Is(err, tc.cause) {
				t.Fatalf("FileErr = %v, want a *FileError for %q wrapping %v", err, tc.op, tc.cause)
			}
			c, err := ethash.LoadCache(tc.dir, 0, ethash.SmallSizes, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if !errors.Is(c.FileErr(), ethash.ErrDirUnusable) || c.FromFile() {
				t.Fatalf("Cache.FileErr = %v, FromFile %v", c.FileErr(), c.FromFile())
			}
		})
	}
}

func TestUsableDirHasNoFileErr(t *testing.T) {
	for _, dir := range []string{"", t.TempDir()} {
		v := ethash.New(ethash.Config{Sizes: ethash.SmallSizes, Dir: dir})
		if _, _, err := v.Hash(1, [32]byte{}, 0); err != nil {
			t.Fatal(err)
		}
		if err := v.FileErr(); err != nil {
			t.Errorf("dir %q: FileErr = %v", dir, err)
		}
		v.Close()
	}
}

// Generations counts caches computed from the seed, not caches read back from the
// directory: a restarted Verifier with a usable directory generates nothing. It counted
// reopens before.
func TestGenerationsExcludeReopens(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		dir  string
		want int
	}{
		{"first start", dir, 2},
		{"restart, files there", dir, 0},
		{"in memory", "", 2},
	} {
		v := ethash.New(ethash.Config{Sizes: ethash.SmallSizes, Dir: tc.dir, PrefetchBlocks: 1})
		for _, h := range []uint64{1, ethash.EpochLength + 1} {
			if _, _, err := v.Hash(h, [32]byte{}, 0); err != nil {
				t.Fatal(err)
			}
		}
		if g := v.Generations(); g != tc.want {
			t.Errorf("%s: %d generations, want %d", tc.name, g, tc.want)
		}
		v.Close()
	}
	// A file that is there but damaged is regenerated, and that counts.
	path := filepath.Join(dir, ethash.CacheFileName(ethash.SeedHash(0)))
	if err := os.WriteFile(path, make([]byte, 1032), 0o644); err != nil {
		t.Fatal(err)
	}
	v := ethash.New(ethash.Config{Sizes: ethash.SmallSizes, Dir: dir})
	defer v.Close()
	if _, _, err := v.Hash(1, [32]byte{}, 0); err != nil {
		t.Fatal(err)
	}
	if g := v.Generations(); g != 1 {
		t.Errorf("damaged file: %d generations, want 1", g)
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		t.Error("damaged file not replaced")
	}
}

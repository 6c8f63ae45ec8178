//go:build !linux

package ethash

import (
	"context"
	"os"
)

// reserve sets the size; without fallocate a full disk may surface later.
func reserve(f *os.File, size int64) error { return f.Truncate(size) }

// lockFile is a no-op where flock is unavailable: atomic renames still keep readers safe,
// but two processes may generate the same file twice.
func lockFile(ctx context.Context, path string) (func(), error) { return func() {}, ctx.Err() }

// tryLockFile always succeeds where flock is unavailable (see lockFile).
func tryLockFile(path string) (func(), bool, error) { return func() {}, true, nil }

//go:build linux

package ethash

import (
	"context"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// reserve allocates the file's blocks so that writing through the mapping cannot fail with
// SIGBUS on a full disk.
func reserve(f *os.File, size int64) error {
	if err := unix.Fallocate(int(f.Fd()), 0, 0, size); err != nil {
		if err == unix.EOPNOTSUPP || err == unix.ENOSYS {
			return f.Truncate(size) // file systems without fallocate: best effort
		}
		return err
	}
	return nil
}

// lockFile takes an exclusive advisory lock on path (created if missing), waiting until it
// is free or ctx is done; unlock releases it. Generation of one file by two processes is
// serialised. It polls rather than blocking in flock so that a Verifier's Close is not held
// up by another process generating (or hung) for minutes.
func lockFile(ctx context.Context, path string) (unlock func(), err error) {
	wait := 5 * time.Millisecond
	for {
		unlock, ok, err := tryLockFile(path)
		if err != nil || ok {
			return unlock, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, 250*time.Millisecond)
	}
}

// tryLockFile takes the lock of lockFile without waiting; ok is false when another holder
// has it (flock locks belong to the open file, so this holds within one process too).
// removeOldEpochs deletes lock files while holding them, so a lock taken on a file that has
// since been unlinked or replaced guards nothing: after locking, the open file must still
// be the one at path, or the lock is retried.
func tryLockFile(path string) (unlock func(), ok bool, err error) {
	for {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
		if err != nil {
			return nil, false, err
		}
		if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
			f.Close()
			if err == unix.EWOULDBLOCK {
				return nil, false, nil
			}
			return nil, false, err
		}
		var held, now unix.Stat_t
		if err := unix.Fstat(int(f.Fd()), &held); err != nil {
			f.Close()
			return nil, false, err
		}
		if err := unix.Stat(path, &now); err == nil && now.Dev == held.Dev && now.Ino == held.Ino {
			return func() { unix.Flock(int(f.Fd()), unix.LOCK_UN); f.Close() }, true, nil
		}
		f.Close() // closing drops the lock on the stale file
	}
}

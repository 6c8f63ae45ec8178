package wallet

import (
	"errors"
	"fmt"

	"github.com/mvsgo/mvs"
)

// UsageChecker says whether an address has ever received funds (an indexer, an explorer,
// or a local UTXO database answers it).
type UsageChecker interface {
	Used(addr mvs.Address) (bool, error)
}

// ErrNoUsageChecker: Scan was given a nil UsageChecker.
var ErrNoUsageChecker = errors.New("wallet: Scan needs a UsageChecker")

// ScanResult lists the used indexes and the first index after the last used one.
type ScanResult struct {
	Used []uint32
	Next uint32
}

// DefaultGapLimit is BIP44's gap: 20 unused addresses in a row end a scan.
const DefaultGapLimit = 20

// Scan derives m/0, m/1, … and asks checker about each until gap consecutive addresses are
// unused, as a restoring wallet does. The node's importaccount re-derives a fixed count
// instead; a scan finds funds past it.
func (a *Account) Scan(checker UsageChecker, gap uint32) (ScanResult, error) {
	if err := a.check(); err != nil {
		return ScanResult{}, err
	}
	if checker == nil {
		return ScanResult{}, ErrNoUsageChecker
	}
	if gap == 0 {
		gap = DefaultGapLimit
	}
	var r ScanResult
	unused := uint32(0)
	for i := uint32(0); unused < gap; i++ {
		addr, err := a.Address(i)
		if err != nil {
			return r, fmt.Errorf("m/%d: %w", i, err)
		}
		used, err := checker.Used(addr)
		if err != nil {
			return r, fmt.Errorf("checking %s (m/%d): %w", addr, i, err)
		}
		if used {
			r.Used = append(r.Used, i)
			r.Next = i + 1
			unused = 0
		} else {
			unused++
		}
	}
	return r, nil
}

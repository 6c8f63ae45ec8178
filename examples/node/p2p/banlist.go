package p2p

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"os"
	"slices"
	"sync"
	"time"
)

// MaxBans bounds the ban list; past it the ban that ends soonest is dropped, so a flood of
// offending addresses cannot grow the list (or its file) without bound.
const MaxBans = 10_000

// Ban is one entry of a BanList.
type Ban struct {
	IP     netip.Addr `json:"ip"`
	Until  time.Time  `json:"until"`
	Reason string     `json:"reason,omitempty"`
}

// BanList holds banned IPs (any port, as the reference's manual ban) with an expiry. It
// is safe for concurrent use. With a path, every change is written to it atomically.
type BanList struct {
	mu   sync.Mutex
	path string
	bans map[netip.Addr]Ban
	now  func() time.Time
}

type banFile struct {
	Bans []Ban `json:"bans"`
}

// OpenBanList loads the ban list from path (a missing file is an empty list) and keeps
// it there. An empty path gives a list in memory only. A malformed file is an error: the
// node must not silently forget its bans.
func OpenBanList(path string) (*BanList, error) {
	b := &BanList{path: path, bans: make(map[netip.Addr]Ban), now: time.Now}
	if path == "" {
		return b, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return b, nil
	}
	if err != nil {
		return nil, fmt.Errorf("p2p: reading ban list: %w", err)
	}
	var f banFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, &FileError{Path: path, Line: 1, Err: err}
	}
	now := b.now()
	for i, e := range f.Bans {
		if !e.IP.IsValid() {
			return nil, &FileError{Path: path, Line: 1, Err: fmt.Errorf("ban %d: %w: missing ip", i, ErrInvalidAddress)}
		}
		e.IP = e.IP.Unmap()
		if e.Until.After(now) {
			b.bans[e.IP] = e
		}
	}
	b.trimLocked()
	return b, nil
}

// Ban bans ip for d and saves the list. A longer existing ban is kept.
func (b *BanList) Ban(ip netip.Addr, d time.Duration, reason string) error {
	if !ip.IsValid() || d <= 0 {
		return fmt.Errorf("%w: ban %v for %v", ErrInvalidConfig, ip, d)
	}
	ip = ip.Unmap()
	b.mu.Lock()
	defer b.mu.Unlock()
	until := b.now().Add(d)
	if old, ok := b.bans[ip]; ok && old.Until.After(until) {
		return nil
	}
	b.bans[ip] = Ban{IP: ip, Until: until, Reason: reason}
	b.trimLocked()
	return b.saveLocked()
}

// Unban lifts a ban and saves the list.
func (b *BanList) Unban(ip netip.Addr) error {
	ip = ip.Unmap()
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.bans[ip]; !ok {
		return nil
	}
	delete(b.bans, ip)
	return b.saveLocked()
}

// IsBanned reports whether ip is banned now.
func (b *BanList) IsBanned(ip netip.Addr) bool {
	ip = ip.Unmap()
	b.mu.Lock()
	defer b.mu.Unlock()
	e, ok := b.bans[ip]
	if !ok {
		return false
	}
	if !e.Until.After(b.now()) {
		delete(b.bans, ip) // expired; the file is rewritten on the next change
		return false
	}
	return true
}

// List returns the current bans sorted by IP.
func (b *BanList) List() []Ban {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.listLocked()
}

func (b *BanList) listLocked() []Ban {
	now := b.now()
	out := make([]Ban, 0, len(b.bans))
	for ip, e := range b.bans {
		if e.Until.After(now) {
			out = append(out, e)
		} else {
			delete(b.bans, ip)
		}
	}
	slices.SortFunc(out, func(x, y Ban) int { return x.IP.Compare(y.IP) })
	return out
}

// Save writes the list to its file (a no-op without a path).
func (b *BanList) Save() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.saveLocked()
}

func (b *BanList) saveLocked() error {
	if b.path == "" {
		return nil
	}
	data, err := json.MarshalIndent(banFile{Bans: b.listLocked()}, "", "  ")
	if err != nil {
		return err
	}
	if err := writeFileAtomic(b.path, append(data, '\n')); err != nil {
		return fmt.Errorf("p2p: saving ban list: %w", err)
	}
	return nil
}

func (b *BanList) trimLocked() {
	for len(b.bans) > MaxBans {
		var first netip.Addr
		var soonest time.Time
		for ip, e := range b.bans {
			if !first.IsValid() || e.Until.Before(soonest) {
				first, soonest = ip, e.Until
			}
		}
		delete(b.bans, first)
	}
}

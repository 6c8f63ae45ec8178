package p2p

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/netip"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/mvsgo/mvs/wire"
)

// DefaultAddrBookCapacity is the reference's host_pool_capacity.
const DefaultAddrBookCapacity = 1000

// maxAddrLine bounds one line of an address file: "[v6]:port" is at most 47 bytes.
const maxAddrLine = 64

// AddrBookConfig configures an AddrBook.
type AddrBookConfig struct {
	// Path is the file the book is loaded from and saved to (one ip:port per line, as the
	// reference's hosts.cache); empty keeps it in memory.
	Path string
	// Capacity bounds the book (default DefaultAddrBookCapacity).
	Capacity int
	// AllowLocal accepts loopback and private (RFC 1918, RFC 4193) addresses: for tests and
	// private networks. Off, only globally routable unicast addresses are stored.
	AllowLocal bool
	// Banned, when set, keeps banned IPs out of the book.
	Banned func(netip.Addr) bool
}

// AddrBook is a bounded set of peer addresses to dial, safe for concurrent use.
type AddrBook struct {
	mu    sync.Mutex
	cfg   AddrBookConfig
	addrs map[netip.AddrPort]wire.NetAddress
	order []netip.AddrPort // the same keys, for uniform random picks and eviction
	rng   *rand.Rand
}

// OpenAddrBook loads the book from cfg.Path (a missing file is an empty book). A malformed
// file is a *FileError naming the line; entries that are not routable for this
// configuration are skipped, and entries past the capacity are dropped.
func OpenAddrBook(cfg AddrBookConfig) (*AddrBook, error) {
	if cfg.Capacity == 0 {
		cfg.Capacity = DefaultAddrBookCapacity
	}
	if cfg.Capacity < 0 {
		return nil, fmt.Errorf("%w: address book capacity %d", ErrInvalidConfig, cfg.Capacity)
	}
	a := &AddrBook{cfg: cfg, addrs: make(map[netip.AddrPort]wire.NetAddress),
		rng: rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))}
	if cfg.Path == "" {
		return a, nil
	}
	f, err := os.Open(cfg.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return a, nil
	}
	if err != nil {
		return nil, fmt.Errorf("p2p: reading address book: %w", err)
	}
	defer f.Close()
	list, err := ParseAddrFile(f, cfg.Capacity)
	if err != nil {
		var fe *FileError
		if errors.As(err, &fe) {
			fe.Path = cfg.Path
		}
		return nil, err
	}
	for _, ap := range list {
		a.addLocked(wire.NewNetAddress(ap, 1))
	}
	return a, nil
}

// ParseAddrFile reads one ip:port per line (IPv6 in brackets), skipping blank lines and
// lines starting with '#', and returns at most max entries (later ones are read and
// checked but dropped). A line that does not parse, or is longer than an address can be,
// is a *FileError wrapping ErrInvalidAddress.
func ParseAddrFile(r io.Reader, max int) ([]netip.AddrPort, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, maxAddrLine+1), maxAddrLine+1)
	var out []netip.AddrPort
	line := 0
	for sc.Scan() {
		line++
		s := bytes.TrimSpace(sc.Bytes())
		if len(s) == 0 || s[0] == '#' {
			continue
		}
		ap, err := netip.ParseAddrPort(string(s))
		if err != nil || ap.Port() == 0 {
			return nil, &FileError{Line: line, Err: fmt.Errorf("%w: %q", ErrInvalidAddress, s)}
		}
		if len(out) < max {
			out = append(out, netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()))
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, &FileError{Line: line + 1, Err: fmt.Errorf("%w: line longer than %d bytes", ErrInvalidAddress, maxAddrLine)}
		}
		return nil, err
	}
	return out, nil
}

// Routable reports whether ap may be stored and dialed: a valid unicast address with a
// non-zero port, globally routable unless allowLocal (then loopback and private ranges
// pass too). Unspecified, multicast, link-local and documentation addresses never pass.
func Routable(ap netip.AddrPort, allowLocal bool) bool {
	ip := ap.Addr().Unmap()
	if !ip.IsValid() || ap.Port() == 0 || ip.IsUnspecified() || ip.IsMulticast() ||
		ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() {
		return false
	}
	if ip.IsLoopback() || ip.IsPrivate() {
		return allowLocal
	}
	// Special-purpose ranges that are neither loopback nor private but must never be
	// dialed: this network, shared address space, IETF protocol assignments,
	// documentation, benchmarking, reserved, NAT64. Local, to keep no package state.
	unroutable := [...]netip.Prefix{
		netip.MustParsePrefix("0.0.0.0/8"),
		netip.MustParsePrefix("100.64.0.0/10"),
		netip.MustParsePrefix("192.0.0.0/24"),
		netip.MustParsePrefix("192.0.2.0/24"),
		netip.MustParsePrefix("198.18.0.0/15"),
		netip.MustParsePrefix("198.51.100.0/24"),
		netip.MustParsePrefix("203.0.113.0/24"),
		netip.MustParsePrefix("240.0.0.0/4"),
		netip.MustParsePrefix("2001:db8::/32"),
		netip.MustParsePrefix("64:ff9b::/96"),
		netip.MustParsePrefix("100::/64"),
	}
	for _, p := range unroutable {
		if p.Contains(ip) {
			return false
		}
	}
	return ip.IsGlobalUnicast()
}

// Add stores the addresses that are routable and not banned, replacing a random entry
// when the book is full (so fresh gossip keeps flowing in), and returns how many it stored
// or refreshed.
func (a *AddrBook) Add(list ...wire.NetAddress) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for _, na := range list {
		if a.addLocked(na) {
			n++
		}
	}
	return n
}

func (a *AddrBook) addLocked(na wire.NetAddress) bool {
	ap := na.AddrPort()
	if !Routable(ap, a.cfg.AllowLocal) || (a.cfg.Banned != nil && a.cfg.Banned(ap.Addr())) {
		return false
	}
	if a.cfg.Capacity == 0 {
		return false
	}
	na = wire.NewNetAddress(ap, na.Services) // canonical form, timestamp set below
	na.Timestamp = uint32(time.Now().Unix())
	if _, ok := a.addrs[ap]; ok {
		a.addrs[ap] = na
		return true
	}
	if len(a.order) >= a.cfg.Capacity {
		i := a.rng.IntN(len(a.order))
		delete(a.addrs, a.order[i])
		a.order[i] = ap
	} else {
		a.order = append(a.order, ap)
	}
	a.addrs[ap] = na
	return true
}

// Remove drops ap.
func (a *AddrBook) Remove(ap netip.AddrPort) {
	ap = netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, ok := a.addrs[ap]; !ok {
		return
	}
	delete(a.addrs, ap)
	i := slices.Index(a.order, ap)
	a.order[i] = a.order[len(a.order)-1]
	a.order = a.order[:len(a.order)-1]
}

// RemoveIP drops every entry of ip (used when it is banned).
func (a *AddrBook) RemoveIP(ip netip.Addr) {
	ip = ip.Unmap()
	a.mu.Lock()
	defer a.mu.Unlock()
	a.order = slices.DeleteFunc(a.order, func(ap netip.AddrPort) bool {
		if ap.Addr() == ip {
			delete(a.addrs, ap)
			return true
		}
		return false
	})
}

// Len is the number of entries.
func (a *AddrBook) Len() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.order)
}

// Addresses returns every entry, sorted.
func (a *AddrBook) Addresses() []netip.AddrPort {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := slices.Clone(a.order)
	slices.SortFunc(out, func(x, y netip.AddrPort) int { return x.Compare(y) })
	return out
}

// Sample is the answer to a getaddr: a random 10–20 % of min(1000, Len), at least one
// entry when the book is not empty. Unlike the reference, it carries no all-zero padding.
func (a *AddrBook) Sample() []wire.NetAddress {
	a.mu.Lock()
	defer a.mu.Unlock()
	total := min(len(a.order), 1000)
	if total == 0 {
		return nil
	}
	n := max(1, total*(10+a.rng.IntN(11))/100)
	out := make([]wire.NetAddress, 0, n)
	// A partial Fisher-Yates over a copy of the keys picks n distinct entries.
	keys := slices.Clone(a.order)
	for i := range n {
		j := i + a.rng.IntN(len(keys)-i)
		keys[i], keys[j] = keys[j], keys[i]
		out = append(out, a.addrs[keys[i]])
	}
	return out
}

// Pick returns a random entry for which skip is false, trying a bounded number of times.
func (a *AddrBook) Pick(skip func(netip.AddrPort) bool) (netip.AddrPort, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for range min(len(a.order), 64) {
		ap := a.order[a.rng.IntN(len(a.order))]
		if skip == nil || !skip(ap) {
			return ap, true
		}
	}
	return netip.AddrPort{}, false
}

// Save writes the book to its file atomically (a no-op without a path).
func (a *AddrBook) Save() error {
	if a.cfg.Path == "" {
		return nil
	}
	var buf bytes.Buffer
	for _, ap := range a.Addresses() {
		buf.WriteString(ap.String())
		buf.WriteByte('\n')
	}
	if err := writeFileAtomic(a.cfg.Path, buf.Bytes()); err != nil {
		return fmt.Errorf("p2p: saving address book: %w", err)
	}
	return nil
}

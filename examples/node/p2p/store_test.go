package p2p_test

import (
	"bytes"
	"context"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mvsgo/mvs/examples/node/p2p"
	"github.com/mvsgo/mvs/wire"
)

func na(s string) wire.NetAddress { return wire.NewNetAddress(netip.MustParseAddrPort(s), 1) }

func TestFilesSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(nil)
	cfg.BanFile = filepath.Join(dir, "bans.json")
	cfg.AddrFile = filepath.Join(dir, "hosts.cache")
	s1, err := p2p.NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s1.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	bad := netip.MustParseAddr("6.6.6.6")
	if err := s1.Ban(bad, time.Hour); err != nil {
		t.Fatal(err)
	}
	s1.AddrBook().Add(na("1.2.3.4:5251"), na("[2a00:1450::1]:15251"), na("6.6.6.6:5251"))
	if err := s1.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	hosts, err := os.ReadFile(cfg.AddrFile)
	if err != nil {
		t.Fatal(err)
	}
	if string(hosts) != "1.2.3.4:5251\n[2a00:1450::1]:15251\n" {
		t.Errorf("hosts.cache:\n%s", hosts)
	}
	s2 := startServer(t, cfg)
	if !s2.BanList().IsBanned(bad) {
		t.Error("ban lost across restart")
	}
	if got := s2.AddrBook().Len(); got != 2 {
		t.Errorf("%d addresses after restart, want 2", got)
	}
	// No temporary files are left behind.
	ents, _ := os.ReadDir(dir)
	if len(ents) != 2 {
		t.Errorf("dir holds %d files, want 2", len(ents))
	}
}

func TestBanList(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bans.json")
	b, err := p2p.OpenBanList(path)
	if err != nil {
		t.Fatal(err)
	}
	ip := netip.MustParseAddr("::ffff:1.2.3.4") // mapped and plain are one IP
	if err := b.Ban(ip, time.Hour, "test"); err != nil {
		t.Fatal(err)
	}
	if !b.IsBanned(netip.MustParseAddr("1.2.3.4")) {
		t.Error("mapped address not matched")
	}
	if err := b.Ban(netip.MustParseAddr("5.5.5.5"), time.Nanosecond, "expires"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Millisecond) // let the nanosecond ban pass
	if b.IsBanned(netip.MustParseAddr("5.5.5.5")) {
		t.Error("expired ban still active")
	}
	if l := b.List(); len(l) != 1 || l[0].Reason != "test" {
		t.Errorf("List %+v", l)
	}
	if err := b.Ban(netip.Addr{}, time.Hour, ""); !errors.Is(err, p2p.ErrInvalidConfig) {
		t.Errorf("zero IP: %v", err)
	}
	if err := b.Unban(ip); err != nil || b.IsBanned(ip) {
		t.Errorf("Unban: %v", err)
	}
	b2, err := p2p.OpenBanList(path)
	if err != nil || len(b2.List()) != 0 {
		t.Errorf("reloaded after Unban: %v %v", b2.List(), err)
	}
}

func TestBanListFileErrors(t *testing.T) {
	for _, tc := range []struct{ name, body string }{
		{"not json", "1.2.3.4\n"},
		{"unknown field", `{"bans":[],"x":1}`},
		{"no ip", `{"bans":[{"until":"2999-01-01T00:00:00Z"}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bans.json")
			if err := os.WriteFile(path, []byte(tc.body), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := p2p.OpenBanList(path)
			var fe *p2p.FileError
			if !errors.As(err, &fe) || fe.Path != path {
				t.Errorf("err %v, want a *FileError for %s", err, path)
			}
		})
	}
}

func TestRoutable(t *testing.T) {
	for _, tc := range []struct {
		ap            string
		global, local bool
	}{
		{"1.2.3.4:5251", true, true},
		{"[2a00:1450::1]:5251", true, true},
		{"[::ffff:1.2.3.4]:5251", true, true},
		{"1.2.3.4:0", false, false},
		{"127.0.0.1:5251", false, true},
		{"[::1]:5251", false, true},
		{"10.1.2.3:5251", false, true},
		{"192.168.1.1:5251", false, true},
		{"[fd00::1]:5251", false, true},
		{"0.0.0.0:5251", false, false},
		{"[::]:5251", false, false},
		{"224.0.0.1:5251", false, false},
		{"169.254.1.1:5251", false, false},
		{"[fe80::1]:5251", false, false},
		{"100.64.0.1:5251", false, false},
		{"192.0.2.1:5251", false, false},
		{"198.18.0.1:5251", false, false},
		{"240.0.0.1:5251", false, false},
		{"255.255.255.255:5251", false, false},
		{"[2001:db8::1]:5251", false, false},
	} {
		ap := netip.MustParseAddrPort(tc.ap)
		if got := p2p.Routable(ap, false); got != tc.global {
			t.Errorf("Routable(%s, false) = %v", tc.ap, got)
		}
		if got := p2p.Routable(ap, true); got != tc.local {
			t.Errorf("Routable(%s, true) = %v", tc.ap, got)
		}
	}
}

func TestAddrBookBoundsAndSample(t *testing.T) {
	b, err := p2p.OpenAddrBook(p2p.AddrBookConfig{Capacity: 100})
	if err != nil {
		t.Fatal(err)
	}
	if b.Sample() != nil {
		t.Error("sample of an empty book")
	}
	b.Add(na("1.1.1.1:5251"))
	if s := b.Sample(); len(s) != 1 {
		t.Errorf("sample of one entry: %d, want at least 1", len(s))
	}
	for i := range 1000 {
		b.Add(wire.NewNetAddress(netip.AddrPortFrom(netip.AddrFrom4([4]byte{8, 1, byte(i >> 8), byte(i)}), 5251), 1))
	}
	if b.Len() != 100 {
		t.Errorf("Len %d over capacity 100", b.Len())
	}
	for range 20 {
		s := b.Sample()
		if len(s) < 10 || len(s) > 20 {
			t.Fatalf("sample of %d from 100, want 10-20", len(s))
		}
		seen := map[netip.AddrPort]bool{}
		for _, e := range s {
			if seen[e.AddrPort()] {
				t.Fatal("sample repeats an entry")
			}
			seen[e.AddrPort()] = true
		}
	}
	ap, ok := b.Pick(nil)
	if !ok {
		t.Fatal("Pick found nothing")
	}
	b.Remove(ap)
	if b.Len() != 99 {
		t.Errorf("Len %d after Remove", b.Len())
	}
	if _, ok := b.Pick(func(netip.AddrPort) bool { return true }); ok {
		t.Error("Pick returned a skipped entry")
	}
	if _, err := p2p.OpenAddrBook(p2p.AddrBookConfig{Capacity: -1}); !errors.Is(err, p2p.ErrInvalidConfig) {
		t.Errorf("negative capacity: %v", err)
	}
}

func TestParseAddrFile(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		max      int
		want     []string
		errLine  int
	}{
		{"plain", "1.2.3.4:5251\n[2a00::1]:15251\n", 10, []string{"1.2.3.4:5251", "[2a00::1]:15251"}, 0},
		{"comments and blanks", "# hosts\n\n  1.2.3.4:5251  \r\n", 10, []string{"1.2.3.4:5251"}, 0},
		{"mapped unmapped", "[::ffff:1.2.3.4]:5251\n", 10, []string{"1.2.3.4:5251"}, 0},
		{"capped", "1.1.1.1:1\n2.2.2.2:2\n3.3.3.3:3\n", 2, []string{"1.1.1.1:1", "2.2.2.2:2"}, 0},
		{"no port", "1.2.3.4:5251\n1.2.3.4\n", 10, nil, 2},
		{"port zero", "1.2.3.4:0\n", 10, nil, 1},
		{"hostname", "seed.example:5251\n", 10, nil, 1},
		{"long line", strings.Repeat("1", 100) + "\n", 10, nil, 1},
		{"bad after cap", "1.1.1.1:1\nxx\n", 1, nil, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := p2p.ParseAddrFile(strings.NewReader(tc.in), tc.max)
			if tc.errLine != 0 {
				var fe *p2p.FileError
				if !errors.As(err, &fe) || fe.Line != tc.errLine || !errors.Is(err, p2p.ErrInvalidAddress) {
					t.Fatalf("err %v, want a *FileError at line %d wrapping ErrInvalidAddress", err, tc.errLine)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var s []string
			for _, ap := range got {
				s = append(s, ap.String())
			}
			if strings.Join(s, " ") != strings.Join(tc.want, " ") {
				t.Errorf("got %v, want %v", s, tc.want)
			}
		})
	}
}

func TestOpenAddrBookFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "hosts.cache")
	// Loopback is skipped (not routable without AllowLocal), not an error.
	if err := os.WriteFile(path, []byte("127.0.0.1:5251\n1.2.3.4:5251\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := p2p.OpenAddrBook(p2p.AddrBookConfig{Path: path})
	if err != nil || b.Len() != 1 {
		t.Fatalf("Len %d, err %v", b.Len(), err)
	}
	if err := os.WriteFile(path, []byte("garbage\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = p2p.OpenAddrBook(p2p.AddrBookConfig{Path: path})
	var fe *p2p.FileError
	if !errors.As(err, &fe) || fe.Path != path {
		t.Errorf("err %v, want *FileError naming %s", err, path)
	}
}

func FuzzParseAddrFile(f *testing.F) {
	f.Add([]byte("1.2.3.4:5251\n[2a00::1]:15251\n# c\n\n"))
	f.Add([]byte("[::ffff:1.2.3.4]:1\r\n"))
	f.Add([]byte("1.2.3.4\n"))
	f.Add(bytes.Repeat([]byte("9"), 200))
	f.Fuzz(func(t *testing.T, data []byte) {
		const max = 5
		got, err := p2p.ParseAddrFile(bytes.NewReader(data), max)
		if err != nil {
			var fe *p2p.FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *FileError", err)
			}
			return
		}
		if len(got) > max {
			t.Fatalf("%d entries over max %d", len(got), max)
		}
		// What parses, saves and parses back to the same entries.
		var buf bytes.Buffer
		for _, ap := range got {
			if ap.Port() == 0 || ap.Addr().Is4In6() {
				t.Fatalf("entry %v not canonical", ap)
			}
			buf.WriteString(ap.String() + "\n")
		}
		again, err := p2p.ParseAddrFile(&buf, max)
		if err != nil || len(again) != len(got) {
			t.Fatalf("round trip: %v, %d vs %d", err, len(again), len(got))
		}
		for i := range got {
			if again[i] != got[i] {
				t.Fatalf("round trip %v != %v", again[i], got[i])
			}
		}
	})
}

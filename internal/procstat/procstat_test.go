package procstat

import (
	"os"
	"runtime"
	"testing"
)

func TestParse(t *testing.T) {
	const status = "Name:\tx\nVmHWM:\t  2048 kB\nRssAnon:\t    12 kB\nBad:\tmany kB\n"
	for _, tc := range []struct {
		field string
		want  int64
		ok    bool
	}{{"VmHWM", 2048 << 10, true}, {"RssAnon", 12 << 10, true}, {"Bad", 0, false}, {"RssFile", 0, false}, {"Vm", 0, false}} {
		got, err := parse(status, tc.field)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("%s: %d %v", tc.field, got, err)
		}
	}
}

func TestBytes(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("no /proc")
	}
	self, ok := Bytes(Self, "VmHWM")
	byPid, ok2 := Bytes(os.Getpid(), "VmHWM")
	if !ok || !ok2 || self <= 0 || byPid <= 0 {
		t.Fatalf("VmHWM %d %v, by pid %d %v", self, ok, byPid, ok2)
	}
	if _, ok := Bytes(-5, "VmHWM"); ok {
		t.Fatal("a pid that cannot exist was read")
	}
}

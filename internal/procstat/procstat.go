// Package procstat reads a process's memory figures from Linux's /proc/PID/status, for the
// tests and benchmarks that measure what an import or a sync holds (the peak resident set,
// the anonymous memory that excludes bbolt's mapped file pages).
package procstat

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Self is the pid that names the calling process.
const Self = 0

// Bytes is a "kB" field of /proc/PID/status (VmHWM, RssAnon, ...) in bytes. ok is false
// where there is no /proc, the process is gone or the field is absent.
func Bytes(pid int, field string) (n int64, ok bool) {
	path := "/proc/self/status"
	if pid != Self {
		path = "/proc/" + strconv.Itoa(pid) + "/status"
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	n, err = parse(string(b), field)
	return n, err == nil
}

// parse finds "field: N kB" in a status file.
func parse(status, field string) (int64, error) {
	for _, line := range strings.Split(status, "\n") {
		v, ok := strings.CutPrefix(line, field+":")
		if !ok {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("procstat: %s %q: %w", field, v, err)
		}
		return kb << 10, nil
	}
	return 0, fmt.Errorf("procstat: no %s", field)
}

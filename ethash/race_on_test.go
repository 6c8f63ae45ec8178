//go:build race

package ethash

// RaceEnabled: the race detector makes sync.Pool drop items at random, so tests that
// count allocations of pooled scratch skip under it.
const RaceEnabled = true

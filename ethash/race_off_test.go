//go:build !race

package ethash

// RaceEnabled: see race_on_test.go.
const RaceEnabled = false

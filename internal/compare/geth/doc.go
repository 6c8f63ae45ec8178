// Package gethcompare runs go-ethereum v1.11.6's consensus/ethash benchmarks beside ours in
// one run. It is its own module so go-ethereum never enters the SDK's go.mod. See
// BENCHMARKS.md for the commands.
package gethcompare

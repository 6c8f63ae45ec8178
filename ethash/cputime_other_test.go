//go:build !unix

package ethash

// CPUSeconds is not measured here; benchmarks then report no per-CPU-second rate.
func CPUSeconds() float64 { return 0 }

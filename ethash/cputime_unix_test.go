//go:build unix

package ethash

import "syscall"

// CPUSeconds is the process's user and system CPU time. Benchmarks report hashes per
// CPU-second beside hashes per second: on a shared machine the wall-clock rate moves with
// the neighbours' load, the CPU-time rate much less (memory contention still shows).
func CPUSeconds() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}

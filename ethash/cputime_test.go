package ethash

import "testing"

// ReportCPURate reports n hashes over the CPU time since cpu0 (a CPUSeconds reading) as
// hashes/cpu-s, where CPU time is measured.
func ReportCPURate(b *testing.B, cpu0, n float64) {
	if cpu := CPUSeconds() - cpu0; cpu0 > 0 && cpu > 0 {
		b.ReportMetric(n/cpu, "hashes/cpu-s")
	}
}

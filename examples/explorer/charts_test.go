package main

import (
	"strings"
	"testing"
)

func TestBuildCharts(t *testing.T) {
	st := func(h uint64, time int64, txs int, d float64) BlockStat {
		return BlockStat{Height: h, Time: time, Txs: txs, Difficulty: d}
	}
	tests := []struct {
		name   string
		stats  []BlockStat
		points []bool // per chart: drawn or not
	}{
		{"empty", nil, []bool{false, false, false}},
		{"genesis only", []BlockStat{st(0, 100, 1, 5)}, []bool{true, false, true}},
		{"after genesis: no interval", []BlockStat{st(0, 100, 1, 5), st(1, 99999, 1, 5)}, []bool{true, false, true}},
		{"flat", []BlockStat{st(5, 100, 1, 5), st(6, 103, 1, 5), st(7, 106, 1, 5)}, []bool{true, true, true}},
		{"timestamps going back", []BlockStat{st(5, 100, 1, 5), st(6, 90, 3, 7), st(7, 120, 2, 6)}, []bool{true, true, true}},
	}
	for _, tc := range tests {
		v := buildCharts(tc.stats)
		for i, c := range v.Charts {
			if (c.Points != "") != tc.points[i] {
				t.Errorf("%s: chart %s drawn %v, want %v", tc.name, c.ID, c.Points != "", tc.points[i])
			}
			if strings.Contains(c.Points, "NaN") || strings.Contains(c.Points, "Inf") {
				t.Errorf("%s: chart %s points %q", tc.name, c.ID, c.Points)
			}
		}
	}
	if v := buildCharts([]BlockStat{st(5, 100, 1, 5), st(6, 90, 3, 7)}); v.Charts[1].Min != "-10" {
		t.Errorf("a negative interval shows as %q", v.Charts[1].Min)
	}
}

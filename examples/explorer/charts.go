package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Charts are drawn on the server as SVG polylines: no script, no library, and they print.

const (
	chartW = 600
	chartH = 160
	chartP = 4 // padding inside the plot
)

type chartsView struct {
	From, To uint64
	Count    int
	Charts   []chart
}

type chart struct {
	ID       string
	Title    string
	Unit     string
	Points   string // the polyline's points, empty when there is nothing to draw
	Min, Max string
	Last     string
	W, H     int
}

func buildCharts(stats []BlockStat) chartsView {
	v := chartsView{Count: len(stats)}
	if len(stats) > 0 {
		v.From, v.To = stats[0].Height, stats[len(stats)-1].Height
	}
	diff := make([]float64, len(stats))
	txs := make([]float64, len(stats))
	var gaps []float64
	for i, s := range stats {
		diff[i] = s.Difficulty
		txs[i] = float64(s.Txs)
		if i > 0 && stats[i-1].Height > 0 {
			// The genesis block's time is fixed long before the chain's first blocks, so
			// the interval after it is left out.
			// Timestamps need not increase (a miner's clock may lag its parent's), so an
			// interval can be negative: shown as it is.
			gaps = append(gaps, float64(s.Time-stats[i-1].Time))
		}
	}
	v.Charts = []chart{
		line("difficulty", "Difficulty", "", diff),
		line("interval", "Block interval", "s", gaps),
		line("txs", "Transactions per block", "", txs),
	}
	return v
}

func line(id, title, unit string, ys []float64) chart {
	c := chart{ID: id, Title: title, Unit: unit, W: chartW, H: chartH}
	if len(ys) == 0 {
		return c
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, y := range ys {
		lo, hi = min(lo, y), max(hi, y)
	}
	c.Min, c.Max, c.Last = num(lo), num(hi), num(ys[len(ys)-1])
	span := hi - lo
	flat := span == 0
	if flat {
		span = 1
	}
	var b strings.Builder
	n := len(ys)
	for i, y := range ys {
		x := float64(chartP)
		if n > 1 {
			x += float64(i) * float64(chartW-2*chartP) / float64(n-1)
		}
		py := float64(chartH-chartP) - (y-lo)/span*float64(chartH-2*chartP)
		if flat { // a constant series: a line across the middle, not along the axis
			py = chartH / 2
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%.1f,%.1f", x, py)
	}
	if n == 1 { // a single point: draw it as a short flat line
		fmt.Fprintf(&b, " %d,%s", chartW-chartP, strings.SplitN(b.String(), ",", 2)[1])
	}
	c.Points = b.String()
	return c
}

func num(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'g', 4, 64)
}

//go:build e2e

package bench

import (
	"fmt"
	"time"
)

// flatness is the verdict on one sampled quantity over the trailing window
// of the soak (see BENCHMARKS.md, "What flat means").
//
// The least-squares line through the window's samples gives the rise over
// the window (slope × window length). The quantity is flat when that rise
// is at most tolPct % of the window's mean plus an absolute slack. A
// least-squares fit uses every sample, so one noisy moment (a backlog, a
// fresh run after a SIGKILL, a neighbour's build stealing the CPU) moves it
// little, while a leak of a few percent per half hour shows. The maxima of
// the window's first and last ten minutes are reported beside it.
type flatness struct {
	name      string
	unit      string
	samples   int
	mean      float64
	rise      float64       // least-squares rise over the window
	allowed   float64       // the largest rise that still counts as flat
	edge      time.Duration // 10 minutes, or a quarter of a shorter window
	firstMax  float64       // max over the window's first edge
	lastMax   float64       // max over the window's last edge
	flat      bool
	windowLen time.Duration
}

// flatRule is the tolerance of one quantity.
type flatRule struct {
	name   string
	unit   string
	scale  float64 // divides the raw value for display (e.g. bytes -> MiB)
	tolPct float64
	slack  float64 // in display units
	value  func(s soakSample) (float64, bool)
}

const flatTolPct = 10

var flatRules = []flatRule{
	{"rss", "MiB", 1 << 20, flatTolPct, 4, func(s soakSample) (float64, bool) { return float64(s.rss), s.rss > 0 }},
	{"goroutines", "", 1, flatTolPct, 5, func(s soakSample) (float64, bool) { return float64(s.goroutines), s.goroutines >= 0 }},
	{"fds", "", 1, flatTolPct, 5, func(s soakSample) (float64, bool) { return float64(s.fds), s.fds > 0 }},
	{"storage", "KiB", 1 << 10, flatTolPct, 64, func(s soakSample) (float64, bool) { return float64(s.storage), s.storage > 0 }},
}

// flatWindow is the trailing window judged: the last `window` of the run.
// A run shorter than window plus ten minutes of warm-up (a trial) is
// judged over its second half, for information only: its warm-up (the
// storage file growing to its first size, the first backlog's heap) is
// still in that half, so the verdict does not decide the test.
func flatWindow(total, window time.Duration) (judged time.Duration, decides bool) {
	if total < window+10*time.Minute {
		return total / 2, false
	}
	return window, true
}

// judgeFlat applies rule to the samples taken in the last `window` before end.
func judgeFlat(rule flatRule, samples []soakSample, end, window time.Duration) flatness {
	from := end - window
	edge := min(10*time.Minute, window/4)
	f := flatness{name: rule.name, unit: rule.unit, windowLen: window, edge: edge}
	var xs, ys []float64
	for _, s := range samples {
		if s.elapsed < from || s.elapsed > end {
			continue
		}
		v, ok := rule.value(s)
		if !ok {
			continue
		}
		v /= rule.scale
		xs = append(xs, (s.elapsed - from).Seconds())
		ys = append(ys, v)
		if s.elapsed < from+edge {
			f.firstMax = max(f.firstMax, v)
		}
		if s.elapsed >= end-edge {
			f.lastMax = max(f.lastMax, v)
		}
	}
	f.samples = len(ys)
	if f.samples < 3 {
		return f // not flat: too little to judge
	}
	slope, mean := leastSquares(xs, ys)
	f.mean = mean
	f.rise = slope * window.Seconds()
	f.allowed = rule.tolPct/100*mean + rule.slack
	f.flat = f.rise <= f.allowed
	return f
}

// leastSquares returns the slope of the least-squares line through (xs,
// ys) and the mean of ys.
func leastSquares(xs, ys []float64) (slope, meanY float64) {
	n := float64(len(xs))
	var sx, sy float64
	for i := range xs {
		sx += xs[i]
		sy += ys[i]
	}
	mx, my := sx/n, sy/n
	var sxy, sxx float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
	}
	if sxx == 0 {
		return 0, my
	}
	return sxy / sxx, my
}

func (f flatness) String() string {
	verdict := "flat"
	if !f.flat {
		verdict = "NOT FLAT"
	}
	return fmt.Sprintf("%s: %s over the last %s (%d samples): mean %.1f%s, least-squares rise %+.2f%s (allowed %.2f), max of the first %s %.1f, of the last %s %.1f",
		f.name, verdict, f.windowLen.Round(time.Second), f.samples, f.mean, f.unit, f.rise, f.unit, f.allowed,
		f.edge.Round(time.Second), f.firstMax, f.edge.Round(time.Second), f.lastMax)
}

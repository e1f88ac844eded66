//go:build e2e

package bench

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// TestJudgeFlat: the flatness rule passes a sawtooth of restarts and noise
// around a level, and fails a steady leak or a late step up.
func TestJudgeFlat(t *testing.T) {
	const mib = 1 << 20
	rss := flatRules[0]
	series := func(f func(min float64) float64) []soakSample {
		var out []soakSample
		for s := 0; s <= 60*60; s += 10 {
			m := float64(s) / 60
			out = append(out, soakSample{elapsed: time.Duration(s) * time.Second, rss: int64(f(m) * mib)})
		}
		return out
	}
	tests := []struct {
		name string
		mib  func(min float64) float64
		want bool
	}{
		{"level", func(float64) float64 { return 60 }, true},
		{"sawtooth of restarts every 4 min", func(m float64) float64 { return 40 + 20*math.Mod(m, 4)/4 }, true},
		{"noise of ±5 MiB", func(m float64) float64 { return 60 + 5*math.Sin(m*7.3) }, true},
		{"falling", func(m float64) float64 { return 80 - m/4 }, true},
		{"leak of 0.3 MiB/min", func(m float64) float64 { return 60 + 0.3*m }, false},
		{"step up of 20 MiB at 50 min", func(m float64) float64 {
			if m >= 50 {
				return 80
			}
			return 60
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := judgeFlat(rss, series(tt.mib), time.Hour, 40*time.Minute)
			if f.flat != tt.want {
				t.Errorf("flat = %v, want %v: %s", f.flat, tt.want, f)
			}
		})
	}
}

func TestJudgeFlatNeedsSamples(t *testing.T) {
	f := judgeFlat(flatRules[0], []soakSample{{elapsed: time.Hour, rss: 1 << 20}}, time.Hour, 40*time.Minute)
	if f.flat {
		t.Errorf("one sample judged flat: %s", f)
	}
}

func TestSplitRandom(t *testing.T) {
	for _, n := range []int{0, 1, 20_000, 50_000} {
		shares := splitRandom(newTestRand(), n, 3)
		sum := 0
		for _, s := range shares {
			if s < 0 {
				t.Errorf("n=%d: negative share in %v", n, shares)
			}
			sum += s
		}
		if len(shares) != 3 || sum != n {
			t.Errorf("n=%d: shares %v", n, shares)
		}
	}
}

func newTestRand() *rand.Rand { return rand.New(rand.NewPCG(1, 2)) }

//go:build e2e

package bench

import (
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
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

// TestWriteSoakPlot: the plot decodes as a PNG and shows both series.
func TestWriteSoakPlot(t *testing.T) {
	var samples []soakSample
	for s := 0; s <= 3600; s += 10 {
		samples = append(samples, soakSample{elapsed: time.Duration(s) * time.Second, run: 1 + s/240, rss: 60 << 20, goroutines: 20})
	}
	path := filepath.Join(t.TempDir(), "soak.png")
	if err := writeSoakPlot(path, samples, 20*time.Minute); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != plotW || b.Dy() != plotH {
		t.Errorf("size %v, want %dx%d", b, plotW, plotH)
	}
	found := map[color.RGBA]int{}
	for y := 0; y < plotH; y++ {
		for x := 0; x < plotW; x++ {
			r, g, b, a := img.At(x, y).RGBA()
			found[color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}]++
		}
	}
	for name, c := range map[string]color.RGBA{"RSS": colRSS, "goroutines": colGoroutines, "restart": colRestart} {
		if found[c] < 100 {
			t.Errorf("%s: %d pixels of its colour", name, found[c])
		}
	}
}

func TestFlatWindow(t *testing.T) {
	tests := []struct {
		total, window, want time.Duration
		decides             bool
	}{
		{time.Hour, 40 * time.Minute, 40 * time.Minute, true},
		{50 * time.Minute, 40 * time.Minute, 40 * time.Minute, true},
		{49 * time.Minute, 40 * time.Minute, 49 * time.Minute / 2, false},
		{4 * time.Minute, 40 * time.Minute, 2 * time.Minute, false},
	}
	for _, tt := range tests {
		got, decides := flatWindow(tt.total, tt.window)
		if got != tt.want || decides != tt.decides {
			t.Errorf("flatWindow(%s, %s) = %s, %v; want %s, %v", tt.total, tt.window, got, decides, tt.want, tt.decides)
		}
	}
}

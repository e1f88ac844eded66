//go:build e2e

package bench

import (
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The plot: RSS (MiB, blue, top panel) and goroutines (green, bottom panel)
// over the soak's minutes. Red vertical lines mark the restarts after a
// SIGKILL, the shaded part is the window judged for flatness, vertical grid
// lines are 10 minutes apart, and each panel's y axis starts at 0 with its
// maximum written at the top left.
const (
	plotW, plotH = 960, 520
	plotMargin   = 24
	panelGap     = 28
)

var (
	colBackground = color.RGBA{255, 255, 255, 255}
	colWindow     = color.RGBA{236, 240, 246, 255}
	colGrid       = color.RGBA{215, 215, 215, 255}
	colRestart    = color.RGBA{190, 120, 120, 255}
	colAxis       = color.RGBA{60, 60, 60, 255}
	colRSS        = color.RGBA{30, 90, 200, 255}
	colGoroutines = color.RGBA{20, 140, 60, 255}
)

// panel is one quantity's box on the canvas.
type panel struct {
	x0, y0, x1, y1 int
	yMax           float64
	xMax           float64 // seconds
}

func (p panel) at(x, y float64) (int, int) {
	px := p.x0 + int(math.Round(x/p.xMax*float64(p.x1-p.x0)))
	py := p.y1 - int(math.Round(y/p.yMax*float64(p.y1-p.y0)))
	return px, py
}

func writeSoakPlot(path string, samples []soakSample, windowFrom time.Duration) error {
	img := image.NewRGBA(image.Rect(0, 0, plotW, plotH))
	fill(img, img.Bounds(), colBackground)
	xMax := 1.0
	if len(samples) > 0 {
		xMax = max(1, samples[len(samples)-1].elapsed.Seconds())
	}
	panelH := (plotH - 2*plotMargin - panelGap) / 2
	series := []struct {
		label string
		col   color.RGBA
		value func(soakSample) (float64, bool)
	}{
		{"RSS (MIB)", colRSS, func(s soakSample) (float64, bool) { return float64(s.rss) / (1 << 20), s.rss > 0 }},
		{"GOROUTINES", colGoroutines, func(s soakSample) (float64, bool) { return float64(s.goroutines), s.goroutines >= 0 }},
	}
	for i, sr := range series {
		top := plotMargin + i*(panelH+panelGap)
		p := panel{x0: plotMargin + 40, y0: top + 10, x1: plotW - plotMargin, y1: top + panelH, xMax: xMax}
		for _, s := range samples {
			if v, ok := sr.value(s); ok {
				p.yMax = max(p.yMax, v)
			}
		}
		p.yMax = niceCeil(p.yMax * 1.1)
		drawPanel(img, p, samples, windowFrom)
		drawNumber(img, plotMargin, p.y0, int(p.yMax), sr.col)
		drawText(img, p.x0+8, top-8, sr.label, sr.col)
		drawNumber(img, plotMargin, p.y1-5, 0, colAxis)
		prevOK := false
		var px, py int
		for _, s := range samples {
			v, ok := sr.value(s)
			if !ok {
				prevOK = false
				continue
			}
			x, y := p.at(s.elapsed.Seconds(), v)
			if prevOK {
				line(img, px, py, x, y, sr.col)
			}
			px, py, prevOK = x, y, true
		}
	}
	drawText(img, plotW-plotMargin-8*len("MINUTES"), plotH-14, "MINUTES", colAxis)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// drawPanel draws the window shading, the grid, the restarts and the axes.
func drawPanel(img *image.RGBA, p panel, samples []soakSample, windowFrom time.Duration) {
	wx, _ := p.at(windowFrom.Seconds(), 0)
	fill(img, image.Rect(max(wx, p.x0), p.y0, p.x1, p.y1), colWindow)
	for m := 0.0; m*60 <= p.xMax; m += 10 {
		x, _ := p.at(m*60, 0)
		line(img, x, p.y0, x, p.y1, colGrid)
		drawNumber(img, x-4, p.y1+4, int(m), colAxis)
	}
	for q := 1; q < 4; q++ {
		_, y := p.at(0, p.yMax*float64(q)/4)
		line(img, p.x0, y, p.x1, y, colGrid)
	}
	for i := 1; i < len(samples); i++ {
		if samples[i].run != samples[i-1].run {
			x, _ := p.at(samples[i].elapsed.Seconds(), 0)
			line(img, x, p.y0, x, p.y1, colRestart)
		}
	}
	line(img, p.x0, p.y1, p.x1, p.y1, colAxis)
	line(img, p.x0, p.y0, p.x0, p.y1, colAxis)
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	e := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*e {
			return m * e
		}
	}
	return 10 * e
}

func fill(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.SetRGBA(x, y, c)
		}
	}
}

// line draws from (x0, y0) to (x1, y1) with Bresenham's algorithm.
func line(img *image.RGBA, x0, y0, x1, y1 int, c color.RGBA) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := sign(x1-x0), sign(y1-y0)
	e := dx + dy
	for {
		img.SetRGBA(x0, y0, c)
		if x0 == x1 && y0 == y1 {
			return
		}
		if e2 := 2 * e; e2 >= dy {
			e += dy
			x0 += sx
		} else {
			e += dx
			y0 += sy
		}
	}
}

func abs(v int) int { return max(v, -v) }

func sign(v int) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// glyphs is a 3×5 pixel font for the plot's numbers and labels, one row
// per string.
var glyphs = map[rune][5]string{
	'0': {"###", "#.#", "#.#", "#.#", "###"}, '1': {".#.", "##.", ".#.", ".#.", "###"},
	'2': {"###", "..#", "###", "#..", "###"}, '3': {"###", "..#", "###", "..#", "###"},
	'4': {"#.#", "#.#", "###", "..#", "..#"}, '5': {"###", "#..", "###", "..#", "###"},
	'6': {"###", "#..", "###", "#.#", "###"}, '7': {"###", "..#", "..#", "..#", "..#"},
	'8': {"###", "#.#", "###", "#.#", "###"}, '9': {"###", "#.#", "###", "..#", "###"},
	'B': {"##.", "#.#", "##.", "#.#", "##."}, 'E': {"###", "#..", "##.", "#..", "###"},
	'G': {"###", "#..", "#.#", "#.#", "###"}, 'I': {"###", ".#.", ".#.", ".#.", "###"},
	'M': {"#.#", "###", "###", "#.#", "#.#"}, 'N': {"##.", "#.#", "#.#", "#.#", "#.#"},
	'O': {"###", "#.#", "#.#", "#.#", "###"}, 'R': {"##.", "#.#", "##.", "#.#", "#.#"},
	'S': {"###", "#..", "###", "..#", "###"}, 'T': {"###", ".#.", ".#.", ".#.", ".#."},
	'U': {"#.#", "#.#", "#.#", "#.#", "###"}, ' ': {"...", "...", "...", "...", "..."},
	',': {"...", "...", "...", ".#.", "#.."}, '(': {".#.", "#..", "#..", "#..", ".#."},
	')': {".#.", "..#", "..#", "..#", ".#."},
}

// drawText writes s (digits and the capitals above) with its top left at
// (x, y), each font pixel 2×2.
func drawText(img *image.RGBA, x, y int, s string, c color.RGBA) {
	const scale = 2
	for _, ch := range s {
		glyph := glyphs[ch]
		for row, bits := range glyph {
			for col, b := range bits {
				if b == '#' {
					fill(img, image.Rect(x+col*scale, y+row*scale, x+(col+1)*scale, y+(row+1)*scale), c)
				}
			}
		}
		x += 4 * scale
	}
}

func drawNumber(img *image.RGBA, x, y, n int, c color.RGBA) { drawText(img, x, y, itoa(n), c) }

// TestSoakPlot redraws soak.png from a soak.csv (-soak-plot), e.g. after a
// change to the plot; without the flag it is skipped.
func TestSoakPlot(t *testing.T) {
	if *soakPlotFrom == "" {
		t.Skip("redraws a plot only with -soak-plot=path/to/soak.csv")
	}
	samples, err := readSoakCSV(*soakPlotFrom)
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) == 0 {
		t.Fatal("no samples")
	}
	total := samples[len(samples)-1].elapsed
	out := filepath.Join(filepath.Dir(*soakPlotFrom), "soak.png")
	window, _ := flatWindow(total, *soakFlatWindow)
	if err := writeSoakPlot(out, samples, total-window); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", out)
}

//go:build e2e

package bench

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// result collects a benchmark's figures: each is reported to the testing
// framework (b.ReportMetric, for benchstat) and printed once more on one
// "RESULT <name>: key=value ..." line, which scripts and BENCHMARKS.md use.
type result struct {
	b     *testing.B
	name  string
	pairs []string
}

func newResult(b *testing.B, name string) *result { return &result{b: b, name: name} }

// metric reports value under unit (no spaces, e.g. "events/s") and records
// it as key.
func (r *result) metric(key string, value float64, unit string) {
	r.b.ReportMetric(value, unit)
	r.note(key, value)
}

// note records key without reporting it to the framework (secondary
// figures, which would crowd the benchmark line).
func (r *result) note(key string, value float64) {
	r.pairs = append(r.pairs, key+"="+strconv.FormatFloat(value, 'f', -1, 64))
}

func (r *result) print() {
	// stdout, not b.Log: the line must appear unindented even on success
	fmt.Printf("RESULT %s: %s\n", r.name, strings.Join(r.pairs, " "))
}

// round keeps figures readable in the RESULT line.
func round(v float64, digits int) float64 {
	f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', digits, 64), 64)
	return f
}

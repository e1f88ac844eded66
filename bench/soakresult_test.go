//go:build e2e

package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// soakResult is what the soak prints and saves as soak-result.txt.
type soakResult struct {
	seed          uint64
	duration      time.Duration
	catchUp       time.Duration
	kills, runs   int
	backlogs      int
	backlogEvents int
	injected      map[string]int // API faults by kind
	refusals      int            // sink refusal periods
	sinkRefused   int            // exports the sink refused
	delivery      soakDelivery
	samples       int
	flat          []flatness
	errorLines    int
	cleanExit     bool
}

func (r soakResult) String() string {
	var b strings.Builder
	kinds := make([]string, 0, len(r.injected))
	total := 0
	for k, n := range r.injected {
		kinds = append(kinds, fmt.Sprintf("%s: %d", k, n))
		total += n
	}
	sort.Strings(kinds)
	fmt.Fprintf(&b, "RESULT Soak: duration_s=%.0f catch_up_s=%.0f seed=%d kills=%d runs=%d backlogs=%d backlog_events=%d api_faults=%d sink_refusals=%d sink_refused_exports=%d events=%d missing=%d repeats=%d unexpected=%d samples=%d error_lines=%d clean_exit=%v",
		r.duration.Seconds(), r.catchUp.Seconds(), r.seed, r.kills, r.runs, r.backlogs, r.backlogEvents, total, r.refusals, r.sinkRefused,
		r.delivery.expected, r.delivery.missing, r.delivery.repeats, r.delivery.unexpected, r.samples, r.errorLines, r.cleanExit)
	for _, f := range r.flat {
		fmt.Fprintf(&b, " %s_flat=%v %s_rise=%.2f %s_allowed=%.2f %s_mean=%.1f", f.name, f.flat, f.name, f.rise, f.name, f.allowed, f.name, f.mean)
	}
	b.WriteString("\nAPI faults injected: " + strings.Join(kinds, ", ") + "\n")
	for _, f := range r.flat {
		b.WriteString(f.String() + "\n")
	}
	return b.String()
}

// writeSoakOutputs saves the result text, the samples and the plot.
func writeSoakOutputs(dir, text string, samples []soakSample, windowFrom time.Duration) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "soak-result.txt"), []byte(text), 0o644); err != nil {
		return err
	}
	if err := writeSoakCSV(filepath.Join(dir, "soak.csv"), samples); err != nil {
		return err
	}
	return writeSoakPlot(filepath.Join(dir, "soak.png"), samples, windowFrom)
}

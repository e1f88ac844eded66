//go:build e2e

package e2e

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
)

// promSample is one line of the Prometheus text format.
type promSample struct {
	Name   string
	Labels map[string]string
	Value  float64
}

// parseProm reads the samples of a Prometheus text exposition. It handles
// what the collector's exporter writes (no escaped quotes in the label
// values this suite looks at); comment lines are skipped.
func parseProm(text string) []promSample {
	var out []promSample
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		s := promSample{Labels: map[string]string{}}
		var rest string
		if i := strings.IndexByte(line, '{'); i >= 0 {
			j := strings.LastIndexByte(line, '}')
			if j < i {
				continue
			}
			s.Name = line[:i]
			for _, kv := range splitLabels(line[i+1 : j]) {
				if k, v, ok := strings.Cut(kv, "="); ok {
					s.Labels[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"`)
				}
			}
			rest = strings.TrimSpace(line[j+1:])
		} else {
			name, r, ok := strings.Cut(line, " ")
			if !ok {
				continue
			}
			s.Name, rest = name, strings.TrimSpace(r)
		}
		fields := strings.Fields(rest)
		if len(fields) == 0 {
			continue
		}
		v, err := strconv.ParseFloat(fields[0], 64)
		if err != nil {
			continue
		}
		s.Value = v
		out = append(out, s)
	}
	return out
}

// splitLabels splits a="x",b="y" at the commas outside quotes.
func splitLabels(s string) []string {
	var out []string
	inQuote, start := false, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			inQuote = !inQuote
		case ',':
			if !inQuote {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// promSuffixes are what the Prometheus exporter may append to a metric's
// base name depending on its settings: the counter suffix and the unit.
var promSuffixes = []string{"", "_total", "_seconds", "_seconds_total"}

// metric returns the samples of base (e.g. otelcol_receiver_onepassword_events)
// whatever suffix the exporter appended, whose labels include match.
func metric(samples []promSample, base string, match map[string]string) []promSample {
	var out []promSample
	for _, s := range samples {
		if !hasSuffixedName(s.Name, base) {
			continue
		}
		ok := true
		for k, v := range match {
			if s.Labels[k] != v {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, s)
		}
	}
	return out
}

func hasSuffixedName(name, base string) bool {
	for _, suf := range promSuffixes {
		if name == base+suf {
			return true
		}
	}
	return false
}

// sum adds the values of samples.
func sum(samples []promSample) float64 {
	var t float64
	for _, s := range samples {
		t += s.Value
	}
	return t
}

// scrape is one scrape of the collector's own metrics.
type scrape struct {
	Text    string
	Samples []promSample
	At      time.Time
}

// scrapeUntil scrapes the collector's own metrics until settled holds for a
// scrape, and returns that scrape. It fails the test after timeout.
func scrapeUntil(t *testing.T, c *collector, timeout time.Duration, settled func([]promSample) bool) scrape {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		text, err := c.scrape()
		at := time.Now()
		if err == nil {
			if samples := parseProm(text); settled(samples) {
				return scrape{Text: text, Samples: samples, At: at}
			}
		}
		if err != nil && !c.alive() {
			t.Fatalf("the collector exited: %v", c.current().err)
		}
		if at.After(deadline) {
			t.Fatalf("the collector's metrics did not settle within %s (last scrape error: %v)", timeout, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitPolls waits until every stream's successful requests, as the receiver
// itself counts them, have grown by n from now. Once a stream is caught up
// each of those is an idle poll, so repeats that were still on their way
// have arrived by then: a page is handed to the pipeline before the next
// request of its stream is counted.
func waitPolls(t *testing.T, c *collector, n int, timeout time.Duration) {
	t.Helper()
	ok2xx := func(samples []promSample, st string) float64 {
		return sum(metric(samples, metricPrefix+"requests", map[string]string{"stream": metricStreamOf[st], "status_class": "2xx"}))
	}
	base := scrapeUntil(t, c, timeout, func([]promSample) bool { return true }).Samples
	scrapeUntil(t, c, timeout, func(samples []promSample) bool {
		for _, st := range simulator.Streams {
			if ok2xx(samples, st) < ok2xx(base, st)+float64(n) {
				return false
			}
		}
		return true
	})
}

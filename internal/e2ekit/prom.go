//go:build e2e

package e2ekit

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Sample is one line of the Prometheus text format.
type Sample struct {
	Name   string
	Labels map[string]string
	Value  float64
}

// ParseProm reads the samples of a Prometheus text exposition. It handles
// what the collector's exporter writes (no escaped quotes in the label
// values the tests look at); comment lines are skipped.
func ParseProm(text string) []Sample {
	var out []Sample
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		s := Sample{Labels: map[string]string{}}
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

// Metric returns the samples of base (e.g. otelcol_receiver_onepassword_events)
// whatever suffix the exporter appended, whose labels include match.
func Metric(samples []Sample, base string, match map[string]string) []Sample {
	var out []Sample
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

// Sum adds the values of samples.
func Sum(samples []Sample) float64 {
	var t float64
	for _, s := range samples {
		t += s.Value
	}
	return t
}

// Scrape GETs a Prometheus text exposition, e.g. the collector's own
// metrics at http://127.0.0.1:<port>/metrics.
func Scrape(url string) (string, error) {
	code, body, err := HTTPGet(url)
	if err == nil && code != http.StatusOK {
		err = fmt.Errorf("%s answered %d", url, code)
	}
	return body, err
}

// HTTPGet GETs url with a short timeout and returns status and body.
func HTTPGet(url string) (int, string, error) {
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

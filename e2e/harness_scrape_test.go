//go:build e2e

package e2e

import (
	"testing"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/e2ekit"
	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
)

// scrape is one scrape of the collector's own metrics.
type scrape struct {
	Text    string
	Samples []e2ekit.Sample
	At      time.Time
}

// scrapeUntil scrapes the collector's own metrics until settled holds for a
// scrape, and returns that scrape. It fails the test after timeout.
func scrapeUntil(t *testing.T, c *collector, timeout time.Duration, settled func([]e2ekit.Sample) bool) scrape {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		text, err := c.scrape()
		at := time.Now()
		if err == nil {
			if samples := e2ekit.ParseProm(text); settled(samples) {
				return scrape{Text: text, Samples: samples, At: at}
			}
		}
		if err != nil && !c.alive() {
			t.Fatalf("the collector exited: %v", c.current().Err())
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
	ok2xx := func(samples []e2ekit.Sample, st string) float64 {
		return e2ekit.Sum(e2ekit.Metric(samples, metricPrefix+"requests", map[string]string{"operation": metricStreamOf[st], "status_class": "2xx"}))
	}
	base := scrapeUntil(t, c, timeout, func([]e2ekit.Sample) bool { return true }).Samples
	scrapeUntil(t, c, timeout, func(samples []e2ekit.Sample) bool {
		for _, st := range simulator.Streams {
			if ok2xx(samples, st) < ok2xx(base, st)+float64(n) {
				return false
			}
		}
		return true
	})
}

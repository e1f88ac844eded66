//go:build e2e

package e2e

import (
	"testing"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/e2ekit"
	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
)

// TestBackpressureLosesNothing: when the destination refuses exports (503,
// then 429 with Retry-After) for a few seconds in the middle of a drain,
// nothing is lost. The exporter gives up after a second, so the refusal
// reaches the receiver as a retryable ConsumeLogs error: the receiver must
// keep its cursor and deliver the same page again (commit after consume).
func TestBackpressureLosesNothing(t *testing.T) {
	env := startSim(t, simulator.Config{Seed: 13})
	env.addEvents(t, 5000)
	start := time.Now().Add(-2 * time.Hour).UTC().Truncate(time.Second)
	total := 3 * 5000
	sink := newSink(t, false)
	c := newCollector(t, collectorConfig{
		SimURL:  env.url,
		SinkURL: sink.URL(),
		Receiver: map[string]any{
			"page_size":  100,
			"start_time": start.Format(time.RFC3339),
		},
		Exporter: map[string]any{"retry_on_failure": map[string]any{
			"enabled":          true,
			"initial_interval": "100ms",
			"max_interval":     "500ms",
			"max_elapsed_time": "1s",
		}},
	}, env.token)
	c.start()

	if !waitFor(2*time.Minute, 10*time.Millisecond, func() bool { return !c.alive() || sink.Stats().Total >= total/10 }) || !c.alive() {
		t.Fatalf("the drain did not get going (collector alive: %v, records: %d)", c.alive(), sink.Stats().Total)
	}
	sink.RefuseFor(3*time.Second, 503, "")
	atRefusal := sink.Stats().Total
	// More events while the destination refuses, so that pages certainly
	// wait behind the refusal even if the first batch was almost done.
	env.addEvents(t, 1000)
	time.Sleep(3 * time.Second)
	sink.RefuseFor(2*time.Second, 429, "1")
	time.Sleep(2 * time.Second)
	sink.Accept()

	want := env.readReference(t, "v2", start, false)
	waitDelivered(t, c, sink, want, 3*time.Minute)
	text, err := c.scrape()
	if err != nil {
		t.Fatalf("scraping the collector's metrics: %v", err)
	}
	redelivered := e2ekit.Sum(e2ekit.Metric(e2ekit.ParseProm(text), "otelcol_receiver_onepassword_retries", nil))
	if err := c.stop(); err != nil {
		t.Errorf("exit after SIGTERM was not clean: %v", err)
	}

	st := sink.Stats()
	d := compareDelivery(want, sink.Received())
	t.Logf("RESULT backpressure: events=%d refused_exports=%d receiver_retries=%v records_at_refusal=%d missing=%d duplicates=%d",
		d.Expected, st.Refused, redelivered, atRefusal, d.Missing, d.Duplicates)
	if atRefusal >= want.total() {
		t.Fatalf("the drain had ended before the refusal; the test checked nothing")
	}
	if st.Refused == 0 {
		t.Fatalf("the sink refused no export; the test checked nothing")
	}
	if redelivered < 1 {
		t.Errorf("the receiver never delivered a refused page again (retries metric %v): the refusal did not reach it", redelivered)
	}
	if d.Missing != 0 || d.Unexpected != 0 {
		t.Errorf("delivery: %s", d)
	}
}

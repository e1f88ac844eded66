//go:build e2e

package e2e

import (
	"testing"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
)

// TestRestartResumesWithoutGaps: a collector stopped with SIGTERM and started
// again with the same storage continues at its stored cursors. Events added
// while it was down, late ones included (older than what was already
// delivered, visible only to a continuing cursor), all arrive, and nothing
// delivered before the clean stop arrives again.
func TestRestartResumesWithoutGaps(t *testing.T) {
	env := startSim(t, simulator.Config{Seed: 11})
	env.addEvents(t, 500)
	start := time.Now().Add(-2 * time.Hour).UTC().Truncate(time.Second)
	sink := newSink(t, false)
	c := newCollector(t, collectorConfig{
		SimURL:   env.url,
		SinkURL:  sink.URL(),
		Receiver: map[string]any{"page_size": 100, "start_time": start.Format(time.RFC3339)},
	}, env.token)

	c.start()
	waitDelivered(t, c, sink, env.readReference(t, "v2", start, false), 2*time.Minute)
	if err := c.stop(); err != nil {
		t.Errorf("first run: exit after SIGTERM was not clean: %v", err)
	}
	before := sink.Stats().Total

	// While it is down: new events, and late ones that a time-window poller
	// that moved past them would never see.
	env.addEvents(t, 300)
	env.addLate(t, 50, 30*time.Minute)
	want := env.readReference(t, "v2", start, false)

	c.start()
	waitDelivered(t, c, sink, want, 2*time.Minute)
	// Repeats, if any, come with the first pages after the restart, before
	// the new events; two more idle polls of every stream let stragglers show.
	waitPolls(t, c, 2, time.Minute)
	if err := c.stop(); err != nil {
		t.Errorf("second run: exit after SIGTERM was not clean: %v", err)
	}

	d := compareDelivery(want, sink.Received())
	t.Logf("RESULT restart: events=%d before_stop=%d after_restart=%d missing=%d duplicates=%d",
		d.Expected, before, sink.Stats().Total-before, d.Missing, d.Duplicates)
	if d.Missing != 0 || d.Unexpected != 0 {
		t.Errorf("delivery: %s", d)
	}
	if d.Duplicates != 0 {
		t.Errorf("%d events arrived again after a clean stop: the stored cursors were not used or not the newest", d.Duplicates)
	}
}

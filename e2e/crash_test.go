//go:build e2e

package e2e

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
)

// TestCrashLosesNothing (issue 5): a collector killed with SIGKILL at random
// moments of a 100,000-event drain, and restarted each time with the same
// storage, delivers every event. The repeats are bounded by the contract:
// at most the page in flight per stream and kill.
func TestCrashLosesNothing(t *testing.T) {
	const (
		perStream = 34000 // 102,000 events in all
		pageSize  = 500
	)
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 0x5EED))
	t.Logf("kill schedule seed %d", seed)

	env := startSim(t, simulator.Config{Seed: 5})
	env.addEvents(t, perStream)
	start := time.Now().Add(-2 * time.Hour).UTC().Truncate(time.Second)
	want := env.readReference(t, "v2", start, false)
	total := want.total()
	names := []string{}
	for name := range want {
		names = append(names, name)
	}

	sink := newSink(t, false)
	c := newCollector(t, collectorConfig{
		SimURL:  env.url,
		SinkURL: sink.URL(),
		Receiver: map[string]any{
			"page_size":      pageSize,
			"start_time":     start.Format(time.RFC3339),
			"rate_limit":     map[string]any{"requests_per_minute": 0, "requests_per_hour": 0},
			"dedup_capacity": 0,
		},
	}, env.token)

	distinct := func() int {
		n := 0
		for _, name := range names {
			n += sink.Distinct(name)
		}
		return n
	}
	began := time.Now()
	c.start()
	// Kill points spread over the drain: one in each third, at a random
	// fraction and after a random extra delay, so that kills land anywhere in
	// a page's life (fetching, exporting, committing).
	kills := 0
	for i, lo := range []float64{0.05, 0.35, 0.65} {
		at := int(float64(total) * (lo + 0.2*rng.Float64()))
		if !waitFor(3*time.Minute, 20*time.Millisecond, func() bool { return !c.alive() || distinct() >= at }) {
			t.Fatalf("kill %d: the drain did not reach %d of %d events within 3 minutes", i+1, at, total)
		}
		if !c.alive() {
			t.Fatalf("the collector exited by itself: %v", c.current().Err())
		}
		time.Sleep(time.Duration(rng.IntN(300)) * time.Millisecond)
		got := distinct()
		if got >= total {
			t.Fatalf("kill %d would come after the drain ended: make the drain longer", i+1)
		}
		c.kill()
		kills++
		t.Logf("kill %d at %d of %d distinct events (%s into the test)", kills, got, total, time.Since(began).Round(time.Millisecond))
		c.start()
	}
	waitDelivered(t, c, sink, want, 5*time.Minute)
	elapsed := time.Since(began)
	if err := c.stop(); err != nil {
		t.Errorf("exit after SIGTERM was not clean: %v", err)
	}

	d := compareDelivery(want, sink.Received())
	bound := kills * len(simulator.Streams) * pageSize
	t.Logf("RESULT crash: events=%d kills=%d missing=%d duplicates=%d bound=%d page_size=%d elapsed=%s",
		total, kills, d.Missing, d.Duplicates, bound, pageSize, elapsed.Round(time.Millisecond))
	if d.Missing != 0 || d.Unexpected != 0 {
		t.Errorf("delivery: %s", d)
	}
	if d.Duplicates > bound {
		t.Errorf("%d repeats after %d kills; the contract allows at most the page in flight per stream and kill (%d)", d.Duplicates, kills, bound)
	}
}

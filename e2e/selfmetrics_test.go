//go:build e2e

package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/e2ekit"
	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
)

const metricPrefix = "otelcol_receiver_onepassword_"

// TestSelfMetrics (issue 7): the collector's own Prometheus endpoint tells an
// operator what the receiver did. After a drain with a 429 (Retry-After),
// late events and a stream whose newest event is half an hour old, the
// metrics must agree with what the sink received and with what happened.
func TestSelfMetrics(t *testing.T) {
	env := startSim(t, simulator.Config{Seed: 23})
	expires := time.Now().Add(10 * 24 * time.Hour)
	token, err := env.sim.MintToken(env.account, simulator.TokenClaims{Features: simulator.Streams, ExpiresAt: expires})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, st := range []string{simulator.StreamAuditEvents, simulator.StreamSignInAttempts} {
		if err := env.sim.AddEvents(env.account, st, 300, simulator.GenOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	// Item usages only from an hour ago to half an hour ago: that stream's
	// lag can only be over 30 minutes.
	oldEnd := now.Add(-30 * time.Minute)
	if err := env.sim.AddEvents(env.account, simulator.StreamItemUsages, 300,
		simulator.GenOptions{Start: now.Add(-time.Hour), End: oldEnd}); err != nil {
		t.Fatal(err)
	}
	// The first item-usage request meets a 429 with Retry-After: 1.
	if err := env.sim.Inject429(simulator.TooManyRequestsFault{
		Burst: simulator.Burst{Count: 1, Path: simulator.StreamItemUsages}, Seconds: 1,
	}); err != nil {
		t.Fatal(err)
	}

	start := now.Add(-2 * time.Hour).UTC().Truncate(time.Second)
	sink := newSink(t, false)
	c := newCollector(t, collectorConfig{
		SimURL:   env.url,
		SinkURL:  sink.URL(),
		Receiver: map[string]any{"page_size": 100, "start_time": start.Format(time.RFC3339)},
	}, token)
	c.start()
	waitDelivered(t, c, sink, env.readReference(t, "v2", start, false), time.Minute)
	// Late audit events, older than everything served on that stream.
	if err := env.sim.AddLate(env.account, simulator.StreamAuditEvents, 20, 45*time.Minute); err != nil {
		t.Fatal(err)
	}
	want := env.readReference(t, "v2", start, false)
	waitDelivered(t, c, sink, want, time.Minute)
	// Scrape until the collector's own counters have caught up with what the
	// sink holds: the sink sees a page before the receiver's obsreport counts
	// it as accepted. Waiting on the counters themselves, not on a clock.
	settled := scrapeUntil(t, c, time.Minute, func(samples []e2ekit.Sample) bool {
		for _, st := range simulator.Streams {
			got := e2ekit.Metric(samples, metricPrefix+"events", map[string]string{"stream": metricStreamOf[st]})
			if len(got) != 1 || int(got[0].Value) != sink.CountOf(eventNameOf[st]) {
				return false
			}
		}
		accepted := e2ekit.Metric(samples, "otelcol_receiver_accepted_log_records", map[string]string{"receiver": "onepassword"})
		return int(e2ekit.Sum(accepted)) == sink.Stats().Total
	})
	samples, scrapedAt := settled.Samples, settled.At
	if err := c.stop(); err != nil {
		t.Errorf("exit after SIGTERM was not clean: %v", err)
	}
	if fs := env.sim.FaultState(); fs.TooManyRequests.Count != 0 {
		t.Fatalf("the injected 429 was never served; the test checked nothing about it")
	}

	one := func(name string, labels map[string]string) (float64, bool) {
		got := e2ekit.Metric(samples, metricPrefix+name, labels)
		if len(got) != 1 {
			t.Errorf("%s%s %v: %d samples, want 1", metricPrefix, name, labels, len(got))
			return 0, false
		}
		return got[0].Value, true
	}
	for _, st := range simulator.Streams {
		// The receiver label keeps several instances of one collector apart.
		stream := map[string]string{"receiver": "onepassword", "stream": metricStreamOf[st]}
		if v, ok := one("requests", map[string]string{"receiver": "onepassword", "operation": metricStreamOf[st], "status_class": "2xx", "status": "200"}); ok && v < 1 {
			t.Errorf("requests %s 2xx = %v, want >= 1", st, v)
		}
		if v, ok := one("events", stream); ok && int(v) != sink.CountOf(eventNameOf[st]) {
			t.Errorf("events{stream=%s} = %v, but the sink received %d", metricStreamOf[st], v, sink.CountOf(eventNameOf[st]))
		}
		if v, ok := one("pages", stream); ok && v < 1 {
			t.Errorf("pages{stream=%s} = %v, want > 0", metricStreamOf[st], v)
		}
		if v, ok := one("lag", stream); ok && v <= 0 {
			t.Errorf("lag{stream=%s} = %v, want > 0", metricStreamOf[st], v)
		}
		if v, ok := one("last_success", stream); ok {
			last := time.Unix(0, int64(v*1e9))
			if last.Before(scrapedAt.Add(-5*time.Minute)) || last.After(scrapedAt.Add(5*time.Second)) {
				t.Errorf("last_success{stream=%s} = %s, want within the last minutes before the scrape at %s", metricStreamOf[st], last, scrapedAt)
			}
		}
	}
	if v, ok := one("requests", map[string]string{"operation": "introspect", "status": "200"}); ok && v < 1 {
		t.Errorf("requests{operation=introspect,status=200} = %v, want >= 1", v)
	}
	for _, s := range samples {
		if s.Labels["stream"] == "introspect" {
			t.Errorf("%s carries stream=introspect; introspect is an operation, not a stream", s.Name)
		}
	}
	if v, ok := one("requests", map[string]string{"operation": "item_usages", "status": "429"}); ok && v < 1 {
		t.Errorf("requests{operation=item_usages,status=429} = %v, want >= 1", v)
	}
	if v, ok := one("lag", map[string]string{"stream": "item_usages"}); ok && v < scrapedAt.Sub(oldEnd).Seconds()-1 {
		t.Errorf("lag{stream=item_usages} = %vs, but its newest event is at least %s old", v, scrapedAt.Sub(oldEnd).Round(time.Second))
	}
	if waits := e2ekit.Sum(e2ekit.Metric(samples, metricPrefix+"rate_limit_waits", nil)); waits < 1 {
		t.Errorf("rate_limit_waits = %v, want >= 1 after a 429 with Retry-After", waits)
	}
	if v, ok := one("token_expiry", nil); ok {
		left := time.Until(expires).Seconds()
		if v > left+60 || v < left-600 {
			t.Errorf("token_expiry = %vs, want about %vs (10 days)", v, left)
		}
	}
	if accepted := e2ekit.Sum(e2ekit.Metric(samples, "otelcol_receiver_accepted_log_records", map[string]string{"receiver": "onepassword"})); int(accepted) != sink.Stats().Total {
		t.Errorf("otelcol_receiver_accepted_log_records = %v, but the sink received %d", accepted, sink.Stats().Total)
	}
	if !strings.Contains(c.stderr(), "expires soon") {
		t.Errorf("no \"expires soon\" warning for a token that expires in 10 days")
	}
	var b strings.Builder
	for _, s := range samples {
		if strings.HasPrefix(s.Name, metricPrefix) {
			b.WriteString("\n  " + s.Name + " " + asJSON(s.Labels) + " " + asJSON(s.Value))
		}
	}
	t.Logf("receiver metrics:%s", b.String())
}

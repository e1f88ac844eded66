//go:build e2e

package e2e

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/e2ekit"
	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
)

// TestWrongTokenStaysUpAndExplains: with a token the API refuses (401) the
// collector keeps running, its health check reports the permanent error
// (500), the log says in words what is wrong, and the token itself appears
// in no output: not stdout, stderr, the metrics or the health answer.
func TestWrongTokenStaysUpAndExplains(t *testing.T) {
	env := startSim(t, simulator.Config{Seed: 17})
	env.addEvents(t, 50)
	secret := make([]byte, 12)
	_, _ = rand.Read(secret)
	token := "e2eWrongToken" + hex.EncodeToString(secret)

	sink := newSink(t, false)
	c := newCollector(t, collectorConfig{SimURL: env.url, SinkURL: sink.URL()}, token)
	c.start()

	var code int
	var healthBody string
	if !waitFor(30*time.Second, 100*time.Millisecond, func() bool {
		code, healthBody, _ = c.health()
		return code == http.StatusInternalServerError || !c.alive()
	}) || code != http.StatusInternalServerError {
		t.Fatalf("the health check did not report the permanent error within 30 s: last answer %d %s (alive: %v)", code, healthBody, c.alive())
	}
	t.Logf("health answer with a refused token: %d %s", code, strings.TrimSpace(healthBody))
	// Still up after the stream tried again: a refused token is not a reason
	// to exit, the stream keeps retrying so data flows again once the token
	// works. Wait for the second 401 the receiver itself counted.
	refused := func(samples []e2ekit.Sample) float64 {
		return e2ekit.Sum(e2ekit.Metric(samples, "otelcol_receiver_onepassword_requests", map[string]string{"operation": "audit_events", "status": "401"}))
	}
	settled := scrapeUntil(t, c, time.Minute, func(samples []e2ekit.Sample) bool {
		return !c.alive() || refused(samples) >= 2
	})
	if !c.alive() {
		t.Fatalf("the collector exited after the 401: %v", c.current().Err())
	}
	if n := env.sim.Stats().Requests["/api/v2/auditevents"][http.StatusUnauthorized]; n < 2 {
		t.Errorf("%d 401s on /api/v2/auditevents in the simulator's stats, want >= 2: the stream did not retry", n)
	}
	metricsText := settled.Text
	if err := c.stop(); err != nil {
		t.Errorf("exit after SIGTERM was not clean: %v", err)
	}

	stderr := c.stderr()
	if !strings.Contains(stderr, "refused the token") {
		t.Errorf("stderr does not explain the 401 (no %q)", "refused the token")
	}
	for name, text := range map[string]string{
		"stdout": c.stdout(), "stderr": stderr, "metrics": metricsText, "health answer": healthBody,
	} {
		if strings.Contains(text, token) || strings.Contains(text, hex.EncodeToString(secret)) {
			t.Errorf("the token appears in the collector's %s", name)
		}
	}
	if sink.Stats().Total != 0 {
		t.Errorf("%d records arrived with a refused token", sink.Stats().Total)
	}
}

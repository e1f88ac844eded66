//go:build e2e

package e2e

import (
	"testing"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
)

// TestSIGTERMIsPrompt: SIGTERM ends the collector within 10 s, cleanly, even
// while its requests hang (an API that accepted the connection and never
// answers) or while its streams wait out a long back-off. The request
// timeout and the back-off are far longer than the test, so only
// cancellation can end them.
func TestSIGTERMIsPrompt(t *testing.T) {
	cases := []struct {
		name     string
		receiver map[string]any
		// stall makes the drained collector wait; waiting reports when it does.
		stall   func(*simEnv) error
		waiting func(*simEnv) bool
	}{
		{
			name:     "hanging requests",
			receiver: map[string]any{"timeout": "10m"},
			stall:    func(e *simEnv) error { return e.sim.SetDelay(5 * time.Minute) },
			waiting:  func(e *simEnv) bool { return e.sim.Stats().InFlight >= 3 },
		},
		{
			name: "back-off waits",
			receiver: map[string]any{"retry_on_failure": map[string]any{
				"enabled": true, "initial_interval": "5m", "max_interval": "10m",
			}},
			stall: func(e *simEnv) error {
				return e.sim.Inject5xx(simulator.ServerErrorFault{Burst: simulator.Burst{Count: 1000}, Status: 503})
			},
			// One 503 per stream: each stream now sleeps for minutes.
			waiting: func(e *simEnv) bool { return 1000-e.sim.FaultState().ServerErrors.Count >= 3 },
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := startSim(t, simulator.Config{Seed: 19})
			env.addEvents(t, 100)
			start := time.Now().Add(-2 * time.Hour).UTC().Truncate(time.Second)
			sink := newSink(t, false)
			rc := map[string]any{"start_time": start.Format(time.RFC3339)}
			for k, v := range tc.receiver {
				rc[k] = v
			}
			c := newCollector(t, collectorConfig{SimURL: env.url, SinkURL: sink.URL(), Receiver: rc}, env.token)
			c.start()
			waitDelivered(t, c, sink, env.readReference(t, "v2", start, false), time.Minute)

			if err := tc.stall(env); err != nil {
				t.Fatal(err)
			}
			if !waitFor(30*time.Second, 50*time.Millisecond, func() bool { return tc.waiting(env) }) {
				t.Fatalf("the streams did not reach the stalled state within 30 s")
			}
			time.Sleep(200 * time.Millisecond) // let the last stream enter its wait
			began := time.Now()
			err := c.stop() // fails the test unless it exits within 10 s
			t.Logf("RESULT sigterm: case=%q exit_after=%s", tc.name, time.Since(began).Round(time.Millisecond))
			if err != nil {
				t.Errorf("exit after SIGTERM was not clean: %v", err)
			}
		})
	}
}

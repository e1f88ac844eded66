//go:build e2e

package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
)

// faultPhase is one fault the simulator serves during the drain.
type faultPhase struct {
	name   string
	inject func(t *testing.T, e *simEnv)
	// served reports that the fault was used up (nil: the phase is timed).
	served func(s simulator.FaultState) bool
}

// TestFaultsLoseNothing: the API misbehaves in every documented way during a
// drain with late events — 429 bursts with Retry-After in seconds and as an
// HTTP date, 5xx bursts, slow answers, rejected cursors (400), malformed and
// truncated bodies. Nothing may be lost; no request may follow a 429 before
// its Retry-After (requests already in flight excepted); no failed request is
// repeated sooner than 100 ms; and the request count stays bounded, so
// nothing retried in a loop.
func TestFaultsLoseNothing(t *testing.T) {
	const (
		perStream    = 6000
		pageSize     = 100
		pollInterval = time.Second
		rejects      = 2
	)
	env := startSim(t, simulator.Config{Seed: 29})
	env.addEvents(t, perStream)
	start := time.Now().Add(-2 * time.Hour).UTC().Truncate(time.Second)
	sink := newSink(t, false)
	c := newCollector(t, collectorConfig{
		SimURL:  env.url,
		SinkURL: sink.URL(),
		Receiver: map[string]any{
			"page_size":  pageSize,
			"start_time": start.Format(time.RFC3339),
			// A rejected cursor restarts this far before the newest
			// delivered event; 3 h covers the whole test window, so the
			// restart can lose nothing that the test added.
			"cursor_reset_overlap": "3h",
			"dedup_capacity":       100000,
		},
	}, env.token)

	// A 429 must pause every stream at once, also when it answers a request
	// sent ahead while its stream's previous page is still being exported.
	// During the first two phases the sink is slow for sign-in pages only,
	// so the sign-in stream meets its 429 mid-export while the two other
	// streams keep requesting.
	slowStream := eventNameOf[simulator.StreamSignInAttempts]
	announced := []announced429{
		{simulator.RetryAfterSeconds, 2},
		{simulator.RetryAfterDate, 3},
		{simulator.RetryAfterSeconds, 1}, {simulator.RetryAfterSeconds, 1},
	}
	one429 := func(mode simulator.RetryAfterMode, seconds int) func(*testing.T, *simEnv) {
		return func(t *testing.T, e *simEnv) {
			// Fresh events keep the two fast streams requesting meanwhile.
			for _, st := range []string{simulator.StreamAuditEvents, simulator.StreamItemUsages} {
				must(t, e.sim.AddEvents(e.account, st, 1500, simulator.GenOptions{}))
			}
			before := sink.CountOf(slowStream)
			sink.SlowDown(slowStream, time.Second)
			// The sink counts an export before it delays its answer: once the
			// count moves, a sign-in page is being exported for a second, and
			// the stream's next request is the one it sends ahead.
			if !waitFor(30*time.Second, 5*time.Millisecond, func() bool { return sink.CountOf(slowStream) > before }) {
				t.Fatal("no sign-in export within 30 s")
			}
			must(t, e.sim.Inject429(simulator.TooManyRequestsFault{
				Burst:      simulator.Burst{Count: 1, Path: simulator.StreamSignInAttempts},
				RetryAfter: mode, Seconds: seconds,
			}))
			if !waitFor(30*time.Second, 10*time.Millisecond, func() bool { return e.sim.FaultState().TooManyRequests.Count == 0 }) {
				t.Fatal("the sign-in stream did not meet its 429 within 30 s")
			}
			time.Sleep(time.Duration(seconds) * time.Second)
			sink.SlowDown(slowStream, 0)
		}
	}
	burst := func(n int) simulator.Burst { return simulator.Burst{Count: n} }
	phases := []faultPhase{
		{name: "429 with Retry-After in seconds, slow sign-in export", inject: one429(simulator.RetryAfterSeconds, 2)},
		{name: "429 with Retry-After as an HTTP date, slow sign-in export", inject: one429(simulator.RetryAfterDate, 3)},
		{
			name: "429 burst on any stream",
			inject: func(t *testing.T, e *simEnv) {
				must(t, e.sim.Inject429(simulator.TooManyRequestsFault{Burst: burst(2), RetryAfter: simulator.RetryAfterSeconds, Seconds: 1}))
			},
			served: func(s simulator.FaultState) bool { return s.TooManyRequests.Count == 0 },
		},
		{
			name: "500 burst",
			inject: func(t *testing.T, e *simEnv) {
				must(t, e.sim.Inject5xx(simulator.ServerErrorFault{Burst: burst(3), Status: 500}))
			},
			served: func(s simulator.FaultState) bool { return s.ServerErrors.Count == 0 },
		},
		{
			name: "503 burst",
			inject: func(t *testing.T, e *simEnv) {
				must(t, e.sim.Inject5xx(simulator.ServerErrorFault{Burst: burst(3), Status: 503}))
			},
			served: func(s simulator.FaultState) bool { return s.ServerErrors.Count == 0 },
		},
		{
			name: "slow answers",
			inject: func(t *testing.T, e *simEnv) {
				must(t, e.sim.SetDelay(700*time.Millisecond))
				time.Sleep(3 * time.Second)
				must(t, e.sim.SetDelay(0))
			},
		},
		{
			name: "late and new events",
			inject: func(t *testing.T, e *simEnv) {
				e.addLate(t, 200, 20*time.Minute)
				e.addEvents(t, 1000)
			},
		},
		{
			name:   "rejected cursors",
			inject: func(t *testing.T, e *simEnv) { must(t, e.sim.RejectNextCursors(rejects)) },
			served: func(s simulator.FaultState) bool { return s.RejectCursors.Count == 0 },
		},
		{
			name:   "malformed bodies",
			inject: func(t *testing.T, e *simEnv) { must(t, e.sim.MalformNextBodies(2)) },
			served: func(s simulator.FaultState) bool { return s.MalformBodies.Count == 0 },
		},
		{
			name:   "truncated bodies",
			inject: func(t *testing.T, e *simEnv) { must(t, e.sim.TruncateNextBodies(2)) },
			served: func(s simulator.FaultState) bool { return s.TruncateBodies.Count == 0 },
		},
	}

	began := time.Now()
	c.start()
	if !waitFor(time.Minute, 10*time.Millisecond, func() bool { return !c.alive() || sink.Stats().Total >= perStream/4 }) || !c.alive() {
		t.Fatalf("the drain did not get going (alive: %v, records: %d)", c.alive(), sink.Stats().Total)
	}
	for _, ph := range phases {
		at := time.Now()
		ph.inject(t, env)
		if ph.served != nil && !waitFor(time.Minute, 20*time.Millisecond, func() bool { return !c.alive() || ph.served(env.sim.FaultState()) }) {
			t.Fatalf("phase %q: the fault was not used up within a minute", ph.name)
		}
		if !c.alive() {
			t.Fatalf("phase %q: the collector exited: %v", ph.name, c.current().Err())
		}
		t.Logf("phase %q done after %s (%d records so far)", ph.name, time.Since(at).Round(time.Millisecond), sink.Stats().Total)
	}
	waitStored(t, c, sink, env, 3*time.Minute)
	waitPolls(t, c, 2, time.Minute) // repeats still on their way arrive before two idle polls
	elapsed := time.Since(began)
	// The request log first: the reference reader below adds to it.
	log := apiRequests(env.sim.RequestLog())
	if err := c.stop(); err != nil {
		t.Errorf("exit after SIGTERM was not clean: %v", err)
	}

	env.sim.ClearFaults()
	want := env.readReference(t, "v2", start, false)
	d := compareDelivery(want, sink.Received())

	statuses := statusCounts(log)
	violations, err := retryAfterViolations(log, announced)
	if err != nil {
		t.Fatalf("matching 429s: %v", err)
	}
	early := earlyRetries(log, 100*time.Millisecond)
	// Pages a correct receiver needs: each stream once, and again after
	// each rejected cursor (the restart reads back up to the whole stream);
	// plus one idle poll per stream and poll interval.
	pages := 0
	for _, n := range env.storedByEvent() {
		pages += (n + pageSize - 1) / pageSize * (1 + rejects)
	}
	idle := len(simulator.Streams) * (int(elapsed/pollInterval) + 2)
	bound := 3*(pages+idle) + 20
	t.Logf("RESULT faults: events=%d requests=%d ok_answers=%d bound=%d 429=%d 5xx=%d 400=%d malformed=2 truncated=2 retry_after_violations=%d early_retries=%d missing=%d duplicates=%d elapsed=%s",
		d.Expected, len(log), statuses[http.StatusOK], bound, statuses[429], statuses[500]+statuses[503], statuses[400],
		len(violations), len(early), d.Missing, d.Duplicates, elapsed.Round(time.Millisecond))

	if d.Missing != 0 || d.Unexpected != 0 {
		t.Errorf("delivery: %s", d)
	}
	if len(violations) > 0 {
		t.Errorf("%d requests did not wait for Retry-After:\n  %s", len(violations), strings.Join(violations, "\n  "))
	}
	if len(early) > 0 {
		t.Errorf("%d failed requests were repeated sooner than 100 ms:\n  %s", len(early), strings.Join(early, "\n  "))
	}
	if len(log) > bound {
		t.Errorf("%d requests for %d events; at most %d expected: something retried in a loop", len(log), d.Expected, bound)
	}
	if statuses[429] != 4 || statuses[500] != 3 || statuses[503] != 3 || statuses[400] != rejects {
		t.Errorf("the log does not show the injected faults exactly: %v", statuses)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

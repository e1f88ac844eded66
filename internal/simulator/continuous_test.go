package simulator

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestContinuousGenerator(t *testing.T) {
	sim := New(Config{
		RateLimit: &RateLimitConfig{},
		Continuous: ContinuousConfig{
			EventsPerSecond: 400,
			LateFraction:    0.25,
			LateMaxAge:      10 * time.Minute,
			Interval:        10 * time.Millisecond,
		},
	})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	acct := sim.Accounts()[0]
	require.Eventually(t, func() bool {
		for _, st := range Streams {
			if sim.Stored(acct, st) < 60 {
				return false
			}
		}
		return true
	}, 10*time.Second, 10*time.Millisecond)
	sim.Close()
	n := sim.Stored(acct, StreamItemUsages)
	time.Sleep(50 * time.Millisecond)
	assert.Equal(t, n, sim.Stored(acct, StreamItemUsages), "Close stops the generator")

	// some events arrived late: behind events inserted before them
	h := &harness{t: t, sim: sim, srv: srv, token: sim.Tokens(acct)[0], acct: acct}
	p := h.fetch("/api/v2/itemusages", `{"limit":1000}`)
	require.NotEmpty(t, p.Items)
	late := 0
	var newest time.Time
	for _, ts := range p.timestamps(t) {
		if ts.Before(newest.Add(-time.Minute)) {
			late++
		}
		if ts.After(newest) {
			newest = ts
		}
	}
	assert.Positive(t, late, "late arrivals are interleaved in insertion order")
	assert.Less(t, late, len(p.Items)/2)
}

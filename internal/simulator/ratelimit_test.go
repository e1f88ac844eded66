package simulator

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSlidingWindow(t *testing.T) {
	type step struct {
		at       time.Duration // since t0
		allowed  bool
		wantWait time.Duration // when refused
	}
	tests := []struct {
		name  string
		limit RateLimitConfig
		steps []step
	}{
		{"per minute", RateLimitConfig{RequestsPerMinute: 3}, []step{
			{0, true, 0}, {10 * time.Second, true, 0}, {20 * time.Second, true, 0},
			{30 * time.Second, false, 30 * time.Second},
			{59 * time.Second, false, time.Second},
			{60 * time.Second, true, 0}, // the request at t0 left the window (now-1m, now]
			{61 * time.Second, false, 9 * time.Second},
		}},
		{"sliding, not a fixed bucket", RateLimitConfig{RequestsPerMinute: 3}, []step{
			{50 * time.Second, true, 0}, {55 * time.Second, true, 0}, {59 * time.Second, true, 0},
			// a fixed one-minute bucket would reset here and allow a double burst
			{61 * time.Second, false, 49 * time.Second},
			{110 * time.Second, true, 0},
		}},
		{"per hour", RateLimitConfig{RequestsPerHour: 2}, []step{
			{0, true, 0}, {10 * time.Minute, true, 0},
			{30 * time.Minute, false, 30 * time.Minute},
			{time.Hour, true, 0},
			{time.Hour + time.Second, false, 10*time.Minute - time.Second},
		}},
		{"both windows, the longer wait wins", RateLimitConfig{RequestsPerMinute: 2, RequestsPerHour: 3}, []step{
			{0, true, 0}, {time.Second, true, 0},
			{2 * time.Second, false, 58 * time.Second},
			{2 * time.Minute, true, 0},
			{3 * time.Minute, false, 57 * time.Minute},
		}},
		{"disabled", RateLimitConfig{}, []step{{0, true, 0}, {0, true, 0}, {0, true, 0}, {0, true, 0}}},
		{"refused requests do not count", RateLimitConfig{RequestsPerMinute: 1}, []step{
			{0, true, 0}, {30 * time.Second, false, 30 * time.Second}, {59 * time.Second, false, time.Second},
			{60 * time.Second, true, 0},
		}},
	}
	t0 := testEpoch
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var w slidingWindow
			for i, s := range tc.steps {
				ok, wait := w.allow(t0.Add(s.at), tc.limit)
				require.Equal(t, s.allowed, ok, "step %d at %v", i, s.at)
				if !ok {
					assert.Equal(t, s.wantWait, wait, "step %d at %v", i, s.at)
				}
			}
		})
	}
}

func TestRetryAfterSeconds(t *testing.T) {
	for d, want := range map[time.Duration]int{
		time.Nanosecond: 1, time.Second: 1, time.Second + time.Millisecond: 2, 30 * time.Minute: 1800, 0: 1,
	} {
		assert.Equal(t, want, retryAfterSeconds(d), d.String())
	}
}

func TestRateLimitOverHTTP(t *testing.T) {
	other := "ZZZZZZZZZZZZZZZZZZZZZZZZZY"
	h := newHarness(t, Config{
		Accounts:  []AccountConfig{{}, {UUID: other}},
		RateLimit: &RateLimitConfig{RequestsPerMinute: 3, RequestsPerHour: 5},
	})
	// the budget is per account, shared by every stream and introspection
	assert.Equal(t, 200, h.post("/api/v2/auditevents", `{}`).status)
	assert.Equal(t, 200, h.post("/api/v1/itemusages", `{}`).status)
	h.clock.Advance(10 * time.Second)
	assert.Equal(t, 200, h.do(http.MethodGet, "/api/v2/auth/introspect", h.token, "").status)

	r := h.post("/api/v2/signinattempts", `{}`)
	require.Equal(t, http.StatusTooManyRequests, r.status)
	assert.Equal(t, errTooManyBody, string(r.body))
	assert.Equal(t, "50", r.header.Get("Retry-After"), "the first request frees its slot 60s after it was made")

	// another account has its own budget
	assert.Equal(t, 200, h.do(http.MethodPost, "/api/v2/signinattempts", h.sim.Tokens(other)[0], `{}`).status)

	h.clock.Advance(50 * time.Second)
	assert.Equal(t, 200, h.post("/api/v2/signinattempts", `{}`).status)
	h.clock.Advance(time.Minute)
	assert.Equal(t, 200, h.post("/api/v2/signinattempts", `{}`).status)
	// five requests within the hour: the hour window is full
	r = h.post("/api/v2/signinattempts", `{}`)
	require.Equal(t, http.StatusTooManyRequests, r.status)
	assert.Equal(t, "3480", r.header.Get("Retry-After"), "the first request leaves the hour at t0+1h; now is t0+2m")

	// unauthenticated requests get 401 and do not consume the budget
	assert.Equal(t, 401, h.do(http.MethodPost, "/api/v2/signinattempts", "bad", `{}`).status)

	// switched off at runtime
	require.NoError(t, h.sim.SetRateLimit(RateLimitConfig{}))
	for i := 0; i < 20; i++ {
		require.Equal(t, 200, h.post("/api/v2/signinattempts", `{}`).status)
	}

	st := h.sim.Stats()
	assert.Equal(t, 2, st.TooManyRequests)
	log := h.sim.RequestLog()
	require.NotEmpty(t, log)
	assert.Equal(t, testEpoch, log[0].Time, "the request log uses the injected clock")
	assert.Equal(t, h.acct, log[0].Account)
	assert.Equal(t, "/api/v2/auditevents", log[0].Path)
	assert.Equal(t, 200, log[0].Status)
}

func TestDefaultRateLimits(t *testing.T) {
	sim := New(Config{})
	defer sim.Close()
	assert.Equal(t, RateLimitConfig{RequestsPerMinute: 600, RequestsPerHour: 30000}, *sim.Config().RateLimit)
	assert.Equal(t, RateLimitConfig{RequestsPerMinute: 600, RequestsPerHour: 30000}, sim.FaultState().RateLimit)

	// 600 requests in a minute pass, the 601st does not
	clock := newFakeClock(testEpoch)
	h := newHarness(t, Config{Now: clock.Now, RateLimit: &RateLimitConfig{RequestsPerMinute: 600, RequestsPerHour: 30000}})
	for i := 0; i < 600; i++ {
		clock.Advance(50 * time.Millisecond)
		require.Equal(t, 200, h.do(http.MethodGet, "/api/v2/auth/introspect", h.token, "").status, "request %d", i)
	}
	r := h.do(http.MethodGet, "/api/v2/auth/introspect", h.token, "")
	assert.Equal(t, http.StatusTooManyRequests, r.status)
	assert.Equal(t, "31", r.header.Get("Retry-After"))
}

func TestRequestLogIsBounded(t *testing.T) {
	h := newHarness(t, Config{RequestLogSize: 5})
	for i := 0; i < 12; i++ {
		h.clock.Advance(time.Second)
		h.post("/api/v2/itemusages", `{}`)
	}
	log := h.sim.RequestLog()
	require.Len(t, log, 5)
	assert.Equal(t, testEpoch.Add(8*time.Second), log[0].Time, "oldest kept first")
	assert.Equal(t, testEpoch.Add(12*time.Second), log[4].Time)
	assert.Equal(t, 12, h.sim.Stats().Requests["/api/v2/itemusages"][200])
}

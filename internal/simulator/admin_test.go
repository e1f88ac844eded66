package simulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func (h *harness) admin(method, path, body string, out any) int {
	h.t.Helper()
	r := h.do(method, path, "", body)
	if out != nil && r.status == http.StatusOK {
		require.NoError(h.t, json.Unmarshal(r.body, out), "%s", r.body)
	}
	return r.status
}

func TestAdminRoundTrip(t *testing.T) {
	h := newHarness(t, Config{})

	// generate events
	var ev EventsResponse
	require.Equal(t, 200, h.admin("POST", "/_sim/events", `{"stream":"itemusages","count":25,"seed":5}`, &ev))
	assert.Equal(t, 25, ev.Added)
	assert.Equal(t, map[string]int{"auditevents": 0, "itemusages": 25, "signinattempts": 0}, ev.Stored)
	require.Equal(t, 200, h.admin("POST", "/_sim/events", `{"count":4,"start":"`+rfc(testEpoch.Add(-10*time.Minute))+`","step":"1m"}`, &ev))
	assert.Equal(t, 12, ev.Added)
	assert.Equal(t, map[string]int{"auditevents": 4, "itemusages": 29, "signinattempts": 4}, ev.Stored)

	uuids, cur, _ := h.drain("/api/v2/itemusages", `{"limit":10}`)
	assert.Len(t, uuids, 29)

	// late events, then raw items
	require.Equal(t, 200, h.admin("POST", "/_sim/events", `{"stream":"itemusages","count":2,"late_age":"20m"}`, &ev))
	require.Equal(t, 200, h.admin("POST", "/_sim/events", `{"stream":"itemusages","items":[{"uuid":"RAW1","timestamp":"`+rfc(testEpoch.Add(-time.Minute))+`"}]}`, &ev))
	assert.Equal(t, 32, ev.Stored["itemusages"])
	p := h.fetch("/api/v2/itemusages", cursorBody(cur))
	require.Len(t, p.Items, 3)
	assert.JSONEq(t, `{"uuid":"RAW1","timestamp":"`+rfc(testEpoch.Add(-time.Minute))+`"}`, string(p.Items[2]))

	// faults
	var fs FaultState
	require.Equal(t, 200, h.admin("POST", "/_sim/faults", `{
		"too_many_requests": {"count": 1, "retry_after": "date", "seconds": 3},
		"server_errors": {"count": 1, "status": 503, "path": "signinattempts"},
		"reject_cursors": {"count": 1},
		"delay": "5ms",
		"rate_limit": {"requests_per_minute": 1000, "requests_per_hour": 0},
		"error_shape": "documented"
	}`, &fs))
	assert.Equal(t, 1, fs.TooManyRequests.Count)
	assert.Equal(t, RetryAfterDate, fs.TooManyRequests.RetryAfter)
	assert.Equal(t, 503, fs.ServerErrors.Status)
	assert.Equal(t, "signinattempts", fs.ServerErrors.Path)
	assert.Equal(t, Duration(5*time.Millisecond), fs.Delay)
	assert.Equal(t, RateLimitConfig{RequestsPerMinute: 1000}, fs.RateLimit)
	assert.Equal(t, "documented", fs.ErrorShape)

	r := h.post("/api/v2/signinattempts", `{}`)
	assert.Equal(t, http.StatusTooManyRequests, r.status)
	assert.JSONEq(t, `{"status":429,"message":"Too Many Requests"}`, string(r.body))
	assert.Equal(t, http.StatusServiceUnavailable, h.post("/api/v2/signinattempts", `{}`).status)
	assert.Equal(t, http.StatusBadRequest, h.post("/api/v2/itemusages", cursorBody(cur)).status)
	assert.Equal(t, http.StatusOK, h.post("/api/v2/itemusages", cursorBody(cur)).status)

	require.Equal(t, 200, h.admin("GET", "/_sim/faults", "", &fs))
	assert.Zero(t, fs.TooManyRequests.Count)
	assert.Zero(t, fs.ServerErrors.Count)
	assert.Zero(t, fs.RejectCursors.Count)

	// stats, with and without the request log
	var st Stats
	require.Equal(t, 200, h.admin("GET", "/_sim/stats", "", &st))
	assert.Equal(t, 1, st.TooManyRequests)
	assert.Equal(t, 1, st.Requests["/api/v2/signinattempts"][503])
	assert.Equal(t, 1, st.Requests["/api/v2/itemusages"][400])
	assert.Equal(t, 32, st.EventsStored[h.acct]["itemusages"])
	assert.Equal(t, 32+3, st.EventsServed[h.acct]["itemusages"], "29 + 3 delivered, then the same 3 again")
	assert.Equal(t, []string{h.acct}, st.Accounts)
	assert.Empty(t, st.RequestLog)
	assert.NotContains(t, st.Requests, "/_sim/stats", "admin calls are not API traffic")
	require.Equal(t, 200, h.admin("GET", "/_sim/stats?log=1", "", &st))
	assert.NotEmpty(t, st.RequestLog)

	// reset clears faults and, on request, the stats
	var cleared FaultState
	require.Equal(t, 200, h.admin("POST", "/_sim/reset", `{"stats":true}`, &cleared))
	assert.Equal(t, FaultState{RateLimit: RateLimitConfig{}, ErrorShape: "observed"}, cleared)
	var zero Stats
	require.Equal(t, 200, h.admin("GET", "/_sim/stats", "", &zero))
	assert.Empty(t, zero.Requests)
	assert.Zero(t, zero.EventsServed[h.acct]["itemusages"])
	assert.Equal(t, 32, zero.EventsStored[h.acct]["itemusages"], "events stay")
	require.Equal(t, 200, h.admin("POST", "/_sim/reset", "", nil), "the reset body is optional")
}

func TestAdminErrors(t *testing.T) {
	h := newHarness(t, Config{})
	tests := []struct {
		method, path, body string
		want               int
	}{
		{"POST", "/_sim/faults", `{`, 400},
		{"POST", "/_sim/faults", `{"server_errors":{"count":1,"status":418}}`, 400},
		{"POST", "/_sim/faults", `{"too_many_requests":{"count":1,"retry_after":"later"}}`, 400},
		{"POST", "/_sim/faults", `{"delay":"soon"}`, 400},
		{"POST", "/_sim/faults", `{"error_shape":"other"}`, 400},
		{"POST", "/_sim/faults", `{"rate_limit":{"requests_per_minute":-1}}`, 400},
		{"POST", "/_sim/faults", `{"delay":250}`, 200},
		{"POST", "/_sim/events", `{"stream":"nope","count":1}`, 400},
		{"POST", "/_sim/events", `{"account":"NOPE","count":1}`, 400},
		{"POST", "/_sim/events", `{"stream":"itemusages","count":1,"late_age":"-1m"}`, 400},
		{"POST", "/_sim/events", `{"stream":"itemusages","items":[1]}`, 400},
		{"POST", "/_sim/events", ``, 400},
		{"GET", "/_sim/events", ``, 404},
		{"GET", "/_sim/nothing", ``, 404},
		{"POST", "/_sim/reset", `[`, 400},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path+" "+tc.body, func(t *testing.T) {
			r := h.do(tc.method, tc.path, "", tc.body)
			assert.Equal(t, tc.want, r.status, "%s", r.body)
			assert.True(t, json.Valid(r.body))
		})
	}
	assert.Equal(t, Duration(250*time.Millisecond), h.sim.FaultState().Delay, "a bare number is milliseconds")
}

func TestAdminOnlyOnLoopback(t *testing.T) {
	sim := New(Config{})
	defer sim.Close()
	for _, tc := range []struct {
		remote string
		want   int
	}{
		{"192.0.2.1:1234", http.StatusForbidden},
		{"[2001:db8::1]:1234", http.StatusForbidden},
		{"127.0.0.1:1234", http.StatusOK},
		{"127.8.9.10:1234", http.StatusOK},
		{"[::1]:1234", http.StatusOK},
	} {
		req := httptest.NewRequest(http.MethodGet, "/_sim/stats", nil)
		req.RemoteAddr = tc.remote
		rec := httptest.NewRecorder()
		sim.ServeHTTP(rec, req)
		assert.Equal(t, tc.want, rec.Code, tc.remote)
	}

	open := New(Config{AllowRemoteAdmin: true})
	defer open.Close()
	req := httptest.NewRequest(http.MethodPost, "/_sim/reset", bytes.NewReader(nil))
	req.RemoteAddr = "192.0.2.1:1234"
	rec := httptest.NewRecorder()
	open.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusOK, rec.Code)
}

// TestAdminJSONKeys pins the wire names a separate test process relies on.
func TestAdminJSONKeys(t *testing.T) {
	h := newHarness(t, Config{})
	keys := func(path string) []string {
		r := h.do("GET", path, "", "")
		require.Equal(t, 200, r.status)
		var m map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(r.body, &m))
		var out []string
		for k := range m {
			out = append(out, k)
		}
		return out
	}
	h.post("/api/v2/itemusages", `{}`)
	assert.ElementsMatch(t, []string{"requests", "too_many_requests", "events_served", "events_stored", "accounts", "in_flight", "request_log"}, keys("/_sim/stats?log=1"))
	assert.ElementsMatch(t, []string{"too_many_requests", "server_errors", "delay", "reject_cursors", "truncate_bodies",
		"malform_bodies", "empty_without_cursor", "unauthorized", "rate_limit", "error_shape"}, keys("/_sim/faults"))
}

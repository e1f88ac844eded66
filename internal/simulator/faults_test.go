package simulator

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInjected429(t *testing.T) {
	tests := []struct {
		name  string
		fault TooManyRequestsFault
		check func(t *testing.T, hdr http.Header)
	}{
		{"retry-after in seconds", TooManyRequestsFault{Burst: Burst{Count: 2}, Seconds: 7}, func(t *testing.T, hdr http.Header) {
			assert.Equal(t, "7", hdr.Get("Retry-After"))
			assert.Empty(t, hdr.Get("RateLimit-Reset"))
		}},
		{"default is one second", TooManyRequestsFault{Burst: Burst{Count: 2}}, func(t *testing.T, hdr http.Header) {
			assert.Equal(t, "1", hdr.Get("Retry-After"))
		}},
		{"retry-after as HTTP date", TooManyRequestsFault{Burst: Burst{Count: 2}, RetryAfter: RetryAfterDate, Seconds: 90}, func(t *testing.T, hdr http.Header) {
			at, err := http.ParseTime(hdr.Get("Retry-After"))
			require.NoError(t, err)
			assert.Equal(t, testEpoch.Add(90*time.Second), at)
		}},
		{"no retry-after", TooManyRequestsFault{Burst: Burst{Count: 2}, RetryAfter: RetryAfterNone}, func(t *testing.T, hdr http.Header) {
			assert.NotContains(t, hdr, "Retry-After")
		}},
		{"with RateLimit headers", TooManyRequestsFault{Burst: Burst{Count: 2}, Seconds: 4, RateLimitHeaders: true}, func(t *testing.T, hdr http.Header) {
			assert.Equal(t, "600", hdr.Get("RateLimit-Limit"))
			assert.Equal(t, "0", hdr.Get("RateLimit-Remaining"))
			assert.Equal(t, "4", hdr.Get("RateLimit-Reset"))
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, Config{})
			require.NoError(t, h.sim.Inject429(tc.fault))
			for i := 0; i < 2; i++ {
				r := h.post("/api/v2/auditevents", `{}`)
				require.Equal(t, http.StatusTooManyRequests, r.status)
				assert.JSONEq(t, `{"Error":{"Message":"Too Many Requests"}}`, string(r.body))
				tc.check(t, r.header)
			}
			assert.Equal(t, http.StatusOK, h.post("/api/v2/auditevents", `{}`).status, "the burst is over")
			assert.Equal(t, 2, h.sim.Stats().TooManyRequests)
		})
	}
}

func TestInjected5xx(t *testing.T) {
	for _, status := range []int{500, 502, 503, 504} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			h := newHarness(t, Config{})
			require.NoError(t, h.sim.Inject5xx(ServerErrorFault{Burst: Burst{Count: 3}, Status: status}))
			for i := 0; i < 3; i++ {
				r := h.post("/api/v1/signinattempts", `{}`)
				require.Equal(t, status, r.status)
				assert.JSONEq(t, `{"Error":{"Message":"`+http.StatusText(status)+`"}}`, string(r.body))
			}
			assert.Equal(t, http.StatusOK, h.post("/api/v1/signinattempts", `{}`).status)
			assert.Equal(t, 0, h.sim.FaultState().ServerErrors.Count)
		})
	}
	h := newHarness(t, Config{})
	assert.Error(t, h.sim.Inject5xx(ServerErrorFault{Burst: Burst{Count: 1}, Status: 418}))
	assert.Error(t, h.sim.Inject5xx(ServerErrorFault{Burst: Burst{Count: -1}}))
}

func TestUnauthorizedBurst(t *testing.T) {
	h := newHarness(t, Config{})
	require.NoError(t, h.sim.Inject401(Burst{Count: 2, Path: "itemusages"}))
	assert.Equal(t, http.StatusOK, h.post("/api/v2/signinattempts", `{}`).status, "another stream is not hit")
	for i := 0; i < 2; i++ {
		r := h.post("/api/v2/itemusages", `{}`)
		require.Equal(t, http.StatusUnauthorized, r.status)
		assert.JSONEq(t, `{"Error":{"Message":"Unauthorized"}}`, string(r.body))
	}
	assert.Equal(t, http.StatusOK, h.post("/api/v2/itemusages", `{}`).status, "the token works again")
	assert.Equal(t, 0, h.sim.FaultState().Unauthorized.Count)
	assert.Error(t, h.sim.Inject401(Burst{Count: -1}))
}

func TestFaultPathScope(t *testing.T) {
	tests := []struct {
		name     string
		path     string
		hit, not []string // request paths that get / do not get the fault
	}{
		{"exact path", "/api/v2/auth/introspect", []string{"/api/v2/auth/introspect"}, []string{"/api/v2/itemusages", "/api/auth/introspect"}},
		{"stream name covers both versions", "itemusages", []string{"/api/v1/itemusages", "/api/v2/itemusages"}, []string{"/api/v2/signinattempts", "/api/v2/auth/introspect"}},
		{"empty path covers introspection", "", []string{"/api/auth/introspect", "/api/v2/auditevents"}, nil},
	}
	call := func(h *harness, p string) response {
		if strings.HasSuffix(p, "introspect") {
			return h.do(http.MethodGet, p, h.token, "")
		}
		return h.post(p, `{}`)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, Config{})
			require.NoError(t, h.sim.Inject5xx(ServerErrorFault{Burst: Burst{Count: 100, Path: tc.path}}))
			for _, p := range tc.hit {
				assert.Equal(t, http.StatusInternalServerError, call(h, p).status, p)
			}
			for _, p := range tc.not {
				assert.Equal(t, http.StatusOK, call(h, p).status, p)
			}
		})
	}
}

func TestSlowAnswers(t *testing.T) {
	h := newHarness(t, Config{})
	require.NoError(t, h.sim.SetDelay(150*time.Millisecond))
	start := time.Now()
	assert.Equal(t, http.StatusOK, h.post("/api/v2/itemusages", `{}`).status)
	assert.GreaterOrEqual(t, time.Since(start), 150*time.Millisecond)

	// a client that gives up ends the handler: no answer, recorded as 499
	require.NoError(t, h.sim.SetDelay(time.Minute))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.srv.URL+"/api/v2/itemusages", strings.NewReader(`{}`))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+h.token)
	resp, err := h.srv.Client().Do(req)
	if resp != nil {
		resp.Body.Close()
	}
	require.Error(t, err)
	require.Eventually(t, func() bool {
		return h.sim.Stats().Requests["/api/v2/itemusages"][499] == 1
	}, 5*time.Second, 10*time.Millisecond)

	require.NoError(t, h.sim.SetDelay(0))
	assert.Equal(t, http.StatusOK, h.post("/api/v2/itemusages", `{}`).status)
}

func TestCloseReleasesDelayedRequests(t *testing.T) {
	sim := New(Config{})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	require.NoError(t, sim.SetDelay(time.Hour))
	tok := sim.Tokens(sim.Accounts()[0])[0]
	got := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v2/auditevents", strings.NewReader(`{}`))
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := srv.Client().Do(req)
		if err != nil {
			got <- 0
			return
		}
		_ = resp.Body.Close()
		got <- resp.StatusCode
	}()
	require.Eventually(t, func() bool { return sim.Stats().InFlight == 1 }, 5*time.Second, 5*time.Millisecond)
	sim.Close()
	select {
	case code := <-got:
		assert.Equal(t, http.StatusServiceUnavailable, code)
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not release the delayed request")
	}
}

func TestRejectNextCursors(t *testing.T) {
	h := newHarness(t, Config{})
	require.NoError(t, h.sim.AddEvents("", StreamItemUsages, 30, GenOptions{}))
	p := h.fetch("/api/v2/itemusages", `{"limit":10}`)
	require.NoError(t, h.sim.RejectNextCursors(2))
	// resets are not continuing cursors: they pass and leave the count alone
	assert.Equal(t, http.StatusOK, h.post("/api/v2/itemusages", `{"limit":10}`).status)
	for i := 0; i < 2; i++ {
		r := h.post("/api/v2/itemusages", cursorBody(p.cursor()))
		assert.Equal(t, http.StatusBadRequest, r.status)
		assert.Equal(t, errBadRequestBody, string(r.body))
	}
	next := h.fetch("/api/v2/itemusages", cursorBody(p.cursor()))
	assert.Len(t, next.Items, 10)
}

func TestTruncatedBodies(t *testing.T) {
	h := newHarness(t, Config{})
	require.NoError(t, h.sim.AddEvents("", StreamAuditEvents, 50, GenOptions{}))
	require.NoError(t, h.sim.TruncateNextBodies(1))
	req, err := http.NewRequest(http.MethodPost, h.srv.URL+"/api/v2/auditevents", strings.NewReader(`{}`))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+h.token)
	resp, err := h.srv.Client().Do(req)
	require.NoError(t, err, "the headers arrive")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	_, err = io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF, "the body stops short of its Content-Length")
	assert.Equal(t, 0, h.sim.Served(h.acct, StreamAuditEvents), "a broken page does not count as served")

	p := h.fetch("/api/v2/auditevents", `{}`)
	assert.Len(t, p.Items, 50)
}

func TestMalformedBodies(t *testing.T) {
	h := newHarness(t, Config{})
	require.NoError(t, h.sim.AddEvents("", StreamSignInAttempts, 20, GenOptions{}))
	require.NoError(t, h.sim.MalformNextBodies(2))
	for i := 0; i < 2; i++ {
		r := h.post("/api/v1/signinattempts", `{}`)
		assert.Equal(t, http.StatusOK, r.status)
		assert.Equal(t, "application/json; charset=utf-8", r.header.Get("Content-Type"))
		assert.False(t, json.Valid(r.body), "body must not parse")
		assert.True(t, strings.HasPrefix(string(r.body), `{"cursor":"`))
	}
	// the introspection answer can be broken too
	require.NoError(t, h.sim.MalformNextBodies(1))
	assert.False(t, json.Valid(h.do(http.MethodGet, "/api/v2/auth/introspect", h.token, "").body))
	assert.Len(t, h.fetch("/api/v1/signinattempts", `{}`).Items, 20)
}

func TestEmptyPagesWithoutCursor(t *testing.T) {
	h := newHarness(t, Config{})
	require.NoError(t, h.sim.AddEvents("", StreamItemUsages, 15, GenOptions{}))
	p := h.fetch("/api/v2/itemusages", `{"limit":5}`)
	require.NoError(t, h.sim.EmptyPagesWithoutCursor(1))
	r := h.post("/api/v2/itemusages", cursorBody(p.cursor()))
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, `{"has_more":false,"items":[]}`, string(r.body))
	// the client keeps its cursor and nothing was skipped
	next := h.fetch("/api/v2/itemusages", cursorBody(p.cursor()))
	assert.Len(t, next.Items, 5)
	assert.True(t, next.HasMore)
}

func TestClearFaults(t *testing.T) {
	h := newHarness(t, Config{RateLimit: &RateLimitConfig{RequestsPerMinute: 100}})
	require.NoError(t, h.sim.ApplyFaults(Faults{
		TooManyRequests: &TooManyRequestsFault{Burst: Burst{Count: 5}},
		ServerErrors:    &ServerErrorFault{Burst: Burst{Count: 5}},
		RejectCursors:   &Burst{Count: 5},
		RateLimit:       &RateLimitConfig{RequestsPerMinute: 1},
	}))
	h.sim.SetErrorShape(ErrorShapeDocumented)
	h.sim.ClearFaults()
	st := h.sim.FaultState()
	assert.Equal(t, FaultState{RateLimit: RateLimitConfig{RequestsPerMinute: 100}, ErrorShape: "observed"}, st)
	assert.Equal(t, http.StatusOK, h.post("/api/v2/itemusages", `{}`).status)
}

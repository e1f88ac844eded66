package simulator

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPagingThroughPages(t *testing.T) {
	tests := []struct {
		name      string
		events    int
		limit     int
		wantPages []int // items per page, the last one has has_more=false
	}{
		{"several pages", 250, 100, []int{100, 100, 50}},
		{"exact multiple ends without an empty page", 200, 100, []int{100, 100}},
		{"single page", 5, 100, []int{5}},
		{"empty stream", 0, 100, []int{0}},
		{"limit one", 3, 1, []int{1, 1, 1}},
		{"max limit", 2500, 1000, []int{1000, 1000, 500}},
	}
	for _, tc := range tests {
		for _, v := range []string{"v1", "v2"} {
			t.Run(tc.name+"/"+v, func(t *testing.T) {
				h := newHarness(t, Config{})
				require.NoError(t, h.sim.AddEvents("", StreamItemUsages, tc.events, GenOptions{Start: testEpoch.Add(-50 * time.Minute)}))
				path := "/api/" + v + "/itemusages"
				p := h.fetch(path, fmt.Sprintf(`{"limit":%d}`, tc.limit))
				seen := map[string]bool{}
				var last time.Time
				for i, want := range tc.wantPages {
					if i > 0 {
						p = h.fetch(path, cursorBody(p.cursor()))
					}
					require.Len(t, p.Items, want, "page %d", i)
					assert.Equal(t, i < len(tc.wantPages)-1, p.HasMore, "has_more on page %d", i)
					tss := p.timestamps(t)
					for j, u := range p.uuids(t) {
						assert.False(t, seen[u], "duplicate %s", u)
						seen[u] = true
						assert.False(t, tss[j].Before(last), "items must come oldest first")
						last = tss[j]
					}
					require.NotEmpty(t, p.cursor())
				}
				assert.Len(t, seen, tc.events)
				// The handler counts a page once it is written, which can be
				// just after the client has read it.
				require.Eventually(t, func() bool { return h.sim.Served(h.acct, StreamItemUsages) == tc.events },
					10*time.Second, time.Millisecond)

				// caught up: the same cursor comes back, with nothing in it
				again := h.fetch(path, cursorBody(p.cursor()))
				assert.Equal(t, p.cursor(), again.cursor())
				assert.False(t, again.HasMore)
				assert.Empty(t, again.Items)
			})
		}
	}
}

func TestContinuingCursorKeepsResetParameters(t *testing.T) {
	h := newHarness(t, Config{})
	require.NoError(t, h.sim.AddEvents("", StreamAuditEvents, 30, GenOptions{Start: testEpoch.Add(-30 * time.Minute), Step: time.Minute}))
	p := h.fetch("/api/v2/auditevents", `{"limit":7,"start_time":"`+rfc(testEpoch.Add(-20*time.Minute))+`","end_time":"`+rfc(testEpoch.Add(-5*time.Minute))+`"}`)
	total := len(p.Items)
	for p.HasMore {
		p = h.fetch("/api/v2/auditevents", cursorBody(p.cursor()))
		require.LessOrEqual(t, len(p.Items), 7)
		total += len(p.Items)
	}
	assert.Equal(t, 15, total, "events in [now-20m, now-5m) at one per minute")
	d, err := h.sim.DecodeCursor(p.cursor())
	require.NoError(t, err)
	assert.Equal(t, 7, d.Limit)
	assert.Equal(t, testEpoch.Add(-20*time.Minute), d.Start)
	assert.Equal(t, testEpoch.Add(-5*time.Minute), d.End)
	assert.Equal(t, 2, d.APIVersion)
	assert.Equal(t, StreamAuditEvents, d.Stream)
	assert.Equal(t, h.acct, d.Account)
}

func TestNewEventsAfterCaughtUp(t *testing.T) {
	h := newHarness(t, Config{})
	path := "/api/v2/signinattempts"
	require.NoError(t, h.sim.AddEvents("", StreamSignInAttempts, 10, GenOptions{}))
	_, cur, _ := h.drain(path, `{}`)

	h.clock.Advance(time.Minute)
	require.NoError(t, h.sim.AddEvents("", StreamSignInAttempts, 4, GenOptions{Start: testEpoch, End: testEpoch.Add(time.Minute)}))
	p := h.fetch(path, cursorBody(cur))
	assert.Len(t, p.Items, 4)
	assert.False(t, p.HasMore)
	assert.NotEqual(t, cur, p.cursor(), "the cursor moves past delivered events")
}

func TestLateArrivalsReachContinuingCursorOnly(t *testing.T) {
	h := newHarness(t, Config{})
	path := "/api/v2/itemusages"
	start := testEpoch.Add(-6 * time.Hour)
	require.NoError(t, h.sim.AddEvents("", StreamItemUsages, 120, GenOptions{Start: start, Step: 3 * time.Minute}))
	served, cur, _ := h.drain(path, `{"limit":50,"start_time":"`+rfc(start)+`"}`)
	require.Len(t, served, 120)
	newest := start.Add(119 * 3 * time.Minute)

	// events become visible now, with timestamps 30 minutes old: older than
	// the newest event already served
	require.NoError(t, h.sim.AddLate("", StreamItemUsages, 3, 30*time.Minute))

	p := h.fetch(path, cursorBody(cur))
	require.Len(t, p.Items, 3, "the continuing cursor delivers late events")
	for _, ts := range p.timestamps(t) {
		assert.True(t, ts.Before(newest), "late event %v must be older than the newest served %v", ts, newest)
	}
	assert.False(t, p.HasMore)

	// a poller that resets from the newest timestamp it saw misses them
	w := h.fetch(path, `{"start_time":"`+rfc(newest.Add(time.Nanosecond))+`"}`)
	assert.Empty(t, w.Items)
}

func TestStartTimeFiltering(t *testing.T) {
	h := newHarness(t, Config{})
	// one event per minute, whole seconds, over the last 10 hours
	start := testEpoch.Add(-10 * time.Hour)
	require.NoError(t, h.sim.AddEvents("", StreamSignInAttempts, 600, GenOptions{Start: start, Step: time.Minute}))
	path := "/api/v1/signinattempts"
	tests := []struct {
		name      string
		body      string
		wantCount int
		wantFirst time.Time
	}{
		{"default is the last hour", `{"limit":1000}`, 60, testEpoch.Add(-time.Hour)},
		{"start is inclusive", `{"limit":1000,"start_time":"` + rfc(testEpoch.Add(-2*time.Hour)) + `"}`, 120, testEpoch.Add(-2 * time.Hour)},
		{"offsets are honoured", `{"limit":1000,"start_time":"` + testEpoch.Add(-2*time.Hour).In(time.FixedZone("", -3*3600)).Format(time.RFC3339) + `"}`, 120, testEpoch.Add(-2 * time.Hour)},
		{"end is exclusive", `{"limit":1000,"start_time":"` + rfc(start) + `","end_time":"` + rfc(start.Add(10*time.Minute)) + `"}`, 10, start},
		{"end alone starts one hour before it", `{"limit":1000,"end_time":"` + rfc(testEpoch.Add(-5*time.Hour)) + `"}`, 60, testEpoch.Add(-6 * time.Hour)},
		{"a future window is empty", `{"start_time":"` + rfc(testEpoch.Add(time.Hour)) + `"}`, 0, time.Time{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			uuids, _, _ := h.drain(path, tc.body)
			assert.Len(t, uuids, tc.wantCount)
			if tc.wantCount > 0 {
				p := h.fetch(path, tc.body)
				assert.Equal(t, tc.wantFirst, p.timestamps(t)[0])
			}
		})
	}
}

func TestStartTimeClampedToRetention(t *testing.T) {
	h := newHarness(t, Config{})
	// one event a day for 200 days
	require.NoError(t, h.sim.AddEvents("", StreamAuditEvents, 200, GenOptions{Start: testEpoch.Add(-199 * 24 * time.Hour), Step: 24 * time.Hour}))
	path := "/api/v2/auditevents"
	p := h.fetch(path, `{"limit":1000,"start_time":"2020-01-01T00:00:00Z"}`)
	floor := testEpoch.Add(-DefaultRetention)
	require.NotEmpty(t, p.Items)
	assert.False(t, p.timestamps(t)[0].Before(floor), "nothing older than 120 days is served")
	assert.Len(t, p.Items, 121) // days -120 .. 0 inclusive
	d, err := h.sim.DecodeCursor(p.cursor())
	require.NoError(t, err)
	assert.Equal(t, floor, d.Start)
}

func TestCursorScope(t *testing.T) {
	other := "ZZZZZZZZZZZZZZZZZZZZZZZZZY"
	h := newHarness(t, Config{Accounts: []AccountConfig{{}, {UUID: other}}})
	for _, st := range Streams {
		require.NoError(t, h.sim.AddEvents("", st, 5, GenOptions{}))
		require.NoError(t, h.sim.AddEvents(other, st, 5, GenOptions{}))
	}
	cur := h.fetch("/api/v2/itemusages", `{"limit":2}`).cursor()
	otherTok := h.sim.Tokens(other)[0]

	tests := []struct {
		name, path, token string
		want              int
	}{
		{"same stream and version", "/api/v2/itemusages", h.token, http.StatusOK},
		{"other stream", "/api/v2/signinattempts", h.token, http.StatusBadRequest},
		{"other version", "/api/v1/itemusages", h.token, http.StatusBadRequest},
		{"other account", "/api/v2/itemusages", otherTok, http.StatusBadRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := h.do(http.MethodPost, tc.path, tc.token, cursorBody(cur))
			assert.Equal(t, tc.want, r.status)
			if tc.want == http.StatusBadRequest {
				assert.JSONEq(t, errBadRequestBody, string(r.body))
			}
		})
	}
}

func TestCursorTamperingRejected(t *testing.T) {
	h := newHarness(t, Config{})
	require.NoError(t, h.sim.AddEvents("", StreamItemUsages, 20, GenOptions{}))
	cur := h.fetch("/api/v2/itemusages", `{"limit":5}`).cursor()
	flip := func(s string, i int) string {
		b := []byte(s)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	// a cursor from another simulator instance with the same layout
	foreign := New(Config{RateLimit: &RateLimitConfig{}})
	defer foreign.Close()
	foreignCur := foreign.cursors.encode(cursorState{apiVersion: 2, stream: streamItem, account: h.acct, limit: 5})

	// a genuine cursor whose position lies past the end of this log
	beyond := h.sim.cursors.encode(cursorState{apiVersion: 2, stream: streamItem, account: h.acct, limit: 5, position: 1000})

	tests := map[string]string{
		"flipped first char":    flip(cur, 0),
		"flipped middle char":   flip(cur, len(cur)/2),
		"flipped last char":     flip(cur, len(cur)-1),
		"truncated":             cur[:len(cur)-4],
		"extended":              cur + "AAAA",
		"not base64":            "!!!not-a-cursor!!!",
		"docs placeholder":      "aGVsbG8hIGlzIGl0IG1lIHlvdSBhcmUgbG9va2luZyBmb3IK",
		"elastic mock cursor":   "cursor_0",
		"other server's key":    foreignCur,
		"position past the end": beyond,
	}
	for name, c := range tests {
		t.Run(name, func(t *testing.T) {
			r := h.post("/api/v2/itemusages", cursorBody(c))
			assert.Equal(t, http.StatusBadRequest, r.status)
			assert.JSONEq(t, errBadRequestBody, string(r.body))
		})
	}
	assert.Equal(t, http.StatusOK, h.post("/api/v2/itemusages", cursorBody(cur)).status)
}

func TestConcurrentReadersAndWriters(t *testing.T) {
	h := newHarness(t, Config{})
	done := make(chan struct{})
	errs := make(chan error, 8)
	go func() {
		defer close(done)
		for i := 0; i < 50; i++ {
			if err := h.sim.AddEvents("", StreamAuditEvents, 100, GenOptions{}); err != nil {
				errs <- err
				return
			}
			_ = h.sim.AddLate("", StreamAuditEvents, 2, time.Minute)
		}
	}()
	readers := make(chan int, 4)
	for r := 0; r < 4; r++ {
		go func() {
			n := 0
			p := h.fetch("/api/v2/auditevents", `{"limit":37}`)
			n += len(p.Items)
			for i := 0; i < 100; i++ {
				p = h.fetch("/api/v2/auditevents", cursorBody(p.cursor()))
				n += len(p.Items)
			}
			readers <- n
		}()
	}
	<-done
	for r := 0; r < 4; r++ {
		<-readers
	}
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	uuids, _, _ := h.drain("/api/v2/auditevents", `{"limit":1000}`)
	assert.Len(t, uuids, 50*102)
}

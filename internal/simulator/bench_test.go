package simulator

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func benchSim(b *testing.B, perStream int) *Server {
	b.Helper()
	sim := New(Config{Seed: 1, RateLimit: &RateLimitConfig{}, Now: func() time.Time { return testEpoch }})
	b.Cleanup(sim.Close)
	for _, st := range Streams {
		require.NoError(b, sim.AddEvents("", st, perStream, GenOptions{Start: testEpoch.Add(-7 * 24 * time.Hour)}))
	}
	return sim
}

// BenchmarkRenderPage measures building one 1,000-item response body from
// the compact store: selection, regeneration from seeds and JSON rendering.
func BenchmarkRenderPage(b *testing.B) {
	sim := benchSim(b, 5000)
	acct := sim.accounts[0]
	for _, st := range Streams {
		es := acct.streams[st]
		for _, v := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/v%d", st, v), func(b *testing.B) {
				cs := cursorState{apiVersion: v, stream: es.def.code, account: acct.uuid, limit: MaxLimit, position: 1000}
				buf := make([]byte, 0, 1<<20)
				var n int
				b.ReportAllocs()
				for b.Loop() {
					buf, n = sim.renderPage(buf[:0], acct, es, cs, "")
				}
				require.Equal(b, MaxLimit, n)
				b.ReportMetric(float64(len(buf))/MaxLimit, "bytes/item")
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/MaxLimit, "ns/item")
			})
		}
	}
}

// BenchmarkServePage is the whole handler for a 1,000-item page (auth,
// body parsing, cursor verification, rendering), without the network.
func BenchmarkServePage(b *testing.B) {
	sim := benchSim(b, 5000)
	tok := sim.Tokens(sim.Accounts()[0])[0]
	// a continuing cursor a thousand events in
	cur := sim.cursors.encode(cursorState{apiVersion: 2, stream: streamAudit, account: sim.Accounts()[0], limit: MaxLimit, position: 1000})
	body := cursorBody(cur)
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/api/v2/auditevents", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		sim.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkAddEvents measures generation into the store and its footprint.
func BenchmarkAddEvents(b *testing.B) {
	sim := New(Config{RateLimit: &RateLimitConfig{}})
	b.Cleanup(sim.Close)
	const batch = 10000
	b.ReportAllocs()
	for b.Loop() {
		require.NoError(b, sim.AddEvents("", StreamItemUsages, batch, GenOptions{}))
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/batch, "ns/event")
}

// storedBytesPerEvent adds n events to one stream and measures the heap
// growth per event after a GC.
func storedBytesPerEvent(t testing.TB, n int) float64 {
	sim := New(Config{RateLimit: &RateLimitConfig{}})
	defer sim.Close()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	require.NoError(t, sim.AddEvents("", StreamAuditEvents, n, GenOptions{Start: testEpoch.Add(-100 * 24 * time.Hour), End: testEpoch}))
	runtime.GC()
	runtime.ReadMemStats(&after)
	require.Equal(t, n, sim.Stored("", StreamAuditEvents))
	runtime.KeepAlive(sim)
	return float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(n)
}

func BenchmarkStoredEventMemory(b *testing.B) {
	var per float64
	for b.Loop() {
		per = storedBytesPerEvent(b, 1_000_000)
	}
	b.ReportMetric(per, "heap-bytes/event")
}

// TestMemoryPerStoredEvent holds a million events in one stream: ~16 bytes
// each (timestamp and seed), i.e. ~16 MB per million.
func TestMemoryPerStoredEvent(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates a million events")
	}
	per := storedBytesPerEvent(t, 1_000_000)
	t.Logf("%.1f heap bytes per stored event", per)
	assert.Less(t, per, 20.0)
}

// TestDeepPagesStayCheap checks that selecting the newest page of a
// million-event stream does not scan the whole log: chunks outside the time
// window are skipped by their min/max timestamps.
func TestDeepPagesStayCheap(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates a million events")
	}
	sim := New(Config{RateLimit: &RateLimitConfig{}, Now: func() time.Time { return testEpoch }})
	defer sim.Close()
	require.NoError(t, sim.AddEvents("", StreamSignInAttempts, 1_000_000, GenOptions{Start: testEpoch.Add(-90 * 24 * time.Hour), End: testEpoch}))
	acct := sim.accounts[0]
	log := &acct.streams[StreamSignInAttempts].log
	w := window{start: testEpoch.Add(-time.Hour).UnixNano()}
	refs, more := log.page(0, w, MaxLimit, nil)
	assert.False(t, more)
	assert.InDelta(t, 1_000_000/(90*24), len(refs), 10, "about one hour's worth")
	skipped := 0
	for _, c := range log.chunks {
		if w.misses(c) {
			skipped++
		}
	}
	assert.GreaterOrEqual(t, skipped, len(log.chunks)-2)
}

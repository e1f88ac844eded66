package onepasswordreceiver

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/convert"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.uber.org/zap/zapcore"
)

// byCursor answers from a table keyed by the request's cursor ("" = reset).
// A cursor missing from the table is answered as caught up.
func byCursor(pages map[string]string) func(apiRequest) apiReply {
	return func(req apiRequest) apiReply {
		if body, ok := pages[req.cursor()]; ok {
			return apiReply{Body: body}
		}
		return apiReply{Body: pageJSON(req.cursor(), false)}
	}
}

// recordUIDs lists log.record.uid of every record the sink got, in order.
func recordUIDs(sink *consumertest.LogsSink) []string {
	var out []string
	for _, ld := range sink.AllLogs() {
		rls := ld.ResourceLogs()
		for i := 0; i < rls.Len(); i++ {
			sls := rls.At(i).ScopeLogs()
			for j := 0; j < sls.Len(); j++ {
				lrs := sls.At(j).LogRecords()
				for k := 0; k < lrs.Len(); k++ {
					v, _ := lrs.At(k).Attributes().Get(convert.AttrRecordUID)
					out = append(out, v.Str())
				}
			}
		}
	}
	return out
}

func TestPagingResetCursorDrainAndIdle(t *testing.T) {
	api := newFakeAPI(t, byCursor(map[string]string{
		"":   pageJSON("c1", true, "E1", "E2"),
		"c1": pageJSON("c2", true, "E3"),
		"c2": pageJSON("c2", false), // caught up: the same cursor comes back
	}))
	cfg := only(testConfig(api.srv.URL), "audit_events")
	cfg.StartTime = time.Now().Add(-48 * time.Hour).UTC().Truncate(time.Second)
	cfg.PageSize = 250
	sink := &consumertest.LogsSink{}
	startReceiver(t, cfg, sink, &statusHost{})

	waitFor(t, "idle polls", func() bool { return len(api.streamRequests("/api/v2/auditevents")) >= 6 })
	reqs := api.streamRequests("/api/v2/auditevents")
	assert.Equal(t, map[string]any{"limit": float64(250), "start_time": cfg.StartTime.Format(time.RFC3339Nano)}, reqs[0].Body, "first request is a reset from start_time")
	assert.Equal(t, map[string]any{"cursor": "c1"}, reqs[1].Body)
	for _, r := range reqs[2:] {
		assert.Equal(t, map[string]any{"cursor": "c2"}, r.Body, "caught up: polls again with the unchanged cursor")
	}
	// Idle polls are poll_interval apart at least (never a tight loop).
	for i := 3; i < len(reqs); i++ {
		assert.GreaterOrEqual(t, reqs[i].At.Sub(reqs[i-1].At), cfg.PollInterval-2*time.Millisecond)
	}
	assert.Equal(t, []string{"E1", "E2", "E3"}, recordUIDs(sink))
	assert.Equal(t, 2, len(sink.AllLogs()), "one plog.Logs per non-empty page")
}

func TestResetWithoutStartTimeUsesAPIDefault(t *testing.T) {
	api := newFakeAPI(t, byCursor(map[string]string{"": pageJSON("c1", false, "E1")}))
	startReceiver(t, only(testConfig(api.srv.URL), "signin_attempts"), &consumertest.LogsSink{}, &statusHost{})
	waitFor(t, "reset", func() bool { return len(api.streamRequests("/api/v2/signinattempts")) >= 1 })
	assert.Equal(t, map[string]any{"limit": float64(1000)}, api.streamRequests("/api/v2/signinattempts")[0].Body)
}

func TestStartTimeOlderThanRetentionIsClamped(t *testing.T) {
	api := newFakeAPI(t, byCursor(map[string]string{"": pageJSON("c1", false)}))
	cfg := only(testConfig(api.srv.URL), "item_usages")
	cfg.StartTime = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	_, logs := startReceiver(t, cfg, &consumertest.LogsSink{}, &statusHost{})
	waitFor(t, "reset", func() bool { return len(api.streamRequests("/api/v2/itemusages")) >= 1 })
	start, err := time.Parse(time.RFC3339Nano, api.streamRequests("/api/v2/itemusages")[0].Body["start_time"].(string))
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now().Add(-retention), start, 5*time.Minute)
	assert.Equal(t, 1, logs.FilterMessageSnippet("older than the API's 120-day retention").Len())
}

func TestAPIVersions(t *testing.T) {
	for _, version := range []string{"v1", "v2"} {
		t.Run(version, func(t *testing.T) {
			api := newFakeAPI(t, byCursor(map[string]string{"": pageJSON("c1", false, "E1")}))
			cfg := testConfig(api.srv.URL)
			cfg.APIVersion = version
			sink := &consumertest.LogsSink{}
			startReceiver(t, cfg, sink, &statusHost{})
			waitFor(t, "three records", func() bool { return sink.LogRecordCount() == 3 })
			for _, p := range []string{"auditevents", "itemusages", "signinattempts"} {
				assert.NotEmpty(t, api.streamRequests("/api/"+version+"/"+p), p)
			}
			names := map[string]bool{}
			for _, ld := range sink.AllLogs() {
				names[ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0).EventName()] = true
			}
			assert.Equal(t, map[string]bool{"onepassword.audit_event": true, "onepassword.item_usage": true, "onepassword.signin_attempt": true}, names)
		})
	}
}

func TestRecordShapeAndResource(t *testing.T) {
	api := newFakeAPI(t, byCursor(map[string]string{"": pageJSON("c1", false, "E1")}))
	sink := &consumertest.LogsSink{}
	startReceiver(t, only(testConfig(api.srv.URL), "audit_events"), sink, &statusHost{})
	waitFor(t, "a record", func() bool { return sink.LogRecordCount() == 1 })
	rl := sink.AllLogs()[0].ResourceLogs().At(0)
	acct, ok := rl.Resource().Attributes().Get("onepassword.account.id")
	require.True(t, ok)
	assert.Equal(t, "ACCOUNTUUID", acct.Str(), "account from introspect")
	assert.Equal(t, "https://opentelemetry.io/schemas/1.43.0", rl.SchemaUrl())
	sl := rl.ScopeLogs().At(0)
	assert.Equal(t, "github.com/onepassword-otel/onepasswordreceiver", sl.Scope().Name())
	lr := sl.LogRecords().At(0)
	assert.Equal(t, "onepassword.audit_event", lr.EventName())
	assert.Equal(t, time.Date(2026, 11, 20, 10, 1, 0, 0, time.UTC), lr.Timestamp().AsTime())
	assert.NotZero(t, lr.ObservedTimestamp())
	assert.Equal(t, "join", lr.Body().Map().AsRaw()["action"])
}

// flakyConsumer fails while fail() says so, counting attempts.
type flakyConsumer struct {
	consumertest.LogsSink
	attempts atomic.Int64
	fail     func(attempt int64) error
}

func (c *flakyConsumer) ConsumeLogs(ctx context.Context, ld plog.Logs) error {
	n := c.attempts.Add(1)
	if err := c.fail(n); err != nil {
		return err
	}
	return c.LogsSink.ConsumeLogs(ctx, ld)
}

func (c *flakyConsumer) Capabilities() consumer.Capabilities { return consumer.Capabilities{} }

func storedState(t *testing.T, client storage.Client, stream string) streamState {
	t.Helper()
	var st streamState
	_, err := loadJSON(context.Background(), client, cursorKey(stream), &st)
	require.NoError(t, err)
	return st
}

func TestCursorCommittedOnlyAfterConsume(t *testing.T) {
	dir := t.TempDir()
	ext := newFileStorage(t, dir)
	api := newFakeAPI(t, byCursor(map[string]string{
		"":   pageJSON("c1", true, "E1"),
		"c1": pageJSON("c2", false, "E2"),
	}))
	// The page after c1 is refused three times with a retryable error.
	release := make(chan struct{})
	var refusals atomic.Int64
	next := &flakyConsumer{fail: func(n int64) error {
		if n == 1 {
			return nil // page 1 accepted
		}
		select {
		case <-release:
			return nil
		default:
			refusals.Add(1)
			return errors.New("downstream is full")
		}
	}}
	cfg := only(testConfig(api.srv.URL), "audit_events")
	cfg.StorageID = &fileStorageID
	host := &statusHost{exts: map[component.ID]component.Component{fileStorageID: ext}}
	r, _ := startReceiver(t, cfg, next, host)

	waitFor(t, "three refusals", func() bool { return refusals.Load() >= 3 })
	st := storedState(t, r.storage, "audit_events")
	assert.Equal(t, "c1", st.Cursor, "page 2 was refused: its cursor is not committed")
	assert.Equal(t, []string{"E1"}, recordUIDs(&next.LogsSink))
	close(release)
	waitFor(t, "page 2 accepted", func() bool { return next.LogRecordCount() == 2 })
	waitFor(t, "cursor committed", func() bool { return storedState(t, r.storage, "audit_events").Cursor == "c2" })
	assert.Equal(t, []string{"E1", "E2"}, recordUIDs(&next.LogsSink), "the same page was delivered again, nothing else")
	// Redelivery did not refetch from the API: one reset, one c1, then idle c2.
	for _, req := range api.streamRequests("/api/v2/auditevents")[2:] {
		assert.Equal(t, "c2", req.cursor())
	}
}

func TestPermanentConsumerErrorDropsPage(t *testing.T) {
	api := newFakeAPI(t, byCursor(map[string]string{
		"":   pageJSON("c1", true, "E1", "E2"),
		"c1": pageJSON("c2", false, "E3"),
	}))
	next := &flakyConsumer{fail: func(n int64) error {
		if n == 1 {
			return consumererror.NewPermanent(errors.New("schema rejected"))
		}
		return nil
	}}
	_, logs := startReceiver(t, only(testConfig(api.srv.URL), "audit_events"), next, &statusHost{})
	waitFor(t, "page 2", func() bool { return next.LogRecordCount() == 1 })
	assert.Equal(t, []string{"E3"}, recordUIDs(&next.LogsSink))
	assert.Equal(t, int64(2), next.attempts.Load(), "a permanently refused page is not retried")
	assert.Equal(t, 1, logs.FilterMessageSnippet("refused a page for good").Len())
}

func TestResumeFromStorageAfterRestart(t *testing.T) {
	dir := t.TempDir()
	api := newFakeAPI(t, byCursor(map[string]string{
		"":   pageJSON("c1", true, "E1"),
		"c1": pageJSON("c2", false, "E2"),
		"c2": pageJSON("c2", false),
	}))
	cfg := only(testConfig(api.srv.URL), "item_usages")
	cfg.StorageID = &fileStorageID

	first := func() {
		ext := newFileStorage(t, dir)
		sink := &consumertest.LogsSink{}
		core := startReceiverNoCleanup(t, cfg, sink, &statusHost{exts: map[component.ID]component.Component{fileStorageID: ext}})
		waitFor(t, "drain", func() bool { return sink.LogRecordCount() == 2 })
		require.NoError(t, core.Shutdown(context.Background()))
		require.NoError(t, ext.Shutdown(context.Background()))
	}
	first()
	n := len(api.streamRequests("/api/v2/itemusages"))

	// A new collector process: new extension, new receiver, same directory.
	api.mu.Lock()
	api.answer = byCursor(map[string]string{"c2": pageJSON("c3", false, "E3")})
	api.mu.Unlock()
	ext := newFileStorage(t, dir)
	sink := &consumertest.LogsSink{}
	startReceiver(t, cfg, sink, &statusHost{exts: map[component.ID]component.Component{fileStorageID: ext}})
	waitFor(t, "resume", func() bool { return sink.LogRecordCount() == 1 })
	after := api.streamRequests("/api/v2/itemusages")[n:]
	assert.Equal(t, map[string]any{"cursor": "c2"}, after[0].Body, "resumed from the stored cursor, no reset")
	assert.Equal(t, []string{"E3"}, recordUIDs(sink))
}

func startReceiverNoCleanup(t *testing.T, cfg *Config, next consumer.Logs, host *statusHost) *onepasswordReceiver {
	t.Helper()
	r, err := newReceiver(receiverSettings(), cfg, next)
	require.NoError(t, err)
	require.NoError(t, r.Start(context.Background(), host))
	return r
}

func TestStreamsSkippedForMissingFeatures(t *testing.T) {
	api := newFakeAPI(t, byCursor(map[string]string{"": pageJSON("c1", false, "E1")}))
	api.introspect = apiReply{Body: `{"uuid":"I","features":["signinattempts"],"account_uuid":"ACCT"}`}
	sink := &consumertest.LogsSink{}
	_, logs := startReceiver(t, testConfig(api.srv.URL), sink, &statusHost{})
	waitFor(t, "sign-ins", func() bool { return sink.LogRecordCount() == 1 })
	assert.Empty(t, api.streamRequests("/api/v2/auditevents"))
	assert.Empty(t, api.streamRequests("/api/v2/itemusages"))
	skipped := logs.FilterMessageSnippet("Skipping stream").All()
	require.Len(t, skipped, 2)
	assert.Equal(t, "audit_events", skipped[0].ContextMap()["stream"])
	assert.Equal(t, "item_usages", skipped[1].ContextMap()["stream"])
}

func TestIntrospectFailingFallsBackToTokenClaim(t *testing.T) {
	api := newFakeAPI(t, byCursor(map[string]string{"": pageJSON("c1", false, "E1")}))
	api.introspect = apiReply{Status: 503, Body: "maintenance"}
	cfg := testConfig(api.srv.URL)
	cfg.Token = configToken(testJWT(`{"aud":["events.1password.com"],"1password.com/auuid":"TOKENACCT","1password.com/fts":["itemusages"]}`))
	api.mu.Lock()
	api.answer = func(req apiRequest) apiReply { return apiReply{Body: pageJSON("c1", false, "E1")} }
	api.mu.Unlock()
	sink := &consumertest.LogsSink{}
	api.acceptToken(string(cfg.Token))
	startReceiver(t, cfg, sink, &statusHost{})
	waitFor(t, "item usages", func() bool { return sink.LogRecordCount() >= 1 })
	assert.Empty(t, api.streamRequests("/api/v2/auditevents"))
	assert.Empty(t, api.streamRequests("/api/v2/signinattempts"))
	acct, _ := sink.AllLogs()[0].ResourceLogs().At(0).Resource().Attributes().Get("onepassword.account.id")
	assert.Equal(t, "TOKENACCT", acct.Str(), "account from the token claim while introspect fails")
}

func TestUnauthorizedIsPermanentAndKeepsRetrying(t *testing.T) {
	api := newFakeAPI(t, byCursor(map[string]string{"": pageJSON("c1", false, "E1")}))
	cfg := only(testConfig(api.srv.URL), "audit_events")
	cfg.Token = "wrong-token-xyz"
	host := &statusHost{}
	_, logs := startReceiver(t, cfg, &consumertest.LogsSink{}, host)
	waitFor(t, "retries after 401", func() bool { return len(api.streamRequests("/api/v2/auditevents")) >= 3 })
	assert.Contains(t, host.statuses(), componentstatus.StatusPermanentError)
	errs := logs.FilterMessageSnippet("refused the token (401)").All()
	assert.Len(t, errs, 1, "logged once per entry into the state, not per retry")
	for _, e := range logs.All() {
		assert.NotContains(t, e.Message, "wrong-token-xyz")
		for _, v := range e.ContextMap() {
			assert.NotContains(t, toString(v), "wrong-token-xyz")
		}
	}
}

func TestRateLimitedWaitsRetryAfterAndPausesAllStreams(t *testing.T) {
	var calls atomic.Int64
	api := newFakeAPI(t, nil)
	api.answer = func(req apiRequest) apiReply {
		if calls.Add(1) == 1 {
			return apiReply{Status: 429, Header: map[string]string{"Retry-After": "1"}, Body: `{"Error":{"Message":"Too Many Requests"}}`}
		}
		return apiReply{Body: pageJSON("c", false)}
	}
	host := &statusHost{}
	startReceiver(t, testConfig(api.srv.URL), &consumertest.LogsSink{}, host)
	waitFor(t, "every stream polled after the 429", func() bool { return calls.Load() >= 6 })
	reqs := api.allRequests()
	var limitedAt time.Time
	for _, r := range reqs {
		if r.Method == http.MethodPost {
			limitedAt = r.At
			break
		}
	}
	// Requests that were in flight may complete; every request sent after
	// the 429 arrived waits for Retry-After.
	late := 0
	for _, r := range reqs {
		if r.Method == http.MethodPost && r.At.After(limitedAt) && r.At.Sub(limitedAt) < 900*time.Millisecond {
			late++
		}
	}
	assert.LessOrEqual(t, late, 2, "at most the two other streams' in-flight requests")
	assert.Contains(t, host.statuses(), componentstatus.StatusRecoverableError)
	waitFor(t, "OK again", func() bool {
		s := host.statuses()
		return s[len(s)-1] == componentstatus.StatusOK
	})
}

func TestRejectedCursorRestartsFromNewestMinusOverlap(t *testing.T) {
	var rejected atomic.Bool
	api := newFakeAPI(t, nil)
	api.answer = func(req apiRequest) apiReply {
		switch {
		case req.isReset() && !rejected.Load():
			return apiReply{Body: pageJSON("c1", false, "E1", "E2", "E3")}
		case req.cursor() == "c1":
			rejected.Store(true)
			return apiReply{Status: 400, Body: `{"Error":{"Message":"Bad Request"}}`}
		case req.isReset():
			// The restart overlaps: E2 and E3 again, then E4 is new.
			return apiReply{Body: pageJSON("d1", false, "E2", "E3", "E4")}
		}
		return apiReply{Body: pageJSON(req.cursor(), false)}
	}
	cfg := only(testConfig(api.srv.URL), "audit_events")
	cfg.CursorResetOverlap = 30 * time.Minute
	// The consumer empties each page after copying it, as a filtering
	// processor may: what was delivered must be remembered from before the
	// hand-off.
	sink := &consumertest.LogsSink{}
	next := &emptyingConsumer{sink: sink}
	_, logs := startReceiver(t, cfg, next, &statusHost{})
	waitFor(t, "E4", func() bool { return sink.LogRecordCount() == 4 })
	assert.Equal(t, []string{"E1", "E2", "E3", "E4"}, recordUIDs(sink), "repeats inside the overlap are suppressed")
	var restart apiRequest
	for _, r := range api.streamRequests("/api/v2/auditevents")[1:] {
		if r.isReset() {
			restart = r
			break
		}
	}
	newest := time.Date(2026, 11, 20, 10, 3, 0, 0, time.UTC)
	assert.Equal(t, newest.Add(-30*time.Minute).Format(time.RFC3339Nano), restart.Body["start_time"])
	assert.Equal(t, 1, logs.FilterMessageSnippet("rejected the stream's cursor").Len())
}

func TestMalformedBodyIsRetriedWithCursorUnchanged(t *testing.T) {
	var bad atomic.Int64
	api := newFakeAPI(t, nil)
	api.answer = func(req apiRequest) apiReply {
		if req.isReset() {
			return apiReply{Body: pageJSON("c1", true, "E1")}
		}
		if req.cursor() == "c1" && bad.Add(1) <= 2 {
			return apiReply{Body: `{"cursor":"c2","has_more":false,"items":[{"uuid":"E2"`} // truncated
		}
		if req.cursor() == "c1" {
			return apiReply{Body: pageJSON("c2", false, "E2")}
		}
		return apiReply{Body: pageJSON(req.cursor(), false)}
	}
	sink := &consumertest.LogsSink{}
	_, logs := startReceiver(t, only(testConfig(api.srv.URL), "audit_events"), sink, &statusHost{})
	waitFor(t, "E2", func() bool { return sink.LogRecordCount() == 2 })
	assert.Equal(t, []string{"E1", "E2"}, recordUIDs(sink), "nothing of the malformed page was half-delivered")
	assert.Equal(t, 1, logs.FilterMessageSnippet("retrying with backoff").FilterLevelExact(zapcore.WarnLevel).Len(), "warned once for the streak")
}

func TestUnreadableStoredStateIsReplaced(t *testing.T) {
	ext := newFileStorage(t, t.TempDir())
	client, err := ext.(storage.Extension).GetClient(context.Background(), component.KindReceiver, receiverSettings().ID, "")
	require.NoError(t, err)
	require.NoError(t, client.Set(context.Background(), cursorKey("audit_events"), []byte("{not json")))
	require.NoError(t, client.Close(context.Background()))

	api := newFakeAPI(t, byCursor(map[string]string{"": pageJSON("c1", false, "E1")}))
	cfg := only(testConfig(api.srv.URL), "audit_events")
	cfg.StorageID = &fileStorageID
	r, logs := startReceiver(t, cfg, &consumertest.LogsSink{}, &statusHost{exts: map[component.ID]component.Component{fileStorageID: ext}})
	waitFor(t, "replaced", func() bool {
		var st streamState
		_, err := loadJSON(context.Background(), r.storage, cursorKey("audit_events"), &st)
		return err == nil && st.Cursor == "c1"
	})
	assert.True(t, api.streamRequests("/api/v2/auditevents")[0].isReset())
	assert.Equal(t, 1, logs.FilterMessageSnippet("Ignoring the stored cursor").Len())
}

func TestStateOfAnotherAPIVersionRestartsWithOverlap(t *testing.T) {
	ext := newFileStorage(t, t.TempDir())
	client, err := ext.(storage.Extension).GetClient(context.Background(), component.KindReceiver, receiverSettings().ID, "")
	require.NoError(t, err)
	newest := time.Date(2026, 11, 20, 10, 2, 0, 0, time.UTC)
	raw, _ := json.Marshal(streamState{Schema: 1, APIVersion: "v1", Cursor: "v1cursor", Newest: newest})
	require.NoError(t, client.Set(context.Background(), cursorKey("audit_events"), raw))
	raw, _ = json.Marshal(recentState{Schema: 1, UUIDs: []string{"E1", "E2"}})
	require.NoError(t, client.Set(context.Background(), recentKey("audit_events"), raw))
	require.NoError(t, client.Close(context.Background()))

	api := newFakeAPI(t, byCursor(map[string]string{"": pageJSON("c1", false, "E1", "E2", "E3")}))
	cfg := only(testConfig(api.srv.URL), "audit_events")
	cfg.StorageID = &fileStorageID
	cfg.CursorResetOverlap = time.Hour
	sink := &consumertest.LogsSink{}
	startReceiver(t, cfg, sink, &statusHost{exts: map[component.ID]component.Component{fileStorageID: ext}})
	waitFor(t, "E3", func() bool { return sink.LogRecordCount() == 1 })
	first := api.streamRequests("/api/v2/auditevents")[0]
	assert.Equal(t, newest.Add(-time.Hour).Format(time.RFC3339Nano), first.Body["start_time"])
	assert.Equal(t, []string{"E3"}, recordUIDs(sink))
}

func TestShutdownWhileRequestHangs(t *testing.T) {
	var started sync.Once
	inFlight := make(chan struct{})
	api := newFakeAPI(t, func(apiRequest) apiReply {
		started.Do(func() { close(inFlight) })
		return apiReply{Delay: time.Hour}
	})
	cfg := testConfig(api.srv.URL)
	cfg.ClientConfig.Timeout = time.Hour
	r, err := newReceiver(receiverSettings(), cfg, &consumertest.LogsSink{})
	require.NoError(t, err)
	require.NoError(t, r.Start(context.Background(), &statusHost{}))
	<-inFlight
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, r.Shutdown(ctx), "Shutdown cancels the hanging request")
}

func TestShutdownWhileBackingOff(t *testing.T) {
	api := newFakeAPI(t, func(apiRequest) apiReply { return apiReply{Status: 500} })
	cfg := testConfig(api.srv.URL)
	cfg.BackOffConfig.InitialInterval = time.Hour
	cfg.BackOffConfig.MaxInterval = time.Hour
	r, err := newReceiver(receiverSettings(), cfg, &consumertest.LogsSink{})
	require.NoError(t, err)
	require.NoError(t, r.Start(context.Background(), &statusHost{}))
	waitFor(t, "first failure", func() bool { return len(api.allRequests()) >= 2 })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, r.Shutdown(ctx))
}

func TestShutdownBeforeStartAndTwice(t *testing.T) {
	r, err := newReceiver(receiverSettings(), testConfig("http://127.0.0.1:1"), &consumertest.LogsSink{})
	require.NoError(t, err)
	require.NoError(t, r.Shutdown(context.Background()))
	require.NoError(t, r.Shutdown(context.Background()))
}

func TestStartDoesNoNetworkIO(t *testing.T) {
	block := make(chan struct{})
	api := newFakeAPI(t, func(apiRequest) apiReply { <-block; return apiReply{} })
	defer close(block)
	api.introspect = apiReply{Delay: time.Hour}
	r, err := newReceiver(receiverSettings(), testConfig(api.srv.URL), &consumertest.LogsSink{})
	require.NoError(t, err)
	// Start returns although introspect hangs.
	require.NoError(t, r.Start(context.Background(), &statusHost{}))
	require.NoError(t, r.Shutdown(context.Background()))
}

func TestUnknownStorageExtension(t *testing.T) {
	cfg := testConfig("http://127.0.0.1:1")
	cfg.StorageID = &fileStorageID
	r, err := newReceiver(receiverSettings(), cfg, &consumertest.LogsSink{})
	require.NoError(t, err)
	err = r.Start(context.Background(), &statusHost{})
	require.ErrorContains(t, err, `storage: extension "file_storage" not found`)
	require.NoError(t, r.Shutdown(context.Background()))
}

// slowConsumer holds the first page of one event type, like a slow backend.
type slowConsumer struct {
	consumertest.LogsSink
	event string
	hold  time.Duration
	once  sync.Once
}

func (c *slowConsumer) ConsumeLogs(ctx context.Context, ld plog.Logs) error {
	if ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0).EventName() == c.event {
		c.once.Do(func() { time.Sleep(c.hold) })
	}
	return c.LogsSink.ConsumeLogs(ctx, ld)
}

// A 429 that answers a prefetch pauses every stream at once, not only when
// the page being consumed is done.
func TestRateLimitOnPrefetchPausesOtherStreamsAtOnce(t *testing.T) {
	var limitedAt atomic.Int64
	api := newFakeAPI(t, nil)
	api.answer = func(req apiRequest) apiReply {
		if req.Path == "/api/v2/auditevents" {
			switch {
			case req.isReset():
				return apiReply{Body: pageJSON("c1", true, "E1")}
			case req.cursor() == "c1" && limitedAt.CompareAndSwap(0, time.Now().UnixNano()):
				return apiReply{Status: 429, Header: map[string]string{"Retry-After": "1"}}
			}
		}
		return apiReply{Body: pageJSON("idle", false)}
	}
	next := &slowConsumer{event: "onepassword.audit_event", hold: 700 * time.Millisecond}
	startReceiver(t, testConfig(api.srv.URL), next, &statusHost{})
	waitFor(t, "the 429 and a second after it", func() bool {
		at := limitedAt.Load()
		return at != 0 && time.Since(time.Unix(0, at)) > 1500*time.Millisecond
	})
	at := time.Unix(0, limitedAt.Load())
	for _, r := range api.allRequests() {
		// Requests already in flight when the 429 arrived may complete.
		if d := r.At.Sub(at); d > 50*time.Millisecond && d < time.Second {
			t.Errorf("%s %s sent %s after a 429 with Retry-After: 1", r.Method, r.Path, d)
		}
	}
}

// emptyingConsumer keeps a copy of each page and then removes every record
// from the one it was handed, which the pipeline is allowed to do.
type emptyingConsumer struct{ sink *consumertest.LogsSink }

func (c *emptyingConsumer) Capabilities() consumer.Capabilities {
	return consumer.Capabilities{MutatesData: true}
}

func (c *emptyingConsumer) ConsumeLogs(ctx context.Context, ld plog.Logs) error {
	cp := plog.NewLogs()
	ld.CopyTo(cp)
	ld.ResourceLogs().RemoveIf(func(plog.ResourceLogs) bool { return true })
	return c.sink.ConsumeLogs(ctx, cp)
}

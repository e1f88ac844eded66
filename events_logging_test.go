package onepasswordreceiver

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/onepassword-otel/onepasswordreceiver/internal/metadata"
)

// startWithLogger starts a receiver whose logger adds stack traces at
// ERROR, as the collector's own logger does, so that a test sees what an
// operator would.
func startWithLogger(t *testing.T, id component.ID, cfg *Config, next consumer.Logs, host *statusHost) *observer.ObservedLogs {
	t.Helper()
	core, logs := observer.New(zap.DebugLevel)
	set := receiverSettings()
	set.ID = id
	set.Logger = zap.New(core, zap.AddStacktrace(zapcore.ErrorLevel))
	r, err := newReceiver(set, cfg, next)
	require.NoError(t, err)
	require.NoError(t, r.Start(context.Background(), host))
	t.Cleanup(func() { _ = r.Shutdown(context.Background()) })
	return logs
}

// One refused token is one ERROR for the instance, naming its streams, with
// no stack trace; each stream says at INFO when the token works again.
func TestRefusedTokenIsOneErrorForTheInstance(t *testing.T) {
	api := newFakeAPI(t, byCursor(map[string]string{"": pageJSON("c1", false, "E1")}))
	cfg := testConfig(api.srv.URL)
	cfg.Token = "the-wrong-token-123"
	logs := startWithLogger(t, component.NewID(metadata.Type), cfg, &consumertest.LogsSink{}, &statusHost{})

	waitFor(t, "every stream retried after its 401", func() bool {
		for _, p := range []string{"/api/v2/auditevents", "/api/v2/itemusages", "/api/v2/signinattempts"} {
			if len(api.streamRequests(p)) < 2 {
				return false
			}
		}
		return true
	})
	errs := logs.FilterLevelExact(zapcore.ErrorLevel).All()
	require.Len(t, errs, 1, "introspect and three streams met one refused token")
	assert.Contains(t, errs[0].Message, "refused the token (401)")
	assert.ElementsMatch(t, []any{"audit_events", "item_usages", "signin_attempts"}, errs[0].ContextMap()["streams"])
	for _, e := range logs.All() {
		assert.Empty(t, e.Stack, "no stack trace for an expected API error: %q", e.Message)
	}

	api.acceptToken("the-wrong-token-123")
	waitFor(t, "each stream says the token works again", func() bool {
		return logs.FilterMessage("The Events API accepts the token again").Len() == 3
	})
	assert.Len(t, logs.FilterLevelExact(zapcore.ErrorLevel).All(), 1, "recovering logs no new ERROR")
}

// The start line says, once per instance, what it reads and where each
// stream begins; after a restart, that a stored cursor wins over start_time.
func TestStartLineSaysWhereEachStreamBegins(t *testing.T) {
	dir := t.TempDir()
	api := newFakeAPI(t, byCursor(map[string]string{
		"":   pageJSON("c1", false, "E1"),
		"c1": pageJSON("c1", false),
	}))
	cfg := only(testConfig(api.srv.URL), "audit_events", "item_usages")
	cfg.StartTime = time.Now().Add(-24 * time.Hour).UTC().Truncate(time.Second)
	cfg.StorageID = &fileStorageID
	startLine := func(logs *observer.ObservedLogs) map[string]any {
		t.Helper()
		var lines []observer.LoggedEntry
		waitFor(t, "the start line", func() bool {
			lines = logs.FilterMessage("Reading the Events API").All()
			return len(lines) > 0
		})
		require.Len(t, lines, 1)
		assert.Equal(t, zapcore.InfoLevel, lines[0].Level)
		return lines[0].ContextMap()
	}

	ext := newFileStorage(t, dir)
	sink := &consumertest.LogsSink{}
	core, logs := observer.New(zap.DebugLevel)
	set := receiverSettings()
	set.Logger = zap.New(core)
	r, err := newReceiver(set, cfg, sink)
	require.NoError(t, err)
	require.NoError(t, r.Start(context.Background(), &statusHost{exts: map[component.ID]component.Component{fileStorageID: ext}}))
	first := startLine(logs)
	assert.Equal(t, api.srv.URL, first["endpoint"])
	assert.Equal(t, "ACCOUNTUUID", first["account"])
	assert.Equal(t, map[string]string{"audit_events": "start_time", "item_usages": "start_time"}, first["streams"])
	assert.NotContains(t, first, "note")
	waitFor(t, "both streams delivered", func() bool { return sink.LogRecordCount() == 2 })
	waitFor(t, "cursors committed", func() bool {
		return storedState(t, r.storage, "audit_events").Cursor == "c1" && storedState(t, r.storage, "item_usages").Cursor == "c1"
	})
	require.NoError(t, r.Shutdown(context.Background()))

	host := &statusHost{exts: map[component.ID]component.Component{fileStorageID: ext}}
	_, logs = startReceiver(t, cfg, &consumertest.LogsSink{}, host)
	again := startLine(logs)
	assert.Equal(t, map[string]string{"audit_events": "cursor", "item_usages": "cursor"}, again["streams"])
	assert.Contains(t, again["note"], "a stored cursor wins over start_time")
}

// Two instances on one token, or on two tokens of one account, deliver
// everything twice: the second says so, naming both.
func TestTwoInstancesOnOneAccountAreWarned(t *testing.T) {
	tests := []struct {
		name          string
		secondToken   string
		wantSubstring string
	}{
		{name: "one token", secondToken: testToken, wantSubstring: "the same Events API token"},
		{name: "two tokens of one account", secondToken: "another-token-of-the-account", wantSubstring: "the same Events API account"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, byCursor(map[string]string{"": pageJSON("c1", false)}))
			first := only(testConfig(api.srv.URL), "audit_events")
			startWithLogger(t, component.NewIDWithName(metadata.Type, "acme"), first, &consumertest.LogsSink{}, &statusHost{})
			waitFor(t, "the first instance knows its account", func() bool { return len(api.streamRequests("/api/v2/auditevents")) > 0 })

			second := only(testConfig(api.srv.URL), "audit_events")
			second.Token = configToken(tt.secondToken)
			api.acceptTokens(testToken, tt.secondToken)
			logs := startWithLogger(t, component.NewIDWithName(metadata.Type, "acme2"), second, &consumertest.LogsSink{}, &statusHost{})
			var warns []observer.LoggedEntry
			waitFor(t, "the warning", func() bool {
				warns = logs.FilterMessageSnippet("Two receiver instances").All()
				return len(warns) > 0
			})
			require.Len(t, warns, 1)
			assert.Contains(t, warns[0].Message, tt.wantSubstring)
			assert.Equal(t, "onepassword/acme2", warns[0].ContextMap()["instance"])
			assert.Equal(t, "onepassword/acme", warns[0].ContextMap()["other_instance"])
		})
	}
}

// A second collector on the same storage directory is told that the
// storage is locked by another process, not a bare "timeout".
func TestStorageLockedByAnotherProcess(t *testing.T) {
	dir := t.TempDir()
	api := newFakeAPI(t, byCursor(map[string]string{"": pageJSON("c1", false)}))
	cfg := only(testConfig(api.srv.URL), "audit_events")
	cfg.StorageID = &fileStorageID
	startReceiver(t, cfg, &consumertest.LogsSink{}, &statusHost{exts: map[component.ID]component.Component{fileStorageID: newFileStorage(t, dir)}})

	// The other collector: its own file_storage on the same directory.
	other := newFileStorageWithTimeout(t, dir, 100*time.Millisecond)
	r, err := newReceiver(receiverSettings(), cfg, &consumertest.LogsSink{})
	require.NoError(t, err)
	err = r.Start(context.Background(), &statusHost{exts: map[component.ID]component.Component{fileStorageID: other}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `storage "file_storage": the receiver's database in that extension's directory is locked by another process`)
	require.NoError(t, r.Shutdown(context.Background()))
}

// A request that cannot be built is no outage: the stream reports a
// permanent error and says what to fix, and nothing reaches the API.
func TestUnsendableRequestIsPermanent(t *testing.T) {
	api := newFakeAPI(t, byCursor(map[string]string{"": pageJSON("c1", false)}))
	cfg := only(testConfig(api.srv.URL), "audit_events")
	cfg.Token = "a-token-with\na-line-break" // what Unmarshal and Validate would have refused
	host := &statusHost{}
	logs := startWithLogger(t, component.NewID(metadata.Type), cfg, &consumertest.LogsSink{}, host)
	waitFor(t, "the permanent status", func() bool { return slices.Contains(host.statuses(), componentstatus.StatusPermanentError) })
	errs := logs.FilterMessageSnippet("cannot send its Events API requests as configured").All()
	require.Len(t, errs, 1)
	assert.Equal(t, zapcore.ErrorLevel, errs[0].Level)
	assert.Empty(t, api.allRequests(), "nothing reached the API")
	for _, e := range logs.All() {
		assert.NotContains(t, e.Message, "a-token-with")
		for _, v := range e.ContextMap() {
			assert.NotContains(t, toString(v), "a-token-with")
		}
	}
}

package onepasswordreceiver

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/onepassword-otel/onepasswordreceiver/internal/metadata"
	"github.com/onepassword-otel/onepasswordreceiver/internal/metadatatest"
	"github.com/onepassword-otel/onepasswordreceiver/internal/roster"
	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator/usersim"
)

// usersEnv is the bundled Users API simulator on a real HTTP server and the
// real file_storage extension, for a users-only receiver.
type usersEnv struct {
	sim  *usersim.Sim
	url  string
	dir  string
	host *statusHost
}

func newUsersEnv(t *testing.T, users int) *usersEnv {
	t.Helper()
	sim := usersim.New(usersim.Config{})
	sim.Generate(users)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	ext := newFileStorage(t, dir)
	return &usersEnv{sim: sim, url: srv.URL, dir: dir, host: &statusHost{exts: map[component.ID]component.Component{fileStorageID: ext}}}
}

// config is a users-only receiver on the simulator: one user per page, so
// that every pass has several pages, and fast passes.
func (e *usersEnv) config() *Config {
	cfg := testConfig("")
	cfg.Token = ""
	cfg.AuditEvents.Enabled, cfg.ItemUsages.Enabled, cfg.SigninAttempts.Enabled = false, false, false
	cfg.StorageID = &fileStorageID
	cfg.Users = defaultUsersConfig()
	cfg.Users.Enabled = true
	cfg.Users.ClientID = e.sim.ClientID()
	cfg.Users.ClientSecret = configToken(e.sim.ClientSecret())
	cfg.Users.AccountID = e.sim.AccountID()
	cfg.Users.Endpoint = e.url
	cfg.Users.PageSize = 2
	cfg.Users.PollInterval = 20 * time.Millisecond
	return cfg
}

// userRecord is what the tests look at in a record of the users source.
type userRecord struct {
	event, change, id, uid, state, previousState string
}

func userRecords(sink *consumertest.LogsSink) []userRecord {
	var out []userRecord
	for _, ld := range sink.AllLogs() {
		for _, rl := range ld.ResourceLogs().All() {
			for _, sl := range rl.ScopeLogs().All() {
				for _, lr := range sl.LogRecords().All() {
					out = append(out, toUserRecord(lr))
				}
			}
		}
	}
	return out
}

func toUserRecord(lr plog.LogRecord) userRecord {
	str := func(k string) string {
		if v, ok := lr.Attributes().Get(k); ok {
			return v.AsString()
		}
		return ""
	}
	return userRecord{
		event: lr.EventName(), change: str(roster.AttrChange), id: str(roster.AttrUserID),
		uid: str("log.record.uid"), state: str(roster.AttrState), previousState: str(roster.AttrPreviousState),
	}
}

func changesOf(recs []userRecord) []userRecord {
	var out []userRecord
	for _, r := range recs {
		if r.event == roster.EventUserChange {
			out = append(out, r)
		}
	}
	return out
}

func countEvent(recs []userRecord, event string) int {
	n := 0
	for _, r := range recs {
		if r.event == event {
			n++
		}
	}
	return n
}

// startUsersReceiver is startReceiver with the receiver's own telemetry
// readable, for waiting on its pass counter.
func startUsersReceiver(t *testing.T, cfg *Config, next consumer.Logs, host *statusHost) (*onepasswordReceiver, *passCounter) {
	t.Helper()
	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	set := metadatatest.NewSettings(tel)
	set.ID = component.NewID(metadata.Type)
	r, err := newReceiver(set, cfg, next)
	require.NoError(t, err)
	require.NoError(t, r.Start(context.Background(), host))
	t.Cleanup(func() { require.NoError(t, r.Shutdown(context.Background())) })
	return r, &passCounter{t: t, tel: tel}
}

// passCounter reads the receiver's users.passes{outcome=complete}.
type passCounter struct {
	t   *testing.T
	tel *componenttest.Telemetry
}

func (p *passCounter) complete() int64 {
	m, err := p.tel.GetMetric("otelcol_receiver.onepassword.users.passes")
	if err != nil {
		return 0 // nothing counted yet
	}
	var n int64
	for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
		if v, ok := dp.Attributes.Value("outcome"); ok && v.AsString() == "complete" {
			n += dp.Value
		}
	}
	return n
}

// waitDelivered waits until n more complete passes than now were delivered:
// a pass is counted before its records are handed on, so the count must
// reach one more, the pass after them.
func (p *passCounter) waitDelivered(n int64) {
	p.t.Helper()
	want := p.complete() + n + 1
	waitFor(p.t, itoa(n)+" more delivered passes", func() bool { return p.complete() >= want })
}

func TestUsersBaselineIsAnInventoryWithoutChanges(t *testing.T) {
	e := newUsersEnv(t, 5)
	sink := &consumertest.LogsSink{}
	_, passes := startUsersReceiver(t, e.config(), sink, e.host)
	waitFor(t, "the baseline inventory", func() bool { return countEvent(userRecords(sink), roster.EventUser) >= 5 })
	passes.waitDelivered(2)
	recs := userRecords(sink)
	assert.Equal(t, 5, countEvent(recs, roster.EventUser), "one inventory record per user, once")
	assert.Empty(t, changesOf(recs), "a baseline reports no changes")
	assert.Equal(t, "otelcol-onepassword/latest", e.sim.Stats().LastUserAgent)
}

// Every change kind is reported exactly once, a removal only after two
// complete passes without the user.
func TestUsersEachChangeKindOnce(t *testing.T) {
	tests := []struct {
		name      string
		change    func(s *usersim.Sim, ids []string)
		wantKinds []string
	}{
		{"added", func(s *usersim.Sim, _ []string) {
			require.NoError(t, s.AddUser(usersim.User{ID: "NEWUSERAAAAAAAAAAAAAAAAAAA", Email: "new@example.com", State: usersim.StateActive}))
		}, []string{"added"}},
		{"removed", func(s *usersim.Sim, ids []string) { require.NoError(t, s.RemoveUser(ids[1])) }, []string{"removed"}},
		{"suspended", func(s *usersim.Sim, ids []string) { require.NoError(t, s.Suspend(ids[0])) }, []string{"suspended"}},
		{"reactivated", func(s *usersim.Sim, ids []string) { require.NoError(t, s.Reactivate(ids[9])) }, []string{"reactivated"}},
		{"state_changed", func(s *usersim.Sim, ids []string) { require.NoError(t, s.SetState(ids[2], usersim.StateUnspecified)) }, []string{"state_changed"}},
		{"updated", func(s *usersim.Sim, ids []string) { require.NoError(t, s.Rename(ids[3], "Renamed")) }, []string{"updated"}},
		{"suspended and renamed: two records", func(s *usersim.Sim, ids []string) {
			require.NoError(t, s.UpdateUser(ids[4], func(u *usersim.User) { u.State, u.DisplayName = usersim.StateSuspended, "Gone Quiet" }))
		}, []string{"suspended", "updated"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newUsersEnv(t, 10) // user 9 is SUSPENDED
			ids := make([]string, 10)
			for i := range ids {
				ids[i] = usersim.GeneratedID(i)
			}
			sink := &consumertest.LogsSink{}
			_, passes := startUsersReceiver(t, e.config(), sink, e.host)
			waitFor(t, "the baseline", func() bool { return countEvent(userRecords(sink), roster.EventUser) == 10 })
			tt.change(e.sim, ids)
			waitFor(t, "the change records", func() bool { return len(changesOf(userRecords(sink))) >= len(tt.wantKinds) })
			passes.waitDelivered(3)
			var kinds []string
			uids := map[string]bool{}
			for _, c := range changesOf(userRecords(sink)) {
				kinds = append(kinds, c.change)
				assert.False(t, uids[c.uid], "uids are unique")
				uids[c.uid] = true
				if c.change == "suspended" || c.change == "removed" || c.change == "reactivated" || c.change == "state_changed" {
					assert.NotEmpty(t, c.previousState, "%s carries the previous state", c.change)
				}
			}
			slices.Sort(kinds)
			assert.Equal(t, tt.wantKinds, kinds, "each change once")
		})
	}
}

// A user hidden from one pass (the roster shifted during an offset walk)
// is not reported removed; only a second complete pass without it is.
func TestUsersRemovalNeedsTwoCompletePasses(t *testing.T) {
	e := newUsersEnv(t, 6)
	sink := &consumertest.LogsSink{}
	cfg := e.config()
	_, passes := startUsersReceiver(t, cfg, sink, e.host)
	waitFor(t, "the baseline", func() bool { return countEvent(userRecords(sink), roster.EventUser) == 6 })
	// Removing the first user just before page 2 shifts every later user
	// one place forward: the walk never sees the user that moved from
	// page 2 to page 1. Adding it back before the next page keeps the
	// roster as it was.
	var hidden atomic.Bool
	first := usersim.GeneratedID(0)
	saved, _ := e.sim.User(first)
	e.sim.BeforeNextPage(func(s *usersim.Sim) {
		_ = s.RemoveUser(first)
		s.BeforeNextPage(func(s *usersim.Sim) {
			_ = s.InsertUser(0, saved)
			hidden.Store(true)
		})
	})
	waitFor(t, "the shifted walk", hidden.Load)
	passes.waitDelivered(3)
	assert.Empty(t, changesOf(userRecords(sink)), "a user missing from one pass is not removed")
}

// The roster is committed only after every chunk was accepted: while the
// pipeline refuses, nothing is stored; once it accepts, the pass's records
// and the roster arrive together.
func TestUsersCommitAfterEveryChunk(t *testing.T) {
	e := newUsersEnv(t, 5) // 3 chunks of at most 2
	var refuse atomic.Bool
	refuse.Store(true)
	var attempts atomic.Int64
	sink := &consumertest.LogsSink{}
	next, err := consumer.NewLogs(func(ctx context.Context, ld plog.Logs) error {
		attempts.Add(1)
		if refuse.Load() && attempts.Load() > 1 {
			return errors.New("pipeline full")
		}
		return sink.ConsumeLogs(ctx, ld)
	})
	require.NoError(t, err)
	r, _ := startReceiver(t, e.config(), next, e.host)
	waitFor(t, "retries of the second chunk", func() bool { return attempts.Load() >= 4 })
	stored, err := r.storage.Get(context.Background(), usersNamespace+usersRosterKey)
	require.NoError(t, err)
	assert.Nil(t, stored, "no roster is committed while a chunk is refused")
	refuse.Store(false)
	waitFor(t, "the committed roster", func() bool {
		stored, err = r.storage.Get(context.Background(), usersNamespace+usersRosterKey)
		return err == nil && stored != nil
	})
	got, err := roster.Unmarshal(stored)
	require.NoError(t, err)
	assert.Equal(t, 5, got.Present())
	assert.Equal(t, 5, countEvent(userRecords(sink), roster.EventUser), "every inventory record delivered, the first chunk once")
}

// A restart with the same storage neither re-announces the roster nor
// reports changes; a change while it was down is reported once.
func TestUsersRestartKeepsTheRoster(t *testing.T) {
	e := newUsersEnv(t, 4)
	cfg := e.config()
	sink := &consumertest.LogsSink{}
	set := receiverSettings()
	r1, err := newReceiver(set, cfg, sink)
	require.NoError(t, err)
	require.NoError(t, r1.Start(context.Background(), e.host))
	waitFor(t, "the baseline", func() bool { return countEvent(userRecords(sink), roster.EventUser) == 4 })
	require.NoError(t, r1.Shutdown(context.Background()))

	require.NoError(t, e.sim.Suspend(usersim.GeneratedID(1)))
	sink2 := &consumertest.LogsSink{}
	_, passes := startUsersReceiver(t, cfg, sink2, e.host)
	waitFor(t, "the change", func() bool { return len(changesOf(userRecords(sink2))) >= 1 })
	passes.waitDelivered(2)
	recs := userRecords(sink2)
	assert.Zero(t, countEvent(recs, roster.EventUser), "no inventory after a restart within inventory_interval")
	require.Len(t, changesOf(recs), 1)
	assert.Equal(t, "suspended", changesOf(recs)[0].change)
}

// The errors that need a person: ERROR once with what to check, a
// permanent status, retries at max_interval, and never the secret.
func TestUsersErrorsThatNeedAPerson(t *testing.T) {
	tests := []struct {
		name    string
		mutate  func(*Config)
		fault   *usersim.Fault
		wantLog []string
	}{
		{name: "wrong client secret", mutate: func(c *Config) { c.Users.ClientSecret = "wrong-secret-value" },
			wantLog: []string{"refused the client credentials", "users::client_secret"}},
		{name: "missing list users scope", fault: &usersim.Fault{Endpoint: usersim.EndpointList, Status: 403},
			wantLog: []string{"403", "list users"}},
		{name: "unknown account", mutate: func(c *Config) { c.Users.AccountID = "ZZZZZZZZZZZZZZZZZZZZZZZZZZ" },
			wantLog: []string{"404", "users::account_id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newUsersEnv(t, 3)
			if tt.fault != nil {
				e.sim.SetFault(*tt.fault)
			}
			cfg := e.config()
			if tt.mutate != nil {
				tt.mutate(cfg)
			}
			sink := &consumertest.LogsSink{}
			_, logs := startReceiver(t, cfg, sink, e.host)
			waitFor(t, "several retries", func() bool { return e.sim.Stats().TokenRequests+e.sim.Stats().ListRequests >= 4 })
			waitFor(t, "a permanent status", func() bool { return slices.Contains(e.host.statuses(), componentstatus.StatusPermanentError) })
			errorsLogged := logs.FilterLevelExact(zapcore.ErrorLevel).All()
			require.Len(t, errorsLogged, 1, "ERROR once")
			for _, want := range tt.wantLog {
				assert.Contains(t, errorsLogged[0].Message, want)
			}
			for _, entry := range logs.All() {
				assert.NotContains(t, entryText(entry), "wrong-secret-value")
				assert.NotContains(t, entryText(entry), e.sim.ClientSecret())
			}
			assert.Empty(t, userRecords(sink))
		})
	}
}

func entryText(e observer.LoggedEntry) string {
	var b strings.Builder
	b.WriteString(e.Message)
	for k, v := range e.ContextMap() {
		b.WriteString(" " + k + "=")
		b.WriteString(strings.TrimSpace(strings.ReplaceAll(fieldText(v), "\n", " ")))
	}
	return b.String()
}

func fieldText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	if err, ok := v.(error); ok {
		return err.Error()
	}
	return ""
}

// A Users API outage or 429 never holds up the Events streams: both sources
// in one receiver, the users source failing, the events still delivered.
func TestUsersFailureLeavesEventsRunning(t *testing.T) {
	e := newUsersEnv(t, 3)
	e.sim.SetFault(usersim.Fault{Endpoint: usersim.EndpointList, Status: 429, RetryAfter: "3600"})
	var served atomic.Int64
	api := newFakeAPI(t, func(req apiRequest) apiReply {
		n := served.Add(1)
		return apiReply{Body: pageJSON("c", false, "E"+itoa(n))}
	})
	api.mu.Lock()
	api.introspect.Body = strings.Replace(api.introspect.Body, "ACCOUNTUUID", e.sim.AccountID(), 1) // one account
	api.mu.Unlock()
	cfg := e.config()
	cfg.Token = configToken(testToken)
	cfg.ClientConfig.Endpoint = api.srv.URL
	only(cfg, "audit_events")
	sink := &consumertest.LogsSink{}
	_, logs := startReceiver(t, cfg, sink, e.host)
	// The log, not the simulator's count: the server counts the request
	// before the receiver has read its answer.
	waitFor(t, "the users source pausing for the 429", func() bool {
		return len(logs.FilterMessageSnippet("rate limiting the users source").All()) > 0
	})
	waitFor(t, "events delivered meanwhile", func() bool { return served.Load() >= 5 })
	assert.Equal(t, 1, e.sim.Stats().ListRequests, "the users source waits its Retry-After")
}

// The introspect account check: with no account claim in the token, a
// users::account_id that introspect contradicts stops the users source.
func TestUsersStopsOnAnotherAccountThanIntrospect(t *testing.T) {
	e := newUsersEnv(t, 3)
	api := newFakeAPI(t, func(apiRequest) apiReply { return apiReply{Body: pageJSON("c", false)} })
	cfg := e.config()
	cfg.Token = configToken(testToken) // no claims: only introspect names the account ("ACCOUNTUUID")
	cfg.ClientConfig.Endpoint = api.srv.URL
	only(cfg, "audit_events")
	// Introspect is slow to answer: until it does, the users source must
	// not walk, lest it deliver another account's roster.
	api.mu.Lock()
	answer := api.introspect // "ACCOUNTUUID", not the simulator's account
	api.introspect = apiReply{Status: 503}
	api.mu.Unlock()
	sink := &consumertest.LogsSink{}
	r, logs := startReceiver(t, cfg, sink, e.host)
	events := r.sources[0].(*eventsSource)
	waitFor(t, "the users source waiting for introspect", func() bool {
		return len(logs.FilterMessageSnippet("waits for the Events API's introspect").All()) == 1
	})
	introspects := func() int {
		n := 0
		for _, req := range api.allRequests() {
			if req.Method == http.MethodGet {
				n++
			}
		}
		return n
	}
	waitFor(t, "introspect retried", func() bool { return introspects() >= 3 })
	assert.Zero(t, e.sim.Stats().ListRequests, "no walk while the account is unknown")
	assert.Empty(t, userRecords(sink))

	api.mu.Lock()
	api.introspect = answer
	api.mu.Unlock()
	waitFor(t, "introspect's account", func() bool { return events.accountID.Load() != nil })
	waitFor(t, "the ERROR", func() bool { return len(logs.FilterMessageSnippet("names another account").All()) == 1 })
	waitFor(t, "a permanent status", func() bool { return slices.Contains(e.host.statuses(), componentstatus.StatusPermanentError) })
	assert.Zero(t, e.sim.Stats().ListRequests, "the users source never walked")
	assert.Empty(t, userRecords(sink))
}

// newBareUsersSource builds the users source of cfg on e's storage without
// starting its loop, so that a test can make its passes one at a time.
func newBareUsersSource(t *testing.T, e *usersEnv, cfg *Config, next consumer.Logs) (*usersSource, *observer.ObservedLogs) {
	t.Helper()
	core, logs := observer.New(zap.DebugLevel)
	set := receiverSettings()
	set.Logger = zap.New(core)
	r, err := newReceiver(set, cfg, next)
	require.NoError(t, err)
	client, err := getStorageClient(context.Background(), e.host, cfg.StorageID, set.ID)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, client.Close(context.Background())) })
	tb, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	require.NoError(t, err)
	rt := &sourceRuntime{
		receiverID: set.ID.String(), logger: set.Logger, pipeline: r.downstream,
		status: newStatusReporter(e.host), storage: client, telemetry: tb,
	}
	s, err := r.usersSource(rt, http.DefaultClient, nil)
	require.NoError(t, err)
	return s, logs
}

// A server that keeps rejecting page tokens gets one new walk per pass, not
// a tight loop: each pass is page 1, page 2 (400), page 1, page 2 (400),
// then the pass ends incomplete and the WARN is said once for the streak.
func TestUsersRejectedPageTokenOneNewWalkPerPass(t *testing.T) {
	e := newUsersEnv(t, 5) // 3 pages of 2
	e.sim.SetFault(usersim.Fault{Endpoint: usersim.EndpointList, Status: 400, PageTokenOnly: true})
	sink := &consumertest.LogsSink{}
	s, logs := newBareUsersSource(t, e, e.config(), sink)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // a deadline for the broken loop, not a timing
	defer cancel()
	const passes = 3
	for range passes {
		s.pass(ctx)
		require.NoError(t, ctx.Err(), "a pass must end by itself")
	}
	assert.Equal(t, passes*4, e.sim.Stats().ListRequests, "two walks of two requests per pass")
	assert.Len(t, logs.FilterLevelExact(zapcore.WarnLevel).All(), 1, "one WARN for the streak")
	assert.Empty(t, logs.FilterMessageSnippet("answers again").All(), "a good first page is no recovery")
	assert.Empty(t, userRecords(sink))

	e.sim.ClearFault()
	s.pass(ctx)
	assert.Len(t, logs.FilterMessageSnippet("answers again").All(), 1, "a complete walk ends the streak")
	assert.Equal(t, 5, countEvent(userRecords(sink), roster.EventUser))
}

// failingGets is the real storage with its first Gets failing, as a
// storage extension that is briefly unavailable.
type failingGets struct {
	storage.Client
	failures atomic.Int64 // Gets still to fail
	gets     atomic.Int64
}

func (f *failingGets) Get(ctx context.Context, key string) ([]byte, error) {
	f.gets.Add(1)
	if f.failures.Add(-1) >= 0 {
		return nil, errors.New("storage unavailable")
	}
	return f.Client.Get(ctx, key)
}

// A failed read of the stored roster is retried, not taken for an empty
// store: the roster committed before is what the source goes on from. Only
// an unreadable roster starts a new baseline, said at ERROR.
func TestUsersLoadRetriesAFailedRead(t *testing.T) {
	tests := []struct {
		name        string
		stored      func(t *testing.T, s *usersSource)
		wantPresent int
		wantErrors  int
	}{
		{name: "a committed roster", stored: func(t *testing.T, s *usersSource) { s.pass(context.Background()) }, wantPresent: 5},
		{name: "an unreadable roster", stored: func(t *testing.T, s *usersSource) {
			require.NoError(t, s.store.set(context.Background(), usersRosterKey, []byte("not a roster")))
		}, wantErrors: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newUsersEnv(t, 5)
			s, logs := newBareUsersSource(t, e, e.config(), &consumertest.LogsSink{})
			tt.stored(t, s)
			flaky := &failingGets{Client: s.store.client}
			flaky.failures.Store(2)
			s.store.client = flaky
			s.roster = roster.Roster{}
			s.load(context.Background())
			assert.Equal(t, int64(3), flaky.gets.Load(), "two failed reads, then the good one")
			assert.Equal(t, tt.wantPresent, s.roster.Present())
			assert.Equal(t, tt.wantPresent > 0, s.roster.Baselined(), "no new baseline after a failed read")
			assert.Len(t, logs.FilterMessageSnippet("Reading the stored roster failed").FilterLevelExact(zapcore.WarnLevel).All(), 1, "WARN once")
			assert.Len(t, logs.FilterLevelExact(zapcore.ErrorLevel).All(), tt.wantErrors)
		})
	}
}

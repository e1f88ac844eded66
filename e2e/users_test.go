//go:build e2e

package e2e

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/e2ekit"
	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator/usersim"
)

// TestUsersBaselineThenEachChangeOnce: the first complete pass announces
// every user and no change; each kind of change is then reported exactly
// once (a removal after two complete passes without the user), and the
// receiver's own metrics count them.
func TestUsersBaselineThenEachChangeOnce(t *testing.T) {
	env := startUsersEnv(t, 10, usersim.Config{}) // every tenth user (index 9) is SUSPENDED
	sink := newSink(t, true)
	c := newUsersCollector(t, env, collectorConfig{SimURL: env.url, SinkURL: sink.URL(), Receiver: env.usersOnly(3, nil)}, env.secret)
	c.start()
	if !waitFor(time.Minute, 50*time.Millisecond, func() bool { return sink.CountOf(eventUser) >= 10 }) {
		t.Fatalf("no baseline within a minute: %d inventory records", sink.CountOf(eventUser))
	}
	waitPasses(t, c, 2, time.Minute)
	if n := sink.CountOf(eventUser); n != 10 {
		t.Errorf("baseline: %d inventory records, want one per user (10)", n)
	}
	if kinds := changeKinds(sink); len(kinds) != 0 {
		t.Errorf("the baseline reported changes: %v", kinds)
	}

	id := usersim.GeneratedID
	for _, op := range []usersim.Op{
		{Op: usersim.OpAdd, User: &usersim.User{ID: "NEWUSER2222222222222222222", Email: "new@example.com", DisplayName: "New", State: usersim.StateActive}},
		{Op: usersim.OpSuspend, ID: id(0)},
		{Op: usersim.OpReactivate, ID: id(9)},
		{Op: usersim.OpSetState, ID: id(1), State: usersim.StateUnspecified},
		{Op: usersim.OpRename, ID: id(2), DisplayName: "Renamed"},
		{Op: usersim.OpRemove, ID: id(3)},
	} {
		if err := env.users.Apply(op); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"added", "reactivated", "removed", "state_changed", "suspended", "updated"}
	if !waitFor(time.Minute, 50*time.Millisecond, func() bool { return len(changeKinds(sink)) >= len(want) }) {
		t.Fatalf("changes within a minute: %v, want %v", changeKinds(sink), want)
	}
	samples := waitPasses(t, c, 3, time.Minute)
	if got := changeKinds(sink); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("change records %v, want each kind once: %v", got, want)
	}
	for _, kind := range want {
		if n := usersMetric(samples, "users_changes", map[string]string{"change": kind}); n != 1 {
			t.Errorf("users.changes{change=%s} = %v, want 1", kind, n)
		}
	}
	if n := usersMetric(samples, "users_count", nil); n != 10 {
		t.Errorf("users.count = %v, want 10 users in the last complete pass", n)
	}
	if n := usersMetric(samples, "users_count", map[string]string{"state": "SUSPENDED"}); n != 1 {
		t.Errorf("users.count{state=SUSPENDED} = %v, want 1", n)
	}
	if last := usersMetric(samples, "users_last_complete_pass", nil); time.Since(time.Unix(int64(last), 0)) > time.Minute {
		t.Errorf("users.last_complete_pass = %v, not a recent Unix time", last)
	}
	if n := usersMetric(samples, "requests", map[string]string{"operation": "users_list", "status": "200"}); n < 10 {
		t.Errorf("requests{operation=users_list,status=200} = %v, want one per page", n)
	}
	if n := usersMetric(samples, "requests", map[string]string{"operation": "users_token", "status": "200"}); n < 1 {
		t.Errorf("requests{operation=users_token,status=200} = %v, want at least 1", n)
	}
	if ua := env.users.Stats().LastUserAgent; !strings.HasPrefix(ua, "otelcol-onepassword/") {
		t.Errorf("User-Agent %q, want otelcol-onepassword/<version>", ua)
	}
	if err := c.stop(); err != nil {
		t.Errorf("exit after SIGTERM was not clean: %v", err)
	}
}

// TestUsersPassFailingHalfWayReportsNoRemoval: a walk that fails after its
// first pages (server errors retried within the walk, or a rejected page
// token that starts it again) never reports the users of the pages it did
// not get as removed.
func TestUsersPassFailingHalfWayReportsNoRemoval(t *testing.T) {
	tests := []struct {
		name           string
		fault          usersim.Fault
		wantIncomplete bool
	}{
		{name: "server errors", fault: usersim.Fault{Endpoint: usersim.EndpointList, Status: 503, Skip: 2, Count: 4}},
		// PageTokenOnly: the 400 hits a later page, whichever request of a
		// walk comes first after SetFault.
		{name: "rejected page token", fault: usersim.Fault{Endpoint: usersim.EndpointList, Status: 400, PageTokenOnly: true, Count: 1}, wantIncomplete: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := startUsersEnv(t, 12, usersim.Config{})
			sink := newSink(t, true)
			c := newUsersCollector(t, env, collectorConfig{SimURL: env.url, SinkURL: sink.URL(), Receiver: env.usersOnly(2, nil)}, env.secret)
			c.start()
			if !waitFor(time.Minute, 50*time.Millisecond, func() bool { return sink.CountOf(eventUser) >= 12 }) {
				t.Fatalf("no baseline within a minute")
			}
			waitPasses(t, c, 1, time.Minute)
			env.users.SetFault(tt.fault)
			samples := waitPasses(t, c, 3, 2*time.Minute)
			if kinds := changeKinds(sink); len(kinds) != 0 {
				t.Errorf("a failing walk reported changes: %v", kinds)
			}
			incomplete := usersMetric(samples, "users_passes", map[string]string{"outcome": "incomplete"})
			if tt.wantIncomplete && incomplete < 1 {
				t.Errorf("users.passes{outcome=incomplete} = %v, want the abandoned walk counted", incomplete)
			}
			if n := usersMetric(samples, "requests", map[string]string{"operation": "users_list", "status": strconv.Itoa(tt.fault.Status)}); n < 1 {
				t.Errorf("requests{operation=users_list,status=%d} = %v, want the faults counted", tt.fault.Status, n)
			}
		})
	}
}

// TestUsersRosterChangedDuringWalk: a user removed between two pages
// shifts the offset pages, so the walk misses a user who is still there.
// Only the user really gone is reported removed, after two complete
// passes; the one the shift hid is not.
func TestUsersRosterChangedDuringWalk(t *testing.T) {
	env := startUsersEnv(t, 8, usersim.Config{})
	sink := newSink(t, true)
	c := newUsersCollector(t, env, collectorConfig{SimURL: env.url, SinkURL: sink.URL(), Receiver: env.usersOnly(2, nil)}, env.secret)
	c.start()
	if !waitFor(time.Minute, 50*time.Millisecond, func() bool { return sink.CountOf(eventUser) >= 8 }) {
		t.Fatalf("no baseline within a minute")
	}
	waitPasses(t, c, 1, time.Minute)
	gone := usersim.GeneratedID(0)
	env.users.BeforeNextPage(func(s *usersim.Sim) { _ = s.RemoveUser(gone) })
	if !waitFor(time.Minute, 50*time.Millisecond, func() bool { return len(changeKinds(sink)) >= 1 }) {
		t.Fatalf("the removal was not reported within a minute")
	}
	waitPasses(t, c, 3, time.Minute)
	var removed []string
	for _, r := range sink.AllRecords() {
		if r.EventName == eventUserChange {
			id, _ := r.Attrs[attrUserID].(string)
			removed = append(removed, r.Attrs[attrUserChange].(string)+":"+id)
		}
	}
	if strings.Join(removed, ",") != "removed:"+gone {
		t.Errorf("change records %v, want only removed:%s", removed, gone)
	}
}

// TestUsersTokenRenewalWithoutErrors: access tokens that expire every few
// seconds, and one revoked mid-way (401, answered with a new token and one
// retry), cost no failed pass and no warning.
func TestUsersTokenRenewalWithoutErrors(t *testing.T) {
	env := startUsersEnv(t, 6, usersim.Config{TokenLifetime: 2 * time.Second})
	sink := newSink(t, true)
	c := newUsersCollector(t, env, collectorConfig{SimURL: env.url, SinkURL: sink.URL(), Receiver: env.usersOnly(2, nil)}, env.secret)
	c.start()
	if !waitFor(time.Minute, 50*time.Millisecond, func() bool { return env.users.Stats().TokensIssued >= 3 }) {
		t.Fatalf("tokens were not renewed: %+v", env.users.Stats())
	}
	env.users.ExpireTokens()
	samples := waitPasses(t, c, 3, time.Minute)
	if !waitFor(time.Minute, 50*time.Millisecond, func() bool { return env.users.Stats().TokensIssued >= 5 }) {
		t.Fatalf("tokens were not renewed after the revocation: %+v", env.users.Stats())
	}
	if n := usersMetric(samples, "users_passes", map[string]string{"outcome": "incomplete"}); n != 0 {
		t.Errorf("%v incomplete passes while tokens were renewed", n)
	}
	if n := sink.CountOf(eventUser); n != 6 {
		t.Errorf("%d inventory records, want the baseline's 6 only", n)
	}
	if kinds := changeKinds(sink); len(kinds) != 0 {
		t.Errorf("changes reported: %v", kinds)
	}
	for _, line := range strings.Split(c.stderr(), "\n") {
		if strings.Contains(line, `"source": "users"`) && (strings.Contains(line, "\tWARN\t") || strings.Contains(line, "\tERROR\t")) {
			t.Errorf("the users source complained while renewing tokens: %s", line)
		}
	}
}

// TestUsersKilledWhileAChangeBatchIsExported: SIGKILL while the change
// records of a pass are on their way (the sink is slow), then a restart
// with the same storage: every change arrives, the repeats carry the same
// uids, and the roster is not announced again.
func TestUsersKilledWhileAChangeBatchIsExported(t *testing.T) {
	const users, suspended, pageSize = 400, 200, 50
	env := startUsersEnv(t, users, usersim.Config{})
	sink := newSink(t, false)
	c := newUsersCollector(t, env, collectorConfig{SimURL: env.url, SinkURL: sink.URL(), Receiver: env.usersOnly(pageSize, nil)}, env.secret)
	c.start()
	if !waitFor(time.Minute, 50*time.Millisecond, func() bool { return sink.Distinct(eventUser) >= users }) {
		t.Fatalf("no baseline within a minute")
	}
	waitPasses(t, c, 1, time.Minute)
	sink.SlowDown(eventUserChange, 700*time.Millisecond)
	for i := range suspended {
		id := usersim.GeneratedID(i * 2)
		if err := env.users.SetState(id, usersim.StateSuspended); err != nil {
			t.Fatal(err)
		}
	}
	// user 2k for k < 200 covers indexes 0..398; those ending in 9 were
	// SUSPENDED already (none: even indexes never end in 9).
	if !waitFor(time.Minute, 10*time.Millisecond, func() bool { return sink.CountOf(eventUserChange) >= pageSize }) {
		t.Fatalf("no change records within a minute")
	}
	c.kill()
	before := sink.CountOf(eventUserChange)
	if before >= suspended {
		t.Fatalf("the whole batch (%d) arrived before the kill: make the sink slower", before)
	}
	sink.SlowDown(eventUserChange, 0)
	c.start()
	if !waitFor(2*time.Minute, 50*time.Millisecond, func() bool { return sink.Distinct(eventUserChange) >= suspended }) {
		t.Fatalf("after the restart %d of %d changes arrived", sink.Distinct(eventUserChange), suspended)
	}
	waitPasses(t, c, 2, time.Minute)
	if n := sink.Distinct(eventUserChange); n != suspended {
		t.Errorf("%d distinct change uids, want %d: a repeat carried a new uid", n, suspended)
	}
	repeats := sink.CountOf(eventUserChange) - suspended
	t.Logf("RESULT users crash: changes=%d before_kill=%d repeats=%d", suspended, before, repeats)
	if repeats > suspended {
		t.Errorf("%d repeats; at most the records of one pass (%d) may repeat", repeats, suspended)
	}
	if n := sink.CountOf(eventUser); n != users {
		t.Errorf("%d inventory records, want the baseline's %d: the restart announced the roster again", n, users)
	}
}

// TestUsersWrongClientSecret: both sources in one receiver, the Users API
// refusing the client credentials: the process stays up, says so at ERROR
// once, healthcheckv2 reports the permanent error, the Events streams keep
// delivering, and the secret appears in no output, metric or health
// answer, nor in what validate prints.
func TestUsersWrongClientSecret(t *testing.T) {
	env := startUsersEnv(t, 5, usersim.Config{})
	env.addEvents(t, 30)
	wrong := "e2eWrongSecret" + env.secret[len(env.secret)-16:]
	sink := newSink(t, false)
	c := newUsersCollector(t, env, collectorConfig{
		SimURL: env.url, SinkURL: sink.URL(),
		Receiver: map[string]any{
			"start_time": time.Now().Add(-2 * time.Hour).UTC().Format(time.RFC3339),
			"users":      env.usersSection(5, nil),
		},
	}, wrong)
	c.start()
	var code int
	var health string
	if !waitFor(time.Minute, 100*time.Millisecond, func() bool {
		code, health, _ = c.health()
		return code == http.StatusInternalServerError || !c.alive()
	}) || code != http.StatusInternalServerError {
		t.Fatalf("healthcheckv2 did not report the permanent error: %d %s", code, health)
	}
	if !waitFor(time.Minute, 50*time.Millisecond, func() bool { return sink.CountOf("onepassword.audit_event") >= 30 }) {
		t.Fatalf("the Events streams stopped with the users source failing: %d audit events", sink.CountOf("onepassword.audit_event"))
	}
	settled := scrapeUntil(t, c, time.Minute, func(s []e2ekit.Sample) bool {
		return usersMetric(s, "requests", map[string]string{"operation": "users_token", "status": "401"}) >= 2
	})
	if !c.alive() {
		t.Fatalf("the collector exited: %v", c.current().Err())
	}
	if err := c.stop(); err != nil {
		t.Errorf("exit after SIGTERM was not clean: %v", err)
	}
	stderr := c.stderr()
	if n := strings.Count(stderr, "refused the client credentials"); n != 1 {
		t.Errorf("the refusal was logged %d times, want ERROR once", n)
	}
	if sink.CountOf(eventUser) != 0 {
		t.Errorf("user records arrived with refused credentials")
	}
	for name, text := range map[string]string{
		"stdout": c.stdout(), "stderr": stderr, "metrics": settled.Text, "health answer": health,
		"validate": validateOutput(t, wrong),
	} {
		if strings.Contains(text, wrong) || strings.Contains(text, env.secret) {
			t.Errorf("the client secret appears in the collector's %s", name)
		}
	}
}

// validateOutput runs validate on a config with the secret misplaced under
// users keys and returns what it printed.
func validateOutput(t *testing.T, secret string) string {
	t.Helper()
	var all strings.Builder
	for _, key := range []string{"endpoint", "api_version", "account_id", "poll_interval", "page_size"} {
		config := `receivers:
  onepassword:
    audit_events: {enabled: false}
    item_usages: {enabled: false}
    signin_attempts: {enabled: false}
    users:
      enabled: true
      client_id: cid
      client_secret: ${env:S}
      account_id: ABCDEFGHIJKLMNOPQRSTUVWXYZ
      ` + key + `: ${env:S}
exporters:
  nop:
service:
  pipelines:
    logs:
      receivers: [onepassword]
      exporters: [nop]
`
		out, err := runValidate(t, config, "S="+secret)
		if err == nil {
			t.Errorf("validate accepted the client secret under users::%s", key)
		}
		if !strings.Contains(string(out), key) {
			t.Errorf("validate's refusal does not name users::%s:\n%s", key, out)
		}
		all.Write(out)
	}
	return all.String()
}

// TestUsersAndEventsEachUnaffected: both sources in one receiver. An Events
// API outage does not hold up the users' baseline, and a Users API outage
// does not hold up the events.
func TestUsersAndEventsEachUnaffected(t *testing.T) {
	env := startUsersEnv(t, 6, usersim.Config{})
	env.addEvents(t, 20)
	if err := env.sim.ApplyFaults(simulator.Faults{ServerErrors: &simulator.ServerErrorFault{Burst: simulator.Burst{Count: 1 << 30}, Status: 503}}); err != nil {
		t.Fatal(err)
	}
	sink := newSink(t, false)
	c := newUsersCollector(t, env, collectorConfig{
		SimURL: env.url, SinkURL: sink.URL(),
		Receiver: map[string]any{
			"start_time": time.Now().Add(-2 * time.Hour).UTC().Format(time.RFC3339),
			"users":      env.usersSection(2, nil),
		},
	}, env.secret)
	c.start()
	if !waitFor(time.Minute, 50*time.Millisecond, func() bool { return sink.CountOf(eventUser) >= 6 }) {
		t.Fatalf("the users baseline did not arrive while the Events API failed")
	}
	if n := sink.CountOf("onepassword.audit_event"); n != 0 {
		t.Fatalf("%d audit events arrived through a failing Events API", n)
	}

	env.users.SetFault(usersim.Fault{Endpoint: usersim.EndpointList, Status: 503})
	env.sim.ClearFaults()
	want := env.readReference(t, "v2", time.Now().Add(-2*time.Hour), false)
	waitDelivered(t, c, sink, want, 2*time.Minute)
	if err := c.stop(); err != nil {
		t.Errorf("exit after SIGTERM was not clean: %v", err)
	}
}

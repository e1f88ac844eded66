package onepasswordreceiver

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/onepassword-otel/onepasswordreceiver/internal/metadata"
	"github.com/onepassword-otel/onepasswordreceiver/internal/metadatatest"
	"github.com/onepassword-otel/onepasswordreceiver/internal/roster"
)

// A pass is written to storage only when the stored roster would differ in
// more than its pass number.
func TestPassBatchMustStore(t *testing.T) {
	entry := func(pending bool) roster.Entry { return roster.Entry{Raw: []byte(`{"id":"A"}`), Pending: pending} }
	stored := roster.Roster{Pass: 3, Users: map[string]roster.Entry{"A": entry(false), "B": entry(false)}}
	tests := []struct {
		name     string
		previous roster.Roster
		batch    passBatch
		want     bool
	}{
		{"the baseline", roster.Roster{}, passBatch{next: roster.Roster{Pass: 1, Users: stored.Users}}, true},
		{"nothing changed", stored, passBatch{next: roster.Roster{Pass: 4, Users: map[string]roster.Entry{"A": entry(false), "B": entry(false)}}}, false},
		{"a user missing for the first time", stored, passBatch{next: roster.Roster{Pass: 4, Users: map[string]roster.Entry{"A": entry(false), "B": entry(true)}}}, true},
		{"a change", stored, passBatch{changes: []roster.Change{{Kind: roster.Suspended, ID: "A"}}, next: roster.Roster{Pass: 4, Users: stored.Users}}, true},
		{"an inventory", stored, passBatch{inventory: []string{"A", "B"}, next: roster.Roster{Pass: 4, Users: stored.Users}}, true},
		{"a user fewer", stored, passBatch{next: roster.Roster{Pass: 4, Users: map[string]roster.Entry{"A": entry(false)}}}, true},
		{"another user", stored, passBatch{next: roster.Roster{Pass: 4, Users: map[string]roster.Entry{"A": entry(false), "C": entry(false)}}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.batch.mustStore(tt.previous))
		})
	}
}

// Chunks: the changes first, then the inventory, each cut at page_size.
func TestPassBatchChunks(t *testing.T) {
	s := &usersSource{cfg: UsersConfig{PageSize: 2}, builder: roster.Builder{ChunkSize: 2}}
	users := map[string]roster.Entry{}
	var ids []string
	for _, id := range []string{"A", "B", "C"} {
		users[id] = roster.Entry{Raw: []byte(`{"id":"` + id + `","state":"ACTIVE"}`), State: "ACTIVE"}
		ids = append(ids, id)
	}
	changes := []roster.Change{
		{Kind: roster.Added, ID: "A", Raw: users["A"].Raw},
		{Kind: roster.Added, ID: "B", Raw: users["B"].Raw},
		{Kind: roster.Added, ID: "C", Raw: users["C"].Raw},
	}
	b := &passBatch{s: s, changes: changes, inventory: ids, next: roster.Roster{Pass: 2, Users: users}}
	assert.Equal(t, 4, b.chunks())
	var sizes []int
	var events []string
	for i := range b.chunks() {
		logs, n, err := b.chunk(i, 1)
		assert.NoError(t, err)
		assert.Equal(t, n, logs.LogRecordCount())
		sizes = append(sizes, n)
		events = append(events, logs.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0).EventName())
	}
	assert.Equal(t, []int{2, 1, 2, 1}, sizes)
	assert.Equal(t, []string{roster.EventUserChange, roster.EventUserChange, roster.EventUser, roster.EventUser}, events)

	again, _, err := b.chunk(0, 2)
	assert.NoError(t, err)
	first, _, _ := b.chunk(0, 1)
	assert.Equal(t, first, again, "a later attempt builds the same records afresh")
}

// A record that cannot be built is left out, logged by the user's id only
// and counted once; the rest of its chunk is delivered and the batch can
// go on to its commit.
func TestPassBatchLeavesOutARecordThatCannotBeBuilt(t *testing.T) {
	good := func(id string) []byte {
		return []byte(`{"id":"` + id + `","state":"ACTIVE","email":"` + id + `@example.com"}`)
	}
	broken := []byte(`{"id":"B","email":"b@example.com"`) // cut short
	users := map[string]roster.Entry{"A": {Raw: good("A"), State: "ACTIVE"}, "C": {Raw: good("C"), State: "ACTIVE"}}
	tests := []struct {
		name  string
		batch passBatch
	}{
		{"a change", passBatch{changes: []roster.Change{
			{Kind: roster.Added, ID: "A", Raw: good("A")}, {Kind: roster.Added, ID: "B", Raw: broken}, {Kind: roster.Added, ID: "C", Raw: good("C")},
		}}},
		{"an inventory record", passBatch{inventory: []string{"A", "B", "C"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tel := componenttest.NewTelemetry()
			t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
			tb, err := metadata.NewTelemetryBuilder(metadatatest.NewSettings(tel).TelemetrySettings)
			require.NoError(t, err)
			core, logs := observer.New(zap.DebugLevel)
			s := &usersSource{
				cfg: UsersConfig{PageSize: 3}, builder: roster.Builder{ChunkSize: 3},
				rt: &sourceRuntime{telemetry: tb}, logger: zap.New(core), attrs: newUsersAttrs("onepassword"),
			}
			b := tt.batch
			b.s = s
			b.next = roster.Roster{Pass: 2, Users: map[string]roster.Entry{"A": users["A"], "B": {Raw: broken, State: "ACTIVE"}, "C": users["C"]}}
			require.Equal(t, 1, b.chunks())
			for attempt := 1; attempt <= 2; attempt++ {
				logsOut, n, err := b.chunk(0, attempt)
				require.NoError(t, err, "a record that cannot be built does not fail the chunk")
				assert.Equal(t, 2, n)
				assert.Equal(t, n, logsOut.LogRecordCount())
				var ids []string
				for _, lr := range logsOut.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().All() {
					ids = append(ids, toUserRecord(lr).id)
				}
				assert.Equal(t, []string{"A", "C"}, ids, "attempt %d", attempt)
			}
			dropped := logs.FilterMessageSnippet("could not be built").All()
			require.Len(t, dropped, 1, "said once, not on every attempt")
			assert.Equal(t, "B", dropped[0].ContextMap()["user_id"])
			assert.NotContains(t, entryText(dropped[0]), "b@example.com", "the user's id only")
			m, err := tel.GetMetric("otelcol_receiver.onepassword.dropped_events")
			require.NoError(t, err)
			dps := m.Data.(metricdata.Sum[int64]).DataPoints
			require.Len(t, dps, 1)
			assert.Equal(t, int64(1), dps[0].Value)
			stream, _ := dps[0].Attributes.Value("stream")
			assert.Equal(t, usersUnit, stream.AsString())
		})
	}
}

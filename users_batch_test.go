package onepasswordreceiver

import (
	"testing"

	"github.com/stretchr/testify/assert"

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

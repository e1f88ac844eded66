package roster

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	ann       = `{"id":"A","email":"ann@example.com","display_name":"Ann","state":"ACTIVE"}`
	annSusp   = `{"id":"A","email":"ann@example.com","display_name":"Ann","state":"SUSPENDED"}`
	annRename = `{"id":"A","email":"ann@example.com","display_name":"Ann B","state":"ACTIVE"}`
	bob       = `{"id":"B","email":"bob@example.com","display_name":"Bob","state":"SUSPENDED"}`
	bobActive = `{"id":"B","email":"bob@example.com","display_name":"Bob","state":"ACTIVE"}`
	cat       = `{"id":"C","email":"cat@example.com","display_name":"Cat","state":"ACTIVE"}`
)

// want is a change as the tests state it.
type want struct {
	kind          ChangeKind
	id            string
	state         string
	previousState string
	fields        []string
	body          string // "" = not checked
}

func TestCompare(t *testing.T) {
	tests := []struct {
		name        string
		prevPass    uint64
		prev        []string
		pending     []string
		pass        []string
		want        []want
		wantPresent []string
		wantPending []string
	}{
		{
			name: "baseline: no changes", prevPass: 0, prev: nil,
			pass: []string{ann, bob}, want: nil, wantPresent: []string{"A", "B"},
		},
		{
			name: "nothing changed", prevPass: 3, prev: []string{ann, bob},
			pass: []string{bob, ann}, want: nil, wantPresent: []string{"A", "B"},
		},
		{
			name: "added", prevPass: 1, prev: []string{ann},
			pass: []string{ann, cat},
			want: []want{{kind: Added, id: "C", state: "ACTIVE", body: cat}}, wantPresent: []string{"A", "C"},
		},
		{
			name: "suspended", prevPass: 1, prev: []string{ann},
			pass: []string{annSusp},
			want: []want{{kind: Suspended, id: "A", state: "SUSPENDED", previousState: "ACTIVE", body: annSusp}}, wantPresent: []string{"A"},
		},
		{
			name: "reactivated", prevPass: 1, prev: []string{bob},
			pass: []string{bobActive},
			want: []want{{kind: Reactivated, id: "B", state: "ACTIVE", previousState: "SUSPENDED"}}, wantPresent: []string{"B"},
		},
		{
			name: "to STATE_UNSPECIFIED", prevPass: 1, prev: []string{ann},
			pass: []string{`{"id":"A","email":"ann@example.com","display_name":"Ann","state":"STATE_UNSPECIFIED"}`},
			want: []want{{kind: StateChanged, id: "A", state: "STATE_UNSPECIFIED", previousState: "ACTIVE"}}, wantPresent: []string{"A"},
		},
		{
			name: "from STATE_UNSPECIFIED to ACTIVE", prevPass: 1,
			prev: []string{`{"id":"A","email":"ann@example.com","display_name":"Ann","state":"STATE_UNSPECIFIED"}`},
			pass: []string{ann},
			want: []want{{kind: StateChanged, id: "A", state: "ACTIVE", previousState: "STATE_UNSPECIFIED"}}, wantPresent: []string{"A"},
		},
		{
			name: "unknown future state", prevPass: 1, prev: []string{bob},
			pass: []string{`{"id":"B","email":"bob@example.com","display_name":"Bob","state":"TRANSFER_PENDING"}`},
			want: []want{{kind: StateChanged, id: "B", state: "TRANSFER_PENDING", previousState: "SUSPENDED"}}, wantPresent: []string{"B"},
		},
		{
			name: "state appears", prevPass: 1, prev: []string{`{"id":"A"}`},
			pass: []string{`{"id":"A","state":"ACTIVE"}`},
			want: []want{{kind: StateChanged, id: "A", state: "ACTIVE", previousState: ""}}, wantPresent: []string{"A"},
		},
		{
			name: "renamed", prevPass: 1, prev: []string{ann},
			pass: []string{annRename},
			want: []want{{kind: Updated, id: "A", state: "ACTIVE", fields: []string{"display_name"}}}, wantPresent: []string{"A"},
		},
		{
			name: "several keys, sorted; a new key and a dropped key", prevPass: 1,
			prev: []string{`{"id":"A","email":"a@x","display_name":"Ann","state":"ACTIVE","path":"p"}`},
			pass: []string{`{"id":"A","future":{"x":1},"email":"a@y","display_name":"Anne","state":"ACTIVE"}`},
			want: []want{{kind: Updated, id: "A", state: "ACTIVE", fields: []string{"display_name", "email", "future", "path"}}}, wantPresent: []string{"A"},
		},
		{
			name: "state and another key: two records", prevPass: 1, prev: []string{ann},
			pass: []string{`{"id":"A","email":"ann@example.com","display_name":"Ann B","state":"SUSPENDED"}`},
			want: []want{
				{kind: Suspended, id: "A", state: "SUSPENDED", previousState: "ACTIVE"},
				{kind: Updated, id: "A", state: "SUSPENDED", fields: []string{"display_name"}},
			},
			wantPresent: []string{"A"},
		},
		{
			name: "key order and whitespace are no change", prevPass: 1, prev: []string{ann},
			pass: []string{`{ "state":"ACTIVE", "display_name":"Ann", "id":"A", "email":"ann@example.com" }`},
			want: nil, wantPresent: []string{"A"},
		},
		{
			name: "the same state escaped differently is no change", prevPass: 1, prev: []string{ann},
			pass: []string{`{"id":"A","email":"ann@example.com","display_name":"Ann","state":"\u0041CTIVE"}`},
			want: nil, wantPresent: []string{"A"},
		},
		{
			name: "absent once: pending, no record", prevPass: 1, prev: []string{ann, bob},
			pass: []string{ann}, want: nil, wantPresent: []string{"A"}, wantPending: []string{"B"},
		},
		{
			name: "absent twice: removed as last seen", prevPass: 2, prev: []string{ann, bob}, pending: []string{"B"},
			pass: []string{ann},
			want: []want{{kind: Removed, id: "B", state: "SUSPENDED", previousState: "SUSPENDED", body: bob}}, wantPresent: []string{"A"},
		},
		{
			name: "back unchanged before the second pass: nothing", prevPass: 2, prev: []string{ann, bob}, pending: []string{"B"},
			pass: []string{ann, bob}, want: nil, wantPresent: []string{"A", "B"},
		},
		{
			name: "back changed: compared with how it was last seen", prevPass: 2, prev: []string{ann, bob}, pending: []string{"B"},
			pass: []string{ann, bobActive},
			want: []want{{kind: Reactivated, id: "B", state: "ACTIVE", previousState: "SUSPENDED"}}, wantPresent: []string{"A", "B"},
		},
		{
			name: "removals last, by id", prevPass: 2, prev: []string{cat, ann, bob}, pending: []string{"C", "A"},
			pass: []string{bobActive},
			want: []want{
				{kind: Reactivated, id: "B", state: "ACTIVE", previousState: "SUSPENDED"},
				{kind: Removed, id: "A", state: "ACTIVE", previousState: "ACTIVE"},
				{kind: Removed, id: "C", state: "ACTIVE", previousState: "ACTIVE"},
			},
			wantPresent: []string{"B"},
		},
		{
			name: "duplicate within a pass counts once", prevPass: 1, prev: []string{ann},
			pass: []string{ann, cat, ann, cat}, want: []want{{kind: Added, id: "C", state: "ACTIVE"}}, wantPresent: []string{"A", "C"},
		},
		{
			name: "duplicate within a pass: the object seen last", prevPass: 1, prev: []string{ann},
			pass: []string{ann, annSusp},
			want: []want{{kind: Suspended, id: "A", state: "SUSPENDED", previousState: "ACTIVE"}}, wantPresent: []string{"A"},
		},
		{
			name: "empty pass after a baseline: all pending", prevPass: 1, prev: []string{ann, bob},
			pass: nil, want: nil, wantPresent: nil, wantPending: []string{"A", "B"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var prevUsers, pass []User
			for _, raw := range tt.prev {
				prevUsers = append(prevUsers, u(t, raw))
			}
			for _, raw := range tt.pass {
				pass = append(pass, u(t, raw))
			}
			inventory := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
			prev := rosterOf(t, tt.prevPass, prevUsers, tt.pending...)
			prev.LastInventory = inventory
			before := Marshal(prev)

			changes, next := Compare(prev, pass)

			var got []want
			for _, c := range changes {
				w := want{kind: c.Kind, id: c.ID, state: c.State, previousState: c.PreviousState, fields: c.ChangedFields}
				if c.Kind == Updated {
					assert.NotEmpty(t, c.PreviousRaw)
				}
				got = append(got, w)
				for _, x := range tt.want {
					if x.kind == c.Kind && x.id == c.ID && x.body != "" {
						assert.JSONEq(t, x.body, string(c.Raw))
					}
				}
			}
			for i := range tt.want {
				tt.want[i].body = ""
			}
			assert.Equal(t, tt.want, got)

			var present, pending []string
			for _, id := range next.sortedIDs(true) {
				if next.Users[id].Pending {
					pending = append(pending, id)
				} else {
					present = append(present, id)
				}
			}
			assert.Equal(t, tt.wantPresent, present)
			assert.Equal(t, tt.wantPending, pending)
			assert.Equal(t, tt.prevPass+1, next.Pass)
			assert.Equal(t, inventory, next.LastInventory)
			assert.Equal(t, before, Marshal(prev), "previous is not modified")
		})
	}
}

// TestCompareTwoPassRuleOverPasses runs the rule across several passes.
func TestCompareTwoPassRuleOverPasses(t *testing.T) {
	a, b := u(t, ann), u(t, bob)
	r := Roster{}
	steps := []struct {
		pass []User
		want []ChangeKind
	}{
		{[]User{a, b}, nil}, // baseline
		{[]User{a}, nil},    // b hidden (a shifted page)
		{[]User{a, b}, nil}, // b back, unchanged
		{[]User{a}, nil},    // hidden again: pending again, not removed
		{[]User{a}, []ChangeKind{Removed}},
		{[]User{a}, nil}, // gone for good: reported once
		{[]User{a, b}, []ChangeKind{Added}},
	}
	for i, st := range steps {
		changes, next := Compare(r, st.pass)
		var kinds []ChangeKind
		for _, c := range changes {
			kinds = append(kinds, c.Kind)
		}
		require.Equal(t, st.want, kinds, "pass %d", i+1)
		r = next
	}
	assert.Equal(t, uint64(len(steps)), r.Pass)
}

func TestInventoryDue(t *testing.T) {
	at := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		r        Roster
		interval time.Duration
		want     bool
	}{
		{"baseline", Roster{}, 24 * time.Hour, true},
		{"baseline with interval 0", Roster{}, 0, true},
		{"recent", Roster{Pass: 2, LastInventory: at.Add(-time.Hour)}, 24 * time.Hour, false},
		{"due", Roster{Pass: 2, LastInventory: at.Add(-24 * time.Hour)}, 24 * time.Hour, true},
		{"interval 0: never again", Roster{Pass: 2, LastInventory: at.Add(-1000 * time.Hour)}, 0, false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.r.InventoryDue(at, tt.interval), tt.name)
	}
}

func TestCounts(t *testing.T) {
	r := rosterOf(t, 1, []User{u(t, ann), u(t, bob), u(t, cat), u(t, `{"id":"D"}`)}, "C")
	assert.Equal(t, 3, r.Present())
	assert.Equal(t, map[string]int{"ACTIVE": 1, "SUSPENDED": 1, "": 1}, r.CountByState())
}

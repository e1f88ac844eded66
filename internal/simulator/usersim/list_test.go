package usersim

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestListPaging(t *testing.T) {
	tests := []struct {
		name      string
		users     int
		version   string
		query     string
		wantSizes []int
	}{
		{"default page size 25", 60, "v1", "", []int{25, 25, 10}},
		{"v1beta1", 60, "v1beta1", "", []int{25, 25, 10}},
		{"max_page_size 0 is the default", 30, "v1", "max_page_size=0", []int{25, 5}},
		{"exact multiple ends without token", 20, "v1", "max_page_size=10", []int{10, 10}},
		{"capped at 1000", 2500, "v1", "max_page_size=5000", []int{1000, 1000, 500}},
		{"empty roster", 0, "v1", "max_page_size=10", []int{0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, Config{})
			want := e.sim.Generate(tt.users)
			ids, sizes := e.walk(t, tt.version, e.token(t), tt.query)
			assert.Equal(t, tt.wantSizes, sizes)
			if tt.users == 0 {
				assert.Empty(t, ids)
			} else {
				assert.Equal(t, want, ids)
			}
			st := e.sim.Stats()
			assert.Equal(t, len(tt.wantSizes), st.ListRequests)
			assert.Equal(t, "usersim-test/1", st.LastUserAgent)
		})
	}
}

func TestListFilters(t *testing.T) {
	e := newEnv(t, Config{})
	e.sim.Generate(100) // every tenth suspended
	tok := e.token(t)
	tests := []struct {
		filter string
		want   int
		state  string
	}{
		{"", 100, ""},
		{FilterActive, 90, StateActive},
		{FilterSuspended, 10, StateSuspended},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			ids, _ := e.walk(t, "v1", tok, "max_page_size=7&filter="+url.QueryEscape(tt.filter))
			assert.Len(t, ids, tt.want)
			for _, id := range ids {
				u, ok := e.sim.User(id)
				require.True(t, ok)
				if tt.state != "" {
					assert.Equal(t, tt.state, u.State)
				}
			}
		})
	}
}

func TestListInvalidArgument(t *testing.T) {
	e := newEnv(t, Config{})
	e.sim.Generate(10)
	tok := e.token(t)
	first := e.get(t, tok, e.usersPath("v1")+"?max_page_size=2&filter="+url.QueryEscape(FilterActive))
	var p listPage
	first.json(t, &p)
	require.NotEmpty(t, p.NextPageToken)
	tests := []struct {
		name, query string
	}{
		{"unknown filter", "filter=" + url.QueryEscape("user.isDeleted()")},
		{"negative page size", "max_page_size=-1"},
		{"page size not a number", "max_page_size=ten"},
		{"garbage page token", "page_token=%21%21%21"},
		{"unknown field in token", "page_token=IAE"}, // field 4
		{"token from another filter", "page_token=" + url.QueryEscape(p.NextPageToken)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := e.get(t, tok, e.usersPath("v1")+"?"+tt.query)
			require.Equal(t, http.StatusBadRequest, a.status, string(a.body))
			var eb errorBody
			a.json(t, &eb)
			assert.Equal(t, 3, eb.Code)
			assert.Contains(t, eb.Message, "InvalidArgument")
			assert.NotNil(t, eb.Details)
		})
	}
}

func TestPageTokenShape(t *testing.T) {
	p, ok := decodePageToken("CAIQAg") // the vendor's example token
	require.True(t, ok)
	assert.Equal(t, pagePos{offset: 2, size: 2}, p)
	for _, pos := range []pagePos{{0, 1, 0}, {1000, 1000, 2}, {99_999_000, 1000, 1}} {
		got, ok := decodePageToken(encodePageToken(pos))
		require.True(t, ok)
		assert.Equal(t, pos, got)
	}
	_, ok = decodePageToken("CAI") // no size
	assert.False(t, ok)
}

func TestNotFound(t *testing.T) {
	e := newEnv(t, Config{})
	tok := e.token(t)
	tests := []struct{ name, method, path string }{
		{"other account", http.MethodGet, "/v1/accounts/OTHERACCOUNTAAAAAAAAAAAAAA/users"},
		{"unknown version", http.MethodGet, "/v2/accounts/" + e.sim.AccountID() + "/users"},
		{"unknown user", http.MethodGet, e.usersPath("v1") + "/NOSUCHUSER"},
		{"unknown method", http.MethodPost, e.usersPath("v1") + "/X:delete"},
		{"suspend unknown user", http.MethodPost, e.usersPath("v1") + "/NOSUCHUSER:suspend"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := e.call(t, tt.method, tok, tt.path)
			require.Equal(t, http.StatusNotFound, a.status, string(a.body))
			var eb errorBody
			a.json(t, &eb)
			assert.Equal(t, 5, eb.Code)
		})
	}
}

func TestGetSuspendReactivate(t *testing.T) {
	e := newEnv(t, Config{})
	require.NoError(t, e.sim.AddUser(User{ID: "IR7VJHJ36JHINBFAD7V2T5MP3E", Email: "wendy@example.com", DisplayName: "Wendy Appleseed", Extra: map[string]any{"future": 1}}))
	tok := e.token(t)
	path := e.usersPath("v1beta1") + "/IR7VJHJ36JHINBFAD7V2T5MP3E"
	steps := []struct {
		method, suffix, wantState string
	}{
		{http.MethodGet, "", StateActive},
		{http.MethodPost, ":suspend", StateSuspended},
		{http.MethodPost, ":suspend", StateSuspended}, // idempotent
		{http.MethodGet, "", StateSuspended},
		{http.MethodPost, ":reactivate", StateActive},
		{http.MethodPost, ":reactivate", StateActive},
	}
	for i, st := range steps {
		a := e.call(t, st.method, tok, path+st.suffix)
		require.Equal(t, http.StatusOK, a.status, "step %d: %s", i, a.body)
		var u map[string]any
		a.json(t, &u)
		assert.Equal(t, st.wantState, u["state"], "step %d", i)
		assert.Equal(t, "Wendy Appleseed", u["display_name"])
		assert.Equal(t, 1.0, u["future"], "unknown keys are served")
	}
	assert.Equal(t, 4, e.sim.Stats().ActionRequests)
	assert.Equal(t, 2, e.sim.Stats().GetRequests)
}

// TestChangeDuringWalk shows why one pass cannot prove a removal: removing
// a user before the next page shifts the offsets, so a user that is still
// there is skipped; an insertion repeats one.
func TestChangeDuringWalk(t *testing.T) {
	tests := []struct {
		name        string
		change      Op
		wantMissing []int // indexes into the generated ids absent from the walk
		wantRepeat  int   // index repeated, -1 none
	}{
		{"removal before the offset skips a user", Op{Op: OpRemove, ID: GeneratedID(0)}, []int{5}, -1},
		{"insertion before the offset repeats one", Op{Op: OpInsert, Index: 0, User: &User{ID: "NEWUSER"}}, nil, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, Config{})
			gen := e.sim.Generate(10)
			e.sim.BeforeNextPage(func(s *Sim) { require.NoError(t, s.Apply(tt.change)) })
			ids, _ := e.walk(t, "v1", e.token(t), "max_page_size=5")
			seen := map[string]int{}
			for _, id := range ids {
				seen[id]++
			}
			for _, i := range tt.wantMissing {
				assert.Zero(t, seen[gen[i]], "user %d", i)
			}
			if tt.wantRepeat >= 0 {
				assert.Equal(t, 2, seen[gen[tt.wantRepeat]])
			}
			assert.NotContains(t, seen, "NEWUSER", "inserted before the offset, so not seen in this walk")
			// The hook ran once: a second walk sees the roster as it now is.
			ids2, _ := e.walk(t, "v1", e.token(t), "max_page_size=5")
			assert.Len(t, ids2, len(e.sim.Users()))
		})
	}
}

func TestGeneratedIDs(t *testing.T) {
	seen := map[string]bool{}
	for i := range 5000 {
		id := GeneratedID(i)
		require.Len(t, id, 26)
		require.False(t, seen[id], strconv.Itoa(i))
		seen[id] = true
	}
	e := newEnv(t, Config{})
	require.NoError(t, e.sim.AddUser(User{ID: GeneratedID(0)}))
	ids := e.sim.Generate(2)
	assert.Equal(t, []string{GeneratedID(1), GeneratedID(2)}, ids, "an id taken by AddUser is skipped")
}
